// One account's ceiling (docs/benchmark.md "One account's ceiling"): everything an account does
// passes its one Durable Object, so the verify path's throughput for one account is measured
// against the same load spread over eight accounts (eight objects), on one worker, in one run.
// Target: one account sustains at least 0.8 × the eight accounts' rate (the object is not the
// bottleneck). Local workerd runs every object on the worker's own thread: this measures the
// object's own serialisation (its input gate, its SQLite writes), not Cloudflare's per-object limit.
import { type Measured, measure, round } from "./load.ts";
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
    const rate = async (pool: IdentityPool) => {
      pool.fill(Math.ceil(2 * expectedRps * (load.warmupSeconds + load.seconds)) + 500);
      const warm = await measure(worker.url, verifyPath(pool), load.warmupSeconds, load.connections);
      const measured = await measure(worker.url, verifyPath(pool), load.seconds, load.connections);
      measured.unexpected += warm.unexpected;
      return measured;
    };
    // The spread load first, so the one account's object is not the only one warmed up.
    const spread = await rate(new IdentityPool(accounts));
    const one = await rate(new IdentityPool([accounts[0]!]));
    return { one, spread, ratio: round(one.rps / spread.rps, 3) };
  } finally {
    await worker.dispose();
  }
}
