// Every juhe answer → our outcome (CONTRACT.md §3–§4), through the real client with fetch faked.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Identity } from "../../../src/identity/identity.ts";
import { juheClient } from "../../../src/upstream/juhe/client.ts";
import { EXPECTED_JUHE_CODES, juheConfig, TEST_BASE_URL } from "../../support/juhe-expected.ts";
import { juheError, juheJson, juheMatch, mockJuhe } from "../../support/juhe-mock.ts";

const identity: Identity = { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" };

async function callWith(answer: () => Response) {
  mockJuhe(TEST_BASE_URL, answer);
  return juheClient(juheConfig())(identity);
}

describe("error_code 0: the match result", () => {
  it.each([
    [1, "10000"],
    [2, "10001"],
    [3, "10002"],
    [0, "10002"],
    ["1", "10000"],
    ["2", "10001"],
  ])("res %j → returnCode %s", async (res, returnCode) => {
    const call = await callWith(() => juheMatch(res, "11"));
    expect(call.outcome).toEqual({ ok: true, value: { returnCode, matchCode: "11", upstreamOrderId: "J2732018111616502005782a" } });
    expect(call.upstreamCode).toBe(0);
  });

  it.each(["11", "21", "22", "23", "24", 21, " 22 "])("rescode %j → matchCode", async (rescode) => {
    const call = await callWith(() => juheMatch(2, rescode));
    expect(call.outcome).toMatchObject({ ok: true, value: { matchCode: String(rescode).trim() } });
  });

  it.each(["99", "1", "", 0])("unknown rescode %j → matchCode null", async (rescode) => {
    const call = await callWith(() => juheMatch(2, rescode));
    expect(call.outcome).toMatchObject({ ok: true, value: { matchCode: null } });
  });

  it("a missing rescode → matchCode null", async () => {
    const call = await callWith(() => juheMatch(1));
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10000", matchCode: null } });
  });

  it("drops an order id that is not a plain token", async () => {
    const call = await callWith(() => juheMatch(1, "11", "J123 <script>"));
    expect(call.outcome).toMatchObject({ ok: true, value: { upstreamOrderId: null } });
  });

  it("accepts error_code as a numeric string", async () => {
    const call = await callWith(() => juheJson({ reason: "查询成功", result: { res: 1, rescode: "11", orderid: "J1" }, error_code: "0" }));
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10000", upstreamOrderId: "J1" } });
  });

  it.each([
    ["result null", null],
    ["result missing", undefined],
    ["res missing", { rescode: "11", orderid: "J1" }],
    ["res not numeric", { res: "yes", rescode: "11" }],
    ["res fractional", { res: 1.5 }],
    ["result a string", "ok"],
  ])("error_code 0 with %s → 502", async (_, result) => {
    const call = await callWith(() => juheJson({ reason: "查询成功", result, error_code: 0 }));
    expect(call.outcome).toMatchObject({ ok: false, code: "502" });
    expect(call.upstreamCode).toBe(0);
  });
});

describe("error_code ≠ 0", () => {
  it.each(EXPECTED_JUHE_CODES)("juhe %i → %s", async (juheCode, ours) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => log.mockRestore());
    const call = await callWith(() => juheError(juheCode, "juhe's own text"));
    expect(call.outcome).toMatchObject({ ok: false, code: ours, reason: expect.stringMatching(/^[\u4e00-\u9fffHTP]{4,16}$/) });
    expect(call.upstreamCode).toBe(juheCode);
  });

  it("accepts a numeric-string error_code", async () => {
    const call = await callWith(() => juheError("227303"));
    expect(call.outcome).toMatchObject({ ok: false, code: "308" });
    expect(call.upstreamCode).toBe(227303);
  });

  it("never passes on juhe's reason, which may echo input", async () => {
    const call = await callWith(() => juheError(227302, "查询失败：张三 110101199003071233"));
    expect(call.outcome).toEqual({ ok: false, code: "502", reason: "上游查询失败" });
  });

  it("logs a key/openid rejection as one JSON line with juhe's code only", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => log.mockRestore());
    const call = await callWith(() => juheError(10004, "错误的OPENID test-openid"));
    expect(call.outcome).toEqual({ ok: false, code: "500", reason: "上游接入配置异常" });
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toEqual({ level: "error", event: "juhe_key_rejected", product: "telecomCmcc", upstreamCode: 10004 });
  });

  it("logs nothing for an ordinary upstream answer", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => log.mockRestore());
    await callWith(() => juheError(227303));
    expect(log).not.toHaveBeenCalled();
  });
});

describe("bodies that are JSON but not juhe's shape", () => {
  it.each([
    ["null", null],
    ["an array", [1, 2]],
    ["no error_code", { reason: "x", result: null }],
    ["error_code not numeric", { reason: "x", result: null, error_code: "abc" }],
    ["error_code fractional", { reason: "x", result: null, error_code: 1.5 }],
    ["reason not a string", { reason: 5, result: null, error_code: 227303 }],
  ])("%s → 502", async (_, body) => {
    const call = await callWith(() => juheJson(body));
    expect(call.outcome).toMatchObject({ ok: false, code: "502" });
    expect(call.upstreamCode).toBeNull();
  });
});
