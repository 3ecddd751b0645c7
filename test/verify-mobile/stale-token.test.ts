// A token entry a rotation left behind, written back (docs/contract.md §9): the record names another
// token, so the old token is 105 and owns nothing of the account: no row in its ledger, and once
// an isolate has heard the record's verdict, no call to its object at all.

import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { ACCOUNT_CACHE_MS } from "../../src/accounts/lookup.ts";
import { newToken } from "../../src/accounts/record.ts";
import { sha256Hex } from "../../src/crypto/secrets.ts";
import { chinaDay } from "../../src/platform/time.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, writeAccount } from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const identity = { idCard: withCheckDigit("11010119900101001"), userName: "张三", loginphone: "13800138000" };

/** The account objects' namespace, counting every call made on any stub. */
function countedObjects(calls: string[]): Env["ACCOUNT_OBJECTS"] {
  const namespace = env.ACCOUNT_OBJECTS;
  const get = (id: DurableObjectId) =>
    new Proxy(namespace.get(id), {
      get: (target, method) => {
        calls.push(String(method));
        return Reflect.get(target, method);
      },
    });
  return { idFromName: (name: string) => namespace.idFromName(name), get } as unknown as Env["ACCOUNT_OBJECTS"];
}

beforeEach(() => {
  freshIsolate();
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
});
afterEach(() => vi.useRealTimers());

it("an old token whose entry is back: 105, no row in the account's ledger, no object call once the record has spoken", async () => {
  const victim = await createAccount();
  mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
  // The rotation wrote the new token's entry and the record; the old entry is still (or again) there.
  await writeAccount({ ...victim.record, tokenHash: await sha256Hex(newToken()) });
  const body = JSON.stringify(await logonBody(victim, identity));
  const first = (await (await sendSettled(body, JUHE)).json()) as Envelope;
  vi.setSystemTime(Date.now() + ACCOUNT_CACHE_MS + 1);
  const calls: string[] = [];
  const later = (await (
    await sendSettled(body, { ...JUHE, ACCOUNT_OBJECTS: countedObjects(calls) } as never)
  ).json()) as Envelope;
  const object = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(victim.record.id));
  const today = chinaDay(Date.now());
  expect([first.errorCode, later.errorCode, calls, await object.ledger(today, today, 10)]).toEqual([
    "105",
    "105",
    [],
    [],
  ]);
});
