// One Durable Object per account (SQLite): the single source of truth for its balance, counts,
// reservations, duplicate window, limits' counters (limits.ts) and ledger. Every method runs its
// SQL synchronously, so each call is atomic: two edges asking at once are served one after the other.
import { DurableObject } from "cloudflare:workers";
import { readConfig } from "../config/config.ts";
import type { StoredResult } from "../duplicates/stored-result.ts";
import { logEvent } from "../platform/log.ts";
import { chinaDay } from "../platform/time.ts";
import type { ErrorCode } from "../wire/codes.ts";
import { Ledger } from "./ledger.ts";
import { retire, retiresAt } from "./ledger-archive.ts";
import { Limits } from "./limits.ts";
import { clearDeferred, deferredSettlement } from "./outbox.ts";
import { type Available, refusal } from "./terms.ts";
import type {
  AccountState,
  Begin,
  BeginRequest,
  Credit,
  Credited,
  DecryptionFailure,
  FailureVerdict,
  LedgerCursor,
  LedgerEntry,
  Opening,
  Settlement,
  StorageState,
  UsageRow,
} from "./types.ts";

/** A reservation older than this was left by an isolate that died; the alarm releases it. */
export const RESERVATION_TTL_MS = 5 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS balance (id INTEGER PRIMARY KEY CHECK (id = 1), balance_fen INTEGER);
CREATE TABLE IF NOT EXISTS counts (service TEXT PRIMARY KEY, remaining INTEGER);
CREATE TABLE IF NOT EXISTS reservations (order_no TEXT PRIMARY KEY, service TEXT NOT NULL, fingerprint TEXT NOT NULL,
  amount_fen INTEGER NOT NULL, dedup_ttl INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS reservations_fp ON reservations (fingerprint);
CREATE TABLE IF NOT EXISTS dedup (fingerprint TEXT PRIMARY KEY, until INTEGER NOT NULL, stored TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS dedup_until ON dedup (until);
CREATE TABLE IF NOT EXISTS credits (at INTEGER NOT NULL, service TEXT NOT NULL, balance_fen INTEGER NOT NULL, count INTEGER NOT NULL);
`;

/** Expired duplicate entries are ignored at once and deleted in bulk now and then. */
const PURGE_EVERY_MS = 60_000;

/** The longest a refusal counted without a detail row waits in memory before it reaches the rollups. */
const TALLY_FLUSH_MS = 1_000;

/** After a failed retirement (R2 down, say), the next try; nothing was deleted. */
const RETIRE_RETRY_MS = 15 * 60_000;

type Tally = { readonly day: string; readonly service: string; readonly errorCode: ErrorCode; n: number };

export class AccountObject extends DurableObject<Env> {
  /** The object's clock for its alarm. The retention test replaces it to live through years in seconds. */
  clock: () => number = Date.now;
  private readonly sql: SqlStorage;
  private readonly ledgerBook: Ledger;
  private readonly limits: Limits;
  private readonly opened = new Set<string>();
  private purgedAt = 0;
  /** The alarm as set. One alarm serves every need (stale reservations, the tally, retirement): each asks for it no later than it wants it. */
  private alarmAt: number | null = null;
  private readonly tally = new Map<string, Tally>();
  private tallySince: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    // A set alarm replans everything when it fires, so a new row needs one only when none is set.
    this.ledgerBook = new Ledger(this.sql, (at) => {
      const days = this.alarmAt === null ? this.retentionDays() : null;
      if (days !== null) this.wakeBy(retiresAt(chinaDay(at), days));
    });
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
      // Rows kept from before retention existed wait for no alarm: plan one from what is stored.
      if (this.alarmAt === null) this.plan(this.clock(), null);
    });
    this.limits = new Limits(this.sql);
  }

  /**
   * Reserve the price and one count for a request about to go upstream, unless it must not; the
   * refusals in the order of docs/contract.md §4: 104 (as at the token check), the failure budget
   * (307, the decrypt step), the request id and the duplicate window (the duplicate step), the
   * rate limit (502), the per-person budgets (309), then 312 and 313.
   */
  begin(r: BeginRequest): Begin {
    this.open(r.service, r.opening);
    if (r.now - this.purgedAt >= PURGE_EVERY_MS) {
      this.sql.exec("DELETE FROM dedup WHERE until <= ?", r.now);
      this.limits.purge(r.now);
      this.purgedAt = r.now;
    }
    const available = this.available(r.service);
    const balanceFen = available.balanceFen;
    const code = refusal(available, r.priceFen);
    if (code === "104") return { kind: "refused", code, balanceFen };
    const blocked = this.limits.blockedUntil(r.tokenHash, r.now);
    if (blocked !== null) return { kind: "blocked", until: blocked, balanceFen };
    const earlier = r.requestKey === null ? null : this.limits.earlier(r.requestKey, r.fingerprint, r.now);
    switch (earlier?.kind) {
      case undefined:
        break;
      case "answered":
        return { kind: "retried", stored: earlier.stored, balanceFen };
      case "inFlight":
        return { kind: "inFlight", orderNo: earlier.orderNo, balanceFen };
      case "otherIdentity":
        return { kind: "requestIdReused", balanceFen };
      default:
        return earlier satisfies never;
    }
    const seen = this.sql
      .exec<{ stored: string | null; busy: string | null }>(
        `SELECT (SELECT stored FROM dedup WHERE fingerprint = ?1 AND until > ?2) AS stored,
           (SELECT order_no FROM reservations WHERE fingerprint = ?1 LIMIT 1) AS busy`,
        r.fingerprint,
        r.now,
      )
      .one();
    if (seen.stored !== null) return { kind: "duplicate", stored: JSON.parse(seen.stored) as StoredResult, balanceFen };
    if (seen.busy !== null) return { kind: "inFlight", orderNo: seen.busy, balanceFen };

    const begun = this.ctx.storage.transactionSync((): Begin => {
      const wait = this.limits.admit(r.limits.rateLimit, r.now);
      if (wait !== null) return { kind: "tooFast", retryAfterMs: wait, balanceFen };
      const subject = this.limits.overBudget(r.subjects, r.fingerprint, r.limits.subjectBudget, r.now);
      if (subject !== null) return { kind: "overBudget", subject, balanceFen };
      if (code) return { kind: "refused", code, balanceFen };
      // The alarm follows the oldest reservation: set with the first, moved on by alarm() itself,
      // so steady traffic cannot keep pushing it back.
      const first = available.held === 0;
      this.sql.exec(
        "INSERT INTO reservations (order_no, service, fingerprint, amount_fen, dedup_ttl, at) VALUES (?, ?, ?, ?, ?, ?)",
        r.orderNo,
        r.service,
        r.fingerprint,
        r.priceFen,
        r.dedupTtl,
        r.now,
      );
      this.limits.hold(r.orderNo, r.subjects, r.fingerprint, r.requestKey, r.now);
      if (first) this.wakeBy(r.now + RESERVATION_TTL_MS);
      return { kind: "reserved", balanceFen };
    });
    // A flood past the rate limit is counted in the rollups only: no detail row of its own (§8).
    if (begun.kind === "tooFast") this.tallyRefusal(r.service, "502", r.now);
    return begun;
  }

  /** Commit a billable answer, release anything else; one ledger row either way. Idempotent. */
  settle(s: Settlement): void {
    this.ctx.storage.transactionSync(() => {
      const held = this.sql
        .exec<{ service: string; fingerprint: string; amount_fen: number; dedup_ttl: number }>(
          "DELETE FROM reservations WHERE order_no = ? RETURNING service, fingerprint, amount_fen, dedup_ttl",
          s.orderNo,
        )
        .toArray()[0];
      if (!held) return;
      const charged = s.stored ? held.amount_fen : 0;
      if (s.stored) {
        this.sql.exec("UPDATE balance SET balance_fen = balance_fen - ? WHERE balance_fen IS NOT NULL", charged);
        this.sql.exec(
          "UPDATE counts SET remaining = remaining - 1 WHERE service = ? AND remaining IS NOT NULL",
          held.service,
        );
        this.sql.exec(
          "INSERT OR REPLACE INTO dedup (fingerprint, until, stored) VALUES (?, ?, ?)",
          held.fingerprint,
          s.at + held.dedup_ttl * 1000,
          JSON.stringify(s.stored),
        );
      }
      this.limits.settle(s.orderNo, s.stored, s.at);
      this.ledgerBook.insert({
        ...s,
        service: held.service,
        chargedFen: charged,
        duplicate: false,
        fingerprintPrefix: held.fingerprint,
      });
    });
  }

  /**
   * Withdraws a reservation whose request never went upstream (the Worker answered it from the
   * duplicate cache, or found its account copy stale): nothing charged, nothing counted, no ledger
   * row (the request's own row comes with its answer). Idempotent.
   */
  cancel(orderNo: string): void {
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM reservations WHERE order_no = ?", orderNo);
      this.limits.cancel(orderNo);
    });
  }

  /** Counts a decryption failure of the token (docs/contract.md §2) and reports the balance for the 104 check. */
  decryptionFailed(f: DecryptionFailure): FailureVerdict {
    this.open(f.service, f.opening);
    const { balanceFen } = this.available(f.service);
    return { balanceFen, ...this.limits.countFailure(f.tokenHash, f.now) };
  }

  /** Ledger rows for requests that never reserved (refused early, or answered from a cache). */
  recordMany(entries: LedgerEntry[]): void {
    this.ctx.storage.transactionSync(() => {
      for (const e of entries) this.ledgerBook.insert({ ...e, chargedFen: 0 });
    });
  }

  /**
   * Adds to (or, negative, takes from) what is there. An unprepaid balance or an unmetered count is
   * started only when the credit says so (`start`): never by accident.
   */
  credit(c: Credit): Credited {
    this.open(c.service, c.opening);
    const { balance, remaining } = this.sql
      .exec<{ balance: number | null; remaining: number | null }>(
        "SELECT (SELECT balance_fen FROM balance) AS balance, (SELECT remaining FROM counts WHERE service = ?) AS remaining",
        c.service,
      )
      .one();
    if (c.balanceFen !== 0 && balance === null && !c.start)
      return {
        ok: false,
        error: "the account is not prepaid: a credit starts a balance only with start: true (account credit --start)",
      };
    if (c.count !== 0 && remaining === null && !c.start)
      return {
        ok: false,
        error: "the service is unmetered: a credit starts a count only with start: true (account credit --start)",
      };
    if (!Number.isSafeInteger((balance ?? 0) + c.balanceFen) || !Number.isSafeInteger((remaining ?? 0) + c.count)) {
      return { ok: false, error: "the result would leave the safe integer range" };
    }
    this.ctx.storage.transactionSync(() => {
      if (c.balanceFen !== 0)
        this.sql.exec("UPDATE balance SET balance_fen = coalesce(balance_fen, 0) + ?", c.balanceFen);
      if (c.count !== 0)
        this.sql.exec("UPDATE counts SET remaining = coalesce(remaining, 0) + ? WHERE service = ?", c.count, c.service);
      this.sql.exec(
        "INSERT INTO credits (at, service, balance_fen, count) VALUES (?, ?, ?, ?)",
        c.at,
        c.service,
        c.balanceFen,
        c.count,
      );
    });
    return { ok: true, state: this.state(c.service, c.opening) };
  }

  state(service: string, opening: Opening): AccountState {
    this.open(service, opening);
    const { balanceFen, remaining, held } = this.available(service);
    return { balanceFen, remaining: remaining === null ? null : remaining + held, reserved: held };
  }

  /**
   * Counts a request refused without a detail row of its own (the rate limit: docs/contract.md §8)
   * in the rollups. Counts gather in memory and are written together, at most a second later,
   * so a flood of refusals costs a write a second, not one each.
   */
  tallyRefusal(service: string, errorCode: ErrorCode, now: number): void {
    const day = chinaDay(now);
    const key = `${day} ${service} ${errorCode}`;
    const counted = this.tally.get(key);
    if (counted) counted.n++;
    else this.tally.set(key, { day, service, errorCode, n: 1 });
    if (this.tallySince === null) {
      this.tallySince = now;
      this.wakeBy(now + TALLY_FLUSH_MS);
    } else if (now - this.tallySince >= TALLY_FLUSH_MS) this.flushTally();
  }

  /** Per China day and code, from the rollups (docs/contract.md §8). */
  usage(fromDay: string, toDay: string): UsageRow[] {
    this.flushTally();
    return this.ledgerBook.usage(fromDay, toDay);
  }

  /** One page of detail rows; the caller asks for one more than it shows to learn whether another page follows. */
  ledger(fromDay: string, toDay: string, limit: number, after: LedgerCursor | null = null): LedgerEntry[] {
    return this.ledgerBook.rows(fromDay, toDay, limit, after);
  }

  /** What the object stores, for the operator: size and row counts (counting reads every row). */
  storageState(): StorageState {
    this.flushTally();
    const { ledger, rollups, archivedDays } = this.ledgerBook.counts();
    const own = this.sql
      .exec<{ reservations: number; dedup: number }>(
        "SELECT (SELECT count(*) FROM reservations) AS reservations, (SELECT count(*) FROM dedup) AS dedup",
      )
      .one();
    return {
      databaseSize: this.sql.databaseSize,
      rows: { ledger, rollups, archivedDays, reservations: own.reservations, dedup: own.dedup },
      oldestLedgerDay: this.ledgerBook.oldestDay(),
    };
  }

  /**
   * The one alarm: writes the refusal tally, releases reservations left behind by an isolate that
   * died mid-request, retires a batch of ledger rows past retention, and sets itself for the
   * earliest next need.
   */
  override async alarm(): Promise<void> {
    const now = this.clock();
    this.alarmAt = null;
    this.flushTally();
    const stale = this.sql
      .exec<{ order_no: string }>("SELECT order_no FROM reservations WHERE at <= ?", now - RESERVATION_TTL_MS)
      .toArray();
    // A reservation whose settlement the Worker could not deliver is settled from the outbox.
    const accountId = this.ctx.id.name;
    for (const { order_no } of stale) {
      const deferred =
        accountId === undefined ? null : await deferredSettlement(this.env.ACCOUNTS, accountId, order_no);
      this.settle(
        deferred ?? {
          orderNo: order_no,
          at: now,
          errorCode: "500",
          returnCode: "0",
          upstreamOrderId: null,
          upstreamCode: null,
          upstreamMs: null,
          attempts: [],
          stored: null,
        },
      );
      if (deferred && accountId !== undefined) await clearDeferred(this.env.ACCOUNTS, accountId, order_no);
    }
    this.plan(now, await this.retireBatch(now));
  }

  /** Retires one batch; the time the next batch is due, or null to plan from the oldest row. */
  private async retireBatch(now: number): Promise<number | null> {
    // The archive key names the account: the Worker addresses each object by its account id.
    const accountId = this.ctx.id.name;
    // A configuration that does not parse is logged where it is read; the rows wait for a good one.
    const days = this.retentionDays();
    if (days === null) return null;
    try {
      return (await retire(this.ledgerBook, this.env.LEDGER_ARCHIVE, accountId, days, now)) ? now : null;
    } catch (error) {
      logEvent("error", "ledger_retire_failed", {
        accountId,
        error: error instanceof Error ? error.message : String(error),
      });
      return now + RETIRE_RETRY_MS;
    }
  }

  /** Sets the alarm for the earliest need: the oldest reservation's expiry, the tally, the oldest row's retirement. */
  private plan(now: number, retireAt: number | null): void {
    const reservation = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM reservations").one().at;
    const oldest = retireAt === null ? this.ledgerBook.oldestDay() : null;
    const days = oldest === null ? null : this.retentionDays();
    const needs = [
      reservation === null ? null : reservation + RESERVATION_TTL_MS,
      this.tallySince === null ? null : this.tallySince + TALLY_FLUSH_MS,
      retireAt ?? (oldest === null || days === null ? null : Math.max(now, retiresAt(oldest, days))),
    ].filter((at): at is number => at !== null);
    this.alarmAt = null;
    if (needs.length > 0) this.wakeBy(Math.min(...needs));
  }

  /** Makes the alarm ring by `at`: moves it earlier, never later, so steady traffic cannot keep pushing it back. */
  private wakeBy(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  private flushTally(): void {
    if (this.tally.size === 0) return;
    this.ctx.storage.transactionSync(() => {
      for (const t of this.tally.values()) this.ledgerBook.count(t.day, t.service, t.errorCode, t.n);
    });
    this.tally.clear();
    this.tallySince = null;
  }

  private retentionDays(): number | null {
    const config = readConfig(this.env);
    return config.ok ? config.config.LEDGER_RETENTION_DAYS : null;
  }

  /** The balance, and what a new reservation may use: what is left minus what is held (one query). */
  private available(service: string): Available & { held: number } {
    const row = this.sql
      .exec<{ balance: number | null; remaining: number | null; n: number; fen: number }>(
        `SELECT (SELECT balance_fen FROM balance) AS balance, (SELECT remaining FROM counts WHERE service = ?1) AS remaining,
           count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM reservations WHERE service = ?1`,
        service,
      )
      .one();
    return {
      balanceFen: row.balance,
      spendableFen: row.balance === null ? null : row.balance - row.fen,
      remaining: row.remaining === null ? null : row.remaining - row.n,
      held: row.n,
    };
  }

  /** Starts the account from its opening terms the first time it is used; later calls change nothing. */
  private open(service: string, opening: Opening): void {
    if (this.opened.has(service)) return;
    this.sql.exec("INSERT OR IGNORE INTO balance (id, balance_fen) VALUES (1, ?)", opening.balanceFen);
    this.sql.exec("INSERT OR IGNORE INTO counts (service, remaining) VALUES (?, ?)", service, opening.remaining);
    this.opened.add(service);
  }
}
