// The circuit breaker's states with a fake clock (src/upstream/breaker.ts, docs/contract.md §5).
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { admit, FAILURES_TO_OPEN, OPEN_MS, record } from "../../src/upstream/breaker.ts";
import { freshIsolate } from "../support/caller.ts";

const T0 = 1_000_000;

beforeEach(freshIsolate);

const faults = (upstream: string, n: number, at = T0) => {
  for (let i = 0; i < n; i++) record(upstream, true, at);
};

describe("closed", () => {
  it("admits every request while fewer than 5 faults in a row", () => {
    faults("juhe", FAILURES_TO_OPEN - 1);
    expect([admit("juhe", T0), admit("juhe", T0), admit("juhe", T0)]).toEqual([true, true, true]);
  });

  it("an answer that is not a fault resets the count", () => {
    faults("juhe", FAILURES_TO_OPEN - 1);
    record("juhe", false, T0);
    faults("juhe", FAILURES_TO_OPEN - 1);
    expect(admit("juhe", T0)).toBe(true);
  });

  it("counts each upstream on its own", () => {
    faults("juhe", FAILURES_TO_OPEN);
    expect([admit("juhe", T0), admit("juhe3", T0)]).toEqual([false, true]);
  });
});

describe("open", () => {
  it("opens after 5 consecutive faults and skips the upstream for 30 s", () => {
    faults("juhe", FAILURES_TO_OPEN);
    expect([admit("juhe", T0), admit("juhe", T0 + OPEN_MS - 1)]).toEqual([false, false]);
  });

  it("logs the opening once", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
    faults("juhe", FAILURES_TO_OPEN + 2);
    expect(warn.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { level: "warn", event: "circuit_opened", upstream: "juhe", failures: 5 },
    ]);
  });
});

describe("half-open", () => {
  it("after 30 s lets exactly one probe through", () => {
    faults("juhe", FAILURES_TO_OPEN);
    expect([admit("juhe", T0 + OPEN_MS), admit("juhe", T0 + OPEN_MS), admit("juhe", T0 + OPEN_MS + 1000)]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("a probe that is not a fault closes the circuit", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    onTestFinished(() => info.mockRestore());
    faults("juhe", FAILURES_TO_OPEN);
    admit("juhe", T0 + OPEN_MS);
    record("juhe", false, T0 + OPEN_MS + 10);
    expect([admit("juhe", T0 + OPEN_MS + 11), admit("juhe", T0 + OPEN_MS + 11)]).toEqual([true, true]);
    expect(info.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { level: "info", event: "circuit_closed", upstream: "juhe" },
    ]);
  });

  it("a probe that faults opens the circuit for another 30 s", () => {
    faults("juhe", FAILURES_TO_OPEN);
    const probe = T0 + OPEN_MS;
    admit("juhe", probe);
    record("juhe", true, probe + 10);
    expect([admit("juhe", probe + 10 + OPEN_MS - 1), admit("juhe", probe + 10 + OPEN_MS)]).toEqual([false, true]);
  });

  it("a probe that never reported back stops blocking after 60 s", () => {
    faults("juhe", FAILURES_TO_OPEN);
    admit("juhe", T0 + OPEN_MS);
    expect([admit("juhe", T0 + OPEN_MS + 59_999), admit("juhe", T0 + OPEN_MS + 60_000)]).toEqual([false, true]);
  });
});

it("a fresh isolate starts with every circuit closed", () => {
  faults("juhe", FAILURES_TO_OPEN);
  freshIsolate();
  expect(admit("juhe", T0)).toBe(true);
});
