// No request may await a promise or use an I/O object another request created: workerd cancels
// such requests in production. The worker as it deploys runs in workerd (Miniflare), whose own
// warnings reach us only here, outside the vitest pool; 25 s of the soak's mixed load (bench/mix.ts)
// must leave no such line. (The shared ledger flush this replaced logged its first ones after
// about 15 s of this load, and 502 in 25 s.)
/// <reference types="node" />
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogCounter, Mix } from "../../bench/mix.ts";
import { build, startWorker, type Worker } from "../../bench/server.ts";

const out = mkdtempSync(join(tmpdir(), "vm-contexts-"));
const logs = new LogCounter();
let worker: Worker;

beforeAll(async () => {
  worker = await startWorker(build(out).script, { onLog: logs.onLog });
}, 120_000);
afterAll(async () => {
  await worker?.dispose();
  rmSync(out, { recursive: true, force: true });
});

describe("concurrent mixed requests", () => {
  it("never make the runtime cancel work shared across request contexts", async () => {
    const mix = await Mix.seed(worker);
    await mix.run(25_000, 120, 14);
    // Settlements and ledger flushes run after the answers.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect({ problems: logs.problems, samples: logs.samples }).toEqual({ problems: 0, samples: [] });
    // Every request answered in the envelope, none with our own fault.
    expect(
      Object.keys(mix.answers).filter((a) => a === "500" || a === "transport error" || a.startsWith("http")),
    ).toEqual([]);
  }, 120_000);
});
