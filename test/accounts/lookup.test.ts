import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { ACCOUNT_CACHE_MS, type Found, lookupAccount, sameAccount } from "../../src/accounts/lookup.ts";
import { accountKey, newToken, tokenKey } from "../../src/accounts/record.ts";
import { sha256Hex } from "../../src/crypto/secrets.ts";
import type { Outcome } from "../../src/wire/outcome.ts";
import { createAccount, freshIsolate, TEST_SECRET, writeAccount } from "../support/caller.ts";

const NOW = 1_800_000_000_000;

/** What a request ends up with: the account it was checked under when the record confirms it, else the record's verdict. */
async function settled(found: Outcome<Found>) {
  if (!found.ok) return found;
  const { account, confirmation } = found.value;
  const truth = confirmation ? await confirmation : null;
  if (truth && !truth.ok) return truth;
  return {
    ok: true,
    record: truth && !sameAccount(truth.value, account) ? truth.value.record : account.record,
    stale: truth !== null && !sameAccount(truth.value, account),
  };
}

const lookup = (token: string, now = NOW) => lookupAccount(env.ACCOUNTS, TEST_SECRET, token, now);

beforeEach(freshIsolate);

describe("lookupAccount", () => {
  it("finds the account by its token and unseals the logon key", async () => {
    const account = await createAccount();
    const r = await lookup(account.token);
    expect(r.ok && r.value.account.record).toEqual(account.record);
    expect(r.ok && new TextDecoder().decode(r.value.account.logonKey.raw)).toBe(account.logonKey);
    expect(await settled(r)).toEqual({ ok: true, record: account.record, stale: false });
  });

  it("yields the account from one KV read (the token entry's copy), not waiting for the record's read beside it", async () => {
    const account = await createAccount();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const read = env.ACCOUNTS.get.bind(env.ACCOUNTS);
    const get = vi.spyOn(env.ACCOUNTS, "get").mockImplementation((async (key: string) => {
      if (key === accountKey(account.record.id)) await held;
      return read(key, "text");
    }) as never);
    onTestFinished(() => get.mockRestore());
    const r = await lookup(account.token);
    release();
    expect([r.ok && r.value.account.record, get.mock.calls.map(([key]) => key), await settled(r)]).toEqual([
      account.record,
      [tokenKey(account.record.tokenHash), accountKey(account.record.id)],
      { ok: true, record: account.record, stale: false },
    ]);
  });

  it("still reads token entries without a copy (two reads, nothing left to confirm)", async () => {
    const account = await createAccount();
    await env.ACCOUNTS.put(tokenKey(account.record.tokenHash), JSON.stringify({ accountId: account.record.id }));
    const r = await lookup(account.token);
    expect([r.ok && r.value.account.record, r.ok && r.value.confirmation]).toEqual([account.record, null]);
  });

  it("answers a token of another shape with 105 without reading KV", async () => {
    const kv = {
      get: () => {
        throw new Error("must not read");
      },
    } as unknown as KVNamespace;
    expect(await lookupAccount(kv, TEST_SECRET, "not-a-token", NOW)).toEqual({ ok: false, code: "105" });
  });

  it("answers an unknown token with 105", async () => {
    expect(await lookup(newToken())).toEqual({ ok: false, code: "105" });
  });

  it("answers a token whose account record is gone with 302", async () => {
    const account = await createAccount();
    await env.ACCOUNTS.delete(accountKey(account.record.id));
    expect(await settled(await lookup(account.token))).toEqual({ ok: false, code: "302" });
  });

  it.each([
    ["is not JSON", "{"],
    ["misses fields", JSON.stringify({ id: "acc_0123456789abcdef" })],
  ])("answers 500 when the account record %s", async (_name, text) => {
    const account = await createAccount();
    await env.ACCOUNTS.put(accountKey(account.record.id), text);
    expect(await settled(await lookup(account.token))).toEqual({ ok: false, code: "500" });
  });

  it("answers 500 when the token entry is malformed", async () => {
    const token = newToken();
    await env.ACCOUNTS.put(tokenKey(await sha256Hex(token)), JSON.stringify({ accountId: 42 }));
    expect(await lookup(token)).toEqual({ ok: false, code: "500" });
  });

  it("answers 500 when the logon key was sealed under another secret", async () => {
    const account = await createAccount();
    expect(await settled(await lookupAccount(env.ACCOUNTS, `${TEST_SECRET}-other`, account.token, NOW))).toEqual({
      ok: false,
      code: "500",
    });
  });

  it("serves a change only after the isolate cache expires", async () => {
    const account = await createAccount();
    await settled(await lookup(account.token));
    await writeAccount({ ...account.record, status: "frozen" });
    const cached = await settled(await lookup(account.token, NOW + ACCOUNT_CACHE_MS - 1));
    const fresh = await settled(await lookup(account.token, NOW + ACCOUNT_CACHE_MS));
    expect([cached.ok && cached.record.status, fresh.ok && fresh.record.status]).toEqual(["active", "frozen"]);
  });

  it("lets the record decide when the token entry's copy is stale", async () => {
    const account = await createAccount();
    await env.ACCOUNTS.put(accountKey(account.record.id), JSON.stringify({ ...account.record, status: "frozen" }));
    const r = await settled(await lookup(account.token));
    expect(r.ok && [r.record.status, r.stale]).toEqual(["frozen", true]);
  });

  it("refuses an old token whose entry (copy included) a rotation left behind (105)", async () => {
    const account = await createAccount();
    const rotated = newToken();
    await writeAccount({ ...account.record, tokenHash: await sha256Hex(rotated) });
    // The old entry is still there, as a failed or lagging delete leaves it.
    expect(await settled(await lookup(account.token))).toEqual({ ok: false, code: "105" });
    expect((await settled(await lookup(rotated))).ok).toBe(true);
  });

  it("keeps refusing an old token after the cache expires, without reading KV again", async () => {
    const account = await createAccount();
    await writeAccount({ ...account.record, tokenHash: await sha256Hex(newToken()) });
    await settled(await lookup(account.token));
    const get = vi.spyOn(env.ACCOUNTS, "get");
    onTestFinished(() => get.mockRestore());
    expect([await lookup(account.token, NOW + 10 * ACCOUNT_CACHE_MS), get.mock.calls.length]).toEqual([
      { ok: false, code: "105" },
      0,
    ]);
  });

  it("lets a new token whose entry is newer than the record (a rotation under way) in once the record is written", async () => {
    const account = await createAccount();
    const rotated = newToken();
    const next = { ...account.record, tokenHash: await sha256Hex(rotated), updatedAt: new Date(NOW + 1).toISOString() };
    await env.ACCOUNTS.put(tokenKey(next.tokenHash), JSON.stringify({ accountId: next.id, record: next }));
    const early = await settled(await lookup(rotated));
    await env.ACCOUNTS.put(accountKey(next.id), JSON.stringify(next));
    const later = await settled(await lookup(rotated, NOW + ACCOUNT_CACHE_MS));
    expect([early, later.ok]).toEqual([{ ok: false, code: "105" }, true]);
  });

  it("keeps a live account cached through a spray of unknown tokens", async () => {
    const account = await createAccount();
    await settled(await lookup(account.token));
    for (let i = 0; i < 1_100; i++) await lookup(newToken());
    const get = vi.spyOn(env.ACCOUNTS, "get");
    onTestFinished(() => get.mockRestore());
    expect((await lookup(account.token, NOW + 1)).ok).toBe(true);
    expect(get).not.toHaveBeenCalled();
  });

  it("answers 500 for a record whose logonKey does not fit its cipher (an sm4-cbc key of 32 characters)", async () => {
    const account = await createAccount({ cipher: "sm4-cbc" }, 32);
    expect(await lookup(account.token)).toEqual({ ok: false, code: "500" });
  });
});
