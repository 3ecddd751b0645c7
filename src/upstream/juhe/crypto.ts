// juhe's encrypted API (docs/contract.md §5): each personal field is AES-128-ECB/PKCS#5 under the UTF-8
// bytes of the first 16 characters of lowercase hex md5(openid), then base64.
import { ecbEncrypt, importAesCbcKey } from "../../crypto/aes.ts";
import { toBase64, toHex, utf8 } from "../../crypto/bytes.ts";

/** The 16-character key text juhe derives from an openid. */
export async function juheKeyText(openid: string): Promise<string> {
  // MD5 is non-standard WebCrypto but supported by workerd (a workerd extension; Node's WebCrypto lacks it).
  const digest = await crypto.subtle.digest("MD5", utf8.encode(openid));
  return toHex(new Uint8Array(digest)).slice(0, 16);
}

// On the hot path: one import per openid per isolate (values, not promises shared across requests).
const fieldKeys = new Map<string, CryptoKey>();

export async function juheFieldKey(openid: string): Promise<CryptoKey> {
  let key = fieldKeys.get(openid);
  if (!key) {
    key = await importAesCbcKey(utf8.encode(await juheKeyText(openid)));
    fieldKeys.set(openid, key);
  }
  return key;
}

export async function encryptJuheField(key: CryptoKey, value: string): Promise<string> {
  return toBase64(await ecbEncrypt(key, utf8.encode(value)));
}
