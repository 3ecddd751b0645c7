// From the local model's runs to the geographic figures: the inputs (chains from the last run,
// local parts as medians over the runs), both upstreams, the markdown tables, the chart and the
// `geo` object of bench/results.json.
import type { Latency, ModelRun } from "../model.ts";
import { geoChart } from "./chart.ts";
import {
  type DesignResult,
  type GeoInput,
  geoModel,
  KV_CENTRAL,
  type RegionFigures,
  type UpstreamResult,
} from "./model.ts";
import {
  CALLERS,
  LONG_HAUL_MS,
  loadRtt,
  NEIGHBOUR,
  RTT_SOURCE,
  UPSTREAM_PLACES,
  type UpstreamName,
} from "./regions.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export function geoInput(runs: ModelRun[], upstreamOwnMs: number): GeoInput {
  const last = runs.at(-1)!;
  const path = (side: "ours" | "peer", p: "warm" | "cold") => ({
    chain: last[side][p].chain,
    local: {
      p50: median(runs.map((r) => r[side][p].localP50Ms)),
      p99: median(runs.map((r) => (r[side][p] as Latency).localP99Ms)),
    },
  });
  return {
    ours: { warm: path("ours", "warm"), cold: path("ours", "cold") },
    peer: { warm: path("peer", "warm"), cold: path("peer", "cold") },
    upstreamOwnMs,
  };
}

/** What the targets read (docs/benchmark.md): the chosen design, warm, against the peer, per region. */
export type GeoSummary = {
  maxLegs: number;
  maxRatio: number;
  /** Regions where the chosen design adds more than the peer, and by how much at most (ms). */
  regionsAbovePeer: number;
  worstAbovePeerMs: number;
  /** Local part of the warm added latency, gateway / peer, same run. */
  localRatio: number;
};

const design = (u: UpstreamResult, name: string) => u.designs.find((d) => d.name === name)!;

export function summarise(u: UpstreamResult, input: GeoInput): GeoSummary {
  const chosen = design(u, "chosen").warm;
  const peer = design(u, "peer").warm;
  const over = chosen.map((c, i) => c.addedP50Ms - peer[i]!.addedP50Ms);
  return {
    maxLegs: Math.max(...chosen.map((c) => c.legs)),
    maxRatio: Math.max(...chosen.map((c) => c.ratioToFloor)),
    regionsAbovePeer: over.filter((d) => d > 0).length,
    worstAbovePeerMs: Math.round(Math.max(0, ...over) * 100) / 100,
    localRatio: Math.round((input.ours.warm.local.p50 / input.peer.warm.local.p50) * 100) / 100,
  };
}

export type GeoReport = {
  results: Record<string, unknown>;
  markdown: string[];
  charts: Record<UpstreamName, string>;
  summary: GeoSummary;
};

const cell = (f: RegionFigures) =>
  `${f.addedP50Ms} / ${f.addedP99Ms} (${f.legs}${f.legsMax > f.legs ? `–${f.legsMax}` : ""})`;

function table(u: UpstreamResult, path: "warm" | "cold"): string[] {
  const shown = u.designs;
  const lines = [
    `| caller region | floor ms | ${shown.map((d) => d.name).join(" | ")} | chosen × floor |`,
    `|---|---|${shown.map(() => "---").join("|")}|---|`,
  ];
  CALLERS.forEach((c, i) => {
    const chosen = design(u, "chosen")[path][i]!;
    lines.push(
      `| ${c.region} (${c.city}) | ${chosen.floorMs} | ${shown.map((d: DesignResult) => cell(d[path][i]!)).join(" | ")} | ${chosen.ratioToFloor} |`,
    );
  });
  return lines;
}

export function geoReport(runs: ModelRun[], upstreamOwnMs: number): GeoReport {
  const rtt = loadRtt();
  const input = geoInput(runs, upstreamOwnMs);
  const byUpstream = (Object.keys(UPSTREAM_PLACES) as UpstreamName[]).map((name) => geoModel(rtt, input, name));
  const juhe = byUpstream.find((u) => u.upstream === "juhe")!;
  const summary = summarise(juhe, input);
  const markdown: string[] = [
    `\nGeographic model: RTT from ${RTT_SOURCE.dataset} (${RTT_SOURCE.url}); upstream's own time ${upstreamOwnMs} ms; long haul > ${LONG_HAUL_MS} ms; a neighbouring data centre ${Math.round(rtt(NEIGHBOUR.from, NEIGHBOUR.to) * 100) / 100} ms; KV central stores assumed in us-east and eu-central.`,
    `Chains (this code, local model): gateway warm \`${input.ours.warm.chain}\`, cold \`${input.ours.cold.chain}\`; peer warm \`${input.peer.warm.chain}\`, cold \`${input.peer.cold.chain}\`. Local part p50/p99: gateway warm ${input.ours.warm.local.p50}/${input.ours.warm.local.p99} ms, cold ${input.ours.cold.local.p50}/${input.ours.cold.local.p99} ms; peer warm ${input.peer.warm.local.p50}/${input.peer.warm.local.p99} ms.`,
  ];
  for (const u of byUpstream) {
    for (const path of ["warm", "cold"] as const) {
      markdown.push(
        `\n${u.upstream} (${u.region}), ${path}: added latency p50 / p99 ms over the floor (long-haul legs)\n`,
        ...table(u, path),
      );
    }
    markdown.push("", ...u.designs.map((d) => `- \`${d.name}\`: ${d.label}`));
  }
  const chosen = design(juhe, "chosen");
  const peer = design(juhe, "peer");
  const results = {
    design: chosen.label,
    upstream: juhe.region,
    regions: chosen.warm.map((f, i) => ({
      region: f.region,
      legs: f.legs,
      addedP50Ms: f.addedP50Ms,
      addedP99Ms: f.addedP99Ms,
      coldAddedP50Ms: chosen.cold[i]!.addedP50Ms,
      coldLegs: chosen.cold[i]!.legs,
      peerAddedP50Ms: peer.warm[i]!.addedP50Ms,
      floorMs: f.floorMs,
      ratioToFloor: f.ratioToFloor,
    })),
    summary,
    input,
    source: RTT_SOURCE,
    assumptions: {
      upstreamOwnMs,
      longHaulMs: LONG_HAUL_MS,
      neighbourServers: NEIGHBOUR,
      kvCentralServers: KV_CENTRAL,
      callers: CALLERS,
      upstreams: UPSTREAM_PLACES,
    },
    designs: Object.fromEntries(byUpstream.map((u) => [u.upstream, u.designs])),
  };
  const charts = Object.fromEntries(
    byUpstream.map((u) => [
      u.upstream,
      geoChart(`verify end to end, p50 warm, per caller region: ${u.upstream} (${u.region})`, u.designs),
    ]),
  ) as Record<UpstreamName, string>;
  return { results, markdown, charts, summary };
}
