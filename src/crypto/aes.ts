// AES with WebCrypto. Callers' logon uses AES-CBC/PKCS#7; juhe's encrypted API wants AES-ECB,
// which WebCrypto lacks and no maintained package builds on WebCrypto: so ECB is made here from
// single-block AES-CBC under a zero IV, byte-identical to ECB (checked against Node's aes-128-ecb).

export const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);
const FULL_PAD = new Uint8Array(BLOCK).fill(BLOCK);

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
    blocks.push(cbcEncrypt(key, ZERO_IV, padded.subarray(i, i + BLOCK)).then((c) => out.set(c.subarray(0, BLOCK), i)));
  }
  await Promise.all(blocks);
  return out;
}

/**
 * AES-CBC decryption of whole blocks that leaves the PKCS#7 padding on and never fails on it:
 * one extra block E(C_n XOR pad) always unpads cleanly, so WebCrypto's padding exception, whose
 * answer and timing would tell whether a tampered ciphertext had valid padding, never fires.
 */
export async function cbcDecryptBlocks(key: CryptoKey, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const last = data.subarray(data.length - BLOCK);
  const tail = (await cbcEncrypt(key, last, FULL_PAD)).subarray(0, BLOCK);
  const chained = new Uint8Array(data.length + BLOCK);
  chained.set(data);
  chained.set(tail, data.length);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, key, chained));
}

/** The PKCS#7 padding length of decrypted blocks, 0 when malformed; the same work whatever the bytes. */
export function paddingLength(plain: Uint8Array): number {
  const pad = plain[plain.length - 1]!;
  // Each term is 0 or 1 by arithmetic, not by branching: (x >>> 31) is 1 exactly when x < 0.
  let bad = ((pad - 1) >>> 31) | ((BLOCK - pad) >>> 31);
  for (let i = 1; i <= BLOCK; i++) bad |= ((i - pad - 1) >>> 31) * (plain[plain.length - i]! ^ pad);
  return bad === 0 ? pad : 0;
}

/**
 * AES-ECB/PKCS#5 decryption in two WebCrypto calls: CBC-decrypting C1…Cn under a zero IV gives
 * D(Ci) XOR C(i-1), which is undone below. Null when the data or its padding is malformed.
 */
export async function ecbDecrypt(key: CryptoKey, data: Uint8Array): Promise<Uint8Array | null> {
  if (data.length === 0 || data.length % BLOCK !== 0) return null;
  const plain = await cbcDecryptBlocks(key, ZERO_IV, data);
  for (let i = BLOCK; i < plain.length; i++) plain[i]! ^= data[i - BLOCK]!;
  const pad = paddingLength(plain);
  return pad === 0 ? null : plain.subarray(0, plain.length - pad);
}
