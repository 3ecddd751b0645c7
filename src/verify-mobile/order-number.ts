import { toHex } from "../crypto/bytes.ts";
import { chinaStamp } from "../platform/time.ts";

/** Our order number: China time to the millisecond plus 6 random bytes, e.g. VM20261126093000123a1b2c3d4e5f6. */
export function newOrderNo(now: number): string {
  return `VM${chinaStamp(now)}${toHex(crypto.getRandomValues(new Uint8Array(6)))}`;
}
