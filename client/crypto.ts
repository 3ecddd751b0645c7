// The caller's side of docs/contract.md §1 with nothing but WebCrypto, TextEncoder and btoa, so it runs
// unchanged on Node ≥ 18, Cloudflare Workers, Deno and browsers.

/** The part of WebCrypto the client uses (`globalThis.crypto`, or Node 18's `require("node:crypto").webcrypto`). */
export type WebCrypto = Pick<Crypto, "getRandomValues" | "subtle">;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const utf8 = new TextEncoder();

/** A fresh 16-character alphanumeric iv; rejection sampling keeps every character equally likely. */
export function newIv(webCrypto: WebCrypto): string {
  let iv = "";
  while (iv.length < 16) {
    for (const byte of webCrypto.getRandomValues(new Uint8Array(32))) {
      // 248 = 4 × 62: bytes above it would make the first characters likelier.
      if (byte < 248 && iv.length < 16) iv += ALPHANUMERIC[byte % 62];
    }
  }
  return iv;
}

/** The AES key for a logonKey: its UTF-8 bytes, 16 (AES-128) or 32 (AES-256). */
export function importLogonKey(webCrypto: WebCrypto, logonKey: string): Promise<CryptoKey> {
  const raw = utf8.encode(logonKey);
  if (raw.length !== 16 && raw.length !== 32) {
    throw new TypeError(`logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got ${raw.length}`);
  }
  return webCrypto.subtle.importKey("raw", raw, "AES-CBC", false, ["encrypt"]);
}

/** base64(AES-CBC/PKCS#7(key, iv = UTF-8 bytes of `iv`, UTF-8 bytes of `json`)): the `logon` parameter. */
export async function encryptLogon(webCrypto: WebCrypto, key: CryptoKey, iv: string, json: string): Promise<string> {
  const ivBytes = utf8.encode(iv);
  if (ivBytes.length !== 16) throw new TypeError(`iv must be 16 bytes in UTF-8, got ${ivBytes.length}`);
  // WebCrypto's AES-CBC always applies PKCS#7 padding.
  const cipherText = new Uint8Array(
    await webCrypto.subtle.encrypt({ name: "AES-CBC", iv: ivBytes }, key, utf8.encode(json)),
  );
  let binary = "";
  for (const byte of cipherText) binary += String.fromCharCode(byte);
  return btoa(binary);
}
