// One account's ceiling (docs/benchmark.md "One account's ceiling"): everything an account does
// passes its one Durable Object, so the verify path's throughput for one account is measured
// against the same load spread over eight accounts (eight objects), on one worker, in one run.
// Target: one account sustains at least 0.8 × the eight accounts' rate (the object is not the
// bottleneck). Local workerd runs every object on the worker's own thread: this measures the
// object's own serialisation (its input gate, its SQLite writes), not Cloudflare's per-object limit.
// The two loads take turns in one-second slices, so a machine whose load changes during the run
// (other processes on shared cores) weighs on both alike instead of on whichever ran second.
import { type Measured, measure, percentile, round } from "./load.ts";
import { seedAccount, startWorker } from "./server.ts";
import type { Load } from "./side-by-side.ts";
import { IdentityPool, verifyPath } from "./workload.ts";

export const CEILING_ACCOUNTS = 8;

export type Ceiling = { one: Measured; spread: Measured; ratio: number };

export async function measureCeiling(script: string, load: Load, expectedRps: number): Promise<Ceiling> {
  const worker = await startWorker(script);
  try {
    const accounts = await Promise.all(
      Array.from({ length: CEILING_ACCOUNTS }, (_, i) => seedAccount(worker, `Ceiling ${i + 1}`, "reject")),
    );
    const spread = new IdentityPool(accounts);
    const one = new IdentityPool([accounts[0]!]);
    const slices = Math.max(1, Math.round(load.seconds));
    // A wrong answer during the warm-up makes the run invalid too.
    const warmUnexpected = { spread: 0, one: 0 };
    for (const which of ["spread", "one"] as const) {
      const pool = which === "one" ? one : spread;
      pool.fill(Math.ceil(2 * expectedRps * (load.warmupSeconds + load.seconds)) + 500);
      // The spread load first, so the one account's object is not the only one warmed up.
      warmUnexpected[which] = (
        await measure(worker.url, verifyPath(pool), load.warmupSeconds, load.connections)
      ).unexpected;
    }
    const runs = { spread: [] as Measured[], one: [] as Measured[] };
    const times = { spread: [] as number[], one: [] as number[] };
    for (let i = 0; i < slices; i++)
      for (const which of ["spread", "one"] as const) {
        const pool = which === "one" ? one : spread;
        runs[which].push(
          await measure(worker.url, verifyPath(pool), load.seconds / slices, load.connections, times[which]),
        );
      }
    const total = (which: "spread" | "one"): Measured => {
      const parts = runs[which];
      const requests = parts.reduce((a, m) => a + m.requests, 0);
      const seconds = parts.reduce((a, m) => a + m.requests / m.rps, 0);
      const answers: Record<string, number> = {};
      for (const m of parts) for (const [k, n] of Object.entries(m.answers)) answers[k] = (answers[k] ?? 0) + n;
      return {
        rps: round(requests / seconds, 1),
        p50Ms: percentile(times[which], 0.5),
        p99Ms: percentile(times[which], 0.99),
        requests,
        answers,
        unexpected: parts.reduce((a, m) => a + m.unexpected, warmUnexpected[which]),
      };
    };
    const [oneRate, spreadRate] = [total("one"), total("spread")];
    return { one: oneRate, spread: spreadRate, ratio: round(oneRate.rps / spreadRate.rps, 3) };
  } finally {
    await worker.dispose();
  }
}
