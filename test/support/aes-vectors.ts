// Shapes of the crypto vectors test/global-setup.ts makes with Node's own `crypto` and hands to
// the tests in workerd via `inject("aesVectors")`. All bytes are hex; texts are plain strings.

export type EcbVector = { keyHex: string; plainHex: string; cipherHex: string };
export type CbcVector = { keyHex: string; ivHex: string; plainHex: string; cipherHex: string; wrongKeyHex: string };
/** md5-derived juhe key text (first 16 lowercase hex chars) and one field encrypted under it. */
export type JuheKeyVector = { openid: string; keyText: string; plain: string; base64: string };
/** A caller's `logon` (docs/contract.md §1): AES-CBC/PKCS#7 of the JSON under a 16/32-char key, base64. */
export type LogonVector = {
  key: string;
  iv: string;
  fields: { idCard: string; userName: string; loginphone: string };
  json: string;
  logon: string;
};

export type AesVectors = {
  ecb: EcbVector[];
  /** Ciphertexts whose last block decrypts to invalid PKCS#7 padding. */
  ecbBadPadding: { keyHex: string; cipherHex: string }[];
  cbc128: CbcVector[];
  cbc256: CbcVector[];
  juheKeys: JuheKeyVector[];
  logonVectors: LogonVector[];
};

declare module "vitest" {
  export interface ProvidedContext {
    aesVectors: AesVectors;
  }
}
