// The Worker's side of billing: the account's Durable Object, and the last balance it reported,
// kept a few seconds so an empty account is refused (104) at the token check without a round trip.
import { SERVICE, type AccountRecord } from "../accounts/record.ts";
import { BoundedCache } from "../platform/bounded-cache.ts";
import type { Opening } from "./types.ts";

export const accountObject = (env: Env, accountId: string) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(accountId));

export function openingOf(record: AccountRecord, service: string): Opening {
  return { balanceFen: record.openingBalanceFen, remaining: record.services[service]?.remaining ?? null };
}

/** The balance each account's object last reported in this isolate, for a few seconds. */
const hints = new BoundedCache<string, { readonly balanceFen: number | null }>(1_000, 5_000);

export function rememberBalance(accountId: string, balanceFen: number | null, now: number): void {
  hints.set(accountId, { balanceFen }, now);
}

/**
 * The balance for the token check (docs/contract.md §4: 104 there): the last one this isolate saw, or
 * one read-only call to the account's object when that is older than a few seconds. Under steady
 * traffic every reservation's reply refreshes it, so the read is rare.
 */
export async function currentBalance(env: Env, record: AccountRecord, now: number): Promise<number | null> {
  const hint = hints.get(record.id, now);
  if (hint) return hint.balanceFen;
  const { balanceFen } = await accountObject(env, record.id).state(SERVICE, openingOf(record, SERVICE));
  rememberBalance(record.id, balanceFen, now);
  return balanceFen;
}
