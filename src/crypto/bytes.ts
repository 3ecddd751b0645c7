// Byte helpers shared by the Worker, the tests and the Node scripts (no Node or Workers APIs).

export const utf8 = new TextEncoder();
export const fromUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Strict standard base64 (with padding); null when the text is not exactly that. */
export function fromBase64(text: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// Sextet of each ASCII character in lenient base64; SKIP for ignored line breaks, PAD for `=`.
const SKIP = -2;
const PAD = -3;
const SEXTETS = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  table["-".charCodeAt(0)] = 62;
  table["_".charCodeAt(0)] = 63;
  table[" ".charCodeAt(0)] = 62;
  for (const c of "\t\r\n") table[c.charCodeAt(0)] = SKIP;
  table["=".charCodeAt(0)] = PAD;
  return table;
})();

/**
 * Lenient base64 as callers send it (docs/contract.md §1): standard or URL-safe alphabet, padding
 * optional, tabs and line breaks ignored, a space read as `+` (an unencoded form body's `+`), `=`
 * only at the end, possibly followed by spaces. One pass, no regular expression: the time is
 * linear in the text whatever it holds.
 */
export function fromLenientBase64(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.ceil((text.length * 3) / 4));
  let bytes = 0;
  let sextets = 0;
  let bits = 0;
  let padded = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const sextet = code < 128 ? SEXTETS[code]! : -1;
    if (sextet === SKIP) continue;
    if (sextet === PAD) {
      padded = true;
      continue;
    }
    // After the padding only more `=` and spaces (trailing here, not `+`) may follow.
    if (padded && code === 0x20) continue;
    if (padded || sextet < 0) return null;
    bits = (bits << 6) | sextet;
    if (++sextets % 4 === 0) {
      out[bytes++] = bits >> 16;
      out[bytes++] = (bits >> 8) & 0xff;
      out[bytes++] = bits & 0xff;
      bits = 0;
    }
  }
  switch (sextets % 4) {
    case 1:
      return null; // six bits cannot make a byte
    case 2:
      out[bytes++] = bits >> 4;
      break;
    case 3:
      out[bytes++] = bits >> 10;
      out[bytes++] = (bits >> 2) & 0xff;
      break;
  }
  return out.slice(0, bytes);
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function randomBase64Url(byteCount: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}
