// The account's money and counts inside its Durable Object (docs/contract.md §7): the balance, the
// remaining count per service, the credits that changed them, and what a new reservation may use.
import type { Available } from "./terms.ts";
import type { AccountState, Credit, Credited, Opening } from "./types.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS balance (id INTEGER PRIMARY KEY CHECK (id = 1), balance_fen INTEGER);
CREATE TABLE IF NOT EXISTS counts (service TEXT PRIMARY KEY, remaining INTEGER);
CREATE TABLE IF NOT EXISTS credits (at INTEGER NOT NULL, service TEXT NOT NULL, balance_fen INTEGER NOT NULL, count INTEGER NOT NULL);
`;

export class Balances {
  private readonly opened = new Set<string>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly transaction: <T>(run: () => T) => T,
  ) {
    sql.exec(SCHEMA);
  }

  /** Starts the account from its opening terms the first time it is used; later calls change nothing. */
  open(service: string, opening: Opening): void {
    if (this.opened.has(service)) return;
    this.sql.exec("INSERT OR IGNORE INTO balance (id, balance_fen) VALUES (1, ?)", opening.balanceFen);
    this.sql.exec("INSERT OR IGNORE INTO counts (service, remaining) VALUES (?, ?)", service, opening.remaining);
    this.opened.add(service);
  }

  /** The balance, and what a new reservation may use: what is left minus what is held (one query). */
  available(service: string): Available & { held: number } {
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

  /** Takes a billable answer's price and one count. Run inside the settlement's transaction. */
  charge(service: string, fen: number): void {
    this.sql.exec("UPDATE balance SET balance_fen = balance_fen - ? WHERE balance_fen IS NOT NULL", fen);
    this.sql.exec("UPDATE counts SET remaining = remaining - 1 WHERE service = ? AND remaining IS NOT NULL", service);
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
    this.transaction(() => {
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
}
