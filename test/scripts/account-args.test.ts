// The account command's pure parts (scripts/account/args.ts, records.ts): flags to settings,
// settings to records the Worker accepts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { lookupAccount } from "../../src/accounts/lookup.ts";
import { AccountRecord, accountKey, tokenKey } from "../../src/accounts/record.ts";
import { unseal } from "../../src/crypto/secrets.ts";
import { parseCommand, splitArgs } from "../../scripts/account/args.ts";
import { applySettings, buildAccount, buildServices, parseRecord, summary, withNewToken } from "../../scripts/account/records.ts";
import { CliError } from "../../scripts/lib/errors.ts";
import { TEST_SECRET, freshIsolate } from "../support/caller.ts";

const LOCAL = ["--local"];
const NOW = new Date("2026-11-26T00:00:00.000Z");

function usage(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    return (e as CliError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("account command line", () => {
  it("parses create with defaults and --flag=value", () => {
    expect(parseCommand(["create", "--local", "--persist-to=/tmp/x", "--name", "Foo"])).toEqual({
      verb: "create",
      target: { mode: "local", persistTo: "/tmp/x" },
      settings: { name: "Foo" },
      keyLength: 16,
    });
  });

  it("parses every create flag", () => {
    const c = parseCommand([
      "create", "--remote", "--name", " Foo ", "--status", "frozen", "--services", "verifyMobile, other,verifyMobile",
      "--contract-end", "2027-02-28", "--duplicate-policy", "replay", "--dedup-ttl", "86400", "--key-length", "32",
      "--price", "15", "--quota", "100", "--balance", "-5",
    ]);
    expect(c).toEqual({
      verb: "create",
      target: { mode: "remote" },
      keyLength: 32,
      settings: {
        name: "Foo", status: "frozen", services: ["verifyMobile", "other"], contractEnd: "2027-02-28",
        duplicatePolicy: "replay", dedupTtl: 86400, priceFen: 15, remaining: 100, balanceFen: -5,
      },
    });
  });

  it("reads --services \"\" as no services and none as cleared", () => {
    expect(parseCommand(["create", ...LOCAL, "--name", "A", "--services", ""])).toMatchObject({ settings: { services: [] } });
    expect(parseCommand(["update", ...LOCAL, "--id", "acc_0123456789abcdef", "--contract-end", "none"]))
      .toMatchObject({ settings: { contractEnd: null } });
  });

  it("leaves quota and balance to credit once the account exists", () => {
    expect(usage(["update", ...LOCAL, "--id", "acc_0123456789abcdef", "--quota", "5"])).toMatch(/use credit/);
    expect(usage(["update", ...LOCAL, "--id", "acc_0123456789abcdef", "--balance", "5"])).toMatch(/use credit/);
  });

  it("parses credit as changes to balance and counts", () => {
    expect(parseCommand(["credit", ...LOCAL, "--id", "acc_0123456789abcdef", "--balance", "5000", "--quota", "-2"])).toEqual({
      verb: "credit", target: { mode: "local", persistTo: null }, id: "acc_0123456789abcdef", url: null, balanceFen: 5000, count: -2,
    });
    expect(usage(["credit", ...LOCAL, "--id", "acc_0123456789abcdef"])).toMatch(/--balance FEN and\/or --quota N/);
  });

  it("parses usage and ledger ranges", () => {
    expect(parseCommand(["ledger", "--remote", "--url", "https://w.example", "--id", "acc_0123456789abcdef", "--from", "2026-11-01", "--format", "csv", "--limit", "50"])).toEqual({
      verb: "ledger", target: { mode: "remote" }, id: "acc_0123456789abcdef", url: "https://w.example", from: "2026-11-01", to: null, format: "csv", limit: 50,
    });
    expect(usage(["usage", ...LOCAL, "--id", "acc_0123456789abcdef", "--format", "xml"])).toMatch(/json or csv/);
    expect(usage(["usage", ...LOCAL, "--id", "acc_0123456789abcdef", "--from", "2026-13-01"])).toMatch(/YYYY-MM-DD/);
  });

  it("refuses bad command lines with clear messages", () => {
    expect(usage(["create", "--name", "A"])).toMatch(/--local or --remote/);
    expect(usage(["create", "--local", "--remote", "--name", "A"])).toMatch(/--local or --remote/);
    expect(usage(["create", "--remote", "--persist-to", "d", "--name", "A"])).toMatch(/--persist-to/);
    expect(usage(["create", ...LOCAL])).toMatch(/--name/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--dedup-ttl", "59"])).toMatch(/at least 60/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--dedup-ttl", "86401"])).toMatch(/at most 86400/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--dedup-ttl", "6e1"])).toMatch(/whole number/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--contract-end", "2026-02-29"])).toMatch(/real date/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--key-length", "24"])).toMatch(/16 or 32/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--status", "closed"])).toMatch(/active, frozen, offline/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--services", "", "--price", "1"])).toMatch(/no.*services|has none/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--services", "verify mobile"])).toMatch(/service names/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--name", "B"])).toMatch(/twice/);
    expect(usage(["create", ...LOCAL, "--name"])).toMatch(/needs a value/);
    expect(usage(["update", ...LOCAL, "--id", "acc_0123456789abcdef", "--key-length", "32"])).toMatch(/does not take/);
    expect(usage(["update", ...LOCAL, "--id", "acc_0123456789abcdef"])).toMatch(/at least one/);
    expect(usage(["show", ...LOCAL])).toMatch(/--id.*--token/);
    expect(usage(["show", ...LOCAL, "--token", "abc"])).toMatch(/vmt_/);
    expect(usage(["disable", ...LOCAL, "--id", "acc_1"])).toMatch(/16 hex/);
    expect(usage(["frob", ...LOCAL])).toMatch(/unknown verb/);
    expect(usage([])).toMatch(/missing verb/);
  });

  it("treats --help anywhere as help", () => {
    expect(splitArgs(["create", "--help"]).verb).toBe("help");
    expect(parseCommand(["--help"])).toEqual({ verb: "help" });
  });
});

describe("account records", () => {
  it("builds a record the schema accepts, with the documented defaults", async () => {
    const { record, token, logonKey } = await buildAccount({ settings: { name: "Foo" }, keyLength: 16, secret: TEST_SECRET, now: NOW });
    expect(AccountRecord.parse(record)).toEqual(record);
    expect(summary(record)).toMatchObject({
      status: "active", services: { verifyMobile: { priceFen: 0, remaining: null } }, contractEnd: null,
      duplicatePolicy: "reject", dedupTtl: 60, openingBalanceFen: null, createdAt: NOW.toISOString(),
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
    expect(buildServices(current, { services: ["verifyMobile", "other"] })).toEqual({ ...current, other: { priceFen: 0, remaining: null } });
    expect(buildServices(current, { services: [] })).toEqual({});
  });

  it("applies settings and refuses to produce an invalid record", async () => {
    const { record } = await buildAccount({ settings: { name: "Foo" }, keyLength: 32, secret: TEST_SECRET, now: NOW });
    const later = new Date(NOW.getTime() + 1000);
    const updated = applySettings(record, { status: "frozen", contractEnd: "2027-01-01" }, later);
    expect(updated).toMatchObject({ status: "frozen", contractEnd: "2027-01-01", updatedAt: later.toISOString(), createdAt: record.createdAt });
    expect(() => applySettings(record, { dedupTtl: 10 }, later)).toThrow(CliError);
  });

  it("reports a malformed stored record clearly", () => {
    expect(() => parseRecord("not json", "account:x")).toThrow(/not JSON/);
    expect(() => parseRecord(JSON.stringify({ id: "acc_0123456789abcdef" }), "account:acc_0123456789abcdef")).toThrow(/not a valid account record/);
  });

  it("writes what the Worker's account lookup accepts, and a rotated token replaces the old", async () => {
    freshIsolate();
    const { record, token, logonKey } = await buildAccount({ settings: { name: "Foo" }, keyLength: 16, secret: TEST_SECRET, now: NOW });
    await env.ACCOUNTS.put(tokenKey(record.tokenHash), JSON.stringify({ accountId: record.id }));
    await env.ACCOUNTS.put(accountKey(record.id), JSON.stringify(record));
    const found = await lookupAccount(env.ACCOUNTS, TEST_SECRET, token, NOW.getTime());
    expect(found.ok && found.value.account.record).toEqual(record);
    expect(found.ok && new TextDecoder().decode(found.value.account.logonKey.raw)).toBe(logonKey);

    const rotated = await withNewToken(record, NOW);
    expect(rotated.token).not.toBe(token);
    expect(rotated.record.tokenHash).not.toBe(record.tokenHash);
  });
});
