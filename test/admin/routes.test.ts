import { env, exports } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { chinaDay } from "../../src/platform/time.ts";
import { LEDGER_FLUSH_MS } from "../../src/billing/ledger-buffer.ts";
import app from "../../src/index.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { createAccount, verify } from "../support/caller.ts";

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const TODAY = chinaDay(Date.now());
const [zhang] = SANDBOX_PEOPLE;

const call = (path: string, init: RequestInit = {}, token = ADMIN) =>
  exports.default.fetch(new Request(`http://gateway.test/admin${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } }));

describe("/admin", () => {
  it("refuses a wrong token with 401", async () => {
    const account = await createAccount();
    expect((await call(`/accounts/${account.record.id}`, {}, "wrong")).status).toBe(401);
  });

  it("does not exist without ADMIN_TOKEN", async () => {
    const { ADMIN_TOKEN: _, ...rest } = env as unknown as Record<string, unknown>;
    const response = await app.fetch(new Request("http://gateway.test/admin/accounts/acc_0000000000000000"), rest, createExecutionContext());
    expect(response.status).toBe(404);
  });

  it("answers 404 for an unknown account", async () => {
    expect((await call("/accounts/acc_0000000000000000")).status).toBe(404);
  });

  it("credits balance and counts, and shows the state", async () => {
    const account = await createAccount({ openingBalanceFen: 0, services: { verifyMobile: { priceFen: 50, remaining: 0 } } });
    const credited = await call(`/accounts/${account.record.id}/credit`, { method: "POST", body: JSON.stringify({ balanceFen: 500, count: 3 }) });
    const shown = await call(`/accounts/${account.record.id}`);
    expect([await credited.json(), await shown.json()]).toEqual([
      { balanceFen: 500, remaining: 3, reserved: 0 },
      { balanceFen: 500, remaining: 3, reserved: 0 },
    ]);
  });

  it("lets an account that was out of money verify again after a credit", async () => {
    const account = await createAccount({ openingBalanceFen: 0, services: { verifyMobile: { priceFen: 50, remaining: null } } });
    const before = await verify(account, { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone });
    await call(`/accounts/${account.record.id}/credit`, { method: "POST", body: JSON.stringify({ balanceFen: 100 }) });
    const after = await verify(account, { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone });
    expect([before.envelope.errorCode, after.envelope.errorCode]).toEqual(["104", "200"]);
  });

  it("refuses a malformed credit with 400", async () => {
    const account = await createAccount();
    expect((await call(`/accounts/${account.record.id}/credit`, { method: "POST", body: JSON.stringify({ balanceFen: 1.5 }) })).status).toBe(400);
  });

  it("reports usage that totals the ledger, as JSON and CSV", async () => {
    const account = await createAccount({ openingBalanceFen: 1000, services: { verifyMobile: { priceFen: 50, remaining: null } } });
    const person = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
    await verify(account, person);
    await verify(account, person);
    await new Promise((r) => setTimeout(r, LEDGER_FLUSH_MS + 50)); // the ledger rows are written in the background
    const usage = (await (await call(`/accounts/${account.record.id}/usage?from=${TODAY}&to=${TODAY}`)).json()) as { rows: { requests: number; chargedFen: number }[] };
    const ledger = (await (await call(`/accounts/${account.record.id}/ledger?from=${TODAY}`)).json()) as { rows: { chargedFen: number }[] };
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
