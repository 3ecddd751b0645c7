// Exact billing through the whole Worker: the account's Durable Object against concurrency,
// releases on every non-billable outcome, replays, and a ledger free of personal data.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { duplicateKey } from "../../src/duplicates/fingerprint.ts";
import app from "../../src/index.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import {
  API,
  createAccount,
  encryptLogon,
  freshIsolate,
  IV,
  logonBody,
  sendSettled,
  type TestAccount,
} from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const [zhang] = SANDBOX_PEOPLE;
const TODAY = chinaDay(Date.now());
const object = (account: TestAccount) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
const opening = (account: TestAccount) => ({
  balanceFen: account.record.openingBalanceFen,
  remaining: account.record.services.verifyMobile!.remaining,
});
const identity = (i: number) => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone: "13800138000",
});

const bodyFor = async (account: TestAccount, payload: unknown) => JSON.stringify(await logonBody(account, payload));

/** Posts through the app with its own execution context and waits for what it left in the background. */
async function post(body: string, vars: Record<string, string> = {}): Promise<Envelope> {
  return (await (await sendSettled(body, vars)).json()) as Envelope;
}

const send = async (account: TestAccount, payload: unknown, vars: Record<string, string> = {}) =>
  post(await bodyFor(account, payload), vars);

beforeEach(freshIsolate);

describe("a quota under concurrency", () => {
  it("bills exactly the quota when 10× as many requests arrive at once", async () => {
    // One phone, 200 ID numbers: a per-person budget that does not get in the way.
    const account = await createAccount({
      openingBalanceFen: 100_000,
      services: { verifyMobile: { priceFen: 35, remaining: 20 } },
      subjectBudget: 1000,
    });
    const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const configured = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => send(account, identity(i), configured)));
    const codes = answers.map((a) => a.errorCode);
    const ledger = await object(account).ledger(TODAY, TODAY, 1000);
    expect({
      ok: codes.filter((c) => c === "200").length,
      refused: codes.filter((c) => c === "313").length,
      upstreamCalls: juhe.requests.length,
      ledgerRows: ledger.length,
      charged: ledger.reduce((s, r) => s + r.chargedFen, 0),
      state: await object(account).state("verifyMobile", opening(account)),
    }).toEqual({
      ok: 20,
      refused: 180,
      upstreamCalls: 20,
      ledgerRows: 200,
      charged: 20 * 35,
      state: { balanceFen: 100_000 - 700, remaining: 0, reserved: 0 },
    });
  });
});

describe("balance and price", () => {
  it("104 once the balance is spent, known at the token check from then on", async () => {
    const account = await createAccount({
      openingBalanceFen: 50,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    const first = await send(account, identity(1));
    const second = await send(account, identity(2));
    expect([first.errorCode, second.errorCode, second.returnCode]).toEqual(["200", "104", ""]);
  });

  it("312 when the balance is below the price", async () => {
    const account = await createAccount({
      openingBalanceFen: 80,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    await send(account, identity(1));
    expect((await send(account, identity(2))).errorCode).toBe("312");
  });
});

describe("releases", () => {
  it.each([
    ["501", "13900000408"],
    ["502", "13900000500"],
    ["503", "13900000503"],
    ["504", "13900227301"],
    ["308", "13900227303"],
    ["310", "13900227304"],
  ])("%s holds nothing back and charges nothing", async (code, loginphone) => {
    const account = await createAccount({
      openingBalanceFen: 50,
      services: { verifyMobile: { priceFen: 50, remaining: 1 } },
    });
    const failed = await send(account, { ...identity(1), loginphone });
    const after = await send(account, identity(2));
    expect([
      failed.errorCode,
      after.errorCode,
      (await object(account).ledger(TODAY, TODAY, 10)).map((r) => r.chargedFen),
    ]).toEqual([code, "200", [0, 50]]);
  });
});

describe("exceptions", () => {
  it("releases the reservation when the upstream call throws, and answers 500", async () => {
    const account = await createAccount({
      openingBalanceFen: 100,
      services: { verifyMobile: { priceFen: 50, remaining: 1 } },
    });
    const body = await bodyFor(account, identity(1));
    const encrypt = vi.spyOn(crypto.subtle, "encrypt").mockRejectedValue(new Error("boom")); // juhe's ECB fields
    const failed = await post(body).finally(() => encrypt.mockRestore());
    const again = await post(body);
    expect([failed.errorCode, again.errorCode, await object(account).state("verifyMobile", opening(account))]).toEqual([
      "500",
      "200",
      { balanceFen: 50, remaining: 0, reserved: 0 },
    ]);
  });
});

describe("duplicates", () => {
  it("never bills a replay", async () => {
    const account = await createAccount({
      duplicatePolicy: "replay",
      openingBalanceFen: 1000,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    await send(account, identity(1));
    const again = await send(account, identity(1));
    expect([again.info, await object(account).state("verifyMobile", opening(account))]).toEqual([
      { orderNo: expect.any(String), matchCode: "22", carrier: "CMCC", billable: false, duplicate: true },
      { balanceFen: 950, remaining: null, reserved: 0 },
    ]);
  });

  it("answers 309 from the account's object when the edge cache has not seen the first answer yet", async () => {
    const account = await createAccount();
    const person = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
    await send(account, person);
    // Another edge: a fresh isolate, and KV has not propagated the duplicate entry there yet.
    freshIsolate();
    for (const { name } of (await env.DEDUP.list({ prefix: duplicateKey(account.record.id, "") })).keys)
      await env.DEDUP.delete(name);
    expect((await send(account, person)).errorCode).toBe("309");
  });
});

describe("the ledger", () => {
  it("has a row for every request of the account, billed or not, with no personal data", async () => {
    const account = await createAccount({ diagnostics: true }); // so the bad field is its own 306 (contract §2)
    const person = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
    await send(account, person);
    await send(account, person); // 309
    await send(account, { ...person, userName: "" }); // 306
    await send(account, { ...person, loginphone: "13900010020" }); // 503
    const ledger = await object(account).ledger(TODAY, TODAY, 10);
    const text = JSON.stringify(ledger);
    expect([
      ledger.map((r) => r.errorCode).sort(),
      [zhang.idCard, zhang.name, zhang.phone, "13900010020"].filter((s) => text.includes(s)),
    ]).toEqual([["200", "306", "309", "503"], []]);
  });

  it("is written by work handed to waitUntil, which outlives a caller who hangs up", async () => {
    const account = await createAccount();
    const background: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => void background.push(p),
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext;
    const body = JSON.stringify({
      token: account.token,
      iv: IV,
      logon: await encryptLogon(account.logonKey, identity(7)),
    });
    await app.fetch(
      new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
      env,
      ctx,
    );
    await Promise.all(background);
    expect((await object(account).ledger(TODAY, TODAY, 10)).map((r) => [r.errorCode, r.chargedFen])).toEqual([
      ["200", 0],
    ]);
  });
});
