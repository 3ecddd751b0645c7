import { toHex } from "./crypto/bytes.ts";

/** Our order number: China time to the millisecond plus 6 random bytes, e.g. VM20261126093000123a1b2c3d4e5f6. */
export function newOrderNo(now: number): string {
  const stamp = new Date(now + 8 * 3_600_000).toISOString().replace(/\D/g, "").slice(0, 17);
  return `VM${stamp}${toHex(crypto.getRandomValues(new Uint8Array(6)))}`;
}
