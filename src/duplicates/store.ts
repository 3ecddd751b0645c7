// The duplicate cache (docs/contract.md §6). KV is the cache shared by all edges; the isolate keeps
// its own copy too, because KV caches negative reads for up to a minute at the edge that read
// them. The account's object holds the exact window; this cache only answers repeats early, and
// its KV read never delays a new identity (the pipeline races it with the object's `begin`).
import { BoundedCache } from "../platform/bounded-cache.ts";
import { logEvent } from "../platform/log.ts";
import { StoredResult } from "./stored-result.ts";

const recent = new BoundedCache<string, StoredResult>(10_000);

/** A `200` this isolate answered or stored within the window: no round trip at all. */
export const recentDuplicate = (key: string, now: number) => recent.get(key, now) ?? null;

/** The shared cache's entry, or null (also when it cannot be read: it is only a cache). */
export async function readDuplicate(kv: KVNamespace, key: string): Promise<StoredResult | null> {
  let raw: unknown;
  try {
    raw = await kv.get(key, "json");
  } catch {
    logEvent("warn", "dedup_read_failed");
    return null;
  }
  if (raw === null) return null;
  const parsed = StoredResult.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Remembers a `200` result for the window: at once in the isolate, then in KV (for waitUntil). */
export function rememberResult(kv: KVNamespace, key: string, stored: StoredResult, ttlSeconds: number): Promise<void> {
  recent.set(key, stored, stored.at, stored.at + ttlSeconds * 1000);
  return kv.put(key, JSON.stringify(stored), { expirationTtl: ttlSeconds }).catch(() => {
    logEvent("warn", "dedup_write_failed");
  });
}
