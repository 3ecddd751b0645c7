// The network a sandbox number is on today, for every vendor's twin: where it was ported to
// (src/sandbox/identities.ts), else its segment's carrier.
import { SANDBOX_PORTED } from "../sandbox/identities.ts";
import type { Carrier } from "../wire/carrier.ts";
import { carrierOfNumber } from "./carrier.ts";

export function networkOf(phone: string): Carrier | null {
  return (
    (Object.hasOwn(SANDBOX_PORTED, phone) ? SANDBOX_PORTED[phone] : undefined) ??
    carrierOfNumber(phone)?.carrier ??
    null
  );
}
