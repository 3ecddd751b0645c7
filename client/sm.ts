// SM4 (GB/T 32907-2016) CBC encryption and SM3 (GB/T 32905-2016) with HMAC, for the `sm4-cbc`
// cipher (docs/contract.md §1). WebCrypto has neither, and the client carries no dependencies, so
// they are written out here from the standards; the tests check them against the standards'
// vectors and against Node's crypto byte for byte.

const SBOX = Uint8Array.from(
  (
    "d690e9fecce13db716b614c228fb2c052b679a762abe04c3aa441326498606999c4250f491ef987a33540b43edcfac62" +
    "e4b31ca9c908e89580df94fa758f3fa64707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35" +
    "1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89eeabf8ad240c738b5a3f7f2cef96115a1" +
    "e0ae5da49b341a55ad933230f58cb1e31df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51" +
    "8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b08969974a0c96777e65b9f109c56ec684" +
    "18f07dec3adc4d2079ee5f3ed7cb3948"
  )
    .match(/../g)!
    .map((h) => Number.parseInt(h, 16)),
);
const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc];
const CK = Array.from({ length: 32 }, (_, i) => {
  let word = 0;
  for (let j = 0; j < 4; j++) word = (word << 8) | (((4 * i + j) * 7) & 0xff);
  return word >>> 0;
});

const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const tau = (x: number) =>
  ((SBOX[x >>> 24]! << 24) | (SBOX[(x >>> 16) & 0xff]! << 16) | (SBOX[(x >>> 8) & 0xff]! << 8) | SBOX[x & 0xff]!) >>> 0;
const word = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

function roundKeys(key: Uint8Array): number[] {
  const k = [0, 1, 2, 3].map((i) => (word(key, 4 * i) ^ FK[i]!) >>> 0);
  const rk: number[] = [];
  for (let i = 0; i < 32; i++) {
    const t = tau((k[i + 1]! ^ k[i + 2]! ^ k[i + 3]! ^ CK[i]!) >>> 0);
    k.push((k[i]! ^ t ^ rotl(t, 13) ^ rotl(t, 23)) >>> 0);
    rk.push(k[i + 4]!);
  }
  return rk;
}

function encryptBlock(rk: number[], block: Uint8Array): Uint8Array {
  const x = [0, 1, 2, 3].map((i) => word(block, 4 * i));
  for (let i = 0; i < 32; i++) {
    const t = tau((x[i + 1]! ^ x[i + 2]! ^ x[i + 3]! ^ rk[i]!) >>> 0);
    x.push((x[i]! ^ t ^ rotl(t, 2) ^ rotl(t, 10) ^ rotl(t, 18) ^ rotl(t, 24)) >>> 0);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    const w = x[35 - i]!;
    out.set([w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff], 4 * i);
  }
  return out;
}

/** SM4 of one 16-byte block (the standard's first vector checks it). */
export function sm4Block(key: Uint8Array, block: Uint8Array): Uint8Array {
  return encryptBlock(roundKeys(key), block);
}

/** SM4-CBC with PKCS#7 padding: key and iv 16 bytes each. */
export function sm4CbcEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const rk = roundKeys(key);
  const pad = 16 - (plain.length % 16);
  const padded = new Uint8Array(plain.length + pad);
  padded.set(plain);
  padded.fill(pad, plain.length);
  let previous = iv;
  for (let offset = 0; offset < padded.length; offset += 16) {
    const block = padded.subarray(offset, offset + 16);
    for (let i = 0; i < 16; i++) block[i]! ^= previous[i]!;
    previous = encryptBlock(rk, block);
    padded.set(previous, offset);
  }
  return padded;
}

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

/** SM3 digest (32 bytes). */
export function sm3(message: Uint8Array): Uint8Array {
  const bitLength = message.length * 8;
  const total = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(total);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(total - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(total - 4, bitLength >>> 0);
  const v = [...IV];
  const w = new Array<number>(68);
  for (let offset = 0; offset < total; offset += 64) {
    for (let j = 0; j < 16; j++) w[j] = view.getUint32(offset + 4 * j);
    for (let j = 16; j < 68; j++) {
      const x = (w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)) >>> 0;
      w[j] = (x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!) >>> 0;
    }
    let [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
    for (let j = 0; j < 64; j++) {
      const ss1 = rotl((rotl(a, 12) + e + rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (w[j]! ^ w[j + 4]!)) >>> 0;
      const tt2 = (gg + h + ss1 + w[j]!) >>> 0;
      d = c;
      c = rotl(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = (tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17)) >>> 0;
    }
    [a, b, c, d, e, f, g, h].forEach((x, i) => {
      v[i] = (v[i]! ^ x) >>> 0;
    });
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(4 * i, v[i]!);
  return out;
}

/** HMAC (RFC 2104) over SM3, block size 64. */
export function hmacSm3(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sm3(key) : key);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sm3(inner), 64);
  return sm3(outer);
}
