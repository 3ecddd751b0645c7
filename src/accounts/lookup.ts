// Token → account (CONTRACT.md §3, §7). KV records are parsed, never trusted; the result, with
// the unsealed and imported logon key, is cached in the isolate for a few seconds so the hot
// path does no KV read, no zod parse and no key import.
import { logonKey, type LogonKey } from "../crypto/logon.ts";
import { sha256Hex, unseal } from "../crypto/secrets.ts";
import { fail, ok, type Outcome } from "../outcome.ts";
import { AccountRecord, TOKEN_SHAPE, TokenEntry, accountKey, tokenKey } from "./record.ts";

export type Account = { readonly record: AccountRecord; readonly logonKey: LogonKey };

/** How long a change to an account (or a new token) may take to apply in a running isolate. */
export const ACCOUNT_CACHE_MS = 5_000;
const CACHE_MAX = 1_000;

type Cached = { readonly until: number; readonly outcome: Outcome<Account> };
const cache = new Map<string, Cached>();

export async function lookupAccount(kv: KVNamespace, secret: string, token: string, now: number): Promise<Outcome<Account>> {
  // Tokens we issue have one shape; anything else cannot be in the store.
  if (!TOKEN_SHAPE.test(token)) return fail("105");
  const hit = cache.get(token);
  if (hit && hit.until > now) return hit.outcome;
  const outcome = await load(kv, secret, token);
  if (outcome.ok || outcome.code !== "500") {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(token, { until: now + ACCOUNT_CACHE_MS, outcome });
  }
  return outcome;
}

async function load(kv: KVNamespace, secret: string, token: string): Promise<Outcome<Account>> {
  const entry = await readJson(kv, tokenKey(await sha256Hex(token)));
  if (entry === null) return fail("105");
  const pointer = TokenEntry.safeParse(entry);
  if (!pointer.success) return storeFault("token entry malformed");
  const raw = await readJson(kv, accountKey(pointer.data.accountId));
  if (raw === null) return fail("302");
  const record = AccountRecord.safeParse(raw);
  if (!record.success) return storeFault("account record malformed", pointer.data.accountId);
  const key = await openLogonKey(secret, record.data.id, record.data.sealedLogonKey);
  if (key === null) return storeFault("logon key does not unseal under SERVICE_SECRET", record.data.id);
  return ok({ record: record.data, logonKey: key });
}

// Unsealed and imported once per isolate per sealed key, not each time the account cache refreshes.
const keys = new Map<string, Promise<LogonKey | null>>();

function openLogonKey(secret: string, accountId: string, sealed: string): Promise<LogonKey | null> {
  const id = `${accountId}\n${sealed}`;
  let key = keys.get(id);
  if (!key) {
    key = unseal(secret, accountId, sealed).then((text) => (text === null ? null : logonKey(text)));
    if (keys.size >= CACHE_MAX) keys.delete(keys.keys().next().value!);
    keys.set(id, key);
    key.catch(() => keys.delete(id)); // a passing failure must not stick for the isolate's life
  }
  return key;
}

async function readJson(kv: KVNamespace, key: string): Promise<unknown> {
  const text = await kv.get(key, "text");
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function storeFault(problem: string, accountId?: string) {
  console.error(JSON.stringify({ level: "error", event: "account_store", problem, accountId }));
  return fail("500");
}

/** For tests that change an account and want the change seen at once. */
export function clearAccountCache(): void {
  cache.clear();
  keys.clear();
}
