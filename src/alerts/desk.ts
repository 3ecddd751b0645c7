// One alert desk (a Durable Object) per account and per upstream: it decides when an incident
// opens and queues its one alert (docs/contract.md §11). Isolates see only their own traffic and
// each has its own circuit breakers; the desk sees every isolate's reports, one at a time, so ten
// isolates opening the same circuit still make one alert. Its SQL runs synchronously, so an
// incident is marked open before the queue send yields to the next report.
import { DurableObject } from "cloudflare:workers";
import type { Alert } from "./events.ts";

/** Counting windows: the last five minutes, in minute buckets. */
export const WINDOW_MS = 5 * 60_000;
const BUCKET_MS = 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (key TEXT PRIMARY KEY, open INTEGER NOT NULL, sent INTEGER NOT NULL, alerted_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tallies (kind TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, bucket));
`;

/** A condition as one report saw it; `opening` goes out when it turns true, `closing` when it turns false after an alert. */
export type Incident = {
  readonly key: string;
  readonly active: boolean;
  readonly opening: Alert;
  readonly closing?: Alert;
  /** After an alert, the same incident reopening within this long is not alerted again. */
  readonly coolDownMs: number;
};

export type Tally = { readonly counts: Readonly<Record<string, number>>; readonly now: number };

export class AlertDesk extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  /** Adds counts to the window and answers each kind's total over the last WINDOW_MS. */
  tally(t: Tally): Record<string, number> {
    const bucket = Math.floor(t.now / BUCKET_MS) * BUCKET_MS;
    this.sql.exec("DELETE FROM tallies WHERE bucket <= ?", t.now - WINDOW_MS);
    const totals: Record<string, number> = {};
    for (const [kind, n] of Object.entries(t.counts)) {
      this.sql.exec(
        "INSERT INTO tallies (kind, bucket, n) VALUES (?, ?, ?) ON CONFLICT (kind, bucket) DO UPDATE SET n = n + excluded.n",
        kind,
        bucket,
        n,
      );
    }
    for (const row of this.sql.exec<{ kind: string; n: number }>("SELECT kind, sum(n) AS n FROM tallies GROUP BY kind"))
      totals[row.kind] = row.n;
    return totals;
  }

  /** Applies each report in order; the alerts it queued, in order. */
  async report(incidents: readonly Incident[], now: number): Promise<Alert[]> {
    const sent: Alert[] = [];
    for (const incident of incidents) {
      const alert = this.decide(incident, now);
      if (alert === null) continue;
      try {
        await this.env.ALERTS.send(alert, { contentType: "json" });
        sent.push(alert);
      } catch (error) {
        // Not queued: forget the decision, so the next report of the same condition tries again.
        this.sql.exec("DELETE FROM incidents WHERE key = ?", incident.key);
        throw error;
      }
    }
    return sent;
  }

  /** The incident's new state, written now; the alert to send, if any. */
  private decide(incident: Incident, now: number): Alert | null {
    const row = this.sql
      .exec<{ open: number; sent: number; alerted_at: number }>(
        "SELECT open, sent, alerted_at FROM incidents WHERE key = ?",
        incident.key,
      )
      .toArray()[0];
    if (incident.active) {
      if (row?.open) return null;
      const alert = row === undefined || now - row.alerted_at >= incident.coolDownMs;
      this.sql.exec(
        "INSERT OR REPLACE INTO incidents (key, open, sent, alerted_at) VALUES (?, 1, ?, ?)",
        incident.key,
        alert ? 1 : 0,
        alert ? now : (row?.alerted_at ?? 0),
      );
      return alert ? incident.opening : null;
    }
    if (!row?.open) return null;
    this.sql.exec("UPDATE incidents SET open = 0, sent = 0 WHERE key = ?", incident.key);
    return row.sent && incident.closing ? incident.closing : null;
  }
}

/** The desk of one account or one upstream. */
export const alertDesk = (env: Env, scope: `account:${string}` | `upstream:${string}`) =>
  env.ALERT_DESKS.get(env.ALERT_DESKS.idFromName(scope));
