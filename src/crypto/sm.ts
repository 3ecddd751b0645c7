// 国密 primitives for the sm4-cbc cipher (docs/contract.md §1, §2): WebCrypto has neither SM4 nor
// SM3, so they come from sm-crypto-v2 (built on the audited @noble libraries), checked against the
// standards' vectors and Node's OpenSSL in test/crypto/sm.node.test.ts.
import { sm3, sm4 } from "sm-crypto-v2";

export const SM4_KEY_BYTES = 16;

/** SM4-CBC decryption of whole blocks with the padding left on: the caller checks it in constant time. */
export function sm4CbcDecryptBlocks(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return sm4.decrypt(data, key, { mode: "cbc", iv, padding: "none", output: "array" });
}

/** SM4-CBC/PKCS#7 encryption (tests and the Node scripts). */
export function sm4CbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return sm4.encrypt(data, key, { mode: "cbc", iv, padding: "pkcs#7", output: "array" });
}

/** HMAC-SM3 (RFC 2104 over SM3), as bytes. */
export function hmacSm3(key: Uint8Array, message: Uint8Array): Uint8Array {
  const hex = sm3(message, { key, mode: "hmac" });
  return Uint8Array.from(hex.match(/../g)!, (byte) => Number.parseInt(byte, 16));
}
