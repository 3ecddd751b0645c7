// Ledger rows of requests that never reserved (refused early, answered from a cache) are gathered
// in the isolate and sent to each account's object in one call a moment later, instead of one
// call per request. The request whose row starts a batch owns its flush: the timer, the calls and
// the retries run in that request's context and its waitUntil keeps them alive; other requests
// only add values to the batch and never await anything another request made (workerd cancels
// such requests, docs/contract.md §7).
import { logEvent } from "../platform/log.ts";
import { accountObject } from "./gateway.ts";
import type { LedgerEntry } from "./types.ts";

/** How long rows wait for company; also the most a ledger query can lag behind the answers. */
export const LEDGER_FLUSH_MS = 100;
/** Waits before retrying rows whose object could not be reached (within waitUntil's 30 s). */
const RETRY_MS = [200, 800, 3_200, 10_000];
const FLUSH_BUDGET_MS = 20_000;
const MAX_BATCH = 500;

let pending = new Map<string, LedgerEntry[]>();
let owned = false;

/**
 * Adds a row to the isolate's batch. Returns the flush to hand to this request's waitUntil when
 * this request starts the batch, null when a flush already owned by another request will carry it.
 */
export function queueLedgerRow(env: Env, accountId: string, entry: LedgerEntry): Promise<void> | null {
  add(accountId, [entry]);
  if (owned) return null;
  owned = true;
  return flush(env);
}

function add(accountId: string, rows: LedgerEntry[]): void {
  pending.set(accountId, [...(pending.get(accountId) ?? []), ...rows]);
}

/**
 * Sends until the batch is empty, rows added meanwhile included; rows whose call fails go back and
 * are retried with growing waits. Past FLUSH_BUDGET_MS it stops (waitUntil ends at 30 s): what is
 * left stays in the batch for the next request's flush.
 */
async function flush(env: Env): Promise<void> {
  const deadline = Date.now() + FLUSH_BUDGET_MS;
  let failures = 0;
  try {
    await sleep(LEDGER_FLUSH_MS);
    while (pending.size > 0) {
      const batch = pending;
      pending = new Map();
      const failed = await send(env, batch);
      for (const [accountId, rows] of failed) add(accountId, rows);
      if (pending.size === 0) return;
      const wait = failed.size > 0 ? RETRY_MS[failures++] : LEDGER_FLUSH_MS;
      if (wait === undefined || Date.now() + wait > deadline) {
        logEvent(failed.size > 0 ? "error" : "info", "ledger_flush_handed_on", { accounts: pending.size });
        return;
      }
      await sleep(wait);
    }
  } finally {
    owned = false;
  }
}

/** Sends each account's rows (in calls of at most MAX_BATCH); returns the rows whose call failed. */
async function send(env: Env, batch: Map<string, LedgerEntry[]>): Promise<Map<string, LedgerEntry[]>> {
  const failed = new Map<string, LedgerEntry[]>();
  await Promise.all(
    [...batch].flatMap(([accountId, rows]) =>
      chunks(rows).map((chunk) =>
        accountObject(env, accountId)
          .recordMany(chunk)
          .catch(() => {
            failed.set(accountId, [...(failed.get(accountId) ?? []), ...chunk]);
            logEvent("warn", "ledger_write_failed", { accountId, rows: chunk.length });
          }),
      ),
    ),
  );
  return failed;
}

function chunks(rows: LedgerEntry[]): LedgerEntry[][] {
  const out: LedgerEntry[][] = [];
  for (let at = 0; at < rows.length; at += MAX_BATCH) out.push(rows.slice(at, at + MAX_BATCH));
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
