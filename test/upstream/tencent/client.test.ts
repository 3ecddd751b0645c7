// The real Tencent client with fetch faked at the HTTP boundary: what goes on the wire (a signed
// JSON POST that verifies), and how every kind of answer reads.
import { describe, expect, it } from "vitest";
import type { Identity } from "../../../src/identity/identity.ts";
import { tencentQuery } from "../../../src/upstream/tencent/client.ts";
import { JSON_CONTENT_TYPE, tc3Authorization } from "../../../src/upstream/tencent/sign.ts";
import { never } from "../../support/juhe-mock.ts";
import { mockUpstreams, tencentError, tencentResult } from "../../support/upstream-mock.ts";

const BASE = "https://faceid.test";
const OPTIONS = { baseUrl: BASE, secretId: "AKIDtest0123456789", secretKey: "test-tencent-secret" };
const identity: Identity = { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" };

async function ask(answer: () => Response | Promise<Response>, timeoutMs = 5000) {
  const network = mockUpstreams({ [BASE]: answer });
  const call = await tencentQuery(OPTIONS)(identity, timeoutMs);
  return { call, network };
}

describe("the request", () => {
  it("POSTs the three elements as JSON to the base URL, nothing in the URL", async () => {
    const { network } = await ask(() => tencentResult("0", "移动"));
    const { request } = network.requests[0]!;
    expect([request.method, request.url, JSON.parse(request.body)]).toEqual([
      "POST",
      `${BASE}/`,
      { IdCard: identity.idCard, Name: identity.userName, Phone: identity.loginphone },
    ]);
  });

  it("sends Tencent's headers: action, version, timestamp, content type, TC3 authorization", async () => {
    const before = Math.floor(Date.now() / 1000); // whole seconds, as Tencent wants
    const { network } = await ask(() => tencentResult("0"));
    const headers = network.requests[0]!.request.headers;
    expect({
      action: headers.get("X-TC-Action"),
      version: headers.get("X-TC-Version"),
      region: headers.get("X-TC-Region"),
      contentType: headers.get("Content-Type"),
      timestamp: Number(headers.get("X-TC-Timestamp")) - before <= 1,
      authorization: headers.get("Authorization"),
    }).toEqual({
      action: "PhoneVerification",
      version: "2018-03-01",
      region: null,
      contentType: JSON_CONTENT_TYPE,
      timestamp: true,
      authorization: expect.stringMatching(
        /^TC3-HMAC-SHA256 Credential=AKIDtest0123456789\/\d{4}-\d{2}-\d{2}\/faceid\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
      ),
    });
  });

  it("signs exactly the body, host and timestamp it sends: the signature verifies", async () => {
    const { network } = await ask(() => tencentResult("0"));
    const { headers, body, url } = network.requests[0]!.request;
    const expected = await tc3Authorization({
      secretId: OPTIONS.secretId,
      secretKey: OPTIONS.secretKey,
      service: "faceid",
      host: new URL(url).host,
      payload: body,
      timestamp: Number(headers.get("X-TC-Timestamp")),
      contentType: headers.get("Content-Type")!,
    });
    expect(headers.get("Authorization")).toBe(expected);
  });

  it("signs a host with its port", async () => {
    const local = "http://127.0.0.1:8788";
    const network = mockUpstreams({ [local]: () => tencentResult("0") });
    await tencentQuery({ ...OPTIONS, baseUrl: local })(identity, 5000);
    const { headers, body } = network.requests[0]!.request;
    const expected = await tc3Authorization({
      ...OPTIONS,
      service: "faceid",
      host: "127.0.0.1:8788",
      payload: body,
      timestamp: Number(headers.get("X-TC-Timestamp")),
    });
    expect(headers.get("Authorization")).toBe(expected);
  });
});

describe("the answer", () => {
  it("0 → 10000 / 11 with Tencent's RequestId and Isp", async () => {
    const { call } = await ask(() => tencentResult("0", "联通", "c0ffee00-1111-2222-3333-444455556666"));
    expect(call).toEqual({
      outcome: {
        ok: true,
        value: {
          returnCode: "10000",
          matchCode: "11",
          upstreamOrderId: "c0ffee00-1111-2222-3333-444455556666",
          carrier: "CUCC",
        },
      },
      code: "0",
      failover: false,
      fault: false,
      latencyMs: expect.any(Number),
    });
  });

  it("-4 → 10001 / 24; a 详版 ResultDetail says which element", async () => {
    const { call } = await ask(() =>
      Response.json({ Response: { Result: "-4", ResultDetail: "PhoneIdCardMismatch", Isp: "电信", RequestId: "r" } }),
    );
    expect(call.outcome).toEqual({
      ok: true,
      value: { returnCode: "10001", matchCode: "22", upstreamOrderId: "r", carrier: "CTCC" },
    });
  });

  it("reads a numeric Result like its string", async () => {
    const { call } = await ask(() => Response.json({ Response: { Result: -9, RequestId: "r" } }));
    expect([call.outcome, call.code, call.failover]).toEqual([
      { ok: false, code: "308", reason: "运营商库中无此记录" },
      "-9",
      false,
    ]);
  });

  it.each([
    ["-6", "310", false],
    ["-7", "310", false],
    ["-8", "310", false],
    ["-9", "308", false],
    ["-11", "504", true],
    ["-12", "502", true],
    ["-13", "310", true],
  ])("Result %s → %s, failover %s", async (result, code, failover) => {
    const { call } = await ask(() => tencentResult(result, "移动"));
    expect([call.outcome.ok ? null : call.outcome.code, call.code, call.failover]).toEqual([code, result, failover]);
  });

  it.each([
    ["AuthFailure.SignatureFailure", "500"],
    ["UnauthorizedOperation.Nonactivated", "500"],
    ["RequestLimitExceeded", "502"],
    ["ResourceUnavailable", "503"],
    ["InternalError", "504"],
  ])("Error %s → %s, failover", async (errorCode, code) => {
    const { call } = await ask(() => tencentError(errorCode));
    expect([call.outcome.ok ? null : call.outcome.code, call.code, call.failover, call.fault]).toEqual([
      code,
      errorCode,
      true,
      true,
    ]);
  });

  it("never passes on Tencent's texts", async () => {
    const { call } = await ask(() =>
      Response.json({
        Response: { Error: { Code: "InvalidParameterValue", Message: "张三 110101199003071233" }, RequestId: "r" },
      }),
    );
    expect(call.outcome).toEqual({ ok: false, code: "502", reason: "上游参数错误" });
  });

  it("drops a RequestId that is not a plain token", async () => {
    const { call } = await ask(() => tencentResult("0", "", "r <script>"));
    expect(call.outcome).toMatchObject({ ok: true, value: { upstreamOrderId: null } });
  });

  it.each([
    ["no Response", { Result: "0" }],
    ["neither Result nor Error", { Response: { RequestId: "r" } }],
    ["an Error without a Code", { Response: { Error: { Message: "m" } } }],
    ["a Result of the wrong type", { Response: { Result: true } }],
    ["null", null],
  ])("%s → 502, failover", async (_, body) => {
    const { call } = await ask(() => Response.json(body));
    expect([call.outcome, call.code, call.failover, call.fault]).toEqual([
      { ok: false, code: "502", reason: "上游响应内容无效" },
      null,
      true,
      true,
    ]);
  });
});

describe("transport failures fail over", () => {
  it.each([
    ["HTTP 500", () => new Response("oops", { status: 500 }), "502", "上游HTTP状态异常"],
    ["not JSON", () => new Response("<html></html>"), "502", "上游响应格式错误"],
    [
      "a body over 64 KiB",
      () => new Response(`{"Response":{"Result":"0","Description":"${"x".repeat(70_000)}"}}`),
      "502",
      "上游响应过大",
    ],
    ["the network failing", () => Promise.reject(new TypeError("Network connection lost.")), "503", "上游服务无法连接"],
  ] as const)("%s → %s", async (_, answer, code, reason) => {
    const { call } = await ask(answer);
    expect([call.outcome, call.code, call.failover, call.fault]).toEqual([
      { ok: false, code, reason },
      null,
      true,
      true,
    ]);
  });

  it("no answer within the attempt's time → 501, even when fetch ignores its signal", async () => {
    const { call } = await ask(() => never(), 50);
    expect([call.outcome, call.failover]).toEqual([{ ok: false, code: "501", reason: "上游查询超时" }, true]);
    expect(call.latencyMs).toBeGreaterThanOrEqual(50);
  });
});
