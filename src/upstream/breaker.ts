// The circuit breaker, per upstream per isolate (docs/contract.md §5). After FAILURES_TO_OPEN
// consecutive faults the upstream is skipped for OPEN_MS; then one request probes it (half-open):
// an answer that is not a fault closes the circuit, a fault opens it for another OPEN_MS.
//
// Per isolate on purpose: isolates come and go and see different traffic, so each learns on its
// own within a few requests; sharing the state would cost a round trip on every request. The state
// is plain values in the one bounded cache (no promises), so freshIsolate() in tests resets it.
import { BoundedCache } from "../platform/bounded-cache.ts";
import { logEvent } from "../platform/log.ts";

export const FAILURES_TO_OPEN = 5;
export const OPEN_MS = 30_000;
/**
 * A probe that never reported back (its request was cancelled) stops blocking the next one after
 * the longest an attempt may take (UPSTREAM_TIMEOUT_MS ≤ 60 s).
 */
const PROBE_STALE_MS = 60_000;

type Circuit = {
  /** Consecutive faults. */
  readonly failures: number;
  /** Skipped until then; 0 while closed. */
  readonly openUntil: number;
  /** When the half-open probe was let through; null when none is out. */
  readonly probeSince: number | null;
};

const circuits = new BoundedCache<string, Circuit>(64);

/** Whether `upstream` may be asked now; lets exactly one probe through a circuit whose open time has passed. */
export function admit(upstream: string, now: number): boolean {
  const circuit = circuits.get(upstream, now);
  if (!circuit || circuit.failures < FAILURES_TO_OPEN) return true;
  if (now < circuit.openUntil) return false;
  if (circuit.probeSince !== null && now - circuit.probeSince < PROBE_STALE_MS) return false;
  circuits.set(upstream, { ...circuit, probeSince: now }, now);
  return true;
}

/** What the attempt said about the upstream's health: a fault, or an answer that is not one. */
export function record(upstream: string, fault: boolean, now: number): void {
  const circuit = circuits.get(upstream, now);
  const wasOpen = circuit !== undefined && circuit.failures >= FAILURES_TO_OPEN;
  if (!fault) {
    if (circuit) circuits.delete(upstream);
    if (wasOpen) logEvent("info", "circuit_closed", { upstream });
    return;
  }
  const failures = (circuit?.failures ?? 0) + 1;
  const opens = failures === FAILURES_TO_OPEN || (wasOpen && circuit.probeSince !== null);
  circuits.set(
    upstream,
    {
      failures,
      openUntil: opens ? now + OPEN_MS : (circuit?.openUntil ?? 0),
      probeSince: opens ? null : (circuit?.probeSince ?? null),
    },
    now,
  );
  if (opens) logEvent("warn", "circuit_opened", { upstream, failures });
}
