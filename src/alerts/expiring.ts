// account.expiring, from the cron trigger (hourly): contracts that end within ALERT_EXPIRING_DAYS.
// Each run reads at most SCAN_BUDGET records and keeps its place in KV, so any number of accounts
// is covered over the runs within KV's 1 000 operations per invocation; each contract end alerts once (rules.ts).
import { listRecords } from "../accounts/list.ts";
import { logEvent } from "../platform/log.ts";
import { chinaDay } from "../platform/time.ts";
import { alertConfig } from "./config.ts";
import { alertDesk } from "./desk.ts";
import { expiringIncident } from "./rules.ts";

export const SCAN_BUDGET = 400;
export const SCAN_CURSOR_KEY = "alerts:expiring-cursor";

/** One run of the scan; how many account.expiring alerts it queued (a contract end already alerted is not again). */
export async function scanExpiring(env: Env, now: number): Promise<number> {
  const config = alertConfig(env);
  if (config.kind !== "on") return 0;
  const today = chinaDay(now);
  const cursor = await env.ACCOUNTS.get(SCAN_CURSOR_KEY);
  const page = await listRecords(env.ACCOUNTS, { cursor, limit: SCAN_BUDGET, budget: SCAN_BUDGET });
  const ending = page.records.flatMap((record) => {
    const incident = expiringIncident(record, today, config.settings.ALERT_EXPIRING_DAYS, now);
    return incident === null ? [] : [{ id: record.id, incident }];
  });
  const sent = await Promise.all(
    ending.map(({ id, incident }) => alertDesk(env, `account:${id}`).report([incident], now)),
  );
  if (page.next === null) await env.ACCOUNTS.delete(SCAN_CURSOR_KEY);
  else await env.ACCOUNTS.put(SCAN_CURSOR_KEY, page.next);
  const alerted = sent.reduce((sum, alerts) => sum + alerts.length, 0);
  logEvent("info", "alert_expiring_scan", {
    read: page.records.length,
    ending: ending.length,
    alerted,
    more: page.next !== null,
  });
  return alerted;
}
