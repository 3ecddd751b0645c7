// The account's ledger inside its Durable Object (docs/contract.md §7, §8): one row per request,
// never personal data (the fingerprint only as a prefix), every upstream attempt listed.
import { chinaDay } from "../platform/time.ts";
import type { Attempt, LedgerEntry, UsageRow } from "./types.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger (order_no TEXT PRIMARY KEY, at INTEGER NOT NULL, day TEXT NOT NULL, service TEXT NOT NULL,
  error_code TEXT NOT NULL, return_code TEXT NOT NULL, charged_fen INTEGER NOT NULL, duplicate INTEGER NOT NULL,
  upstream_order_id TEXT, upstream_code INTEGER, upstream_ms INTEGER, fingerprint_prefix TEXT);
CREATE INDEX IF NOT EXISTS ledger_at ON ledger (at);
`;

/** Enough of an HMAC to tell rows of one identity together, too little to matter alone. */
const PREFIX = 12;

export class Ledger {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    // Rows written before attempts were recorded have none.
    const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('ledger')").toArray().map((c) => c.name);
    if (!columns.includes("attempts")) sql.exec("ALTER TABLE ledger ADD COLUMN attempts TEXT NOT NULL DEFAULT '[]'");
  }

  insert(e: LedgerEntry): void {
    this.sql.exec(
      `INSERT OR IGNORE INTO ledger (order_no, at, day, service, error_code, return_code, charged_fen, duplicate,
        upstream_order_id, upstream_code, upstream_ms, fingerprint_prefix, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.orderNo, e.at, chinaDay(e.at), e.service, e.errorCode, e.returnCode, e.chargedFen, Number(e.duplicate),
      e.upstreamOrderId, e.upstreamCode, e.upstreamMs, e.fingerprintPrefix?.slice(0, PREFIX) ?? null, JSON.stringify(e.attempts),
    );
  }

  /** Requests, billable answers and charges per China day and error code, for [fromDay, toDay]. */
  usage(fromDay: string, toDay: string): UsageRow[] {
    return this.sql
      .exec<UsageRow>(
        `SELECT day, error_code AS errorCode, count(*) AS requests, sum(error_code = '200' AND duplicate = 0) AS billable, sum(charged_fen) AS chargedFen
         FROM ledger WHERE day BETWEEN ? AND ? GROUP BY day, error_code ORDER BY day, error_code`, fromDay, toDay)
      .toArray();
  }

  rows(fromDay: string, toDay: string, limit: number): LedgerEntry[] {
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
        attempts: JSON.parse(String(row.attempts)) as Attempt[],
      }));
  }
}
