// `npm run bench`: the gateway's own cost per request. Builds the worker as it deploys, then per
// run starts it fresh in workerd and measures, in turn and with the same load, the floor
// (GET /healthz), verify (a new identity each request), duplicate (309 and replay) and error
// (307) paths. Prints min/median/max requests/s over the runs, the median run's p50/p99, each
// path's ratio to the floor and the targets; writes bench/results.json.
// BENCH_RUNS (3), BENCH_CONNECTIONS (10), BENCH_DURATION (10 s), BENCH_WARMUP (1 s);
// BENCH_QUICK=1 or `-- --quick`: 1 run of 2 s after 0.5 s. `-- --profile`: see profile.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { measure, round, type Measured } from "./load.ts";
import { build, seedAccount, STATE_ROOT, startWorker, type Worker } from "./server.ts";
import { IdentityPool, ORDER, paths, prime, type PathName } from "./workload.ts";

if (process.argv.includes("--profile")) {
  await import("./profile.ts");
  process.exit(0);
}

const quick = process.env.BENCH_QUICK === "1" || process.argv.includes("--quick");
const setting = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!(v > 0)) throw new Error(`${name} must be a positive number`);
  return v;
};
const RUNS = setting("BENCH_RUNS", quick ? 1 : 3);
const CONNECTIONS = setting("BENCH_CONNECTIONS", 10);
const DURATION = setting("BENCH_DURATION", quick ? 2 : 10);
const WARMUP = setting("BENCH_WARMUP", quick ? 0.5 : 1);
const ACCOUNTS = setting("BENCH_ACCOUNTS", 1);

type Run = Record<PathName, Measured>;

/** Target ratios to the floor's requests/s (reported, not asserted). */
const TARGETS: Partial<Record<PathName, number>> = { verify: 0.5, duplicate: 0.8, error: 0.8 };
const BUNDLE_TARGET = 64 * 1024;

let current: Worker | null = null;
let verifyRate = 0; // the last run's, to size the next run's identity pool
process.once("SIGINT", () => void (current?.dispose() ?? Promise.resolve()).finally(() => process.exit(130)));

async function oneRun(script: string, n: number): Promise<Run> {
  const worker = (current = await startWorker(script));
  try {
    const reject = await seedAccount(worker, "Bench reject", "reject");
    const replay = await seedAccount(worker, "Bench replay", "replay");
    // verify spreads over BENCH_ACCOUNTS accounts (each has its own Durable Object); 1 by default.
    const others = await Promise.all(Array.from({ length: ACCOUNTS - 1 }, (_, i) => seedAccount(worker, `Bench verify ${i + 2}`, "reject")));
    const pool = new IdentityPool([reject, ...others]);
    const all = paths(reject, replay, pool);
    const run: Partial<Run> = {};
    for (const name of ORDER) {
      // Enough fresh identities: twice the last run's verify rate, or the floor's rate at first.
      if (name === "verify") pool.fill(Math.ceil((verifyRate ? 2 * verifyRate : 1.2 * run.floor!.rps) * (WARMUP + DURATION)) + 1000);
      if (name === "duplicate" || name === "duplicateReplay") await prime(worker.url, all[name]);
      const warm = await measure(worker.url, all[name], WARMUP, CONNECTIONS);
      const m = await measure(worker.url, all[name], DURATION, CONNECTIONS);
      m.unexpected += warm.unexpected;
      run[name] = m;
      if (name === "verify") verifyRate = m.rps;
      const late = name === "verify" && pool.lateMade ? ` (${pool.lateMade} identities made during the run)` : "";
      console.log(`run ${n} ${name.padEnd(15)} ${String(m.rps).padStart(8)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  ${JSON.stringify(m.answers)}${late}`);
    }
    return run as Run;
  } finally {
    await worker.dispose();
    current = null;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

const loadAtStart = round(loadavg()[0]!, 2);
if (loadAtStart > 0.5) console.log(`note: load average ${loadAtStart} before starting; other processes on this machine make the figures noisier`);
console.log(`building with wrangler deploy --dry-run; ${RUNS} run(s) of ${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up per path`);
// BENCH_SCRIPT: measure an already built bundle (e.g. another branch's bench/out/index.js) instead.
const { script, gzipBytes } = process.env.BENCH_SCRIPT ? { script: process.env.BENCH_SCRIPT, gzipBytes: gzipSync(readFileSync(process.env.BENCH_SCRIPT)).length } : build();
const runs: Run[] = [];
for (let n = 1; n <= RUNS; n++) runs.push(await oneRun(script, n));

const results: Record<string, unknown> = {};
const spread: Record<string, { min: number; median: number; max: number }> = {};
const floorRps = median(runs.map((r) => r.floor.rps));
console.log(`\n${"path".padEnd(16)}${"req/s min / median / max".padEnd(30)}${"p50 ms".padEnd(9)}${"p99 ms".padEnd(9)}× floor`);
for (const name of ORDER) {
  const rps = runs.map((r) => r[name].rps);
  const mid = median(rps);
  const at = runs.find((r) => r[name].rps === mid)![name]; // the median run's latencies
  spread[name] = { min: Math.min(...rps), median: mid, max: Math.max(...rps) };
  results[name] = { rps: mid, p50Ms: at.p50Ms, p99Ms: at.p99Ms, ratio: round(mid / floorRps, 3) };
  const range = `${spread[name].min} / ${mid} / ${spread[name].max}`;
  console.log(`${name.padEnd(16)}${range.padEnd(30)}${String(at.p50Ms).padEnd(9)}${String(at.p99Ms).padEnd(9)}${round(mid / floorRps, 2)}`);
}

console.log(`\nbundle: ${gzipBytes} bytes gzipped (${round(gzipBytes / 1024, 1)} KiB)\n`);
const targets: Record<string, { target: string; actual: number; pass: boolean }> = {};
for (const [name, target] of Object.entries(TARGETS)) {
  const ratio = (results[name] as { ratio: number }).ratio;
  const pass = ratio >= target;
  const by = pass ? `${round(ratio - target, 2)} above` : `short by ${round(target - ratio, 2)} (${round((1 - ratio / target) * 100, 0)}%)`;
  targets[name] = { target: `>= ${target} x floor`, actual: ratio, pass };
  console.log(`${pass ? "PASS" : "MISS"}  ${name.padEnd(10)} ${round(ratio, 2)} × floor, target ≥ ${target}: ${by}`);
}
const bundlePass = gzipBytes <= BUNDLE_TARGET;
targets.bundle = { target: "<= 65536 bytes gzipped", actual: gzipBytes, pass: bundlePass };
console.log(`${bundlePass ? "PASS" : "MISS"}  bundle     ${round(gzipBytes / 1024, 1)} KiB gzipped, target ≤ 64 KiB: ${round(Math.abs(BUNDLE_TARGET - gzipBytes) / 1024, 1)} KiB ${bundlePass ? "to spare" : "over"}`);

const unexpected = runs.flatMap((r, i) => ORDER.filter((name) => r[name].unexpected > 0).map((name) => `run ${i + 1} ${name}: ${JSON.stringify(r[name].answers)}`));
const out = {
  ...results,
  bundleGzipBytes: gzipBytes,
  machine: { cpu: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), node: process.version, loadAverageAtStart: loadAtStart },
  runs: RUNS,
  spread,
  settings: { connections: CONNECTIONS, durationS: DURATION, warmupS: WARMUP, stateDir: STATE_ROOT, loadGenerator: "autocannon API in the bench's Node process; workerd is its own process" },
  targets,
  valid: unexpected.length === 0,
  perRun: runs.map((r) => Object.fromEntries(ORDER.map((name) => [name, { rps: r[name].rps, p50Ms: r[name].p50Ms, p99Ms: r[name].p99Ms, answers: r[name].answers }]))),
  date: new Date().toISOString(),
};
writeFileSync(join(import.meta.dirname, "results.json"), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote bench/results.json`);
if (unexpected.length) {
  console.error(`\nINVALID: some responses were not the path's expected answer:\n  ${unexpected.join("\n  ")}`);
  process.exit(1);
}
