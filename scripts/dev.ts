// `npm run dev -- [wrangler dev flags]`: makes sure .dev.vars and the local demo account exist,
// then runs `wrangler dev` with exactly the caller's flags (this script fixes none of --port,
// --ip, --persist-to, --inspector-port), forwarding signals and the exit code.
import { spawn } from "node:child_process";
import { DEMO, ensureDemoAccount } from "./demo-account.ts";
import { ensureDevVars } from "./dev-vars.ts";
import { devServerOf, recordDevServer } from "./lib/local-dev.ts";
import { ROOT, WRANGLER } from "./lib/paths.ts";

const args = process.argv.slice(2);
const local = !args.some((a) => a === "--remote" || a === "-r" || a === "--help" || a === "-h");

try {
  ensureDevVars();
  if (local) {
    await ensureDemoAccount(args);
    const port = args.find((a, i) => args[i - 1] === "--port" || a.startsWith("--port="))?.replace(/^--port=/, "");
    const url = port && port !== "8787" ? ` -- --url http://127.0.0.1:${port}` : "";
    console.error(
      `[dev] demo account ${DEMO.accountId}: token ${DEMO.token}, logonKey ${DEMO.logonKey}; try \`npm run demo${url}\``,
    );
  }
} catch (e) {
  console.error(
    `[dev] could not prepare the demo account (${e instanceof Error ? e.message : String(e)}); starting anyway`,
  );
}

/**
 * wrangler dev reaches out twice on start: Miniflare fetches the `Request.cf` sample from
 * workers.cloudflare.com (a stack trace when offline) and wrangler sends telemetry. Neither matters
 * locally; both are off unless the caller's environment says otherwise.
 */
const QUIET_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } as const;

const child = spawn(process.execPath, [WRANGLER, "dev", ...args], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...QUIET_ENV, ...process.env },
});

// The account command's --local finds this server's state and URL through this record.
const forget = local && child.pid ? recordDevServer(devServerOf(args, child.pid)) : () => {};

const forward = (signal: NodeJS.Signals) => () => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward(signal));

child.on("error", (e) => {
  console.error(`[dev] could not start wrangler: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  forget();
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
