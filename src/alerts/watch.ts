// The request path's one alert hook (called once per verifyMobile request, from the route's
// finish): it only adds numbers to this isolate's batch. The request that starts a batch owns its
// flush (as billing/ledger-buffer.ts does), which a second later tells each account's and each
// upstream's desk what it counted, and checks the funds of accounts that were billed. So a flood
// of refusals costs a desk call per account per second per isolate, never one per request.

import { AccountRecord, accountKey, SERVICE } from "../accounts/record.ts";
import { accountObject, openingOf } from "../billing/gateway.ts";
import type { Background } from "../platform/background.ts";
import { BoundedCache } from "../platform/bounded-cache.ts";
import { logEvent, type RequestLog } from "../platform/log.ts";
import type { Attempt } from "../upstream/upstream.ts";
import { type AlertSettings, alertConfig } from "./config.ts";
import { alertDesk } from "./desk.ts";
import { ABUSE_KINDS, type AbuseKind, abuseIncident, errorRateIncident, fundsIncidents } from "./rules.ts";

/** How long counts wait for company before they go to the desks. */
export const WATCH_FLUSH_MS = 1_000;
/** A billed account's balance and count are checked at most this often per isolate. */
export const FUNDS_CHECK_MS = 30_000;

type Batch = {
  abuse: Map<string, Partial<Record<AbuseKind, number>>>;
  upstreams: Map<string, { attempts: number; faults: number }>;
  billed: Set<string>;
};
const emptyBatch = (): Batch => ({ abuse: new Map(), upstreams: new Map(), billed: new Set() });

let batch = emptyBatch();
let owned = false;
const fundsChecked = new BoundedCache<string, true>(1_000, FUNDS_CHECK_MS);

/**
 * A finished request, as its log line says (no personal data), and its upstream attempts. A fault
 * is what the router marked one (src/upstream/upstream.ts `Attempt.fault`): a transport failure
 * or a vendor's own code for its failure (juhe 10020, Tencent InternalError), as the breaker counts.
 */
export function watchRequest(env: Env, ctx: Background, entry: RequestLog, attempts: readonly Attempt[]): void {
  const config = alertConfig(env);
  if (config.kind !== "on") return;
  const kind = abuseKind(entry, attempts.length > 0);
  if (entry.accountId !== null && kind !== null) {
    const counts = batch.abuse.get(entry.accountId) ?? {};
    counts[kind] = (counts[kind] ?? 0) + 1;
    batch.abuse.set(entry.accountId, counts);
  }
  for (const attempt of attempts) {
    const health = batch.upstreams.get(attempt.upstream) ?? { attempts: 0, faults: 0 };
    health.attempts++;
    if (attempt.fault === true) health.faults++;
    batch.upstreams.set(attempt.upstream, health);
  }
  if (entry.billable && entry.accountId !== null) batch.billed.add(entry.accountId);
  if (owned || (batch.abuse.size === 0 && batch.upstreams.size === 0 && batch.billed.size === 0)) return;
  owned = true;
  ctx.waitUntil(flush(env, config.settings));
}

/**
 * A 309 that repeats an earlier answer is a duplicate, not the per-person budget's refusal; a 502
 * after an upstream attempt is the upstream's failure, not the rate limit's (which asks no upstream).
 */
function abuseKind(entry: RequestLog, askedUpstream: boolean): AbuseKind | null {
  if ((entry.errorCode === "309" && entry.duplicate) || (entry.errorCode === "502" && askedUpstream)) return null;
  return Object.hasOwn(ABUSE_KINDS, entry.errorCode) ? ABUSE_KINDS[entry.errorCode as keyof typeof ABUSE_KINDS] : null;
}

async function flush(env: Env, settings: AlertSettings): Promise<void> {
  try {
    await new Promise((resolve) => setTimeout(resolve, WATCH_FLUSH_MS));
    const sent = batch;
    batch = emptyBatch();
    const now = Date.now();
    const calls = [
      ...[...sent.abuse].map(async ([accountId, counts]) => {
        const desk = alertDesk(env, `account:${accountId}`);
        const totals = await desk.tally({ counts, now });
        await desk.report([abuseIncident(accountId, totals, settings, now)], now);
      }),
      ...[...sent.upstreams].map(async ([upstream, counts]) => {
        const desk = alertDesk(env, `upstream:${upstream}`);
        const totals = await desk.tally({ counts, now });
        await desk.report([errorRateIncident(upstream, totals, settings, now)], now);
      }),
      ...[...sent.billed].filter((id) => fundsChecked.get(id, now) === undefined).map((id) => checkFunds(env, id, now)),
    ];
    const failed = (await Promise.allSettled(calls)).filter((r) => r.status === "rejected").length;
    if (failed > 0) logEvent("warn", "alert_watch_failed", { calls: failed });
  } finally {
    owned = false;
  }
}

/** balance.low and quota.low: the record's thresholds against what the account's object holds now. */
async function checkFunds(env: Env, accountId: string, now: number): Promise<void> {
  fundsChecked.set(accountId, true, now);
  const parsed = AccountRecord.safeParse(await env.ACCOUNTS.get(accountKey(accountId), { type: "json", cacheTtl: 60 }));
  if (!parsed.success) return;
  const record = parsed.data;
  if (record.alertBalanceFen === null && record.alertQuota === null) return;
  const state = await accountObject(env, accountId).state(SERVICE, openingOf(record, SERVICE));
  await alertDesk(env, `account:${accountId}`).report(fundsIncidents(record, state, now), now);
}
