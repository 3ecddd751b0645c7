// Credential rotation with a grace (docs/contract.md §9), shared by the account command and the
// admin API: the new token or logonKey works at once; with a grace the previous one keeps working
// until `until`, checked against the clock at every read (accounts/lookup.ts), so no job revokes
// it. A grace of 0 is the plain rotation: the previous credential stops at once.
import { KEY_LENGTHS } from "../crypto/cipher.ts";
import { seal, sha256Hex } from "../crypto/secrets.ts";
import {
  AccountRecord,
  accountKey,
  inGrace,
  newLogonKey,
  newToken,
  TokenEntry,
  tokenEntry,
  tokenKey,
} from "./record.ts";

/** The longest grace a rotation may give the previous credential: a week. */
export const MAX_GRACE_SECONDS = 7 * 86_400;
/** KV's shortest expiry, in seconds from now. */
const KV_MIN_TTL = 60;

/** The ACCOUNTS namespace as both callers reach it (a KV binding, or the account command's store). */
export interface AccountsStore {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expiration?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

export type Rotated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const refused = (error: string): Rotated<never> => ({ ok: false, error });

/** The grace's end as the record holds it, or null for none; an error for a grace out of range. */
function graceEnd(graceSeconds: number, now: Date): Rotated<string | null> {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS)
    return refused(`the grace must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (7 days)`);
  return { ok: true, value: graceSeconds === 0 ? null : new Date(now.getTime() + graceSeconds * 1000).toISOString() };
}

/** A new token; the previous one honoured until the grace ends (its entry expires with it). */
export async function rotateToken(
  store: AccountsStore,
  before: AccountRecord,
  graceSeconds: number,
  now: Date,
  token = newToken(),
): Promise<Rotated<{ record: AccountRecord; token: string }>> {
  const until = graceEnd(graceSeconds, now);
  if (!until.ok) return until;
  const record = AccountRecord.parse({
    ...before,
    tokenHash: await sha256Hex(token),
    previousToken: until.value === null ? null : { tokenHash: before.tokenHash, until: until.value },
    updatedAt: now.toISOString(),
  });
  // New entry, then the record naming it; the old token works from then on only through the
  // record's previousToken, so an entry left behind by a failed delete authenticates nothing.
  await store.put(tokenKey(record.tokenHash), JSON.stringify(tokenEntry(record)));
  await store.put(accountKey(record.id), JSON.stringify(record));
  if (record.previousToken) await putPreviousEntry(store, record, now);
  else await store.delete(tokenKey(before.tokenHash));
  // One previous token at a time: an earlier rotation's grace ends with this one.
  const older = before.previousToken?.tokenHash;
  if (older !== undefined && older !== record.tokenHash) await store.delete(tokenKey(older));
  return { ok: true, value: { record, token } };
}

/** A new logonKey of `keyLength` characters; the previous one opens logons until the grace ends. */
export async function rotateKey(
  store: AccountsStore,
  before: AccountRecord,
  secret: string,
  keyLength: 16 | 32,
  graceSeconds: number,
  now: Date,
): Promise<Rotated<{ record: AccountRecord; logonKey: string }>> {
  if (!KEY_LENGTHS[before.cipher].includes(keyLength))
    return refused(`${before.cipher} takes a logonKey of ${KEY_LENGTHS[before.cipher].join(" or ")} characters`);
  const until = graceEnd(graceSeconds, now);
  if (!until.ok) return until;
  const logonKey = newLogonKey(keyLength);
  const record = AccountRecord.parse({
    ...before,
    sealedLogonKey: await seal(secret, before.id, logonKey),
    previousLogonKey: until.value === null ? null : { sealedLogonKey: before.sealedLogonKey, until: until.value },
    updatedAt: now.toISOString(),
  });
  await saveRecord(store, record, now);
  return { ok: true, value: { record, logonKey } };
}

/**
 * Writes the record, then refreshes the copy in its token entries (docs/contract.md §9): the live
 * token's unless it was revoked, and a previous token's while its grace lasts.
 */
export async function saveRecord(store: AccountsStore, record: AccountRecord, now: Date): Promise<void> {
  await store.put(accountKey(record.id), JSON.stringify(record));
  if (await entryPointsAt(store, record.tokenHash, record.id))
    await store.put(tokenKey(record.tokenHash), JSON.stringify(tokenEntry(record)));
  if (record.previousToken && inGrace(record.previousToken, now.getTime())) {
    if (await entryPointsAt(store, record.previousToken.tokenHash, record.id))
      await putPreviousEntry(store, record, now);
  }
}

/** The previous token's entry, expiring with its grace (KV keeps it at least a minute; the read checks `until`). */
async function putPreviousEntry(store: AccountsStore, record: AccountRecord, now: Date): Promise<void> {
  const { tokenHash, until } = record.previousToken!;
  const expiration = Math.max(Math.ceil(Date.parse(until) / 1000), Math.floor(now.getTime() / 1000) + KV_MIN_TTL);
  await store.put(tokenKey(tokenHash), JSON.stringify(tokenEntry(record)), { expiration });
}

async function entryPointsAt(store: AccountsStore, tokenHash: string, accountId: string): Promise<boolean> {
  const text = await store.get(tokenKey(tokenHash));
  if (text === null) return false;
  try {
    return TokenEntry.safeParse(JSON.parse(text)).data?.accountId === accountId;
  } catch {
    return false;
  }
}
