/** The part of WebCrypto the client uses (`globalThis.crypto`, or Node 18's `require("node:crypto").webcrypto`). */
export type WebCrypto = Pick<Crypto, "getRandomValues" | "subtle">;
/** The account's cipher: `aes-cbc` (default, 驭信-compatible), `aes-gcm` (authenticated), `sm4-cbc` (国密). */
export type Cipher = "aes-cbc" | "aes-gcm" | "sm4-cbc";
export declare const CIPHERS: readonly Cipher[];
/** The iv's length in characters: 12 for aes-gcm (the nonce), 16 for the CBC ciphers. */
export declare const ivLength: (cipher: Cipher) => number;
/** A fresh alphanumeric iv for the cipher; rejection sampling keeps every character equally likely. */
export declare function newIv(webCrypto: WebCrypto, cipher?: Cipher): string;
/** A random UUID (version 4), the default requestId of a call. */
export declare function newRequestId(webCrypto: WebCrypto): string;
/** A prepared logonKey: its UTF-8 bytes and, for AES, the WebCrypto key. */
export type LogonKey = {
    readonly cipher: Cipher;
    readonly raw: Uint8Array<ArrayBuffer>;
    readonly aes: Promise<CryptoKey> | null;
};
/** Checks the key's length for the cipher (AES 16 or 32 UTF-8 bytes, SM4 16) and imports it. */
export declare function importLogonKey(webCrypto: WebCrypto, logonKey: string, cipher?: Cipher): LogonKey;
/**
 * The `logon` parameter: base64 of the cipher's output over the UTF-8 bytes of `json` under
 * iv = the UTF-8 bytes of `iv` (CBC: PKCS#7; GCM: ciphertext followed by the 16-byte tag, no AAD).
 */
export declare function encryptLogon(webCrypto: WebCrypto, key: LogonKey, iv: string, json: string): Promise<string>;
/**
 * The `sign` field: lowercase hex of HMAC-H(signKey, token|iv|logon|requestId) with
 * signKey = HMAC-H(logonKey, "verifyMobile/sign/v1"); H is SM3 for sm4-cbc, SHA-256 otherwise.
 */
export declare function signRequest(webCrypto: WebCrypto, key: LogonKey, fields: {
    token: string;
    iv: string;
    logon: string;
    requestId?: string | undefined;
}): Promise<string>;
