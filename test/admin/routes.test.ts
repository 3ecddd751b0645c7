import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LEDGER_FLUSH_MS } from "../../src/billing/ledger-buffer.ts";
import type { LedgerEntry } from "../../src/billing/types.ts";
import app from "../../src/index.ts";
import { addDays, chinaDay, chinaDayStart } from "../../src/platform/time.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { createAccount, verify } from "../support/caller.ts";

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const TODAY = chinaDay(Date.now());
const [zhang] = SANDBOX_PEOPLE;

const call = (path: string, init: RequestInit = {}, token = ADMIN) =>
  exports.default.fetch(
    new Request(`http://gateway.test/admin${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers },
    }),
  );

describe("/admin", () => {
  it("refuses a wrong token with 401", async () => {
    const account = await createAccount();
    expect((await call(`/accounts/${account.record.id}`, {}, "wrong")).status).toBe(401);
  });

  it("does not exist without ADMIN_TOKEN", async () => {
    const { ADMIN_TOKEN: _, ...rest } = env as unknown as Record<string, unknown>;
    const response = await app.fetch(
      new Request("http://gateway.test/admin/accounts/acc_0000000000000000"),
      rest,
      createExecutionContext(),
    );
    expect(response.status).toBe(404);
  });

  it("answers 404 for an unknown account", async () => {
    expect((await call("/accounts/acc_0000000000000000")).status).toBe(404);
  });

  it("credits balance and counts, and shows the state", async () => {
    const account = await createAccount({
      openingBalanceFen: 0,
      services: { verifyMobile: { priceFen: 50, remaining: 0 } },
    });
    const credited = await call(`/accounts/${account.record.id}/credit`, {
      method: "POST",
      body: JSON.stringify({ balanceFen: 500, count: 3 }),
    });
    const shown = await call(`/accounts/${account.record.id}`);
    expect([await credited.json(), await shown.json()]).toEqual([
      { balanceFen: 500, remaining: 3, reserved: 0 },
      {
        balanceFen: 500,
        remaining: 3,
        reserved: 0,
        storage: {
          databaseSize: expect.any(Number),
          rows: { ledger: 0, rollups: 0, archivedDays: 0, reservations: 0, dedup: 0 },
          oldestLedgerDay: null,
        },
      },
    ]);
  });

  it("lets an account that was out of money verify again after a credit", async () => {
    const account = await createAccount({
      openingBalanceFen: 0,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    const before = await verify(account, { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone });
    await call(`/accounts/${account.record.id}/credit`, { method: "POST", body: JSON.stringify({ balanceFen: 100 }) });
    const after = await verify(account, { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone });
    expect([before.envelope.errorCode, after.envelope.errorCode]).toEqual(["104", "200"]);
  });

  it("refuses a malformed credit with 400", async () => {
    const account = await createAccount();
    expect(
      (
        await call(`/accounts/${account.record.id}/credit`, {
          method: "POST",
          body: JSON.stringify({ balanceFen: 1.5 }),
        })
      ).status,
    ).toBe(400);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "refuses a credit to the service name %s, which the account does not have, with 400",
    async (service) => {
      const account = await createAccount({ openingBalanceFen: 0 });
      const response = await call(`/accounts/${account.record.id}/credit`, {
        method: "POST",
        body: JSON.stringify({ balanceFen: 100, service }),
      });
      const state = await call(`/accounts/${account.record.id}`);
      expect([
        response.status,
        await response.json(),
        ((await state.json()) as { balanceFen: number }).balanceFen,
      ]).toEqual([400, { error: `the account has no service ${service}` }, 0]);
    },
  );

  it("refuses a body over the admin cap with 413 before parsing it", async () => {
    const account = await createAccount({ openingBalanceFen: 0 });
    const padding = "x".repeat(12 * 1024 * 1024);
    const response = await call(`/accounts/${account.record.id}/credit`, {
      method: "POST",
      body: `{"balanceFen":100,"pad":"${padding}"}`,
    });
    const state = await call(`/accounts/${account.record.id}`);
    expect([
      response.status,
      await response.json(),
      ((await state.json()) as { balanceFen: number }).balanceFen,
    ]).toEqual([413, { error: "the body is over the admin API's 16 KiB" }, 0]);
  });

  it("refuses an oversized body sent without a Content-Length (chunked) with 413", async () => {
    const account = await createAccount({ openingBalanceFen: 0 });
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 4) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await call(`/accounts/${account.record.id}/credit`, {
      method: "POST",
      body,
      // @ts-expect-error: workerd's RequestInit takes duplex for a streamed body
      duplex: "half",
    });
    expect([response.status, await response.json()]).toEqual([
      413,
      { error: "the body is over the admin API's 16 KiB" },
    ]);
  });

  it("reports usage that totals the ledger, as JSON and CSV", async () => {
    const account = await createAccount({
      openingBalanceFen: 1000,
      services: { verifyMobile: { priceFen: 50, remaining: null } },
    });
    const person = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
    await verify(account, person);
    await verify(account, person);
    await new Promise((r) => setTimeout(r, LEDGER_FLUSH_MS + 50)); // the ledger rows are written in the background
    const usage = (await (await call(`/accounts/${account.record.id}/usage?from=${TODAY}&to=${TODAY}`)).json()) as {
      rows: { requests: number; chargedFen: number }[];
    };
    const ledger = (await (await call(`/accounts/${account.record.id}/ledger?from=${TODAY}`)).json()) as {
      rows: { chargedFen: number }[];
    };
    const csv = await (await call(`/accounts/${account.record.id}/usage?format=csv`)).text();
    expect({
      requests: usage.rows.reduce((s, r) => s + r.requests, 0),
      charged: usage.rows.reduce((s, r) => s + r.chargedFen, 0),
      ledgerCharged: ledger.rows.reduce((s, r) => s + r.chargedFen, 0),
      csv,
    }).toEqual({
      requests: 2,
      charged: 50,
      ledgerCharged: 50,
      csv: `day,errorCode,requests,billable,chargedFen\r\n${TODAY},200,1,1,50\r\n${TODAY},309,1,0,0\r\n`,
    });
  });
});

describe("/admin ledger exports", () => {
  const YESTERDAY = addDays(TODAY, -1);
  const row = (orderNo: string, at: number, upstreamOrderId: string | null = null): LedgerEntry => ({
    orderNo,
    at,
    service: "verifyMobile",
    errorCode: "306",
    returnCode: "0",
    chargedFen: 0,
    duplicate: false,
    upstreamOrderId,
    upstreamCode: null,
    upstreamMs: null,
    fingerprintPrefix: null,
    attempts: [],
    replayOf: null,
    previousCredential: null,
  });
  /** 25 rows over two days, several sharing a millisecond, written straight to the account's object. */
  async function accountWithRows(): Promise<{ id: string; rows: LedgerEntry[] }> {
    const { record } = await createAccount();
    const rows = Array.from({ length: 25 }, (_, i) =>
      row(`VM${String(i).padStart(3, "0")}`, chinaDayStart(i < 12 ? YESTERDAY : TODAY) + Math.floor(i / 3)),
    );
    await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(record.id)).recordMany([...rows].reverse());
    return { id: record.id, rows };
  }
  type Page = { accountId: string; from: string; to: string; rows: LedgerEntry[]; next: string | null };

  it("pages the ledger with a cursor until `next` is null: every row once, in order", async () => {
    const { id, rows } = await accountWithRows();
    const pages: Page[] = [];
    for (let next: string | null = ""; next !== null; ) {
      const page = (await (
        await call(`/accounts/${id}/ledger?from=${YESTERDAY}&to=${TODAY}&limit=10${next && `&cursor=${next}`}`)
      ).json()) as Page;
      pages.push(page);
      next = page.next;
    }
    expect([pages.map((p) => [p.accountId, p.from, p.to, p.rows.length]), pages.flatMap((p) => p.rows)]).toEqual([
      [
        [id, YESTERDAY, TODAY, 10],
        [id, YESTERDAY, TODAY, 10],
        [id, YESTERDAY, TODAY, 5],
      ],
      rows,
    ]);
  });

  it("gives a CSV page with the next cursor in X-Next-Cursor, none on the last page", async () => {
    const { id, rows } = await accountWithRows();
    const first = await call(`/accounts/${id}/ledger?from=${YESTERDAY}&to=${TODAY}&limit=20&format=csv`);
    const last = await call(
      `/accounts/${id}/ledger?from=${YESTERDAY}&to=${TODAY}&limit=20&format=csv&cursor=${first.headers.get("X-Next-Cursor")}`,
    );
    const lines = async (r: Response) => (await r.text()).trimEnd().split("\r\n");
    const [firstLines, lastLines] = [await lines(first), await lines(last)];
    expect([
      firstLines[0],
      firstLines.length,
      lastLines.length,
      lastLines.slice(1).map((l) => l.split(",")[0]),
      last.headers.has("X-Next-Cursor"),
    ]).toEqual([
      "orderNo,at,service,errorCode,returnCode,chargedFen,duplicate,upstreamOrderId,upstreamCode,upstreamMs,fingerprintPrefix,attempts,replayOf,previousCredential",
      21,
      6,
      rows.slice(20).map((r) => r.orderNo),
      false,
    ]);
  });

  it("writes the CSV header for an empty range, and neutralises a field that would be a formula", async () => {
    const { record } = await createAccount();
    await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(record.id)).recordMany([
      row("VM1", chinaDayStart(TODAY), '=HYPERLINK("http://x")'),
    ]);
    const texts = await Promise.all(
      [
        `ledger?from=${TODAY}&format=csv`,
        `ledger?from=${YESTERDAY}&format=csv`,
        `usage?from=${YESTERDAY}&format=csv`,
      ].map(async (q) => (await call(`/accounts/${record.id}/${q}`)).text()),
    );
    expect(texts).toEqual([
      "orderNo,at,service,errorCode,returnCode,chargedFen,duplicate,upstreamOrderId,upstreamCode,upstreamMs,fingerprintPrefix,attempts,replayOf,previousCredential\r\n" +
        `VM1,${chinaDayStart(TODAY)},verifyMobile,306,0,0,false,"'=HYPERLINK(""http://x"")",,,,[],,\r\n`,
      "orderNo,at,service,errorCode,returnCode,chargedFen,duplicate,upstreamOrderId,upstreamCode,upstreamMs,fingerprintPrefix,attempts,replayOf,previousCredential\r\n",
      "day,errorCode,requests,billable,chargedFen\r\n",
    ]);
  });

  it("refuses a range over 366 days, a backward range and a cursor it did not give, with 400", async () => {
    const { record } = await createAccount();
    const answers = await Promise.all(
      [
        `ledger?from=${addDays(TODAY, -366)}&to=${TODAY}`,
        `usage?from=${addDays(TODAY, -366)}&to=${TODAY}`,
        `ledger?from=${TODAY}&to=${YESTERDAY}`,
        `ledger?from=${TODAY}&cursor=bm90IGEgY3Vyc29y`,
        `ledger?from=${addDays(TODAY, -365)}&to=${TODAY}`,
      ].map(async (q) => {
        const response = await call(`/accounts/${record.id}/${q}`);
        return [response.status, ((await response.json()) as { error?: string }).error ?? "ok"];
      }),
    );
    const range = "from..to must run forward and span at most 366 days";
    expect(answers).toEqual([
      [400, range],
      [400, range],
      [400, range],
      [400, "cursor: pass back the `next` of the previous page unchanged"],
      [200, "ok"],
    ]);
  });
});
