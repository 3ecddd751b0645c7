import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { ACCOUNT_CACHE_MS, lookupAccount } from "../../src/accounts/lookup.ts";
import { accountKey, newToken, tokenKey } from "../../src/accounts/record.ts";
import { sha256Hex } from "../../src/crypto/secrets.ts";
import { TEST_SECRET, createAccount, freshIsolate } from "../support/caller.ts";

const NOW = 1_800_000_000_000;

beforeEach(freshIsolate);

describe("lookupAccount", () => {
  it("finds the account by its token and unseals the logon key", async () => {
    const account = await createAccount();
    const r = await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW);
    expect(r.ok && r.value.record).toEqual(account.record);
    expect(r.ok && new TextDecoder().decode(r.value.logonKey.raw)).toBe(account.logonKey);
  });

  it("answers a token of another shape with 105 without reading KV", async () => {
    const kv = { get: () => { throw new Error("must not read"); } } as unknown as KVNamespace;
    expect(await lookupAccount(kv, TEST_SECRET, "not-a-token", NOW)).toEqual({ ok: false, code: "105" });
  });

  it("answers an unknown token with 105", async () => {
    expect(await lookupAccount(env.ACCOUNTS, TEST_SECRET, newToken(), NOW)).toEqual({ ok: false, code: "105" });
  });

  it("answers a token whose account record is gone with 302", async () => {
    const account = await createAccount();
    await env.ACCOUNTS.delete(accountKey(account.record.id));
    expect(await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW)).toEqual({ ok: false, code: "302" });
  });

  it.each([
    ["is not JSON", "{"],
    ["misses fields", JSON.stringify({ id: "acc_0123456789abcdef" })],
  ])("answers 500 when the account record %s", async (_name, text) => {
    const account = await createAccount();
    await env.ACCOUNTS.put(accountKey(account.record.id), text);
    expect(await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW)).toEqual({ ok: false, code: "500" });
  });

  it("answers 500 when the token entry is malformed", async () => {
    const token = newToken();
    await env.ACCOUNTS.put(tokenKey(await sha256Hex(token)), JSON.stringify({ accountId: 42 }));
    expect(await lookupAccount(env.ACCOUNTS, TEST_SECRET, token, NOW)).toEqual({ ok: false, code: "500" });
  });

  it("answers 500 when the logon key was sealed under another secret", async () => {
    const account = await createAccount();
    expect(await lookupAccount(env.ACCOUNTS, TEST_SECRET + "-other", account.token, NOW)).toEqual({ ok: false, code: "500" });
  });

  it("serves a change only after the isolate cache expires", async () => {
    const account = await createAccount();
    await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW);
    await env.ACCOUNTS.put(accountKey(account.record.id), JSON.stringify({ ...account.record, status: "frozen" }));
    const cached = await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW + ACCOUNT_CACHE_MS - 1);
    const fresh = await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW + ACCOUNT_CACHE_MS);
    expect([cached.ok && cached.value.record.status, fresh.ok && fresh.value.record.status]).toEqual(["active", "frozen"]);
  });

  it("refuses an old token whose entry a rotation left behind (105)", async () => {
    const account = await createAccount();
    const rotated = newToken();
    const record = { ...account.record, tokenHash: await sha256Hex(rotated) };
    await env.ACCOUNTS.put(tokenKey(record.tokenHash), JSON.stringify({ accountId: record.id }));
    await env.ACCOUNTS.put(accountKey(record.id), JSON.stringify(record));
    // The old entry is still there, as a failed or lagging delete leaves it.
    expect(await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW)).toEqual({ ok: false, code: "105" });
    expect((await lookupAccount(env.ACCOUNTS, TEST_SECRET, rotated, NOW)).ok).toBe(true);
  });

  it("keeps a live account cached through a spray of unknown tokens", async () => {
    const account = await createAccount();
    await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW);
    for (let i = 0; i < 1_100; i++) await lookupAccount(env.ACCOUNTS, TEST_SECRET, newToken(), NOW);
    const get = vi.spyOn(env.ACCOUNTS, "get");
    onTestFinished(() => get.mockRestore());
    expect((await lookupAccount(env.ACCOUNTS, TEST_SECRET, account.token, NOW + 1)).ok).toBe(true);
    expect(get).not.toHaveBeenCalled();
  });
});
