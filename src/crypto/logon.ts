// Decrypting the caller's logon (docs/contract.md §1, §2) under the account key, by the account's
// cipher (AES-CBC or SM4-CBC with PKCS#7, or AES-GCM), and the caller's iv, to a JSON object. Every
// way decryption can fail (padding or tag, UTF-8, JSON, not an object) takes one path to one
// answer, so no answer and no early exit is a padding oracle.
import { ERROR_CODES } from "../wire/codes.ts";
import { fail, type Outcome, ok } from "../wire/outcome.ts";
import { BLOCK, cbcDecryptBlocks, importAesCbcKey, paddingLength } from "./aes.ts";
import { fromBase64, fromUtf8, utf8 } from "./bytes.ts";
import { type Cipher, DEFAULT_CIPHER, KEY_LENGTHS } from "./cipher.ts";
import { deriveSignKey, type SignKey } from "./sign.ts";
import { sm4CbcDecryptBlocks } from "./sm.ts";

export type LogonKey = {
  readonly cipher: Cipher;
  readonly raw: Uint8Array;
  /** The WebCrypto key of the AES ciphers; SM4 works on `raw`. */
  readonly key: CryptoKey | null;
  readonly sign: SignKey;
};

/** The account's logon key for its cipher; null when the key's length does not fit the cipher. */
export async function logonKey(text: string, cipher: Cipher = DEFAULT_CIPHER): Promise<LogonKey | null> {
  const raw = utf8.encode(text);
  if (!(KEY_LENGTHS[cipher] as readonly number[]).includes(raw.length)) return null;
  const [key, sign] = await Promise.all([
    cipher === "sm4-cbc" ? null : importAesKey(raw, cipher === "aes-gcm" ? "AES-GCM" : "AES-CBC"),
    deriveSignKey(cipher, raw),
  ]);
  return { cipher, raw, key, sign };
}

const importAesKey = (raw: Uint8Array, name: "AES-CBC" | "AES-GCM") =>
  name === "AES-CBC" ? importAesCbcKey(raw) : crypto.subtle.importKey("raw", raw, name, false, ["decrypt"]);

/** AES-GCM's tag, appended to the ciphertext (docs/contract.md §1). */
const GCM_TAG_BYTES = 16;

/** The decrypted logon: a JSON object whose fields identity/logon-fields.ts checks. */
export type LogonObject = Readonly<Record<string, unknown>>;

/** The one reason for every decryption failure that the input's shape does not explain. */
export const DECRYPT_FAILED_REASON = ERROR_CODES["307"].reason;
/** The failure budget's reason (docs/contract.md §2): answered without decrypting once a token has failed too often. */
export const TOO_MANY_FAILURES_REASON = "解密失败次数过多，请一分钟后再试";

// Shape hints: derived from the input as sent, never from a decryption result.
const HEX_HINT = "logon疑似十六进制编码，应为base64";
const DOUBLE_BASE64_HINT = "logon疑似被base64编码了两次";
const NOT_BLOCKS_HINT: Readonly<Record<Cipher, string>> = {
  "aes-cbc": "logon解码后长度不是16的倍数：不是AES-CBC密文",
  "sm4-cbc": "logon解码后长度不是16的倍数：不是SM4-CBC密文",
  "aes-gcm": "logon解码后不足16字节：AES-GCM密文须以16字节认证标签结尾",
};
// Diagnostics hints: each tells that the padding checked out, so only for accounts that opted in.
const IV_HINT = "解密结果开头乱码：请检查iv是否与加密时一致";
const NOT_OBJECT_HINT = "logon解密后不是JSON对象";

/**
 * The decrypted logon, or `307`. Without `diagnostics` the reason is a shape hint or the one fixed
 * reason; with it, a failure may also be explained by what decryption gave (docs/contract.md §2).
 */
export async function decryptLogon(
  key: LogonKey,
  iv: Uint8Array,
  logon: Uint8Array,
  logonText: string,
  diagnostics: boolean,
): Promise<Outcome<LogonObject>> {
  if (!wellSized(key.cipher, logon)) return fail("307", shapeHint(logon, logonText) ?? NOT_BLOCKS_HINT[key.cipher]);
  const opened = await open(key, iv, logon);
  if (opened.object) return ok(opened.object);
  const diagnosed = diagnostics && key.cipher !== "aes-gcm" ? await diagnose(key, iv, logon, opened) : null;
  return fail("307", failureReason(logon, logonText, diagnosed));
}

/** The reason of a 307 that decryption itself does not explain: a shape hint, or the fixed reason. */
export const failureReason = (logon: Uint8Array, logonText: string, diagnosed: string | null = null): string =>
  shapeHint(logon, logonText) ?? diagnosed ?? DECRYPT_FAILED_REASON;

const wellSized = (cipher: Cipher, logon: Uint8Array) =>
  cipher === "aes-gcm" ? logon.length >= GCM_TAG_BYTES : logon.length > 0 && logon.length % BLOCK === 0;

type Opened = {
  /** The logon object, or null for any failure. */
  readonly object: LogonObject | null;
  /** The plaintext blocks with their padding, for diagnostics only. */
  readonly blocks: Uint8Array;
  /** The padding length, 0 when malformed; for diagnostics only. */
  readonly padding: number;
};

/**
 * Decrypt → unpad → fatal UTF-8 → JSON → object, with no exit on the way: a malformed padding
 * strips nothing and every later step still runs on the whole plaintext (docs/contract.md §2).
 * GCM has no padding: a wrong tag leaves an empty plaintext, refused by the same later steps.
 */
async function open(key: LogonKey, iv: Uint8Array, logon: Uint8Array): Promise<Opened> {
  if (key.cipher === "aes-gcm") return parse(await gcmDecrypt(key.key!, iv, logon), 0, true);
  const blocks =
    key.cipher === "sm4-cbc" ? sm4CbcDecryptBlocks(key.raw, iv, logon) : await cbcDecryptBlocks(key.key!, iv, logon);
  const padding = paddingLength(blocks);
  return parse(blocks, padding, padding > 0);
}

async function gcmDecrypt(key: CryptoKey, iv: Uint8Array, logon: Uint8Array): Promise<Uint8Array> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, tagLength: 128 }, key, logon));
  } catch {
    return new Uint8Array(0);
  }
}

function parse(blocks: Uint8Array, padding: number, intact: boolean): Opened {
  let value: unknown = null;
  try {
    value = JSON.parse(fromUtf8.decode(blocks.subarray(0, blocks.length - padding)));
  } catch {
    value = null;
  }
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  return { object: intact && isObject ? (value as LogonObject) : null, blocks, padding };
}

/** Common caller bugs told by the shape of the input alone, so every failing ciphertext of one shape gets one answer. */
function shapeHint(logon: Uint8Array, logonText: string): string | null {
  const text = logonText.trim();
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 32 === 0) return HEX_HINT;
  const inner = fromBase64(lenient.decode(logon).trim());
  if (inner && inner.length > 0 && inner.length % BLOCK === 0) return DOUBLE_BASE64_HINT;
  return null;
}

// Only for the shape hint and the diagnostics, which look at text that need not be UTF-8.
const lenient = new TextDecoder();

/** Diagnostics only: what decryption itself says about the caller's mistake, or null. */
async function diagnose(key: LogonKey, iv: Uint8Array, logon: Uint8Array, opened: Opened): Promise<string | null> {
  if (opened.padding > 0) {
    // The padding checked out, so the key is right. A wrong iv garbles only the first block and
    // leaves the end of the JSON object intact; anything else was not a JSON object when encrypted.
    const rest = lenient.decode(opened.blocks.subarray(BLOCK, opened.blocks.length - opened.padding));
    return rest.trimEnd().endsWith("}") ? IV_HINT : NOT_OBJECT_HINT;
  }
  if (key.cipher === "aes-cbc" && (await decryptsWithWrongKeyLength(key, iv, logon))) {
    return `加密密钥长度错误：应使用${key.raw.length}字节的密钥（AES-${key.raw.length * 8}）`;
  }
  return null;
}

/**
 * A 16-byte key zero-padded to 32 (PHP's openssl with AES-256) or a 32-byte key cut to 16
 * (AES-128 with a long key) are the usual key-length mistakes.
 */
async function decryptsWithWrongKeyLength(key: LogonKey, iv: Uint8Array, logon: Uint8Array): Promise<boolean> {
  return (await open(await wrongLengthKey(key), iv, logon)).object !== null;
}

// Values, not promises, kept per account key (itself cached per isolate): imported once per key
// and isolate, and no request awaits a promise another request created.
const wrongLengthKeys = new WeakMap<LogonKey, LogonKey>();

async function wrongLengthKey(key: LogonKey): Promise<LogonKey> {
  const known = wrongLengthKeys.get(key);
  if (known) return known;
  const bytes = new Uint8Array(key.raw.length === 16 ? 32 : 16);
  bytes.set(key.raw.subarray(0, bytes.length));
  const other = { ...key, raw: bytes, key: await importAesCbcKey(bytes) };
  wrongLengthKeys.set(key, other);
  return other;
}
