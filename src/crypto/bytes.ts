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

/**
 * Lenient base64 as callers send it (CONTRACT.md §1): standard or URL-safe alphabet, padding
 * optional, line breaks ignored, and a space that stood for `+` in an unencoded form body.
 */
export function fromLenientBase64(text: string): Uint8Array | null {
  // Spaces are not trimmed: at either end they may stand for a `+` too.
  const cleaned = text
    .replace(/[\t\r\n]/g, "")
    .replace(/=[ =]*$/, "") // padding, and any spaces after it
    .replace(/ /g, "+")
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  if (cleaned.length % 4 === 1) return null;
  return fromBase64(cleaned + "=".repeat((4 - (cleaned.length % 4)) % 4));
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function randomBase64Url(byteCount: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}
