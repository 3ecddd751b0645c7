// A flood of refusals with only a token (issue 17.3): requests answered without a reservation get a
// detail row only as far as the account's rate limit admits; the rest are counted in the rollups,
// so usage still counts every request while the ledger grows no faster than the limit
// (docs/contract.md §8). The failure budget's 307, which needs no key, is the flood replayed here.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BeginRequest } from "../../src/billing/types.ts";
import { refusedRow } from "../fixtures/ledger.ts";

let n = 0;
const object = () => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(`acc_flood_${n++}`));
const NOW = Date.parse("2026-11-26T04:00:00Z");
const DAY = "2026-11-26";
/** A request that tells the object the account's rate limit, as every begin does. */
const begin = (rateLimit: number | null): BeginRequest => ({
  orderNo: "first",
  service: "verifyMobile",
  priceFen: 0,
  opening: { balanceFen: null, remaining: null },
  fingerprint: "fp",
  dedupTtl: 60,
  tokenHash: "t".repeat(64),
  limits: { rateLimit, subjectBudget: 10 },
  subjects: { phone: "p", idCard: "i" },
  requestKey: null,
  upstream: null,
  now: NOW,
});
const flood = (count: number, at: number) =>
  Array.from({ length: count }, (_, i) => refusedRow(`VMflood${at}-${i}`, at, "307"));

describe("a flood of refusals", () => {
  it("leaves detail rows for what the rate limit admits, and counts every request in the rollups", async () => {
    const o = object();
    await o.begin(begin(5));
    await o.recordMany(flood(500, NOW));
    expect({
      rows: (await o.ledger(DAY, DAY, 1_000)).filter((r) => r.errorCode === "307").length,
      usage: await o.usage(DAY, DAY),
    }).toEqual({
      rows: 50,
      usage: [{ day: DAY, errorCode: "307", requests: 500, billable: 0, chargedFen: 0 }],
    });
  });

  it("writes rows again at the limit's pace afterwards", async () => {
    const o = object();
    await o.begin(begin(5));
    await o.recordMany(flood(60, NOW));
    await o.recordMany(flood(10, NOW + 2_000));
    expect((await o.ledger(DAY, DAY, 1_000)).length).toBe(60);
  });

  it("writes every row of an account without a rate limit", async () => {
    const o = object();
    await o.begin(begin(null));
    await o.recordMany(flood(500, NOW));
    expect((await o.ledger(DAY, DAY, 1_000)).length).toBe(500);
  });
});
