// The CBC padding oracle of issue 8, replayed through the Worker (docs/contract.md §2): with a
// captured token + iv + logon, an attacker flips the last byte of the second-to-last ciphertext
// block through every value. Each variant decrypts to a different last plaintext byte, so some
// have valid padding; none may be answered differently from the others.
import { beforeEach, describe, expect, it } from "vitest";
import { cbcDecryptBlocks, importAesCbcKey, paddingLength } from "../../src/crypto/aes.ts";
import { fromBase64, toBase64, utf8 } from "../../src/crypto/bytes.ts";
import { DECRYPT_FAILED_REASON, TOO_MANY_FAILURES_REASON } from "../../src/crypto/logon.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { logonOf, ZHANG } from "../fixtures/sandbox-people.ts";
import { createAccount, encryptLogon, freshIsolate, IV, sendForm, verify } from "../support/caller.ts";

const identity = logonOf(ZHANG);
const refused = (reason: string): Envelope => ({
  errorCode: "307",
  errorDetail: "请求验签失败",
  errorReason: reason,
  info: null,
  returnCode: "0",
  returnDesc: null,
});

/** Failures a token may have before the budget answers without decrypting (docs/contract.md §2). */
const BUDGET = 20;

beforeEach(freshIsolate);

describe("the padding oracle attack", () => {
  it("gets one answer for all 255 tampered variants of a captured logon", async () => {
    const account = await createAccount();
    expect(account.record.diagnostics).toBe(false);
    const captured = await encryptLogon(account.logonKey, identity);
    expect((await verify(account, identity)).envelope.errorCode).toBe("200");

    const ciphertext = fromBase64(captured)!;
    const at = ciphertext.length - 17; // the last byte of the second-to-last block
    const key = await importAesCbcKey(utf8.encode(account.logonKey));
    const reasons: string[] = [];
    let validPadding = 0;
    for (let value = 0; value < 256; value++) {
      if (value === ciphertext[at]) continue;
      const tampered = ciphertext.slice();
      tampered[at] = value;
      if (paddingLength(await cbcDecryptBlocks(key, utf8.encode(IV), tampered)) > 0) validPadding++;
      const { envelope } = await sendForm({ token: account.token, iv: IV, logon: toBase64(tampered) });
      expect(envelope).toEqual(refused(envelope.errorReason ?? ""));
      reasons.push(envelope.errorReason ?? "");
    }

    // The attack is real: at least one variant (last plaintext byte 0x01) has valid padding.
    expect(validPadding).toBeGreaterThan(0);
    expect(reasons).toHaveLength(255);
    // One fixed reason, possibly switching once, for good, to the failure budget's fixed reason.
    const switched = reasons.indexOf(TOO_MANY_FAILURES_REASON);
    const before = switched === -1 ? reasons : reasons.slice(0, switched);
    const after = switched === -1 ? [] : reasons.slice(switched);
    expect(new Set(before)).toEqual(new Set([DECRYPT_FAILED_REASON]));
    expect(before.length).toBeGreaterThanOrEqual(BUDGET);
    expect(after.every((reason) => reason === TOO_MANY_FAILURES_REASON)).toBe(true);
  }, 60_000);
});

describe("diagnostics through the Worker", () => {
  const wrongIv = "ZYXWVUTSRQPONMLK";

  it("are off by default: a wrong iv gets the fixed reason", async () => {
    const account = await createAccount();
    const logon = await encryptLogon(account.logonKey, identity, wrongIv);
    expect((await sendForm({ token: account.token, iv: IV, logon })).envelope).toEqual(refused(DECRYPT_FAILED_REASON));
  });

  it("name a wrong iv for an account that opted in", async () => {
    const account = await createAccount({ diagnostics: true });
    const logon = await encryptLogon(account.logonKey, identity, wrongIv);
    expect((await sendForm({ token: account.token, iv: IV, logon })).envelope).toEqual(
      refused("解密结果开头乱码：请检查iv是否与加密时一致"),
    );
  });

  it("name a 16-character key used as AES-256 for an account that opted in", async () => {
    const account = await createAccount({ diagnostics: true });
    const logon = await encryptLogon(account.logonKey + "\0".repeat(16), identity); // PHP's openssl zero-pads the key
    expect((await sendForm({ token: account.token, iv: IV, logon })).envelope).toEqual(
      refused("加密密钥长度错误：应使用16字节的密钥（AES-128）"),
    );
  });
});
