// One alert per incident, from the request path and the breaker to the webhook (docs/contract.md §11):
// real requests, the real desks and queue, the webhook faked at the HTTP boundary.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { scanExpiring } from "../../src/alerts/expiring.ts";
import { breakerAlerts } from "../../src/alerts/upstream-events.ts";
import { watchRequest } from "../../src/alerts/watch.ts";
import type { RequestLog } from "../../src/platform/log.ts";
import { addDays, chinaDay } from "../../src/platform/time.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import type { Attempt } from "../../src/upstream/upstream.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, encryptLogon, freshIsolate, IV, sendSettled, type TestAccount } from "../support/caller.ts";
import { fakeWebhook, shape } from "./webhook.ts";

const [zhang, li] = SANDBOX_PEOPLE;
const ZHANG = { idCard: zhang!.idCard, userName: zhang!.name, loginphone: zhang!.phone };
const LI = { idCard: li!.idCard, userName: li!.name, loginphone: li!.phone };

const verifySettled = async (account: TestAccount, identity: unknown, key = account.logonKey) =>
  sendSettled(JSON.stringify({ token: account.token, iv: IV, logon: await encryptLogon(key, identity) }));

async function inBackground(work: (ctx: ExecutionContext) => void): Promise<void> {
  const ctx = createExecutionContext();
  work(ctx);
  await waitOnExecutionContext(ctx);
}

describe("alert incidents", () => {
  it("sends balance.low once when a billed answer takes the balance to the threshold, not again while it stays low", async () => {
    const webhook = fakeWebhook();
    const account = await createAccount({
      openingBalanceFen: 120,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
      alertBalanceFen: 100,
    });
    await verifySettled(account, ZHANG);
    freshIsolate(); // a second isolate checks again: the desk already has the incident open
    await verifySettled(account, LI);
    const received = await webhook.deliveries(1);
    expect(received.map(shape)).toEqual([
      {
        type: "balance.low",
        accountId: account.record.id,
        upstream: null,
        data: { balanceFen: 70, thresholdFen: 100 },
        signed: true,
      },
    ]);
  });

  it("sends quota.low when the answers left reach the threshold", async () => {
    const webhook = fakeWebhook();
    const account = await createAccount({ services: { verifyMobile: { priceFen: 0, remaining: 3 } }, alertQuota: 2 });
    await verifySettled(account, ZHANG);
    const received = await webhook.deliveries(1);
    expect(received.map(shape)).toEqual([
      {
        type: "quota.low",
        accountId: account.record.id,
        upstream: null,
        data: { remaining: 2, threshold: 2 },
        signed: true,
      },
    ]);
  });

  it("sends nothing for an account without thresholds", async () => {
    const webhook = fakeWebhook();
    const account = await createAccount({
      openingBalanceFen: 10,
      services: { verifyMobile: { priceFen: 10, remaining: 0 } },
    });
    await verifySettled(account, ZHANG);
    expect(await webhook.deliveries(0)).toEqual([]);
  });

  it("sends account.abuse once when decryption failures pass the threshold (3 here), naming no person", {
    timeout: 30_000,
  }, async () => {
    const webhook = fakeWebhook();
    const account = await createAccount();
    await Promise.all(Array.from({ length: 5 }, () => verifySettled(account, ZHANG, "wrongwrongwrong1")));
    const received = await webhook.deliveries(1);
    expect(received.map(shape)).toEqual([
      {
        type: "account.abuse",
        accountId: account.record.id,
        upstream: null,
        data: {
          refusals: 5,
          rateLimited: 0,
          overBudget: 0,
          decryptionFailed: 5,
          threshold: 3,
          windowSeconds: 300,
        },
        signed: true,
      },
    ]);
    expect(JSON.stringify(received)).not.toContain(zhang!.idCard);
    // The refusals go on: the same incident, no second alert.
    await Promise.all(Array.from({ length: 5 }, () => verifySettled(account, ZHANG, "wrongwrongwrong1")));
    expect((await webhook.deliveries(2)).length).toBe(1);
  });

  it("sends account.abuse for the rate limit's 502s", { timeout: 30_000 }, async () => {
    const webhook = fakeWebhook();
    const account = await createAccount({ rateLimit: 1, subjectBudget: 1000 });
    const identity = (i: number) => ({
      idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
      userName: "张三",
      loginphone: "13800138000",
    });
    // A limit of 1/s over 10 s admits 10 at once; the other 4 are refused.
    await Promise.all(Array.from({ length: 14 }, (_, i) => verifySettled(account, identity(i))));
    const received = await webhook.deliveries(1);
    expect(received.map(shape)).toEqual([
      {
        type: "account.abuse",
        accountId: account.record.id,
        upstream: null,
        data: { refusals: 4, rateLimited: 4, overBudget: 0, decryptionFailed: 0, threshold: 3, windowSeconds: 300 },
        signed: true,
      },
    ]);
  });

  it("does not count an upstream's 502 or a duplicate's 309 as abuse", async () => {
    const webhook = fakeWebhook();
    const refusal = (errorCode: "502" | "309", duplicate: boolean): RequestLog => ({
      orderNo: "VM1",
      accountId: "acc_00000000000000ab",
      errorCode,
      returnCode: "0",
      reason: null,
      upstreamCode: null,
      upstreamMs: null,
      totalMs: 1,
      duplicate,
      billable: false,
      previousCredential: null,
    });
    const answered: Attempt = { upstream: "juhe", code: "10020", ms: 5, orderId: null };
    await inBackground((ctx) => {
      for (let i = 0; i < 4; i++) {
        watchRequest({ ...env }, ctx, refusal("502", false), [answered]);
        watchRequest({ ...env }, ctx, refusal("309", true), []);
      }
    });
    expect(await webhook.deliveries(0)).toEqual([]);
  });

  it("sends one circuit_opened for many isolates' breakers, then one circuit_closed", async () => {
    const webhook = fakeWebhook();
    const at = Date.now();
    await inBackground((ctx) => {
      const report = breakerAlerts(env, ctx);
      report({ upstream: "juhe3", state: "opened", at, retryAt: at + 30_000 });
      report({ upstream: "juhe3", state: "opened", at: at + 5 });
    });
    await inBackground((ctx) => {
      const report = breakerAlerts(env, ctx);
      report({ upstream: "juhe3", state: "closed", at: at + 40_000 });
      report({ upstream: "juhe3", state: "closed", at: at + 40_005 });
    });
    const received = await webhook.deliveries(2);
    expect(received.map(shape)).toEqual([
      {
        type: "upstream.circuit_opened",
        accountId: null,
        upstream: "juhe3",
        data: { retryAt: at + 30_000 },
        signed: true,
      },
      { type: "upstream.circuit_closed", accountId: null, upstream: "juhe3", data: {}, signed: true },
    ]);
  });

  it("sends upstream.error_rate when the fault share passes the threshold over enough attempts", async () => {
    const webhook = fakeWebhook();
    const entry: RequestLog = {
      orderNo: "VM1",
      accountId: null,
      errorCode: "503",
      returnCode: "0",
      reason: null,
      upstreamCode: null,
      upstreamMs: 5,
      totalMs: 6,
      duplicate: false,
      billable: false,
      previousCredential: null,
    };
    const fault: Attempt = { upstream: "tencent", code: null, ms: 5, orderId: null, fault: true };
    const answer: Attempt = { upstream: "tencent", code: "0", ms: 5, orderId: "t-1", fault: false };
    await inBackground((ctx) => {
      for (const attempts of [[fault], [answer], [fault], [fault, answer]])
        watchRequest({ ...env }, ctx, entry, attempts);
    });
    const received = await webhook.deliveries(1);
    expect(received.map(shape)).toEqual([
      {
        type: "upstream.error_rate",
        accountId: null,
        upstream: "tencent",
        data: { attempts: 5, faults: 3, percent: 60, thresholdPercent: 50, windowSeconds: 300 },
        signed: true,
      },
    ]);
  });

  it("sends account.expiring once per contract end within ALERT_EXPIRING_DAYS, from the hourly scan", async () => {
    const webhook = fakeWebhook();
    const today = chinaDay(Date.now());
    const ending = await createAccount({ contractEnd: addDays(today, 3) });
    await createAccount({ contractEnd: addDays(today, 30) });
    await createAccount({ contractEnd: addDays(today, 2), status: "offline" });
    const found = [await scanExpiring(env, Date.now()), await scanExpiring(env, Date.now())];
    const received = await webhook.deliveries(1);
    expect([found, received.map(shape)]).toEqual([
      [1, 0],
      [
        {
          type: "account.expiring",
          accountId: ending.record.id,
          upstream: null,
          data: { contractEnd: addDays(today, 3), daysLeft: 3 },
          signed: true,
        },
      ],
    ]);
  });
});
