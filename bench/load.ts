// One load run with autocannon's API, in this Node process (workerd is a separate process):
// requests/s, latency percentiles from every response's own time (autocannon's histogram keeps
// whole milliseconds only) and every response classified, so a run that measured the wrong
// answer is caught.
import autocannon from "autocannon";
import { classify, headersFor, type Path } from "./workload.ts";

export type Measured = {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses by answer (see classify), plus transport errors and timeouts. */
  answers: Record<string, number>;
  /** Responses other than the path's expected answer. */
  unexpected: number;
};

/** `times`, when given, gathers every response's time (ms) across several calls (see ceiling.ts). */
export function measure(
  base: URL,
  path: Path,
  seconds: number,
  connections: number,
  times: number[] = [],
): Promise<Measured> {
  const start = times.length;
  const answers: Record<string, number> = {};
  const count = (answer: string, n = 1) => (answers[answer] = (answers[answer] ?? 0) + n);
  const body = path.body;
  const request: autocannon.Request = {
    method: path.method,
    path: path.path,
    headers: headersFor(path),
    ...(typeof body === "string" ? { body } : {}),
    // Each request takes the next body (a fresh identity), shared by all connections.
    ...(typeof body === "function" ? { setupRequest: (r: autocannon.Request) => ({ ...r, body: body() }) } : {}),
    onResponse: (status: number, text: string) => count(classify(status, text)),
  };
  return new Promise((resolve, reject) => {
    // sampleInt 100 ms: the run stops within 0.1 s of its duration, not at the next whole second.
    const instance = autocannon(
      { url: base.href, connections, duration: seconds, sampleInt: 100, requests: [request] },
      (error, result) => {
        if (error) return reject(error);
        if (result.errors) count("transport error", result.errors);
        if (result.timeouts) count("timeout", result.timeouts);
        const own = times.slice(start);
        const total = Object.values(answers).reduce((a, b) => a + b, 0);
        resolve({
          rps: round(own.length / result.duration, 1),
          p50Ms: percentile(own, 0.5),
          p99Ms: percentile(own, 0.99),
          requests: own.length,
          answers,
          unexpected: total - (answers[path.expect] ?? 0),
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, ms) => times.push(ms));
  });
}

/** The `q` quantile of response times (ms), to the microsecond. */
export function percentile(times: number[], q: number): number {
  const sorted = times.toSorted((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN, 3);
}

export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
