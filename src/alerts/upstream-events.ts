// The breaker's transitions (the shared interface: `{ upstream, state, at, retryAt? }`, reported
// through a function the router's caller passes in) become upstream.circuit_opened and
// upstream.circuit_closed, one per incident however many isolates see it (desk.ts).
import type { Background } from "../platform/background.ts";
import { logEvent } from "../platform/log.ts";
import { alertConfig } from "./config.ts";
import { alertDesk } from "./desk.ts";
import { type BreakerTransition, circuitIncident } from "./rules.ts";

/** The function to hand the router: reports each transition to the upstream's desk, off the response path. */
export function breakerAlerts(env: Env, ctx: Background): (transition: BreakerTransition) => void {
  return (transition) => {
    if (alertConfig(env).kind !== "on") return;
    ctx.waitUntil(
      alertDesk(env, `upstream:${transition.upstream}`)
        .report([circuitIncident(transition)], transition.at)
        .then(
          () => {},
          () => logEvent("warn", "alert_watch_failed", { calls: 1 }),
        ),
    );
  };
}
