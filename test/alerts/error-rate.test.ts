// upstream.error_rate counts what the router marks a fault (docs/contract.md §11): a vendor's own
// code for its failure counts as a transport failure does; a code about the request does not.
// Real requests through the juhe3 and Tencent clients, the vendors and the webhook faked at the
// HTTP boundary.

import { beforeEach, describe, expect, it } from "vitest";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount } from "../support/caller.ts";
import { juheError } from "../support/juhe-mock.ts";
import { tencentError } from "../support/upstream-mock.ts";
import { fakeWebhook, shape } from "./webhook.ts";

const JUHE3 = "https://juhe3.test";
const TENCENT = "https://tencent.test";
const ONLY_JUHE3 = { UPSTREAMS: "juhe3", JUHE3_BASE_URL: JUHE3, JUHE3_KEY: "juhe3-key", JUHE_OPENID: "openid" };
const ONLY_TENCENT = {
  UPSTREAMS: "tencent",
  TENCENT_BASE_URL: TENCENT,
  TENCENT_SECRET_ID: "AKIDtest",
  TENCENT_SECRET_KEY: "tencent-secret",
};

/** Four different people at once (ALERT_ERROR_MIN_ATTEMPTS is 4 here): one attempt each. */
async function fourRequests(account: TestAccount, vars: Record<string, string>): Promise<string[]> {
  const person = (i: number) => ({
    idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
    userName: "张三",
    loginphone: "13800138000",
  });
  const answers = await Promise.all(
    [1, 2, 3, 4].map(async (i) => sendSettled(JSON.stringify(await logonBody(account, person(i))), vars)),
  );
  return Promise.all(answers.map(async (r) => ((await r.json()) as { errorCode: string }).errorCode));
}

beforeEach(freshIsolate);

describe("upstream.error_rate", () => {
  it("counts juhe's 10020 (under maintenance), a code of the vendor's own, as a fault", {
    timeout: 30_000,
  }, async () => {
    const webhook = fakeWebhook(() => 200, { [JUHE3]: () => juheError(10020) });
    const codes = await fourRequests(await createAccount(), ONLY_JUHE3);
    expect([codes, (await webhook.deliveries(1)).map(shape)]).toEqual([
      ["503", "503", "503", "503"],
      [
        {
          type: "upstream.error_rate",
          accountId: null,
          upstream: "juhe3",
          data: { attempts: 4, faults: 4, percent: 100, thresholdPercent: 50, windowSeconds: 300 },
          signed: true,
        },
      ],
    ]);
  });

  it("does not count Tencent's InvalidParameter, an answer about the request", { timeout: 30_000 }, async () => {
    const webhook = fakeWebhook(() => 200, { [TENCENT]: () => tencentError("InvalidParameter") });
    const codes = await fourRequests(await createAccount(), ONLY_TENCENT);
    expect([codes, await webhook.deliveries(0)]).toEqual([["502", "502", "502", "502"], []]);
  });
});
