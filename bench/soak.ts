// `npm run soak -- --minutes N` (default 2): the mixed load of bench/mix.ts against the worker as
// it deploys, counting the runtime's complaints about work shared across requests ("Promise will
// never complete", "different request context", "hung"). Exits non-zero when there is any.
// SOAK_RATE (requests/s, default 120) and SOAK_CONNECTIONS (most in flight at once, default 14).
// `--crash`: kills and restarts the worker halfway, then reconciles from the ledger export
// (bench/soak-crash.ts); exits non-zero when anything does not reconcile.
import { round } from "./load.ts";
import { LogCounter, Mix } from "./mix.ts";
import { build, startWorker } from "./server.ts";
import { crashSoak } from "./soak-crash.ts";

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const positive = (text: string | undefined, fallback: number, name: string) => {
  const v = Number(text ?? fallback);
  if (!(v > 0)) throw new Error(`${name} must be a positive number`);
  return v;
};
const MINUTES = positive(arg("minutes"), 2, "--minutes");
const RATE = positive(process.env.SOAK_RATE, 120, "SOAK_RATE");
const CONNECTIONS = positive(process.env.SOAK_CONNECTIONS, 14, "SOAK_CONNECTIONS");

console.log(
  `building with wrangler deploy --dry-run; soak of ${MINUTES} min at ${RATE} requests/s, at most ${CONNECTIONS} in flight`,
);
if (process.argv.includes("--crash")) process.exit((await crashSoak(MINUTES, RATE, CONNECTIONS)) ? 0 : 1);
const { script } = build();
const logs = new LogCounter();
const worker = await startWorker(script, { onLog: logs.onLog });
process.once("SIGINT", () => void worker.dispose().finally(() => process.exit(130)));
const mix = await Mix.seed(worker);

const started = Date.now();
await mix.run(MINUTES * 60_000, RATE, CONNECTIONS, (sent) =>
  console.log(`${round((Date.now() - started) / 60_000, 1)} min: ${sent} requests, ${logs.problems} problem lines`),
);
// The last requests' settlements and ledger flushes run after their answers.
await new Promise((resolve) => setTimeout(resolve, 2_000));
await worker.dispose();

const seconds = (Date.now() - started) / 1000;
console.log(
  `\n${mix.sent} requests in ${round(seconds, 1)} s (${round(mix.sent / seconds, 1)}/s): ${JSON.stringify(mix.answers)}`,
);
console.log(
  `runtime log lines: ${logs.total}; "Promise will never complete" / "different request context" / "hung": ${logs.problems}`,
);
for (const sample of logs.samples) console.log(`  ${sample}`);
console.log(
  logs.problems === 0
    ? "zero: no request awaited another request's work"
    : "NON-ZERO: requests shared work across request contexts",
);
process.exit(logs.problems === 0 ? 0 : 1);
