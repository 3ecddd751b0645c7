// src/crypto uses the WebCrypto `CryptoKey` type as a global (as workerd declares it); Node's
// types keep it under node:crypto's webcrypto.
type CryptoKey = import("node:crypto").webcrypto.CryptoKey;
