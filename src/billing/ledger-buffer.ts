// Ledger rows of requests that never reserved (refused early, answered from a cache) are gathered
// in the isolate and sent to each account's object in one call a moment later, instead of one
// call per request. The flush is handed to every contributing request's waitUntil, so the
// runtime keeps it alive even when those callers hang up.
import { accountObject } from "./gateway.ts";
import type { LedgerEntry } from "./types.ts";

/** How long rows wait for company; also the most a ledger query can lag behind the answers. */
export const LEDGER_FLUSH_MS = 100;
const MAX_BATCH = 500;

let pending = new Map<string, LedgerEntry[]>();
let flush: Promise<void> | null = null;

export function queueLedgerRow(env: Env, accountId: string, entry: LedgerEntry): Promise<void> {
  const rows = pending.get(accountId) ?? [];
  rows.push(entry);
  pending.set(accountId, rows);
  if (rows.length >= MAX_BATCH) return send(env, takeAll());
  flush ??= new Promise<void>((resolve) => setTimeout(resolve, LEDGER_FLUSH_MS)).then(() => {
    flush = null;
    return send(env, takeAll());
  });
  return flush;
}

function takeAll(): Map<string, LedgerEntry[]> {
  const batch = pending;
  pending = new Map();
  return batch;
}

async function send(env: Env, batch: Map<string, LedgerEntry[]>): Promise<void> {
  await Promise.all(
    [...batch].map(([accountId, rows]) =>
      accountObject(env, accountId)
        .recordMany(rows)
        .catch(() => console.error(JSON.stringify({ level: "error", event: "ledger_write_failed", accountId, rows: rows.length }))),
    ),
  );
}
