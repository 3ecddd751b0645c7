// An account's object that is overloaded, reset or silent (docs/contract.md §7): the caller gets a
// 503 with Retry-After at once, nothing is billed, a reservation begin made before its answer was
// lost is withdrawn, and a retry with the same requestId is billed once. The object's namespace is
// the real one, wrapped so that chosen calls fail the way the platform fails them.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import app from "../../src/index.ts";
import { OBJECT_DEADLINE_MS } from "../../src/verify-mobile/object-call.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { API, createAccount, freshIsolate, logonBody, type TestAccount } from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const identity = { idCard: withCheckDigit("11010119900101001"), userName: "张三", loginphone: "13800138000" };
const OPENING = { balanceFen: null, remaining: 5 };
const BUSY = { errorCode: "503", errorReason: "账户服务暂时繁忙，请于2秒后重试", retryAfter: "2" };

const overloaded = () =>
  Object.assign(new Error("Durable Object is overloaded. Too many requests queued."), { overloaded: true });
const reset = () => Object.assign(new Error("Durable Object reset because its code was updated."), { retryable: true });

/** How a wrapped call fails: before reaching the object, after it answered (the answer lost), or never answering. */
type Fault = { method: string; when: "before" | "after" | "never"; error?: () => Error };

function faultyObjects(fault: Fault): Env["ACCOUNT_OBJECTS"] {
  const namespace = env.ACCOUNT_OBJECTS;
  const get = (id: DurableObjectId) =>
    new Proxy(namespace.get(id), {
      get: (target, method) => {
        const real = Reflect.get(target, method) as (...args: unknown[]) => Promise<unknown>;
        if (method !== fault.method) return real;
        return async (...args: unknown[]) => {
          if (fault.when === "never") return new Promise(() => {});
          if (fault.when === "after") await real(...args);
          throw (fault.error ?? overloaded)();
        };
      },
    });
  return { idFromName: (name: string) => namespace.idFromName(name), get } as unknown as Env["ACCOUNT_OBJECTS"];
}

const object = (account: TestAccount) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));

async function post(
  account: TestAccount,
  bindings: Partial<Env>,
  fields: Record<string, string> = {},
  key = account.logonKey,
): Promise<{ errorCode: string; errorReason: string | null; retryAfter: string | null }> {
  const ctx = createExecutionContext();
  const body = JSON.stringify({ ...(await logonBody(account, identity, key)), ...fields });
  const request = new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const response = await app.fetch(request, { ...env, ...JUHE, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  const envelope = (await response.json()) as Envelope;
  return {
    errorCode: envelope.errorCode,
    errorReason: envelope.errorReason,
    retryAfter: response.headers.get("Retry-After"),
  };
}

beforeEach(freshIsolate);

describe("an account object that fails", () => {
  it.each([
    ["overloaded", overloaded],
    ["reset", reset],
  ])("begin %s: 503 with Retry-After, not asked upstream, nothing held or billed", async (_name, error) => {
    const account = await createAccount({ services: { verifyMobile: { priceFen: 0, remaining: 5 } } });
    const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const answer = await post(account, { ACCOUNT_OBJECTS: faultyObjects({ method: "begin", when: "before", error }) });
    expect([answer, juhe.requests.length, await object(account).state("verifyMobile", OPENING)]).toEqual([
      BUSY,
      0,
      { balanceFen: null, remaining: 5, reserved: 0 },
    ]);
  });

  it("begin reserved but its answer was lost: 503, the reservation withdrawn; the retry with the requestId is billed once", async () => {
    const account = await createAccount({ services: { verifyMobile: { priceFen: 0, remaining: 5 } } });
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const lost = await post(
      account,
      { ACCOUNT_OBJECTS: faultyObjects({ method: "begin", when: "after", error: reset }) },
      { requestId: "order-1" },
    );
    const held = await object(account).state("verifyMobile", OPENING);
    const retried = await post(account, {}, { requestId: "order-1" });
    expect([lost, held, retried.errorCode, await object(account).state("verifyMobile", OPENING)]).toEqual([
      BUSY,
      { balanceFen: null, remaining: 5, reserved: 0 },
      "200",
      { balanceFen: null, remaining: 4, reserved: 0 },
    ]);
  });

  it("decryptionFailed overloaded: 503 with Retry-After instead of the 307", async () => {
    const account = await createAccount();
    const other = await createAccount();
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const faulty = faultyObjects({ method: "decryptionFailed", when: "before" });
    // Warm: the balance is known, so the failure's report is the only call.
    await post(account, {});
    expect(await post(account, { ACCOUNT_OBJECTS: faulty }, {}, other.logonKey)).toEqual(BUSY);
  });
});

describe("an account object that does not answer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(() => vi.useRealTimers());

  it(`begin silent: 503 with Retry-After after ${OBJECT_DEADLINE_MS} ms, not asked upstream`, async () => {
    const account = await createAccount();
    const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const body = JSON.stringify(await logonBody(account, identity));
    const request = new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    const bindings = { ...env, ...JUHE, ACCOUNT_OBJECTS: faultyObjects({ method: "begin", when: "never" }) };
    const pending = app.fetch(request, bindings, createExecutionContext());
    await vi.advanceTimersByTimeAsync(OBJECT_DEADLINE_MS);
    const response = await pending;
    const envelope = (await response.json()) as Envelope;
    expect([
      envelope.errorCode,
      envelope.errorReason,
      response.headers.get("Retry-After"),
      juhe.requests.length,
    ]).toEqual([BUSY.errorCode, BUSY.errorReason, BUSY.retryAfter, 0]);
  });
});
