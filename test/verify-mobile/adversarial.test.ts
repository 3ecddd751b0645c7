// Pre-auth CPU exhaustion (docs/contract.md §1): every body of the adversarial corpus gets its
// 306 through the Worker at a cost within a small multiple of a normal 306 of the same size.
// Costs are medians of several runs in this same test run, compared as a ratio, so a slow
// machine slows both sides. (Before the fix, 64 KiB of `=` then `A` cost ~0.9 s: hundreds ×.)
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/verify-mobile/request/body.ts";
import { errorDetail } from "../../src/wire/codes.ts";
import { ADVERSARIAL_BODIES, type AdversarialBody, NORMAL_306 } from "../fixtures/adversarial.ts";
import { send } from "../support/caller.ts";

const FORM = "application/x-www-form-urlencoded";
const RUNS = 7;
// The clock inside workerd ticks in whole milliseconds: each sample times a batch of requests.
const BATCH = 10;
const MAX_RATIO = 5;

const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;

async function answer({ body }: AdversarialBody) {
  return (await send(body, FORM)).envelope;
}

/** The wall time of one request: the median over RUNS batches of BATCH requests each. */
async function cost(entry: AdversarialBody): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    for (let j = 0; j < BATCH; j++) await answer(entry);
    times.push((performance.now() - started) / BATCH);
  }
  return median(times);
}

describe("the adversarial corpus", () => {
  it("is as large as the body cap allows", () => {
    for (const { name, body } of ADVERSARIAL_BODIES) {
      expect(new TextEncoder().encode(body).length, name).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(body.length, name).toBeGreaterThan(MAX_BODY_BYTES - 16);
    }
  });

  it.each([NORMAL_306, ...ADVERSARIAL_BODIES].map((entry) => [entry.name, entry] as const))(
    "%s gets its refusal",
    async (_name, entry) => {
      const { expected } = entry;
      const detail = expected.code === "306" ? errorDetail("306", expected.param) : errorDetail(expected.code);
      expect(await answer(entry)).toEqual({
        errorCode: expected.code,
        errorDetail: detail,
        errorReason: expected.reason,
        info: null,
        returnCode: "0",
        returnDesc: null,
      });
    },
  );

  it(`costs each body at most ${MAX_RATIO}× a normal 306`, async () => {
    await cost(NORMAL_306); // warm the isolate
    const normal = await cost(NORMAL_306);
    const ratios: Record<string, number> = {};
    for (const entry of ADVERSARIAL_BODIES) ratios[entry.name] = Math.round(((await cost(entry)) / normal) * 10) / 10;
    // Measured once more at the end, so drift during the run cannot make the baseline look cheap.
    const normalAgain = await cost(NORMAL_306);
    const baseline = Math.max(normal, normalAgain);
    const over = Object.entries(ratios).filter(([, ratio]) => (ratio * normal) / baseline > MAX_RATIO);
    expect(over, `normal 306: ${normal.toFixed(2)} ms; ratios ${JSON.stringify(ratios)}`).toEqual([]);
  }, 60_000);
});
