// The one bounded map for per-isolate memory (accounts, keys, balances, duplicates). Values only,
// never promises: a promise made by one request must not be awaited by another (workerd cancels it).

/** Every cache of the isolate, so a test can start from a cold isolate. */
export const isolateCaches: ReadonlySet<{ clear(): void }> = new Set();

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  private readonly max: number;
  private readonly ttlMs: number;

  constructor(max: number, ttlMs = Number.POSITIVE_INFINITY) {
    this.max = max;
    this.ttlMs = ttlMs;
    (isolateCaches as Set<{ clear(): void }>).add(this);
  }

  get(key: K, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores until `now + ttl` (or an explicit `until`), evicting the oldest entry when full. */
  set(key: K, value: V, now: number, until = now + this.ttlMs): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { value, until });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
