// The account command's records (scripts/account/records.ts): settings to records the Worker
// accepts, checked by the Worker's own lookup. The command line is tested in account-args.node.test.ts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applySettings, buildAccount, buildServices, parseRecord, summary } from "../../scripts/account/records.ts";
import { CliError } from "../../scripts/lib/errors.ts";
import { lookupAccount } from "../../src/accounts/lookup.ts";
import { AccountRecord, accountKey, tokenKey } from "../../src/accounts/record.ts";
import { unseal } from "../../src/crypto/secrets.ts";
import { freshIsolate, TEST_SECRET } from "../support/caller.ts";

const NOW = new Date("2026-11-26T00:00:00.000Z");

describe("account records", () => {
  it("builds a record the schema accepts, with the documented defaults", async () => {
    const { record, token, logonKey } = await buildAccount({
      settings: { name: "Foo" },
      keyLength: 16,
      secret: TEST_SECRET,
      now: NOW,
    });
    expect(AccountRecord.parse(record)).toEqual(record);
    expect(summary(record)).toMatchObject({
      status: "active",
      services: { verifyMobile: { priceFen: 0, remaining: null } },
      contractEnd: null,
      duplicatePolicy: "reject",
      dedupTtl: 60,
      openingBalanceFen: null,
      // Today's behaviour unless asked (docs/contract.md §9): 驭信's cipher, no sign, any IP, no grace.
      cipher: "aes-cbc",
      requireSign: false,
      allowIps: null,
      previousTokenUntil: null,
      previousLogonKeyUntil: null,
      createdAt: NOW.toISOString(),
    });
    expect(logonKey).toHaveLength(16);
    expect(await unseal(TEST_SECRET, record.id, record.sealedLogonKey)).toBe(logonKey);
    expect(JSON.stringify(record)).not.toContain(token);
    expect(JSON.stringify(record)).not.toContain(logonKey);
    expect(JSON.stringify(summary(record))).not.toMatch(/tokenHash|sealed/);
  });

  it("keeps service terms on update unless told otherwise", () => {
    const current = { verifyMobile: { priceFen: 15, remaining: 3 } };
    expect(buildServices(current, {})).toEqual(current);
    expect(buildServices(current, { priceFen: 20 })).toEqual({ verifyMobile: { priceFen: 20, remaining: 3 } });
    expect(buildServices(current, { remaining: null })).toEqual({ verifyMobile: { priceFen: 15, remaining: null } });
    expect(buildServices(current, { services: ["verifyMobile", "other"] })).toEqual({
      ...current,
      other: { priceFen: 0, remaining: null },
    });
    expect(buildServices(current, { services: [] })).toEqual({});
  });

  it("sets the limits and the diagnostics flag on create and update", async () => {
    const { record } = await buildAccount({
      settings: { name: "Foo", rateLimit: null, subjectBudget: 3, diagnostics: true },
      keyLength: 16,
      secret: TEST_SECRET,
      now: NOW,
    });
    const updated = applySettings(record, { rateLimit: 20, diagnostics: false }, NOW);
    expect(
      [summary(record), summary(updated)].map(({ rateLimit, subjectBudget, diagnostics }) => ({
        rateLimit,
        subjectBudget,
        diagnostics,
      })),
    ).toEqual([
      { rateLimit: null, subjectBudget: 3, diagnostics: true },
      { rateLimit: 20, subjectBudget: 3, diagnostics: false },
    ]);
  });

  it("applies settings and refuses to produce an invalid record", async () => {
    const { record } = await buildAccount({ settings: { name: "Foo" }, keyLength: 32, secret: TEST_SECRET, now: NOW });
    const later = new Date(NOW.getTime() + 1000);
    const updated = applySettings(record, { status: "frozen", contractEnd: "2027-01-01" }, later);
    expect(updated).toMatchObject({
      status: "frozen",
      contractEnd: "2027-01-01",
      updatedAt: later.toISOString(),
      createdAt: record.createdAt,
    });
    expect(() => applySettings(record, { dedupTtl: 10 }, later)).toThrow(CliError);
  });

  it("reports a malformed stored record clearly", () => {
    expect(() => parseRecord("not json", "account:x")).toThrow(/not JSON/);
    expect(() => parseRecord(JSON.stringify({ id: "acc_0123456789abcdef" }), "account:acc_0123456789abcdef")).toThrow(
      /not a valid account record/,
    );
  });

  it("writes what the Worker's account lookup accepts, and a rotated token replaces the old", async () => {
    freshIsolate();
    const { record, token, logonKey } = await buildAccount({
      settings: { name: "Foo" },
      keyLength: 16,
      secret: TEST_SECRET,
      now: NOW,
    });
    await env.ACCOUNTS.put(tokenKey(record.tokenHash), JSON.stringify({ accountId: record.id }));
    await env.ACCOUNTS.put(accountKey(record.id), JSON.stringify(record));
    const found = await lookupAccount(env.ACCOUNTS, TEST_SECRET, token, NOW.getTime());
    expect(found.ok && found.value.account.record).toEqual(record);
    expect(found.ok && new TextDecoder().decode(found.value.account.logonKey.raw)).toBe(logonKey);
  });
});

describe("account alert thresholds", () => {
  it("are none by default, set by create, changed and cleared by update (docs/contract.md §11)", async () => {
    const plain = await buildAccount({ settings: { name: "Foo" }, keyLength: 16, secret: TEST_SECRET, now: NOW });
    const { record } = await buildAccount({
      settings: { name: "Foo", alertBalanceFen: 5000, alertQuota: 10 },
      keyLength: 16,
      secret: TEST_SECRET,
      now: NOW,
    });
    const changed = applySettings(record, { alertBalanceFen: null, alertQuota: 3 }, NOW);
    const pick = (r: AccountRecord) => [r.alertBalanceFen, r.alertQuota];
    expect([pick(plain.record), pick(record), pick(changed), summary(changed).alertQuota]).toEqual([
      [null, null],
      [5000, 10],
      [null, 3],
      3,
    ]);
  });

  it("are read as none from a record written before they existed", () => {
    const {
      alertBalanceFen: _,
      alertQuota: __,
      ...old
    } = {
      ...AccountRecord.parse({
        id: "acc_0123456789abcdef",
        name: "Old",
        status: "active",
        services: {},
        contractEnd: null,
        duplicatePolicy: "reject",
        dedupTtl: 60,
        openingBalanceFen: null,
        tokenHash: "0".repeat(64),
        sealedLogonKey: "v1.x.y",
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      }),
    };
    const parsed = AccountRecord.parse(old);
    expect([parsed.alertBalanceFen, parsed.alertQuota]).toEqual([null, null]);
  });
});
