// openLogon (docs/contract.md §1, §2): sign → decryption by the account's cipher → fields → the
// one-307 policy. Logons are made as a caller makes them (test/support/logon-ciphers.ts).
import { describe, expect, it } from "vitest";
import { buildAccount } from "../../scripts/account/records.ts";
import type { Account } from "../../src/accounts/lookup.ts";
import { fromBase64, utf8 } from "../../src/crypto/bytes.ts";
import type { Cipher } from "../../src/crypto/cipher.ts";
import { logonKey } from "../../src/crypto/logon.ts";
import { openLogon } from "../../src/logon/open.ts";
import { FIXTURE_NOW, INVALID_ID_CARDS, VALID_IDENTITY, VALID_LOGON } from "../fixtures/identities.ts";
import { TEST_SECRET } from "../support/caller.ts";
import { encryptAs, signAs } from "../support/logon-ciphers.ts";

const NOW = FIXTURE_NOW.getTime();
const TOKEN = `vmt_${"a".repeat(32)}`;
const IV16 = "0123456789abcdef";
const IV12 = "0123456789ab";
const FIXED = { ok: false, code: "307", reason: "logon解密失败：请检查logonKey、iv与加密方式" };
const OPENED = { outcome: { ok: true, value: VALID_IDENTITY }, counted: false, key: "current" };

type Setup = { cipher?: Cipher; requireSign?: boolean; diagnostics?: boolean; keyLength?: 16 | 32 };

async function accountWith(setup: Setup, previous: { key: string; until: number } | null = null) {
  const cipher = setup.cipher ?? "aes-cbc";
  const { record, logonKey: key } = await buildAccount({
    settings: {
      name: "Test",
      cipher,
      requireSign: setup.requireSign ?? false,
      diagnostics: setup.diagnostics ?? false,
    },
    keyLength: setup.keyLength ?? 16,
    secret: TEST_SECRET,
    now: FIXTURE_NOW,
  });
  const account: Account = {
    record,
    logonKey: (await logonKey(key, cipher))!,
    previousLogonKey: previous && { key: (await logonKey(previous.key, cipher))!, until: previous.until },
    token: "current",
  };
  return { account, key, cipher };
}

type Made = Awaited<ReturnType<typeof accountWith>>;

/** A request as a caller sends it: logon encrypted, signed when asked. */
async function request(made: Made, payload: unknown, opts: { iv?: string; key?: string; requestId?: string } = {}) {
  const iv = opts.iv ?? (made.cipher === "aes-gcm" ? IV12 : IV16);
  const key = opts.key ?? made.key;
  const logonText = await encryptAs(made.cipher, key, iv, JSON.stringify(payload));
  const sign = made.account.record.requireSign
    ? await signAs(made.cipher, key, { token: TOKEN, iv, logon: logonText, requestId: opts.requestId })
    : null;
  return {
    token: TOKEN,
    iv: utf8.encode(iv),
    logon: fromBase64(logonText)!,
    logonText,
    requestId: opts.requestId ?? null,
    sign,
  };
}

describe("openLogon: the first-block oracle (issue 17 item 1)", () => {
  // The first block is `{"idCard":"` and five ID digits: XOR-ing the iv changes them at will.
  const DIGITS_AT = [11, 12, 13, 14, 15];
  const REPLACEMENTS = [...'"0123456789Xa '];

  it("answers every flip of an ID digit through the iv with the one counted 307", async () => {
    const made = await accountWith({});
    const captured = await request(made, VALID_LOGON);
    const plain = utf8.encode(JSON.stringify(VALID_LOGON));
    const answers = new Set<string>();
    let variants = 0;
    for (const at of DIGITS_AT) {
      for (const replacement of REPLACEMENTS) {
        const delta = plain[at]! ^ replacement.charCodeAt(0);
        if (delta === 0) continue;
        const iv = captured.iv.slice();
        iv[at] = iv[at]! ^ delta;
        answers.add(JSON.stringify(await openLogon(made.account, { ...captured, iv }, NOW)));
        variants++;
      }
    }
    expect(variants).toBe(DIGITS_AT.length * (REPLACEMENTS.length - 1));
    expect([...answers].map((a) => JSON.parse(a))).toEqual([{ outcome: FIXED, counted: true, key: null }]);
  });

  it.each([
    ["a field of the wrong shape", { ...VALID_LOGON, idCard: "not an id" }],
    ["an impossible ID", { ...VALID_LOGON, idCard: INVALID_ID_CARDS.badCheckDigit }],
    ["a missing field", { idCard: VALID_LOGON.idCard, userName: VALID_LOGON.userName }],
  ])("answers %s on a plain CBC account as a decryption failure", async (_label, payload) => {
    const made = await accountWith({});
    expect(await openLogon(made.account, await request(made, payload), NOW)).toEqual({
      outcome: FIXED,
      counted: true,
      key: null,
    });
  });

  it("does the same on an sm4-cbc account", async () => {
    const made = await accountWith({ cipher: "sm4-cbc" });
    const payload = { ...VALID_LOGON, idCard: INVALID_ID_CARDS.badCheckDigit };
    expect(await openLogon(made.account, await request(made, payload), NOW)).toEqual({
      outcome: FIXED,
      counted: true,
      key: null,
    });
  });
});

describe("openLogon: field detail where the logon cannot be altered unseen", () => {
  const badShape = { ...VALID_LOGON, idCard: "not an id" };
  const badId = { ...VALID_LOGON, idCard: INVALID_ID_CARDS.badCheckDigit };
  const setups: [string, Setup][] = [
    ["diagnostics on", { diagnostics: true }],
    ["aes-gcm", { cipher: "aes-gcm" }],
    ["aes-cbc with sign", { requireSign: true }],
    ["sm4-cbc with sign", { cipher: "sm4-cbc", requireSign: true }],
  ];

  it.each(setups)("%s: 306 naming the field, not counted", async (_label, setup) => {
    const made = await accountWith(setup);
    expect(await openLogon(made.account, await request(made, badShape), NOW)).toEqual({
      outcome: { ok: false, code: "306", param: "idCard" },
      counted: false,
      key: null,
    });
  });

  it.each(setups)("%s: 310 for an impossible ID, not counted", async (_label, setup) => {
    const made = await accountWith(setup);
    expect(await openLogon(made.account, await request(made, badId), NOW)).toEqual({
      outcome: { ok: false, code: "310", reason: "身份证校验位错误" },
      counted: false,
      key: null,
    });
  });
});

describe("openLogon: each cipher", () => {
  it.each<[Cipher, 16 | 32]>([
    ["aes-cbc", 16],
    ["aes-cbc", 32],
    ["aes-gcm", 16],
    ["aes-gcm", 32],
    ["sm4-cbc", 16],
  ])("%s with a %i-character key opens a caller's logon", async (cipher, keyLength) => {
    const made = await accountWith({ cipher, keyLength });
    expect(await openLogon(made.account, await request(made, VALID_LOGON), NOW)).toEqual(OPENED);
  });

  it("aes-gcm: one flipped ciphertext bit is the fixed 307, counted", async () => {
    const made = await accountWith({ cipher: "aes-gcm" });
    const sent = await request(made, VALID_LOGON);
    const logon = sent.logon.slice();
    logon[11] = logon[11]! ^ 1;
    expect(await openLogon(made.account, { ...sent, logon }, NOW)).toEqual({
      outcome: FIXED,
      counted: true,
      key: null,
    });
  });

  it("aes-gcm: a logon shorter than the tag is named by its shape", async () => {
    const made = await accountWith({ cipher: "aes-gcm" });
    const sent = await request(made, VALID_LOGON);
    expect(await openLogon(made.account, { ...sent, logon: sent.logon.slice(0, 15) }, NOW)).toEqual({
      outcome: { ok: false, code: "307", reason: "logon解码后不足16字节：AES-GCM密文须以16字节认证标签结尾" },
      counted: true,
      key: null,
    });
  });

  it.each<[Cipher, string]>([
    ["aes-gcm", IV16],
    ["aes-cbc", IV12],
    ["sm4-cbc", IV12],
  ])("%s: an iv of the other cipher's length is 306 naming iv", async (cipher, iv) => {
    const made = await accountWith({ cipher });
    const sent = await request(made, VALID_LOGON);
    expect(await openLogon(made.account, { ...sent, iv: utf8.encode(iv) }, NOW)).toEqual({
      outcome: { ok: false, code: "306", param: "iv" },
      counted: false,
      key: null,
    });
  });
});

describe("openLogon: the sign", () => {
  it.each<Cipher>(["aes-cbc", "sm4-cbc", "aes-gcm"])("%s: a correct sign over the requestId opens", async (cipher) => {
    const made = await accountWith({ cipher, requireSign: true });
    expect(await openLogon(made.account, await request(made, VALID_LOGON, { requestId: "order-1" }), NOW)).toEqual(
      OPENED,
    );
  });

  it("missing: 306 naming sign, not counted", async () => {
    const made = await accountWith({ requireSign: true });
    const sent = await request(made, VALID_LOGON);
    expect(await openLogon(made.account, { ...sent, sign: null }, NOW)).toEqual({
      outcome: { ok: false, code: "306", param: "sign", reason: "缺少参数" },
      counted: false,
      key: null,
    });
  });

  it.each(["abc", "g".repeat(64), "0".repeat(63), "0".repeat(65)])("malformed %s: 306 naming sign", async (sign) => {
    const made = await accountWith({ requireSign: true });
    const sent = await request(made, VALID_LOGON);
    expect(await openLogon(made.account, { ...sent, sign }, NOW)).toEqual({
      outcome: { ok: false, code: "306", param: "sign" },
      counted: false,
      key: null,
    });
  });

  it.each<[string, (sent: Awaited<ReturnType<typeof request>>) => object]>([
    ["another requestId", () => ({ requestId: "other" })],
    ["another token", () => ({ token: `vmt_${"b".repeat(32)}` })],
    ["a flipped iv byte", (sent) => ({ iv: Uint8Array.from(sent.iv, (b, i) => (i === 12 ? b ^ 1 : b)) })],
    [
      "a sign off by one digit",
      (sent) => ({ sign: `${sent.sign!.slice(0, -1)}${sent.sign!.endsWith("0") ? "1" : "0"}` }),
    ],
  ])("over %s: the fixed 307, counted", async (_label, change) => {
    const made = await accountWith({ requireSign: true });
    const sent = await request(made, VALID_LOGON);
    expect(await openLogon(made.account, { ...sent, ...change(sent) }, NOW)).toEqual({
      outcome: FIXED,
      counted: true,
      key: null,
    });
  });

  it("is not asked of an account that does not require it", async () => {
    const made = await accountWith({});
    const sent = await request(made, VALID_LOGON);
    expect(await openLogon(made.account, { ...sent, sign: "0".repeat(64) }, NOW)).toEqual(OPENED);
  });
});

describe("openLogon: a rotated key's grace (docs/contract.md §9)", () => {
  const OLD_KEY = "oldoldoldoldold1";

  it("opens a logon under the previous key until the grace ends, and says so", async () => {
    const made = await accountWith({}, { key: OLD_KEY, until: NOW + 1000 });
    expect(await openLogon(made.account, await request(made, VALID_LOGON, { key: OLD_KEY }), NOW)).toEqual({
      ...OPENED,
      key: "previous",
    });
  });

  it("refuses it with the fixed 307 once the grace is over", async () => {
    const made = await accountWith({}, { key: OLD_KEY, until: NOW });
    expect(await openLogon(made.account, await request(made, VALID_LOGON, { key: OLD_KEY }), NOW)).toEqual({
      outcome: FIXED,
      counted: true,
      key: null,
    });
  });

  it("keeps the current key working during the grace", async () => {
    const made = await accountWith({}, { key: OLD_KEY, until: NOW + 1000 });
    expect(await openLogon(made.account, await request(made, VALID_LOGON), NOW)).toEqual(OPENED);
  });

  it("keeps the one 307 for content refusals under either key", async () => {
    const made = await accountWith({}, { key: OLD_KEY, until: NOW + 1000 });
    const payload = { ...VALID_LOGON, idCard: INVALID_ID_CARDS.badCheckDigit };
    for (const key of [made.key, OLD_KEY]) {
      expect(await openLogon(made.account, await request(made, payload, { key }), NOW)).toEqual({
        outcome: FIXED,
        counted: true,
        key: null,
      });
    }
  });

  it("checks the sign under the previous key too", async () => {
    const made = await accountWith({ requireSign: true }, { key: OLD_KEY, until: NOW + 1000 });
    expect(await openLogon(made.account, await request(made, VALID_LOGON, { key: OLD_KEY }), NOW)).toEqual({
      ...OPENED,
      key: "previous",
    });
  });
});
