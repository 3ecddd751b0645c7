// Every juhe answer → our outcome and whether to fail over (docs/contract.md §5), through the real client with fetch faked.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Identity } from "../../../src/identity/identity.ts";
import { juheQuery } from "../../../src/upstream/juhe/client.ts";
import type { JuheProduct } from "../../../src/upstream/juhe/codes.ts";
import {
  EXPECTED_JUHE_CODES,
  EXPECTED_JUHE_FAILOVER,
  EXPECTED_JUHE_FAULTS,
  juheConfig,
  TEST_BASE_URL,
} from "../../support/juhe-expected.ts";
import { juheError, juheJson, juheMatch, mockJuhe } from "../../support/juhe-mock.ts";

const identity: Identity = { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" };

async function callWith(answer: () => Response, product: JuheProduct = "telecomCmcc") {
  mockJuhe(TEST_BASE_URL, answer);
  return juheQuery(juheConfig({ product }))(identity, 5000);
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
    expect(call.outcome).toEqual({
      ok: true,
      value: { returnCode, matchCode: "11", upstreamOrderId: "J2732018111616502005782a", carrier: null },
    });
    expect([call.code, call.failover, call.fault]).toEqual(["0", false, false]);
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
    const call = await callWith(() =>
      juheJson({ reason: "查询成功", result: { res: 1, rescode: "11", orderid: "J1" }, error_code: "0" }),
    );
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
    expect([call.code, call.failover]).toEqual(["0", true]);
  });
});

describe("error_code ≠ 0", () => {
  it.each(
    EXPECTED_JUHE_CODES.flatMap(([juhe, ours]) =>
      (["telecomCmcc", "telecom"] as const).map((product) => [juhe, ours, product] as const),
    ),
  )("juhe %i → %s (%s)", async (juheCode, ours, product) => {
    const call = await callWith(() => juheError(juheCode, "juhe's own text"), product);
    const failover = EXPECTED_JUHE_FAILOVER.includes(juheCode) || (juheCode === 227304 && product === "telecomCmcc");
    expect(call.outcome).toMatchObject({
      ok: false,
      code: ours,
      reason: expect.stringMatching(/^[\u4e00-\u9fffHTP]{4,16}$/),
    });
    expect([call.code, call.failover]).toEqual([String(juheCode), failover]);
  });

  it("227304 from telecomCmcc fails over without blaming juhe, and says the number is not Telecom", async () => {
    const call = await callWith(() => juheError(227304));
    expect([call.failover, call.fault, call.notCarrier]).toEqual([true, false, "CTCC"]);
  });

  it("227304 from the three-network product is final: the number itself is wrong", async () => {
    const call = await callWith(() => juheError(227304), "telecom");
    expect([call.outcome, call.failover, call.fault, call.notCarrier]).toEqual([
      { ok: false, code: "310", reason: "手机号格式有误或非电信号码" },
      false,
      false,
      undefined,
    ]);
  });

  it.each(EXPECTED_JUHE_FAULTS)("failover code %i blames juhe (counts towards its breaker)", async (juheCode) => {
    expect((await callWith(() => juheError(juheCode), "telecom")).fault).toBe(true);
  });

  it("227302 (查询失败) fails over but is about this query: the breaker does not count it", async () => {
    const call = await callWith(() => juheError(227302), "telecom");
    expect([call.failover, call.fault]).toEqual([true, false]);
  });

  it("accepts a numeric-string error_code", async () => {
    const call = await callWith(() => juheError("227303"));
    expect(call.outcome).toMatchObject({ ok: false, code: "308" });
    expect(call.code).toBe("227303");
  });

  it("never passes on juhe's reason, which may echo input", async () => {
    const call = await callWith(() => juheError(227302, "查询失败：张三 110101199003071233"));
    expect(call.outcome).toEqual({ ok: false, code: "502", reason: "上游查询失败" });
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
    expect([call.code, call.failover]).toEqual([null, true]);
  });
});
