// `npm run bench`: what the gateway costs and the latency it adds (docs/benchmark.md). Builds the
// worker as it deploys, then per run, each worker started fresh in workerd:
//   paths       the local reference: floor (GET /healthz), verify, duplicate (309, replay), error (307);
//   worst case  the adversarial pre-auth corpus against a normal-sized 306 (worst-case.ts);
//   peer        verify throughput, the gateway against the peer (bench/peer/), same fake juhe (side-by-side.ts);
//   model       added latency and serial round trips, warm and cold, gateway and peer (model.ts);
//   geo         the model's chains and local parts priced per caller region and design (geo/);
//   ceiling     verify/s for one account against eight (ceiling.ts); startup CPU (startup.ts).
// Prints min/median/max over the runs and the targets. Only the full run writes bench/results.json
// and the charts bench/geo/chart-*.svg; `--quick` (1 short run) writes bench/out/results.json,
// `--model` (the model only) bench/out/model.json, `--geo` (the model and the geographic model)
// bench/out/geo.json and bench/out/chart-*.svg, `--ceiling` (that alone) bench/out/ceiling.json.
// Every run writes the markdown tables to bench/out/summary.md. bench/out/ is git-ignored.
// Model round trips: --kv-hit-ms (2), --kv-miss-ms (20), --object-ms (15), --upstream-ms (120).
// BENCH_RUNS (3; 1 with --quick or --model), BENCH_CONNECTIONS (10), BENCH_DURATION (5 s),
// BENCH_WARMUP (1 s), BENCH_ACCOUNTS (1), BENCH_MODEL_REQUESTS (120 per workload),
// BENCH_MODEL_CONNECTIONS (4), BENCH_WORST_SECONDS (0.4 per input), BENCH_SCRIPT (a built bundle).
// `-- --profile`: see profile.ts.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../scripts/lib/paths.ts";
import { CEILING_ACCOUNTS, type Ceiling, measureCeiling } from "./ceiling.ts";
import { startFakeJuhe } from "./fake-juhe.ts";
import { geoReport } from "./geo/report.ts";
import { type Measured, measure, round } from "./load.ts";
import { buildModel, DEFAULT_DELAYS, type Delays, type Latency, type ModelRun, measureModel } from "./model.ts";
import { build, OUT, STATE_ROOT, seedAccount, startWorker, type Worker } from "./server.ts";
import { buildPeer, measureSideBySide, type SideBySide } from "./side-by-side.ts";
import { measureStartup, STARTUP_LIMIT_MS } from "./startup.ts";
import { IdentityPool, ORDER, type PathName, paths, prime } from "./workload.ts";
import { measureWorstCase, type WorstCase } from "./worst-case.ts";

const argv = process.argv.slice(2);
if (argv.includes("--profile")) {
  await import("./profile.ts");
  process.exit(0);
}

const quick = process.env.BENCH_QUICK === "1" || argv.includes("--quick");
const geoOnly = argv.includes("--geo");
const ceilingOnly = argv.includes("--ceiling");
const modelOnly = argv.includes("--model") || geoOnly;
const positive = (name: string, text: string | undefined, fallback: number, zeroOk = false) => {
  const v = Number(text ?? fallback);
  if (!(v > 0 || (zeroOk && v === 0)))
    throw new Error(`${name} must be a ${zeroOk ? "non-negative" : "positive"} number`);
  return v;
};
const setting = (name: string, fallback: number) => positive(name, process.env[name], fallback);
/** `--name N` or `--name=N`. */
const flag = (name: string, fallback: number) => {
  const at = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return fallback;
  return positive(name, argv[at]!.includes("=") ? argv[at]!.split("=")[1] : argv[at + 1], fallback, true);
};
const DELAYS: Delays = {
  kvHitMs: flag("--kv-hit-ms", DEFAULT_DELAYS.kvHitMs),
  kvMissMs: flag("--kv-miss-ms", DEFAULT_DELAYS.kvMissMs),
  objectMs: flag("--object-ms", DEFAULT_DELAYS.objectMs),
  upstreamMs: flag("--upstream-ms", DEFAULT_DELAYS.upstreamMs),
};
const RUNS = setting("BENCH_RUNS", quick || modelOnly ? 1 : 3);
const CONNECTIONS = setting("BENCH_CONNECTIONS", 10);
const DURATION = setting("BENCH_DURATION", quick ? 2 : 5);
const WARMUP = setting("BENCH_WARMUP", quick ? 0.5 : 1);
const ACCOUNTS = setting("BENCH_ACCOUNTS", 1);
const MODEL_LOAD = {
  requests: setting("BENCH_MODEL_REQUESTS", quick ? 40 : 120),
  connections: setting("BENCH_MODEL_CONNECTIONS", 4),
  warmupPerConnection: quick ? 1 : 3,
};
const WORST_SECONDS = setting("BENCH_WORST_SECONDS", quick ? 0.2 : 0.4);

/** Targets (docs/benchmark.md). The floor ratios are a reference only, no longer targets. */
const TARGET = {
  warmAddedMs: DELAYS.objectMs + 3,
  coldAddedMs: DELAYS.kvMissMs + DELAYS.objectMs + 3,
  hopsWarm: 1,
  hopsCold: 2,
  verifyRatio: 0.6,
  addedLatencyRatio: 1,
  worstCaseRatio: 3,
  /** Geographic model, chosen design, warm, every caller region. */
  geoLegs: 1,
  geoRatio: 1.2,
  /** Local part of the warm added latency, gateway / peer. */
  localRatio: 1.5,
  ceilingRatio: 0.8,
  startupMs: 0.1 * STARTUP_LIMIT_MS,
};

type Run = {
  paths: Record<PathName, Measured> | null;
  worstCase: WorstCase | null;
  sideBySide: SideBySide | null;
  model: ModelRun;
};

let current: Worker | null = null;
let verifyRate = 0; // the last run's, to size the next run's identity pool
process.once("SIGINT", () => void (current?.dispose() ?? Promise.resolve()).finally(() => process.exit(130)));

/** The local reference paths and the worst-case corpus, on one fresh worker. */
async function pathsAndWorstCase(script: string, n: number): Promise<Pick<Run, "paths" | "worstCase">> {
  current = await startWorker(script);
  const worker = current;
  try {
    const reject = await seedAccount(worker, "Bench reject", "reject");
    const replay = await seedAccount(worker, "Bench replay", "replay");
    // verify spreads over BENCH_ACCOUNTS accounts (each has its own Durable Object); 1 by default.
    const others = await Promise.all(
      Array.from({ length: ACCOUNTS - 1 }, (_, i) => seedAccount(worker, `Bench verify ${i + 2}`, "reject")),
    );
    const pool = new IdentityPool([reject, ...others]);
    const all = paths(reject, replay, pool);
    const run: Partial<Record<PathName, Measured>> = {};
    for (const name of ORDER) {
      // Enough fresh identities: twice the last run's verify rate, or the floor's rate at first.
      if (name === "verify")
        pool.fill(Math.ceil((verifyRate ? 2 * verifyRate : 1.2 * run.floor!.rps) * (WARMUP + DURATION)) + 1000);
      if (name === "duplicate" || name === "duplicateReplay") await prime(worker.url, all[name]);
      const warm = await measure(worker.url, all[name], WARMUP, CONNECTIONS);
      const m = await measure(worker.url, all[name], DURATION, CONNECTIONS);
      m.unexpected += warm.unexpected;
      run[name] = m;
      if (name === "verify") verifyRate = m.rps;
      const late = name === "verify" && pool.lateMade ? ` (${pool.lateMade} identities made during the run)` : "";
      console.log(
        `run ${n} ${name.padEnd(15)} ${String(m.rps).padStart(8)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  ${JSON.stringify(m.answers)}${late}`,
      );
    }
    const worstCase = await measureWorstCase(worker.url, WORST_SECONDS);
    console.log(
      `run ${n} worst case      ${worstCase.ratio} × typical: ${worstCase.worst} ${worstCase.worstUs} µs, typical ${worstCase.typicalUs} µs`,
    );
    return { paths: run as Record<PathName, Measured>, worstCase };
  } finally {
    await worker.dispose();
    current = null;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
type Spread = { min: number; median: number; max: number };
const spreadOf = (xs: number[]): Spread => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const describe = (l: Latency) =>
  `added p50 ${l.addedP50Ms} ms (round trips ${l.serialP50Ms} + local ${l.localP50Ms}), p99 ${l.addedP99Ms} ms; ${l.hops} hop(s): ${l.chain}`;

const loadAtStart = round(loadavg()[0]!, 2);
if (loadAtStart > 0.5)
  console.log(
    `note: load average ${loadAtStart} before starting; other processes on this machine make the figures noisier`,
  );
const mode = geoOnly
  ? "the latency model and the geographic model"
  : modelOnly
    ? "the latency model only"
    : quick
      ? "a quick run"
      : "the full bench";
console.log(
  `${mode}: ${RUNS} run(s); model round trips ${JSON.stringify(DELAYS)} ms, ${MODEL_LOAD.requests} requests per workload over ${MODEL_LOAD.connections} connections`,
);
if (!modelOnly)
  console.log(
    `paths: ${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up each; building with wrangler deploy --dry-run`,
  );

const LOAD = { seconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS };
const describeCeiling = (c: Ceiling) =>
  `one account ${c.one.rps} req/s, ${CEILING_ACCOUNTS} accounts ${c.spread.rps} req/s: ${c.ratio} ×`;
if (ceilingOnly) {
  const script = process.env.BENCH_SCRIPT ?? build().script;
  // The floor's rate is unknown here: size the identity pools for a generous 2000 verify/s.
  const ceiling = await measureCeiling(script, LOAD, 2000);
  console.log(`ceiling: ${describeCeiling(ceiling)}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "ceiling.json"), `${JSON.stringify({ ceiling, settings: LOAD }, null, 2)}\n`);
  process.exit(ceiling.one.unexpected + ceiling.spread.unexpected > 0 ? 1 : 0);
}

// BENCH_SCRIPT: measure an already built bundle (e.g. another branch's bench/out/index.js) instead.
const main = modelOnly
  ? null
  : process.env.BENCH_SCRIPT
    ? { script: process.env.BENCH_SCRIPT, gzipBytes: gzipSync(readFileSync(process.env.BENCH_SCRIPT)).length }
    : build();
const peerScript = modelOnly ? null : buildPeer();
const modelScripts = buildModel();
const juhe = await startFakeJuhe();
const runs: Run[] = [];
try {
  for (let n = 1; n <= RUNS; n++) {
    const local = main ? await pathsAndWorstCase(main.script, n) : { paths: null, worstCase: null };
    let sideBySide: SideBySide | null = null;
    if (main && peerScript) {
      sideBySide = await measureSideBySide(main.script, peerScript, juhe, LOAD, verifyRate);
      console.log(
        `run ${n} peer verify     gateway ${sideBySide.ours.rps} req/s, peer ${sideBySide.peer.rps} req/s (same fake juhe, answering at once)`,
      );
    }
    const model = await measureModel(modelScripts, juhe, DELAYS, MODEL_LOAD);
    for (const side of ["ours", "peer"] as const) {
      for (const path of ["warm", "cold"] as const)
        console.log(
          `run ${n} model ${side === "ours" ? "gateway" : "peer   "} ${path}: ${describe(model[side][path])}`,
        );
    }
    console.log(
      `run ${n} model floor        added p50 ${model.floor.addedP50Ms} ms, p99 ${model.floor.addedP99Ms} ms (a Worker that only forwards); timers fire ${model.ours.warm.timerLateMs} ms late`,
    );
    runs.push({ ...local, sideBySide, model });
  }
} finally {
  await juhe.close();
}
// The full run's last steps: one account against eight, and the Worker's startup CPU.
const full = main !== null && !quick;
const ceiling = full ? await measureCeiling(main.script, LOAD, verifyRate) : null;
if (ceiling) console.log(`ceiling: ${describeCeiling(ceiling)}`);
const startup = full ? measureStartup(5) : null;
if (startup) console.log(`startup: ${startup.activeMs} ms active (runs ${startup.runsMs.join(", ")} ms)`);

// ---- aggregate ----------------------------------------------------------------------------------
const spread: Record<string, Spread> = {};
const results: Record<string, unknown> = {};
const lines: string[] = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

if (main) {
  const floorRps = median(runs.map((r) => r.paths!.floor.rps));
  say(`\n| path | req/s min / median / max | p50 ms | p99 ms | × floor |\n|---|---|---|---|---|`);
  for (const name of ORDER) {
    const rps = runs.map((r) => r.paths![name].rps);
    spread[name] = spreadOf(rps);
    const at = runs.find((r) => r.paths![name].rps === spread[name]!.median)!.paths![name]; // the median run's latencies
    results[name] = {
      rps: spread[name]!.median,
      p50Ms: at.p50Ms,
      p99Ms: at.p99Ms,
      ratio: round(spread[name]!.median / floorRps, 3),
    };
    say(
      `| ${name} | ${spread[name]!.min} / ${spread[name]!.median} / ${spread[name]!.max} | ${at.p50Ms} | ${at.p99Ms} | ${round(spread[name]!.median / floorRps, 2)} |`,
    );
  }
  results.bundleGzipBytes = main.gzipBytes;
}

// Each figure's median over the runs; the spread goes to the table.
const figure = (key: string, of: (r: Run) => number, digits = 2) => {
  spread[key] = spreadOf(runs.map((r) => round(of(r), digits)));
  return spread[key]!.median;
};
const latency = (side: "ours" | "peer", path: "warm" | "cold", prefix: string) => ({
  addedP50Ms: figure(`${prefix}AddedP50Ms`, (r) => r.model[side][path].addedP50Ms),
  addedP99Ms: figure(`${prefix}AddedP99Ms`, (r) => r.model[side][path].addedP99Ms),
  serialP50Ms: figure(`${prefix}SerialP50Ms`, (r) => r.model[side][path].serialP50Ms),
  localP50Ms: figure(`${prefix}LocalP50Ms`, (r) => r.model[side][path].localP50Ms),
  hops: figure(`${prefix}Hops`, (r) => r.model[side][path].hops, 0),
  chain: runs.at(-1)!.model[side][path].chain,
});
const model = { warm: latency("ours", "warm", "warm"), cold: latency("ours", "cold", "cold") };
const floor = {
  addedP50Ms: figure("floorAddedP50Ms", (r) => r.model.floor.addedP50Ms),
  addedP99Ms: figure("floorAddedP99Ms", (r) => r.model.floor.addedP99Ms),
};
const peerModel = { warm: latency("peer", "warm", "peerWarm"), cold: latency("peer", "cold", "peerCold") };
results.hops = { warm: model.warm.hops, cold: model.cold.hops };
results.model = {
  warm: model.warm,
  cold: model.cold,
  objectRttMs: DELAYS.objectMs,
  kvMissMs: DELAYS.kvMissMs,
  kvHitMs: DELAYS.kvHitMs,
  upstreamMs: DELAYS.upstreamMs,
  peer: peerModel,
  floor,
  timerLateMs: figure("timerLateMs", (r) => r.model.ours.warm.timerLateMs),
};
const peer = {
  ...(main ? { verifyRatio: figure("verifyRatio", (r) => r.sideBySide!.ours.rps / r.sideBySide!.peer.rps) } : {}),
  addedLatencyRatio: figure("addedLatencyRatio", (r) => r.model.ours.warm.addedP50Ms / r.model.peer.warm.addedP50Ms),
  coldAddedLatencyRatio: figure(
    "coldAddedLatencyRatio",
    (r) => r.model.ours.cold.addedP50Ms / r.model.peer.cold.addedP50Ms,
  ),
  ...(main
    ? {
        oursVerifyRps: figure("oursVerifyRps", (r) => r.sideBySide!.ours.rps, 1),
        peerVerifyRps: figure("peerVerifyRps", (r) => r.sideBySide!.peer.rps, 1),
      }
    : {}),
};
results.peer = peer;
if (main) {
  const worst = runs.map((r) => r.worstCase!);
  results.worstCase = {
    ratio: figure("worstCaseRatio", (r) => r.worstCase!.ratio),
    typicalUs: figure("worstCaseTypicalUs", (r) => r.worstCase!.typicalUs, 1),
    worstUs: figure("worstCaseWorstUs", (r) => r.worstCase!.worstUs, 1),
    worst: worst.find((w) => w.ratio === spread.worstCaseRatio!.median)!.worst,
  };
}

const geoRuns = runs.map((r) => geoReport([r.model], DELAYS.upstreamMs).summary);
const geoFigure = (key: string, of: (g: (typeof geoRuns)[number]) => number) =>
  figure(key, (r) => of(geoRuns[runs.indexOf(r)]!));
const geo = geoReport(
  runs.map((r) => r.model),
  DELAYS.upstreamMs,
);
results.geo = {
  ...geo.results,
  targets: {
    maxLegs: geoFigure("geoMaxLegs", (g) => g.maxLegs),
    maxRatio: geoFigure("geoMaxRatio", (g) => g.maxRatio),
    regionsAbovePeer: geoFigure("geoRegionsAbovePeer", (g) => g.regionsAbovePeer),
    worstAbovePeerMs: geoFigure("geoWorstAbovePeerMs", (g) => g.worstAbovePeerMs),
    localRatio: geoFigure("localRatio", (g) => g.localRatio),
  },
};
if (ceiling) {
  spread.ceilingRatio = spreadOf([ceiling.ratio]);
  results.ceiling = {
    accounts: CEILING_ACCOUNTS,
    oneRps: ceiling.one.rps,
    spreadRps: ceiling.spread.rps,
    ratio: ceiling.ratio,
  };
}
if (startup) {
  spread.startupActiveMs = spreadOf(startup.runsMs);
  results.startup = { activeMs: startup.activeMs, runsMs: startup.runsMs, limitMs: STARTUP_LIMIT_MS };
}

// ---- the table and the targets ------------------------------------------------------------------
type Target = { target: string; actual: number; pass: boolean };
const targets: Record<string, Target> = {};
const row = (
  label: string,
  key: string,
  unit: string,
  target?: { name: string; text: string; pass: (v: number) => boolean; miss: (v: number) => string },
) => {
  const s = spread[key]!;
  let verdict = "";
  if (target) {
    const pass = target.pass(s.median);
    targets[target.name] = { target: target.text, actual: s.median, pass };
    verdict = pass ? "met" : `**missed** ${target.miss(s.median)}`;
  }
  say(`| ${label} | ${s.min} / ${s.median} / ${s.max}${unit} | ${target?.text ?? ""} | ${verdict} |`);
};
const over = (limit: number, unit: string) => (v: number) => `by ${round(v - limit, 2)}${unit}`;
const under = (limit: number) => (v: number) => `by ${round(limit - v, 2)}`;
/** A target met at or below `limit`. */
const atMost = (name: string, limit: number, unit: string) => ({
  name,
  text: `≤ ${limit}${unit}`,
  pass: (v: number) => v <= limit,
  miss: over(limit, unit),
});
say(
  `\nModelled round trips: KV hit ${DELAYS.kvHitMs} ms, KV miss ${DELAYS.kvMissMs} ms, object call ${DELAYS.objectMs} ms, upstream ${DELAYS.upstreamMs} ms; ${RUNS} run(s).\n`,
);
say(`| figure | min / median / max | target | |\n|---|---|---|---|`);
row("gateway, warm: added latency p50", "warmAddedP50Ms", " ms", atMost("modelWarm", TARGET.warmAddedMs, " ms"));
row("gateway, warm: added latency p99", "warmAddedP99Ms", " ms");
row("gateway, warm: serial round trips before the upstream", "warmHops", "", atMost("hopsWarm", TARGET.hopsWarm, ""));
row("gateway, cold: added latency p50", "coldAddedP50Ms", " ms", atMost("modelCold", TARGET.coldAddedMs, " ms"));
row("gateway, cold: added latency p99", "coldAddedP99Ms", " ms");
row("gateway, cold: serial round trips before the upstream", "coldHops", "", atMost("hopsCold", TARGET.hopsCold, ""));
row("floor (a Worker that only forwards): added latency p50", "floorAddedP50Ms", " ms");
row("peer, warm: added latency p50", "peerWarmAddedP50Ms", " ms");
row("peer, cold: added latency p50", "peerColdAddedP50Ms", " ms");
row(
  "added latency p50, gateway / peer (warm)",
  "addedLatencyRatio",
  "",
  atMost("peerLatency", TARGET.addedLatencyRatio, ""),
);
row("added latency p50, gateway / peer (cold)", "coldAddedLatencyRatio", "");
if (main) {
  row("verify req/s, gateway / peer (local, no model)", "verifyRatio", "", {
    name: "peerVerify",
    text: `≥ ${TARGET.verifyRatio}`,
    pass: (v) => v >= TARGET.verifyRatio,
    miss: under(TARGET.verifyRatio),
  });
  row(
    "worst / typical CPU per request (adversarial corpus)",
    "worstCaseRatio",
    "",
    atMost("worstCase", TARGET.worstCaseRatio, ""),
  );
  say(`| bundle, gzipped (reported, no target) | ${round(main.gzipBytes / 1024, 1)} KiB | | |`);
}
row(
  "geo, chosen design, warm: most long-haul legs in any caller region",
  "geoMaxLegs",
  "",
  atMost("geoLegs", TARGET.geoLegs, ""),
);
row("geo, chosen design, warm: largest end-to-end / floor", "geoMaxRatio", "", atMost("geoRatio", TARGET.geoRatio, ""));
row(
  "geo, chosen design, warm: caller regions where it adds more than the peer",
  "geoRegionsAbovePeer",
  "",
  atMost("geoVsPeer", 0, ""),
);
row("geo: most it adds above the peer in such a region", "geoWorstAbovePeerMs", " ms");
row(
  "local part of the warm added latency, gateway / peer",
  "localRatio",
  "",
  atMost("localPart", TARGET.localRatio, ""),
);
if (ceiling)
  row(`verify req/s, one account / ${CEILING_ACCOUNTS} accounts`, "ceilingRatio", "", {
    name: "ceiling",
    text: `≥ ${TARGET.ceilingRatio}`,
    pass: (v) => v >= TARGET.ceilingRatio,
    miss: under(TARGET.ceilingRatio),
  });
if (startup)
  row(
    "startup CPU, active (wrangler check startup)",
    "startupActiveMs",
    " ms",
    atMost("startup", TARGET.startupMs, " ms"),
  );
say(
  `\nWhere the added latency goes (medians): round trips = the modelled serial calls before the upstream; local = the rest, of which the floor is what a Worker that only forwards adds here (loopback, waking up after the upstream's wait) and the remainder the Worker's own work:\n`,
);
say(
  `| workload | added p50 | round trips | local | local above the floor | serial calls before the upstream |\n|---|---|---|---|---|---|`,
);
for (const [label, l] of [
  ["gateway, warm", model.warm],
  ["gateway, cold", model.cold],
  ["peer, warm", peerModel.warm],
  ["peer, cold", peerModel.cold],
] as const) {
  say(
    `| ${label} | ${l.addedP50Ms} ms | ${l.serialP50Ms} ms | ${l.localP50Ms} ms | ${round(l.localP50Ms - floor.addedP50Ms, 2)} ms | ${l.hops}: ${l.chain} |`,
  );
}
if (main) {
  const w = results.worstCase as { worst: string; worstUs: number; typicalUs: number };
  say(`\nWorst-case input: ${w.worst}, ${w.worstUs} µs per request against ${w.typicalUs} µs for a normal-sized 306.`);
}
for (const line of geo.markdown) say(line);

// ---- validity and output ------------------------------------------------------------------------
const unexpected = runs.flatMap((r, i) => [
  ...(r.paths
    ? ORDER.filter((name) => r.paths![name].unexpected > 0).map(
        (name) => `run ${i + 1} ${name}: ${JSON.stringify(r.paths![name].answers)}`,
      )
    : []),
  ...(r.sideBySide
    ? (["ours", "peer"] as const)
        .filter((s) => r.sideBySide![s].unexpected > 0)
        .map((s) => `run ${i + 1} ${s} verify (fake juhe): ${JSON.stringify(r.sideBySide![s].answers)}`)
    : []),
  ...(["ours", "peer"] as const).flatMap((s) =>
    (["warm", "cold"] as const)
      .filter((p) => r.model[s][p].unexpected > 0)
      .map((p) => `run ${i + 1} model ${s} ${p}: ${JSON.stringify(r.model[s][p].answers)}`),
  ),
  ...(r.model.floor.unexpected > 0 ? [`run ${i + 1} model floor: ${JSON.stringify(r.model.floor.answers)}`] : []),
  // Every adversarial answer is a refusal before the token check (1xx) or of the request (3xx).
  ...(r.worstCase
    ? Object.entries(r.worstCase.inputs)
        .filter(([, c]) => Object.keys(c.answers).some((a) => !/^[13]\d\d$/.test(a)))
        .map(([name, c]) => `run ${i + 1} worst case ${name}: ${JSON.stringify(c.answers)}`)
    : []),
]);
if (ceiling)
  for (const [name, m] of [
    ["one account", ceiling.one],
    [`${CEILING_ACCOUNTS} accounts`, ceiling.spread],
  ] as const)
    if (m.unexpected > 0) unexpected.push(`ceiling, ${name}: ${JSON.stringify(m.answers)}`);
const out = {
  ...results,
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: round(loadavg()[0]!, 2),
  },
  runs: RUNS,
  spread,
  settings: {
    connections: CONNECTIONS,
    durationS: DURATION,
    warmupS: WARMUP,
    stateDir: STATE_ROOT,
    loadGenerator: "autocannon API in the bench's Node process; workerd is its own process",
    model: { ...MODEL_LOAD, delaysMs: DELAYS },
    worstCaseSecondsPerInput: WORST_SECONDS,
  },
  targets,
  valid: unexpected.length === 0,
  perRun: runs.map((r) => ({
    ...(r.paths
      ? Object.fromEntries(
          ORDER.map((name) => [
            name,
            {
              rps: r.paths![name].rps,
              p50Ms: r.paths![name].p50Ms,
              p99Ms: r.paths![name].p99Ms,
              answers: r.paths![name].answers,
            },
          ]),
        )
      : {}),
    ...(r.sideBySide
      ? {
          sideBySide: {
            ours: { rps: r.sideBySide.ours.rps, answers: r.sideBySide.ours.answers },
            peer: { rps: r.sideBySide.peer.rps, answers: r.sideBySide.peer.answers },
          },
        }
      : {}),
    model: r.model,
    ...(r.worstCase ? { worstCase: r.worstCase } : {}),
  })),
  date: new Date().toISOString(),
};
const file = geoOnly
  ? join(OUT, "geo.json")
  : modelOnly
    ? join(OUT, "model.json")
    : quick
      ? join(OUT, "results.json")
      : join(import.meta.dirname, "results.json");
mkdirSync(OUT, { recursive: true });
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(join(OUT, "summary.md"), `${lines.join("\n").trim()}\n`);
// The charts beside the committed results only from the full run; every other run's in bench/out.
for (const [upstream, svg] of Object.entries(geo.charts))
  writeFileSync(join(full ? join(import.meta.dirname, "geo") : OUT, `chart-${upstream}.svg`), svg);
console.log(`\nwrote ${relative(ROOT, file)} and bench/out/summary.md`);
if (unexpected.length) {
  console.error(`\nINVALID: some responses were not the expected answer:\n  ${unexpected.join("\n  ")}`);
  process.exit(1);
}
