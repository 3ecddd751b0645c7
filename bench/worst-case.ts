// Worst-case input (docs/benchmark.md "Worst-case input"): the worker's cost per request for each
// adversarial body against a normal-sized 306, with the worker's one thread saturated (10
// connections), so cost = wall time / requests. A fixed number of requests per input, sized from
// one probe so that each input takes about a second, is sent and every answer awaited: an input
// that costs seconds is measured, not cut off while the worker still chews on it.
import autocannon from "autocannon";
import { ADVERSARIAL, type Input, TYPICAL } from "./adversarial.ts";
import { round } from "./load.ts";
import { classify, FORM, VERIFY_PATH } from "./workload.ts";

export type InputCost = { usPerRequest: number; requests: number; answers: Record<string, number> };
export type WorstCase = {
  /** Worst input's cost over the typical one's. */
  ratio: number;
  typicalUs: number;
  worstUs: number;
  worst: string;
  inputs: Record<string, InputCost>;
};

const CONNECTIONS = 10;
const MAX_REQUESTS = 5000;
const SLOW_MS = 100;

async function probeMs(url: URL, input: Input): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: FORM, body: input.body });
  await response.arrayBuffer();
  return performance.now() - started;
}

function saturate(base: URL, input: Input, amount: number): Promise<InputCost> {
  const answers: Record<string, number> = {};
  const started = performance.now();
  // Timed to the last answer: autocannon itself only notices the end at its next sample tick.
  let last = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base.href,
        connections: Math.min(CONNECTIONS, amount),
        amount,
        requests: [
          {
            method: "POST",
            path: VERIFY_PATH,
            headers: FORM,
            body: input.body,
            onResponse: (status: number, text: string) => {
              const answer = classify(status, text);
              answers[answer] = (answers[answer] ?? 0) + 1;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.errors) answers["transport error"] = result.errors;
        const done = result.requests.total;
        resolve({ usPerRequest: round(((last - started) * 1000) / Math.max(1, done), 1), requests: done, answers });
      },
    );
    instance.on("response", () => (last = performance.now()));
  });
}

/** Each input for about `seconds` (at least 3 requests, at most MAX_REQUESTS); typical first and last. */
export async function measureWorstCase(base: URL, seconds: number): Promise<WorstCase> {
  const url = new URL(VERIFY_PATH, base);
  const cost = async (input: Input) => {
    const first = await probeMs(url, input);
    // An input that costs this much needs no warming to be seen.
    const slow = first > SLOW_MS;
    const ms = slow ? first : await probeMs(url, input);
    // The probe is one request's latency, not its cost under load: aim at a few times more requests.
    const amount = Math.max(3, Math.min(MAX_REQUESTS, Math.round((seconds * 1000 * 4) / ms)));
    if (!slow) await saturate(base, input, Math.ceil(amount / 10)); // warm the path under the same load
    return saturate(base, input, amount);
  };
  const before = await cost(TYPICAL);
  const inputs: Record<string, InputCost> = {};
  for (const input of ADVERSARIAL) inputs[input.name] = await cost(input);
  const after = await cost(TYPICAL);
  const typicalUs = round((before.usPerRequest + after.usPerRequest) / 2, 1);
  const [worst, worstCost] = Object.entries(inputs).sort((a, b) => b[1].usPerRequest - a[1].usPerRequest)[0]!;
  inputs[TYPICAL.name] = {
    usPerRequest: typicalUs,
    requests: before.requests + after.requests,
    answers: mergeCounts(before.answers, after.answers),
  };
  return {
    ratio: round(worstCost.usPerRequest / typicalUs, 2),
    typicalUs,
    worstUs: worstCost.usPerRequest,
    worst,
    inputs,
  };
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [k, n] of Object.entries(b)) merged[k] = (merged[k] ?? 0) + n;
  return merged;
}
