// Routing and failover over the configured upstreams (docs/contract.md §5): the upstreams that
// accept the number's carrier, in UPSTREAMS order, the next one only after an answer that is not
// about the person, all within one deadline.
import type { Identity } from "../identity/identity.ts";
import { logEvent } from "../platform/log.ts";
import type { Carrier } from "../wire/carrier.ts";
import { type Failure, fail, type Outcome, retryLater } from "../wire/outcome.ts";
import { admit, type BreakerListener, record } from "./breaker.ts";
import { carrierOfNumber } from "./carrier.ts";
import { TRANSPORT_FAILURES } from "./transport.ts";
import type { Attempt, Upstream, UpstreamAnswer, UpstreamMatch } from "./upstream.ts";

export type Limits = {
  /** Per attempt (UPSTREAM_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** All attempts of one request together (UPSTREAM_DEADLINE_MS). */
  readonly deadlineMs: number;
};

/** The limits, and who hears of the breakers' transitions this request causes (alerts; none by default). */
export type RouteOptions = Limits & { readonly onBreakerEvent?: BreakerListener };

/** What the request's upstream step came to: the answer, and every attempt for the ledger. */
export type UpstreamCall = {
  /** On success `carrier` is the one an upstream reported, else the number segment's (null when unknown). */
  readonly outcome: Outcome<UpstreamMatch>;
  readonly attempts: readonly Attempt[];
  /** The deciding attempt's code when numeric (juhe `error_code`, Tencent `Result`), for the log line and metrics. */
  readonly upstreamCode: number | null;
  /** Time spent waiting for upstreams; null when none was asked. */
  readonly latencyMs: number | null;
};

/** Every eligible upstream skipped by its circuit: which one, and in how many seconds it is asked again. */
export function circuitOpen(upstream: string, retryAt: number, now: number): Failure {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  // The reason says it in words, Retry-After for clients that read headers (docs/contract.md §5).
  return retryLater("503", `上游${upstream}故障率过高，暂停调用，${seconds}秒后再试`, seconds);
}
const OUT_OF_TIME = fail(TRANSPORT_FAILURES.timeout.code, TRANSPORT_FAILURES.timeout.reason);

/** A failure that did not end the request, and whether it blames the upstream (see `decide`). */
type Missed = { readonly failure: Failure; readonly fault: boolean; readonly code: string | null };

export async function route(
  upstreams: readonly Upstream[],
  identity: Identity,
  limits: RouteOptions,
  now: () => number = Date.now,
): Promise<UpstreamCall> {
  const started = now();
  const segment = carrierOfNumber(identity.loginphone)?.carrier ?? null;
  const attempts: Attempt[] = [];
  const missed: Missed[] = [];
  const denied = new Set<Carrier>();
  const finish = (outcome: Outcome<UpstreamMatch>, code: string | null): UpstreamCall => ({
    outcome,
    attempts,
    upstreamCode: code !== null && /^-?\d{1,12}$/.test(code) ? Number(code) : null,
    latencyMs: attempts.length === 0 ? null : attempts.reduce((sum, a) => sum + a.ms, 0),
  });

  for (const upstream of eligible(upstreams, segment)) {
    const remaining = limits.deadlineMs - (now() - started);
    if (remaining <= 0) {
      missed.push({ failure: OUT_OF_TIME, fault: true, code: null });
      break;
    }
    // The sandbox's faults are simulated (docs/contract.md §5): its twins never meet the breaker.
    const retryAt = upstream.simulated ? null : admit(upstream.name, now());
    if (retryAt !== null) {
      missed.push({ failure: circuitOpen(upstream.name, retryAt, now()), fault: true, code: null });
      continue;
    }
    const answer = await attempt(upstream, identity, Math.min(limits.timeoutMs, remaining));
    if (!upstream.simulated) record(upstream.name, answer.fault, now(), limits.onBreakerEvent);
    const { outcome, code } = answer;
    attempts.push({
      upstream: upstream.name,
      code,
      ms: answer.latencyMs,
      orderId: outcome.ok ? outcome.value.upstreamOrderId : null,
      fault: answer.fault,
    });
    if (answer.notCarrier) denied.add(answer.notCarrier);
    if (outcome.ok) {
      // An upstream's carrier knows ported numbers; a segment another upstream denied is no answer.
      const carrier = outcome.value.carrier ?? (segment !== null && !denied.has(segment) ? segment : null);
      return finish({ ok: true, value: { ...outcome.value, carrier } }, code);
    }
    if (upstream.simulated && (answer.fault || outcome.code === "500"))
      logEvent("info", "upstream_fault_simulated", { upstream: upstream.name, code, errorCode: outcome.code });
    else if (outcome.code === "500" && code !== null)
      logEvent("error", "upstream_key_rejected", { upstream: upstream.name, code });
    if (!answer.failover) return finish(outcome, code);
    missed.push({ failure: outcome, fault: answer.fault, code });
  }
  const decided = decide(missed);
  return finish(decided.failure, decided.code);
}

/**
 * The upstreams whose carrier limit includes the number's carrier, or that have none; if that
 * leaves none, every upstream (a segment is not authoritative; the upstream says when it cannot answer).
 * In the order they are asked: the billable call names the first in the reservation (docs/contract.md §7).
 */
export function eligible(upstreams: readonly Upstream[], carrier: Carrier | null): readonly Upstream[] {
  const accepting = upstreams.filter((u) => u.carriers === null || (carrier !== null && u.carriers.includes(carrier)));
  return accepting.length > 0 ? accepting : upstreams;
}

/**
 * When every attempt failed, the most informative failure: the last fault (an upstream down, busy,
 * skipped by its circuit, or out of time), since a retry may find it well again; only when every
 * upstream merely did not cover the number (`227304` from `juhe`, Tencent `-13`/`-12`) the last
 * of those. The chain is never empty, so neither is `missed` when nothing answered.
 */
function decide(missed: readonly Missed[]): Missed {
  return missed.findLast((m) => m.fault) ?? missed.at(-1)!;
}

/** An adapter never throws for what the world does; a throw is our bug: 500, final, not the upstream's fault. */
async function attempt(upstream: Upstream, identity: Identity, timeoutMs: number): Promise<UpstreamAnswer> {
  const started = Date.now();
  try {
    return await upstream.ask(identity, timeoutMs);
  } catch (error) {
    logEvent("error", "upstream_threw", {
      upstream: upstream.name,
      error: error instanceof Error ? error.name : typeof error,
    });
    return { outcome: fail("500"), code: null, failover: false, fault: false, latencyMs: Date.now() - started };
  }
}
