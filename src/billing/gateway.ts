// The Worker's side of billing: the account's Durable Object, and what its answers let this isolate
// know for a few seconds without asking again: the balance (the 104 check at the token check) and
// whether the token has spent its decryption-failure budget (docs/contract.md §2). Values only.
import { type AccountRecord, SERVICE } from "../accounts/record.ts";
import { readConfig } from "../config/config.ts";
import { BoundedCache } from "../platform/bounded-cache.ts";
import type { Opening } from "./types.ts";

/** OBJECT_LOCATION_HINT, parsed once per isolate: it only places objects not yet created (docs/benchmark.md "Placement"). */
const placement = (env: Env) => {
  const parsed = readConfig(env);
  const hint = parsed.ok ? parsed.config.OBJECT_LOCATION_HINT : undefined;
  return hint ? { locationHint: hint } : undefined;
};

export const accountObject = (env: Env, accountId: string) =>
  env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(accountId), placement(env));

export function openingOf(record: AccountRecord, service: string): Opening {
  return { balanceFen: record.openingBalanceFen, remaining: record.services[service]?.remaining ?? null };
}

/** The balance each account's object last reported in this isolate, for a few seconds. */
const hints = new BoundedCache<string, { readonly balanceFen: number | null }>(1_000, 5_000);

export function rememberBalance(accountId: string, balanceFen: number | null, now: number): void {
  hints.set(accountId, { balanceFen }, now);
}

/**
 * The balance as this isolate last heard it, or undefined when it has not for a few seconds. Under
 * steady traffic every `begin` refreshes it; the success path never asks for it (begin answers 104
 * itself), so it costs no round trip.
 */
export function knownBalance(accountId: string, now: number): number | null | undefined {
  return hints.get(accountId, now)?.balanceFen;
}

/** One read-only call for the balance: only on paths that refuse anyway (docs/contract.md §4: 104 first). */
export async function askBalance(env: Env, record: AccountRecord, now: number): Promise<number | null> {
  const { balanceFen } = await accountObject(env, record.id).state(SERVICE, openingOf(record, SERVICE));
  rememberBalance(record.id, balanceFen, now);
  return balanceFen;
}

/** Tokens that spent their decryption-failure budget, until the minute is over (token hash → true). */
const blocked = new BoundedCache<string, true>(1_000);

export function rememberBlocked(tokenHash: string, until: number, now: number): void {
  blocked.set(tokenHash, true, now, until);
}

export const isBlocked = (tokenHash: string, now: number) => blocked.get(tokenHash, now) === true;
