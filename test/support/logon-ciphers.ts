// A caller's side of every account cipher and of the sign (docs/contract.md §1, §2), written from
// the contract with WebCrypto and sm-crypto-v2 directly: tests of src/ use these as the caller
// would, never src's own decryption or signing code.
import { sm3, sm4 } from "sm-crypto-v2";
import { toBase64, toHex, utf8 } from "../../src/crypto/bytes.ts";
import type { Cipher } from "../../src/crypto/cipher.ts";

/** base64 of the logon `plaintext` encrypted under `key` and `iv` as a caller using `cipher` does. */
export async function encryptAs(cipher: Cipher, key: string, iv: string, plaintext: string): Promise<string> {
  const data = utf8.encode(plaintext);
  if (cipher === "sm4-cbc")
    return toBase64(sm4.encrypt(data, utf8.encode(key), { mode: "cbc", iv: utf8.encode(iv), output: "array" }));
  const name = cipher === "aes-gcm" ? "AES-GCM" : "AES-CBC";
  const aes = await crypto.subtle.importKey("raw", utf8.encode(key), name, false, ["encrypt"]);
  // WebCrypto's AES-GCM output is the ciphertext followed by the 16-byte tag, as the contract wants.
  return toBase64(new Uint8Array(await crypto.subtle.encrypt({ name, iv: utf8.encode(iv) }, aes, data)));
}

/** sign = hex HMAC-H(HMAC-H(logonKey, "verifyMobile/sign/v1"), token|iv|logon|requestId). */
export async function signAs(
  cipher: Cipher,
  key: string,
  fields: { token: string; iv: string; logon: string; requestId?: string },
): Promise<string> {
  const message = utf8.encode(`${fields.token}|${fields.iv}|${fields.logon}|${fields.requestId ?? ""}`);
  const label = utf8.encode("verifyMobile/sign/v1");
  if (cipher === "sm4-cbc") {
    const signKey = sm3(label, { key: utf8.encode(key), mode: "hmac" });
    return sm3(message, { key: signKey, mode: "hmac" }); // a string key is hex to sm-crypto-v2
  }
  const hmac = async (raw: Uint8Array, data: Uint8Array) => {
    const k = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
  };
  return toHex(await hmac(await hmac(utf8.encode(key), label), message));
}
