// A request that dies between begin and settle (its isolate killed, docs/contract.md §7): its
// reservation lasts UPSTREAM_DEADLINE_MS plus the margin from begin, and no longer. Each test
// abandons the work after begin, as a killed process does, and shows the object's state afterwards.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { AccountObject } from "../../src/billing/account-object.ts";
import type { BeginRequest, Opening, Settlement } from "../../src/billing/types.ts";
import { HELD_MS } from "../fixtures/reservation.ts";

let n = 0;
const object = () => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(`acc_expiry_${n++}`));
const NOW = Date.parse("2026-11-26T04:00:00Z");
const DAY = "2026-11-26";
const opening: Opening = { balanceFen: 100, remaining: null };
const begin = (orderNo: string, patch: Partial<BeginRequest> = {}): BeginRequest => ({
  orderNo,
  service: "verifyMobile",
  priceFen: 50,
  opening,
  fingerprint: "fp-person",
  dedupTtl: 60,
  tokenHash: "t".repeat(64),
  limits: { rateLimit: null, subjectBudget: 10 },
  subjects: { phone: "phone-1", idCard: "id-1" },
  requestKey: "request-key-1",
  upstream: "juhe",
  now: NOW,
  ...patch,
});
const billable = (orderNo: string, at: number): Settlement => ({
  orderNo,
  at,
  errorCode: "200",
  returnCode: "10000",
  upstreamOrderId: `J-${orderNo}`,
  upstreamCode: 0,
  upstreamMs: 12,
  attempts: [{ upstream: "juhe", code: "0", ms: 12, orderId: `J-${orderNo}` }],
  previousCredential: null,
  stored: { returnCode: "10000", matchCode: "11", orderNo, at },
});
const ledgerOf = async (o: ReturnType<typeof object>) =>
  (await o.ledger(DAY, DAY, 10)).map((r) => [r.orderNo, r.errorCode, r.chargedFen]);

describe("a reservation whose request died", () => {
  it("still answers 309 in flight to a retry with its requestId within the horizon", async () => {
    const o = object();
    await o.begin(begin("dead"));
    expect(await o.begin(begin("retry", { now: NOW + HELD_MS - 1 }))).toEqual({
      kind: "inFlight",
      orderNo: "dead",
      balanceFen: 100,
    });
  });

  it("lets the retry with the same requestId proceed once the horizon has passed, without waiting for the alarm", async () => {
    const o = object();
    await o.begin(begin("dead"));
    expect(await o.begin(begin("retry", { now: NOW + HELD_MS }))).toEqual({ kind: "reserved", balanceFen: 100 });
  });

  it("lets an identical request without requestId proceed once the horizon has passed", async () => {
    const o = object();
    await o.begin(begin("dead", { requestKey: null }));
    expect(await o.begin(begin("repeat", { requestKey: null, now: NOW + HELD_MS }))).toEqual({
      kind: "reserved",
      balanceFen: 100,
    });
  });

  it("no longer holds the balance once the horizon has passed", async () => {
    const o = object();
    const poor = { balanceFen: 50, remaining: null };
    await o.begin(begin("dead", { opening: poor }));
    expect(
      await o.begin(begin("other", { opening: poor, fingerprint: "fp-other", requestKey: null, now: NOW + HELD_MS })),
    ).toEqual({ kind: "reserved", balanceFen: 50 });
  });

  it("is recorded as an uncharged 500 when begin releases it, and the retry is billed once", async () => {
    const o = object();
    await o.begin(begin("dead"));
    await o.begin(begin("retry", { now: NOW + HELD_MS }));
    await o.settle(billable("retry", NOW + HELD_MS));
    // The dead request's settlement arriving after all (a process that was only stalled): billed at most once.
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    await o.settle(billable("dead", NOW + HELD_MS + 1));
    const warned = warnings.mock.calls.map(([line]) => (JSON.parse(String(line)) as { event: string }).event);
    warnings.mockRestore();
    expect({ warned, ledger: await ledgerOf(o), state: await o.state("verifyMobile", opening) }).toEqual({
      warned: ["settle_after_expiry"],
      ledger: [
        ["dead", "500", 0],
        ["retry", "200", 50],
      ],
      state: { balanceFen: 50, remaining: null, reserved: 0 },
    });
  });

  it("sets the alarm to the horizon, and the alarm releases it there", async () => {
    const o = object();
    const now = Date.now();
    await o.begin(begin("dead", { now }));
    const alarm = await runInDurableObject(o, (_instance, state) => state.storage.getAlarm());
    await runInDurableObject(o, (instance: AccountObject, state) => {
      instance.clock = () => now + HELD_MS;
      return state.storage.setAlarm(Date.now());
    });
    expect(await runDurableObjectAlarm(o)).toBe(true);
    expect({ alarm, reserved: (await o.state("verifyMobile", opening)).reserved }).toEqual({
      alarm: now + HELD_MS,
      reserved: 0,
    });
  });

  it("names in its ledger row the upstream its request asked first, as an attempt with no answer", async () => {
    const o = object();
    await o.begin(begin("dead"));
    await o.begin(begin("retry", { now: NOW + HELD_MS }));
    const [row] = await o.ledger(DAY, DAY, 1);
    expect(row).toMatchObject({
      orderNo: "dead",
      errorCode: "500",
      chargedFen: 0,
      attempts: [{ upstream: "juhe", code: null, ms: HELD_MS, orderId: null }],
    });
  });

  it("names no upstream when its request was to ask none", async () => {
    const o = object();
    await o.begin(begin("dead", { upstream: null }));
    await o.begin(begin("retry", { now: NOW + HELD_MS }));
    expect((await o.ledger(DAY, DAY, 1))[0]?.attempts).toEqual([]);
  });
});
