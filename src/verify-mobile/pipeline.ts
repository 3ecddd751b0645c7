// The verifyMobile pipeline, in the contract's check order (docs/contract.md §4): parameters →
// token → account state → decrypt → logon fields → duplicate → rate limit → per-person budget →
// quota → upstream. Each step returns an Outcome; the first failure is the answer.
//
// Round trips before the upstream call (docs/contract.md §7): with the account cached, exactly one,
// the object's `begin`, which answers every check from the duplicate step on; on a cold isolate one
// KV read before it. Refusals on the way may pay one more (104 comes first: when this isolate does
// not know the balance, a refusal asks the object before answering).
import { checkAccount } from "../accounts/check.ts";
import { type Account, lookupAccount, sameAccount } from "../accounts/lookup.ts";
import { SERVICE } from "../accounts/record.ts";
import {
  accountObject,
  askBalance,
  isBlocked,
  knownBalance,
  openingOf,
  rememberBalance,
  rememberBlocked,
} from "../billing/gateway.ts";
import { decryptLogon, TOO_MANY_FAILURES_REASON } from "../crypto/logon.ts";
import { duplicateKey, fingerprint, requestKey, subjectKeys } from "../duplicates/fingerprint.ts";
import { answerDuplicate, answerRetry } from "../duplicates/policy.ts";
import { recentDuplicate } from "../duplicates/store.ts";
import { parseLogonFields } from "../identity/logon-fields.ts";
import type { Background } from "../platform/background.ts";
import { type Config, readConfig } from "../platform/config.ts";
import { chinaDay } from "../platform/time.ts";
import type { UpstreamCall } from "../upstream/router.ts";
import type { Verified } from "../wire/envelope.ts";
import { type Failure, fail, type Outcome, ok } from "../wire/outcome.ts";
import { billableCall } from "./billable-call.ts";
import { readFields } from "./request/body.ts";
import { type Params, parseParams, REQUEST_ID_HEADER } from "./request/params.ts";

/** Facts gathered along the way for the log line, the ledger and the response headers. */
export type Trace = {
  accountId: string | null;
  fingerprint: string | null;
  upstream: UpstreamCall | null;
  /**
   * The account's object records this request itself: its settlement writes the ledger row, or,
   * for a rate-limited request, its rollup counts it (docs/contract.md §8): no row from the isolate.
   */
  recordedByObject: boolean;
  /** Seconds for the Retry-After header of the rate limit's 502. */
  retryAfterSeconds: number | null;
  /** The answer is about an earlier request: a repeat, a retry, or one still in flight (the ledger's flag). */
  duplicate: boolean;
};

type Step = { env: Env; ctx: Background; config: Config; params: Params; orderNo: string; now: number; trace: Trace };

export async function run(
  request: Request,
  env: Env,
  ctx: Background,
  orderNo: string,
  now: number,
  trace: Trace,
): Promise<Outcome<Verified>> {
  const config = readConfig(env);
  if (!config.ok) return fail("500");

  const fields = await readFields(request);
  if (!fields.ok) return fields;
  const params = parseParams(fields.value, request.headers.get(REQUEST_ID_HEADER));
  if (!params.ok) return params;

  const found = await lookupAccount(env.ACCOUNTS, config.config.SERVICE_SECRET, params.value.token, now);
  if (!found.ok) return found;
  return verifyAs(
    { env, ctx, config: config.config, params: params.value, orderNo, now, trace },
    found.value.account,
    found.value.confirmation,
  );
}

/**
 * Everything after the token lookup, for one view of the account. `confirmation` is the record's
 * own read when `account` is the token entry's copy: no answer and no upstream call before it says
 * the copy is current; when it is not, the request starts again here from the record.
 */
async function verifyAs(
  s: Step,
  account: Account,
  confirmation: Promise<Outcome<Account>> | null,
): Promise<Outcome<Verified>> {
  const { env, params, orderNo, now, trace } = s;
  const { record, logonKey } = account;
  const secret = s.config.SERVICE_SECRET;
  Object.assign(trace, {
    accountId: record.id,
    fingerprint: null,
    retryAfterSeconds: null,
    duplicate: false,
  } satisfies Partial<Trace>);

  const current = async () => {
    const truth = await confirmation;
    return !truth || (truth.ok && sameAccount(truth.value, account));
  };
  const fromRecord = async (): Promise<Outcome<Verified>> => {
    const truth = (await confirmation)!;
    return truth.ok ? verifyAs(s, truth.value, null) : truth;
  };
  const answer = async (outcome: Outcome<Verified>) => ((await current()) ? outcome : fromRecord());
  /** A refusal after the token check: 104 comes before it (docs/contract.md §4). */
  const refuse = async (failure: Failure, balance = knownBalance(record.id, now)) => {
    const known = balance === undefined ? await askBalance(env, record, now) : balance;
    return answer(known !== null && known <= 0 ? fail("104") : failure);
  };

  // The balance as this isolate knows it: an empty account is refused here without decrypting.
  const state = checkAccount(record, SERVICE, chinaDay(now), knownBalance(record.id, now) ?? null);
  if (!state.ok) return state.code === "103" || state.code === "104" ? answer(state) : refuse(state);

  // A token past its decryption-failure budget is refused without decrypting (docs/contract.md §2).
  if (isBlocked(record.tokenHash, now)) return refuse(fail("307", TOO_MANY_FAILURES_REASON));
  const decrypted = await decryptLogon(logonKey, params.iv, params.logon, params.logonText, record.diagnostics);
  if (!decrypted.ok) {
    if (decrypted.code !== "307") return refuse(decrypted);
    // Counted by the account's object, across isolates; it also says the balance.
    const verdict = await accountObject(env, record.id).decryptionFailed({
      service: SERVICE,
      opening: openingOf(record, SERVICE),
      tokenHash: record.tokenHash,
      now,
    });
    rememberBalance(record.id, verdict.balanceFen, now);
    if (verdict.blockedUntil !== null) rememberBlocked(record.tokenHash, verdict.blockedUntil, now);
    return refuse(verdict.overBudget ? fail("307", TOO_MANY_FAILURES_REASON) : decrypted, verdict.balanceFen);
  }
  const identity = parseLogonFields(decrypted.value, new Date(now));
  if (!identity.ok) return refuse(identity);

  const [fp, subjects, retryKey] = await Promise.all([
    fingerprint(secret, record.id, identity.value),
    subjectKeys(secret, record.id, identity.value),
    params.requestId === null ? null : requestKey(secret, record.id, params.requestId),
  ]);
  trace.fingerprint = fp;
  const key = duplicateKey(record.id, fp);
  // This isolate's own copy of the duplicate cache answers without a round trip, once it knows
  // the balance is above 0; a requestId is for the account's object to answer (docs/contract.md §6).
  const balanceKnown = knownBalance(record.id, now) !== undefined;
  const recent = retryKey === null && balanceKnown ? recentDuplicate(key, now) : null;
  if (recent) {
    trace.duplicate = true;
    return answer(answerDuplicate(recent, record, orderNo));
  }

  const shared = await billableCall({
    env,
    ctx: s.ctx,
    config: s.config,
    record,
    identity: identity.value,
    fingerprint: fp,
    subjects,
    requestKey: retryKey,
    key,
    orderNo,
    now,
    cacheFirst: balanceKnown,
    ready: current,
  });
  switch (shared.kind) {
    case "refused":
      trace.retryAfterSeconds = shared.retryAfterSeconds ?? null;
      trace.recordedByObject = trace.retryAfterSeconds !== null;
      trace.duplicate = shared.duplicate ?? false;
      return answer(shared.failure);
    case "duplicate":
      trace.duplicate = true;
      return answer(answerDuplicate(shared.stored, record, orderNo));
    case "retried":
      trace.duplicate = true;
      return answer(answerRetry(shared.stored));
    case "stale":
      return fromRecord();
    case "answered": {
      trace.recordedByObject = true;
      trace.upstream = shared.call;
      const result = shared.call.outcome;
      if (!result.ok) return result;
      return ok({
        returnCode: result.value.returnCode,
        info: {
          orderNo,
          matchCode: result.value.matchCode,
          carrier: result.value.carrier,
          billable: true,
          duplicate: false,
        },
      });
    }
    default:
      return shared satisfies never;
  }
}
