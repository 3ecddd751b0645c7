// The verifyMobile pipeline, in the contract's check order (docs/contract.md §4): parameters →
// token → IP allowlist → account state → decrypt → logon fields → rate limit → duplicate or
// request id → per-person budget → quota → upstream. One read-only RequestContext is built once;
// each step returns its outcome and the facts it learnt; the first failure is the answer.
//
// Round trips before the upstream call (docs/contract.md §7): with the account cached, exactly one,
// the object's `begin`, which answers every check from the rate limit on; on a cold isolate one
// KV read before it. Refusals on the way may pay one more (104 comes first: when this isolate does
// not know the balance, a refusal asks the object before answering).
import { CLIENT_IP_HEADER, IP_NOT_ALLOWED, ipAllowed } from "../accounts/allow-ip.ts";
import { type Found, lookupAccount, sameAccount } from "../accounts/lookup.ts";
import { SERVICE } from "../accounts/record.ts";
import { accountObject, isBlocked, knownBalance } from "../billing/gateway.ts";
import { readConfig } from "../config/config.ts";
import { answerDuplicate, answerRetry } from "../duplicates/policy.ts";
import { recentDuplicate } from "../duplicates/store.ts";
import type { Background } from "../platform/background.ts";
import { logEvent } from "../platform/log.ts";
import { fail, ok } from "../wire/outcome.ts";
import { checkState, identityKeys, previousCredential, readIdentity } from "./account-steps.ts";
import { billableCall, type Shared } from "./billable-call.ts";
import { type AccountView, type Answer, answer, type Facts, type RequestContext, unhandled } from "./context.ts";
import { drawLocally, tooFast } from "./local-rate.ts";
import { readFields } from "./request/body.ts";
import { parseParams, REQUEST_ID_HEADER } from "./request/params.ts";

export async function run(
  request: Request,
  env: Env,
  background: Background,
  orderNo: string,
  now: number,
): Promise<Answer> {
  const config = readConfig(env);
  if (!config.ok) return answer(fail("500"));

  const fields = await readFields(request);
  if (!fields.ok) return answer(fields);
  const params = parseParams(fields.value, request.headers.get(REQUEST_ID_HEADER));
  if (!params.ok) return answer(params);
  const clientIp = request.headers.get(CLIENT_IP_HEADER);
  const ctx: RequestContext = { env, background, config: config.config, params: params.value, orderNo, now, clientIp };

  const found = await lookupAccount(env.ACCOUNTS, ctx.config.SERVICE_SECRET, ctx.params.token, now);
  if (!found.ok) return answer(found);
  return underRecord(ctx, found.value);
}

/**
 * The stale-copy rule (accounts/lookup.ts), in one place: the request runs under the account as
 * found; when that was the token entry's copy and the record's own read says otherwise, the request
 * runs again from the record and only that answer counts (nothing was sent upstream meanwhile).
 */
async function underRecord(ctx: RequestContext, found: Found): Promise<Answer> {
  const { account, confirmation } = found;
  const confirmed = confirmation
    ? confirmation.then((truth) => truth.ok && sameAccount(truth.value, account))
    : Promise.resolve(true);
  let answered: Answer | "stale";
  try {
    answered = await verifyAs(ctx, { account, confirmed });
  } catch (error) {
    return unhandled(ctx.orderNo, error, (await confirmed) ? { accountId: account.record.id } : {});
  }
  if (answered !== "stale" && (await confirmed)) return answered;
  // Only a copy can be stale: `confirmation` is set.
  const truth = await confirmation!;
  if (truth.ok) return underRecord(ctx, { account: truth.value, confirmation: null });
  // A record that is gone or names another token owns nothing of this request: no row in its ledger.
  return answer(truth, truth.code === "500" ? { accountId: account.record.id } : {});
}

/** Everything after the token lookup, for one view of the account; "stale" when that view turned out not to be current. */
async function verifyAs(ctx: RequestContext, view: AccountView): Promise<Answer | "stale"> {
  const { account } = view;
  const { record } = account;
  const learnt = { accountId: record.id, previousCredential: previousCredential(account.token, "current") };
  if (!ipAllowed(record.allowIps, ctx.clientIp)) return answer(fail("305", IP_NOT_ALLOWED), learnt);

  const state = await checkState(ctx, record);
  if (!state.ok) return answer(state, learnt);
  // Every request past the account state draws from the rate before anything the account
  // remembers answers it (docs/contract.md §8): a spent failure budget, a requestId, a repeat.
  const overMs = drawLocally(record, ctx.now);
  if (overMs !== null && isBlocked(record.tokenHash, ctx.now)) return refuseTooFast(ctx, view, overMs, learnt);
  const opened = await readIdentity(ctx, account);
  if (!opened.ok) return answer(opened, learnt);

  const keys = await identityKeys(ctx, record, opened.value.identity);
  const used = previousCredential(account.token, opened.value.key);
  const known = { ...learnt, fingerprint: keys.fingerprint, previousCredential: used };
  // This isolate's own copy of the duplicate cache answers without a round trip, once it knows
  // the balance is above 0; a requestId is for the account's object to answer (docs/contract.md §6).
  const balanceKnown = knownBalance(record.id, ctx.now) !== undefined;
  const recent = keys.requestKey === null && balanceKnown ? recentDuplicate(keys.duplicateKey, ctx.now) : null;
  if (overMs !== null && (recent || keys.requestKey !== null)) return refuseTooFast(ctx, view, overMs, known);
  if (recent)
    return answer(answerDuplicate(recent, record, ctx.orderNo), {
      ...known,
      duplicate: true,
      replayOf: recent.orderNo,
    });

  // Past the rate, a new identity is the object's to refuse: its count is exact across isolates.
  const shared = await billableCall(ctx, view, keys, {
    cacheFirst: balanceKnown && overMs === null,
    previousCredential: used,
  });
  return shared.kind === "stale" ? "stale" : answerShared(ctx, view, shared, known);
}

/** The rate limit's 502 from this isolate's count; the object's rollups count it, no detail row (docs/contract.md §8). */
function refuseTooFast(ctx: RequestContext, view: AccountView, overMs: number, learnt: Partial<Facts>): Answer {
  const { record } = view.account;
  // Counted once the record confirms the account: a token it does not name never reaches the object.
  const tally = async () => {
    if (await view.confirmed) await accountObject(ctx.env, record.id).tallyRefusal(SERVICE, "502", ctx.now);
  };
  ctx.background.waitUntil(tally().catch(() => logEvent("warn", "tally_failed", { orderNo: ctx.orderNo })));
  return answer(tooFast(record, overMs), { ...learnt, recordedByObject: true });
}

/** What the billable call's result tells the caller, with the facts for the ledger and the headers. */
function answerShared(
  ctx: RequestContext,
  view: AccountView,
  shared: Exclude<Shared, { kind: "stale" }>,
  known: { accountId: string; fingerprint: string; previousCredential: string | null },
): Answer {
  switch (shared.kind) {
    case "refused":
      return answer(shared.failure, {
        ...known,
        recordedByObject: shared.recordedByObject,
        duplicate: shared.duplicate,
        replayOf: shared.replayOf,
      });
    case "duplicate":
      return answer(answerDuplicate(shared.stored, view.account.record, ctx.orderNo), {
        ...known,
        duplicate: true,
        replayOf: shared.stored.orderNo,
      });
    case "retried":
      // The caller sees the original order number (docs/contract.md §6); this row is under its own.
      return answer(answerRetry(shared.stored), { ...known, duplicate: true, replayOf: shared.stored.orderNo });
    case "answered": {
      const facts = { ...known, recordedByObject: true, upstream: shared.call };
      const result = shared.call.outcome;
      if (!result.ok) return answer(result, facts);
      const { returnCode, matchCode, carrier } = result.value;
      const info = { orderNo: ctx.orderNo, matchCode, carrier, billable: true, duplicate: false };
      return answer(ok({ returnCode, info }), facts);
    }
    default:
      return shared satisfies never;
  }
}
