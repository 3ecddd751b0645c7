// The circuit breaker, per upstream per isolate (docs/contract.md §5), opening on a failure rate
// as resilience4j's time-based window does: over the last WINDOW_MS, once at least MIN_CALLS
// attempts were counted and at least FAILURE_RATE of them were faults, the upstream is skipped for
// OPEN_MS; then one request probes it (half-open): an answer that is not a fault closes the circuit
// with a fresh window, a fault opens it for another OPEN_MS. A rate over a minimum of calls, not
// a run of faults, so a handful of requests from one caller cannot open it for every caller.
//
// Per isolate on purpose: isolates come and go and see different traffic, so each learns on its
// own; sharing the state would cost a round trip on every request. The state is plain values in
// the one bounded cache (no promises), so freshIsolate() in tests resets it.
import { BoundedCache } from "../platform/bounded-cache.ts";
import { logEvent } from "../platform/log.ts";

export const WINDOW_MS = 60_000;
/** The window is counted in buckets of this length, so old calls leave it without keeping each one. */
const BUCKET_MS = 10_000;
export const MIN_CALLS = 20;
export const FAILURE_RATE = 0.5;
export const OPEN_MS = 30_000;
/**
 * A probe that never reported back (its request was cancelled) stops blocking the next one after
 * the longest an attempt may take (UPSTREAM_TIMEOUT_MS ≤ 60 s).
 */
const PROBE_STALE_MS = 60_000;
/** What a skipped request is told while the probe is out. */
const PROBE_PENDING_MS = 1000;

/** A transition, for whoever alerts on it (the router's caller passes the listener). */
export type BreakerEvent = {
  readonly upstream: string;
  readonly state: "opened" | "closed";
  readonly at: number;
  /** When an opened circuit lets its probe through. */
  readonly retryAt?: number;
};

export type BreakerListener = (event: BreakerEvent) => void;

type Bucket = { readonly start: number; readonly calls: number; readonly faults: number };

type Circuit = {
  /** Counts of the closed circuit's window, oldest first. */
  readonly buckets: readonly Bucket[];
  /** Skipped until then; 0 while closed. */
  readonly openUntil: number;
  /** When the half-open probe was let through; null when none is out. */
  readonly probeSince: number | null;
};

const CLOSED: Circuit = { buckets: [], openUntil: 0, probeSince: null };

const circuits = new BoundedCache<string, Circuit>(64);

/**
 * Null when `upstream` may be asked now (closed, or the one probe of a circuit whose open time has
 * passed); otherwise when it will be asked again.
 */
export function admit(upstream: string, now: number): number | null {
  const circuit = circuits.get(upstream, now);
  if (!circuit || circuit.openUntil === 0) return null;
  if (now < circuit.openUntil) return circuit.openUntil;
  // Its probe is out and decides within an attempt's time: a caller may come back shortly.
  if (circuit.probeSince !== null && now - circuit.probeSince < PROBE_STALE_MS) return now + PROBE_PENDING_MS;
  circuits.set(upstream, { ...circuit, probeSince: now }, now);
  return null;
}

/** What an attempt said about the upstream's health: a fault, or an answer that is not one. */
export function record(upstream: string, fault: boolean, now: number, report?: BreakerListener): void {
  const circuit = circuits.get(upstream, now) ?? CLOSED;
  if (circuit.openUntil !== 0) {
    // Only the probe's answer decides; a straggler admitted before the circuit opened does not.
    if (circuit.probeSince === null) return;
    if (fault) open(upstream, now, report, { calls: 1, faults: 1 });
    else close(upstream, now, report);
    return;
  }
  const buckets = counted(circuit.buckets, now, fault);
  const calls = buckets.reduce((sum, b) => sum + b.calls, 0);
  const faults = buckets.reduce((sum, b) => sum + b.faults, 0);
  if (calls >= MIN_CALLS && faults >= FAILURE_RATE * calls) open(upstream, now, report, { calls, faults });
  else circuits.set(upstream, { ...circuit, buckets }, now);
}

/** The window's buckets with this call added and those older than WINDOW_MS dropped. */
function counted(buckets: readonly Bucket[], now: number, fault: boolean): Bucket[] {
  const start = now - (now % BUCKET_MS);
  const kept = buckets.filter((b) => b.start > now - WINDOW_MS);
  const last = kept.at(-1);
  const add = (b: Bucket): Bucket => ({ start: b.start, calls: b.calls + 1, faults: b.faults + (fault ? 1 : 0) });
  if (last?.start === start) return [...kept.slice(0, -1), add(last)];
  return [...kept, add({ start, calls: 0, faults: 0 })];
}

function open(upstream: string, now: number, report: BreakerListener | undefined, seen: Omit<Bucket, "start">): void {
  const retryAt = now + OPEN_MS;
  circuits.set(upstream, { buckets: [], openUntil: retryAt, probeSince: null }, now);
  logEvent("warn", "circuit_opened", { upstream, calls: seen.calls, faults: seen.faults, retryAt });
  report?.({ upstream, state: "opened", at: now, retryAt });
}

function close(upstream: string, now: number, report: BreakerListener | undefined): void {
  circuits.delete(upstream);
  logEvent("info", "circuit_closed", { upstream });
  report?.({ upstream, state: "closed", at: now });
}
