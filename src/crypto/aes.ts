// AES with WebCrypto. Callers' logon uses AES-CBC/PKCS#7; juhe's encrypted API wants AES-ECB,
// which WebCrypto lacks, so ECB is built from single-block AES-CBC (PLATFORM-NOTES.md).

const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

export function importAesCbcKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, "AES-CBC", false, ["encrypt", "decrypt"]);
}

/** AES-CBC/PKCS#7 decryption; null when the padding does not check out. */
export async function cbcDecrypt(key: CryptoKey, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, key, data));
  } catch {
    return null;
  }
}

export async function cbcEncrypt(key: CryptoKey, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, key, data));
}

/** AES-ECB/PKCS#5 encryption: each padded block is CBC-encrypted alone under a zero IV. */
export async function ecbEncrypt(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  const pad = BLOCK - (data.length % BLOCK);
  const padded = new Uint8Array(data.length + pad);
  padded.set(data);
  padded.fill(pad, data.length);
  const out = new Uint8Array(padded.length);
  const blocks: Promise<void>[] = [];
  for (let i = 0; i < padded.length; i += BLOCK) {
    blocks.push(
      cbcEncrypt(key, ZERO_IV, padded.subarray(i, i + BLOCK)).then((c) => out.set(c.subarray(0, BLOCK), i)),
    );
  }
  await Promise.all(blocks);
  return out;
}

/**
 * AES-ECB/PKCS#5 decryption in two WebCrypto calls: CBC-decrypting C1…Cn under a zero IV gives
 * D(Ci) XOR C(i-1), which is undone below; one extra block E(C_n XOR pad) keeps WebCrypto's
 * padding check satisfied. Null when the data or its padding is malformed.
 */
export async function ecbDecrypt(key: CryptoKey, data: Uint8Array): Promise<Uint8Array | null> {
  if (data.length === 0 || data.length % BLOCK !== 0) return null;
  const last = data.subarray(data.length - BLOCK);
  const fullPad = new Uint8Array(BLOCK).fill(BLOCK);
  const tail = (await cbcEncrypt(key, last, fullPad)).subarray(0, BLOCK);
  const chained = new Uint8Array(data.length + BLOCK);
  chained.set(data);
  chained.set(tail, data.length);
  const plain = await cbcDecrypt(key, ZERO_IV, chained);
  if (!plain || plain.length !== data.length) return null;
  for (let i = BLOCK; i < plain.length; i++) plain[i]! ^= data[i - BLOCK]!;
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || plain.subarray(plain.length - pad).some((b) => b !== pad)) return null;
  return plain.subarray(0, plain.length - pad);
}
