// The 国密 primitives and the account ciphers (docs/contract.md §1, §2) against the standards'
// vectors and a second implementation: Node's OpenSSL (sm4-cbc, sm3, aes-128-gcm, HMAC).
/// <reference types="node" />
import { createCipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { sm3, sm4 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { toHex, utf8 } from "../../src/crypto/bytes.ts";
import { CIPHERS, type Cipher } from "../../src/crypto/cipher.ts";
import { logonKey } from "../../src/crypto/logon.ts";
import { deriveSignKey, signOf } from "../../src/crypto/sign.ts";
import { hmacSm3, sm4CbcDecryptBlocks, sm4CbcEncrypt } from "../../src/crypto/sm.ts";
import { openLogon } from "../../src/logon/open.ts";
import { FIXTURE_NOW, VALID_IDENTITY, VALID_LOGON } from "../fixtures/identities.ts";

const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));

describe("the standards' vectors", () => {
  it("SM4 (GB/T 32907-2016 example 1): key = plaintext 0123456789abcdeffedcba9876543210", () => {
    const block = hex("0123456789abcdeffedcba9876543210");
    expect(toHex(sm4.encrypt(block, block, { mode: "ecb", padding: "none", output: "array" }))).toBe(
      "681edf34d206965e86b3e94f536e4246",
    );
  });

  it("SM4-CBC decryption of that block under a zero iv gives the plaintext back", () => {
    const block = hex("0123456789abcdeffedcba9876543210");
    expect(toHex(sm4CbcDecryptBlocks(block, new Uint8Array(16), hex("681edf34d206965e86b3e94f536e4246")))).toBe(
      "0123456789abcdeffedcba9876543210",
    );
  });

  it('SM3 (GB/T 32905-2016 example 1): SM3("abc")', () => {
    expect(sm3("abc")).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  });

  it('Node agrees: SM4 and SM3("abc")', () => {
    const block = Buffer.from("0123456789abcdeffedcba9876543210", "hex");
    const ecb = createCipheriv("sm4-ecb", block, null).setAutoPadding(false);
    expect(Buffer.concat([ecb.update(block), ecb.final()]).toString("hex")).toBe("681edf34d206965e86b3e94f536e4246");
    expect(createHash("sm3").update("abc").digest("hex")).toBe(
      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    );
  });
});

describe("against Node's OpenSSL", () => {
  const samples = [0, 1, 15, 16, 17, 100, 255].map((n) => Uint8Array.from(randomBytes(n)));

  it.each(samples.map((s) => [s.length, s]))("SM4-CBC/PKCS#7 of %i bytes: the same ciphertext", (_n, data) => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const node = createCipheriv("sm4-cbc", key, iv);
    const expected = Buffer.concat([node.update(data), node.final()]).toString("hex");
    expect(toHex(sm4CbcEncrypt(key, iv, data))).toBe(expected);
  });

  it.each([0, 1, 63, 64, 65, 200])("HMAC-SM3 with a %i-byte key: the same MAC", (keyBytes) => {
    const key = randomBytes(keyBytes);
    const message = randomBytes(77);
    expect(toHex(hmacSm3(key, message))).toBe(createHmac("sm3", key).update(message).digest("hex"));
  });
});

// A caller with nothing but Node's crypto, following docs/contract.md §1–§2 to the letter.
function nodeCaller(cipher: Cipher, key: string, iv: string, token: string, requestId: string) {
  const keyBytes = Buffer.from(key, "utf8");
  const plaintext = JSON.stringify(VALID_LOGON);
  let logon: string;
  if (cipher === "aes-gcm") {
    const gcm = createCipheriv(`aes-${keyBytes.length * 8}-gcm` as "aes-128-gcm", keyBytes, Buffer.from(iv, "utf8"));
    const body = Buffer.concat([gcm.update(plaintext, "utf8"), gcm.final()]);
    logon = Buffer.concat([body, gcm.getAuthTag()]).toString("base64");
  } else {
    const name = cipher === "sm4-cbc" ? "sm4-cbc" : `aes-${keyBytes.length * 8}-cbc`;
    const cbc = createCipheriv(name, keyBytes, Buffer.from(iv, "utf8"));
    logon = Buffer.concat([cbc.update(plaintext, "utf8"), cbc.final()]).toString("base64");
  }
  const hash = cipher === "sm4-cbc" ? "sm3" : "sha256";
  const signKey = createHmac(hash, keyBytes).update("verifyMobile/sign/v1").digest();
  const sign = createHmac(hash, signKey).update(`${token}|${iv}|${logon}|${requestId}`, "utf8").digest("hex");
  return { logon, sign };
}

describe("a Node caller of every cipher, signed", () => {
  const token = `vmt_${"n".repeat(32)}`;
  const cases = CIPHERS.flatMap((cipher) => (cipher === "sm4-cbc" ? [16] : [16, 32]).map((n) => [cipher, n] as const));

  it.each(cases)("%s with a %i-character key: the Worker's code opens it and checks its sign", async (cipher, n) => {
    const key = "K".repeat(n / 2) + "k".repeat(n / 2);
    const iv = cipher === "aes-gcm" ? "nonce-twelve" : "iv-of-sixteen-ch";
    const { logon, sign } = nodeCaller(cipher, key, iv, token, "req-7");
    const opened = await openLogon(
      {
        record: { cipher, requireSign: true, diagnostics: false } as never,
        logonKey: (await logonKey(key, cipher))!,
        previousLogonKey: null,
        token: "current",
      },
      {
        token,
        iv: utf8.encode(iv),
        logon: Uint8Array.from(Buffer.from(logon, "base64")),
        logonText: logon,
        requestId: "req-7",
        sign,
      },
      FIXTURE_NOW.getTime(),
    );
    expect(opened).toEqual({ outcome: { ok: true, value: VALID_IDENTITY }, counted: false, key: "current" });
  });

  it("derives a sign key distinct from the encryption key", async () => {
    const raw = utf8.encode("0123456789abcdef");
    const signKey = await deriveSignKey("sm4-cbc", raw);
    expect(signKey.hash === "SM3" && toHex(signKey.key)).not.toBe(toHex(raw));
    const mac = await signOf(signKey, { token: "t", iv: utf8.encode("i"), logonText: "l", requestId: null });
    const viaNode = createHmac("sm3", createHmac("sm3", Buffer.from(raw)).update("verifyMobile/sign/v1").digest())
      .update("t|i|l|")
      .digest("hex");
    expect(toHex(mac)).toBe(viaNode);
  });
});
