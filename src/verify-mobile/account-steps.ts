// The steps between the token check and the billable call (docs/contract.md §4): the account's
// state, the logon opened into an identity (with the failure budget around it), and the identity's
// keys. Each takes the request context and returns its outcome; a refusal has already had the
// contract's "104 first" applied (refuse).
import { checkAccount } from "../accounts/check.ts";
import type { Account, Credential } from "../accounts/lookup.ts";
import { type AccountRecord, SERVICE } from "../accounts/record.ts";
import {
  accountObject,
  askBalance,
  isBlocked,
  knownBalance,
  openingOf,
  rememberBalance,
  rememberBlocked,
} from "../billing/gateway.ts";
import { TOO_MANY_FAILURES_REASON } from "../crypto/logon.ts";
import { duplicateKey, fingerprint, requestKey, type Subjects, subjectKeys } from "../duplicates/fingerprint.ts";
import type { Identity } from "../identity/identity.ts";
import { openLogon } from "../logon/open.ts";
import { chinaDay } from "../platform/time.ts";
import { type Failure, fail, type Outcome, ok } from "../wire/outcome.ts";
import type { RequestContext } from "./context.ts";
import { rememberTooFast, tooFast } from "./local-rate.ts";
import { reachObject } from "./object-call.ts";

/**
 * A refusal after the token check: 104 comes before it (docs/contract.md §4). When this isolate
 * does not know the balance, one read-only call asks the object; refusals only, never the 200 path.
 */
export async function refuse(
  ctx: RequestContext,
  record: AccountRecord,
  failure: Failure,
  balance = knownBalance(record.id, ctx.now),
): Promise<Failure> {
  if (balance !== undefined) return balance !== null && balance <= 0 ? fail("104") : failure;
  const asked = await reachObject(askBalance(ctx.env, record, ctx.now), "state", ctx.orderNo);
  if (!asked.ok) return asked;
  return asked.value !== null && asked.value <= 0 ? fail("104") : failure;
}

/** 103, 104, 304, 311, 305, 314, with the balance as this isolate knows it: an empty account is refused without decrypting. */
export async function checkState(ctx: RequestContext, record: AccountRecord): Promise<Outcome<void>> {
  const state = checkAccount(record, SERVICE, chinaDay(ctx.now), knownBalance(record.id, ctx.now) ?? null);
  if (state.ok || state.code === "103" || state.code === "104") return state;
  return refuse(ctx, record, state);
}

/**
 * The logon opened into an identity, inside the decryption-failure budget (docs/contract.md §2):
 * a token past its budget is refused without decrypting; every 307 is counted by the account's
 * object, across isolates, which also says the balance (openLogon says which refusals count).
 */
export async function readIdentity(
  ctx: RequestContext,
  account: Account,
): Promise<Outcome<{ identity: Identity; key: Credential }>> {
  const { record } = account;
  if (isBlocked(record.tokenHash, ctx.now)) return refuse(ctx, record, fail("307", TOO_MANY_FAILURES_REASON));
  const { outcome: identity, counted, key } = await openLogon(account, ctx.params, ctx.now);
  if (identity.ok) return ok({ identity: identity.value, key: key ?? "current" });
  if (!counted) return refuse(ctx, record, identity);
  const reached = await reachObject(
    accountObject(ctx.env, record.id).decryptionFailed({
      service: SERVICE,
      opening: openingOf(record, SERVICE),
      tokenHash: record.tokenHash,
      rateLimit: record.rateLimit,
      now: ctx.now,
    }),
    "decryptionFailed",
    ctx.orderNo,
  );
  if (!reached.ok) return reached;
  const verdict = reached.value;
  rememberBalance(record.id, verdict.balanceFen, ctx.now);
  // Past the rate limit the object counted nothing and says only when to come back (docs/contract.md §8).
  if (verdict.retryAfterMs !== null) {
    rememberTooFast(record, verdict.retryAfterMs, ctx.now);
    return refuse(ctx, record, tooFast(record, verdict.retryAfterMs), verdict.balanceFen);
  }
  if (verdict.blockedUntil !== null) rememberBlocked(record.tokenHash, verdict.blockedUntil, ctx.now);
  return refuse(ctx, record, verdict.overBudget ? fail("307", TOO_MANY_FAILURES_REASON) : identity, verdict.balanceFen);
}

/** The rotated credentials a request used during their grace, for the log line and the ledger (docs/contract.md §9). */
export const previousCredential = (token: Credential, key: Credential) =>
  [token === "previous" ? "token" : null, key === "previous" ? "key" : null].filter(Boolean).join(",") || null;

/** HMACs of the identity under the service secret: never the plain values (docs/contract.md §6, §8). */
export type IdentityKeys = {
  readonly identity: Identity;
  readonly fingerprint: string;
  /** The duplicate cache's key. */
  readonly duplicateKey: string;
  readonly subjects: Subjects;
  /** HMAC of the caller's requestId, or null. */
  readonly requestKey: string | null;
};

export async function identityKeys(
  ctx: RequestContext,
  record: AccountRecord,
  identity: Identity,
): Promise<IdentityKeys> {
  const secret = ctx.config.SERVICE_SECRET;
  const { requestId } = ctx.params;
  const [fp, subjects, retryKey] = await Promise.all([
    fingerprint(secret, record.id, identity),
    subjectKeys(secret, record.id, identity),
    requestId === null ? null : requestKey(secret, record.id, requestId),
  ]);
  return { identity, fingerprint: fp, duplicateKey: duplicateKey(record.id, fp), subjects, requestKey: retryKey };
}
