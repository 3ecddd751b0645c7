// A replayed answer's ledger row points to the order number the caller saw (docs/contract.md §6,
// §7: `replayOf`): a requestId retry's original order, a duplicate's first order, the order a 309
// names; a request answered on its own points nowhere.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/billing/types.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { ORDER_HEADER } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount } from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const identity = {
  idCard: withCheckDigit("11010119900101001"),
  userName: "张三",
  loginphone: "13800138000",
};

/** Posts the identity and answers the order number the caller saw, once the request's ledger row is written. */
async function post(account: TestAccount, fields: Record<string, string> = {}): Promise<string | null> {
  const body = JSON.stringify({ ...(await logonBody(account, identity)), ...fields });
  return (await sendSettled(body, JUHE)).headers.get(ORDER_HEADER);
}

/** Each ledger row's order, code, duplicate flag and replayOf, oldest first. */
async function rows(account: TestAccount): Promise<Pick<LedgerEntry, "errorCode" | "duplicate" | "replayOf">[]> {
  const today = chinaDay(Date.now());
  const object = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
  const found = (await object.ledger(today, today, 100)) as LedgerEntry[];
  return found.map(({ errorCode, duplicate, replayOf }) => ({ errorCode, duplicate, replayOf }));
}

const account = (policy: "reject" | "replay") =>
  createAccount({
    duplicatePolicy: policy,
    openingBalanceFen: 1000,
    services: { verifyMobile: { priceFen: 30, remaining: null } },
  });

beforeEach(freshIsolate);

describe("a ledger row's replayOf", () => {
  it("is the original order for a requestId retry, whose answer carries that order number", async () => {
    const caller = await account("reject");
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const first = await post(caller, { requestId: "r-1" });
    freshIsolate();
    const retried = await post(caller, { requestId: "r-1" });
    expect([retried, await rows(caller)]).toEqual([
      first,
      [
        { errorCode: "200", duplicate: false, replayOf: null },
        { errorCode: "200", duplicate: true, replayOf: first },
      ],
    ]);
  });

  it("is the first order for a duplicate replayed under the replay policy", async () => {
    const caller = await account("replay");
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const first = await post(caller);
    const replayed = await post(caller);
    expect([replayed === first, await rows(caller)]).toEqual([
      false,
      [
        { errorCode: "200", duplicate: false, replayOf: null },
        { errorCode: "200", duplicate: true, replayOf: first },
      ],
    ]);
  });

  it("is the order a 309 names under the reject policy, from another isolate", async () => {
    const caller = await account("reject");
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const first = await post(caller);
    freshIsolate();
    await post(caller);
    expect(await rows(caller)).toEqual([
      { errorCode: "200", duplicate: false, replayOf: null },
      { errorCode: "309", duplicate: true, replayOf: first },
    ]);
  });

  it("is the order an identical request in flight holds, which its 309 names", async () => {
    const caller = await account("replay");
    mockJuhe("https://v.juhe.cn", async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return juheMatch(1, "11");
    });
    const [one, two] = await Promise.all([post(caller), post(caller)]);
    const answered = await rows(caller);
    const refused = answered.find((row) => row.errorCode === "309");
    expect([refused, [one, two]]).toEqual([
      { errorCode: "309", duplicate: true, replayOf: expect.any(String) },
      expect.arrayContaining([refused?.replayOf]),
    ]);
  });
});
