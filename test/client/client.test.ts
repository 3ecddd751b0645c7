// The caller's client (client/) against the running Worker: its fetch option routes every request
// into the Worker's own fetch handler, with real accounts in KV and the built-in sandbox upstream.
import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type ClientOptions,
  createClient,
  type FetchLike,
  type Identity,
  VerifyMobileError,
} from "../../client/index.ts";
import { cbcDecrypt, importAesCbcKey } from "../../src/crypto/aes.ts";
import { fromBase64, fromUtf8, utf8 } from "../../src/crypto/bytes.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { ERROR_CODES } from "../../src/wire/codes.ts";
import { createAccount, freshIsolate, type TestAccount } from "../support/caller.ts";

const BASE_URL = "http://gateway.test";
const [zhang, li] = SANDBOX_PEOPLE;
const ZHANG: Identity = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
const LI: Identity = { idCard: li.idCard, userName: li.name, loginphone: li.phone };
const phone = (loginphone: string): Identity => ({ ...ZHANG, loginphone });

const toWorker: FetchLike = (url, init) => exports.default.fetch(new Request(url, init));

/** A fetch that records each request's form fields and each answer's X-Order-No. */
function recording(inner: FetchLike = toWorker) {
  const sent: URLSearchParams[] = [];
  const orderNos: (string | null)[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push(new URLSearchParams(String(init.body)));
    const response = await inner(url, init);
    orderNos.push(response.headers.get("X-Order-No"));
    return response;
  };
  return { fetch, sent, orderNos };
}

const clientFor = (account: TestAccount, options: Partial<ClientOptions> = {}) =>
  createClient({ baseUrl: BASE_URL, token: account.token, logonKey: account.logonKey, fetch: toWorker, ...options });

/** The error a verify() ended with, as plain fields. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof VerifyMobileError)) throw error;
    const { family, code, detail, reason, orderNo } = error;
    return { family, code, detail, reason, orderNo };
  }
  throw new Error("verify() resolved");
}

const envelope503 = () =>
  new Response(
    JSON.stringify({
      errorCode: "503",
      errorDetail: "接口未响应",
      errorReason: null,
      info: null,
      returnCode: "0",
      returnDesc: null,
    }),
    {
      headers: { "Content-Type": "application/json; charset=utf-8", "X-Order-No": "VM20261126000000000aaaaaaaaaaaa" },
    },
  );

async function decryptSent(account: TestAccount, fields: URLSearchParams): Promise<unknown> {
  const key = await importAesCbcKey(utf8.encode(account.logonKey));
  const plain = await cbcDecrypt(key, utf8.encode(fields.get("iv")!), fromBase64(fields.get("logon")!)!);
  return JSON.parse(fromUtf8.decode(plain!));
}

beforeEach(freshIsolate);

describe("results", () => {
  it("returns consistent with match code 11, billed, for a registered identity", async () => {
    const wire = recording();
    const result = await clientFor(await createAccount(), { fetch: wire.fetch }).verify(ZHANG);
    expect(result).toEqual({
      result: "consistent",
      matchCode: "11",
      orderNo: wire.orderNos[0],
      billable: true,
      duplicate: false,
    });
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

  it("returns a replay as duplicate and not billed (replay policy)", async () => {
    const wire = recording();
    const client = clientFor(await createAccount({ duplicatePolicy: "replay" }), { fetch: wire.fetch });
    await client.verify(ZHANG);
    const again = await client.verify(ZHANG);
    expect(again).toEqual({
      result: "consistent",
      matchCode: "11",
      orderNo: wire.orderNos[1],
      billable: false,
      duplicate: true,
    });
  });
});

describe("the request it sends", () => {
  it("POSTs a form of token, iv and logon to /api/personalInfo/verifyMobile", async () => {
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
    expect([...fields.keys()]).toEqual(["token", "iv", "logon"]);
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
      clientFor({ ...account, token: `vmt_${"x".repeat(32)}` }, { fetch: wire.fetch }).verify(ZHANG),
    );
    expect(error).toEqual({
      family: "token",
      code: "105",
      detail: "无效token",
      reason: ERROR_CODES["105"].reason,
      orderNo: wire.orderNos[0],
    });
  });

  it("request: 306 names the malformed field", async () => {
    // Diagnostics on: a plain CBC account answers a bad field with the one 307 (docs/contract.md §2).
    const error = await failure(
      clientFor(await createAccount({ diagnostics: true })).verify({ ...ZHANG, userName: "Z" }),
    );
    expect([error.family, error.code, error.detail]).toEqual(["request", "306", "请求参数userName为空或格式错误"]);
  });

  it("request: 307 with another account's logonKey, and the reason", async () => {
    const account = await createAccount();
    const other = await createAccount();
    const error = await failure(clientFor({ ...account, logonKey: other.logonKey }).verify(ZHANG));
    expect([error.family, error.code, error.detail, error.reason]).toEqual([
      "request",
      "307",
      "请求验签失败",
      "logon解密失败：请检查logonKey、iv与加密方式",
    ]);
  });

  it("request: 308 when the carrier has no record", async () => {
    const error = await failure(clientFor(await createAccount()).verify(phone("13900227303")));
    expect([error.family, error.code, error.detail]).toEqual(["request", "308", "请求没有查询到结果"]);
  });

  it("request: 309 for the same identity again within the window", async () => {
    const client = clientFor(await createAccount());
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
    const error = await failure(clientFor(await createAccount()).verify(phone(loginphone)));
    expect([error.family, error.code, error.detail]).toEqual(["upstream", code, detail]);
  });

  it("server: 500 when the upstream refuses the service's own key (juhe 10001)", async () => {
    const error = await failure(clientFor(await createAccount()).verify(phone("13900010001")));
    expect([error.family, error.code, error.detail]).toEqual(["server", "500", "系统错误，服务器异常"]);
  });

  it("transport: network when fetch throws", async () => {
    const error = await failure(
      clientFor(await createAccount(), { fetch: () => Promise.reject(new TypeError("connection refused")) }).verify(
        ZHANG,
      ),
    );
    expect(error).toEqual({
      family: "transport",
      code: "network",
      detail: "the request failed before an answer arrived",
      reason: "connection refused",
      orderNo: null,
    });
  });

  it("transport: timeout when no answer arrives within timeoutMs", async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    const error = await failure(clientFor(await createAccount(), { fetch: hang, timeoutMs: 50 }).verify(ZHANG));
    expect(error).toEqual({
      family: "transport",
      code: "timeout",
      detail: "no answer within 50 ms",
      reason: null,
      orderNo: null,
    });
  });

  it("transport: bad-response when the answer is not JSON", async () => {
    const html: FetchLike = async () => new Response("<html>502 Bad Gateway</html>", { status: 502 });
    const error = await failure(clientFor(await createAccount(), { fetch: html }).verify(ZHANG));
    expect(error).toEqual({
      family: "transport",
      code: "bad-response",
      detail: "HTTP 502: the answer is not JSON",
      reason: null,
      orderNo: null,
    });
  });

  it("throws a VerifyMobileError whose message carries code, detail and reason", async () => {
    const account = await createAccount();
    const other = await createAccount();
    const error = await clientFor({ ...account, logonKey: other.logonKey })
      .verify(ZHANG)
      .catch((e: unknown) => e);
    expect([error instanceof VerifyMobileError, (error as Error).name, (error as Error).message]).toEqual([
      true,
      "VerifyMobileError",
      "307 请求验签失败 (logon解密失败：请检查logonKey、iv与加密方式)",
    ]);
  });
});

describe("retries", () => {
  it("resends after a 503 envelope once, with the same identity under a new iv", async () => {
    const account = await createAccount();
    let calls = 0;
    const wire = recording((url, init) => (calls++ === 0 ? Promise.resolve(envelope503()) : toWorker(url, init)));
    const result = await clientFor(account, { fetch: wire.fetch, retries: 2 }).verify(ZHANG);
    const [first, second] = wire.sent;
    expect([wire.sent.length, result.result]).toEqual([2, "consistent"]);
    expect(first!.get("iv")).not.toBe(second!.get("iv"));
    expect([first!.get("token"), await decryptSent(account, first!)]).toEqual([
      second!.get("token"),
      await decryptSent(account, second!),
    ]);
  });

  it("gives up after `retries` resends and throws the last upstream error", async () => {
    const wire = recording();
    const error = await failure(
      clientFor(await createAccount(), { fetch: wire.fetch, retries: 2 }).verify(phone("13900010020")),
    );
    expect([wire.sent.length, error.code, error.orderNo]).toEqual([3, "503", wire.orderNos[2]]);
  });

  it("does not resend by default (retries 0)", async () => {
    const wire = recording();
    await failure(clientFor(await createAccount(), { fetch: wire.fetch }).verify(phone("13900010020")));
    expect(wire.sent.length).toBe(1);
  });

  it("never resends a 200 result", async () => {
    const wire = recording();
    await clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 }).verify(ZHANG);
    expect(wire.sent.length).toBe(1);
  });

  it("never resends a 309", async () => {
    const wire = recording();
    const client = clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 });
    await client.verify(ZHANG);
    await failure(client.verify(ZHANG));
    expect(wire.sent.length).toBe(2);
  });

  it("never resends a 500", async () => {
    const wire = recording();
    await failure(clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 }).verify(phone("13900010001")));
    expect(wire.sent.length).toBe(1);
  });

  it("never resends after fetch throws (the request may have been billed)", async () => {
    const wire = recording(() => Promise.reject(new TypeError("network connection lost")));
    await failure(clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 }).verify(ZHANG));
    expect(wire.sent.length).toBe(1);
  });

  it("never resends after a timeout (the request may have been billed)", async () => {
    const wire = recording(
      (_url, init) =>
        new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason))),
    );
    await failure(clientFor(await createAccount(), { fetch: wire.fetch, retries: 3, timeoutMs: 20 }).verify(ZHANG));
    expect(wire.sent.length).toBe(1);
  });
});
