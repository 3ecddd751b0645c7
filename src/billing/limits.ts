// The limits' counters inside the account's Durable Object (docs/contract.md §2, §6, §8): the rate
// limit, the per-person budgets, the decryption-failure budget and the request ids of idempotent
// retries. Exact because the object sees every request that reaches `begin`; every key is an HMAC
// made in the Worker, never a plain value; every row carries its own expiry and is purged in bulk.

import type { Subjects } from "../duplicates/fingerprint.ts";
import type { StoredResult } from "../duplicates/stored-result.ts";

/** The rate limit is a rate averaged over this window: up to 10 × the limit may come at once. */
export const RATE_WINDOW_MS = 10_000;
/** The per-person budgets count different identities over this long. */
export const SUBJECT_WINDOW_MS = 24 * 3_600_000;
/** A request id is remembered this long after its 200 answer. */
export const REQUEST_ID_TTL_MS = 24 * 3_600_000;
/** Decryption failures of one token per window before the token is refused without decrypting. */
export const FAILURE_BUDGET = 20;
export const FAILURE_WINDOW_MS = 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rate (id INTEGER PRIMARY KEY CHECK (id = 1), tat REAL NOT NULL);
CREATE TABLE IF NOT EXISTS subjects (subject TEXT NOT NULL, fingerprint TEXT NOT NULL, order_no TEXT NOT NULL, until INTEGER NOT NULL,
  PRIMARY KEY (subject, fingerprint)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subjects_until ON subjects (until);
CREATE INDEX IF NOT EXISTS subjects_order ON subjects (order_no);
CREATE TABLE IF NOT EXISTS subject_rows (subject TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS subject_added AFTER INSERT ON subjects BEGIN
  INSERT INTO subject_rows (subject, n) VALUES (new.subject, 1) ON CONFLICT (subject) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS subject_removed AFTER DELETE ON subjects BEGIN
  UPDATE subject_rows SET n = n - 1 WHERE subject = old.subject;
  DELETE FROM subject_rows WHERE subject = old.subject AND n <= 0;
END;
CREATE TABLE IF NOT EXISTS request_ids (request_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, stored TEXT NOT NULL, until INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS request_ids_until ON request_ids (until);
CREATE TABLE IF NOT EXISTS request_holds (order_no TEXT PRIMARY KEY, request_key TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (token_hash TEXT PRIMARY KEY, window_start INTEGER NOT NULL, failures INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS row_rate (id INTEGER PRIMARY KEY CHECK (id = 1), tat REAL NOT NULL);
CREATE TABLE IF NOT EXISTS known_limit (id INTEGER PRIMARY KEY CHECK (id = 1), rate_limit REAL);
`;

/** What an earlier request with the same request id says about this one. */
export type Earlier =
  | { readonly kind: "answered"; readonly stored: StoredResult }
  | { readonly kind: "inFlight"; readonly orderNo: string }
  | { readonly kind: "otherIdentity" };

export type FailureCount = {
  /** The budget was spent before this failure: answer with the budget's reason. */
  readonly overBudget: boolean;
  /** When the budget is spent (this failure included): until when the token is refused. */
  readonly blockedUntil: number | null;
};

export class Limits {
  /** The account's rate limit as the last request told it; undefined until one has (see admitRow). */
  private knownLimit: number | null | undefined;

  constructor(private readonly sql: SqlStorage) {
    const counted = sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'subject_rows'").toArray().length > 0;
    sql.exec(SCHEMA);
    // Objects made before the per-subject row counts start them from the rows they hold.
    if (!counted)
      sql.exec("INSERT INTO subject_rows (subject, n) SELECT subject, count(*) FROM subjects GROUP BY subject");
    const known = sql.exec<{ rate_limit: number | null }>("SELECT rate_limit FROM known_limit").toArray()[0];
    this.knownLimit = known?.rate_limit;
  }

  /** Until when the token is refused without decrypting, or null. */
  blockedUntil(tokenHash: string, now: number): number | null {
    const row = this.sql
      .exec<{ window_start: number; failures: number }>(
        "SELECT window_start, failures FROM failures WHERE token_hash = ?",
        tokenHash,
      )
      .toArray()[0];
    const until = row ? row.window_start + FAILURE_WINDOW_MS : 0;
    return row && row.failures >= FAILURE_BUDGET && until > now ? until : null;
  }

  /** Counts one decryption failure in the token's current minute (a new one starts with the first failure after the last). */
  countFailure(tokenHash: string, now: number): FailureCount {
    const row = this.sql
      .exec<{ window_start: number; failures: number }>(
        "SELECT window_start, failures FROM failures WHERE token_hash = ?",
        tokenHash,
      )
      .toArray()[0];
    const current = row && row.window_start + FAILURE_WINDOW_MS > now ? row : { window_start: now, failures: 0 };
    if (current.failures >= FAILURE_BUDGET)
      return { overBudget: true, blockedUntil: current.window_start + FAILURE_WINDOW_MS };
    const failures = current.failures + 1;
    this.sql.exec(
      "INSERT OR REPLACE INTO failures (token_hash, window_start, failures) VALUES (?, ?, ?)",
      tokenHash,
      current.window_start,
      failures,
    );
    return {
      overBudget: false,
      blockedUntil: failures >= FAILURE_BUDGET ? current.window_start + FAILURE_WINDOW_MS : null,
    };
  }

  /** An earlier request of this account with the same request id, answered (200) or still in flight. */
  earlier(requestKey: string, fingerprint: string, now: number): Earlier | null {
    const row = this.sql
      .exec<{ done: string | null; done_fp: string | null; busy: string | null; busy_fp: string | null }>(
        `SELECT (SELECT stored FROM request_ids WHERE request_key = ?1 AND until > ?2) AS done,
           (SELECT fingerprint FROM request_ids WHERE request_key = ?1 AND until > ?2) AS done_fp,
           (SELECT order_no FROM request_holds WHERE request_key = ?1) AS busy,
           (SELECT fingerprint FROM request_holds WHERE request_key = ?1) AS busy_fp`,
        requestKey,
        now,
      )
      .one();
    if (row.done !== null)
      return row.done_fp === fingerprint
        ? { kind: "answered", stored: JSON.parse(row.done) as StoredResult }
        : { kind: "otherIdentity" };
    if (row.busy !== null)
      return row.busy_fp === fingerprint ? { kind: "inFlight", orderNo: row.busy } : { kind: "otherIdentity" };
    return null;
  }

  /**
   * The rate limit as a generic cell rate algorithm: one theoretical arrival time, `interval` apart
   * per admitted request, at most one window ahead of now. Null when admitted (and counted);
   * otherwise the milliseconds until a request would be.
   */
  admit(rateLimit: number | null, now: number): number | null {
    if (rateLimit !== this.knownLimit) {
      this.sql.exec("INSERT OR REPLACE INTO known_limit (id, rate_limit) VALUES (1, ?)", rateLimit);
      this.knownLimit = rateLimit;
    }
    return this.draw("rate", rateLimit, now);
  }

  /**
   * Whether a request answered without a reservation may have a detail row of its own: the rows
   * get a cell of their own at the account's rate limit (as the last request to the object told
   * it), so a flood of refusals writes no more rows than the limit admits requests (docs/contract.md
   * §8). Before any request has told the object its limit, every row is written.
   */
  admitRow(now: number): boolean {
    return this.knownLimit === undefined || this.draw("row_rate", this.knownLimit, now) === null;
  }

  private draw(cell: "rate" | "row_rate", rateLimit: number | null, now: number): number | null {
    if (rateLimit === null) return null;
    const interval = 1000 / rateLimit;
    const stored = this.sql.exec<{ tat: number }>(`SELECT tat FROM ${cell} WHERE id = 1`).toArray()[0]?.tat ?? now;
    const tat = Math.max(stored, now);
    const ahead = tat + interval - now - RATE_WINDOW_MS;
    if (ahead > 0) return ahead;
    this.sql.exec(`INSERT OR REPLACE INTO ${cell} (id, tat) VALUES (1, ?)`, tat + interval);
    return null;
  }

  /**
   * The first subject (phone, then ID number) whose budget this identity would exceed, or null.
   * A subject's rows are counted in `subject_rows` (kept by triggers), so the check is two lookups
   * however many identities one account counts (counting them on every request made one account's
   * object its bottleneck, docs/benchmark.md). Rows expired since the last purge only add to that
   * count: when it reaches the budget they are purged first, and the count is exact again.
   */
  overBudget(subjects: Subjects, fingerprint: string, budget: number, now: number): keyof Subjects | null {
    for (const which of ["phone", "idCard"] as const) {
      const subject = subjects[which];
      const { known, rows } = this.sql
        .exec<{ known: number; rows: number }>(
          `SELECT EXISTS (SELECT 1 FROM subjects WHERE subject = ?1 AND fingerprint = ?2 AND until > ?3) AS known,
             coalesce((SELECT n FROM subject_rows WHERE subject = ?1), 0) AS rows`,
          subject,
          fingerprint,
          now,
        )
        .one();
      if (known === 1 || rows < budget) continue;
      this.sql.exec("DELETE FROM subjects WHERE until <= ?", now);
      if (this.rowsOf(subject) >= budget) return which;
    }
    return null;
  }

  private rowsOf(subject: string): number {
    return this.sql.exec<{ n: number }>("SELECT n FROM subject_rows WHERE subject = ?", subject).toArray()[0]?.n ?? 0;
  }

  /** Holds what a reservation uses: its identity counted against both subjects, its request id in flight. */
  hold(orderNo: string, subjects: Subjects, fingerprint: string, requestKey: string | null, now: number): void {
    for (const subject of [subjects.phone, subjects.idCard]) {
      // An identity already counted keeps its first expiry; an expired row starts afresh.
      this.sql.exec(
        `INSERT INTO subjects (subject, fingerprint, order_no, until) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (subject, fingerprint) DO UPDATE SET order_no = ?3, until = ?4 WHERE until <= ?5`,
        subject,
        fingerprint,
        orderNo,
        now + SUBJECT_WINDOW_MS,
        now,
      );
    }
    if (requestKey !== null)
      this.sql.exec(
        "INSERT INTO request_holds (order_no, request_key, fingerprint) VALUES (?, ?, ?)",
        orderNo,
        requestKey,
        fingerprint,
      );
  }

  /** A settled reservation: its request id is remembered with a 200 answer, forgotten otherwise. */
  settle(orderNo: string, stored: StoredResult | null, at: number): void {
    const held = this.sql
      .exec<{ request_key: string; fingerprint: string }>(
        "DELETE FROM request_holds WHERE order_no = ? RETURNING request_key, fingerprint",
        orderNo,
      )
      .toArray()[0];
    if (held && stored) {
      this.sql.exec(
        "INSERT OR REPLACE INTO request_ids (request_key, fingerprint, stored, until) VALUES (?, ?, ?, ?)",
        held.request_key,
        held.fingerprint,
        JSON.stringify(stored),
        at + REQUEST_ID_TTL_MS,
      );
    }
  }

  /** A reservation withdrawn before its identity went upstream: it counted nothing. */
  cancel(orderNo: string): void {
    this.sql.exec("DELETE FROM subjects WHERE order_no = ?", orderNo);
    this.sql.exec("DELETE FROM request_holds WHERE order_no = ?", orderNo);
  }

  purge(now: number): void {
    this.sql.exec("DELETE FROM subjects WHERE until <= ?", now);
    this.sql.exec("DELETE FROM request_ids WHERE until <= ?", now);
    this.sql.exec("DELETE FROM failures WHERE window_start <= ?", now - FAILURE_WINDOW_MS);
  }
}
