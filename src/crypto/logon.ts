// Decrypting the caller's logon (CONTRACT.md §1): AES-CBC/PKCS#7 under the account key and the
// caller's iv. On failure, errorReason names the caller's likely mistake where it can be told.
import { badParam, fail, ok, type Outcome } from "../wire/outcome.ts";
import { cbcDecrypt, importAesCbcKey } from "./aes.ts";
import { fromBase64, fromUtf8 } from "./bytes.ts";

/** The failure budget's fixed reason (docs/contract.md §2): answered without decrypting. */
export const TOO_MANY_FAILURES_REASON = "解密失败次数过多，请一分钟后再试";

export type LogonKey = { readonly key: CryptoKey; readonly raw: Uint8Array };

export const logonKey = async (text: string): Promise<LogonKey> => {
  const raw = new TextEncoder().encode(text);
  return { key: await importAesCbcKey(raw), raw };
};

/** The decrypted logon parsed as JSON (its shape is checked by identity/logon-fields.ts). */
export async function decryptLogon(key: LogonKey, iv: Uint8Array, logon: Uint8Array, logonText: string): Promise<Outcome<unknown>> {
  const plain = logon.length > 0 && logon.length % 16 === 0 ? await cbcDecrypt(key.key, iv, logon) : null;
  if (!plain) return fail("307", await diagnose(key, iv, logon, logonText));
  const text = lenient.decode(plain);
  try {
    return ok(JSON.parse(text));
  } catch {
    // The padding checked out, so the key is right. A wrong iv garbles only the first block and
    // leaves the end of the JSON object intact; anything else was not JSON when encrypted.
    return text.trimEnd().endsWith("}") ? fail("307", IV_HINT) : badParam("logon", "logon解密后不是JSON");
  }
}

const IV_HINT = "解密结果开头乱码：请检查iv是否与加密时一致";
// Malformed UTF-8 becomes U+FFFD, which the field checks then refuse by name (306).
const lenient = new TextDecoder();

/** Only on the failure path: tells the common caller bugs apart. */
async function diagnose(key: LogonKey, iv: Uint8Array, logon: Uint8Array, logonText: string): Promise<string> {
  const text = logonText.trim();
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 32 === 0) return "logon疑似十六进制编码，应为base64";
  const inner = fromBase64(new TextDecoder().decode(logon).trim());
  if (inner && inner.length > 0 && inner.length % 16 === 0) return "logon疑似被base64编码了两次";
  if (logon.length === 0 || logon.length % 16 !== 0) return "logon解码后长度不是16的倍数：不是AES-CBC密文";
  if (await decryptsWithWrongKeyLength(key, iv, logon)) {
    return `加密密钥长度错误：应使用${key.raw.length}字节的密钥（AES-${key.raw.length * 8}）`;
  }
  return "解密失败：请检查logonKey与iv是否正确";
}

/**
 * A 16-byte key zero-padded to 32 (PHP's openssl with AES-256) or a 32-byte key cut to 16
 * (AES-128 with a long key) are the usual key-length mistakes.
 */
async function decryptsWithWrongKeyLength(key: LogonKey, iv: Uint8Array, logon: Uint8Array): Promise<boolean> {
  const plain = await cbcDecrypt(await wrongLengthKey(key), iv, logon);
  if (!plain) return false;
  try {
    JSON.parse(fromUtf8.decode(plain));
    return true;
  } catch {
    return false;
  }
}

// Imported once per account key (keys themselves are cached per isolate), not per failed request.
const wrongLengthKeys = new WeakMap<LogonKey, Promise<CryptoKey>>();

function wrongLengthKey(key: LogonKey): Promise<CryptoKey> {
  let other = wrongLengthKeys.get(key);
  if (!other) {
    const bytes = new Uint8Array(key.raw.length === 16 ? 32 : 16);
    bytes.set(key.raw.subarray(0, bytes.length));
    other = importAesCbcKey(bytes);
    wrongLengthKeys.set(key, other);
  }
  return other;
}
