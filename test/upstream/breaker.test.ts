// The circuit breaker's states with a fake clock (src/upstream/breaker.ts). The numbers are
// docs/contract.md §5's: a failure rate of at least 50 % over the last 60 s once at least 20
// attempts were counted opens it for 30 s; one probe then (the others told to come back in 1 s);
// a probe out for 60 s stops blocking.
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { admit, type BreakerEvent, record } from "../../src/upstream/breaker.ts";
import { freshIsolate } from "../support/caller.ts";

const T0 = 1_000_000;
const MIN_CALLS = 20;
const WINDOW_MS = 60_000;
const OPEN_MS = 30_000;

beforeEach(freshIsolate);

const quiet = () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const info = vi.spyOn(console, "log").mockImplementation(() => {});
  onTestFinished(() => {
    warn.mockRestore();
    info.mockRestore();
  });
  return { warn, info };
};

const calls = (upstream: string, n: number, fault: boolean, at = T0, events?: BreakerEvent[]) => {
  for (let i = 0; i < n; i++) record(upstream, fault, at, events ? (e) => events.push(e) : undefined);
};

/** Opens juhe's circuit at T0: 20 faults. */
const opened = () => calls("juhe", MIN_CALLS, true);

describe("closed", () => {
  it("five faults in a row do not open it: fewer calls than the minimum", () => {
    calls("juhe", 5, true);
    expect(admit("juhe", T0)).toBeNull();
  });

  it("19 faults do not open it; the 20th call does when half of them are faults", () => {
    quiet();
    calls("juhe", MIN_CALLS - 1, true);
    const before = admit("juhe", T0);
    calls("juhe", 1, true);
    expect([before, admit("juhe", T0)]).toEqual([null, T0 + OPEN_MS]);
  });

  it("opens at a 50 % failure rate over the minimum of calls", () => {
    quiet();
    calls("juhe", MIN_CALLS / 2, false);
    calls("juhe", MIN_CALLS / 2, true);
    expect(admit("juhe", T0)).toBe(T0 + OPEN_MS);
  });

  it("stays closed below a 50 % failure rate, however many faults", () => {
    calls("juhe", 60, false);
    calls("juhe", 59, true);
    expect(admit("juhe", T0)).toBeNull();
  });

  it("forgets calls older than the 60 s window", () => {
    calls("juhe", MIN_CALLS - 1, true, T0);
    calls("juhe", 1, true, T0 + WINDOW_MS + 10_000);
    expect(admit("juhe", T0 + WINDOW_MS + 10_000)).toBeNull();
  });

  it("counts each upstream on its own", () => {
    quiet();
    opened();
    expect([admit("juhe", T0), admit("juhe3", T0)]).toEqual([T0 + OPEN_MS, null]);
  });
});

describe("open", () => {
  it("skips the upstream for 30 s and says until when", () => {
    quiet();
    opened();
    expect([admit("juhe", T0), admit("juhe", T0 + OPEN_MS - 1)]).toEqual([T0 + OPEN_MS, T0 + OPEN_MS]);
  });

  it("logs the opening once, with the counts and when it is asked again", () => {
    const { warn } = quiet();
    calls("juhe", MIN_CALLS + 2, true);
    expect(warn.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { level: "warn", event: "circuit_opened", upstream: "juhe", calls: 20, faults: 20, retryAt: T0 + OPEN_MS },
    ]);
  });

  it("reports the opening to the listener", () => {
    quiet();
    const events: BreakerEvent[] = [];
    calls("juhe", MIN_CALLS + 2, true, T0, events);
    expect(events).toEqual([{ upstream: "juhe", state: "opened", at: T0, retryAt: T0 + OPEN_MS }]);
  });
});

describe("half-open", () => {
  it("after 30 s lets exactly one probe through", () => {
    quiet();
    opened();
    // While the probe is out, the others are told to come back in a second.
    expect([admit("juhe", T0 + OPEN_MS), admit("juhe", T0 + OPEN_MS), admit("juhe", T0 + OPEN_MS + 1000)]).toEqual([
      null,
      T0 + OPEN_MS + 1000,
      T0 + OPEN_MS + 2000,
    ]);
  });

  it("a probe that is not a fault closes the circuit, logged and reported", () => {
    const { info } = quiet();
    opened();
    admit("juhe", T0 + OPEN_MS);
    const events: BreakerEvent[] = [];
    record("juhe", false, T0 + OPEN_MS + 10, (e) => events.push(e));
    expect([admit("juhe", T0 + OPEN_MS + 11), admit("juhe", T0 + OPEN_MS + 11)]).toEqual([null, null]);
    expect(info.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { level: "info", event: "circuit_closed", upstream: "juhe" },
    ]);
    expect(events).toEqual([{ upstream: "juhe", state: "closed", at: T0 + OPEN_MS + 10 }]);
  });

  it("after closing, the window starts afresh", () => {
    quiet();
    opened();
    admit("juhe", T0 + OPEN_MS);
    record("juhe", false, T0 + OPEN_MS);
    calls("juhe", MIN_CALLS - 2, true, T0 + OPEN_MS);
    expect(admit("juhe", T0 + OPEN_MS)).toBeNull();
  });

  it("a probe that faults opens the circuit for another 30 s", () => {
    quiet();
    opened();
    const probe = T0 + OPEN_MS;
    admit("juhe", probe);
    const events: BreakerEvent[] = [];
    record("juhe", true, probe + 10, (e) => events.push(e));
    expect([admit("juhe", probe + 10 + OPEN_MS - 1), admit("juhe", probe + 10 + OPEN_MS)]).toEqual([
      probe + 10 + OPEN_MS,
      null,
    ]);
    expect(events).toEqual([{ upstream: "juhe", state: "opened", at: probe + 10, retryAt: probe + 10 + OPEN_MS }]);
  });

  it("an answer of a request admitted before the opening does not count as the probe", () => {
    quiet();
    opened();
    record("juhe", false, T0 + 5);
    expect(admit("juhe", T0 + 5)).toBe(T0 + OPEN_MS);
  });

  it("a probe that never reported back stops blocking after 60 s", () => {
    quiet();
    opened();
    admit("juhe", T0 + OPEN_MS);
    expect([admit("juhe", T0 + OPEN_MS + 59_999), admit("juhe", T0 + OPEN_MS + 60_000)]).toEqual([
      T0 + OPEN_MS + 60_999,
      null,
    ]);
  });
});

it("a fresh isolate starts with every circuit closed", () => {
  quiet();
  opened();
  freshIsolate();
  expect(admit("juhe", T0)).toBeNull();
});
