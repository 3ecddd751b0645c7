// The circuit breaker through the router (docs/contract.md §5) with the real adapters, every
// upstream faked at the HTTP boundary: opening on a failure rate, probing, what counts as a fault,
// the 503 and the transitions reported to the caller.
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import type { BreakerEvent } from "../../src/upstream/breaker.ts";
import { route } from "../../src/upstream/router.ts";
import {
  CHAIN,
  JUHE,
  JUHE3,
  juhe3,
  LIMITS,
  MOBILE,
  match,
  TELECOM,
  TENCENT,
  tencent,
} from "../fixtures/upstream-chain.ts";
import { freshIsolate } from "../support/caller.ts";
import { juheError } from "../support/juhe-mock.ts";
import { mockUpstreams, tencentError, tencentResult } from "../support/upstream-mock.ts";

beforeEach(freshIsolate);

describe("the circuit breaker", () => {
  // docs/contract.md §5: opens at a failure rate of 50 % over at least 20 attempts, for 30 s.
  const OPENING = 20;
  const OPEN_MS = 30_000;
  /** A clock the test moves. */
  const clock = (start = 1_000_000) => {
    const c = { now: start, read: () => c.now };
    return c;
  };
  const quiet = () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
  };

  it("five faults do not open it", async () => {
    const time = clock();
    const network = mockUpstreams({ [JUHE3]: () => juheError(10014), [TENCENT]: () => tencentResult("0", "移动") });
    for (let i = 0; i < 5; i++) await route(CHAIN, MOBILE, LIMITS, time.read);
    const before = network.requests.length;
    await route(CHAIN, MOBILE, LIMITS, time.read);
    expect(network.asked().slice(before)).toEqual([JUHE3, TENCENT]);
  });

  it("Tencent's InvalidParameter answers are about the request: they never open it", async () => {
    const time = clock();
    const network = mockUpstreams({ [TENCENT]: () => tencentError("InvalidParameterValue.Phone") });
    for (let i = 0; i < OPENING + 5; i++) await route([tencent()], MOBILE, LIMITS, time.read);
    expect(network.requests.length).toBe(OPENING + 5);
  });

  it("an HTTP 4xx is about the request: it never opens it; a 5xx does", async () => {
    quiet();
    const time = clock();
    const network = mockUpstreams({
      [JUHE3]: () => new Response("no", { status: 400 }),
      [TENCENT]: () => new Response("down", { status: 500 }),
    });
    for (let i = 0; i < OPENING + 1; i++) await route([juhe3()], MOBILE, LIMITS, time.read);
    for (let i = 0; i < OPENING + 1; i++) await route([tencent()], MOBILE, LIMITS, time.read);
    const asked = (base: string) => network.asked().filter((b) => b === base).length;
    expect([asked(JUHE3), asked(TENCENT)]).toEqual([OPENING + 1, OPENING]);
  });

  it("opens at the failure rate over the minimum of attempts: the upstream is skipped, the next one answers", async () => {
    quiet();
    const time = clock();
    const network = mockUpstreams({ [JUHE3]: () => juheError(10014), [TENCENT]: () => tencentResult("0", "移动") });
    for (let i = 0; i < OPENING; i++) await route(CHAIN, MOBILE, LIMITS, time.read);
    const before = network.requests.length;
    const call = await route(CHAIN, MOBILE, LIMITS, time.read);
    expect([network.asked().slice(before), call.attempts.map((a) => a.upstream), call.outcome.ok]).toEqual([
      [TENCENT],
      ["tencent"],
      true,
    ]);
  });

  it("probes after 30 s; a good answer closes the circuit", async () => {
    quiet();
    const time = clock();
    let down = true;
    const network = mockUpstreams({
      [JUHE3]: () => (down ? juheError(10020) : match()),
      [TENCENT]: () => tencentResult("0"),
    });
    for (let i = 0; i < OPENING; i++) await route(CHAIN, MOBILE, LIMITS, time.read);
    time.now += OPEN_MS;
    down = false;
    const probe = network.requests.length;
    await route(CHAIN, MOBILE, LIMITS, time.read);
    await route(CHAIN, MOBILE, LIMITS, time.read);
    expect(network.asked().slice(probe)).toEqual([JUHE3, JUHE3]);
  });

  it("a probe that faults opens it for another 30 s", async () => {
    quiet();
    const time = clock();
    const network = mockUpstreams({ [JUHE3]: () => juheError(10020), [TENCENT]: () => tencentResult("0") });
    for (let i = 0; i < OPENING; i++) await route(CHAIN, MOBILE, LIMITS, time.read);
    time.now += OPEN_MS;
    await route(CHAIN, MOBILE, LIMITS, time.read); // the probe: juhe3 faults, tencent answers
    time.now += OPEN_MS - 1;
    const after = network.requests.length;
    await route(CHAIN, MOBILE, LIMITS, time.read);
    expect(network.asked().slice(after)).toEqual([TENCENT]);
  });

  it("'not my network' answers do not open it", async () => {
    const time = clock();
    const network = mockUpstreams({ [JUHE]: () => juheError(227304), [JUHE3]: match });
    for (let i = 0; i < OPENING + 1; i++) await route(CHAIN.slice(0, 2), TELECOM, LIMITS, time.read);
    expect(network.asked().filter((b) => b === JUHE).length).toBe(OPENING + 1);
  });

  it("reports the transitions to the listener the caller passes", async () => {
    quiet();
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    onTestFinished(() => info.mockRestore());
    const time = clock();
    let down = true;
    mockUpstreams({ [JUHE3]: () => (down ? juheError(10020) : match()) });
    const events: BreakerEvent[] = [];
    const options = { ...LIMITS, onBreakerEvent: (e: BreakerEvent) => events.push(e) };
    for (let i = 0; i < OPENING; i++) await route([juhe3()], MOBILE, options, time.read);
    const opened = time.now;
    time.now += OPEN_MS;
    down = false;
    await route([juhe3()], MOBILE, options, time.read);
    expect(events).toEqual([
      { upstream: "juhe3", state: "opened", at: opened, retryAt: opened + OPEN_MS },
      { upstream: "juhe3", state: "closed", at: opened + OPEN_MS },
    ]);
  });

  it("503 without any upstream call when every eligible circuit is open, naming it and when it is asked again", async () => {
    quiet();
    const time = clock();
    const network = mockUpstreams({ [JUHE3]: () => juheError(10020) });
    const only = [juhe3()];
    for (let i = 0; i < OPENING; i++) await route(only, MOBILE, LIMITS, time.read);
    time.now += 12_500;
    const before = network.requests.length;
    const call = await route(only, MOBILE, LIMITS, time.read);
    expect([network.requests.length - before, call]).toEqual([
      0,
      {
        outcome: { ok: false, code: "503", reason: "上游juhe3故障率过高，暂停调用，18秒后再试" },
        attempts: [],
        upstreamCode: null,
        latencyMs: null,
      },
    ]);
  });
});
