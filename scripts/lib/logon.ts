// A caller's logon made with Node's own crypto, independent of the Worker's WebCrypto code: for
// the demo request and the benchmark's bodies.
import { createCipheriv } from "node:crypto";

export type Fields = { readonly idCard: string; readonly userName: string; readonly loginphone: string };

/** AES-CBC/PKCS#7 under the UTF-8 bytes of key and iv, base64: what docs/contract.md §1 asks callers for. */
export function encryptLogon(logonKey: string, iv: string, fields: Fields): string {
  const key = Buffer.from(logonKey, "utf8");
  const cipher = createCipheriv(key.length === 32 ? "aes-256-cbc" : "aes-128-cbc", key, Buffer.from(iv, "utf8"));
  return Buffer.concat([cipher.update(JSON.stringify(fields), "utf8"), cipher.final()]).toString("base64");
}
