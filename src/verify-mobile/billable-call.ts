// The billable call (docs/contract.md §7): one round trip to the account's object, which answers
// everything that can be answered before the upstream (104, the failure budget, request ids,
// duplicates, the rate limit, the per-person budgets, 312, 313) or reserves; the upstream call;
// then the settlement and the duplicate-cache write off the response path. Whatever happens after
// a reservation, it is settled: committed for a 200, released for anything else, and never lost.
import { type AccountRecord, SERVICE } from "../accounts/record.ts";
import { breakerAlerts } from "../alerts/upstream-events.ts";
import { accountObject, openingOf, rememberBalance, rememberBlocked } from "../billing/gateway.ts";
import { deferSettlement } from "../billing/outbox.ts";
import type { Begin, Settlement } from "../billing/types.ts";
import { TOO_MANY_FAILURES_REASON } from "../crypto/logon.ts";
import type { Subjects } from "../duplicates/fingerprint.ts";
import { inFlight, requestIdReused } from "../duplicates/policy.ts";
import { readDuplicate, rememberResult } from "../duplicates/store.ts";
import type { StoredResult } from "../duplicates/stored-result.ts";
import { logEvent } from "../platform/log.ts";
import { carrierOfNumber } from "../upstream/carrier.ts";
import { eligible, route, type UpstreamCall } from "../upstream/router.ts";
import type { Upstream } from "../upstream/upstream.ts";
import { type Failure, fail } from "../wire/outcome.ts";
import type { IdentityKeys } from "./account-steps.ts";
import type { AccountView, RequestContext } from "./context.ts";
import { rememberTooFast, tooFast } from "./local-rate.ts";
import { reachObject } from "./object-call.ts";
import { limitsOf, upstreamsFor } from "./upstreams.ts";

export type Answered = { kind: "answered"; call: UpstreamCall; stored: StoredResult | null };
export type Shared =
  | Answered
  /** Within the duplicate window: the account's policy decides. */
  | { kind: "duplicate"; stored: StoredResult }
  /** A retry of an answered requestId: the original answer. */
  | { kind: "retried"; stored: StoredResult }
  | {
      kind: "refused";
      failure: Failure;
      /** The object counts this refusal in its rollups itself (the rate limit's, docs/contract.md §8): no row from the isolate. */
      recordedByObject: boolean;
      /** The refusal is about an earlier request (one still in flight). */
      duplicate: boolean;
      /** That earlier request's order number, which the 309 names. */
      replayOf: string | null;
    }
  /** The account copy the request was checked under is stale: nothing reserved, nothing asked. */
  | { kind: "stale" };

/** The request as the billable call needs it: the context, the account view, and the identity's keys. */
type CallScope = {
  readonly ctx: RequestContext;
  readonly record: AccountRecord;
  readonly keys: IdentityKeys;
  /** When begin was asked: the upstream step ends within UPSTREAM_DEADLINE_MS of it. */
  readonly begunAt: number;
};

/** How the request reaches the billable call. */
export type CallTerms = {
  /**
   * A duplicate-cache hit may answer before the object does (this isolate knows the balance is
   * above 0: 104 comes first).
   */
  readonly cacheFirst: boolean;
  /** The rotated credentials the request used during their grace, for the settlement's ledger row (docs/contract.md §9). */
  readonly previousCredential: string | null;
};

const yuan = (fen: number) => (fen / 100).toFixed(2);
const BELOW_PRICE = (balanceFen: number, priceFen: number) =>
  `账户余额${yuan(balanceFen)}元，扣除处理中请求的预留后低于单价${yuan(priceFen)}元：请联系运营方充值`;
const OVER_BUDGET: Record<keyof Subjects, string> = {
  phone: "该手机号24小时内已与过多不同身份核验，请求被拒绝",
  idCard: "该身份证号24小时内已与过多不同身份核验，请求被拒绝",
};

export async function billableCall(
  ctx: RequestContext,
  view: AccountView,
  keys: IdentityKeys,
  { cacheFirst, previousCredential }: CallTerms,
): Promise<Shared> {
  const { record } = view.account;
  // The reservation's lifetime and the upstream's deadline both count from begin (docs/contract.md §7).
  const begunAt = Date.now();
  const scope: CallScope = { ctx, record, keys, begunAt };
  const begun: Promise<Begin> = accountObject(ctx.env, record.id).begin({
    orderNo: ctx.orderNo,
    service: SERVICE,
    priceFen: record.services[SERVICE]!.priceFen,
    opening: openingOf(record, SERVICE),
    fingerprint: keys.fingerprint,
    dedupTtl: record.dedupTtl,
    tokenHash: record.tokenHash,
    limits: { rateLimit: record.rateLimit, subjectBudget: record.subjectBudget },
    subjects: keys.subjects,
    requestKey: keys.requestKey,
    upstream: firstUpstream(upstreamsFor(ctx.config), keys.identity.loginphone),
    now: begunAt,
  });
  const reached = reachObject(begun, "begin", ctx.orderNo);
  // The shared duplicate cache races the object: a hit answers at once, a miss costs no extra hop.
  // A requestId is the object's to answer (docs/contract.md §6).
  const cached = keys.requestKey === null && cacheFirst ? readDuplicate(ctx.env.DEDUP, keys.duplicateKey) : null;
  const first = cached ? await Promise.race([cached, reached.then(() => null)]) : null;
  if (first) {
    ctx.background.waitUntil(withdraw(scope, begun));
    return { kind: "duplicate", stored: first };
  }
  const begin = await reached;
  if (!begin.ok) {
    // begin may have reserved before its answer was lost: withdrawn once it has settled (§7).
    ctx.background.waitUntil(
      withdraw(
        scope,
        begun.catch(() => null),
      ),
    );
    return refusal(begin);
  }
  const answer = begin.value;
  rememberBalance(record.id, answer.balanceFen, ctx.now);
  if (answer.kind !== "reserved") return refused(scope, answer);
  if (!(await view.confirmed)) {
    // Left to the object's alarm if it cannot be reached now: released unbilled.
    await withdraw(scope, begun);
    return { kind: "stale" };
  }
  const call = await askUpstream(scope);
  const match = call.outcome.ok ? call.outcome.value : null;
  const stored: StoredResult | null = match
    ? {
        returnCode: match.returnCode,
        matchCode: match.matchCode,
        carrier: match.carrier,
        orderNo: ctx.orderNo,
        at: ctx.now,
      }
    : null;
  ctx.background.waitUntil(
    settle(scope, {
      orderNo: ctx.orderNo,
      at: ctx.now,
      errorCode: call.outcome.ok ? "200" : call.outcome.code,
      returnCode: match ? match.returnCode : "0",
      upstreamOrderId: match?.upstreamOrderId ?? null,
      upstreamCode: call.upstreamCode,
      upstreamMs: call.latencyMs,
      attempts: call.attempts,
      previousCredential,
      stored,
    }),
  );
  if (stored) ctx.background.waitUntil(rememberResult(ctx.env.DEDUP, keys.duplicateKey, stored, record.dedupTtl));
  return { kind: "answered", call, stored };
}

/**
 * The upstream the router asks first for this number, by the router's own rule: named in the
 * ledger if the request dies before it settles (docs/contract.md §7).
 */
function firstUpstream(upstreams: readonly Upstream[], phone: string): string | null {
  return eligible(upstreams, carrierOfNumber(phone)?.carrier ?? null)[0]?.name ?? null;
}

/** What the object's answer means for the caller, when it did not reserve. */
function refused({ ctx, record }: CallScope, answer: Exclude<Begin, { kind: "reserved" }>): Shared {
  switch (answer.kind) {
    case "refused":
      return refusal(
        answer.code === "312"
          ? fail("312", BELOW_PRICE(answer.balanceFen ?? 0, record.services[SERVICE]!.priceFen))
          : fail(answer.code),
      );
    case "blocked":
      rememberBlocked(record.tokenHash, answer.until, ctx.now);
      return refusal(fail("307", TOO_MANY_FAILURES_REASON));
    case "retried":
      return { kind: "retried", stored: answer.stored };
    case "requestIdReused":
      return refusal(requestIdReused());
    case "duplicate":
      return { kind: "duplicate", stored: answer.stored };
    case "inFlight":
      return refusal(inFlight(answer.orderNo), { duplicate: true, replayOf: answer.orderNo });
    case "tooFast": {
      rememberTooFast(record, answer.retryAfterMs, ctx.now);
      // The object tallies it in its rollups (docs/contract.md §8).
      return refusal(tooFast(record, answer.retryAfterMs), { recordedByObject: true });
    }
    case "overBudget":
      return refusal(fail("309", OVER_BUDGET[answer.subject]));
    default:
      return answer satisfies never;
  }
}

const refusal = (
  failure: Failure,
  facts: Partial<Pick<Extract<Shared, { kind: "refused" }>, "recordedByObject" | "duplicate" | "replayOf">> = {},
): Shared => ({
  kind: "refused",
  failure,
  recordedByObject: false,
  duplicate: false,
  replayOf: null,
  ...facts,
});

/**
 * A reservation begin made for a request that will not go upstream (the duplicate cache answered
 * first, the account copy was stale, or begin's answer never came) is withdrawn. `begun` is null
 * when begin failed: it may have reserved all the same, so the withdrawal is sent anyway.
 */
async function withdraw({ ctx, record }: CallScope, begun: Promise<Begin | null>): Promise<void> {
  try {
    const answer = await begun;
    if (answer) rememberBalance(record.id, answer.balanceFen, ctx.now);
    if (answer === null || answer.kind === "reserved") await accountObject(ctx.env, record.id).cancel(ctx.orderNo);
  } catch {
    // Left to the object's alarm, which releases it unbilled.
    logEvent("warn", "withdraw_failed", { orderNo: ctx.orderNo });
  }
}

/** The router maps every upstream failure to an outcome; anything it throws is ours (500), and still settled. */
async function askUpstream({ ctx, keys, begunAt }: CallScope): Promise<UpstreamCall> {
  try {
    // Breaker transitions become upstream.circuit_opened/closed alerts (src/alerts/upstream-events.ts).
    const limits = limitsOf(ctx.config, breakerAlerts(ctx.env, ctx.background));
    // The deadline counts from begin, as the reservation's expiry does (docs/contract.md §7).
    return await route(upstreamsFor(ctx.config), keys.identity, {
      ...limits,
      deadlineMs: limits.deadlineMs - (Date.now() - begunAt),
    });
  } catch (error) {
    logEvent("error", "upstream_threw", {
      orderNo: ctx.orderNo,
      error: error instanceof Error ? error.name : typeof error,
    });
    return { outcome: fail("500"), attempts: [], upstreamCode: null, latencyMs: null };
  }
}

/**
 * Waits before retrying a settlement (settling is idempotent). About 3 s in all: a settlement the
 * object cannot take must be in the outbox before its reservation expires (RESERVATION_MARGIN_MS
 * after the upstream deadline, billing/horizon.ts), because the object's alarm applies it then
 * instead of releasing the reservation; one that came later would be an answer delivered unbilled
 * (docs/contract.md §7).
 */
const SETTLE_RETRY_MS = [100, 200, 400, 800, 1_600];

async function settle({ ctx, record }: CallScope, settlement: Settlement): Promise<void> {
  for (const wait of [...SETTLE_RETRY_MS, null]) {
    try {
      return await accountObject(ctx.env, record.id).settle(settlement);
    } catch {
      if (wait !== null) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  const deferred = await deferSettlement(ctx.env.ACCOUNTS, record.id, settlement);
  const facts = {
    orderNo: ctx.orderNo,
    accountId: record.id,
    errorCode: settlement.errorCode,
    billable: settlement.stored !== null,
  };
  // Lost only if KV refuses too: the log line is then the operator's record of it.
  if (deferred) logEvent("warn", "settle_deferred", facts);
  else logEvent("error", "settle_lost", facts);
}
