// Settlements that fail do not leave the ledger (docs/contract.md §7): the Worker retries them
// for about 3 s after the answer, then leaves them in the KV outbox, which the account's object
// applies before it would release the reservation as lost. The account's object is made
// unreachable for settle() only, by wrapping the binding the Worker is given.

import {
  createExecutionContext,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { RESERVATION_MARGIN_MS } from "../../src/billing/horizon.ts";
import { deferredSettlement, deferSettlement, outboxKey } from "../../src/billing/outbox.ts";
import app from "../../src/index.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { type Envelope, ORDER_HEADER } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { HELD_MS } from "../fixtures/reservation.ts";
import { API, createAccount, encryptLogon, freshIsolate, IV, type TestAccount } from "../support/caller.ts";

const TODAY = chinaDay(Date.now());
const object = (account: TestAccount) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
const identity = (i: number, loginphone = "13800138000") => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone,
});
const opening = { balanceFen: 1000, remaining: null };

/** The Worker's bindings with the account objects' settle() failing the first `failures` times. */
function unreachableSettle(failures: number): Env {
  let left = failures;
  const namespace = env.ACCOUNT_OBJECTS;
  const get = (id: DurableObjectId) => {
    const stub = namespace.get(id);
    return new Proxy(stub, {
      get: (target, name) =>
        name === "settle"
          ? async (...args: Parameters<typeof stub.settle>) => {
              if (left-- > 0) throw new Error("object unreachable");
              return target.settle(...args);
            }
          : Reflect.get(target, name),
    });
  };
  return {
    ...env,
    ACCOUNT_OBJECTS: {
      idFromName: (name: string) => namespace.idFromName(name),
      get,
    } as unknown as Env["ACCOUNT_OBJECTS"],
  };
}

/** Sends through the app with `bindings`, and runs the clock through everything left in the background. */
async function post(account: TestAccount, payload: unknown, bindings: Env): Promise<Envelope & { orderNo: string }> {
  const body = JSON.stringify({ token: account.token, iv: IV, logon: await encryptLogon(account.logonKey, payload) });
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
    bindings,
    ctx,
  );
  const background = waitOnExecutionContext(ctx);
  await vi.advanceTimersByTimeAsync(30_000);
  await background;
  return { ...((await response.json()) as Envelope), orderNo: response.headers.get(ORDER_HEADER)! };
}

beforeEach(() => {
  freshIsolate();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => vi.useRealTimers());

describe("a settlement that fails", () => {
  it("is retried until it lands: the ledger equals what the callers received", async () => {
    const account = await createAccount({
      openingBalanceFen: 1000,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    const answers = [];
    // The sandbox: a match (billable), an upstream fault (502) and no record (308); each settle fails 4 times first.
    for (const [i, phone] of [
      [1, "13800138000"],
      [2, "13900000500"],
      [3, "13900227303"],
      [4, "13800138000"],
    ] as const) {
      answers.push(await post(account, identity(i, phone), unreachableSettle(4)));
    }
    const ledger = await object(account).ledger(TODAY, TODAY, 10);
    expect({
      ledger: ledger.map((r) => [r.orderNo, r.errorCode, r.chargedFen]).sort(),
      state: await object(account).state("verifyMobile", opening),
    }).toEqual({
      ledger: answers.map((a) => [a.orderNo, a.errorCode, a.errorCode === "200" ? 50 : 0]).sort(),
      state: { balanceFen: 900, remaining: null, reserved: 0 },
    });
    expect(answers.map((a) => a.errorCode)).toEqual(["200", "502", "308", "200"]);
  });

  it("goes to the outbox when the object stays unreachable, and the alarm applies it instead of releasing the reservation", async () => {
    const account = await createAccount({
      openingBalanceFen: 1000,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    const answer = await post(account, identity(1), unreachableSettle(Number.POSITIVE_INFINITY));
    const { orderNo } = answer;
    const key = outboxKey(account.record.id, orderNo);
    const waiting = [await env.ACCOUNTS.get(key, "json"), await object(account).state("verifyMobile", opening)];

    // Five minutes on: the reservation is stale and the alarm runs.
    await runInDurableObject(object(account), (_instance, state) => {
      state.storage.sql.exec("UPDATE reservations SET until = until - ?", HELD_MS + 1);
    });
    vi.useRealTimers();
    expect(await runDurableObjectAlarm(object(account))).toBe(true);
    expect({
      waiting,
      answer: [answer.errorCode, answer.info?.billable],
      ledger: (await object(account).ledger(TODAY, TODAY, 10)).map((r) => [r.orderNo, r.errorCode, r.chargedFen]),
      state: await object(account).state("verifyMobile", opening),
      outbox: await env.ACCOUNTS.get(key),
    }).toEqual({
      waiting: [
        expect.objectContaining({ orderNo, errorCode: "200", stored: expect.objectContaining({ orderNo }) }),
        { balanceFen: 1000, remaining: null, reserved: 1 },
      ],
      answer: ["200", true],
      ledger: [[orderNo, "200", 50]],
      state: { balanceFen: 950, remaining: null, reserved: 0 },
      outbox: null,
    });
  });

  // An answer given at the upstream deadline is settled at most UPSTREAM_DEADLINE_MS after begin;
  // its reservation expires RESERVATION_MARGIN_MS later, when the alarm looks in the outbox. A
  // settlement still being retried then would reach the object after its reservation was released.
  it("reaches the outbox within the reservation's margin, so an answer given at the deadline is still charged", async () => {
    const account = await createAccount({
      openingBalanceFen: 1000,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    const body = JSON.stringify({
      token: account.token,
      iv: IV,
      logon: await encryptLogon(account.logonKey, identity(1)),
    });
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
      unreachableSettle(Number.POSITIVE_INFINITY),
      ctx,
    );
    const key = outboxKey(account.record.id, response.headers.get(ORDER_HEADER)!);
    let waitedMs = 0;
    while ((await env.ACCOUNTS.get(key)) === null && waitedMs < 30_000) {
      await vi.advanceTimersByTimeAsync(100);
      waitedMs += 100;
    }
    await waitOnExecutionContext(ctx);
    expect([(await response.json()) as Envelope, waitedMs < RESERVATION_MARGIN_MS]).toEqual([
      expect.objectContaining({ errorCode: "200" }),
      true,
    ]);
  });

  it("leaves no personal data in the outbox", async () => {
    const account = await createAccount();
    const person = identity(1);
    const answer = await post(account, person, unreachableSettle(Number.POSITIVE_INFINITY));
    const text = await env.ACCOUNTS.get(outboxKey(account.record.id, answer.orderNo), "text");
    expect([
      text !== null,
      [person.idCard, person.userName, person.loginphone].filter((s) => text?.includes(s)),
    ]).toEqual([true, []]);
  });

  it("keeps the rotated credential and each attempt's fault; reads one deferred before them as none and unknown", async () => {
    const settlement = {
      orderNo: "VM-outbox-1",
      at: Date.now(),
      errorCode: "504",
      returnCode: "0",
      upstreamOrderId: null,
      upstreamCode: null,
      upstreamMs: 5000,
      attempts: [{ upstream: "juhe3", code: "10020", ms: 5, orderId: null, fault: true }],
      previousCredential: "key",
      stored: null,
    } as const;
    await deferSettlement(env.ACCOUNTS, "acc_outbox", settlement);
    const { previousCredential: _, ...older } = {
      ...settlement,
      orderNo: "VM-outbox-2",
      attempts: [{ upstream: "juhe3", code: "10020", ms: 5, orderId: null }],
    };
    await env.ACCOUNTS.put(outboxKey("acc_outbox", older.orderNo), JSON.stringify(older));
    expect([
      await deferredSettlement(env.ACCOUNTS, "acc_outbox", settlement.orderNo),
      await deferredSettlement(env.ACCOUNTS, "acc_outbox", older.orderNo),
    ]).toEqual([settlement, { ...older, previousCredential: null }]);
  });
});
