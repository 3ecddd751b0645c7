// Rotation with a grace (docs/contract.md §9): both credentials stored, the previous one honoured
// until its end, checked at read time against `now` (no job), a grace of 0 as before.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lookupAccount } from "../../src/accounts/lookup.ts";
import { AccountRecord, accountKey, tokenKey } from "../../src/accounts/record.ts";
import { MAX_GRACE_SECONDS, rotateKey, rotateToken } from "../../src/accounts/rotate.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import {
  callerBody,
  createAccount,
  freshIsolate,
  sendForm,
  sendSettled,
  TEST_SECRET,
  verify,
} from "../support/caller.ts";

const kv = env.ACCOUNTS;
const lookup = (token: string, now: number) => lookupAccount(kv, TEST_SECRET, token, now);
const stored = async (id: string) => AccountRecord.parse(JSON.parse((await kv.get(accountKey(id)))!));
const [zhang] = SANDBOX_PEOPLE;
const identity = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };

beforeEach(freshIsolate);
afterEach(() => vi.restoreAllMocks());

/** The previousCredential of each request's log line while `run` runs (docs/contract.md §9). */
async function credentialsLogged(run: () => Promise<unknown>): Promise<unknown[]> {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  await run();
  vi.restoreAllMocks();
  return lines
    .map((line) => JSON.parse(line) as { event: string; previousCredential?: unknown })
    .filter((entry) => entry.event === "verifyMobile")
    .map((entry) => entry.previousCredential);
}

describe("rotateToken", () => {
  it("with no grace: the old token is 105 at once, the new one works", async () => {
    const account = await createAccount();
    const now = Date.now();
    const rotated = await rotateToken(kv, account.record, 0, new Date(now));
    expect(rotated.ok && rotated.value.record.previousToken).toBeNull();
    const token = rotated.ok ? rotated.value.token : "";
    expect([(await lookup(account.token, now)).ok, (await lookup(token, now)).ok]).toEqual([false, true]);
    expect(await kv.get(tokenKey(account.record.tokenHash))).toBeNull();
  });

  it("with a grace: the old token finds the account as 'previous' until the grace ends", async () => {
    const account = await createAccount();
    const now = Date.now();
    await rotateToken(kv, account.record, 3600, new Date(now));
    const during = await lookup(account.token, now + 3_599_000);
    expect(during.ok && during.value.account.token).toBe("previous");
    freshIsolate();
    expect(await lookup(account.token, now + 3_600_000)).toEqual({ ok: false, code: "105" });
  });

  it("ends the grace for an account already cached in the isolate (checked at each read)", async () => {
    const account = await createAccount();
    const now = Date.now();
    await rotateToken(kv, account.record, 2, new Date(now));
    expect((await lookup(account.token, now + 1000)).ok).toBe(true);
    expect(await lookup(account.token, now + 2001)).toEqual({ ok: false, code: "105" });
  });

  it("keeps the previous token's entry with a KV expiry at the grace's end", async () => {
    const account = await createAccount();
    const now = Date.now();
    await rotateToken(kv, account.record, 3600, new Date(now));
    const { keys } = await kv.list({ prefix: tokenKey(account.record.tokenHash) });
    expect(keys.map((k) => k.expiration)).toEqual([Math.ceil((now + 3_600_000) / 1000)]);
  });

  it("ends an earlier rotation's grace: one previous token at a time", async () => {
    const account = await createAccount();
    const now = Date.now();
    const first = await rotateToken(kv, account.record, 3600, new Date(now));
    const second = await rotateToken(kv, await stored(account.record.id), 3600, new Date(now));
    const tokens = [account.token, first.ok ? first.value.token : "", second.ok ? second.value.token : ""];
    freshIsolate();
    const found = await Promise.all(tokens.map((token) => lookup(token, now)));
    expect(found.map((r) => r.ok && r.value.account.token)).toEqual([false, "previous", "current"]);
  });

  it.each([MAX_GRACE_SECONDS + 1, -1, 1.5])("refuses a grace of %s seconds and changes nothing", async (grace) => {
    const account = await createAccount();
    expect(await rotateToken(kv, account.record, grace, new Date())).toEqual({
      ok: false,
      error: "the grace must be a whole number of seconds from 0 to 604800 (7 days)",
    });
    expect(await stored(account.record.id)).toEqual(account.record);
  });
});

describe("the audit of a rotated credential", () => {
  it("logs which previous credential a request used: token, key, both, or none", async () => {
    const account = await createAccount();
    const now = new Date();
    const tokenRotation = await rotateToken(kv, account.record, 600, now);
    const keyRotation = await rotateKey(kv, await stored(account.record.id), TEST_SECRET, 16, 600, now);
    const token = tokenRotation.ok ? tokenRotation.value.token : "";
    const logonKey = keyRotation.ok ? keyRotation.value.logonKey : "";
    const record = await stored(account.record.id);
    freshIsolate();
    const people = SANDBOX_PEOPLE.slice(0, 4).map((p) => ({ idCard: p.idCard, userName: p.name, loginphone: p.phone }));
    const logged = await credentialsLogged(async () => {
      await verify({ record, token, logonKey }, people[0]);
      await verify({ record, token: account.token, logonKey }, people[1]);
      await verify({ record, token, logonKey: account.logonKey }, people[2]);
      await verify({ record, token: account.token, logonKey: account.logonKey }, people[3]);
    });
    expect(logged).toEqual([null, "token", "key", "token,key"]);
  });

  it("writes it in the ledger row: settled answers' and the isolate's rows alike", async () => {
    const account = await createAccount();
    const now = new Date();
    const tokenRotation = await rotateToken(kv, account.record, 600, now);
    const keyRotation = await rotateKey(kv, await stored(account.record.id), TEST_SECRET, 16, 600, now);
    const token = tokenRotation.ok ? tokenRotation.value.token : "";
    const logonKey = keyRotation.ok ? keyRotation.value.logonKey : "";
    const record = await stored(account.record.id);
    freshIsolate();
    const people = SANDBOX_PEOPLE.slice(0, 4).map((p) => ({ idCard: p.idCard, userName: p.name, loginphone: p.phone }));
    const callers = [
      { record, token, logonKey },
      { record, token: account.token, logonKey },
      { record, token, logonKey: account.logonKey },
      { record, token: account.token, logonKey: account.logonKey },
    ];
    for (const [i, caller] of callers.entries()) await sendSettled(JSON.stringify(await callerBody(caller, people[i])));
    // The same identity again within the duplicate window: the 309 comes from the isolate's cache.
    await sendSettled(JSON.stringify(await callerBody(callers[3]!, people[3])));
    const today = chinaDay(Date.now());
    const rows = await env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(record.id)).ledger(today, today, 10);
    expect(rows.map((row) => [row.errorCode, row.previousCredential])).toEqual([
      ["200", null],
      ["200", "token"],
      ["200", "key"],
      ["200", "token,key"],
      ["309", "token,key"],
    ]);
  });
});

describe("rotateKey", () => {
  it("with a grace: logons under the old key are answered, and so are the new key's", async () => {
    const account = await createAccount();
    const rotated = await rotateKey(kv, account.record, TEST_SECRET, 16, 3600, new Date());
    const logonKey = rotated.ok ? rotated.value.logonKey : "";
    freshIsolate();
    expect((await verify(account, identity)).envelope.errorCode).toBe("200");
    const withNewKey = { ...account, record: await stored(account.record.id), logonKey };
    expect((await verify(withNewKey, { ...identity, loginphone: SANDBOX_PEOPLE[1].phone })).envelope.errorCode).toBe(
      "200",
    );
  });

  it("with no grace: a logon under the old key is the fixed 307", async () => {
    const account = await createAccount();
    await rotateKey(kv, account.record, TEST_SECRET, 16, 0, new Date());
    freshIsolate();
    expect((await sendForm(await callerBody(account, identity))).envelope.errorCode).toBe("307");
  });

  it("keeps a signature under the old key valid during the grace", async () => {
    const account = await createAccount({ requireSign: true });
    await rotateKey(kv, account.record, TEST_SECRET, 16, 600, new Date());
    freshIsolate();
    expect((await verify(account, identity)).envelope.errorCode).toBe("200");
  });

  it("refuses a key length the cipher cannot take and changes nothing", async () => {
    const account = await createAccount({ cipher: "sm4-cbc" });
    expect(await rotateKey(kv, account.record, TEST_SECRET, 32, 0, new Date())).toEqual({
      ok: false,
      error: "sm4-cbc takes a logonKey of 16 characters",
    });
    expect(await stored(account.record.id)).toEqual(account.record);
  });
});
