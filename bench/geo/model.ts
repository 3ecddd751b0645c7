// The geographic latency model (`npm run bench -- --geo`, docs/benchmark.md "Geographic model"):
// what a caller in each region pays, design by design, from three measured inputs and nothing typed
// by hand: the serial chain of binding calls before the upstream, as the local model's recorder saw
// it on this code (bench/model/bindings.ts, the hop test's rule); the Worker's own local time per
// request, measured in the same run; the round trips between places, from the committed data set
// (regions.ts). KV follows Cloudflare's documentation (developers.cloudflare.com/kv/concepts/
// how-kv-works/): a read the location has cached costs no round trip, any other read or write goes
// to the central stores.
import {
  CALLERS,
  type Caller,
  LONG_HAUL_MS,
  NEIGHBOUR,
  type Rtt,
  UPSTREAM_PLACES,
  type UpstreamName,
} from "./regions.ts";

/** The Worker's own time per request, beyond the modelled round trips, measured locally (ms). */
export type LocalPart = { readonly p50: number; readonly p99: number };
/** One path as the local model measured it: its serial calls before the upstream, and its local part. */
export type MeasuredPath = { readonly chain: string; readonly local: LocalPart };
export type MeasuredSide = { readonly warm: MeasuredPath; readonly cold: MeasuredPath };
export type GeoInput = { readonly ours: MeasuredSide; readonly peer: MeasuredSide; readonly upstreamOwnMs: number };

/**
 * KV's central stores: Cloudflare documents "a small number of centralized data centers" without
 * naming them; the model puts them in us-east and eu-central (an assumption, see docs/benchmark.md).
 */
export const KV_CENTRAL = [16, 29] as const;

export type DesignName = "today" | "objectNearUpstream" | "placedNearUpstream" | "chosen" | "peer";

type Design = {
  readonly label: string;
  readonly side: "ours" | "peer";
  /** Where the Worker runs for a caller. */
  worker(caller: Caller): number;
  /** Where the account's object may be, equally likely (none for the peer). */
  objects(caller: Caller): readonly number[];
};

/** The Cloudflare location (of the caller regions) nearest a server, among `among`. */
const nearest = (rtt: Rtt, server: number, among: readonly Caller[]) =>
  among.reduce((best, c) => (rtt(c.server, server) < rtt(best.server, server) ? c : best)).server;

export function designs(rtt: Rtt, upstream: number): Record<DesignName, Design> {
  const apac = CALLERS.filter((c) => c.hint === "apac");
  const probed = nearest(rtt, upstream, CALLERS); // what a [placement] hostname probe would pick
  const hinted = nearest(rtt, upstream, apac); // locationHint "apac", the hint region nearest the upstream
  const edge = (c: Caller) => c.server;
  return {
    today: {
      label: "today: Worker at the caller's edge, object where the account's first request landed (any region)",
      side: "ours",
      worker: edge,
      objects: () => CALLERS.map((c) => c.server),
    },
    objectNearUpstream: {
      label: `object hinted near the upstream (locationHint apac: ${place(hinted)}), Worker at the edge`,
      side: "ours",
      worker: edge,
      objects: () => [hinted],
    },
    placedNearUpstream: {
      label: `Worker placed near the upstream ([placement] probe: ${place(probed)}), object beside it`,
      side: "ours",
      worker: () => probed,
      objects: () => [probed],
    },
    chosen: {
      label: "chosen: Worker at the caller's edge, the account's object in the caller's region",
      side: "ours",
      worker: edge,
      objects: (c) => [c.server],
    },
    peer: {
      label: "naive peer (bench/peer/): Worker at the edge, KV only",
      side: "peer",
      worker: edge,
      objects: () => [],
    },
  };
}

const place = (server: number) => CALLERS.find((c) => c.server === server)?.region ?? `server ${server}`;

/** One region's figures for one design and path. */
export type RegionFigures = {
  region: string;
  /** Long-haul legs (RTT > 60 ms) on the answer path: median over the object's possible places, and the most. */
  legs: number;
  legsMax: number;
  addedP50Ms: number;
  addedP99Ms: number;
  endToEndP50Ms: number;
  floorMs: number;
  ratioToFloor: number;
};

type Leg = { ms: number };

/** The round trips a request waits for, in order: caller to Worker, the serial calls, Worker to upstream. */
function legsOf(
  rtt: Rtt,
  caller: Caller,
  worker: number,
  object: number | null,
  chain: string[],
  cold: boolean,
  upstream: number,
): Leg[] {
  const near = (a: number, b: number) => (a === b ? rtt(NEIGHBOUR.from, NEIGHBOUR.to) : rtt(a, b));
  const central = Math.min(...KV_CENTRAL.map((s) => near(worker, s)));
  const call = (name: string): Leg => {
    if (name.startsWith("ACCOUNT_OBJECTS.")) {
      if (object === null) throw new Error(`the chain calls an object the design has none of: ${name}`);
      return { ms: near(worker, object) };
    }
    if (/\.(get|getWithMetadata) hit$/.test(name)) return { ms: cold ? central : 0 };
    if (/\.(get|getWithMetadata) miss$|\.(put|delete|list)$/.test(name)) return { ms: central };
    throw new Error(`the model does not know what the call "${name}" costs`);
  };
  return [{ ms: rtt(caller.server, worker) }, ...chain.map(call), { ms: rtt(worker, upstream) }];
}

export const splitChain = (chain: string) => (chain === "(none)" || chain === "" ? [] : chain.split(" > "));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const r2 = (x: number) => Math.round(x * 100) / 100;

export function regionFigures(
  rtt: Rtt,
  design: Design,
  input: GeoInput,
  upstream: number,
  path: "warm" | "cold",
  caller: Caller,
): RegionFigures {
  const measured = input[design.side][path];
  const chain = splitChain(measured.chain);
  const worker = design.worker(caller);
  const homes = design.objects(caller);
  const runs = (homes.length ? homes : [null]).map((home) =>
    legsOf(rtt, caller, worker, home, chain, path === "cold", upstream),
  );
  const network = runs.map((legs) => legs.reduce((s, l) => s + l.ms, 0));
  const long = runs.map((legs) => legs.filter((l) => l.ms > LONG_HAUL_MS).length);
  const direct = rtt(caller.server, upstream);
  const floorMs = direct + input.upstreamOwnMs;
  const endToEnd = median(network) + input.upstreamOwnMs + measured.local.p50;
  return {
    region: caller.region,
    legs: median(long),
    legsMax: Math.max(...long),
    addedP50Ms: r2(endToEnd - floorMs),
    addedP99Ms: r2(Math.max(...network) + measured.local.p99 - direct),
    endToEndP50Ms: r2(endToEnd),
    floorMs: r2(floorMs),
    ratioToFloor: Math.round((endToEnd / floorMs) * 1000) / 1000,
  };
}

export type DesignResult = { name: DesignName; label: string; warm: RegionFigures[]; cold: RegionFigures[] };
export type UpstreamResult = { upstream: UpstreamName; region: string; designs: DesignResult[] };

/** Every design for every caller region, warm and cold, against one upstream. */
export function geoModel(rtt: Rtt, input: GeoInput, upstreamName: UpstreamName): UpstreamResult {
  const upstream = UPSTREAM_PLACES[upstreamName];
  const all = designs(rtt, upstream.server);
  return {
    upstream: upstreamName,
    region: upstream.region,
    designs: (Object.keys(all) as DesignName[]).map((name) => ({
      name,
      label: all[name].label,
      warm: CALLERS.map((c) => regionFigures(rtt, all[name], input, upstream.server, "warm", c)),
      cold: CALLERS.map((c) => regionFigures(rtt, all[name], input, upstream.server, "cold", c)),
    })),
  };
}
