// The three body parameters (CONTRACT.md §1, §3): presence first (301/306), then their shapes,
// all before any KV read or crypto.
import { fromLenientBase64, utf8 } from "../crypto/bytes.ts";
import { badParam, fail, ok, type Outcome } from "../outcome.ts";
import type { RawFields } from "./body.ts";

export type Params = {
  readonly token: string;
  /** The iv's UTF-8 bytes: exactly 16, the AES block. */
  readonly iv: Uint8Array;
  /** The logon ciphertext, base64-decoded. */
  readonly logon: Uint8Array;
  /** The logon text as sent, kept only to explain a decryption failure. */
  readonly logonText: string;
};

const NAMES = ["token", "iv", "logon"] as const;

export function parseParams(fields: RawFields): Outcome<Params> {
  const present = (name: string) => {
    const v = fields.get(name);
    return v !== undefined && v !== null && v !== "";
  };
  if (!NAMES.some(present)) return fail("301");
  for (const name of NAMES) {
    if (!present(name)) return badParam(name, "缺少参数");
    if (typeof fields.get(name) !== "string") return badParam(name, "参数须为字符串");
  }
  const token = (fields.get("token") as string).trim();
  const ivText = fields.get("iv") as string;
  const logonText = fields.get("logon") as string;
  const iv = utf8.encode(ivText);
  if (iv.length !== 16) return badParam("iv", "iv须为16个字符");
  const logon = fromLenientBase64(logonText);
  if (!logon) return badParam("logon", "logon须为base64编码");
  return ok({ token, iv, logon, logonText });
}
