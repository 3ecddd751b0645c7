// The Worker's startup CPU (docs/benchmark.md "Bundle and startup"): `wrangler check startup`
// builds the Worker as it deploys and profiles the evaluation of its global scope in local workerd;
// the active time is every profiler sample that is not idle. The platform refuses a Worker whose
// startup takes longer than 1 s (developers.cloudflare.com/changelog/2025-10-10-increased-startup-time);
// the target is ≤ 10 % of that. The local CPU is not Cloudflare's, so this is a ratio to watch, not
// a promise.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, WRANGLER } from "../scripts/lib/paths.ts";
import { round } from "./load.ts";
import { OUT } from "./server.ts";

export const STARTUP_LIMIT_MS = 1000;

type Profile = {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
};

/**
 * Milliseconds of non-idle samples in a V8 CPU profile: their count times the median sampling
 * interval, so a gap while the process waited for a core (2 shared cores here) is not charged as
 * startup work, as `wrangler check startup`'s own "Active" figure charges it.
 */
export function activeMs(profile: Profile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  const interval = [...profile.timeDeltas].sort((a, b) => a - b)[Math.floor(profile.timeDeltas.length / 2)] ?? 0;
  return (profile.samples.filter((s) => !idle.has(s)).length * interval) / 1000;
}

/** Profiles the startup `times` times; the median active time, and every run's. */
export function measureStartup(times = 3): { activeMs: number; runsMs: number[] } {
  const runsMs: number[] = [];
  for (let n = 0; n < times; n++) {
    const outfile = join(OUT, `startup-${n}.cpuprofile`);
    const r = spawnSync(process.execPath, [WRANGLER, "check", "startup", "--outfile", outfile], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    if (r.status !== 0) throw new Error(`wrangler check startup failed:\n${r.stdout}\n${r.stderr}`);
    runsMs.push(round(activeMs(JSON.parse(readFileSync(outfile, "utf8")) as Profile), 1));
  }
  return { activeMs: [...runsMs].sort((a, b) => a - b)[Math.floor((times - 1) / 2)]!, runsMs };
}
