// One Durable Object per account (SQLite): the single source of truth for its balance, counts,
// reservations, duplicate window, limits' counters (limits.ts) and ledger. Every method runs its
// SQL synchronously, so each call is atomic: two edges asking at once are served one after the
// other. The work lives along the object's seams: begin and settle (reservations.ts), money and
// counts (balances.ts), the ledger (ledger.ts), the alarm and retention (upkeep.ts).
import { DurableObject } from "cloudflare:workers";
import { readConfig } from "../config/config.ts";
import type { ErrorCode } from "../wire/codes.ts";
import { Balances } from "./balances.ts";
import { Ledger } from "./ledger.ts";
import { Limits } from "./limits.ts";
import { clearDeferred, deferredSettlement } from "./outbox.ts";
import { Reservations } from "./reservations.ts";
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
import { Upkeep } from "./upkeep.ts";

/** The longest UPSTREAM_DEADLINE_MS may be set to (docs/contract.md §9). */
const LONGEST_DEADLINE_MS = 120_000;

export class AccountObject extends DurableObject<Env> {
  /** The object's clock for its alarm. The retention test replaces it to live through years in seconds. */
  clock: () => number = Date.now;
  private readonly balances: Balances;
  private readonly limits: Limits;
  private readonly ledgerBook: Ledger;
  private readonly upkeep: Upkeep;
  private readonly reservations: Reservations;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const { sql } = ctx.storage;
    const transaction = <T>(run: () => T): T => ctx.storage.transactionSync(run);
    this.ledgerBook = new Ledger(sql, (at) => this.upkeep.rowWritten(at));
    this.upkeep = new Upkeep(ctx.storage, env, this.ledgerBook, ctx.id.name);
    this.balances = new Balances(sql, transaction);
    this.limits = new Limits(sql);
    this.reservations = new Reservations({
      sql,
      storage: ctx.storage,
      balances: this.balances,
      limits: this.limits,
      ledger: this.ledgerBook,
      upkeep: this.upkeep,
      deadlineMs: () => {
        // A configuration that does not parse answers every request 500 before begin; the alarm
        // then holds what is reserved for the longest deadline allowed.
        const config = readConfig(env);
        return config.ok ? config.config.UPSTREAM_DEADLINE_MS : LONGEST_DEADLINE_MS;
      },
    });
    void ctx.blockConcurrencyWhile(async () => {
      // Rows kept from before retention existed wait for no alarm: plan one from what is stored.
      if ((await this.upkeep.load()) === null) this.upkeep.plan(this.clock(), this.reservations.nextExpiry(), null);
    });
  }

  begin(r: BeginRequest): Begin {
    return this.reservations.begin(r);
  }

  settle(s: Settlement): void {
    this.reservations.settle(s);
  }

  cancel(orderNo: string): void {
    this.reservations.cancel(orderNo);
  }

  /**
   * Counts a decryption failure of the token (docs/contract.md §2) and reports the balance for the
   * 104 check. The rate limit is drawn first: the verdict depends on the token's history
   * (docs/contract.md §8), and a request past the limit learns only when to come back.
   */
  decryptionFailed(f: DecryptionFailure): FailureVerdict {
    this.balances.open(f.service, f.opening);
    const { balanceFen } = this.balances.available(f.service);
    // Past the limit the 502's row comes from the isolate like any unreserved answer's (recordMany).
    const retryAfterMs = this.ctx.storage.transactionSync(() => this.limits.admit(f.rateLimit, f.now));
    if (retryAfterMs !== null) return { balanceFen, retryAfterMs, overBudget: false, blockedUntil: null };
    return { balanceFen, retryAfterMs, ...this.limits.countFailure(f.tokenHash, f.now) };
  }

  /**
   * Ledger rows for requests that never reserved (refused early, or answered from a cache); those
   * beyond what the account's rate limit admits are counted in the rollups only (docs/contract.md §8).
   */
  recordMany(entries: LedgerEntry[]): void {
    const unlisted = this.ctx.storage.transactionSync(() =>
      entries.filter((e) => {
        if (!this.limits.admitRow(e.at)) return true;
        this.ledgerBook.insert({ ...e, chargedFen: 0 });
        return false;
      }),
    );
    for (const e of unlisted) this.upkeep.tallyRefusal(e.service, e.errorCode, e.at);
  }

  credit(c: Credit): Credited {
    return this.balances.credit(c);
  }

  state(service: string, opening: Opening): AccountState {
    return this.balances.state(service, opening);
  }

  /** Counts a request refused without a detail row of its own (docs/contract.md §8) in the rollups. */
  tallyRefusal(service: string, errorCode: ErrorCode, now: number): void {
    this.upkeep.tallyRefusal(service, errorCode, now);
  }

  /** Per China day and code, from the rollups (docs/contract.md §8). */
  usage(fromDay: string, toDay: string): UsageRow[] {
    this.upkeep.flushTally();
    return this.ledgerBook.usage(fromDay, toDay);
  }

  /** One page of detail rows; the caller asks for one more than it shows to learn whether another page follows. */
  ledger(fromDay: string, toDay: string, limit: number, after: LedgerCursor | null = null): LedgerEntry[] {
    return this.ledgerBook.rows(fromDay, toDay, limit, after);
  }

  /** What the object stores, for the operator: size and row counts (counting reads every row). */
  storageState(): StorageState {
    this.upkeep.flushTally();
    return {
      databaseSize: this.ctx.storage.sql.databaseSize,
      rows: { ...this.ledgerBook.counts(), ...this.reservations.counts() },
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
    this.upkeep.rang();
    this.upkeep.flushTally();
    // A reservation whose settlement the Worker could not deliver is settled from the outbox.
    const accountId = this.ctx.id.name;
    for (const expired of this.reservations.expired(now)) {
      const { orderNo } = expired;
      const deferred = accountId === undefined ? null : await deferredSettlement(this.env.ACCOUNTS, accountId, orderNo);
      if (deferred) this.reservations.settle(deferred);
      else this.reservations.release([expired], now);
      if (deferred && accountId !== undefined) await clearDeferred(this.env.ACCOUNTS, accountId, orderNo);
    }
    this.upkeep.plan(now, this.reservations.nextExpiry(), await this.upkeep.retireBatch(now));
  }
}
