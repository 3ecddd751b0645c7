// A request killed between the upstream's answer and its settlement (issue 18), through the Worker:
// juhe answers, the settlement never reaches the object (the process is gone), and the caller
// retries with the same requestId once the reservation's horizon has passed (docs/contract.md §6,
// §7): the retry is processed anew and billed once, and the dead request's row names juhe as
// maybe called, so a spend report can count the vendor's answer that was lost.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import app from "../../src/index.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { type Envelope, ORDER_HEADER } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { HELD_MS } from "../fixtures/reservation.ts";
import { API, createAccount, freshIsolate, logonBody, type TestAccount } from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const person = { idCard: withCheckDigit("11010119900101001"), userName: "张三", loginphone: "13800138000" };

/** The bindings with every settle() of the account objects lost, as when the process dies before it is sent. */
function settleNeverArrives(): Env {
  const namespace = env.ACCOUNT_OBJECTS;
  const get = (id: DurableObjectId) =>
    new Proxy(namespace.get(id), {
      get: (target, name) => (name === "settle" ? () => new Promise(() => {}) : Reflect.get(target, name)),
    });
  return {
    ...env,
    ...JUHE,
    ACCOUNT_OBJECTS: {
      idFromName: (name: string) => namespace.idFromName(name),
      get,
    } as unknown as Env["ACCOUNT_OBJECTS"],
  };
}

async function post(account: TestAccount, bindings: Env, settled: boolean) {
  const body = JSON.stringify({ ...(await logonBody(account, person)), requestId: "call-1" });
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
    bindings,
    ctx,
  );
  // A killed process runs nothing of what the request left in the background.
  if (settled) await waitOnExecutionContext(ctx);
  return { envelope: (await response.json()) as Envelope, orderNo: response.headers.get(ORDER_HEADER) };
}

afterEach(() => vi.useRealTimers());

it("lets the retry proceed after the horizon, bills it once, and names juhe in the dead request's row", async () => {
  freshIsolate();
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  const account = await createAccount({
    openingBalanceFen: 1000,
    services: { verifyMobile: { priceFen: 50, remaining: null } },
  });
  const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
  const dead = await post(account, settleNeverArrives(), false);
  const within = await post(account, { ...env, ...JUHE }, true);
  vi.setSystemTime(Date.now() + HELD_MS);
  freshIsolate();
  const retry = await post(account, { ...env, ...JUHE }, true);
  const object = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
  const today = chinaDay(Date.now());
  const rows = (await object.ledger(today, today, 10)).filter((r) => r.orderNo !== within.orderNo);
  expect({
    answers: [dead.envelope.errorCode, within.envelope.errorCode, retry.envelope.errorCode],
    juheCalls: juhe.requests.length,
    rows: rows.map((r) => [r.orderNo, r.errorCode, r.chargedFen, r.attempts.map((a) => [a.upstream, a.code])]),
    balance: (await object.state("verifyMobile", { balanceFen: 1000, remaining: null })).balanceFen,
  }).toEqual({
    answers: ["200", "309", "200"],
    juheCalls: 2,
    rows: [
      [dead.orderNo, "500", 0, [["juhe", null]]],
      [retry.orderNo, "200", 50, [["juhe", "0"]]],
    ],
    balance: 950,
  });
});
