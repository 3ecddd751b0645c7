// The account object's one alarm and what it serves (docs/contract.md §7, §8): the refusal tally
// written to the rollups, the expiry of reservations left by an isolate that died, and the
// retirement of ledger days to R2. Each need asks for the alarm no later than it wants it.
import { readConfig } from "../config/config.ts";
import { logEvent } from "../platform/log.ts";
import { chinaDay } from "../platform/time.ts";
import type { ErrorCode } from "../wire/codes.ts";
import type { Ledger } from "./ledger.ts";
import { retire, retiresAt } from "./ledger-archive.ts";

/** The longest a refusal counted without a detail row waits in memory before it reaches the rollups. */
const TALLY_FLUSH_MS = 1_000;

/** After a failed retirement (R2 down, say), the next try; nothing was deleted. */
const RETIRE_RETRY_MS = 15 * 60_000;

type Tally = { readonly day: string; readonly service: string; readonly errorCode: ErrorCode; n: number };

export class Upkeep {
  /** The alarm as set; null when none is. */
  private alarmAt: number | null = null;
  private readonly tally = new Map<string, Tally>();
  private tallySince: number | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly ledger: Ledger,
    /** The account id the object was addressed by (archive keys name it). */
    private readonly accountId: string | undefined,
  ) {}

  /** Reads the alarm as stored, once, when the object starts. */
  async load(): Promise<number | null> {
    this.alarmAt = await this.storage.getAlarm();
    return this.alarmAt;
  }

  /** A detail row was written at `at`: a set alarm replans everything when it fires, so it needs one only when none is set. */
  rowWritten(at: number): void {
    if (this.alarmAt !== null) return;
    const days = this.retentionDays();
    if (days !== null) this.wakeBy(retiresAt(chinaDay(at), days));
  }

  /**
   * Counts a request refused without a detail row of its own (docs/contract.md §8) in the rollups.
   * Counts gather in memory and are written together, at most a second later, so a flood of
   * refusals costs a write a second, not one each.
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

  flushTally(): void {
    if (this.tally.size === 0) return;
    this.storage.transactionSync(() => {
      for (const t of this.tally.values()) this.ledger.count(t.day, t.service, t.errorCode, t.n);
    });
    this.tally.clear();
    this.tallySince = null;
  }

  /** The alarm has rung: it is no longer set. */
  rang(): void {
    this.alarmAt = null;
  }

  /** Retires one batch; the time the next batch is due, or null to plan from the oldest row. */
  async retireBatch(now: number): Promise<number | null> {
    // A configuration that does not parse is logged where it is read; the rows wait for a good one.
    const days = this.retentionDays();
    if (days === null) return null;
    try {
      return (await retire(this.ledger, this.env.LEDGER_ARCHIVE, this.accountId, days, now)) ? now : null;
    } catch (error) {
      logEvent("error", "ledger_retire_failed", {
        accountId: this.accountId,
        error: error instanceof Error ? error.message : String(error),
      });
      return now + RETIRE_RETRY_MS;
    }
  }

  /** Sets the alarm for the earliest need: the first reservation to expire, the tally, the oldest row's retirement. */
  plan(now: number, expiresAt: number | null, retireAt: number | null): void {
    const oldest = retireAt === null ? this.ledger.oldestDay() : null;
    const days = oldest === null ? null : this.retentionDays();
    const needs = [
      expiresAt,
      this.tallySince === null ? null : this.tallySince + TALLY_FLUSH_MS,
      retireAt ?? (oldest === null || days === null ? null : Math.max(now, retiresAt(oldest, days))),
    ].filter((at): at is number => at !== null);
    this.alarmAt = null;
    if (needs.length > 0) this.wakeBy(Math.min(...needs));
  }

  /** Makes the alarm ring by `at`: moves it earlier, never later, so steady traffic cannot keep pushing it back. */
  wakeBy(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.storage.setAlarm(at);
  }

  private retentionDays(): number | null {
    const config = readConfig(this.env);
    return config.ok ? config.config.LEDGER_RETENTION_DAYS : null;
  }
}
