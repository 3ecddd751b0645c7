// The console's lists through the admin API (docs/contract.md §10): accounts with search, recent
// refusals by code, each upstream's answers and faults.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/billing/types.ts";
import { chinaDay, chinaDayStart } from "../../src/platform/time.ts";
import { createAccount } from "../support/caller.ts";

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const TODAY = chinaDay(Date.now());

const call = async (path: string, init: RequestInit = {}) => {
  const response = await exports.default.fetch(
    new Request(`http://gateway.test/admin${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN}` } }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const entry = (orderNo: string, errorCode: string, minute: number, attempts: LedgerEntry["attempts"] = []) =>
  ({
    orderNo,
    at: chinaDayStart(TODAY) + minute * 60_000,
    service: "verifyMobile",
    errorCode,
    returnCode: "0",
    chargedFen: 0,
    duplicate: false,
    upstreamOrderId: null,
    upstreamCode: null,
    upstreamMs: null,
    fingerprintPrefix: null,
    attempts,
  }) as LedgerEntry;

describe("GET /admin/accounts", () => {
  it("finds accounts by name, id or status, with price, live balance, remaining and contract end", async () => {
    const name = `Search-${crypto.randomUUID().slice(0, 8)}`;
    const { record } = await createAccount({
      name,
      openingBalanceFen: 900,
      contractEnd: "2027-06-30",
      services: { verifyMobile: { priceFen: 45, remaining: 12 } },
    });
    const byName = await call(`/accounts?q=${name.toLowerCase()}`);
    const byId = await call(`/accounts?q=${record.id}`);
    const expected = {
      id: record.id,
      name,
      status: "active",
      priceFen: 45,
      balanceFen: 900,
      remaining: 12,
      contractEnd: "2027-06-30",
    };
    expect([byName, byId]).toEqual([
      { status: 200, body: { accounts: [expected], next: null } },
      { status: 200, body: { accounts: [expected], next: null } },
    ]);
  });

  it("refuses an oversized search with 400", async () => {
    expect((await call(`/accounts?q=${"x".repeat(101)}`)).status).toBe(400);
  });
});

describe("GET /admin/accounts/:id/refusals", () => {
  it("lists the newest refusals first, all codes or one", async () => {
    const { record } = await createAccount();
    await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(record.id)).recordMany([
      entry("VM1", "307", 1),
      entry("VM2", "200", 2),
      entry("VM3", "502", 3),
      entry("VM4", "307", 4),
    ]);
    const all = await call(`/accounts/${record.id}/refusals`);
    const only = await call(`/accounts/${record.id}/refusals?code=307&limit=1`);
    const orders = (r: { body: Record<string, unknown> }) => (r.body.rows as LedgerEntry[]).map((x) => x.orderNo);
    expect([orders(all), orders(only), only.body.code]).toEqual([["VM4", "VM3", "VM1"], ["VM4"], "307"]);
  });

  it("refuses a code that is not digits and a range over 31 days with 400", async () => {
    const { record } = await createAccount();
    const answers = await Promise.all(
      ["?code=abc", "?from=2026-01-01&to=2026-03-01"].map(
        async (q) => (await call(`/accounts/${record.id}/refusals${q}`)).status,
      ),
    );
    expect(answers).toEqual([400, 400]);
  });
});

describe("GET /admin/upstreams", () => {
  it("counts each upstream's attempts, faults and codes, newest attempts first", async () => {
    const { record } = await createAccount();
    await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(record.id)).recordMany([
      entry("VM1", "200", 1, [{ upstream: "juhe", code: "0", ms: 40, orderId: null }]),
      entry("VM2", "503", 2, [
        { upstream: "juhe", code: null, ms: 300, orderId: null },
        { upstream: "tencent", code: "0", ms: 50, orderId: null },
      ]),
    ]);
    const { body } = await call(`/upstreams?accounts=${record.id}&limit=1`);
    expect(body).toEqual({
      from: TODAY,
      to: TODAY,
      accounts: 1,
      upstreams: [
        {
          upstream: "juhe",
          attempts: 2,
          faults: 1,
          byCode: { "0": 1, none: 1 },
          recent: [{ at: chinaDayStart(TODAY) + 120_000, accountId: record.id, orderNo: "VM2", code: null, ms: 300 }],
        },
        {
          upstream: "tencent",
          attempts: 1,
          faults: 0,
          byCode: { "0": 1 },
          recent: [{ at: chinaDayStart(TODAY) + 120_000, accountId: record.id, orderNo: "VM2", code: "0", ms: 50 }],
        },
      ],
    });
  });
});

describe("POST /admin/alerts/test", () => {
  it("says alerts are off when ALERT_WEBHOOK_URL is empty, and queues nothing", async () => {
    expect(await call("/alerts/test", { method: "POST" })).toEqual({
      status: 400,
      body: { error: "alerts are off: set ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET" },
    });
  });

  it("counts a vendor's coded system error as a fault, and a request-specific code as none", async () => {
    const { record } = await createAccount();
    await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(record.id)).recordMany([
      entry("VM1", "503", 1, [{ upstream: "juhe", code: "10020", ms: 40, orderId: null, fault: true }]),
      entry("VM2", "310", 2, [{ upstream: "tencent", code: "InvalidParameter", ms: 50, orderId: null, fault: false }]),
    ]);
    const { body } = await call(`/upstreams?accounts=${record.id}&limit=1`);
    const faults = (body as { upstreams: { upstream: string; faults: number }[] }).upstreams.map((u) => [
      u.upstream,
      u.faults,
    ]);
    expect(faults).toEqual([
      ["juhe", 1],
      ["tencent", 0],
    ]);
  });
});

describe("GET /admin/accounts pages", () => {
  it("list every account once across pages, however small the page", async () => {
    const prefix = `Paged-${crypto.randomUUID().slice(0, 8)}`;
    const made = await Promise.all([1, 2, 3, 4, 5].map((i) => createAccount({ name: `${prefix}-${i}` })));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const { body } = await call(
        `/accounts?q=${prefix}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...(body.accounts as { id: string }[]).map((a) => a.id));
      cursor = body.next as string | null;
      if (cursor === null) break;
    }
    expect(seen.sort()).toEqual(made.map((m) => m.record.id).sort());
  });
});
