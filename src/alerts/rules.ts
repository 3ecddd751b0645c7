// When each alert's incident is open (docs/contract.md §11), as pure functions of what a report
// saw: the desk (desk.ts) turns a change of state into at most one alert.
import type { AccountRecord } from "../accounts/record.ts";
import type { AccountState } from "../billing/types.ts";
import { addDays, daysBetween } from "../platform/time.ts";
import type { BreakerEvent } from "../upstream/breaker.ts";
import type { AlertSettings } from "./config.ts";
import type { Incident } from "./desk.ts";
import { newAlert } from "./events.ts";

const HOUR_MS = 3_600_000;
/** Money and contracts move slowly: a low balance that recovers and falls again within a day is the same incident. */
export const FUNDS_COOL_DOWN_MS = 24 * HOUR_MS;
export const ABUSE_COOL_DOWN_MS = HOUR_MS;
export const ERROR_RATE_COOL_DOWN_MS = HOUR_MS;
/** Isolates open and close their own breakers: one vendor outage seen by many of them stays one alert. */
export const CIRCUIT_COOL_DOWN_MS = 10 * 60_000;

/** The refusals account.abuse counts (docs/contract.md §8, §2): the rate limit, the per-person budgets, decryption failures. */
export const ABUSE_KINDS = { "502": "rateLimited", "309": "overBudget", "307": "decryptionFailed" } as const;
export type AbuseKind = (typeof ABUSE_KINDS)[keyof typeof ABUSE_KINDS];

/** balance.low and quota.low for the thresholds the account's record sets. */
export function fundsIncidents(record: AccountRecord, state: AccountState, now: number): Incident[] {
  const subject = { accountId: record.id };
  const incidents: Incident[] = [];
  if (record.alertBalanceFen !== null && state.balanceFen !== null) {
    incidents.push({
      key: "balance.low",
      active: state.balanceFen <= record.alertBalanceFen,
      opening: newAlert(
        "balance.low",
        subject,
        { balanceFen: state.balanceFen, thresholdFen: record.alertBalanceFen },
        now,
      ),
      coolDownMs: FUNDS_COOL_DOWN_MS,
    });
  }
  if (record.alertQuota !== null && state.remaining !== null) {
    incidents.push({
      key: "quota.low",
      active: state.remaining <= record.alertQuota,
      opening: newAlert("quota.low", subject, { remaining: state.remaining, threshold: record.alertQuota }, now),
      coolDownMs: FUNDS_COOL_DOWN_MS,
    });
  }
  return incidents;
}

/** account.expiring once per contract end: its key names the day, so a renewed contract is a new incident. */
export function expiringIncident(record: AccountRecord, today: string, days: number, now: number): Incident | null {
  if (record.contractEnd === null || record.status === "offline") return null;
  const daysLeft = daysBetween(today, record.contractEnd) - 1;
  if (daysLeft < 0 || record.contractEnd > addDays(today, days)) return null;
  return {
    key: `account.expiring:${record.contractEnd}`,
    active: true,
    opening: newAlert("account.expiring", { accountId: record.id }, { contractEnd: record.contractEnd, daysLeft }, now),
    coolDownMs: Number.POSITIVE_INFINITY,
  };
}

export function abuseIncident(
  accountId: string,
  totals: Readonly<Record<string, number>>,
  settings: AlertSettings,
  now: number,
): Incident {
  const counts = Object.fromEntries(Object.values(ABUSE_KINDS).map((kind) => [kind, totals[kind] ?? 0]));
  const refusals = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return {
    key: "account.abuse",
    active: refusals >= settings.ALERT_ABUSE_REFUSALS,
    opening: newAlert(
      "account.abuse",
      { accountId },
      { refusals, ...counts, threshold: settings.ALERT_ABUSE_REFUSALS, windowSeconds: 300 },
      now,
    ),
    coolDownMs: ABUSE_COOL_DOWN_MS,
  };
}

export function errorRateIncident(
  upstream: string,
  totals: Readonly<Record<string, number>>,
  settings: AlertSettings,
  now: number,
): Incident {
  const attempts = totals.attempts ?? 0;
  const faults = totals.faults ?? 0;
  const percent = attempts === 0 ? 0 : Math.round((faults / attempts) * 1000) / 10;
  return {
    key: "upstream.error_rate",
    active: attempts >= settings.ALERT_ERROR_MIN_ATTEMPTS && percent >= settings.ALERT_ERROR_PERCENT,
    opening: newAlert(
      "upstream.error_rate",
      { upstream },
      { attempts, faults, percent, thresholdPercent: settings.ALERT_ERROR_PERCENT, windowSeconds: 300 },
      now,
    ),
    coolDownMs: ERROR_RATE_COOL_DOWN_MS,
  };
}

/** What the upstreams' circuit breaker reports (the shared interface): one transition of one isolate's breaker. */
/** The breaker's own report of a transition (src/upstream/breaker.ts). */
export type BreakerTransition = BreakerEvent;

export function circuitIncident(t: BreakerTransition): Incident {
  const subject = { upstream: t.upstream };
  return {
    key: "circuit",
    active: t.state === "opened",
    opening: newAlert("upstream.circuit_opened", subject, { retryAt: t.retryAt ?? null }, t.at),
    closing: newAlert("upstream.circuit_closed", subject, {}, t.at),
    coolDownMs: CIRCUIT_COOL_DOWN_MS,
  };
}
