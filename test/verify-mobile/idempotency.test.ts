// Idempotent retries (docs/contract.md §6): a requestId (body or Idempotency-Key header) makes a
// retry get the original answer, under the original order number, unbilled and without an upstream
// call, whatever the duplicate policy; reused for another identity it is a 306.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type Envelope, ORDER_HEADER } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount } from "../support/caller.ts";
import { juheError, juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const object = (account: TestAccount) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
const identity = (i: number) => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone: "13800138000",
});

type Answer = { envelope: Envelope; header: string | null };

async function post(
  account: TestAccount,
  payload: unknown,
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await sendSettled(
    JSON.stringify({ ...(await logonBody(account, payload)), ...fields }),
    JUHE,
    headers,
  );
  return { envelope: (await response.json()) as Envelope, header: response.headers.get(ORDER_HEADER) };
}

const prepaid = (policy: "reject" | "replay") =>
  createAccount({
    duplicatePolicy: policy,
    openingBalanceFen: 1000,
    services: { verifyMobile: { priceFen: 30, remaining: null } },
  });
const balance = async (account: TestAccount) =>
  (await object(account).state("verifyMobile", { balanceFen: 1000, remaining: null })).balanceFen;

beforeEach(freshIsolate);

describe("a retry with the same requestId", () => {
  it.each(["reject", "replay"] as const)(
    "gets the original answer again under the %s policy: same orderNo, duplicate, unbilled, no upstream call",
    async (policy) => {
      const account = await prepaid(policy);
      const juhe = mockJuhe("https://v.juhe.cn", () => juheMatch(2, "21"));
      const first = await post(account, identity(1), { requestId: "order-7781" });
      freshIsolate(); // another edge: the caller's retry may land anywhere
      const retry = await post(account, identity(1), { requestId: "order-7781" });
      expect({
        first: first.envelope,
        retry: retry.envelope,
        header: retry.header,
        upstreamCalls: juhe.requests.length,
        balance: await balance(account),
      }).toEqual({
        first: {
          ...first.envelope,
          info: { orderNo: first.header, matchCode: "21", carrier: "CMCC", billable: true, duplicate: false },
        },
        retry: {
          ...first.envelope,
          info: { orderNo: first.header, matchCode: "21", carrier: "CMCC", billable: false, duplicate: true },
        },
        header: first.header,
        upstreamCalls: 1,
        balance: 970,
      });
    },
  );

  it("is the same through the Idempotency-Key header", async () => {
    const account = await prepaid("reject");
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    const first = await post(account, identity(1), {}, { "Idempotency-Key": "k-1" });
    const retry = await post(account, identity(1), { requestId: "k-1" });
    expect([retry.envelope.errorCode, retry.envelope.info?.orderNo, retry.envelope.info?.duplicate]).toEqual([
      "200",
      first.header,
      true,
    ]);
  });

  it("is refused with 306 naming requestId when the identity differs", async () => {
    const account = await prepaid("replay");
    mockJuhe("https://v.juhe.cn", () => juheMatch(1, "11"));
    await post(account, identity(1), { requestId: "r-1" });
    expect((await post(account, identity(2), { requestId: "r-1" })).envelope).toEqual({
      errorCode: "306",
      errorDetail: "请求参数requestId为空或格式错误",
      errorReason: "requestId已用于另一身份的请求",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("still in flight gets 309 naming the order it waits for", async () => {
    const account = await prepaid("replay");
    const juhe = mockJuhe("https://v.juhe.cn", async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return juheMatch(1, "11");
    });
    const answers = await Promise.all([
      post(account, identity(1), { requestId: "r-2" }),
      post(account, identity(1), { requestId: "r-2" }),
    ]);
    const leader = answers.find((a) => a.envelope.errorCode === "200")!;
    const other = answers.find((a) => a !== leader)!;
    expect([other.envelope.errorCode, other.envelope.errorReason, juhe.requests.length]).toEqual([
      "309",
      `相同请求正在处理中（订单${leader.header}），请稍后重试`,
      1,
    ]);
  });

  it("whose first attempt failed is processed anew, and billed once", async () => {
    const account = await prepaid("reject");
    let calls = 0;
    mockJuhe("https://v.juhe.cn", () => (++calls === 1 ? juheError(227301) : juheMatch(1, "11")));
    const first = await post(account, identity(1), { requestId: "r-3" });
    const retry = await post(account, identity(1), { requestId: "r-3" });
    const again = await post(account, identity(1), { requestId: "r-3" });
    expect([
      first.envelope.errorCode,
      retry.envelope.errorCode,
      retry.envelope.info?.billable,
      again.envelope.info?.orderNo,
      await balance(account),
    ]).toEqual(["504", "200", true, retry.header, 970]);
  });
});

describe("requestId's shape", () => {
  it.each([
    ["longer than 64 characters", { requestId: "x".repeat(65) }, {}, "requestId须为1–64个可打印ASCII字符"],
    ["not printable ASCII", { requestId: "订单1" }, {}, "requestId须为1–64个可打印ASCII字符"],
    ["not a string", { requestId: 42 }, {}, "参数须为字符串"],
    [
      "different in body and header",
      { requestId: "a" },
      { "Idempotency-Key": "b" },
      "请求体中的requestId与Idempotency-Key不一致",
    ],
  ])("306 when %s", async (_name, fields, headers, reason) => {
    const account = await createAccount();
    const { envelope } = await post(account, identity(1), fields, headers);
    expect([envelope.errorCode, envelope.errorDetail, envelope.errorReason]).toEqual([
      "306",
      "请求参数requestId为空或格式错误",
      reason,
    ]);
  });
});
