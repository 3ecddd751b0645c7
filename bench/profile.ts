// `npm run bench -- --profile` (or `npx node bench/profile.ts`): where a path's time goes. Runs the
// built worker under the bench's load with V8's sampling profiler attached through workerd's
// inspector, maps each sample through the bundle's source map and charges it to a pipeline step:
// the nearest frame in a step file, so src/crypto/aes.ts called from src/crypto/logon.ts counts as
// "decrypt logon" and from src/upstream/juhe/crypto.ts as "juhe ECB encryption"; libraries (zod,
// hono) and runtime calls (Request, SQL exec, console.log) count for their caller. "(program)" is
// the runtime outside JavaScript: HTTP, the local KV and Durable Object storage, other isolates.
// Caveat: with an inspector attached, console.log costs several times what it does without.
// BENCH_PROFILE_PATHS (verify,duplicate,error), BENCH_DURATION (5 s), BENCH_SCRIPT (a built bundle
// with its .map), BENCH_PROFILE_ACCOUNTS (1: the accounts the verify path spreads over; 8 against 1
// shows what one account's object adds, see ceiling.ts). Writes bench/profile.json and bench/out/<path>.cpuprofile (opens in DevTools).
import { readFileSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { basename, join } from "node:path";
import { measure, round } from "./load.ts";
import { build, OUT, seedAccount, startWorker } from "./server.ts";
import { IdentityPool, ORDER, type PathName, paths, prime } from "./workload.ts";

/** Files that name a step, most specific first; any other frame passes to its caller. */
const STEPS: [RegExp, string][] = [
  [/src\/verify-mobile\/request\//, "parse body + params"],
  [/src\/accounts\/lookup/, "token lookup (cached)"],
  [/src\/accounts\//, "account checks"],
  [/src\/crypto\/logon/, "decrypt logon"],
  [/src\/identity\//, "validate fields"],
  [/src\/duplicates\/fingerprint/, "fingerprint HMAC"],
  [/src\/duplicates\//, "duplicate lookup/store (KV)"],
  [/src\/upstream\/juhe\/crypto/, "juhe ECB encryption"],
  [/src\/sandbox\//, "sandbox upstream"],
  [/src\/upstream\//, "juhe client (form, timer, parse)"],
  [/src\/billing\/(account-object|reservations|balances|limits|upkeep|ledger)\.ts/, "billing Durable Object (SQL)"],
  [/src\/billing\//, "billing gateway"],
  [/src\/platform\/log\.ts/, "log line (console.log)"],
  [/src\/platform\/metrics\.ts/, "metrics (Analytics Engine)"],
  [/src\/platform\/config\.ts/, "config"],
  [/src\/wire\//, "envelope + order number"],
  [/src\/verify-mobile\//, "pipeline (incl. Durable Object RPC)"],
  [/src\/index\.ts/, "routing"],
];

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };
type Table = [string, number][];

/** Self time (ms) per step and per function, idle excluded. */
function analyse(profile: Profile, map: SourceMap, bundle: string): { steps: Table; functions: Table } {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const where = ({ callFrame: { url, lineNumber, columnNumber } }: Node) => {
    if (basename(url) !== bundle) return { file: url, line: 0, name: undefined };
    const e = map.findEntry(lineNumber, columnNumber) as {
      originalSource?: string;
      originalLine?: number;
      name?: string;
    };
    return {
      file: (e.originalSource ?? url).replace(/^.*?(src|node_modules)\//, "$1/"),
      line: (e.originalLine ?? 0) + 1,
      name: e.name,
    };
  };
  const memo = new Map<number, string>();
  const step = (id: number): string => {
    const n = nodes.get(id)!;
    const { url, functionName } = n.callFrame;
    if (!url && functionName.startsWith("(")) return functionName === "(root)" ? "other JS" : functionName; // (program), (garbage collector)
    if (!memo.has(id)) {
      const named = url ? STEPS.find(([re]) => re.test(where(n).file))?.[1] : undefined;
      memo.set(id, named ?? (parent.has(id) ? step(parent.get(id)!) : "other JS"));
    }
    return memo.get(id)!;
  };
  const fn = (n: Node) => {
    if (!n.callFrame.url) return n.callFrame.functionName || "(native)";
    const w = where(n);
    return `${w.name ?? (n.callFrame.functionName || "(anonymous)")} ${w.file}:${w.line}`;
  };
  const steps = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = nodes.get(id)!;
    if (n.callFrame.functionName === "(idle)") return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    steps.set(step(id), (steps.get(step(id)) ?? 0) + ms);
    functions.set(fn(n), (functions.get(fn(n)) ?? 0) + ms);
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { steps: sorted(steps), functions: sorted(functions) };
}

/** One Chrome DevTools Protocol session to a workerd inspector target. */
async function session(url: string) {
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = fail;
  });
  let id = 0;
  const waiting = new Map<number, (r: unknown) => void>();
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  };
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((ok) => {
      waiting.set(++id, ok as (r: unknown) => void);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const WANTED = (process.env.BENCH_PROFILE_PATHS ?? "verify,duplicate,error").split(",") as PathName[];
for (const name of WANTED)
  if (!ORDER.includes(name)) throw new Error(`BENCH_PROFILE_PATHS: ${name} is not one of ${ORDER.join(", ")}`);
const ACCOUNTS = Number(process.env.BENCH_PROFILE_ACCOUNTS ?? 1);
const INSPECTOR = 9229 + Math.floor(Math.random() * 500);

const script = process.env.BENCH_SCRIPT ?? build().script;
const map = new SourceMap(JSON.parse(readFileSync(`${script}.map`, "utf8")));
const worker = await startWorker(script, { inspectorPort: INSPECTOR });
const report: Record<string, unknown> = {};
try {
  const reject = await seedAccount(worker, "Profile reject", "reject");
  const others = await Promise.all(
    Array.from({ length: ACCOUNTS - 1 }, (_, i) => seedAccount(worker, `Profile reject ${i + 2}`, "reject")),
  );
  const pool = new IdentityPool([reject, ...others]);
  const all = paths(reject, await seedAccount(worker, "Profile replay", "replay"), pool);
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json()) as {
    id: string;
    webSocketDebuggerUrl: string;
  }[];
  const cdp = await session(targets.find((t) => t.id === "core:user:bench")!.webSocketDebuggerUrl);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  for (const name of WANTED) {
    const path = all[name];
    if (name === "verify") pool.fill(3000 * (DURATION + 1)); // made on the spot beyond that
    if (name === "duplicate" || name === "duplicateReplay") await prime(worker.url, path);
    await measure(worker.url, path, 1, 10); // warm-up
    await cdp.send("Profiler.start");
    const m = await measure(worker.url, path, DURATION, 10);
    const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
    writeFileSync(join(OUT, `${name}.cpuprofile`), JSON.stringify(profile));
    const { steps, functions } = analyse(profile, map, basename(script));
    const busy = steps.reduce((a, [, ms]) => a + ms, 0);
    const us = (ms: number) => round((ms * 1000) / m.requests, 1);
    console.log(
      `\n${name}: ${m.rps} req/s under the profiler (${m.unexpected} unexpected answers); worker busy ${round(busy, 0)} ms of ${DURATION * 1000}`,
    );
    console.log(`${"step".padEnd(38)}${"µs/request".padStart(11)}${"share".padStart(8)}`);
    for (const [s, ms] of steps)
      console.log(`${s.padEnd(38)}${String(us(ms)).padStart(11)}${`${round((ms / busy) * 100, 1)}%`.padStart(8)}`);
    console.log("top functions by self time (µs/request):");
    for (const [f, ms] of functions.slice(0, 10)) console.log(`${String(us(ms)).padStart(9)}  ${f}`);
    report[name] = {
      rps: m.rps,
      requests: m.requests,
      usPerRequestByStep: Object.fromEntries(steps.map(([s, ms]) => [s, us(ms)])),
      topFunctions: Object.fromEntries(functions.slice(0, 10).map(([f, ms]) => [f, us(ms)])),
    };
  }
  cdp.close();
} finally {
  await worker.dispose();
}
writeFileSync(join(import.meta.dirname, "profile.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log("\nwrote bench/profile.json");
