// The latency model (`npm run bench -- --model`, docs/benchmark.md "Latency model"): the gateway
// and the peer, each through its model entry (bench/model/, bench/peer/model-entry.ts), every KV
// read, KV write and Durable Object call delayed by a modelled round trip and juhe answering
// from the fake upstream after its modelled time. A few connections send one request after
// another (latency, not throughput); each response says how many binding calls ran one after
// another before the upstream was asked, and how long the upstream took itself. Added latency =
// end-to-end minus the upstream's own time.
//   warm: one account, the isolate's caches as the traffic leaves them;
//   cold: one account per connection, every request clearing the isolate's caches first;
//   floor: a Worker that only forwards to the upstream (bench/model/forward-entry.ts), warm.
import { Agent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { ROOT } from "../scripts/lib/paths.ts";
import { FAKE_JUHE_KEY, type FakeJuhe } from "./fake-juhe.ts";
import { round } from "./load.ts";
import {
  CHAIN_HEADER,
  COLD_HEADER,
  HOPS_HEADER,
  MODEL_VARS,
  SERIAL_MS_HEADER,
  TIMER_LATE_HEADER,
  UPSTREAM_MS_HEADER,
} from "./model/protocol.ts";
import {
  type Account,
  build,
  OUT,
  PEER_CONFIG,
  type StartOptions,
  seedAccount,
  seedPeerAccount,
  startWorker,
  type Worker,
} from "./server.ts";
import { classify, formBody, nextIdentity, VERIFY_PATH } from "./workload.ts";

export type Delays = { kvHitMs: number; kvMissMs: number; objectMs: number; upstreamMs: number };
export const DEFAULT_DELAYS: Delays = { kvHitMs: 2, kvMissMs: 20, objectMs: 15, upstreamMs: 120 };

export type ModelLoad = { connections: number; requests: number; warmupPerConnection: number };

/** One workload's figures: added latency percentiles, the serial calls before the upstream. */
export type Latency = {
  addedP50Ms: number;
  addedP99Ms: number;
  endToEndP50Ms: number;
  upstreamP50Ms: number;
  /** Median of the modelled round trips of the serial calls before the upstream… */
  serialP50Ms: number;
  /** …and of what the added latency holds beyond them: CPU, loopback, waking up. */
  localP50Ms: number;
  localP99Ms: number;
  /** How late the worker's timers fire, as the model learnt it (it schedules that much earlier). */
  timerLateMs: number;
  /** Median count of serial binding calls before the upstream call. */
  hops: number;
  /** The most frequent chain of those calls, and how often each chain was seen. */
  chain: string;
  chains: Record<string, number>;
  samples: number;
  /** Responses by answer; every one must be 200/10001. */
  answers: Record<string, number>;
  unexpected: number;
};

export type Side = { warm: Latency; cold: Latency };
export type ModelRun = { ours: Side; peer: Side; floor: Latency };
export type ModelScripts = { ours: string; peer: string; floor: string };

const EXPECTED = "200/10001";
const MODEL_FLAGS = ["nodejs_als"]; // AsyncLocalStorage keeps concurrent requests' records apart

/** Builds the model entries (once per bench). */
export function buildModel(): ModelScripts {
  return {
    floor: build(join(OUT, "forward-model"), {
      entry: join(ROOT, "bench/model/forward-entry.ts"),
      config: PEER_CONFIG,
      flags: MODEL_FLAGS,
    }).script,
    ours: build(join(OUT, "model"), { entry: join(ROOT, "bench/model/entry.ts"), flags: MODEL_FLAGS }).script,
    peer: build(join(OUT, "peer-model"), {
      entry: join(ROOT, "bench/peer/model-entry.ts"),
      config: PEER_CONFIG,
      flags: MODEL_FLAGS,
    }).script,
  };
}

type Sample = {
  ms: number;
  upstreamMs: number | null;
  hops: number;
  chain: string;
  serialMs: number;
  timerLateMs: number;
  answer: string;
};

/** One POST on a kept-alive connection, timed from the first byte written to the last read. */
function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const ms = performance.now() - started;
          const upstream = res.headers[UPSTREAM_MS_HEADER];
          resolve({
            ms,
            upstreamMs: typeof upstream === "string" ? Number(upstream) : null,
            hops: Number(res.headers[HOPS_HEADER] ?? NaN),
            chain: String(res.headers[CHAIN_HEADER] ?? ""),
            serialMs: Number(res.headers[SERIAL_MS_HEADER] ?? NaN),
            timerLateMs: Number(res.headers[TIMER_LATE_HEADER] ?? NaN),
            answer: classify(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** `connections` loops, each sending its account's fresh identities one after another. */
async function drive(worker: Worker, accounts: Account[], load: ModelLoad, cold: boolean): Promise<Latency> {
  const url = new URL(VERIFY_PATH, worker.url);
  const headers: Record<string, string> = cold ? { [COLD_HEADER]: "1" } : {};
  const perConnection = Math.ceil(load.requests / load.connections);
  const samples: Sample[] = [];
  await Promise.all(
    Array.from({ length: load.connections }, async (_, i) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const account = accounts[i % accounts.length]!;
      try {
        for (let n = 0; n < load.warmupPerConnection + perConnection; n++) {
          const sample = await post(agent, url, formBody(account, nextIdentity()), headers);
          if (n >= load.warmupPerConnection) samples.push(sample);
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return summarise(samples);
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function summarise(samples: Sample[]): Latency {
  const answers: Record<string, number> = {};
  const chains: Record<string, number> = {};
  for (const s of samples) {
    answers[s.answer] = (answers[s.answer] ?? 0) + 1;
    const chain = s.chain === "" ? "(none)" : s.chain;
    chains[chain] = (chains[chain] ?? 0) + 1;
  }
  const answered = samples.filter((s) => s.upstreamMs !== null);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const added = sorted(answered.map((s) => s.ms - s.upstreamMs!));
  const local = sorted(answered.map((s) => s.ms - s.upstreamMs! - s.serialMs));
  return {
    addedP50Ms: round(quantile(added, 0.5), 2),
    addedP99Ms: round(quantile(added, 0.99), 2),
    endToEndP50Ms: round(quantile(sorted(samples.map((s) => s.ms)), 0.5), 2),
    upstreamP50Ms: round(quantile(sorted(answered.map((s) => s.upstreamMs!)), 0.5), 2),
    serialP50Ms: round(quantile(sorted(answered.map((s) => s.serialMs)), 0.5), 2),
    localP50Ms: round(quantile(local, 0.5), 2),
    localP99Ms: round(quantile(local, 0.99), 2),
    timerLateMs: round(quantile(sorted(samples.map((s) => s.timerLateMs)), 0.5), 2),
    hops: quantile(sorted(samples.map((s) => s.hops)), 0.5),
    chain: Object.entries(chains).sort((a, b) => b[1] - a[1])[0]?.[0] ?? "(none)",
    chains,
    samples: samples.length,
    answers,
    unexpected: samples.length - (answers[EXPECTED] ?? 0),
  };
}

const modelVars = (delays: Delays) => ({
  [MODEL_VARS.kvHitMs]: String(delays.kvHitMs),
  [MODEL_VARS.kvMissMs]: String(delays.kvMissMs),
  [MODEL_VARS.objectMs]: String(delays.objectMs),
});

/** Starts the model entries side by side: the floor, then warm and cold, alternating gateway and peer. */
export async function measureModel(
  scripts: ModelScripts,
  juhe: FakeJuhe,
  delays: Delays,
  load: ModelLoad,
): Promise<ModelRun> {
  const upstream = juhe.baseUrl(delays.upstreamMs);
  const plain = {
    config: PEER_CONFIG,
    bindings: { ...modelVars(delays), JUHE_URL: upstream, JUHE_KEY: FAKE_JUHE_KEY },
    compatibilityFlags: MODEL_FLAGS,
  };
  const started: Worker[] = [];
  const start = async (script: string, options: StartOptions) => {
    const worker = await startWorker(script, options);
    started.push(worker);
    return worker;
  };
  try {
    const ours = await start(scripts.ours, {
      bindings: {
        ...modelVars(delays),
        UPSTREAMS: "juhe",
        JUHE_MODE: "plain",
        JUHE_KEY: FAKE_JUHE_KEY,
        JUHE_BASE_URL: upstream,
      },
      compatibilityFlags: MODEL_FLAGS,
    });
    const peer = await start(scripts.peer, plain);
    const forward = await start(scripts.floor, plain);
    const warmAccount = await seedAccount(ours, "Model warm", "reject");
    const coldAccounts = await Promise.all(
      Array.from({ length: load.connections }, (_, i) => seedAccount(ours, `Model cold ${i + 1}`, "reject")),
    );
    for (const account of [warmAccount, ...coldAccounts]) await seedPeerAccount(peer, account);
    const floor = await drive(forward, [warmAccount], load, false);
    const oursWarm = await drive(ours, [warmAccount], load, false);
    const peerWarm = await drive(peer, [warmAccount], load, false);
    const oursCold = await drive(ours, coldAccounts, load, true);
    const peerCold = await drive(peer, coldAccounts, load, true);
    return { ours: { warm: oursWarm, cold: oursCold }, peer: { warm: peerWarm, cold: peerCold }, floor };
  } finally {
    await Promise.all(started.map((w) => w.dispose()));
  }
}
