// Routing, failover and the deadline (docs/contract.md §5) with the real adapters, every upstream
// faked at the HTTP boundary; the breaker in ./router-breaker.test.ts.
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { carrierOfNumber } from "../../src/upstream/carrier.ts";
import { eligible, route } from "../../src/upstream/router.ts";
import type { Upstream } from "../../src/upstream/upstream.ts";
import {
  BROADCAST,
  CHAIN,
  JUHE,
  JUHE3,
  juhe,
  juhe3,
  LIMITS,
  MOBILE,
  match,
  refuse,
  TELECOM,
  TENCENT,
  tencent,
  UNALLOCATED,
  UNICOM,
} from "../fixtures/upstream-chain.ts";
import { freshIsolate } from "../support/caller.ts";
import { EXPECTED_JUHE_CODES, EXPECTED_JUHE_FAILOVER } from "../support/juhe-expected.ts";
import { juheError, juheJson, juheMatch, never } from "../support/juhe-mock.ts";
import { mockUpstreams, tencentError, tencentResult } from "../support/upstream-mock.ts";

beforeEach(freshIsolate);

describe("routing by carrier", () => {
  it.each([
    ["a Telecom number", TELECOM, [JUHE], "CTCC"],
    ["a Mobile number", MOBILE, [JUHE3], "CMCC"],
    ["a Unicom number", UNICOM, [JUHE3], "CUCC"],
    ["a Broadcast number", BROADCAST, [JUHE3], "CBN"],
    ["a number of no known segment", UNALLOCATED, [JUHE3], null],
  ] as const)("%s goes to the first upstream that accepts its carrier", async (_, identity, asked, carrier) => {
    const network = mockUpstreams({ [JUHE]: match, [JUHE3]: match, [TENCENT]: refuse("tencent") });
    const call = await route(CHAIN, identity, LIMITS);
    expect([network.asked(), call.outcome]).toEqual([
      asked,
      { ok: true, value: { returnCode: "10000", matchCode: "11", upstreamOrderId: "J1", carrier } },
    ]);
  });

  it("tries every upstream in order when none accepts the carrier", async () => {
    const network = mockUpstreams({ [JUHE]: () => juheError(10020), [JUHE3]: match });
    const call = await route([juhe(["CTCC"]), juhe3(["CUCC"])], MOBILE, LIMITS);
    expect([network.asked(), call.outcome.ok]).toEqual([[JUHE, JUHE3], true]);
  });

  it("a number of no known segment goes to unlimited upstreams only, then to all if none", async () => {
    const network = mockUpstreams({ [JUHE]: match, [JUHE3]: match });
    await route([juhe(["CTCC"]), juhe3(null)], UNALLOCATED, LIMITS);
    await route([juhe(["CTCC"]), juhe3(["CMCC", "CUCC"])], UNALLOCATED, LIMITS);
    expect(network.asked()).toEqual([JUHE3, JUHE]);
  });
});

describe("eligibility, the rule the billable call names the first upstream by", () => {
  const BASE: Record<string, string> = { juhe: JUHE, juhe3: JUHE3, tencent: TENCENT };
  it.each([
    ["a Telecom number on the chain", CHAIN, TELECOM],
    ["a Mobile number on the chain", CHAIN, MOBILE],
    ["a number no upstream accepts", [juhe(["CTCC"]), juhe3(["CUCC"])], MOBILE],
    ["a number of no known segment, no unlimited upstream", [juhe(["CTCC"]), juhe3(["CMCC", "CUCC"])], UNALLOCATED],
  ] as const)("%s: the eligible upstreams are the ones asked, in order", async (_, chain, identity) => {
    const network = mockUpstreams({
      [JUHE]: () => juheError(10020),
      [JUHE3]: () => juheError(10020),
      [TENCENT]: () => tencentResult("-13"),
    });
    await route(chain, identity, LIMITS);
    const listed = eligible(chain, carrierOfNumber(identity.loginphone)?.carrier ?? null);
    expect(listed.map((u) => BASE[u.name])).toEqual(network.asked());
  });
});

describe("failover", () => {
  const failoverCodes = EXPECTED_JUHE_FAILOVER;

  it.each(failoverCodes)("juhe error_code %i: the next upstream answers", async (code) => {
    const network = mockUpstreams({ [JUHE]: () => juheError(code), [JUHE3]: match });
    const call = await route([juhe(null), juhe3()], MOBILE, LIMITS);
    expect([network.asked(), call.outcome.ok, call.attempts.map((a) => [a.upstream, a.code])]).toEqual([
      [JUHE, JUHE3],
      true,
      [
        ["juhe", String(code)],
        ["juhe3", "0"],
      ],
    ]);
  });

  it("juhe 227304 (not Telecom, e.g. a ported number): juhe3 answers; the segment's CTCC is no longer claimed", async () => {
    const network = mockUpstreams({ [JUHE]: () => juheError(227304), [JUHE3]: match });
    const call = await route(CHAIN, TELECOM, LIMITS);
    expect([network.asked(), call.outcome]).toEqual([
      [JUHE, JUHE3],
      { ok: true, value: { returnCode: "10000", matchCode: "11", upstreamOrderId: "J1", carrier: null } },
    ]);
  });

  it("error_code 0 without a result (malformed): the next upstream answers", async () => {
    mockUpstreams({ [JUHE]: () => juheJson({ reason: "查询成功", result: null, error_code: 0 }), [JUHE3]: match });
    expect((await route([juhe(null), juhe3()], MOBILE, LIMITS)).attempts.map((a) => a.code)).toEqual(["0", "0"]);
  });

  it.each([
    ["HTTP 502", () => new Response("bad gateway", { status: 502 })],
    ["a non-JSON body", () => new Response("<html></html>")],
    ["a JSON body of another shape", () => juheJson({ hello: "world" })],
    ["a body over 64 KiB", () => new Response("x".repeat(70_000))],
    ["the network failing", () => Promise.reject(new TypeError("Network connection lost."))],
  ])("%s: the next upstream answers", async (_, answer) => {
    const network = mockUpstreams({ [JUHE]: answer, [JUHE3]: match });
    const call = await route([juhe(null), juhe3()], MOBILE, LIMITS);
    expect([network.asked(), call.outcome.ok, call.attempts.map((a) => a.code)]).toEqual([
      [JUHE, JUHE3],
      true,
      [null, "0"],
    ]);
  });

  it("a timeout: the next upstream answers within what is left of the deadline", async () => {
    const network = mockUpstreams({ [JUHE]: () => never(), [JUHE3]: match });
    const call = await route([juhe(null), juhe3()], MOBILE, { timeoutMs: 50, deadlineMs: 500 });
    expect([network.asked(), call.outcome.ok]).toEqual([[JUHE, JUHE3], true]);
    expect(call.attempts[0]!.ms).toBeGreaterThanOrEqual(50);
  });

  it.each([
    ["-11", "504"],
    ["-12", "502"],
    ["-13", "310"],
  ])("Tencent Result %s: the next upstream answers", async (result) => {
    const network = mockUpstreams({ [TENCENT]: () => tencentResult(result), [JUHE3]: match });
    const call = await route([tencent(), juhe3()], MOBILE, LIMITS);
    expect([network.asked(), call.outcome.ok]).toEqual([[TENCENT, JUHE3], true]);
  });

  it.each([
    "AuthFailure.SignatureFailure",
    "UnauthorizedOperation.Arrears",
    "RequestLimitExceeded",
    "ResourceUnavailable",
    "InternalError",
    "Brand.New",
  ])("Tencent Error %s: the next upstream answers", async (code) => {
    const network = mockUpstreams({ [TENCENT]: () => tencentError(code), [JUHE3]: match });
    const call = await route([tencent(), juhe3()], MOBILE, LIMITS);
    expect([network.asked(), call.outcome.ok, call.attempts.map((a) => a.code)]).toEqual([
      [TENCENT, JUHE3],
      true,
      [code, "0"],
    ]);
  });
});

describe("final answers", () => {
  const finals = EXPECTED_JUHE_CODES.filter(([code]) => !EXPECTED_JUHE_FAILOVER.includes(code) && code !== 227304);

  it.each(finals)("juhe error_code %i → %s, no other upstream asked", async (code, ours) => {
    const network = mockUpstreams({ [JUHE]: () => juheError(code), [JUHE3]: refuse("juhe3") });
    const call = await route([juhe(null), juhe3()], MOBILE, LIMITS);
    expect([network.asked(), call.outcome.ok ? null : call.outcome.code, call.upstreamCode]).toEqual([
      [JUHE],
      ours,
      code,
    ]);
  });

  it("juhe3 227304 → 310, final", async () => {
    mockUpstreams({ [JUHE3]: () => juheError(227304), [TENCENT]: refuse("tencent") });
    expect((await route(CHAIN, MOBILE, LIMITS)).outcome).toEqual({
      ok: false,
      code: "310",
      reason: "手机号格式有误或非电信号码",
    });
  });

  it.each([
    [1, "10000"],
    [2, "10001"],
    [3, "10002"],
  ])("juhe res %i → %s, final", async (res, returnCode) => {
    mockUpstreams({ [JUHE3]: () => juheMatch(res, "21", "J9"), [TENCENT]: refuse("tencent") });
    const call = await route(CHAIN, MOBILE, LIMITS);
    expect(call.outcome).toEqual({
      ok: true,
      value: { returnCode, matchCode: "21", upstreamOrderId: "J9", carrier: "CMCC" },
    });
  });

  it.each([
    ["0", true, "10000"],
    ["-4", true, "10001"],
    ["-6", false, "310"],
    ["-7", false, "310"],
    ["-8", false, "310"],
    ["-9", false, "308"],
  ])("Tencent Result %s, final", async (result, ok, code) => {
    mockUpstreams({ [TENCENT]: () => tencentResult(result, "联通"), [JUHE3]: refuse("juhe3") });
    const call = await route([tencent(), juhe3()], MOBILE, LIMITS);
    expect(call.outcome.ok ? call.outcome.value.returnCode : call.outcome.code).toBe(code);
    expect([call.outcome.ok, call.attempts.length]).toEqual([ok, 1]);
  });

  it("prefers the carrier Tencent reports (a ported number) over the segment", async () => {
    mockUpstreams({ [TENCENT]: () => tencentResult("0", "联通", "req-1") });
    const call = await route([tencent()], MOBILE, LIMITS);
    expect(call).toEqual({
      outcome: { ok: true, value: { returnCode: "10000", matchCode: "11", upstreamOrderId: "req-1", carrier: "CUCC" } },
      attempts: [{ upstream: "tencent", code: "0", ms: expect.any(Number), orderId: "req-1", fault: false }],
      upstreamCode: 0,
      latencyMs: expect.any(Number),
    });
  });

  it("an adapter that throws is our bug: 500, final, logged by name only", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => error.mockRestore());
    const broken: Upstream = { name: "juhe", carriers: null, ask: () => Promise.reject(new RangeError("张三")) };
    mockUpstreams({ [JUHE3]: refuse("juhe3") });
    const call = await route([broken, juhe3()], MOBILE, LIMITS);
    expect([call.outcome, call.attempts.map((a) => [a.upstream, a.code])]).toEqual([
      { ok: false, code: "500" },
      [["juhe", null]],
    ]);
    expect(error.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { level: "error", event: "upstream_threw", upstream: "juhe", error: "RangeError" },
    ]);
  });
});

describe("when every attempt fails", () => {
  it("lists every attempt: upstream, its code, latency, order id", async () => {
    mockUpstreams({ [JUHE3]: () => juheError(227301), [TENCENT]: () => tencentResult("-11") });
    const call = await route(CHAIN, MOBILE, LIMITS);
    expect(call).toEqual({
      outcome: { ok: false, code: "504", reason: "上游验证中心繁忙" },
      attempts: [
        { upstream: "juhe3", code: "227301", ms: expect.any(Number), orderId: null, fault: true },
        { upstream: "tencent", code: "-11", ms: expect.any(Number), orderId: null, fault: true },
      ],
      upstreamCode: -11,
      latencyMs: call.attempts[0]!.ms + call.attempts[1]!.ms,
    });
  });

  it("marks each attempt a fault as the breaker counts: the vendor's fault codes and transport failures", async () => {
    mockUpstreams({
      [JUHE]: () => juheError(227304),
      [JUHE3]: () => juheError(10020),
      [TENCENT]: () => new Response("down", { status: 503 }),
    });
    const faults = (await route(CHAIN, TELECOM, LIMITS)).attempts.map((a) => [a.upstream, a.code, a.fault]);
    mockUpstreams({ [TENCENT]: () => tencentError("InvalidParameter") });
    const refused = (await route([tencent()], MOBILE, LIMITS)).attempts.map((a) => [a.upstream, a.code, a.fault]);
    expect([faults, refused]).toEqual([
      [
        ["juhe", "227304", false],
        ["juhe3", "10020", true],
        ["tencent", null, true],
      ],
      [["tencent", "InvalidParameter", false]],
    ]);
  });

  it("the last fault decides", async () => {
    mockUpstreams({ [JUHE3]: () => juheError(10012), [TENCENT]: () => new Response("down", { status: 503 }) });
    expect((await route(CHAIN, MOBILE, LIMITS)).outcome).toEqual({
      ok: false,
      code: "502",
      reason: "上游HTTP状态异常",
    });
  });

  it("a fault beats a later 'not my coverage': the caller may retry, the data is not invalid", async () => {
    mockUpstreams({ [JUHE3]: () => juheError(10020), [TENCENT]: () => tencentResult("-13") });
    const call = await route(CHAIN, MOBILE, LIMITS);
    expect([call.outcome, call.upstreamCode]).toEqual([{ ok: false, code: "503", reason: "上游服务维护中" }, 10020]);
  });

  it("a fault beats an earlier 'not my network'", async () => {
    mockUpstreams({ [JUHE]: () => juheError(227304), [JUHE3]: () => juheError(10014) });
    expect((await route(CHAIN.slice(0, 2), TELECOM, LIMITS)).outcome).toEqual({
      ok: false,
      code: "504",
      reason: "上游系统内部异常",
    });
  });

  it("when no upstream covers the number, the last refusal", async () => {
    mockUpstreams({ [JUHE]: () => juheError(227304), [TENCENT]: () => tencentResult("-13") });
    expect((await route([juhe(), tencent()], TELECOM, LIMITS)).outcome).toEqual({
      ok: false,
      code: "310",
      reason: "上游不支持该号段",
    });
  });
});

describe("the deadline", () => {
  it("holds for all attempts together: an attempt gets what is left, none starts after it", async () => {
    const network = mockUpstreams({ [JUHE]: () => never(), [JUHE3]: () => never(), [TENCENT]: refuse("tencent") });
    const started = Date.now();
    const call = await route([juhe(null), juhe3(), tencent()], MOBILE, { timeoutMs: 100, deadlineMs: 150 });
    const took = Date.now() - started;
    expect([network.asked(), call.outcome]).toEqual([
      [JUHE, JUHE3],
      { ok: false, code: "501", reason: "上游查询超时" },
    ]);
    expect(call.attempts[1]!.ms).toBeLessThan(100);
    expect(took).toBeLessThan(400);
  });
});

it("logs an upstream refusing our key with its name and code only", async () => {
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  onTestFinished(() => error.mockRestore());
  mockUpstreams({
    [JUHE3]: () => juheError(10004, "错误的OPENID o"),
    [TENCENT]: () => tencentError("AuthFailure.SecretIdNotFound"),
  });
  await route(CHAIN, MOBILE, LIMITS);
  expect(error.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
    { level: "error", event: "upstream_key_rejected", upstream: "juhe3", code: "10004" },
    { level: "error", event: "upstream_key_rejected", upstream: "tencent", code: "AuthFailure.SecretIdNotFound" },
  ]);
});
