// The duplicate cache (CONTRACT.md §5). KV is the cache shared by all edges; the isolate keeps
// its own copy too, because KV caches negative reads for up to a minute at the edge that read
// them, and the isolate shares one upstream call among identical requests in flight.
import * as z from "zod/mini";
import { RETURN_CODES } from "../codes.ts";

export const StoredResult = z.object({
  returnCode: z.enum(Object.keys(RETURN_CODES) as [keyof typeof RETURN_CODES]),
  matchCode: z.nullable(z.enum(["11", "21", "22", "23", "24"])),
  orderNo: z.string().check(z.maxLength(64)),
  at: z.int(),
});
export type StoredResult = z.infer<typeof StoredResult>;

const RECENT_MAX = 10_000;
const recent = new Map<string, { until: number; stored: StoredResult }>();
const inFlight = new Map<string, Promise<unknown>>();

export async function findDuplicate(kv: KVNamespace, key: string, now: number): Promise<StoredResult | null> {
  const local = recent.get(key);
  if (local) {
    if (local.until > now) return local.stored;
    recent.delete(key);
  }
  let raw: unknown;
  try {
    raw = await kv.get(key, "json");
  } catch {
    // Best effort: an unreadable cache entry must not fail the caller's query.
    console.error(JSON.stringify({ level: "warn", event: "dedup_read_failed" }));
    return null;
  }
  if (raw === null) return null;
  const parsed = StoredResult.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Remembers a `200` result for the window: at once in the isolate, then in KV (for waitUntil). */
export function rememberResult(kv: KVNamespace, key: string, stored: StoredResult, ttlSeconds: number): Promise<void> {
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, { until: stored.at + ttlSeconds * 1000, stored });
  return kv.put(key, JSON.stringify(stored), { expirationTtl: ttlSeconds }).catch(() => {
    console.error(JSON.stringify({ level: "warn", event: "dedup_write_failed" }));
  });
}

/**
 * Runs `work` unless an identical request is already running in this isolate, in which case
 * its result is shared: `leader` tells the caller which of the two it was.
 */
export async function shareInFlight<T>(key: string, work: () => Promise<T>): Promise<{ leader: boolean; result: T }> {
  const running = inFlight.get(key) as Promise<T> | undefined;
  if (running) return { leader: false, result: await running };
  const promise = work();
  inFlight.set(key, promise);
  try {
    return { leader: true, result: await promise };
  } finally {
    inFlight.delete(key);
  }
}

/** For tests: forget what this isolate remembers. */
export function clearDuplicateMemory(): void {
  recent.clear();
}
