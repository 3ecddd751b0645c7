// The caller's client (client/) against the running Worker: results, the request it sends, errors
// by family (retries: retries.test.ts).
import { beforeEach, describe, expect, it } from "vitest";
import { createClient, type FetchLike, type Identity, VerifyMobileError } from "../../client/index.ts";
import { ERROR_CODES } from "../../src/wire/codes.ts";
import { createAccount, freshIsolate } from "../support/caller.ts";
import {
  BASE_URL,
  clientFor,
  decryptSent,
  failure,
  LI,
  onceFor,
  phone,
  recording,
  toWorker,
  ZHANG,
  zhang,
} from "./helpers.ts";

beforeEach(freshIsolate);

describe("results", () => {
  it("returns consistent with match code 11, billed, for a registered identity", async () => {
    const wire = recording();
    const result = await clientFor(await createAccount(), { fetch: wire.fetch }).verify(ZHANG);
    expect(result).toEqual({
      result: "consistent",
      matchCode: "11",
      carrier: "CMCC",
      orderNo: wire.orderNos[0],
      billable: true,
      duplicate: false,
      requestId: wire.sent[0]!.get("requestId"),
      attempts: 1,
    });
  });

  it("types the carrier the service reports (a China Unicom number)", async () => {
    const result = await clientFor(await createAccount()).verify({
      idCard: "320102198805061230",
      userName: "钱七",
      loginphone: "18600186000",
    });
    expect(result.carrier).toBe("CUCC");
  });

  it("returns inconsistent with match code 21 when the name is wrong", async () => {
    const result = await clientFor(await createAccount()).verify({ ...ZHANG, userName: "王二" });
    expect([result.result, result.matchCode, result.billable]).toEqual(["inconsistent", "21", true]);
  });

  it("returns unknown with no match code when the carrier cannot tell", async () => {
    const result = await clientFor(await createAccount()).verify(phone("13800138003"));
    expect([result.result, result.matchCode]).toEqual(["unknown", null]);
  });

  it("encrypts with AES-256 for a 32-character logonKey", async () => {
    const result = await clientFor(await createAccount({}, 32)).verify(LI);
    expect(result.result).toBe("consistent");
  });

  it("encrypts with AES-GCM for an aes-gcm account", async () => {
    const result = await clientFor(await createAccount({ cipher: "aes-gcm" }), { cipher: "aes-gcm" }).verify(ZHANG);
    expect(result.result).toBe("consistent");
  });

  it("encrypts with SM4 and signs with HMAC-SM3 for an sm4-cbc account that requires the sign", async () => {
    const account = await createAccount({ cipher: "sm4-cbc", requireSign: true });
    const result = await clientFor(account, { cipher: "sm4-cbc", sign: true }).verify(ZHANG);
    expect(result.result).toBe("consistent");
  });

  it("returns a replay as duplicate and not billed (replay policy)", async () => {
    const wire = recording();
    const client = clientFor(await createAccount({ duplicatePolicy: "replay" }), { fetch: wire.fetch });
    await client.verify(ZHANG);
    const again = await client.verify(ZHANG);
    expect(again).toEqual({
      result: "consistent",
      matchCode: "11",
      carrier: "CMCC",
      orderNo: wire.orderNos[1],
      billable: false,
      duplicate: true,
      requestId: wire.sent[1]!.get("requestId"),
      attempts: 1,
    });
  });
});

describe("the request it sends", () => {
  it("POSTs a form of token, iv, logon and requestId to /api/personalInfo/verifyMobile", async () => {
    const account = await createAccount();
    const requests: Request[] = [];
    await clientFor(account, {
      baseUrl: `${BASE_URL}/`,
      fetch: (url, init) => {
        requests.push(new Request(url, init));
        return toWorker(url, init);
      },
    }).verify(ZHANG);
    const [request] = requests;
    const fields = await request!.formData();
    expect([request!.method, request!.url, request!.headers.get("Content-Type")]).toEqual([
      "POST",
      "http://gateway.test/api/personalInfo/verifyMobile",
      "application/x-www-form-urlencoded",
    ]);
    expect([...fields.keys()]).toEqual(["token", "iv", "logon", "requestId"]);
  });

  it("generates a new random requestId (a UUID) for every call", async () => {
    const wire = recording();
    const client = clientFor(await createAccount(), { fetch: wire.fetch });
    await client.verify(ZHANG);
    await client.verify(LI);
    const [a, b] = wire.sent.map((f) => f.get("requestId")!);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it("sends the caller's own requestId and returns it", async () => {
    const wire = recording();
    const result = await clientFor(await createAccount(), { fetch: wire.fetch }).verify(ZHANG, {
      requestId: "order-42",
    });
    expect([wire.sent[0]!.get("requestId"), result.requestId]).toEqual(["order-42", "order-42"]);
  });

  it("refuses a requestId the service would refuse, before sending", async () => {
    const wire = recording();
    const client = clientFor(await createAccount(), { fetch: wire.fetch });
    await expect(client.verify(ZHANG, { requestId: "x".repeat(65) })).rejects.toThrow(
      new TypeError("requestId must be 1–64 printable ASCII characters"),
    );
    expect(wire.sent.length).toBe(0);
  });

  it("encrypts exactly the three fields as JSON under the logonKey and the sent iv", async () => {
    const account = await createAccount();
    const wire = recording();
    await clientFor(account, { fetch: wire.fetch }).verify({ ...ZHANG, extra: "dropped" } as Identity);
    expect(await decryptSent(account, wire.sent[0]!)).toEqual({
      idCard: zhang.idCard,
      userName: "张三",
      loginphone: zhang.phone,
    });
  });

  it("sends a fresh 16-character alphanumeric iv with every request", async () => {
    const wire = recording();
    const client = clientFor(await createAccount(), { fetch: wire.fetch });
    await client.verify(ZHANG);
    await client.verify(LI);
    const [a, b] = wire.sent.map((f) => f.get("iv")!);
    expect([a, b]).toEqual([expect.stringMatching(/^[A-Za-z0-9]{16}$/), expect.stringMatching(/^[A-Za-z0-9]{16}$/)]);
    expect(a).not.toBe(b);
  });

  it("refuses a logonKey that is neither 16 nor 32 bytes when created", () => {
    expect(() => createClient({ baseUrl: BASE_URL, token: "vmt_x", logonKey: "short" })).toThrow(
      new TypeError("logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got 5"),
    );
  });
});

describe("errors by family", () => {
  it("token: 105 for an unknown token", async () => {
    const account = await createAccount();
    const wire = recording();
    const error = await failure(
      onceFor({ ...account, token: `vmt_${"x".repeat(32)}` }, { fetch: wire.fetch }).verify(ZHANG),
    );
    expect(error).toEqual({
      family: "token",
      code: "105",
      detail: "无效token",
      reason: ERROR_CODES["105"].reason,
      orderNo: wire.orderNos[0],
      attempts: 1,
    });
  });

  it("request: 306 names the malformed field", async () => {
    // Field-level detail on a plain CBC account is for accounts with diagnostics (docs/contract.md §2).
    const error = await failure(
      onceFor(await createAccount({ diagnostics: true })).verify({ ...ZHANG, userName: "Z" }),
    );
    expect([error.family, error.code, error.detail]).toEqual(["request", "306", "请求参数userName为空或格式错误"]);
  });

  it("request: 307 with another account's logonKey, and the reason", async () => {
    const account = await createAccount();
    const other = await createAccount();
    const error = await failure(onceFor({ ...account, logonKey: other.logonKey }).verify(ZHANG));
    expect([error.family, error.code, error.detail, error.reason]).toEqual([
      "request",
      "307",
      "请求验签失败",
      "logon解密失败：请检查logonKey、iv与加密方式",
    ]);
  });

  it("request: 308 when the carrier has no record", async () => {
    const error = await failure(onceFor(await createAccount()).verify(phone("13900227303")));
    expect([error.family, error.code, error.detail]).toEqual(["request", "308", "请求没有查询到结果"]);
  });

  it("request: 309 for the same identity again within the window", async () => {
    const client = onceFor(await createAccount());
    await client.verify(ZHANG);
    const error = await failure(client.verify(ZHANG));
    expect([error.family, error.code, error.detail]).toEqual(["request", "309", "请求重复的请求"]);
  });

  it.each([
    ["501", "查询超时", "13900000408"],
    ["502", "请求失败", "13900000500"],
    ["503", "接口未响应", "13900010020"],
    ["504", "外部数据源异常", "13900227301"],
  ])("upstream: %s %s", async (code, detail, loginphone) => {
    const error = await failure(onceFor(await createAccount()).verify(phone(loginphone)));
    expect([error.family, error.code, error.detail]).toEqual(["upstream", code, detail]);
  });

  it("server: 500 when the upstream refuses the service's own key (juhe 10001)", async () => {
    const error = await failure(onceFor(await createAccount()).verify(phone("13900010001")));
    expect([error.family, error.code, error.detail]).toEqual(["server", "500", "系统错误，服务器异常"]);
  });

  it("transport: network when fetch throws", async () => {
    const error = await failure(
      onceFor(await createAccount(), { fetch: () => Promise.reject(new TypeError("connection refused")) }).verify(
        ZHANG,
      ),
    );
    expect(error).toEqual({
      family: "transport",
      code: "network",
      detail: "the request failed before an answer arrived",
      reason: "connection refused",
      orderNo: null,
      attempts: 1,
    });
  });

  it("transport: timeout when no answer arrives within timeoutMs", async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    const error = await failure(onceFor(await createAccount(), { fetch: hang, timeoutMs: 50 }).verify(ZHANG));
    expect(error).toEqual({
      family: "transport",
      code: "timeout",
      detail: "no answer within 50 ms",
      reason: null,
      orderNo: null,
      attempts: 1,
    });
  });

  it("transport: bad-response when the answer is not JSON", async () => {
    const html: FetchLike = async () => new Response("<html>502 Bad Gateway</html>", { status: 502 });
    const error = await failure(onceFor(await createAccount(), { fetch: html }).verify(ZHANG));
    expect(error).toEqual({
      family: "transport",
      code: "bad-response",
      detail: "HTTP 502: the answer is not JSON",
      reason: null,
      orderNo: null,
      attempts: 1,
    });
  });

  it("throws a VerifyMobileError whose message carries code, detail and reason", async () => {
    const account = await createAccount();
    const other = await createAccount();
    const error = await onceFor({ ...account, logonKey: other.logonKey })
      .verify(ZHANG)
      .catch((e: unknown) => e);
    expect([error instanceof VerifyMobileError, (error as Error).name, (error as Error).message]).toEqual([
      true,
      "VerifyMobileError",
      "307 请求验签失败 (logon解密失败：请检查logonKey、iv与加密方式)",
    ]);
  });
});
