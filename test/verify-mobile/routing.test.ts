// Carrier routing, failover and the breaker through the whole Worker (docs/contract.md §5): the
// sandbox chain end to end, and real upstream configurations with every upstream faked at the
// HTTP boundary. Billing stays one reservation per request, committed once.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { health } from "../../src/config/health.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { type Envelope, ORDER_HEADER } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { logonOf, sandboxPerson, ZHANG } from "../fixtures/sandbox-people.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount, verify } from "../support/caller.ts";
import { juheError, juheMatch } from "../support/juhe-mock.ts";
import { mockUpstreams, tencentError, tencentResult } from "../support/upstream-mock.ts";

const TODAY = chinaDay(Date.now());
const JUHE = "https://juhe.test";
const JUHE3 = "https://juhe3.test";
const TENCENT = "https://tencent.test";

/** UPSTREAMS=juhe:CTCC,juhe3,tencent against the faked network. */
const CONFIGURED = {
  UPSTREAMS: "juhe:CTCC,juhe3,tencent",
  JUHE_BASE_URL: JUHE,
  JUHE_KEY: "juhe-key",
  JUHE_OPENID: "openid",
  JUHE3_BASE_URL: JUHE3,
  JUHE3_KEY: "juhe3-key",
  TENCENT_BASE_URL: TENCENT,
  TENCENT_SECRET_ID: "AKIDtest",
  TENCENT_SECRET_KEY: "tencent-secret",
};

/** A different person each time, so the duplicate window never answers. */
const someone = (i: number, loginphone: string) => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone,
});

const ledger = (account: TestAccount) =>
  env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id)).ledger(TODAY, TODAY, 100);
const state = (account: TestAccount) =>
  env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id)).state("verifyMobile", {
    balanceFen: account.record.openingBalanceFen,
    remaining: account.record.services.verifyMobile!.remaining,
  });

/** Through the app with its own execution context, waiting for the settlement it left in the background. */
async function post(account: TestAccount, identity: unknown, vars: Record<string, string> = {}): Promise<Envelope> {
  return (await (await sendSettled(JSON.stringify(await logonBody(account, identity)), vars)).json()) as Envelope;
}

beforeEach(freshIsolate);

describe("the sandbox chain (UPSTREAMS=sandbox: juhe:CTCC → juhe3 → tencent, each real client against its twin)", () => {
  it.each([
    ["13800138000", "CMCC"],
    ["18600186000", "CUCC"],
    ["18900189000", "CTCC"],
    ["19200192000", "CBN"],
  ])("%s answers 10000 / 11 with info.carrier %s", async (phone, carrier) => {
    const { response, envelope } = await verify(await createAccount(), logonOf(sandboxPerson(phone)));
    expect(envelope).toEqual({
      errorCode: "200",
      errorDetail: "查询成功",
      errorReason: null,
      info: { orderNo: response.headers.get(ORDER_HEADER), matchCode: "11", carrier, billable: true, duplicate: false },
      returnCode: "10000",
      returnDesc: "一致的",
    });
  });

  it.each([
    ["a Telecom number: juhe answers", "18900189000", [["juhe", "0"]], "CTCC"],
    ["a Mobile number: juhe3 answers", "13800138000", [["juhe3", "0"]], "CMCC"],
    [
      "a Telecom number juhe faults on (227301): juhe3 answers",
      "18900189001",
      [
        ["juhe", "227301"],
        ["juhe3", "0"],
      ],
      "CTCC",
    ],
    // juhe's 227304 says the Telecom segment is out of date; juhe3 names no carrier: unknown.
    [
      "a number ported from Telecom to Mobile, refused by juhe (227304): juhe3 answers",
      "18900189002",
      [
        ["juhe", "227304"],
        ["juhe3", "0"],
      ],
      null,
    ],
    [
      "a Unicom number while juhe3 is in maintenance (10020): Tencent answers with its Isp",
      "18600186001",
      [
        ["juhe3", "10020"],
        ["tencent", "0"],
      ],
      "CUCC",
    ],
  ])("%s", async (_, phone, attempts, carrier) => {
    const account = await createAccount();
    const envelope = await post(account, logonOf(sandboxPerson(phone)));
    const [row] = await ledger(account);
    expect([
      envelope.errorCode,
      envelope.info?.carrier,
      row!.attempts.map((a) => [a.upstream, a.code]),
      row!.chargedFen,
    ]).toEqual(["200", carrier, attempts, 0]);
  });

  it.each([
    ["13900227303", "308", [["juhe3", "227303"]]],
    ["13900227304", "310", [["juhe3", "227304"]]],
    [
      "13900227301",
      "504",
      [
        ["juhe3", "227301"],
        ["tencent", "-11"],
      ],
    ],
    [
      "13900010020",
      "503",
      [
        ["juhe3", "10020"],
        ["tencent", "ResourceUnavailable"],
      ],
    ],
    [
      "13900010001",
      "500",
      [
        ["juhe3", "10001"],
        ["tencent", "AuthFailure.SecretIdNotFound"],
      ],
    ],
    [
      "13900099999",
      "504",
      [
        ["juhe3", "99999"],
        ["tencent", "-11"],
      ],
    ],
    [
      "13900000500",
      "502",
      [
        ["juhe3", null],
        ["tencent", null],
      ],
    ],
    [
      "13900000503",
      "503",
      [
        ["juhe3", null],
        ["tencent", null],
      ],
    ],
  ])("the fault phone %s faults on every upstream it reaches: %s", async (phone, code, attempts) => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => error.mockRestore());
    const account = await createAccount();
    const envelope = await post(account, logonOf(ZHANG, { loginphone: phone }));
    const [row] = await ledger(account);
    expect([envelope.errorCode, row!.attempts.map((a) => [a.upstream, a.code])]).toEqual([code, attempts]);
  });

  it("the never-answering phone times out on juhe3 and Tencent: 501 within the deadline", async () => {
    const started = Date.now();
    const { envelope } = await verify(await createAccount(), logonOf(ZHANG, { loginphone: "13900000408" }));
    expect(envelope.errorCode).toBe("501");
    expect(Date.now() - started).toBeLessThan(1500); // UPSTREAM_TIMEOUT_MS 300, deadline 600
  });

  it("/healthz names the sandbox", () => {
    expect(health(env)).toEqual({ status: 200, body: { ok: true, upstream: "sandbox" } });
  });
});

describe("billing with several attempts", () => {
  const priced = () =>
    createAccount({ openingBalanceFen: 1000, services: { verifyMobile: { priceFen: 50, remaining: 10 } } });

  it("charges once for an answer after a failover; the ledger row lists every attempt", async () => {
    const account = await priced();
    const network = mockUpstreams({
      [JUHE3]: () => juheError(227301),
      [TENCENT]: () => tencentResult("0", "移动", "0c5f3a9e-1111-4222-8333-944455556666"),
    });
    const envelope = await post(account, someone(1, "13800000001"), CONFIGURED);
    const rows = await ledger(account);
    expect({
      answer: [envelope.errorCode, envelope.returnCode, envelope.info?.carrier, envelope.info?.billable],
      asked: network.asked(),
      rows: rows.map((r) => [r.errorCode, r.chargedFen, r.upstreamOrderId, r.upstreamCode]),
      attempts: rows[0]!.attempts,
      state: await state(account),
    }).toEqual({
      answer: ["200", "10000", "CMCC", true],
      asked: [JUHE3, TENCENT],
      rows: [["200", 50, "0c5f3a9e-1111-4222-8333-944455556666", 0]],
      attempts: [
        { upstream: "juhe3", code: "227301", ms: expect.any(Number), orderId: null, fault: true },
        {
          upstream: "tencent",
          code: "0",
          ms: expect.any(Number),
          orderId: "0c5f3a9e-1111-4222-8333-944455556666",
          fault: false,
        },
      ],
      state: { balanceFen: 950, remaining: 9, reserved: 0 },
    });
  });

  it("charges nothing when every attempt fails, and still lists them all, each marked a fault or not", async () => {
    const account = await priced();
    mockUpstreams({
      [JUHE]: () => juheError(227304),
      [JUHE3]: () => juheError(10012),
      [TENCENT]: () => tencentError("InternalError"),
    });
    const envelope = await post(account, someone(2, "18900000002"), CONFIGURED);
    const [row] = await ledger(account);
    expect([
      envelope.errorCode,
      envelope.errorReason,
      row!.chargedFen,
      row!.attempts.map((a) => [a.upstream, a.code, a.fault]),
      await state(account),
    ]).toEqual([
      "504",
      "上游系统内部异常",
      0,
      [
        ["juhe", "227304", false],
        ["juhe3", "10012", true],
        ["tencent", "InternalError", true],
      ],
      { balanceFen: 1000, remaining: 10, reserved: 0 },
    ]);
  });

  it("a final answer ends the request: 308 from juhe3, Tencent never asked, nothing charged", async () => {
    const account = await priced();
    const network = mockUpstreams({ [JUHE3]: () => juheError(227303), [TENCENT]: () => tencentResult("0") });
    const envelope = await post(account, someone(3, "13800000003"), CONFIGURED);
    expect([envelope.errorCode, network.asked(), (await state(account)).balanceFen]).toEqual(["308", [JUHE3], 1000]);
  });

  it("a replay keeps the carrier of the first answer", async () => {
    const account = await createAccount({ duplicatePolicy: "replay" });
    mockUpstreams({ [JUHE]: () => juheMatch(1, "11"), [JUHE3]: () => juheMatch(1, "11") });
    const first = await post(account, someone(4, "18900000004"), CONFIGURED);
    const again = await post(account, someone(4, "18900000004"), CONFIGURED);
    expect([first.info?.carrier, again.info?.carrier, again.info?.duplicate]).toEqual(["CTCC", "CTCC", true]);
  });
});

describe("the circuit breaker through the Worker", () => {
  // docs/contract.md §5: opens at a failure rate of 50 % over at least 20 attempts in 60 s, for 30 s.
  const OPENING = 20;
  const quiet = () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
  };

  it("after 20 faults juhe3 is skipped: Tencent answers alone, and the ledger says so", async () => {
    quiet();
    const account = await createAccount();
    const network = mockUpstreams({ [JUHE3]: () => juheError(10020), [TENCENT]: () => tencentResult("0", "移动") });
    for (let i = 0; i < OPENING; i++)
      expect(
        (await post(account, someone(10 + i, `138000011${String(i).padStart(2, "0")}`), CONFIGURED)).errorCode,
      ).toBe("200");
    const before = network.requests.length;
    await post(account, someone(40, "13800000010"), CONFIGURED);
    const rows = await ledger(account);
    expect([network.asked().slice(before), rows.map((r) => r.attempts.length)]).toEqual([
      [TENCENT],
      [...Array(OPENING).fill(2), 1],
    ]);
  });

  it("503 without any upstream call when the only upstream's circuit is open, naming it and when it is asked again", async () => {
    quiet();
    const account = await createAccount();
    const only = { ...CONFIGURED, UPSTREAMS: "juhe3" };
    const network = mockUpstreams({ [JUHE3]: () => juheError(10014) });
    for (let i = 0; i < OPENING; i++)
      await post(account, someone(50 + i, `138000012${String(i).padStart(2, "0")}`), only);
    const before = network.requests.length;
    const envelope = await post(account, someone(80, "13800000030"), only);
    expect([envelope.errorCode, network.requests.length - before]).toEqual(["503", 0]);
    expect(envelope.errorReason).toMatch(/^上游juhe3故障率过高，暂停调用，(30|29)秒后再试$/);
  });

  it("the open circuit's 503 carries Retry-After with the seconds its reason names", async () => {
    quiet();
    const account = await createAccount();
    const only = { ...CONFIGURED, UPSTREAMS: "juhe3" };
    mockUpstreams({ [JUHE3]: () => juheError(10014) });
    for (let i = 0; i < OPENING; i++)
      await post(account, someone(50 + i, `138000012${String(i).padStart(2, "0")}`), only);
    const response = await sendSettled(JSON.stringify(await logonBody(account, someone(80, "13800000030"))), only);
    const envelope = (await response.json()) as Envelope;
    const seconds = /(\d+)秒后再试$/.exec(envelope.errorReason ?? "")?.[1];
    expect([envelope.errorCode, response.headers.get("Retry-After")]).toEqual(["503", seconds]);
  });

  // Issue 17 item 4: the attack replayed. One account sends five requests whose input Tencent
  // refuses (InvalidParameterValue), then five whose attempts fail outright; another account's
  // Unicom number must still be answered.
  it("five fault-making requests from one account do not open the breaker for everyone", async () => {
    quiet();
    const attacker = await createAccount();
    const victim = await createAccount();
    const only = { ...CONFIGURED, UPSTREAMS: "tencent" };
    const phoneOf = (body: string) => (JSON.parse(body) as { Phone: string }).Phone;
    mockUpstreams({
      [TENCENT]: ({ body }) => {
        const phone = phoneOf(body);
        if (phone === "13800000061") return tencentError("InvalidParameterValue.Phone");
        if (phone === "13800000062") return new Response("boom", { status: 500 });
        return tencentResult("0", "联通");
      },
    });
    const refused = [];
    for (let i = 0; i < 5; i++) refused.push((await post(attacker, someone(60 + i, "13800000061"), only)).errorCode);
    for (let i = 0; i < 5; i++) refused.push((await post(attacker, someone(70 + i, "13800000062"), only)).errorCode);
    const answer = await post(victim, someone(90, "18600000091"), only);
    expect([refused, answer.errorCode, answer.info?.carrier]).toEqual([
      [...Array(5).fill("502"), ...Array(5).fill("502")],
      "200",
      "CUCC",
    ]);
  });
});

describe("configuration", () => {
  it.each([
    ["juhe", { JUHE_KEY: "" }, "missing JUHE_KEY (UPSTREAMS names juhe)"],
    ["juhe", { JUHE_OPENID: "" }, "missing JUHE_OPENID (UPSTREAMS names juhe)"],
    ["juhe3", { JUHE3_KEY: "" }, "missing JUHE3_KEY (UPSTREAMS names juhe3)"],
    ["juhe3", { JUHE_OPENID: "", JUHE_KEY: "k" }, "missing JUHE_OPENID (UPSTREAMS names juhe3)"],
    ["tencent", { TENCENT_SECRET_ID: "" }, "missing TENCENT_SECRET_ID (UPSTREAMS names tencent)"],
    ["tencent", { TENCENT_SECRET_KEY: "" }, "missing TENCENT_SECRET_KEY (UPSTREAMS names tencent)"],
  ])(
    "%s named without its secrets (%o): 500 on the API, 503 on /healthz, the log names it",
    async (name, missing, problems) => {
      const error = vi.spyOn(console, "error").mockImplementation(() => {});
      onTestFinished(() => error.mockRestore());
      const vars = { ...CONFIGURED, UPSTREAMS: name, ...missing };
      mockUpstreams({});
      const envelope = await post(await createAccount(), logonOf(ZHANG), vars);
      expect([envelope.errorCode, health({ ...env, ...vars }).status]).toEqual(["500", 503]);
      expect(error.mock.calls.map((c) => JSON.parse(String(c[0])))).toContainEqual({
        level: "error",
        event: "config_invalid",
        problems,
      });
    },
  );

  it.each(["sandbox,juhe", "juhe,sandbox", "sandbox:CMCC"])("UPSTREAMS=%s: the sandbox stands alone", (upstreams) => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => error.mockRestore());
    expect(health({ ...env, ...CONFIGURED, UPSTREAMS: upstreams })).toEqual({
      status: 503,
      body: { ok: false, upstream: null },
    });
  });

  it("/healthz names every configured upstream with its carriers", () => {
    expect(health({ ...env, ...CONFIGURED })).toEqual({
      status: 200,
      body: { ok: true, upstream: "juhe-encrypted:CTCC,juhe3-encrypted,tencent" },
    });
  });
});
