// The logon signature (docs/contract.md §2): encrypt-then-MAC for CBC accounts. The sign key is
// derived from the logonKey, never the encryption key itself; HMAC-SHA256 for the AES ciphers,
// HMAC-SM3 for sm4-cbc, so a 国密 account uses 国密 throughout.
import { utf8 } from "./bytes.ts";
import type { Cipher } from "./cipher.ts";
import { hmacSm3 } from "./sm.ts";

export type SignKey =
  | { readonly hash: "SHA-256"; readonly key: CryptoKey }
  | { readonly hash: "SM3"; readonly key: Uint8Array };

const SIGN_KEY_LABEL = utf8.encode("verifyMobile/sign/v1");

const importHmac = (raw: Uint8Array) =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

/** signKey = HMAC-H(key = the logonKey's UTF-8 bytes, message = "verifyMobile/sign/v1"). */
export async function deriveSignKey(cipher: Cipher, logonKey: Uint8Array): Promise<SignKey> {
  if (cipher === "sm4-cbc") return { hash: "SM3", key: hmacSm3(logonKey, SIGN_KEY_LABEL) };
  const derived = new Uint8Array(await crypto.subtle.sign("HMAC", await importHmac(logonKey), SIGN_KEY_LABEL));
  return { hash: "SHA-256", key: await importHmac(derived) };
}

/** What is signed: token|iv|logon|requestId, each exactly as sent (requestId "" when absent). */
export type Signed = {
  readonly token: string;
  readonly iv: Uint8Array;
  readonly logonText: string;
  readonly requestId: string | null;
};

/** The signature's bytes (the wire carries them as 64 hex digits). */
export async function signOf(key: SignKey, signed: Signed): Promise<Uint8Array> {
  const head = utf8.encode(`${signed.token}|`);
  const tail = utf8.encode(`|${signed.logonText}|${signed.requestId ?? ""}`);
  const message = new Uint8Array(head.length + signed.iv.length + tail.length);
  message.set(head);
  message.set(signed.iv, head.length);
  message.set(tail, head.length + signed.iv.length);
  if (key.hash === "SM3") return hmacSm3(key.key, message);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key.key, message));
}

/** Equal bytes, in time that depends on the lengths only. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i % b.length] ?? 0);
  return diff === 0;
}
