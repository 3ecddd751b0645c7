// The Worker's side of billing: the account's Durable Object, and the last balance it reported,
// kept a few seconds so an empty account is refused (104) at the token check without a round trip.
import { SERVICE, type AccountRecord } from "../accounts/record.ts";
import type { Env } from "../env.ts";
import type { Opening } from "./types.ts";

export const accountObject = (env: Env, accountId: string) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(accountId));

export function openingOf(record: AccountRecord, service: string): Opening {
  return { balanceFen: record.balanceFen, remaining: record.services[service]?.remaining ?? null };
}

const BALANCE_HINT_MS = 5_000;
const hints = new Map<string, { readonly balanceFen: number | null; readonly until: number }>();

/** The balance the account's object last reported in this isolate, if recent; undefined when unknown. */
function balanceHint(accountId: string, now: number): number | null | undefined {
  const hint = hints.get(accountId);
  return hint && hint.until > now ? hint.balanceFen : undefined;
}

export function rememberBalance(accountId: string, balanceFen: number | null, now: number): void {
  if (hints.size >= 1_000 && !hints.has(accountId)) hints.delete(hints.keys().next().value!);
  hints.set(accountId, { balanceFen, until: now + BALANCE_HINT_MS });
}

export function clearBalanceHints(): void {
  hints.clear();
}

/**
 * The balance for the token check (CONTRACT.md §3: 104 there): the last one this isolate saw, or
 * one read-only call to the account's object when that is older than a few seconds. Under steady
 * traffic every reservation's reply refreshes it, so the read is rare.
 */
export async function currentBalance(env: Env, record: AccountRecord, now: number): Promise<number | null> {
  const hint = balanceHint(record.id, now);
  if (hint !== undefined) return hint;
  const { balanceFen } = await accountObject(env, record.id).state(SERVICE, openingOf(record, SERVICE));
  rememberBalance(record.id, balanceFen, now);
  return balanceFen;
}
