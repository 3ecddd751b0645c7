// Issue 17 items 1 and 6 through the Worker (docs/contract.md §1, §2, §4): the first-block oracle
// replayed on a captured request, the authenticated modes, the 国密 cipher, the IP allowlist.
import { beforeEach, describe, expect, it } from "vitest";
import { fromBase64, toBase64, utf8 } from "../../src/crypto/bytes.ts";
import type { Cipher } from "../../src/crypto/cipher.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { callerBody, createAccount, freshIsolate, send, sendForm, verify } from "../support/caller.ts";

const [zhang] = SANDBOX_PEOPLE;
const identity = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
const FIXED = "logon解密失败：请检查logonKey、iv与加密方式";
const TOO_MANY = "解密失败次数过多，请一分钟后再试";
const BUDGET = 20;
const refused = (code: Envelope["errorCode"], errorDetail: string, errorReason: string): Envelope => ({
  errorCode: code,
  errorDetail,
  errorReason,
  info: null,
  returnCode: "0",
  returnDesc: null,
});
const decryptionFailed = (reason = FIXED) => refused("307", "请求验签失败", reason);

beforeEach(freshIsolate);

/** The captured body with the iv's byte `at` XOR-ed so the plaintext's byte there becomes `to`. */
function flipped(body: Record<string, string>, plain: string, at: number, to: string): Record<string, string> {
  const iv = utf8.encode(body.iv!);
  iv[at] = iv[at]! ^ plain.charCodeAt(at) ^ to.charCodeAt(0);
  return { ...body, iv: String.fromCharCode(...iv) };
}

describe("the first-block oracle (issue 17 item 1)", () => {
  // `{"idCard":"` fills the first 11 bytes; bytes 11–15 are the ID's first five digits.
  const variants = (plain: string) =>
    [11, 12, 13, 14, 15].flatMap((at) =>
      [...'"0123456789a'].filter((to) => to !== plain[at]).map((to) => [at, to] as const),
    );

  it("answers every digit flipped through the iv alike, each counted by the failure budget", async () => {
    const account = await createAccount();
    const captured = await callerBody(account, identity);
    const plain = JSON.stringify(identity);
    expect((await sendForm(captured)).envelope.errorCode).toBe("200");

    const answers: Envelope[] = [];
    for (const [at, to] of variants(plain)) answers.push((await sendForm(flipped(captured, plain, at, to))).envelope);
    // Each variant is one counted failure: the budget's answer begins after exactly BUDGET of them.
    expect(answers.slice(0, BUDGET)).toEqual(Array(BUDGET).fill(decryptionFailed()));
    expect(answers.slice(BUDGET)).toEqual(Array(answers.length - BUDGET).fill(decryptionFailed(TOO_MANY)));
  }, 60_000);

  it.each<[string, { cipher?: Cipher; requireSign?: boolean }]>([
    ["aes-gcm", { cipher: "aes-gcm" }],
    ["aes-cbc with sign", { requireSign: true }],
    ["sm4-cbc with sign", { cipher: "sm4-cbc", requireSign: true }],
  ])("%s: a flipped iv is the fixed 307, so no digit can be rewritten", async (_label, settings) => {
    const account = await createAccount(settings);
    const captured = await callerBody(account, identity);
    expect((await sendForm(flipped(captured, JSON.stringify(identity), 11, "2"))).envelope).toEqual(decryptionFailed());
  });

  it("aes-gcm: a flipped ciphertext byte is the fixed 307", async () => {
    const account = await createAccount({ cipher: "aes-gcm" });
    const captured = await callerBody(account, identity);
    const logon = fromBase64(captured.logon!)!;
    logon[0] = logon[0]! ^ 1;
    expect((await sendForm({ ...captured, logon: toBase64(logon) })).envelope).toEqual(decryptionFailed());
  });
});

describe("the account's cipher and sign (issue 17 items 1 and 6)", () => {
  it.each<[string, { cipher?: Cipher; requireSign?: boolean }, 16 | 32]>([
    ["aes-gcm (AES-128)", { cipher: "aes-gcm" }, 16],
    ["aes-gcm (AES-256)", { cipher: "aes-gcm" }, 32],
    ["sm4-cbc", { cipher: "sm4-cbc" }, 16],
    ["aes-cbc with sign", { requireSign: true }, 16],
    ["sm4-cbc with sign", { cipher: "sm4-cbc", requireSign: true }, 16],
  ])("%s: a caller's request is answered 200", async (_label, settings, keyLength) => {
    const account = await createAccount(settings, keyLength);
    expect((await verify(account, identity)).envelope.errorCode).toBe("200");
  });

  it("a require-sign account refuses a request without sign: 306 naming sign", async () => {
    const account = await createAccount({ requireSign: true });
    const { sign: _dropped, ...unsigned } = await callerBody(account, identity);
    expect((await sendForm(unsigned)).envelope).toEqual(refused("306", "请求参数sign为空或格式错误", "缺少参数"));
  });

  it("a require-sign account refuses a sign over another requestId: the fixed 307", async () => {
    const account = await createAccount({ requireSign: true });
    const body = await callerBody(account, identity, undefined, "order-1");
    expect((await sendForm({ ...body, requestId: "order-2" })).envelope).toEqual(decryptionFailed());
  });

  it("a wrong sign counts toward the failure budget: the 21st is the budget's 307", async () => {
    const account = await createAccount({ requireSign: true });
    const body = await callerBody(account, identity);
    const forged = { ...body, sign: "0".repeat(64) };
    const answers: Envelope[] = [];
    for (let i = 0; i <= BUDGET; i++) answers.push((await sendForm(forged)).envelope);
    expect(answers).toEqual([...Array(BUDGET).fill(decryptionFailed()), decryptionFailed(TOO_MANY)]);
  });

  it("a sm4-cbc account refuses a logon encrypted with AES: the fixed 307", async () => {
    const account = await createAccount({ cipher: "sm4-cbc" });
    const aes = await callerBody({ ...account, record: { ...account.record, cipher: "aes-cbc" } }, identity);
    expect((await sendForm(aes)).envelope).toEqual(decryptionFailed());
  });

  it("a aes-gcm account refuses a 16-character iv: 306 naming iv", async () => {
    const account = await createAccount({ cipher: "aes-gcm" });
    expect((await verify(account, identity, "0123456789abcdef")).envelope).toEqual(
      refused("306", "请求参数iv为空或格式错误", "iv须为16个字符（aes-gcm账户为12个字符）"),
    );
  });
});

describe("the IP allowlist (issue 21 item 3)", () => {
  const allowIps = ["203.0.113.0/24", "2001:db8::/32"];
  const from = async (ip: string | null, settings = { allowIps }) => {
    const account = await createAccount(settings);
    const body = new URLSearchParams(await callerBody(account, identity)).toString();
    const headers = ip === null ? undefined : { "CF-Connecting-IP": ip };
    return (await send(body, "application/x-www-form-urlencoded", { headers })).envelope;
  };
  const outside = refused(
    "305",
    "请求没有此接口访问权限",
    "请求来源IP不在本账户允许的范围内：请从已登记的服务器调用，或联系运营方",
  );

  it.each(["203.0.113.77", "2001:db8:1::5"])("answers a caller at %s inside it", async (ip) => {
    expect((await from(ip)).errorCode).toBe("200");
  });

  it.each(["198.51.100.7", "2001:db9::1", "203.0.114.1"])("refuses a caller at %s with 305", async (ip) => {
    expect(await from(ip)).toEqual(outside);
  });

  it("refuses a request without CF-Connecting-IP when the account has a list", async () => {
    expect(await from(null)).toEqual(outside);
  });

  it("is off by default: any address is answered", async () => {
    expect((await from("198.51.100.7", { allowIps: null as unknown as string[] })).errorCode).toBe("200");
  });
});
