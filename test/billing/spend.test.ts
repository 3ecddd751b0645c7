// The price table and the spend rows of docs/contract.md §12, from ledger rows written by hand.
import { describe, expect, it } from "vitest";
import { attemptCost, parsePrices, spendRows } from "../../src/billing/spend.ts";
import type { LedgerEntry } from "../../src/billing/types.ts";
import { chinaDayStart } from "../../src/platform/time.ts";
import type { Attempt } from "../../src/upstream/upstream.ts";

const TABLE = { juhe: { "0": 30 }, tencent: { "*": 25, "-9": 0 } };
const attempt = (upstream: string, code: string | null): Attempt => ({ upstream, code, ms: 10, orderId: null });
const row = (day: string, chargedFen: number, attempts: Attempt[]): LedgerEntry => ({
  orderNo: `VM${day}${attempts.length}${chargedFen}`,
  at: chinaDayStart(day) + 1_000,
  service: "verifyMobile",
  errorCode: chargedFen > 0 ? "200" : "503",
  returnCode: "0",
  chargedFen,
  duplicate: false,
  upstreamOrderId: null,
  upstreamCode: null,
  upstreamMs: null,
  fingerprintPrefix: null,
  attempts,
  replayOf: null,
  previousCredential: null,
});

describe("the price table", () => {
  it("prices a code by its vendor's row, '*' for any other code, 0 for a code it does not price", () => {
    expect([
      attemptCost(TABLE, attempt("juhe", "0")),
      attemptCost(TABLE, attempt("juhe", "10020")),
      attemptCost(TABLE, attempt("tencent", "-4")),
      attemptCost(TABLE, attempt("tencent", "-9")),
      attemptCost(TABLE, attempt("juhe3", "0")),
      attemptCost(TABLE, attempt("juhe", null)),
      attemptCost(TABLE, attempt("__proto__", "0")),
    ]).toEqual([30, 0, 25, 0, 0, null, 0]);
  });

  it("parses UPSTREAM_PRICES, empty meaning no prices, and names a bad one", () => {
    const problem = 'UPSTREAM_PRICES must be {"<vendor>": {"<vendor code>|*": <fen 0..1000000>}}';
    expect([
      parsePrices(JSON.stringify(TABLE)),
      parsePrices(""),
      parsePrices("{"),
      parsePrices('{"juhe": {"0": -1}}'),
      parsePrices('{"juhe": {"0": 1.5}}'),
    ]).toEqual([
      { ok: true, table: TABLE },
      { ok: true, table: {} },
      { ok: false, problem: "UPSTREAM_PRICES is not JSON" },
      { ok: false, problem },
      { ok: false, problem },
    ]);
  });
});

describe("spend rows", () => {
  it("count calls, maybe-calls, cost, revenue and margin per day and vendor", () => {
    const rows = spendRows(
      "acc_0123456789abcdef",
      [
        row("2026-12-01", 50, [attempt("juhe", "0")]),
        row("2026-12-01", 50, [attempt("juhe", "10020"), attempt("tencent", "0")]),
        row("2026-12-01", 0, [attempt("juhe", null)]),
        row("2026-12-02", 50, [attempt("juhe", "0")]),
      ],
      TABLE,
    );
    expect(rows).toEqual([
      {
        day: "2026-12-01",
        accountId: "acc_0123456789abcdef",
        vendor: "juhe",
        calls: 2,
        maybeCalls: 1,
        costFen: 30,
        revenueFen: 50,
        marginFen: 20,
      },
      {
        day: "2026-12-01",
        accountId: "acc_0123456789abcdef",
        vendor: "tencent",
        calls: 1,
        maybeCalls: 0,
        costFen: 25,
        revenueFen: 50,
        marginFen: 25,
      },
      {
        day: "2026-12-02",
        accountId: "acc_0123456789abcdef",
        vendor: "juhe",
        calls: 1,
        maybeCalls: 0,
        costFen: 30,
        revenueFen: 50,
        marginFen: 20,
      },
    ]);
  });
});
