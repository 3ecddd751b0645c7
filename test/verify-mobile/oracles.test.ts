// The membership oracles inside an account (docs/contract.md §8): every request past the token check
// draws from the account's rate limit before anything the account remembers can answer it, so a
// caller with the token and key learns nothing faster than the rate. The clock is frozen, so the
// rate admits exactly ten seconds' worth and nothing more.

import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chinaDay } from "../../src/platform/time.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount } from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const PHONE = "13800138000";
const identity = (i: number) => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone: PHONE,
});
const TOO_FAST_1 = "请求过快：超过每秒1次的限额，请于1秒后重试";
const PHONE_BUDGET = "该手机号24小时内已与过多不同身份核验，请求被拒绝";

type Answer = { code: string; reason: string | null; retryAfter: string | null };

async function post(account: TestAccount, payload: unknown, fields: Record<string, string> = {}): Promise<Answer> {
  const body = JSON.stringify({ ...(await logonBody(account, payload)), ...fields });
  const response = await sendSettled(body, JUHE);
  const envelope = (await response.json()) as Envelope;
  return { code: envelope.errorCode, reason: envelope.errorReason, retryAfter: response.headers.get("Retry-After") };
}

const count = (answers: Answer[]) => {
  const counts: Record<string, number> = {};
  for (const { code } of answers) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

beforeEach(() => {
  freshIsolate();
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
});
afterEach(() => vi.useRealTimers());

describe("a per-person budget's membership", () => {
  it("past the rate, the identity already counted answers 502 like every other guess, not the repeat's 309", async () => {
    const account = await createAccount({ rateLimit: 1, subjectBudget: 1 });
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const counted = await post(account, identity(1));
    // Nine guesses spend the phone's budget and the rate's ten seconds.
    const guesses = [];
    for (let i = 2; i <= 10; i++) guesses.push(await post(account, identity(i)));
    const after = [
      await post(account, identity(1)),
      await post(account, identity(11)),
      await post(account, identity(1)),
    ];
    expect([counted.code, guesses.map((g) => g.reason), after]).toEqual([
      "200",
      Array(9).fill(PHONE_BUDGET),
      Array(3).fill({ code: "502", reason: TOO_FAST_1, retryAfter: "1" }),
    ]);
  });

  it("counts a 502 answered in the isolate in the object's rollups, with no detail row", async () => {
    const account = await createAccount({ rateLimit: 1 });
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    for (let i = 0; i < 10; i++) await post(account, identity(1));
    const refused = await post(account, identity(1));
    const object = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
    const today = chinaDay(Date.now());
    const rows = await object.ledger(today, today, 100);
    expect([refused.code, rows.filter((r) => r.errorCode === "502").length, await object.usage(today, today)]).toEqual([
      "502",
      0,
      [
        { day: today, errorCode: "200", requests: 1, billable: 1, chargedFen: expect.any(Number) },
        { day: today, errorCode: "309", requests: 9, billable: 0, chargedFen: 0 },
        { day: today, errorCode: "502", requests: 1, billable: 0, chargedFen: 0 },
      ],
    ]);
  });
});

describe("request ids", () => {
  it("1 000 guesses under an answered requestId on a 5/s account: 502 past the rate's ten seconds, not 306", async () => {
    const account = await createAccount({ rateLimit: 5 });
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const first = await post(account, identity(1), { requestId: "order-1" });
    const guesses: Answer[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const sent = Array.from({ length: 100 }, (_, i) => post(account, identity(100 + i), { requestId: "order-1" }));
      guesses.push(...(await Promise.all(sent)));
    }
    // Fifty requests fit in ten seconds at 5/s: the first and 49 guesses, which the object answers
    // (306, or the token's 307 once its refusals are counted as suspicious); every other is 502.
    const counts = count(guesses);
    const others = Object.keys(counts).filter((code) => !["306", "307", "502"].includes(code));
    expect([first.code, counts["502"], others]).toEqual(["200", 951, []]);
  }, 30_000);
});
