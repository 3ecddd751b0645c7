// The abuse limits through the whole Worker, under concurrency (docs/contract.md §2, §8): the rate
// limit, the per-person budgets and the decryption-failure budget are counted exactly in the
// account's object, refuse before the upstream call and bill nothing; each request is in the
// ledger (a rate-limited one only in the rollups).

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOO_MANY_FAILURES_REASON } from "../../src/crypto/logon.ts";
import { chinaDay } from "../../src/platform/time.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount } from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const TODAY = chinaDay(Date.now());
const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const object = (account: TestAccount) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
const identity = (i: number, loginphone = "13800138000") => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone,
});

type Answer = { envelope: Envelope; retryAfter: string | null };

/** Posts through the app with its own execution context and waits for what it left in the background. */
async function post(account: TestAccount, payload: unknown, key = account.logonKey): Promise<Answer> {
  const response = await sendSettled(JSON.stringify(await logonBody(account, payload, key)), JUHE);
  return { envelope: (await response.json()) as Envelope, retryAfter: response.headers.get("Retry-After") };
}

const tally = <T>(items: T[], by: (item: T) => string | null) => {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const key = String(by(item));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

beforeEach(freshIsolate);

describe("the rate limit (502)", () => {
  it("admits ten seconds' worth of 40 requests sent at once; the rest 502 with Retry-After, unbilled, not asked upstream", async () => {
    const account = await createAccount({
      rateLimit: 2,
      subjectBudget: 1000,
      openingBalanceFen: 10_000,
      services: { verifyMobile: { priceFen: 10, remaining: null } },
    });
    const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(account, identity(i))));
    const refused = answers.filter((a) => a.envelope.errorCode === "502");
    const ledger = await object(account).ledger(TODAY, TODAY, 100);
    expect({
      codes: tally(answers, (a) => a.envelope.errorCode),
      upstreamCalls: juhe.requests.length,
      reasons: tally(refused, (a) => a.envelope.errorReason),
      retryAfter: tally(refused, (a) => a.retryAfter),
      ledger: tally(ledger, (r) => `${r.errorCode}/${r.chargedFen}`),
      usage: await object(account).usage(TODAY, TODAY),
    }).toEqual({
      codes: { "200": 20, "502": 20 },
      upstreamCalls: 20,
      reasons: { "请求过快：超过每秒2次的限额，请于1秒后重试": 20 },
      retryAfter: { "1": 20 },
      // Refusals past the rate limit cost no detail row: the rollups count them (docs/contract.md §8).
      ledger: { "200/10": 20 },
      usage: [
        { day: TODAY, errorCode: "200", requests: 20, billable: 20, chargedFen: 200 },
        { day: TODAY, errorCode: "502", requests: 20, billable: 0, chargedFen: 0 },
      ],
    });
  });

  it("puts no Retry-After on other answers", async () => {
    const account = await createAccount();
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    expect((await post(account, identity(1))).retryAfter).toBeNull();
  });
});

describe("the per-person budgets (309)", () => {
  it("lets one phone be checked against at most N identities, exactly when they arrive at once", async () => {
    const account = await createAccount({ subjectBudget: 3 });
    const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(2, "22"));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(account, identity(i))));
    expect([tally(answers, (a) => `${a.envelope.errorCode} ${a.envelope.errorReason}`), juhe.requests.length]).toEqual([
      { "200 null": 3, "309 该手机号24小时内已与过多不同身份核验，请求被拒绝": 7 },
      3,
    ]);
  });

  it("records a budget's 309 in the ledger as a refusal, not as a duplicate; a repeat's 309 as a duplicate", async () => {
    const account = await createAccount({ subjectBudget: 1 });
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    await post(account, identity(1));
    const repeat = await post(account, identity(1));
    const overBudget = await post(account, identity(2));
    const rows = await object(account).ledger(TODAY, TODAY, 10);
    expect([repeat.envelope.errorCode, overBudget.envelope.errorCode]).toEqual(["309", "309"]);
    expect(
      rows
        .filter((r) => r.errorCode === "309")
        .map((r) => r.duplicate)
        .sort(),
    ).toEqual([false, true]);
  });

  it("lets one ID number be checked against at most N identities", async () => {
    const account = await createAccount({ subjectBudget: 2 });
    mockJuhe("https://v.juhe.cn", () => juheMatch(2, "21"));
    const answers = [];
    for (const phone of ["13800138000", "13800138001", "13800138002"])
      answers.push(await post(account, identity(7, phone)));
    expect(answers.map((a) => [a.envelope.errorCode, a.envelope.errorReason])).toEqual([
      ["200", null],
      ["200", null],
      ["309", "该身份证号24小时内已与过多不同身份核验，请求被拒绝"],
    ]);
  });
});

describe("the decryption-failure budget (307)", () => {
  it("after 20 failures within a minute answers every request of the token with the budget's reason, without decrypting", async () => {
    const account = await createAccount();
    const other = await createAccount();
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const failures = await Promise.all(
      Array.from({ length: 25 }, (_, i) => post(account, identity(i), other.logonKey)),
    );
    const reasons = tally(
      failures,
      (a) => `${a.envelope.errorCode} ${a.envelope.errorReason === TOO_MANY_FAILURES_REASON ? "budget" : "fixed"}`,
    );

    const decrypt = vi.spyOn(crypto.subtle, "decrypt");
    const valid = await post(account, identity(100));
    const decrypted = decrypt.mock.calls.length;
    decrypt.mockRestore();
    // Another isolate has not seen the failures: the object refuses its valid request as well.
    freshIsolate();
    const elsewhere = await post(account, identity(101));
    const ledger = await object(account).ledger(TODAY, TODAY, 100);
    expect({
      reasons,
      valid: [valid.envelope.errorCode, valid.envelope.errorReason, decrypted],
      elsewhere: [elsewhere.envelope.errorCode, elsewhere.envelope.errorReason],
      ledger: tally(ledger, (r) => `${r.errorCode}/${r.chargedFen}`),
      otherAccount: (await post(other, identity(1))).envelope.errorCode,
    }).toEqual({
      reasons: { "307 fixed": 20, "307 budget": 5 },
      valid: ["307", TOO_MANY_FAILURES_REASON, 0],
      elsewhere: ["307", TOO_MANY_FAILURES_REASON],
      ledger: { "307/0": 27 },
      otherAccount: "200",
    });
  });
});

describe("104 stays first (docs/contract.md §4)", () => {
  it.each([
    ["a decryption failure", true, identity(1)],
    ["an invalid ID number", false, { ...identity(1), idCard: "110101199003074515" }],
  ])("on %s of an empty account this isolate knows nothing about", async (_name, wrongKey, payload) => {
    const account = await createAccount({ openingBalanceFen: 0 });
    const other = await createAccount();
    expect((await post(account, payload, wrongKey ? other.logonKey : account.logonKey)).envelope.errorCode).toBe("104");
  });

  it("before an account state that comes after it (a frozen, empty account)", async () => {
    const account = await createAccount({ openingBalanceFen: 0, status: "frozen" });
    expect((await post(account, identity(1))).envelope.errorCode).toBe("104");
  });
});
