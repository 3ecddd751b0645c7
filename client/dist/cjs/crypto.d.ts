/** The part of WebCrypto the client uses (`globalThis.crypto`, or Node 18's `require("node:crypto").webcrypto`). */
export type WebCrypto = Pick<Crypto, "getRandomValues" | "subtle">;
/** A fresh 16-character alphanumeric iv; rejection sampling keeps every character equally likely. */
export declare function newIv(webCrypto: WebCrypto): string;
/** The AES key for a logonKey: its UTF-8 bytes, 16 (AES-128) or 32 (AES-256). */
export declare function importLogonKey(webCrypto: WebCrypto, logonKey: string): Promise<CryptoKey>;
/** base64(AES-CBC/PKCS#7(key, iv = UTF-8 bytes of `iv`, UTF-8 bytes of `json`)): the `logon` parameter. */
export declare function encryptLogon(webCrypto: WebCrypto, key: CryptoKey, iv: string, json: string): Promise<string>;
