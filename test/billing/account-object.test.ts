// The account's Durable Object on its own: reservations, settlement, the duplicate window, credits,
// usage and the ledger, through its real RPC stub and SQLite storage.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

import type { BeginRequest, Opening, Settlement } from "../../src/billing/types.ts";
import { refusedRow } from "../fixtures/ledger.ts";
import { HELD_MS } from "../fixtures/reservation.ts";

let n = 0;
const object = () => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(`acc_test_${n++}`));
const NOW = Date.parse("2026-11-26T04:00:00Z"); // 12:00 in China
const open: Opening = { balanceFen: null, remaining: null };
const begin = (orderNo: string, patch: Partial<BeginRequest> = {}): BeginRequest => ({
  orderNo,
  service: "verifyMobile",
  priceFen: 50,
  opening: open,
  fingerprint: `fp-${orderNo}`,
  dedupTtl: 60,
  tokenHash: "t".repeat(64),
  limits: { rateLimit: null, subjectBudget: 10 },
  subjects: { phone: `phone-${orderNo}`, idCard: `id-${orderNo}` },
  requestKey: null,
  upstream: null,
  now: NOW,
  ...patch,
});
const stored = (orderNo: string) => ({ returnCode: "10000" as const, matchCode: "11" as const, orderNo, at: NOW });
const settled = (orderNo: string, billable: boolean, patch: Partial<Settlement> = {}): Settlement => ({
  orderNo,
  at: NOW,
  errorCode: billable ? "200" : "502",
  returnCode: billable ? "10000" : "0",
  upstreamOrderId: billable ? "J1" : null,
  upstreamCode: billable ? 0 : null,
  upstreamMs: 12,
  attempts: [],
  previousCredential: null,
  stored: billable ? stored(orderNo) : null,
  ...patch,
});

describe("begin", () => {
  it("reserves on an open account", async () => {
    expect(await object().begin(begin("o1"))).toEqual({ kind: "reserved", balanceFen: null });
  });

  it("refuses an empty balance with 104", async () => {
    expect(await object().begin(begin("o1", { opening: { balanceFen: 0, remaining: null } }))).toEqual({
      kind: "refused",
      code: "104",
      balanceFen: 0,
    });
  });

  it("refuses with 312 when reservations hold what the balance could pay", async () => {
    const o = object();
    const opening = { balanceFen: 100, remaining: null };
    await o.begin(begin("o1", { opening }));
    await o.begin(begin("o2", { opening }));
    expect(await o.begin(begin("o3", { opening }))).toEqual({ kind: "refused", code: "312", balanceFen: 100 });
  });

  it("refuses with 313 when reservations hold the last counts", async () => {
    const o = object();
    const opening = { balanceFen: null, remaining: 1 };
    await o.begin(begin("o1", { opening }));
    expect(await o.begin(begin("o2", { opening }))).toEqual({ kind: "refused", code: "313", balanceFen: null });
  });

  it("says an identical request is in flight (two edges at once)", async () => {
    const o = object();
    const [a, b] = await Promise.all([
      o.begin(begin("o1", { fingerprint: "same" })),
      o.begin(begin("o2", { fingerprint: "same" })),
    ]);
    expect([a.kind, b.kind]).toEqual(["reserved", "inFlight"]);
  });

  it("answers a duplicate with the stored result within the window", async () => {
    const o = object();
    await o.begin(begin("o1", { fingerprint: "same" }));
    await o.settle(settled("o1", true));
    expect(await o.begin(begin("o2", { fingerprint: "same", now: NOW + 59_000 }))).toEqual({
      kind: "duplicate",
      stored: stored("o1"),
      balanceFen: null,
    });
  });

  it("forgets the duplicate once the window has passed", async () => {
    const o = object();
    await o.begin(begin("o1", { fingerprint: "same" }));
    await o.settle(settled("o1", true));
    expect((await o.begin(begin("o2", { fingerprint: "same", now: NOW + 60_000 }))).kind).toBe("reserved");
  });

  it("starts from the opening terms only once", async () => {
    const o = object();
    await o.begin(begin("o1", { opening: { balanceFen: 500, remaining: 3 } }));
    await o.settle(settled("o1", true));
    expect(await o.state("verifyMobile", { balanceFen: 9999, remaining: 9999 })).toEqual({
      balanceFen: 450,
      remaining: 2,
      reserved: 0,
    });
  });
});

describe("settle", () => {
  it("charges a billable answer: price off the balance, one count off", async () => {
    const o = object();
    const opening = { balanceFen: 500, remaining: 10 };
    await o.begin(begin("o1", { opening }));
    await o.settle(settled("o1", true));
    expect(await o.state("verifyMobile", opening)).toEqual({ balanceFen: 450, remaining: 9, reserved: 0 });
  });

  it("releases anything else without charge", async () => {
    const o = object();
    const opening = { balanceFen: 500, remaining: 10 };
    await o.begin(begin("o1", { opening }));
    await o.settle(settled("o1", false));
    expect(await o.state("verifyMobile", opening)).toEqual({ balanceFen: 500, remaining: 10, reserved: 0 });
  });

  it("is idempotent", async () => {
    const o = object();
    const opening = { balanceFen: 500, remaining: null };
    await o.begin(begin("o1", { opening }));
    await o.settle(settled("o1", true));
    await o.settle(settled("o1", true));
    expect((await o.state("verifyMobile", opening)).balanceFen).toBe(450);
  });

  it("lists every upstream attempt in the ledger row", async () => {
    const o = object();
    const attempts = [
      { upstream: "juhe", code: "227301", ms: 40, orderId: null },
      { upstream: "juhe3", code: "0", ms: 55, orderId: "J2" },
    ];
    await o.begin(begin("o1"));
    await o.settle(settled("o1", true, { attempts }));
    expect((await o.ledger("2026-11-26", "2026-11-26", 10))[0]?.attempts).toEqual(attempts);
  });

  it("writes one ledger row with the charge and a fingerprint prefix", async () => {
    const o = object();
    await o.begin(begin("o1", { fingerprint: "f".repeat(64) }));
    await o.settle(settled("o1", true));
    expect(await o.ledger("2026-11-26", "2026-11-26", 10)).toEqual([
      {
        orderNo: "o1",
        at: NOW,
        service: "verifyMobile",
        errorCode: "200",
        returnCode: "10000",
        chargedFen: 50,
        duplicate: false,
        upstreamOrderId: "J1",
        upstreamCode: 0,
        upstreamMs: 12,
        fingerprintPrefix: "f".repeat(12),
        attempts: [],
        replayOf: null,
        previousCredential: null,
      },
    ]);
  });
});

describe("credit, usage and the alarm", () => {
  it("tops up balance and counts", async () => {
    const o = object();
    const opening = { balanceFen: 0, remaining: 0 };
    expect(await o.credit({ service: "verifyMobile", balanceFen: 1000, count: 5, opening, at: NOW })).toEqual({
      ok: true,
      state: { balanceFen: 1000, remaining: 5, reserved: 0 },
    });
  });

  it("never turns an unmetered account into a prepaid one by a balance credit", async () => {
    const o = object();
    expect(
      await o.credit({ service: "verifyMobile", balanceFen: 300, count: 0, opening: open, at: NOW }),
    ).toMatchObject({ ok: false });
    expect(await o.state("verifyMobile", open)).toEqual({ balanceFen: null, remaining: null, reserved: 0 });
  });

  it("starts a balance on an unprepaid account, and a count on an unmetered service, when the credit says so", async () => {
    const o = object();
    const credited = await o.credit({
      service: "verifyMobile",
      balanceFen: 300,
      count: 5,
      start: true,
      opening: open,
      at: NOW,
    });
    expect(credited).toEqual({ ok: true, state: { balanceFen: 300, remaining: 5, reserved: 0 } });
  });

  it("never turns an unmetered service into a metered one by a count credit", async () => {
    expect(
      await object().credit({ service: "verifyMobile", balanceFen: 0, count: 5, opening: open, at: NOW }),
    ).toMatchObject({ ok: false });
  });

  it("refuses a credit whose result leaves the safe integer range, changing nothing", async () => {
    const o = object();
    const opening = { balanceFen: Number.MAX_SAFE_INTEGER - 10, remaining: 0 };
    expect(await o.credit({ service: "verifyMobile", balanceFen: 11, count: 0, opening, at: NOW })).toMatchObject({
      ok: false,
    });
    expect((await o.state("verifyMobile", opening)).balanceFen).toBe(Number.MAX_SAFE_INTEGER - 10);
  });

  it("sums usage per China day and code, equal to the ledger", async () => {
    const o = object();
    for (const [id, billable] of [
      ["a", true],
      ["b", true],
      ["c", false],
    ] as const) {
      await o.begin(begin(id));
      await o.settle(settled(id, billable));
    }
    await o.recordMany([refusedRow("d", NOW)]);
    const ledger = await o.ledger("2026-11-26", "2026-11-26", 100);
    const usage = await o.usage("2026-11-26", "2026-11-26");
    expect(usage).toEqual([
      { day: "2026-11-26", errorCode: "200", requests: 2, billable: 2, chargedFen: 100 },
      { day: "2026-11-26", errorCode: "306", requests: 1, billable: 0, chargedFen: 0 },
      { day: "2026-11-26", errorCode: "502", requests: 1, billable: 0, chargedFen: 0 },
    ]);
    expect(usage.reduce((s, r) => s + r.chargedFen, 0)).toBe(ledger.reduce((s, r) => s + r.chargedFen, 0));
  });

  it("counts billable answers in usage even when the price is 0", async () => {
    const o = object();
    await o.begin(begin("a", { priceFen: 0 }));
    await o.settle(settled("a", true));
    expect(await o.usage("2026-11-26", "2026-11-26")).toEqual([
      { day: "2026-11-26", errorCode: "200", requests: 1, billable: 1, chargedFen: 0 },
    ]);
  });

  it("refuses 104 before answering a duplicate", async () => {
    const o = object();
    const opening = { balanceFen: 50, remaining: null };
    await o.begin(begin("o1", { opening, fingerprint: "same" }));
    await o.settle(settled("o1", true));
    expect((await o.begin(begin("o2", { opening, fingerprint: "same" }))).kind).toBe("refused");
  });

  it("releases a reservation an isolate left behind", async () => {
    const o = object();
    const opening = { balanceFen: 100, remaining: 1 };
    await o.begin(begin("o1", { opening, now: Date.now() - HELD_MS - 1 }));
    await runInDurableObject(o, (_instance, state) => state.storage.setAlarm(Date.now()));
    expect(await runDurableObjectAlarm(o)).toBe(true);
    expect(await o.state("verifyMobile", opening)).toEqual({ balanceFen: 100, remaining: 1, reserved: 0 });
  });
});
