// The Worker as a caller or operator meets it: `wrangler dev` on a free port with temporary
// state and the sandbox upstream, its accounts made by the account command first (the command
// and the Worker share the local state and .dev.vars, as `npm run dev` does). For tests that run
// a browser or another language's client against real HTTP (the Node project, not workerd).
/// <reference types="node" />
import { execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureDevVars } from "../dev-vars.ts";
import { ROOT } from "./paths.ts";

const run = promisify(execFile);

export type LocalAccount = { accountId: string; token: string; logonKey: string };

export type LocalWorker = {
  /** e.g. http://127.0.0.1:41234 */
  readonly base: string;
  /** The ADMIN_TOKEN the Worker runs with (.dev.vars, created when missing). */
  readonly adminToken: string;
  readonly accounts: Record<string, LocalAccount>;
  stop(): void;
};

/**
 * Creates each account (`account create --local` with the given flags) in fresh local state, then
 * starts `wrangler dev` on it with `vars` overriding settings. Callers stop it in afterAll.
 */
export async function startWorker(
  accounts: Record<string, string[]> = {},
  vars: Record<string, string> = {},
): Promise<LocalWorker> {
  const { ADMIN_TOKEN } = ensureDevVars();
  const state = mkdtempSync(join(tmpdir(), "local-worker-"));
  const created: Record<string, LocalAccount> = {};
  for (const [name, flags] of Object.entries(accounts)) {
    const { stdout } = await run(
      process.execPath,
      [join(ROOT, "scripts/account.ts"), "create", "--local", "--persist-to", state, "--name", name, ...flags],
      { cwd: ROOT },
    );
    created[name] = JSON.parse(stdout) as LocalAccount;
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Its own process group, so stopping it stops workerd too. The sandbox is chosen here whatever
  // a developer's .dev.vars names; the secrets come from .dev.vars, like the account command's.
  const server = spawn(
    process.execPath,
    [
      join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      ...Object.entries({ UPSTREAMS: "sandbox", ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { cwd: ROOT, detached: true, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  const stop = () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
  };
  try {
    await waitFor(`${base}/healthz`);
  } catch (e) {
    stop();
    throw e;
  }
  return { base, adminToken: ADMIN_TOKEN!, accounts: created, stop };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .listen(0, "127.0.0.1", () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      })
      .on("error", reject);
  });
}

async function waitFor(url: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
  }
  throw new Error(`${url} did not answer within 60 s`);
}
