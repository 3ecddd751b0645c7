// GET /admin/spend (docs/contract.md §12) over ledger rows written to the account's object.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/billing/types.ts";
import app from "../../src/index.ts";
import { chinaDay, chinaDayStart } from "../../src/platform/time.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { createAccount, logonBody, sendSettled } from "../support/caller.ts";

const [zhang, li] = SANDBOX_PEOPLE;

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const TODAY = chinaDay(Date.now());
const PRICES = JSON.stringify({ juhe3: { "*": 30 } });

const call = (path: string, vars: Record<string, string> = { UPSTREAM_PRICES: PRICES }) =>
  app.fetch(
    new Request(`http://gateway.test/admin${path}`, { headers: { Authorization: `Bearer ${ADMIN}` } }),
    { ...env, ...vars },
    createExecutionContext(),
  );

const maybeCalled = (orderNo: string): LedgerEntry => ({
  orderNo,
  at: chinaDayStart(TODAY) + 60_000,
  service: "verifyMobile",
  errorCode: "500",
  returnCode: "0",
  chargedFen: 0,
  duplicate: false,
  upstreamOrderId: null,
  upstreamCode: null,
  upstreamMs: null,
  fingerprintPrefix: null,
  attempts: [{ upstream: "juhe3", code: null, ms: 5, orderId: null }],
  replayOf: null,
  previousCredential: null,
});

/** Two billed answers (50 fen each, through the pipeline and the sandbox) and one maybe-called row. */
async function accountWithRows(): Promise<string> {
  const account = await createAccount({ services: { verifyMobile: { priceFen: 50, remaining: null } } });
  for (const person of [zhang!, li!])
    await sendSettled(
      JSON.stringify(
        await logonBody(account, { idCard: person.idCard, userName: person.name, loginphone: person.phone }),
      ),
    );
  await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id)).recordMany([maybeCalled("VM3")]);
  return account.record.id;
}

describe("GET /admin/spend", () => {
  it("reports calls, maybe-calls, cost, revenue and margin for one account", async () => {
    const id = await accountWithRows();
    const response = await call(`/spend?account=${id}&from=${TODAY}`);
    expect(await response.json()).toEqual({
      from: TODAY,
      to: TODAY,
      rows: [
        {
          day: TODAY,
          accountId: id,
          vendor: "juhe3",
          calls: 2,
          maybeCalls: 1,
          costFen: 60,
          revenueFen: 100,
          marginFen: 40,
        },
      ],
      unpriced: [],
      truncated: [],
      next: null,
    });
  });

  it("answers CSV with a header", async () => {
    const id = await accountWithRows();
    expect(await (await call(`/spend?account=${id}&format=csv`)).text()).toBe(
      `day,accountId,vendor,calls,maybeCalls,costFen,revenueFen,marginFen\r\n${TODAY},${id},juhe3,2,1,60,100,40\r\n`,
    );
  });

  it("names vendors the price table does not price", async () => {
    const id = await accountWithRows();
    const report = (await (await call(`/spend?account=${id}`, { UPSTREAM_PRICES: "{}" })).json()) as {
      unpriced: string[];
    };
    expect(report.unpriced).toEqual(["juhe3"]);
  });

  it("pages through every account without account=", async () => {
    const id = await accountWithRows();
    const seen: string[] = [];
    let next: string | null = "";
    for (let pages = 0; next !== null && pages < 100; pages++) {
      const page = (await (
        await call(`/spend?limit=2${next ? `&cursor=${encodeURIComponent(next)}` : ""}`)
      ).json()) as {
        rows: { accountId: string }[];
        next: string | null;
      };
      seen.push(...page.rows.map((r) => r.accountId));
      next = page.next;
    }
    expect(seen).toContain(id);
  });

  it("refuses a bad query with 400, an unknown account with 404 and a broken price table with 500", async () => {
    const id = await accountWithRows();
    const answers = await Promise.all(
      [
        call("/spend?from=2026-13-01"),
        call("/spend?account=acc_0000000000000000"),
        call(`/spend?account=${id}`, { UPSTREAM_PRICES: "{" }),
      ].map(async (r) => {
        const response = await r;
        return [response.status, ((await response.json()) as { error: string }).error];
      }),
    );
    expect(answers).toEqual([
      [400, "query: from, to as YYYY-MM-DD; account acc_…; format json|csv; limit 1-100; cursor"],
      [404, "no such account"],
      [500, "UPSTREAM_PRICES is not JSON"],
    ]);
  });
});
