// POST /admin/accounts/:id/rotate-token and /rotate-key (docs/contract.md §10): the account
// command's rotations, with their grace, through the admin API.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { AccountRecord, accountKey } from "../../src/accounts/record.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { createAccount, freshIsolate, verify } from "../support/caller.ts";

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const [zhang, li] = SANDBOX_PEOPLE;
const person = (p: { idCard: string; name: string; phone: string }) => ({
  idCard: p.idCard,
  userName: p.name,
  loginphone: p.phone,
});

const post = (path: string, body: string, token = ADMIN) =>
  exports.default.fetch(
    new Request(`http://gateway.test/admin${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body,
    }),
  );
const stored = async (id: string) => AccountRecord.parse(JSON.parse((await env.ACCOUNTS.get(accountKey(id)))!));

beforeEach(freshIsolate);

describe("POST /admin/accounts/:id/rotate-token", () => {
  it("answers the new token; with a grace the old one keeps working", async () => {
    const account = await createAccount();
    const response = await post(`/accounts/${account.record.id}/rotate-token`, '{"graceSeconds":3600}');
    const body = (await response.json()) as { accountId: string; token: string; previousTokenUntil: string };
    expect([response.status, body.accountId, typeof body.token, typeof body.previousTokenUntil]).toEqual([
      200,
      account.record.id,
      "string",
      "string",
    ]);
    freshIsolate();
    const record = await stored(account.record.id);
    expect((await verify({ ...account, record }, person(zhang))).envelope.errorCode).toBe("200");
    expect((await verify({ ...account, record, token: body.token }, person(li))).envelope.errorCode).toBe("200");
  });

  it("with an empty body: no grace, the old token is 105", async () => {
    const account = await createAccount();
    expect((await post(`/accounts/${account.record.id}/rotate-token`, "")).status).toBe(200);
    freshIsolate();
    expect((await verify(account, person(zhang))).envelope.errorCode).toBe("105");
  });

  it.each(['{"graceSeconds":604801}', '{"graceSeconds":-1}', '{"graceSeconds":"1h"}', "not json"])(
    "refuses %s with 400 and changes nothing",
    async (body) => {
      const account = await createAccount();
      const response = await post(`/accounts/${account.record.id}/rotate-token`, body);
      expect([response.status, await response.json()]).toEqual([
        400,
        { error: "body must be {graceSeconds?: integer 0..604800}" },
      ]);
      expect(await stored(account.record.id)).toEqual(account.record);
    },
  );

  it("needs the admin token", async () => {
    const account = await createAccount();
    expect((await post(`/accounts/${account.record.id}/rotate-token`, "{}", "wrong")).status).toBe(401);
    expect(await stored(account.record.id)).toEqual(account.record);
  });

  it("answers 404 for an unknown account", async () => {
    expect((await post("/accounts/acc_0000000000000000/rotate-token", "{}")).status).toBe(404);
  });
});

describe("POST /admin/accounts/:id/rotate-key", () => {
  it("answers the new logonKey, of the old one's length; with a grace the old one keeps working", async () => {
    const account = await createAccount({}, 32);
    const response = await post(`/accounts/${account.record.id}/rotate-key`, '{"graceSeconds":600}');
    const body = (await response.json()) as { logonKey: string; previousLogonKeyUntil: string | null };
    expect([response.status, body.logonKey.length, typeof body.previousLogonKeyUntil]).toEqual([200, 32, "string"]);
    freshIsolate();
    const record = await stored(account.record.id);
    expect((await verify({ ...account, record }, person(zhang))).envelope.errorCode).toBe("200");
    expect((await verify({ ...account, record, logonKey: body.logonKey }, person(li))).envelope.errorCode).toBe("200");
  });

  it("refuses a key length the cipher cannot take, changing nothing", async () => {
    const account = await createAccount({ cipher: "sm4-cbc" });
    const response = await post(`/accounts/${account.record.id}/rotate-key`, '{"keyLength":32}');
    expect([response.status, await response.json()]).toEqual([
      400,
      { error: "sm4-cbc takes a logonKey of 16 characters" },
    ]);
    expect(await stored(account.record.id)).toEqual(account.record);
  });
});
