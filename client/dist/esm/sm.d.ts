/** SM4 of one 16-byte block (the standard's first vector checks it). */
export declare function sm4Block(key: Uint8Array, block: Uint8Array): Uint8Array;
/** SM4-CBC with PKCS#7 padding: key and iv 16 bytes each. */
export declare function sm4CbcEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array;
/** SM3 digest (32 bytes). */
export declare function sm3(message: Uint8Array): Uint8Array;
/** HMAC (RFC 2104) over SM3, block size 64. */
export declare function hmacSm3(key: Uint8Array, message: Uint8Array): Uint8Array;
