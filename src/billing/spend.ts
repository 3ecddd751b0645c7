// What each upstream attempt cost the operator, and the margin per day × account × vendor
// (docs/contract.md §12). Vendors bill per answer by their own codes, so the price table says,
// per vendor, the fen each of its codes costs; "*" prices every other code; a code the table
// does not price is free. An attempt without a code is a call whose answer nobody saw (a
// transport failure, or a reservation lost with its process, §7): it may be billed, so it is
// counted apart, as maybe-called. Pure: the admin route feeds it ledger rows.
import * as z from "zod/mini";
import { chinaDay } from "../platform/time.ts";
import type { Attempt } from "../upstream/upstream.ts";
import type { LedgerEntry } from "./types.ts";

const Fen = z.int().check(z.minimum(0), z.maximum(1_000_000));
/** `UPSTREAM_PRICES`: `{"juhe": {"0": 30}, "tencent": {"0": 25, "-4": 25}}`. */
export const PriceTable = z.record(z.string().check(z.minLength(1)), z.record(z.string().check(z.minLength(1)), Fen));
export type PriceTable = z.infer<typeof PriceTable>;

export type Prices =
  | { readonly ok: true; readonly table: PriceTable }
  | { readonly ok: false; readonly problem: string };

export function parsePrices(text: string | undefined): Prices {
  if (text === undefined || text.trim() === "") return { ok: true, table: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: "UPSTREAM_PRICES is not JSON" };
  }
  const parsed = PriceTable.safeParse(json);
  return parsed.success
    ? { ok: true, table: parsed.data }
    : {
        ok: false,
        problem: 'UPSTREAM_PRICES must be {"<vendor>": {"<vendor code>|*": <fen 0..1000000>}}',
      };
}

/** The fen an answered attempt costs; null for one without a code (maybe called). */
export function attemptCost(table: PriceTable, attempt: Attempt): number | null {
  if (attempt.code === null) return null;
  const prices = Object.hasOwn(table, attempt.upstream) ? table[attempt.upstream]! : {};
  if (Object.hasOwn(prices, attempt.code)) return prices[attempt.code]!;
  return Object.hasOwn(prices, "*") ? prices["*"]! : 0;
}

export type SpendRow = {
  readonly day: string;
  readonly accountId: string;
  readonly vendor: string;
  /** Attempts the vendor answered (with a code of its own). */
  readonly calls: number;
  /** Attempts whose answer nobody saw: the vendor may bill them. */
  readonly maybeCalls: number;
  readonly costFen: number;
  /** What the account was charged for answers this vendor gave. */
  readonly revenueFen: number;
  readonly marginFen: number;
};

/** A request's charge goes to the vendor whose answer it was: the last attempt's. */
export const NO_VENDOR = "-";

type Sum = { calls: number; maybeCalls: number; costFen: number; revenueFen: number };

/** Rows per day and vendor for one account's ledger rows, in day then vendor order. */
export function spendRows(accountId: string, entries: readonly LedgerEntry[], table: PriceTable): SpendRow[] {
  const sums = new Map<string, Sum>();
  const sumOf = (day: string, vendor: string) => {
    const key = `${day}\u0000${vendor}`;
    const sum = sums.get(key) ?? { calls: 0, maybeCalls: 0, costFen: 0, revenueFen: 0 };
    sums.set(key, sum);
    return sum;
  };
  for (const entry of entries) {
    const day = chinaDay(entry.at);
    for (const attempt of entry.attempts) {
      const sum = sumOf(day, attempt.upstream);
      const cost = attemptCost(table, attempt);
      if (cost === null) sum.maybeCalls++;
      else {
        sum.calls++;
        sum.costFen += cost;
      }
    }
    if (entry.chargedFen !== 0) sumOf(day, entry.attempts.at(-1)?.upstream ?? NO_VENDOR).revenueFen += entry.chargedFen;
  }
  return [...sums]
    .map(([key, sum]) => {
      const [day = "", vendor = ""] = key.split("\u0000");
      return { day, accountId, vendor, ...sum, marginFen: sum.revenueFen - sum.costFen };
    })
    .sort((a, b) => (a.day === b.day ? a.vendor.localeCompare(b.vendor) : a.day < b.day ? -1 : 1));
}
