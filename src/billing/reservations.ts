// Begin and settle inside the account's Durable Object (docs/contract.md §4, §6, §7): the one
// round trip before the upstream answers what the account's memory can answer or reserves the
// price and a count; the settlement commits a 200 or releases anything else, with its ledger row.
import type { StoredResult } from "../duplicates/stored-result.ts";
import { logEvent } from "../platform/log.ts";
import type { Balances } from "./balances.ts";
import { reservationMs } from "./horizon.ts";
import type { Ledger } from "./ledger.ts";
import type { Limits } from "./limits.ts";
import { type Available, refusal } from "./terms.ts";
import type { Begin, BeginRequest, Settlement } from "./types.ts";
import type { Upkeep } from "./upkeep.ts";

// `until`: when the reservation expires (`at` + reservationMs of the deadline in force at begin);
// `upstream`: the one its request asks first, named in the row if the request dies.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS reservations (order_no TEXT PRIMARY KEY, service TEXT NOT NULL, fingerprint TEXT NOT NULL,
  amount_fen INTEGER NOT NULL, dedup_ttl INTEGER NOT NULL, at INTEGER NOT NULL, until INTEGER NOT NULL, upstream TEXT);
CREATE INDEX IF NOT EXISTS reservations_fp ON reservations (fingerprint);
CREATE TABLE IF NOT EXISTS dedup (fingerprint TEXT PRIMARY KEY, until INTEGER NOT NULL, stored TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS dedup_until ON dedup (until);
`;

/** Expired duplicate entries are ignored at once and deleted in bulk now and then. */
const PURGE_EVERY_MS = 60_000;

/** The parts of the object a reservation touches. */
export type Books = {
  readonly sql: SqlStorage;
  readonly storage: DurableObjectStorage;
  readonly balances: Balances;
  readonly limits: Limits;
  readonly ledger: Ledger;
  readonly upkeep: Upkeep;
  /** UPSTREAM_DEADLINE_MS as the object's configuration sets it. */
  readonly deadlineMs: () => number;
};

/** A reservation whose request died: which upstream it asked first, if any, and how long it was held. */
export type Expired = { readonly orderNo: string; readonly upstream: string | null; readonly heldMs: number };

/** Reservations held before expiry was per row were given five minutes. */
const OLD_TTL_MS = 5 * 60_000;

export class Reservations {
  private purgedAt = 0;
  /**
   * No reservation expires before this (a lower bound on the earliest `until`; 0 until read), so
   * `begin` looks for dead requests' reservations only once one may have expired.
   */
  private expiresFrom = 0;

  constructor(private readonly books: Books) {
    books.sql.exec(SCHEMA);
    const columns = books.sql
      .exec<{ name: string }>("SELECT name FROM pragma_table_info('reservations')")
      .toArray()
      .map((c) => c.name);
    if (!columns.includes("until")) {
      books.sql.exec("ALTER TABLE reservations ADD COLUMN until INTEGER NOT NULL DEFAULT 0");
      books.sql.exec("UPDATE reservations SET until = at + ?", OLD_TTL_MS);
    }
    if (!columns.includes("upstream")) books.sql.exec("ALTER TABLE reservations ADD COLUMN upstream TEXT");
  }

  /**
   * Reserve the price and one count for a request about to go upstream, unless it must not; the
   * refusals in the order of docs/contract.md §4: 104 (as at the token check), then the rate limit
   * (502), drawn before anything the account's memory could tell (docs/contract.md §8); the failure
   * budget (307, the decrypt step), the request id and the duplicate window (the duplicate step),
   * the per-person budgets (309), then 312 and 313.
   */
  begin(r: BeginRequest): Begin {
    const { sql, balances, limits } = this.books;
    balances.open(r.service, r.opening);
    if (r.now - this.purgedAt >= PURGE_EVERY_MS) {
      sql.exec("DELETE FROM dedup WHERE until <= ?", r.now);
      limits.purge(r.now);
      this.purgedAt = r.now;
    }
    // A dead request's reservation is released here, not left for the alarm: it must block neither
    // the retry with its requestId nor an identical request, nor hold the balance (docs/contract.md §7).
    if (r.now >= this.expiresFrom) {
      this.release(this.expired(r.now), r.now);
      this.expiresFrom = this.nextExpiry() ?? Number.POSITIVE_INFINITY;
    }
    const available = balances.available(r.service);
    const code = refusal(available, r.priceFen);
    const begun: Begin =
      code === "104"
        ? { kind: "refused", code, balanceFen: available.balanceFen }
        : this.books.storage.transactionSync(() => this.decide(r, available, code));
    // A flood past the rate limit is counted in the rollups only: no detail row of its own (§8).
    if (begun.kind === "tooFast") this.books.upkeep.tallyRefusal(r.service, "502", r.now);
    return begun;
  }

  /** Everything after 104, in one transaction: what the request draws and counts stays drawn and counted. */
  private decide(r: BeginRequest, available: Available & { held: number }, code: "312" | "313" | null): Begin {
    const { sql, limits } = this.books;
    const { balanceFen } = available;
    const wait = limits.admit(r.limits.rateLimit, r.now);
    if (wait !== null) return { kind: "tooFast", retryAfterMs: wait, balanceFen };
    const blocked = limits.blockedUntil(r.tokenHash, r.now);
    if (blocked !== null) return { kind: "blocked", until: blocked, balanceFen };
    const earlier = r.requestKey === null ? null : limits.earlier(r.requestKey, r.fingerprint, r.now);
    switch (earlier?.kind) {
      case undefined:
        break;
      case "answered":
        return { kind: "retried", stored: earlier.stored, balanceFen };
      case "inFlight":
        return { kind: "inFlight", orderNo: earlier.orderNo, balanceFen };
      case "otherIdentity":
        // A guess at whose request this was: it spends the token's failure budget (docs/contract.md §8).
        limits.countFailure(r.tokenHash, r.now);
        return { kind: "requestIdReused", balanceFen };
      default:
        return earlier satisfies never;
    }
    const seen = sql
      .exec<{ stored: string | null; busy: string | null }>(
        `SELECT (SELECT stored FROM dedup WHERE fingerprint = ?1 AND until > ?2) AS stored,
           (SELECT order_no FROM reservations WHERE fingerprint = ?1 LIMIT 1) AS busy`,
        r.fingerprint,
        r.now,
      )
      .one();
    if (seen.stored !== null) return { kind: "duplicate", stored: JSON.parse(seen.stored) as StoredResult, balanceFen };
    if (seen.busy !== null) return { kind: "inFlight", orderNo: seen.busy, balanceFen };
    const subject = limits.overBudget(r.subjects, r.fingerprint, r.limits.subjectBudget, r.now);
    if (subject !== null) {
      // Telling a counted identity from a new one is the enumeration the budget stops: it spends the failure budget too.
      limits.countFailure(r.tokenHash, r.now);
      return { kind: "overBudget", subject, balanceFen };
    }
    if (code) return { kind: "refused", code, balanceFen };
    // The alarm follows the oldest reservation: set with the first, moved on by the alarm itself,
    // so steady traffic cannot keep pushing it back.
    const until = r.now + reservationMs(this.books.deadlineMs());
    sql.exec(
      "INSERT INTO reservations (order_no, service, fingerprint, amount_fen, dedup_ttl, at, until, upstream) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      r.orderNo,
      r.service,
      r.fingerprint,
      r.priceFen,
      r.dedupTtl,
      r.now,
      until,
      r.upstream ?? null,
    );
    limits.hold(r.orderNo, r.subjects, r.fingerprint, r.requestKey, r.now);
    this.expiresFrom = Math.min(this.expiresFrom, until);
    if (available.held === 0) this.books.upkeep.wakeBy(until);
    return { kind: "reserved", balanceFen };
  }

  /** Commit a billable answer, release anything else; one ledger row either way. Idempotent. */
  settle(s: Settlement): void {
    const { sql, storage, balances, limits, ledger } = this.books;
    storage.transactionSync(() => {
      const held = sql
        .exec<{ service: string; fingerprint: string; amount_fen: number; dedup_ttl: number }>(
          "DELETE FROM reservations WHERE order_no = ? RETURNING service, fingerprint, amount_fen, dedup_ttl",
          s.orderNo,
        )
        .toArray()[0];
      if (!held) {
        // Already settled (a retry), or released by expiry: a 200 arriving then stays unbilled
        // (a retry may have been billed meanwhile), and the operator hears of it (docs/contract.md §7).
        if (s.stored && ledger.isExpiryRow(s.orderNo)) logEvent("warn", "settle_after_expiry", { orderNo: s.orderNo });
        return;
      }
      const charged = s.stored ? held.amount_fen : 0;
      if (s.stored) {
        balances.charge(held.service, charged);
        sql.exec(
          "INSERT OR REPLACE INTO dedup (fingerprint, until, stored) VALUES (?, ?, ?)",
          held.fingerprint,
          s.at + held.dedup_ttl * 1000,
          JSON.stringify(s.stored),
        );
      }
      limits.settle(s.orderNo, s.stored, s.at);
      ledger.insert({
        ...s,
        service: held.service,
        chargedFen: charged,
        duplicate: false,
        fingerprintPrefix: held.fingerprint,
        replayOf: null,
      });
    });
  }

  /**
   * Withdraws a reservation whose request never went upstream (the Worker answered it from the
   * duplicate cache, or found its account copy stale): nothing charged, nothing counted, no ledger
   * row (the request's own row comes with its answer). Idempotent.
   */
  cancel(orderNo: string): void {
    this.books.storage.transactionSync(() => {
      this.books.sql.exec("DELETE FROM reservations WHERE order_no = ?", orderNo);
      this.books.limits.cancel(orderNo);
    });
  }

  /** Reservations expired by `now`: their request died with its isolate. */
  expired(now: number): Expired[] {
    return this.books.sql
      .exec<{ order_no: string; upstream: string | null; held: number }>(
        "SELECT order_no, upstream, until - at AS held FROM reservations WHERE until <= ?",
        now,
      )
      .toArray()
      .map((r) => ({ orderNo: r.order_no, upstream: r.upstream, heldMs: r.held }));
  }

  /**
   * Releases expired reservations as `500`, uncharged: no caller saw an answer for them. The row
   * names the upstream the request asked first as an attempt without a code or an order id, lasting
   * as long as the reservation was held: that vendor may have answered, and may bill for it
   * (docs/contract.md §7).
   */
  release(expired: readonly Expired[], now: number): void {
    for (const { orderNo, upstream, heldMs } of expired)
      this.settle({
        orderNo,
        at: now,
        errorCode: "500",
        returnCode: "0",
        upstreamOrderId: null,
        upstreamCode: null,
        upstreamMs: null,
        attempts: upstream === null ? [] : [{ upstream, code: null, ms: heldMs, orderId: null }],
        // The request died with what it knew: which credentials it used is not kept with the reservation.
        previousCredential: null,
        stored: null,
      });
  }

  /** When the first reservation expires, or null when none is held. */
  nextExpiry(): number | null {
    return this.books.sql.exec<{ until: number | null }>("SELECT min(until) AS until FROM reservations").one().until;
  }

  counts(): { reservations: number; dedup: number } {
    return this.books.sql
      .exec<{ reservations: number; dedup: number }>(
        "SELECT (SELECT count(*) FROM reservations) AS reservations, (SELECT count(*) FROM dedup) AS dedup",
      )
      .one();
  }
}
