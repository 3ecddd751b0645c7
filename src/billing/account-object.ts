// One Durable Object per account (SQLite): the single source of truth for its balance, counts,
// reservations, duplicate window and ledger. Every method runs its SQL synchronously, so each
// call is atomic: two edges asking at once are served one after the other.
import { DurableObject } from "cloudflare:workers";
import { chinaDay } from "../accounts/check.ts";
import type { StoredResult } from "../duplicates/store.ts";
import type { Env } from "../env.ts";
import { refusal, type Available } from "./terms.ts";
import type { AccountState, Begin, BeginRequest, Credit, LedgerEntry, Opening, Settlement, UsageRow } from "./types.ts";

/** A reservation older than this was left by an isolate that died; the alarm releases it. */
export const RESERVATION_TTL_MS = 5 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS balance (id INTEGER PRIMARY KEY CHECK (id = 1), balance_fen INTEGER);
CREATE TABLE IF NOT EXISTS counts (service TEXT PRIMARY KEY, remaining INTEGER);
CREATE TABLE IF NOT EXISTS reservations (order_no TEXT PRIMARY KEY, service TEXT NOT NULL, fingerprint TEXT NOT NULL,
  amount_fen INTEGER NOT NULL, dedup_ttl INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS reservations_fp ON reservations (fingerprint);
CREATE TABLE IF NOT EXISTS dedup (fingerprint TEXT PRIMARY KEY, until INTEGER NOT NULL, stored TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (order_no TEXT PRIMARY KEY, at INTEGER NOT NULL, day TEXT NOT NULL, service TEXT NOT NULL,
  error_code TEXT NOT NULL, return_code TEXT NOT NULL, charged_fen INTEGER NOT NULL, duplicate INTEGER NOT NULL,
  upstream_order_id TEXT, upstream_code INTEGER, upstream_ms INTEGER, fingerprint_prefix TEXT);
CREATE INDEX IF NOT EXISTS ledger_at ON ledger (at);
CREATE TABLE IF NOT EXISTS credits (at INTEGER NOT NULL, service TEXT NOT NULL, balance_fen INTEGER NOT NULL, count INTEGER NOT NULL);
`;

const PREFIX = 12;

export class AccountObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  /** Reserve the price and one count for a request about to go upstream, unless it must not. */
  begin(r: BeginRequest): Begin {
    this.open(r.service, r.opening);
    this.sql.exec("DELETE FROM dedup WHERE until <= ?", r.now);
    const seen = this.sql.exec<{ stored: string }>("SELECT stored FROM dedup WHERE fingerprint = ?", r.fingerprint).toArray()[0];
    if (seen) return { kind: "duplicate", stored: JSON.parse(seen.stored) as StoredResult };
    if (this.sql.exec("SELECT 1 FROM reservations WHERE fingerprint = ?", r.fingerprint).toArray().length > 0) return { kind: "inFlight" };

    const available = this.available(r.service);
    const code = refusal(available, r.priceFen);
    if (code) return { kind: "refused", code, balanceFen: available.balanceFen };
    // The alarm follows the oldest reservation: set with the first, moved on by alarm() itself,
    // so steady traffic cannot keep pushing it back.
    const first = this.sql.exec("SELECT 1 FROM reservations LIMIT 1").toArray().length === 0;
    this.sql.exec(
      "INSERT INTO reservations (order_no, service, fingerprint, amount_fen, dedup_ttl, at) VALUES (?, ?, ?, ?, ?, ?)",
      r.orderNo, r.service, r.fingerprint, r.priceFen, r.dedupTtl, r.now,
    );
    if (first) void this.ctx.storage.setAlarm(r.now + RESERVATION_TTL_MS);
    return { kind: "reserved", balanceFen: available.balanceFen };
  }

  /** Commit a billable answer, release anything else; one ledger row either way. Idempotent. */
  settle(s: Settlement): void {
    const held = this.sql
      .exec<{ service: string; fingerprint: string; amount_fen: number; dedup_ttl: number }>(
        "SELECT service, fingerprint, amount_fen, dedup_ttl FROM reservations WHERE order_no = ?", s.orderNo)
      .toArray()[0];
    if (!held) return;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM reservations WHERE order_no = ?", s.orderNo);
      const charged = s.stored ? held.amount_fen : 0;
      if (s.stored) {
        this.sql.exec("UPDATE balance SET balance_fen = balance_fen - ? WHERE balance_fen IS NOT NULL", charged);
        this.sql.exec("UPDATE counts SET remaining = remaining - 1 WHERE service = ? AND remaining IS NOT NULL", held.service);
        this.sql.exec("INSERT OR REPLACE INTO dedup (fingerprint, until, stored) VALUES (?, ?, ?)",
          held.fingerprint, s.at + held.dedup_ttl * 1000, JSON.stringify(s.stored));
      }
      this.insertLedger({ ...s, service: held.service, chargedFen: charged, duplicate: false, fingerprintPrefix: held.fingerprint.slice(0, PREFIX) });
    });
  }

  /** A ledger row for a request that never reserved (refused early, or answered from a cache). */
  record(entry: LedgerEntry): void {
    this.insertLedger({ ...entry, chargedFen: 0, fingerprintPrefix: entry.fingerprintPrefix?.slice(0, PREFIX) ?? null });
  }

  credit(c: Credit): AccountState {
    this.open(c.service, c.opening);
    this.ctx.storage.transactionSync(() => {
      if (c.balanceFen !== 0) this.sql.exec("UPDATE balance SET balance_fen = COALESCE(balance_fen, 0) + ?", c.balanceFen);
      if (c.count !== 0) this.sql.exec("UPDATE counts SET remaining = COALESCE(remaining, 0) + ? WHERE service = ?", c.count, c.service);
      this.sql.exec("INSERT INTO credits (at, service, balance_fen, count) VALUES (?, ?, ?, ?)", c.at, c.service, c.balanceFen, c.count);
    });
    return this.state(c.service, c.opening);
  }

  state(service: string, opening: Opening): AccountState {
    this.open(service, opening);
    const { balanceFen, remaining } = this.available(service);
    const reserved = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM reservations WHERE service = ?", service).one().n;
    return { balanceFen, remaining: remaining === null ? null : remaining + reserved, reserved };
  }

  /** Requests, billable answers and charges per China day and error code, for [fromDay, toDay]. */
  usage(fromDay: string, toDay: string): UsageRow[] {
    return this.sql
      .exec<UsageRow>(
        `SELECT day, error_code AS errorCode, count(*) AS requests, sum(charged_fen > 0) AS billable, sum(charged_fen) AS chargedFen
         FROM ledger WHERE day BETWEEN ? AND ? GROUP BY day, error_code ORDER BY day, error_code`, fromDay, toDay)
      .toArray();
  }

  ledger(fromDay: string, toDay: string, limit: number): LedgerEntry[] {
    return this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM ledger WHERE day BETWEEN ? AND ? ORDER BY at, order_no LIMIT ?", fromDay, toDay, limit)
      .toArray()
      .map((row) => ({
        orderNo: String(row.order_no),
        at: Number(row.at),
        service: String(row.service),
        errorCode: String(row.error_code) as LedgerEntry["errorCode"],
        returnCode: String(row.return_code),
        chargedFen: Number(row.charged_fen),
        duplicate: row.duplicate === 1,
        upstreamOrderId: row.upstream_order_id === null ? null : String(row.upstream_order_id),
        upstreamCode: row.upstream_code === null ? null : Number(row.upstream_code),
        upstreamMs: row.upstream_ms === null ? null : Number(row.upstream_ms),
        fingerprintPrefix: row.fingerprint_prefix === null ? null : String(row.fingerprint_prefix),
      }));
  }

  /** Releases reservations left behind by an isolate that died mid-request. */
  override alarm(): void {
    const cutoff = Date.now() - RESERVATION_TTL_MS;
    const stale = this.sql.exec<{ order_no: string }>("SELECT order_no FROM reservations WHERE at <= ?", cutoff).toArray();
    for (const { order_no } of stale) {
      this.settle({ orderNo: order_no, at: Date.now(), errorCode: "500", returnCode: "0", upstreamOrderId: null, upstreamCode: null, upstreamMs: null, stored: null });
    }
    const next = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM reservations").one().at;
    if (next !== null) void this.ctx.storage.setAlarm(next + RESERVATION_TTL_MS);
  }

  /** The balance, and what a new reservation may use: what is left minus what is held. */
  private available(service: string): Available {
    const held = this.sql.exec<{ n: number; fen: number }>(
      "SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM reservations WHERE service = ?", service).one();
    const balance = this.sql.exec<{ balance_fen: number | null }>("SELECT balance_fen FROM balance").one().balance_fen;
    const remaining = this.sql.exec<{ remaining: number | null }>("SELECT remaining FROM counts WHERE service = ?", service).one().remaining;
    return {
      balanceFen: balance,
      spendableFen: balance === null ? null : balance - held.fen,
      remaining: remaining === null ? null : remaining - held.n,
    };
  }

  /** Starts the account from its opening terms the first time it is used; later calls change nothing. */
  private open(service: string, opening: Opening): void {
    this.sql.exec("INSERT OR IGNORE INTO balance (id, balance_fen) VALUES (1, ?)", opening.balanceFen);
    this.sql.exec("INSERT OR IGNORE INTO counts (service, remaining) VALUES (?, ?)", service, opening.remaining);
  }

  private insertLedger(e: LedgerEntry): void {
    this.sql.exec(
      `INSERT OR IGNORE INTO ledger (order_no, at, day, service, error_code, return_code, charged_fen, duplicate,
        upstream_order_id, upstream_code, upstream_ms, fingerprint_prefix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.orderNo, e.at, chinaDay(e.at), e.service, e.errorCode, e.returnCode, e.chargedFen, Number(e.duplicate),
      e.upstreamOrderId, e.upstreamCode, e.upstreamMs, e.fingerprintPrefix,
    );
  }
}
