// Pure account checks (CONTRACT.md §3): state at the token check, then the price and quota
// check just before the upstream call. `today` is passed in: no clock here.
import { fail, ok, type Outcome } from "../outcome.ts";
import type { AccountRecord } from "./record.ts";

/** The order is the contract's: 103, 104, 304, 311, 305, 314 (302 is the lookup's). */
export function checkAccount(record: AccountRecord, service: string, today: string): Outcome<void> {
  if (record.status === "offline") return fail("103");
  if (record.balanceFen !== null && record.balanceFen <= 0) return fail("104");
  if (record.status === "frozen") return fail("304");
  if (Object.keys(record.services).length === 0) return fail("311");
  if (!record.services[service]) return fail("305");
  // The contract end day is inclusive.
  if (record.contractEnd !== null && record.contractEnd < today) return fail("314");
  return ok(undefined);
}

export function checkQuota(record: AccountRecord, service: string): Outcome<void> {
  const terms = record.services[service];
  if (!terms) return fail("305");
  if (record.balanceFen !== null && record.balanceFen < terms.priceFen) return fail("312");
  if (terms.remaining === 0) return fail("313");
  return ok(undefined);
}

/** The calendar day in China (UTC+8), where contract dates are written. */
export function chinaDay(now: number): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}
