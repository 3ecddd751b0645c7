// The worker under test: built exactly as it deploys (`wrangler deploy --dry-run`), run in workerd
// through Miniflare's Node API with the bindings wrangler.toml declares, fresh local state per
// start, and accounts seeded with the account command's own builder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { accountKey, tokenEntry, tokenKey } from "../src/accounts/record.ts";
import { buildAccount } from "../scripts/account/records.ts";
import { ROOT, WRANGLER } from "../scripts/lib/paths.ts";

export const OUT = join(ROOT, "bench/out");

/**
 * Where each start's fresh local state goes: RAM (/dev/shm) when there is one, because on a disk
 * workerd's local SQLite (Durable Objects, KV) waits for fsync on the worker's own thread, which
 * measures the disk, not the gateway. BENCH_STATE_DIR overrides it.
 */
export const STATE_ROOT = process.env.BENCH_STATE_DIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
const CONFIG = join(ROOT, "wrangler.toml");

/** Bundles `entry` (default: wrangler.toml's main) into `outdir` as `wrangler deploy` would. */
export function build(outdir = OUT, entry?: string): { script: string; gzipBytes: number } {
  const args = [WRANGLER, "deploy", ...(entry ? [entry] : []), "--dry-run", "--outdir", outdir];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
  const script = join(outdir, "index.js");
  return { script, gzipBytes: gzipSync(readFileSync(script)).length };
}

/** Miniflare as wrangler itself depends on it (the same workerd as `wrangler dev`). */
async function loadMiniflare(): Promise<typeof import("miniflare")> {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  return import(pathToFileURL(fromWrangler.resolve("miniflare")).href);
}

let configOptions: ReturnType<typeof unstable_getMiniflareWorkerOptions>["workerOptions"] | undefined;

export type Worker = { url: URL; mf: Miniflare; secret: string; dispose: () => Promise<void> };

/**
 * Starts `script` with wrangler.toml's compatibility date/flags and bindings (KV, Durable Objects,
 * Analytics Engine, vars), the sandbox upstream and a random SERVICE_SECRET. Requests go to the
 * worker's own socket, not through Miniflare's entry worker (which adds ~0.7 ms a request).
 */
/** What the runtime logs: the worker's console lines and its own warnings and uncaught errors. */
export type LogLine = { level: string; message: string };

export async function startWorker(script: string, inspectorPort?: number, onLog: (line: LogLine) => void = () => {}): Promise<Worker> {
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  configOptions ??= unstable_getMiniflareWorkerOptions(CONFIG).workerOptions;
  const { modulesRules: _rules, ...fromConfig } = configOptions;
  const secret = randomSecret();
  const persist = mkdtempSync(join(STATE_ROOT, "vm-bench-"));
  const options = convertV4MiniflareOptions({
    ...fromConfig,
    name: "bench",
    modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
    modulesRoot: dirname(script),
    bindings: {
      ...(fromConfig.bindings as Record<string, unknown>), // wrangler.toml's vars (and .dev.vars), overridden below
      SERVICE_SECRET: secret,
      UPSTREAMS: "sandbox", // the built-in sandbox answers at once
      JUHE_KEY: "",
      JUHE_OPENID: "",
      JUHE_MODE: "encrypted",
      UPSTREAM_TIMEOUT_MS: "5000",
    },
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    resourcePersistencePath: persist,
    handleStructuredLogs: onLog, // the worker's one log line per request: produced, not printed (unless asked for)
    ...(inspectorPort ? { inspectorPort } : {}),
  });
  const mf = new Miniflare(options);
  let url: URL;
  try {
    await mf.ready;
    url = await mf.unsafeGetDirectURL("bench");
  } catch (e) {
    await mf.dispose().catch(() => {});
    rmSync(persist, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    mf,
    secret,
    dispose: async () => {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

export type Account = { id: string; token: string; logonKey: string };

/**
 * Writes an active verifyMobile account with the given duplicate policy into ACCOUNTS, as the
 * account command writes it. No rate limit and a per-person budget out of the way: the bench's
 * identities share one phone (workload.ts) and it measures the gateway, not the limits.
 */
export async function seedAccount(worker: Worker, name: string, policy: "reject" | "replay"): Promise<Account> {
  const { record, token, logonKey } = await buildAccount({
    settings: { name, services: ["verifyMobile"], duplicatePolicy: policy, dedupTtl: 60, rateLimit: null, subjectBudget: 10_000 },
    keyLength: 16,
    secret: worker.secret,
    now: new Date(),
  });
  const kv = await worker.mf.getKVNamespace("ACCOUNTS", "bench");
  await kv.put(tokenKey(record.tokenHash), JSON.stringify(tokenEntry(record)));
  await kv.put(accountKey(record.id), JSON.stringify(record));
  return { id: record.id, token, logonKey };
}
