// A refusal answered in the isolate whose process dies before the ledger batch leaves
// (docs/contract.md §7): the row is lost, within the bound the contract states, and the request is
// still on record in its log line, written before the answer. The work is abandoned as a killed
// process abandons it: nothing the request left in the background ever runs.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import app from "../../src/index.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { ORDER_HEADER } from "../../src/wire/envelope.ts";
import { API, createAccount, encryptLogon, freshIsolate, IV } from "../support/caller.ts";

const TODAY = chinaDay(Date.now());

beforeEach(() => {
  freshIsolate();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => vi.useRealTimers());

it("loses the row of a refusal still in the batch, and keeps the request in its log line", async () => {
  // A frozen account: refused at the account check, in the isolate, before any call to its object.
  const account = await createAccount({ openingBalanceFen: 1000, status: "frozen" });
  const body = JSON.stringify({
    token: account.token,
    iv: IV,
    logon: await encryptLogon(account.logonKey, {
      idCard: "110101199001010011",
      userName: "张三",
      loginphone: "13800138000",
    }),
  });
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
  // A context that drops everything handed to it: the process dies as the answer leaves.
  const dead = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  const response = await app.fetch(
    new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
    env,
    dead,
  );
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === "verifyMobile");
  log.mockRestore();
  const orderNo = response.headers.get(ORDER_HEADER);
  const object = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
  expect({
    logged: logged.map((l) => [l.orderNo, l.accountId, l.errorCode, l.billable]),
    ledger: await object.ledger(TODAY, TODAY, 10),
  }).toEqual({ logged: [[orderNo, account.record.id, "304", false]], ledger: [] });
});
