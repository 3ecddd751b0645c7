// The account's rate limit as this isolate counts it (docs/contract.md §8). The exact count is the
// account's object's; this one runs the object's algorithm (billing/limits.ts) over the requests
// this isolate saw, so when it says "over", the account is over: this isolate alone sent more than
// the limit. It is what lets the isolate answer from its memory (a repeat, a spent failure budget,
// a requestId) only within the rate: past it, such a request is refused here, before anything
// remembered can answer it, and the object's rollups count the refusal.
import type { AccountRecord } from "../accounts/record.ts";
import { RATE_WINDOW_MS } from "../billing/limits.ts";
import { BoundedCache } from "../platform/bounded-cache.ts";
import { type Failure, retryLater } from "../wire/outcome.ts";

/** Per account: the theoretical arrival time of the next request (the object's `tat`), kept until it has passed. */
const arrivals = new BoundedCache<string, number>(10_000);

/**
 * Draws one request from this isolate's count of the account's rate: null when within it (and
 * counted), otherwise the milliseconds until a request would be.
 */
export function drawLocally(record: AccountRecord, now: number): number | null {
  if (record.rateLimit === null) return null;
  const interval = 1000 / record.rateLimit;
  const tat = Math.max(arrivals.get(record.id, now) ?? now, now);
  const ahead = tat + interval - now - RATE_WINDOW_MS;
  if (ahead > 0) return ahead;
  arrivals.set(record.id, tat + interval, now, tat + interval);
  return null;
}

/** The object said the account is over its rate: this isolate counts it over until then too. */
export function rememberTooFast(record: AccountRecord, retryAfterMs: number, now: number): void {
  if (record.rateLimit === null) return;
  const tat = now + retryAfterMs + RATE_WINDOW_MS - 1000 / record.rateLimit;
  const known = arrivals.get(record.id, now) ?? now;
  if (tat > known) arrivals.set(record.id, tat, now, tat);
}

const TOO_FAST = (limit: number, seconds: number) => `请求过快：超过每秒${limit}次的限额，请于${seconds}秒后重试`;

/** The rate limit's 502, with its Retry-After in whole seconds (at least 1). */
export function tooFast(record: AccountRecord, retryAfterMs: number): Failure {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return retryLater("502", TOO_FAST(record.rateLimit ?? 0, seconds), seconds);
}
