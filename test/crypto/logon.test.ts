import { describe, expect, it } from "vitest";
import { cbcEncrypt, importAesCbcKey } from "../../src/crypto/aes.ts";
import { toBase64, toHex, utf8 } from "../../src/crypto/bytes.ts";
import { DECRYPT_FAILED_REASON, decryptLogon, logonKey } from "../../src/crypto/logon.ts";
import { VALID_LOGON } from "../fixtures/identities.ts";

const KEY16 = "k".repeat(8) + "K".repeat(8);
const KEY32 = "0123456789abcdefghijklmnopqrstuv";
const IV = utf8.encode("fedcba9876543210");
const WRONG_IV = utf8.encode("0000000000000000");

async function encrypt(keyBytes: Uint8Array, plaintext: Uint8Array | string, iv = IV): Promise<Uint8Array> {
  return cbcEncrypt(
    await importAesCbcKey(keyBytes),
    iv,
    typeof plaintext === "string" ? utf8.encode(plaintext) : plaintext,
  );
}

/** The ciphertext of `blocks` as given, no padding added: their last bytes are what the padding check sees. */
async function encryptBlocks(keyBytes: Uint8Array, blocks: Uint8Array): Promise<Uint8Array> {
  return (await encrypt(keyBytes, blocks)).subarray(0, blocks.length);
}

const JSON_TEXT = JSON.stringify(VALID_LOGON);
const FAILED = { ok: false, code: "307", reason: DECRYPT_FAILED_REASON };

describe("decryptLogon", () => {
  it.each([16, 32])("decrypts with a %i-character key", async (length) => {
    const key = length === 16 ? KEY16 : KEY32;
    const ct = await encrypt(utf8.encode(key), JSON_TEXT);
    expect(await decryptLogon((await logonKey(key))!, IV, ct, toBase64(ct), false)).toEqual({
      ok: true,
      value: VALID_LOGON,
    });
  });

  it("keeps unknown keys of the object", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON.stringify({ ...VALID_LOGON, extra: [1] }));
    expect(await decryptLogon((await logonKey(KEY16))!, IV, ct, toBase64(ct), false)).toEqual({
      ok: true,
      value: { ...VALID_LOGON, extra: [1] },
    });
  });
});

describe("decryptLogon: every kind of failure gives the one answer", () => {
  // Each case is a ciphertext of whole blocks under KEY16 and IV that fails for its own reason.
  const padded = (text: string) => encrypt(utf8.encode(KEY16), text);
  const cases: [string, () => Promise<Uint8Array>][] = [
    ["wrong key (bad padding, almost surely)", () => encrypt(utf8.encode(KEY32), JSON_TEXT)],
    ["bad padding: last byte 0", () => encryptBlocks(utf8.encode(KEY16), utf8.encode(`${JSON_TEXT.slice(0, 31)}\0`))],
    [
      "bad padding: last byte 17",
      () => encryptBlocks(utf8.encode(KEY16), utf8.encode(`${JSON_TEXT.slice(0, 31)}\x11`)),
    ],
    [
      "bad padding: pad bytes differ",
      () => encryptBlocks(utf8.encode(KEY16), utf8.encode(`${JSON_TEXT.slice(0, 29)}\x01\x03\x03`)),
    ],
    ["not UTF-8", () => encrypt(utf8.encode(KEY16), Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))],
    [
      "UTF-16 JSON",
      () => encrypt(utf8.encode(KEY16), Uint8Array.from([...JSON_TEXT].flatMap((c) => [c.charCodeAt(0), 0]))),
    ],
    ["not JSON", () => padded("idCard=1&userName=2&loginphone=3")],
    ["truncated JSON", () => padded(JSON_TEXT.slice(0, -1))],
    ["a JSON array", () => padded(JSON.stringify([VALID_LOGON]))],
    ["JSON null", () => padded("null")],
    ["a JSON string", () => padded(JSON.stringify(JSON_TEXT))],
    ["a JSON number", () => padded("42")],
    ["a JSON boolean", () => padded("true")],
    ["empty plaintext", () => padded("")],
    ["wrong iv (first block garbled)", () => encrypt(utf8.encode(KEY16), JSON_TEXT, WRONG_IV)],
  ];

  it.each(cases)("%s → 307 with the fixed reason", async (_label, make) => {
    const ct = await make();
    expect(await decryptLogon((await logonKey(KEY16))!, IV, ct, toBase64(ct), false)).toEqual(FAILED);
  });

  it("gives a 16-character key zero-padded to AES-256 the fixed reason too", async () => {
    const padded = new Uint8Array(32);
    padded.set(utf8.encode(KEY16));
    const ct = await encrypt(padded, JSON_TEXT);
    expect(await decryptLogon((await logonKey(KEY16))!, IV, ct, toBase64(ct), false)).toEqual(FAILED);
  });
});

describe("decryptLogon: hints from the shape of the input alone", () => {
  it("names hex sent instead of base64", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const hex = toHex(ct);
    const asBase64 = Uint8Array.from(atob(hex), (c) => c.charCodeAt(0));
    const r = await decryptLogon((await logonKey(KEY16))!, IV, asBase64, hex, false);
    expect(r).toEqual({ ok: false, code: "307", reason: "logon疑似十六进制编码，应为base64" });
  });

  it("names base64 applied twice", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const once = toBase64(ct);
    const r = await decryptLogon((await logonKey(KEY16))!, IV, utf8.encode(once), toBase64(utf8.encode(once)), false);
    expect(r).toEqual({ ok: false, code: "307", reason: "logon疑似被base64编码了两次" });
  });

  it.each([0, 1, 15, 17, 20, 33])("names %i bytes as not whole AES blocks", async (n) => {
    const r = await decryptLogon((await logonKey(KEY16))!, IV, new Uint8Array(n), "AAAA", false);
    expect(r).toEqual({ ok: false, code: "307", reason: "logon解码后长度不是16的倍数：不是AES-CBC密文" });
  });
});

describe("decryptLogon with diagnostics (opt-in, docs/contract.md §2)", () => {
  it("names a wrong iv when the padding checks out but the first block is garbled", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const r = await decryptLogon((await logonKey(KEY16))!, WRONG_IV, ct, toBase64(ct), true);
    expect(r).toEqual({ ok: false, code: "307", reason: "解密结果开头乱码：请检查iv是否与加密时一致" });
  });

  it("says when key and iv are right but the plaintext is not a JSON object", async () => {
    for (const text of ["idCard=1&userName=2&loginphone=3", "[1,2]"]) {
      const ct = await encrypt(utf8.encode(KEY16), text);
      const r = await decryptLogon((await logonKey(KEY16))!, IV, ct, toBase64(ct), true);
      expect(r).toEqual({ ok: false, code: "307", reason: "logon解密后不是JSON对象" });
    }
  });

  it("names a 16-character key zero-padded to AES-256 (PHP openssl)", async () => {
    const padded = new Uint8Array(32);
    padded.set(utf8.encode(KEY16));
    const ct = await encrypt(padded, JSON_TEXT);
    const r = await decryptLogon((await logonKey(KEY16))!, IV, ct, toBase64(ct), true);
    expect(r).toEqual({ ok: false, code: "307", reason: "加密密钥长度错误：应使用16字节的密钥（AES-128）" });
  });

  it("names a 32-character key cut to AES-128", async () => {
    const ct = await encrypt(utf8.encode(KEY32.slice(0, 16)), JSON_TEXT);
    const r = await decryptLogon((await logonKey(KEY32))!, IV, ct, toBase64(ct), true);
    expect(r).toEqual({ ok: false, code: "307", reason: "加密密钥长度错误：应使用32字节的密钥（AES-256）" });
  });

  it("falls back to the fixed reason for a key that is simply wrong", async () => {
    const ct = await encrypt(utf8.encode(KEY32), JSON_TEXT);
    expect(await decryptLogon((await logonKey(KEY16))!, IV, ct, toBase64(ct), true)).toEqual(FAILED);
  });

  it("still prefers the shape hint", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const once = toBase64(ct);
    const r = await decryptLogon((await logonKey(KEY16))!, IV, utf8.encode(once), toBase64(utf8.encode(once)), true);
    expect(r).toEqual({ ok: false, code: "307", reason: "logon疑似被base64编码了两次" });
  });
});
