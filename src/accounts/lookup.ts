// Token → account (docs/contract.md §4, §9). KV records are parsed, never trusted; the result, with
// the unsealed and imported logon key, is cached in the isolate for a few seconds so the hot
// path does no KV read, no zod parse and no key import.
//
// One KV read yields the account on a cold path: the token entry carries a copy of the record.
// The record under `account:<id>` stays the source of truth: it is read at the same time, off the
// serial path, and the request's answer (and its upstream call) waits for it; when the two
// differ (a token entry a rotation left behind, a change still propagating) the record decides.
import { type LogonKey, logonKey } from "../crypto/logon.ts";
import { sha256Hex, unseal } from "../crypto/secrets.ts";
import { BoundedCache } from "../platform/bounded-cache.ts";
import { logEvent } from "../platform/log.ts";
import { fail, type Outcome, ok } from "../wire/outcome.ts";
import { AccountRecord, accountKey, inGrace, TOKEN_SHAPE, TokenEntry, tokenKey } from "./record.ts";

/** Which of an account's credentials a request used: a rotation's grace keeps the previous one (§9). */
export type Credential = "current" | "previous";

export type Account = {
  readonly record: AccountRecord;
  readonly logonKey: LogonKey;
  /** The key a rotation replaced, while its grace lasts (openLogon checks `until` against its `now`). */
  readonly previousLogonKey: { readonly key: LogonKey; readonly until: number } | null;
  /** Which token found the account. */
  readonly token: Credential;
};

export type Found = {
  readonly account: Account;
  /**
   * Set when `account` is the token entry's copy: the record's own read, already under way. The
   * request must not answer or go upstream before it resolves the same as `account` (sameAccount).
   */
  readonly confirmation: Promise<Outcome<Account>> | null;
};

/** How long a change to an account (or a new token) may take to apply in a running isolate. */
export const ACCOUNT_CACHE_MS = 5_000;

// Refusals live apart from accounts, so a spray of random tokens cannot evict live accounts.
const accounts = new BoundedCache<string, Outcome<Account>>(1_000, ACCOUNT_CACHE_MS);
const refusals = new BoundedCache<string, Outcome<Account>>(1_000, ACCOUNT_CACHE_MS);
// Tokens whose entry is older than a record that names another token: dead for good (a rotation
// never brings a token back), so their stale entry costs the account nothing more in this isolate.
const disowned = new BoundedCache<string, true>(10_000);
// Unsealed and imported once per isolate per sealed key, not each time the account cache refreshes.
const keys = new BoundedCache<string, LogonKey>(1_000);

export async function lookupAccount(
  kv: KVNamespace,
  secret: string,
  token: string,
  now: number,
): Promise<Outcome<Found>> {
  // Tokens we issue have one shape; anything else cannot be in the store. A disowned one stays refused.
  if (!TOKEN_SHAPE.test(token) || disowned.get(token, now)) return fail("105");
  const hit = accounts.get(token, now) ?? refusals.get(token, now);
  // A previous token's grace is checked at every read, the cached ones included: no job revokes it.
  if (hit) return found(hit.ok && !tokenHonoured(hit.value, now) ? fail("105") : hit, null);
  const hash = await sha256Hex(token);
  const entry = await readJson(kv, tokenKey(hash));
  if (entry === null) return found(remember(token, fail("105"), now), null);
  const pointer = TokenEntry.safeParse(entry);
  if (!pointer.success) return storeFault("token entry malformed");
  const { accountId } = pointer.data;
  const copy = AccountRecord.safeParse(pointer.data.record);
  const usable =
    copy.success && copy.data.id === accountId && credentialOf(copy.data, hash, now) !== null ? copy.data : null;
  const record = (): Promise<Outcome<Account>> =>
    loadRecord(kv, secret, accountId, hash, now).then(
      (truth) =>
        remember(token, truth.ok || !supersedes(truth.record, usable) ? truth.outcome : disown(token, now), now),
      () => storeFault("account record unreadable", accountId),
    );
  if (!usable) return found(await record(), null);
  const confirmation = record();
  const account = await open(secret, usable, hash, now);
  return account.ok ? found(account, confirmation) : confirmation.then((truth) => found(truth, null));
}

/** Whether the account a request was checked under is the record's own (see Found). */
export const sameAccount = (a: Account, b: Account) => JSON.stringify(a.record) === JSON.stringify(b.record);

/** Which token `hash` is for the record at `now`: its own, a rotated one still in grace, or none. */
function credentialOf(record: AccountRecord, hash: string, now: number): Credential | null {
  if (record.tokenHash === hash) return "current";
  return record.previousToken?.tokenHash === hash && inGrace(record.previousToken, now) ? "previous" : null;
}

const tokenHonoured = (account: Account, now: number) =>
  account.token === "current" || inGrace(account.record.previousToken, now);

function found(outcome: Outcome<Account>, confirmation: Promise<Outcome<Account>> | null): Outcome<Found> {
  return outcome.ok ? ok({ account: outcome.value, confirmation }) : outcome;
}

function remember(token: string, outcome: Outcome<Account>, now: number): Outcome<Account> {
  if (outcome.ok) accounts.set(token, outcome, now);
  else if (outcome.code !== "500") refusals.set(token, outcome, now);
  return outcome;
}

/** The record's verdict on a token; `record` is set when the record was read but names another token. */
type Loaded =
  | { ok: true; outcome: Outcome<Account> }
  | { ok: false; outcome: Outcome<Account>; record: AccountRecord | null };

async function loadRecord(
  kv: KVNamespace,
  secret: string,
  accountId: string,
  hash: string,
  now: number,
): Promise<Loaded> {
  const raw = await readJson(kv, accountKey(accountId));
  if (raw === null) return { ok: false, outcome: fail("302"), record: null };
  const record = AccountRecord.safeParse(raw);
  if (!record.success) return { ok: false, outcome: storeFault("account record malformed", accountId), record: null };
  // The record names its live token (and a rotated one during its grace): any other entry a
  // rotation left behind authenticates nothing.
  if (credentialOf(record.data, hash, now) === null) return { ok: false, outcome: fail("105"), record: record.data };
  return { ok: true, outcome: await open(secret, record.data, hash, now) };
}

/**
 * Whether a record that names another token was written after the token entry's copy: then the
 * entry is one a rotation left behind. A copy newer than the record is a rotation still under way.
 */
const supersedes = (record: AccountRecord | null, copy: AccountRecord | null) =>
  record !== null && copy !== null && Date.parse(record.updatedAt) >= Date.parse(copy.updatedAt);

function disown(token: string, now: number): Outcome<Account> {
  disowned.set(token, true, now);
  return fail("105");
}

async function open(secret: string, record: AccountRecord, hash: string, now: number): Promise<Outcome<Account>> {
  const previous = record.previousLogonKey;
  const [key, previousKey] = await Promise.all([
    openLogonKey(secret, record, record.sealedLogonKey, now),
    previous && inGrace(previous, now) ? openLogonKey(secret, record, previous.sealedLogonKey, now) : null,
  ]);
  if (key === null) return storeFault("logon key does not unseal under SERVICE_SECRET or fit the cipher", record.id);
  return ok({
    record,
    logonKey: key,
    previousLogonKey: previous && previousKey ? { key: previousKey, until: Date.parse(previous.until) } : null,
    token: credentialOf(record, hash, now) ?? "current",
  });
}

async function openLogonKey(
  secret: string,
  record: AccountRecord,
  sealed: string,
  now: number,
): Promise<LogonKey | null> {
  const id = `${record.id}\n${record.cipher}\n${sealed}`;
  const cached = keys.get(id, now);
  if (cached) return cached;
  const text = await unseal(secret, record.id, sealed);
  const key = text === null ? null : await logonKey(text, record.cipher);
  if (key !== null) keys.set(id, key, now);
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
  logEvent("error", "account_store", { problem, accountId });
  return fail("500");
}
