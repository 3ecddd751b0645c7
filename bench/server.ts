// The worker under test: built exactly as it deploys (`wrangler deploy --dry-run`), run in workerd
// through Miniflare's Node API with the bindings wrangler.toml declares, fresh local state per
// start, and accounts seeded with the account command's own builder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { buildAccount } from "../scripts/account/records.ts";
import { ROOT, WRANGLER } from "../scripts/lib/paths.ts";
import { accountKey, tokenEntry, tokenKey } from "../src/accounts/record.ts";

export const OUT = join(ROOT, "bench/out");

/**
 * Where each start's fresh local state goes: RAM (/dev/shm) when there is one, because on a disk
 * workerd's local SQLite (Durable Objects, KV) waits for fsync on the worker's own thread, which
 * measures the disk, not the gateway. BENCH_STATE_DIR overrides it.
 */
export const STATE_ROOT = process.env.BENCH_STATE_DIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
export const CONFIG = join(ROOT, "wrangler.toml");
/** The peer's own config (bench/peer/): one KV namespace, no Durable Object. */
export const PEER_CONFIG = join(ROOT, "bench/peer/wrangler.toml");

export type BuildOptions = {
  /** The entry module (default: wrangler.toml's main, src/index.ts). */
  entry?: string;
  config?: string;
  /** Compatibility flags on top of the config's. */
  flags?: string[];
};

/** Bundles an entry into `outdir` (absolute) as `wrangler deploy` would; the bundle is named after the entry. */
export function build(
  outdir = OUT,
  { entry, config = CONFIG, flags = [] }: BuildOptions = {},
): { script: string; gzipBytes: number } {
  const args = [
    WRANGLER,
    "deploy",
    ...(entry ? [entry] : []),
    "--config",
    config,
    "--dry-run",
    "--outdir",
    outdir,
    ...flags.flatMap((f) => ["--compatibility-flag", f]),
  ];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
  const script = join(outdir, `${basename(entry ?? "index.ts", ".ts")}.js`);
  return { script, gzipBytes: gzipSync(readFileSync(script)).length };
}

/** Miniflare as wrangler itself depends on it (the same workerd as `wrangler dev`). */
async function loadMiniflare(): Promise<typeof import("miniflare")> {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  return import(pathToFileURL(fromWrangler.resolve("miniflare")).href);
}

type WorkerOptions = ReturnType<typeof unstable_getMiniflareWorkerOptions>["workerOptions"];
const configOptions = new Map<string, WorkerOptions>();

export type Worker = { url: URL; mf: Miniflare; secret: string; dispose: () => Promise<void> };

export type StartOptions = {
  /** The wrangler config whose bindings, vars and compatibility settings apply (wrangler.toml). */
  config?: string;
  /** Vars on top of the config's (and of the sandbox settings, for the gateway's own config). */
  bindings?: Record<string, string>;
  /** Compatibility flags on top of the config's (the model entries need `nodejs_als`). */
  compatibilityFlags?: string[];
  inspectorPort?: number;
  /** Receives what the runtime logs (the soak counts request-context problems in it). */
  onLog?: (line: LogLine) => void;
  /**
   * Local state to start from and keep (dispose leaves it): a restart after a kill finds it as the
   * killed process left it (the soak's --crash). Default: a fresh directory, removed on dispose.
   */
  persist?: string;
  /** SERVICE_SECRET, for a restart that must read the accounts the first start sealed. Default: random. */
  secret?: string;
};

/** The gateway's settings for the bench: the built-in sandbox upstream, which answers at once. */
const sandboxSettings = (secret: string) => ({
  SERVICE_SECRET: secret,
  UPSTREAMS: "sandbox",
  JUHE_KEY: "",
  JUHE_OPENID: "",
  JUHE_MODE: "encrypted",
  UPSTREAM_TIMEOUT_MS: "5000",
});

/**
 * Starts `script` with its config's compatibility date/flags and bindings (KV, Durable Objects,
 * Analytics Engine, vars) and a random SERVICE_SECRET; the gateway's own config also gets the
 * sandbox upstream unless `bindings` says otherwise. Requests go to the worker's own socket, not
 * through Miniflare's entry worker (which adds ~0.7 ms a request).
 */
/** What the runtime logs: the worker's console lines and its own warnings and uncaught errors. */
export type LogLine = { level: string; message: string };

export async function startWorker(script: string, start: StartOptions = {}): Promise<Worker> {
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  const config = start.config ?? CONFIG;
  let fromConfig = configOptions.get(config);
  if (!fromConfig) {
    fromConfig = unstable_getMiniflareWorkerOptions(config).workerOptions;
    configOptions.set(config, fromConfig);
  }
  const { modulesRules: _rules, ...options } = fromConfig;
  const secret = start.secret ?? randomSecret();
  const persist = start.persist ?? mkdtempSync(join(STATE_ROOT, "vm-bench-"));
  const removeState = () => {
    if (start.persist === undefined) rmSync(persist, { recursive: true, force: true });
  };
  const miniflareOptions = convertV4MiniflareOptions({
    ...options,
    name: "bench",
    modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
    modulesRoot: dirname(script),
    compatibilityFlags: [
      ...((options.compatibilityFlags as string[] | undefined) ?? []),
      ...(start.compatibilityFlags ?? []),
    ],
    bindings: {
      ...(options.bindings as Record<string, unknown>), // the config's vars (and .dev.vars), overridden below
      ...(config === CONFIG ? sandboxSettings(secret) : {}),
      ...start.bindings,
    },
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    resourcePersistencePath: persist,
    handleStructuredLogs: start.onLog ?? (() => {}), // the worker's one log line per request: produced, not printed (unless asked for)
    ...(start.inspectorPort ? { inspectorPort: start.inspectorPort } : {}),
  });
  const mf = new Miniflare(miniflareOptions);
  let url: URL;
  try {
    await mf.ready;
    url = await mf.unsafeGetDirectURL("bench");
  } catch (e) {
    await mf.dispose().catch(() => {});
    removeState();
    throw e;
  }
  return {
    url,
    mf,
    secret,
    // Miniflare's dispose ends workerd with SIGKILL: requests in flight are lost, as in a crash.
    dispose: async () => {
      await mf.dispose();
      removeState();
    },
  };
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

export type Account = { id: string; token: string; logonKey: string };

/** The account settings the bench varies. */
export type Limits = { rateLimit: number | null; subjectBudget: number; duplicatePolicy: "reject" | "replay" };

/** No limit in the way: the bench's identities share one phone (workload.ts), and it measures the gateway. */
export const OPEN: Limits = { rateLimit: null, subjectBudget: 10_000, duplicatePolicy: "reject" };

/** Writes an active verifyMobile account into ACCOUNTS, as the account command writes it. */
export async function seedAccount(
  worker: Worker,
  name: string,
  policy: "reject" | "replay",
  limits: Limits & { readonly balanceFen?: number; readonly priceFen?: number } = OPEN,
): Promise<Account> {
  const { record, token, logonKey } = await buildAccount({
    settings: { name, services: ["verifyMobile"], dedupTtl: 60, ...limits, duplicatePolicy: policy },
    keyLength: 16,
    secret: worker.secret,
    now: new Date(),
  });
  const kv = await worker.mf.getKVNamespace("ACCOUNTS", "bench");
  await kv.put(tokenKey(record.tokenHash), JSON.stringify(tokenEntry(record)));
  await kv.put(accountKey(record.id), JSON.stringify(record));
  return { id: record.id, token, logonKey };
}

/** Gives the peer (bench/peer/) a gateway account: the same token and logon key, in its own KV. */
export async function seedPeerAccount(peer: Worker, account: Account): Promise<void> {
  const kv = await peer.mf.getKVNamespace("KV", "bench");
  await kv.put(`token:${account.token}`, JSON.stringify({ accountId: account.id, logonKey: account.logonKey }));
}
