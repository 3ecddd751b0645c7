// The membership oracles of an account's memory (issue 17.2), replayed against the object: with a
// token and key, guessing whose request a requestId was, or which identities a phone was checked
// against, is paid from the account's rate limit before the object answers, and every wrong guess
// spends the token's failure budget, whose 307 then answers everything (docs/contract.md §8).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FAILURE_BUDGET, FAILURE_WINDOW_MS } from "../../src/billing/limits.ts";
import type { BeginRequest, Settlement } from "../../src/billing/types.ts";

let n = 0;
const object = () => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(`acc_oracles_${n++}`));
const NOW = Date.parse("2026-11-26T04:00:00Z");
const begin = (orderNo: string, patch: Partial<BeginRequest> = {}): BeginRequest => ({
  orderNo,
  service: "verifyMobile",
  priceFen: 0,
  opening: { balanceFen: null, remaining: null },
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
const answered = (orderNo: string): Settlement => ({
  orderNo,
  at: NOW,
  errorCode: "200",
  returnCode: "10000",
  upstreamOrderId: null,
  upstreamCode: 0,
  upstreamMs: 1,
  attempts: [],
  previousCredential: null,
  stored: { returnCode: "10000", matchCode: "11", orderNo, at: NOW },
});
const kinds = (answers: readonly { kind: string }[]) => {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
};

describe("guessing whose request a requestId was", () => {
  it("answers only what the rate limit admits, then the failure budget's 307", async () => {
    const o = object();
    const limits = { rateLimit: 5, subjectBudget: 10 };
    await o.begin(begin("victim", { limits, requestKey: "rk", fingerprint: "victim" }));
    await o.settle(answered("victim"));
    // 120 guesses at once, as the attacker sent them (ten seconds' worth of the limit is 50).
    const guesses = await Promise.all(
      Array.from({ length: 120 }, (_, i) => o.begin(begin(`g${i}`, { limits, requestKey: "rk" }))),
    );
    expect(kinds(guesses)).toEqual({ requestIdReused: FAILURE_BUDGET, blocked: 49 - FAILURE_BUDGET, tooFast: 71 });
  });

  it("blocks the token, right guess included, until the failure budget's minute is over", async () => {
    const o = object();
    await o.begin(begin("victim", { requestKey: "rk", fingerprint: "victim" }));
    await o.settle(answered("victim"));
    for (let i = 0; i < FAILURE_BUDGET; i++) await o.begin(begin(`g${i}`, { requestKey: "rk" }));
    const right = begin("right", { requestKey: "rk", fingerprint: "victim" });
    expect([
      await o.begin(right),
      (await o.begin({ ...right, orderNo: "later", now: NOW + FAILURE_WINDOW_MS })).kind,
    ]).toEqual([{ kind: "blocked", until: NOW + FAILURE_WINDOW_MS, balanceFen: null }, "retried"]);
  });
});

describe("enumerating identities against a spent per-person budget", () => {
  const limits = { rateLimit: null, subjectBudget: 2 };
  const phone = (orderNo: string, fingerprint: string) =>
    begin(orderNo, { limits, fingerprint, subjects: { phone: "the-phone", idCard: `id-${fingerprint}` } });

  it("spends the failure budget with every 309, then answers every request 307, a counted identity's too", async () => {
    const o = object();
    await o.begin(phone("a", "counted-1"));
    await o.begin(phone("b", "counted-2"));
    const guesses = [];
    for (let i = 0; i < FAILURE_BUDGET + 5; i++) guesses.push(await o.begin(phone(`g${i}`, `guess-${i}`)));
    const counted = await o.begin(phone("c", "counted-1"));
    expect([kinds(guesses), counted.kind]).toEqual([{ overBudget: FAILURE_BUDGET, blocked: 5 }, "blocked"]);
  });
});

describe("the order of refusals (docs/contract.md §4)", () => {
  it("the rate limit before the failure budget", async () => {
    const o = object();
    await o.begin(begin("victim", { requestKey: "rk", fingerprint: "victim" }));
    for (let i = 0; i < FAILURE_BUDGET; i++) await o.begin(begin(`g${i}`, { requestKey: "rk" }));
    const limits = { rateLimit: 1, subjectBudget: 10 };
    const after = [];
    for (let i = 0; i < 11; i++) after.push(await o.begin(begin(`o${i}`, { limits })));
    expect(kinds(after)).toEqual({ blocked: 10, tooFast: 1 });
  });

  it("the rate limit before a decryption failure's verdict: past it, nothing is counted", async () => {
    const o = object();
    const failure = {
      service: "verifyMobile",
      opening: { balanceFen: null, remaining: null },
      tokenHash: "t".repeat(64),
    };
    const verdicts = [];
    for (let i = 0; i < 12; i++) verdicts.push(await o.decryptionFailed({ ...failure, rateLimit: 1, now: NOW }));
    expect({
      counted: verdicts.filter((v) => v.retryAfterMs === null).length,
      last: verdicts.at(-1),
      budgetLeft: (await o.begin(begin("valid", { now: NOW + 10_000 }))).kind,
    }).toEqual({
      counted: 10,
      last: { balanceFen: null, retryAfterMs: 1_000, overBudget: false, blockedUntil: null },
      budgetLeft: "reserved",
    });
  });
});
