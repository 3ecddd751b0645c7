// The account's ledger inside its Durable Object (docs/contract.md §7, §8): one detail row per
// request, never personal data (the fingerprint only as a prefix), every upstream attempt listed;
// daily rollups kept forever, written in the same transaction as each row; and the record of
// which days went to the archive.
import { addDays, chinaDay, chinaDayStart } from "../platform/time.ts";
import type { Attempt } from "../upstream/upstream.ts";
import type { LedgerCursor, LedgerEntry, UsageRow } from "./types.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger (order_no TEXT PRIMARY KEY, at INTEGER NOT NULL, day TEXT NOT NULL, service TEXT NOT NULL,
  error_code TEXT NOT NULL, return_code TEXT NOT NULL, charged_fen INTEGER NOT NULL, duplicate INTEGER NOT NULL,
  upstream_order_id TEXT, upstream_code INTEGER, upstream_ms INTEGER, fingerprint_prefix TEXT);
CREATE INDEX IF NOT EXISTS ledger_at ON ledger (at);
CREATE TABLE IF NOT EXISTS ledger_archives (day TEXT PRIMARY KEY, key TEXT NOT NULL, rows INTEGER NOT NULL,
  bytes INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
`;

// `unlisted`: requests counted without a detail row of their own (see count()).
const ROLLUPS = `
CREATE TABLE ledger_daily (day TEXT NOT NULL, service TEXT NOT NULL, error_code TEXT NOT NULL, requests INTEGER NOT NULL,
  billable INTEGER NOT NULL, charged_fen INTEGER NOT NULL, unlisted INTEGER NOT NULL, PRIMARY KEY (day, service, error_code)) WITHOUT ROWID
`;

/** A billable answer, in SQL over a detail row: a 200 that was not a replay (docs/contract.md §7). */
const BILLABLE = "(error_code = '200' AND duplicate = 0)";

/** Enough of an HMAC to tell rows of one identity together, too little to matter alone. */
const PREFIX = 12;

type Rollup = {
  day: string;
  service: string;
  errorCode: string;
  requests: number;
  billable: number;
  chargedFen: number;
  unlisted: number;
};

export class Ledger {
  /** `onRow` hears the time of every detail row written, so the owner can plan the row's retirement. */
  constructor(
    private readonly sql: SqlStorage,
    private readonly onRow: (at: number) => void,
  ) {
    sql.exec(SCHEMA);
    // Rows written before attempts were recorded have none.
    const columns = sql
      .exec<{ name: string }>("SELECT name FROM pragma_table_info('ledger')")
      .toArray()
      .map((c) => c.name);
    if (!columns.includes("attempts")) sql.exec("ALTER TABLE ledger ADD COLUMN attempts TEXT NOT NULL DEFAULT '[]'");
    // Rows written before replays named their original order name none.
    if (!columns.includes("replay_of")) sql.exec("ALTER TABLE ledger ADD COLUMN replay_of TEXT");
    // Rows written before the rotation audit was kept name no credential.
    if (!columns.includes("previous_credential")) sql.exec("ALTER TABLE ledger ADD COLUMN previous_credential TEXT");
    // Rollups started after the first rows: they begin as the sum of every row there is.
    const rollups = sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'ledger_daily'")
      .one();
    if (rollups.n === 0) {
      sql.exec(ROLLUPS);
      sql.exec(
        `INSERT INTO ledger_daily SELECT day, service, error_code, count(*), sum(${BILLABLE}), sum(charged_fen), 0 FROM ledger GROUP BY day, service, error_code`,
      );
    }
  }

  /** One detail row and its day's rollup; a row already there changes nothing. Run inside a transaction. */
  insert(e: LedgerEntry): void {
    const added = this.sql
      .exec<{ day: string; billable: number }>(
        `INSERT OR IGNORE INTO ledger (order_no, at, day, service, error_code, return_code, charged_fen, duplicate,
          upstream_order_id, upstream_code, upstream_ms, fingerprint_prefix, attempts, replay_of, previous_credential)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING day, ${BILLABLE} AS billable`,
        e.orderNo,
        e.at,
        chinaDay(e.at),
        e.service,
        e.errorCode,
        e.returnCode,
        e.chargedFen,
        Number(e.duplicate),
        e.upstreamOrderId,
        e.upstreamCode,
        e.upstreamMs,
        e.fingerprintPrefix?.slice(0, PREFIX) ?? null,
        JSON.stringify(e.attempts),
        // A Worker still on the version before them (during a deploy) sends rows without these.
        e.replayOf ?? null,
        e.previousCredential ?? null,
      )
      .toArray()[0];
    if (!added) return;
    this.roll({
      day: added.day,
      service: e.service,
      errorCode: e.errorCode,
      requests: 1,
      billable: added.billable,
      chargedFen: e.chargedFen,
      unlisted: 0,
    });
    this.onRow(e.at);
  }

  /**
   * Counts `n` requests of one day, service and code in the rollups without detail rows: for
   * refusals that cost no row of their own (docs/contract.md §8: the rate limit). Never billable.
   */
  count(day: string, service: string, errorCode: string, n: number): void {
    this.roll({ day, service, errorCode, requests: n, billable: 0, chargedFen: 0, unlisted: n });
  }

  /** Requests, billable answers and charges per China day and error code, for [fromDay, toDay], from the rollups. */
  usage(fromDay: string, toDay: string): UsageRow[] {
    return this.sql
      .exec<UsageRow>(
        `SELECT day, error_code AS errorCode, sum(requests) AS requests, sum(billable) AS billable, sum(charged_fen) AS chargedFen
         FROM ledger_daily WHERE day BETWEEN ? AND ? GROUP BY day, error_code ORDER BY day, error_code`,
        fromDay,
        toDay,
      )
      .toArray();
  }

  /** Up to `limit` detail rows of [fromDay, toDay] in (time, order number) order, after `after` when given. */
  rows(fromDay: string, toDay: string, limit: number, after: LedgerCursor | null): LedgerEntry[] {
    const from = chinaDayStart(fromDay);
    // The cursor's time is the index seek, so every page costs the same however deep it is;
    // a cursor from before the range (another range's) starts it from the beginning.
    const [lowest, afterOrderNo] = after && after.at >= from ? [after.at, after.orderNo] : [from, ""];
    return this.sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM ledger WHERE at >= ?1 AND at < ?2 AND (at > ?1 OR order_no > ?3) ORDER BY at, order_no LIMIT ?4",
        lowest,
        chinaDayStart(addDays(toDay, 1)),
        afterOrderNo,
        limit,
      )
      .toArray()
      .map(toEntry);
  }

  /** The China day of the oldest detail row, or null when there is none. */
  oldestDay(): string | null {
    const { at } = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM ledger").one();
    return at === null ? null : chinaDay(at);
  }

  /** How many detail rows China day `day` holds (an index range count). */
  countDay(day: string): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM ledger WHERE at >= ? AND at < ?",
        chinaDayStart(day),
        chinaDayStart(addDays(day, 1)),
      )
      .one().n;
  }

  /** Whether the order's row is a reservation released by expiry: an uncharged 500 (docs/contract.md §7). */
  isExpiryRow(orderNo: string): boolean {
    return (
      this.sql
        .exec("SELECT 1 FROM ledger WHERE order_no = ? AND error_code = '500' AND charged_fen = 0", orderNo)
        .toArray().length > 0
    );
  }

  isArchived(day: string): boolean {
    return this.sql.exec("SELECT 1 FROM ledger_archives WHERE day = ?", day).toArray().length > 0;
  }

  /** Remembers that `day` is in the archive whole, so its rows may go, over as many batches as it takes. */
  archived(a: { day: string; key: string; rows: number; bytes: number; at: number }): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO ledger_archives (day, key, rows, bytes, at) VALUES (?, ?, ?, ?, ?)",
      a.day,
      a.key,
      a.rows,
      a.bytes,
      a.at,
    );
  }

  /** Deletes up to `limit` detail rows of an archived day; the rollups stay. */
  deleteArchived(day: string, limit: number): void {
    this.sql.exec(
      // The EXISTS is the last guard: a day that is not in the archive loses nothing.
      `DELETE FROM ledger WHERE rowid IN (SELECT rowid FROM ledger WHERE at >= ?1 AND at < ?2 LIMIT ?3)
         AND EXISTS (SELECT 1 FROM ledger_archives WHERE day = ?4)`,
      chinaDayStart(day),
      chinaDayStart(addDays(day, 1)),
      limit,
      day,
    );
  }

  /** Row counts: detail rows, rollup rows, archived days. Counting detail rows reads them all: for the operator only. */
  counts(): { ledger: number; rollups: number; archivedDays: number } {
    return this.sql
      .exec<{ ledger: number; rollups: number; archivedDays: number }>(
        `SELECT (SELECT count(*) FROM ledger) AS ledger, (SELECT count(*) FROM ledger_daily) AS rollups,
           (SELECT count(*) FROM ledger_archives) AS archivedDays`,
      )
      .one();
  }

  private roll(r: Rollup): void {
    this.sql.exec(
      `INSERT INTO ledger_daily (day, service, error_code, requests, billable, charged_fen, unlisted) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (day, service, error_code) DO UPDATE SET requests = requests + excluded.requests,
         billable = billable + excluded.billable, charged_fen = charged_fen + excluded.charged_fen, unlisted = unlisted + excluded.unlisted`,
      r.day,
      r.service,
      r.errorCode,
      r.requests,
      r.billable,
      r.chargedFen,
      r.unlisted,
    );
  }
}

function toEntry(row: Record<string, SqlStorageValue>): LedgerEntry {
  return {
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
    replayOf: row.replay_of === null ? null : String(row.replay_of),
    previousCredential: row.previous_credential === null ? null : String(row.previous_credential),
  };
}
