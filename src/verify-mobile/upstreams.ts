// The upstreams a request may ask, in UPSTREAMS order, built once per parsed configuration from the
// vendors' descriptors (src/upstream/vendors.ts, docs/contract.md §5). The sandbox is every vendor's
// real client handed its twin as the fetcher: no client knows about the sandbox.
import { type Config, vendorNamed } from "../config/config.ts";
import type { BreakerListener } from "../upstream/breaker.ts";
import type { UpstreamDescriptor, Values } from "../upstream/descriptor.ts";
import type { RouteOptions } from "../upstream/router.ts";
import type { Upstream } from "../upstream/upstream.ts";
import { VENDORS } from "../upstream/vendors.ts";

const built = new WeakMap<Config, readonly Upstream[]>();

export function upstreamsFor(config: Config): readonly Upstream[] {
  let upstreams = built.get(config);
  if (!upstreams) {
    upstreams = build(config);
    built.set(config, upstreams);
  }
  return upstreams;
}

/** The router's options: the configured times, and who hears of breaker transitions (alerts). */
export function limitsOf(config: Config, onBreakerEvent?: BreakerListener): RouteOptions {
  const limits = { timeoutMs: config.UPSTREAM_TIMEOUT_MS, deadlineMs: config.UPSTREAM_DEADLINE_MS };
  return onBreakerEvent ? { ...limits, onBreakerEvent } : limits;
}

function build(config: Config): readonly Upstream[] {
  return config.UPSTREAMS.flatMap(({ name, carriers }): Upstream[] => {
    if (name === "sandbox") return sandboxChain(config.vendorSettings);
    return [{ name, carriers, ask: vendorNamed(name).build(config.vendorSettings) }];
  });
}

/**
 * UPSTREAMS=sandbox: every vendor in list order with its default carrier limit (the chain
 * `juhe:CTCC,juhe3,tencent`), each real client against its twin. Their faults are simulated: the
 * breaker leaves them alone, so every sandbox row answers the same every time.
 */
function sandboxChain(settings: Values): Upstream[] {
  return VENDORS.map((vendor: UpstreamDescriptor) => ({
    name: vendor.name,
    carriers: vendor.carriers,
    ask: vendor.build({ ...settings, ...vendor.sandbox.values } as Values, vendor.sandbox.fetcher),
    simulated: true,
  }));
}
