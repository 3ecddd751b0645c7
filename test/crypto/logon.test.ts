import { describe, expect, it } from "vitest";
import { cbcEncrypt, importAesCbcKey } from "../../src/crypto/aes.ts";
import { toBase64, toHex, utf8 } from "../../src/crypto/bytes.ts";
import { decryptLogon, logonKey } from "../../src/crypto/logon.ts";
import { VALID_LOGON } from "../fixtures/identities.ts";

const KEY16 = "k".repeat(8) + "K".repeat(8);
const KEY32 = "0123456789abcdefghijklmnopqrstuv";
const IV = utf8.encode("fedcba9876543210");

async function encrypt(keyBytes: Uint8Array, plaintext: string, iv = IV): Promise<Uint8Array> {
  return cbcEncrypt(await importAesCbcKey(keyBytes), iv, utf8.encode(plaintext));
}

const JSON_TEXT = JSON.stringify(VALID_LOGON);

describe("decryptLogon", () => {
  it.each([16, 32])("decrypts with a %i-character key", async (length) => {
    const key = length === 16 ? KEY16 : KEY32;
    const ct = await encrypt(utf8.encode(key), JSON_TEXT);
    expect(await decryptLogon(await logonKey(key), IV, ct, toBase64(ct))).toEqual({ ok: true, value: VALID_LOGON });
  });

  it("answers a wrong key with 307", async () => {
    const ct = await encrypt(utf8.encode(KEY32), JSON_TEXT);
    const r = await decryptLogon(await logonKey(KEY16), IV, ct, toBase64(ct));
    expect(r).toMatchObject({ ok: false, code: "307" });
  });

  it("names a wrong iv when the padding checks out but the first block is garbled", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const r = await decryptLogon(await logonKey(KEY16), utf8.encode("0000000000000000"), ct, toBase64(ct));
    expect(r).toEqual({ ok: false, code: "307", reason: "解密结果开头乱码：请检查iv是否与加密时一致" });
  });

  it("answers 306 logon when key and iv are right but the plaintext is not JSON", async () => {
    const ct = await encrypt(utf8.encode(KEY16), "idCard=1&userName=2&loginphone=3");
    const r = await decryptLogon(await logonKey(KEY16), IV, ct, toBase64(ct));
    expect(r).toEqual({ ok: false, code: "306", param: "logon", reason: "logon解密后不是JSON" });
  });

  it("names hex sent instead of base64", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const hex = toHex(ct);
    const asBase64 = Uint8Array.from(atob(hex), (c) => c.charCodeAt(0));
    const r = await decryptLogon(await logonKey(KEY16), IV, asBase64, hex);
    expect(r).toEqual({ ok: false, code: "307", reason: "logon疑似十六进制编码，应为base64" });
  });

  it("names base64 applied twice", async () => {
    const ct = await encrypt(utf8.encode(KEY16), JSON_TEXT);
    const once = toBase64(ct);
    const r = await decryptLogon(await logonKey(KEY16), IV, utf8.encode(once), toBase64(utf8.encode(once)));
    expect(r).toEqual({ ok: false, code: "307", reason: "logon疑似被base64编码了两次" });
  });

  it("names a 16-character key zero-padded to AES-256 (PHP openssl)", async () => {
    const padded = new Uint8Array(32);
    padded.set(utf8.encode(KEY16));
    const ct = await encrypt(padded, JSON_TEXT);
    const r = await decryptLogon(await logonKey(KEY16), IV, ct, toBase64(ct));
    expect(r).toEqual({ ok: false, code: "307", reason: "加密密钥长度错误：应使用16字节的密钥（AES-128）" });
  });

  it("names a 32-character key cut to AES-128", async () => {
    const ct = await encrypt(utf8.encode(KEY32.slice(0, 16)), JSON_TEXT);
    const r = await decryptLogon(await logonKey(KEY32), IV, ct, toBase64(ct));
    expect(r).toEqual({ ok: false, code: "307", reason: "加密密钥长度错误：应使用32字节的密钥（AES-256）" });
  });

  it("names ciphertext that is not whole AES blocks", async () => {
    const r = await decryptLogon(await logonKey(KEY16), IV, new Uint8Array(20), "AAAA");
    expect(r).toEqual({ ok: false, code: "307", reason: "logon解码后长度不是16的倍数：不是AES-CBC密文" });
  });

  it("returns valid JSON that is not an object for the field check to refuse", async () => {
    const ct = await encrypt(utf8.encode(KEY16), "[1,2]");
    expect(await decryptLogon(await logonKey(KEY16), IV, ct, toBase64(ct))).toEqual({ ok: true, value: [1, 2] });
  });
});
