// The limits inside the account's Durable Object, through its real RPC stub and SQLite storage, with
// the clock passed in: the rate limit, the per-person budgets, the decryption-failure budget, the
// request ids of idempotent retries, and the order in which `begin` refuses (docs/contract.md §4).

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  FAILURE_BUDGET,
  FAILURE_WINDOW_MS,
  Limits,
  REQUEST_ID_TTL_MS,
  SUBJECT_WINDOW_MS,
} from "../../src/billing/limits.ts";
import type { BeginRequest, DecryptionFailure, Settlement } from "../../src/billing/types.ts";

let n = 0;
const object = () => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(`acc_limits_${n++}`));
const NOW = Date.parse("2026-11-26T04:00:00Z");
const TOKEN = "t".repeat(64);
const begin = (orderNo: string, patch: Partial<BeginRequest> = {}): BeginRequest => ({
  orderNo,
  service: "verifyMobile",
  priceFen: 0,
  opening: { balanceFen: null, remaining: null },
  fingerprint: `fp-${orderNo}`,
  dedupTtl: 60,
  tokenHash: TOKEN,
  limits: { rateLimit: null, subjectBudget: 10 },
  subjects: { phone: `phone-${orderNo}`, idCard: `id-${orderNo}` },
  requestKey: null,
  upstream: null,
  now: NOW,
  ...patch,
});
const settled = (orderNo: string, billable: boolean, at = NOW): Settlement => ({
  orderNo,
  at,
  errorCode: billable ? "200" : "502",
  returnCode: billable ? "10000" : "0",
  upstreamOrderId: null,
  upstreamCode: null,
  upstreamMs: 1,
  attempts: [],
  previousCredential: null,
  stored: billable ? { returnCode: "10000", matchCode: "11", orderNo, at } : null,
});
const failure = (now = NOW): DecryptionFailure => ({
  service: "verifyMobile",
  opening: { balanceFen: null, remaining: null },
  tokenHash: TOKEN,
  rateLimit: null,
  now,
});
const kinds = (answers: { kind: string }[]) => {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
};

describe("the rate limit", () => {
  it("admits exactly ten seconds' worth at once, however many arrive together", async () => {
    const o = object();
    const limits = { rateLimit: 3, subjectBudget: 10 };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => o.begin(begin(`o${i}`, { limits }))));
    expect(kinds(answers)).toEqual({ reserved: 30, tooFast: 20 });
  });

  it("says when the next request would be admitted, and admits it then", async () => {
    const o = object();
    const limits = { rateLimit: 2, subjectBudget: 10 };
    for (let i = 0; i < 20; i++) await o.begin(begin(`o${i}`, { limits }));
    const refused = await o.begin(begin("late", { limits, now: NOW + 100 }));
    expect(refused).toEqual({ kind: "tooFast", retryAfterMs: 400, balanceFen: null });
    expect((await o.begin(begin("later", { limits, now: NOW + 499 }))).kind).toBe("tooFast");
    expect((await o.begin(begin("then", { limits, now: NOW + 500 }))).kind).toBe("reserved");
  });

  it("averages over the window: the steady rate is admitted for ever", async () => {
    const o = object();
    const limits = { rateLimit: 5, subjectBudget: 10 };
    const answers = [];
    for (let i = 0; i < 150; i++) answers.push(await o.begin(begin(`o${i}`, { limits, now: NOW + i * 200 })));
    expect(kinds(answers)).toEqual({ reserved: 150 });
  });

  it("is drawn before a duplicate is answered: the account's memory answers only what the limit admits", async () => {
    const o = object();
    const limits = { rateLimit: 1, subjectBudget: 10 };
    await o.begin(begin("o1", { limits, fingerprint: "same" }));
    await o.settle(settled("o1", true));
    const repeats = await Promise.all(
      Array.from({ length: 30 }, (_, i) => o.begin(begin(`r${i}`, { limits, fingerprint: "same" }))),
    );
    expect(kinds(repeats)).toEqual({ duplicate: 9, tooFast: 21 });
  });

  it("holds nothing back without a limit", async () => {
    const o = object();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => o.begin(begin(`o${i}`))));
    expect(kinds(answers)).toEqual({ reserved: 200 });
  });
});

describe("the per-person budgets", () => {
  const withPhone = (i: number, patch: Partial<BeginRequest> = {}) =>
    begin(`o${i}`, {
      limits: { rateLimit: null, subjectBudget: 3 },
      subjects: { phone: "one-phone", idCard: `id-${i}` },
      ...patch,
    });

  it("lets one phone be checked against at most N different identities, exactly under concurrency", async () => {
    const o = object();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => o.begin(withPhone(i))));
    expect(kinds(answers)).toEqual({ reserved: 3, overBudget: 9 });
    expect(answers.find((a) => a.kind === "overBudget")).toEqual({
      kind: "overBudget",
      subject: "phone",
      balanceFen: null,
    });
  });

  it("lets one ID number be checked against at most N different identities", async () => {
    const o = object();
    const limits = { rateLimit: null, subjectBudget: 2 };
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await o.begin(begin(`o${i}`, { limits, subjects: { phone: `phone-${i}`, idCard: "one-id" } })));
    expect(answers.map((a) => a.kind === "overBudget" && a.subject)).toEqual([false, false, "idCard", "idCard"]);
  });

  it("charges nothing for an identity already counted", async () => {
    const o = object();
    for (let i = 0; i < 3; i++) await o.begin(withPhone(i));
    for (let i = 0; i < 3; i++) await o.settle(settled(`o${i}`, false));
    // The same identities again (past the duplicate window, no duplicate entry for a failed answer): no budget used.
    const again = await Promise.all(
      [0, 1, 2].map((i) => o.begin(withPhone(i, { orderNo: `again${i}`, now: NOW + 120_000 }))),
    );
    expect([kinds(again), (await o.begin(withPhone(3, { now: NOW + 120_000 }))).kind]).toEqual([
      { reserved: 3 },
      "overBudget",
    ]);
  });

  it("forgets identities 24 h after they were counted", async () => {
    const o = object();
    for (let i = 0; i < 3; i++) await o.begin(withPhone(i));
    expect((await o.begin(withPhone(3, { now: NOW + SUBJECT_WINDOW_MS - 1 }))).kind).toBe("overBudget");
    expect((await o.begin(withPhone(4, { now: NOW + SUBJECT_WINDOW_MS }))).kind).toBe("reserved");
  });

  it("forgets identities 24 h after they were counted, before their rows are purged", async () => {
    const o = object();
    for (let i = 0; i < 3; i++) await o.begin(withPhone(i));
    // Expired rows are deleted in bulk at most once a minute: this begin purges, the next does not.
    expect((await o.begin(withPhone(3, { now: NOW + SUBJECT_WINDOW_MS - 30_000 }))).kind).toBe("overBudget");
    expect((await o.begin(withPhone(4, { now: NOW + SUBJECT_WINDOW_MS }))).kind).toBe("reserved");
    expect((await o.begin(withPhone(5, { now: NOW + SUBJECT_WINDOW_MS + 1 }))).kind).toBe("reserved");
  });

  it("counts the identities an object stored before it kept a count per subject", async () => {
    const o = object();
    for (let i = 0; i < 3; i++) await o.begin(withPhone(i));
    const answer = await runInDurableObject(o, (_instance, state) => {
      const { sql } = state.storage;
      sql.exec("DROP TRIGGER subject_added; DROP TRIGGER subject_removed; DROP TABLE subject_rows");
      const subjects = { phone: "one-phone", idCard: "id-3" };
      return new Limits(sql).overBudget(subjects, "fp-o3", 3, NOW);
    });
    expect(answer).toBe("phone");
  });

  it("does not count a reservation withdrawn before it went upstream", async () => {
    const o = object();
    for (let i = 0; i < 3; i++) await o.begin(withPhone(i));
    await o.cancel("o2");
    expect((await o.begin(withPhone(3))).kind).toBe("reserved");
    expect(await o.state("verifyMobile", { balanceFen: null, remaining: null })).toEqual({
      balanceFen: null,
      remaining: null,
      reserved: 3,
    });
  });
});

describe("the decryption-failure budget", () => {
  it("blocks the token after 20 failures within a minute, counted exactly under concurrency", async () => {
    const o = object();
    const verdicts = await Promise.all(Array.from({ length: FAILURE_BUDGET + 5 }, () => o.decryptionFailed(failure())));
    const until = NOW + FAILURE_WINDOW_MS;
    expect({
      overBudget: verdicts.filter((v) => v.overBudget).length,
      blockedFrom: verdicts.findIndex((v) => v.blockedUntil !== null),
      last: verdicts.at(-1),
    }).toEqual({
      overBudget: 5,
      blockedFrom: FAILURE_BUDGET - 1,
      last: { balanceFen: null, retryAfterMs: null, overBudget: true, blockedUntil: until },
    });
  });

  it("refuses the token's valid requests too until the minute has passed", async () => {
    const o = object();
    for (let i = 0; i < FAILURE_BUDGET; i++) await o.decryptionFailed(failure(NOW + i));
    expect(await o.begin(begin("valid", { now: NOW + 30_000 }))).toEqual({
      kind: "blocked",
      until: NOW + FAILURE_WINDOW_MS,
      balanceFen: null,
    });
    expect((await o.begin(begin("later", { now: NOW + FAILURE_WINDOW_MS }))).kind).toBe("reserved");
  });

  it("starts a new minute with the first failure after the last one", async () => {
    const o = object();
    for (let i = 0; i < FAILURE_BUDGET - 1; i++) await o.decryptionFailed(failure());
    const next = await o.decryptionFailed(failure(NOW + FAILURE_WINDOW_MS));
    expect([next, (await o.begin(begin("valid", { now: NOW + FAILURE_WINDOW_MS }))).kind]).toEqual([
      { balanceFen: null, retryAfterMs: null, overBudget: false, blockedUntil: null },
      "reserved",
    ]);
  });

  it("reports the balance, for the 104 that comes first", async () => {
    expect(await object().decryptionFailed({ ...failure(), opening: { balanceFen: 0, remaining: null } })).toEqual({
      balanceFen: 0,
      retryAfterMs: null,
      overBudget: false,
      blockedUntil: null,
    });
  });
});

describe("request ids", () => {
  it("answers a retry of an answered request id with its original answer, under either policy", async () => {
    const o = object();
    await o.begin(begin("o1", { requestKey: "rk", fingerprint: "fp" }));
    await o.settle(settled("o1", true));
    const retry = await o.begin(begin("o2", { requestKey: "rk", fingerprint: "fp", now: NOW + 120_000 }));
    expect(retry).toEqual({
      kind: "retried",
      stored: { returnCode: "10000", matchCode: "11", orderNo: "o1", at: NOW },
      balanceFen: null,
    });
  });

  it("refuses the request id for another identity", async () => {
    const o = object();
    await o.begin(begin("o1", { requestKey: "rk", fingerprint: "fp" }));
    const meanwhile = await o.begin(begin("o2", { requestKey: "rk", fingerprint: "other" }));
    await o.settle(settled("o1", true));
    const after = await o.begin(begin("o3", { requestKey: "rk", fingerprint: "other" }));
    expect([meanwhile, after]).toEqual([
      { kind: "requestIdReused", balanceFen: null },
      { kind: "requestIdReused", balanceFen: null },
    ]);
  });

  it("names the order of a retry still in flight", async () => {
    const o = object();
    await o.begin(begin("o1", { requestKey: "rk", fingerprint: "fp" }));
    expect(await o.begin(begin("o2", { requestKey: "rk", fingerprint: "fp" }))).toEqual({
      kind: "inFlight",
      orderNo: "o1",
      balanceFen: null,
    });
  });

  it("processes a request id anew when its earlier attempt failed", async () => {
    const o = object();
    await o.begin(begin("o1", { requestKey: "rk", fingerprint: "fp" }));
    await o.settle(settled("o1", false));
    expect((await o.begin(begin("o2", { requestKey: "rk", fingerprint: "fp" }))).kind).toBe("reserved");
  });

  it("forgets a request id 24 h after its answer", async () => {
    const o = object();
    await o.begin(begin("o1", { requestKey: "rk", fingerprint: "fp" }));
    await o.settle(settled("o1", true));
    expect(
      (await o.begin(begin("o2", { requestKey: "rk", fingerprint: "fp", now: NOW + REQUEST_ID_TTL_MS - 1 }))).kind,
    ).toBe("retried");
    expect(
      (await o.begin(begin("o3", { requestKey: "rk", fingerprint: "fp", now: NOW + REQUEST_ID_TTL_MS }))).kind,
    ).toBe("reserved");
  });
});

describe("the order of refusals (docs/contract.md §4)", () => {
  const empty = { balanceFen: 0, remaining: null };
  it("104 before the failure budget", async () => {
    const o = object();
    for (let i = 0; i < FAILURE_BUDGET; i++) await o.decryptionFailed({ ...failure(), opening: empty });
    expect((await o.begin(begin("o1", { opening: empty }))).kind).toBe("refused");
  });

  it("the failure budget before a request id's answer", async () => {
    const o = object();
    await o.begin(begin("o1", { requestKey: "rk", fingerprint: "fp" }));
    await o.settle(settled("o1", true));
    for (let i = 0; i < FAILURE_BUDGET; i++) await o.decryptionFailed(failure());
    expect((await o.begin(begin("o2", { requestKey: "rk", fingerprint: "fp" }))).kind).toBe("blocked");
  });

  it("the rate limit before the per-person budget, the budget before 313", async () => {
    const o = object();
    const lastCount = { remaining: 1, balanceFen: null };
    const limits = { rateLimit: 1, subjectBudget: 1 };
    const subjects = { phone: "p", idCard: "i" };
    const first = await o.begin(begin("o1", { limits, subjects, opening: lastCount, fingerprint: "a" }));
    // Both over the budget and without a count left: the budget answers.
    const overBudget = await o.begin(begin("o2", { limits, subjects, opening: lastCount, fingerprint: "b" }));
    const quota = await o.begin(begin("o3", { limits, opening: lastCount, fingerprint: "c" }));
    // Ten seconds' worth at one a second: the next is too fast, over the budget as well.
    for (let i = 0; i < 7; i++) await o.begin(begin(`x${i}`, { limits, opening: lastCount }));
    const tooFast = await o.begin(begin("o4", { limits, subjects, opening: lastCount, fingerprint: "d" }));
    expect([first.kind, overBudget.kind, quota, tooFast.kind]).toEqual([
      "reserved",
      "overBudget",
      { kind: "refused", code: "313", balanceFen: null },
      "tooFast",
    ]);
  });
});
