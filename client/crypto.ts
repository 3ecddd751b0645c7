// The caller's side of docs/contract.md §1 (the account's cipher) and the `sign` field, with
// nothing but WebCrypto, TextEncoder and btoa (SM4 and SM3 from ./sm.ts), so it runs unchanged on
// Node ≥ 18, Cloudflare Workers, Deno and browsers.
import { hmacSm3, sm4CbcEncrypt } from "./sm.ts";

/** The part of WebCrypto the client uses (`globalThis.crypto`, or Node 18's `require("node:crypto").webcrypto`). */
export type WebCrypto = Pick<Crypto, "getRandomValues" | "subtle">;

/** The account's cipher: `aes-cbc` (default, 驭信-compatible), `aes-gcm` (authenticated), `sm4-cbc` (国密). */
export type Cipher = "aes-cbc" | "aes-gcm" | "sm4-cbc";
export const CIPHERS: readonly Cipher[] = ["aes-cbc", "aes-gcm", "sm4-cbc"];

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SIGN_LABEL = "verifyMobile/sign/v1";
const utf8 = new TextEncoder();
/** UTF-8 bytes in an ArrayBuffer of their own (what WebCrypto takes). */
const bytes = (text: string) => new Uint8Array(utf8.encode(text));

/** The iv's length in characters: 12 for aes-gcm (the nonce), 16 for the CBC ciphers. */
export const ivLength = (cipher: Cipher): number => (cipher === "aes-gcm" ? 12 : 16);

/** A fresh alphanumeric iv for the cipher; rejection sampling keeps every character equally likely. */
export function newIv(webCrypto: WebCrypto, cipher: Cipher = "aes-cbc"): string {
  const length = ivLength(cipher);
  let iv = "";
  while (iv.length < length) {
    for (const byte of webCrypto.getRandomValues(new Uint8Array(32))) {
      // 248 = 4 × 62: bytes above it would make the first characters likelier.
      if (byte < 248 && iv.length < length) iv += ALPHANUMERIC[byte % 62];
    }
  }
  return iv;
}

/** A random UUID (version 4), the default requestId of a call. */
export function newRequestId(webCrypto: WebCrypto): string {
  const b = webCrypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A prepared logonKey: its UTF-8 bytes and, for AES, the WebCrypto key. */
export type LogonKey = {
  readonly cipher: Cipher;
  readonly raw: Uint8Array<ArrayBuffer>;
  readonly aes: Promise<CryptoKey> | null;
};

/** Checks the key's length for the cipher (AES 16 or 32 UTF-8 bytes, SM4 16) and imports it. */
export function importLogonKey(webCrypto: WebCrypto, logonKey: string, cipher: Cipher = "aes-cbc"): LogonKey {
  if (!CIPHERS.includes(cipher)) throw new TypeError(`cipher must be one of ${CIPHERS.join(", ")}, got ${cipher}`);
  const raw = bytes(logonKey);
  if (cipher === "sm4-cbc") {
    if (raw.length !== 16) throw new TypeError(`logonKey must be 16 bytes in UTF-8 (SM4), got ${raw.length}`);
    return { cipher, raw, aes: null };
  }
  if (raw.length !== 16 && raw.length !== 32) {
    throw new TypeError(`logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got ${raw.length}`);
  }
  const name = cipher === "aes-gcm" ? "AES-GCM" : "AES-CBC";
  const aes = webCrypto.subtle.importKey("raw", raw, name, false, ["encrypt"]);
  aes.catch(() => undefined); // a rejection surfaces at the first encryption, not as an unhandled one
  return { cipher, raw, aes };
}

/**
 * The `logon` parameter: base64 of the cipher's output over the UTF-8 bytes of `json` under
 * iv = the UTF-8 bytes of `iv` (CBC: PKCS#7; GCM: ciphertext followed by the 16-byte tag, no AAD).
 */
export async function encryptLogon(webCrypto: WebCrypto, key: LogonKey, iv: string, json: string): Promise<string> {
  const ivBytes = bytes(iv);
  const want = ivLength(key.cipher);
  if (ivBytes.length !== want) throw new TypeError(`iv must be ${want} bytes in UTF-8, got ${ivBytes.length}`);
  const plain = bytes(json);
  // WebCrypto's AES-CBC always pads (PKCS#7); its AES-GCM appends the 16-byte tag.
  const sealed =
    key.aes === null
      ? sm4CbcEncrypt(key.raw, ivBytes, plain)
      : new Uint8Array(
          await webCrypto.subtle.encrypt(
            key.cipher === "aes-gcm"
              ? { name: "AES-GCM", iv: ivBytes, tagLength: 128 }
              : { name: "AES-CBC", iv: ivBytes },
            await key.aes,
            plain,
          ),
        );
  let binary = "";
  for (const byte of sealed) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The `sign` field: lowercase hex of HMAC-H(signKey, token|iv|logon|requestId) with
 * signKey = HMAC-H(logonKey, "verifyMobile/sign/v1"); H is SM3 for sm4-cbc, SHA-256 otherwise.
 */
export async function signRequest(
  webCrypto: WebCrypto,
  key: LogonKey,
  fields: { token: string; iv: string; logon: string; requestId?: string | undefined },
): Promise<string> {
  const message = bytes(`${fields.token}|${fields.iv}|${fields.logon}|${fields.requestId ?? ""}`);
  const mac =
    key.cipher === "sm4-cbc"
      ? hmacSm3(hmacSm3(key.raw, bytes(SIGN_LABEL)), message)
      : await hmacSha256(webCrypto, await hmacSha256(webCrypto, key.raw, bytes(SIGN_LABEL)), message);
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function hmacSha256(
  webCrypto: WebCrypto,
  key: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const hmac = await webCrypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await webCrypto.subtle.sign("HMAC", hmac, message));
}
