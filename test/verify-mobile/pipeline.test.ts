// The whole service through the Worker's fetch handler: real KV, real WebCrypto, the built-in
// sandbox upstream (UPSTREAMS=sandbox), one test per code of docs/contract.md §4.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { accountKey } from "../../src/accounts/record.ts";
import app from "../../src/index.ts";
import { type Envelope, ORDER_HEADER } from "../../src/wire/envelope.ts";
import { INVALID_ID_CARDS, VALID_ID_CARDS } from "../fixtures/identities.ts";
import { LI, logonOf, sandboxPerson, ZHANG } from "../fixtures/sandbox-people.ts";
import {
  API,
  createAccount,
  encryptLogon,
  freshIsolate,
  IV,
  send,
  sendForm,
  sendJson,
  verify,
} from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

const [zhang, li] = [ZHANG, LI];
const phone = (loginphone: string) => logonOf(zhang, { loginphone });

beforeEach(freshIsolate);

describe("results (200)", () => {
  it("answers a consistent identity with 10000 and a non-personal info", async () => {
    const { response, envelope } = await verify(await createAccount(), logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: "200",
      errorDetail: "查询成功",
      errorReason: null,
      info: {
        orderNo: response.headers.get(ORDER_HEADER),
        matchCode: "11",
        carrier: "CMCC",
        billable: true,
        duplicate: false,
      },
      returnCode: "10000",
      returnDesc: "一致的",
    });
  });

  it("sends HTTP 200 JSON in UTF-8 with the order number header", async () => {
    const { response } = await verify(await createAccount(), logonOf(zhang));
    expect([response.status, response.headers.get("Content-Type")]).toEqual([200, "application/json; charset=utf-8"]);
    expect(response.headers.get(ORDER_HEADER)).toMatch(/^VM\d{17}[0-9a-f]{12}$/);
  });

  it.each([
    ["the name is wrong", { userName: "王二" }, "21"],
    ["the ID is wrong", { idCard: VALID_ID_CARDS.shanghai }, "22"],
    ["both are wrong", { userName: "王二", idCard: VALID_ID_CARDS.shanghai }, "23"],
  ])("answers 10001 with match code %s → %s", async (_name, patch, matchCode) => {
    const { envelope } = await verify(await createAccount(), logonOf(zhang, patch));
    expect([envelope.returnCode, envelope.returnDesc, envelope.info?.matchCode]).toEqual([
      "10001",
      "不一致的",
      matchCode,
    ]);
  });

  it("answers 10001 with match code 24 when the carrier does not say which element", async () => {
    const { envelope } = await verify(await createAccount(), phone("13800138009"));
    expect([envelope.returnCode, envelope.info?.matchCode]).toEqual(["10001", "24"]);
  });

  it("answers 10002 when the carrier's result is neither match nor mismatch", async () => {
    const { envelope } = await verify(await createAccount(), phone("13800138003"));
    expect([envelope.errorCode, envelope.returnCode, envelope.returnDesc]).toEqual(["200", "10002", "未知的"]);
  });

  it("accepts a JSON body", async () => {
    const account = await createAccount();
    const { envelope } = await sendJson({
      token: account.token,
      iv: IV,
      logon: await encryptLogon(account.logonKey, logonOf(li)),
    });
    expect(envelope.returnCode).toBe("10000");
  });

  it("accepts a multipart body", async () => {
    const account = await createAccount();
    const form = new FormData();
    form.set("token", account.token);
    form.set("iv", IV);
    form.set("logon", await encryptLogon(account.logonKey, logonOf(li)));
    const { envelope } = await send(form, null);
    expect(envelope.returnCode).toBe("10000");
  });

  it("accepts a form body whose logon was not URL-encoded (+ sent as space)", async () => {
    const account = await createAccount();
    let logon = "";
    // find an iv whose ciphertext contains a '+', so the case is really exercised
    for (let i = 0; !logon.includes("+"); i++) logon = await encryptLogon(account.logonKey, logonOf(li, { n: i }));
    const body = `token=${account.token}&iv=${IV}&logon=${logon.replace(/=/g, "%3D")}`;
    const { envelope } = await send(body, "application/x-www-form-urlencoded");
    expect(envelope.returnCode).toBe("10000");
  });

  it("accepts URL-safe base64 without padding and an AES-256 key", async () => {
    const account = await createAccount({}, 32);
    const logon = (await encryptLogon(account.logonKey, logonOf(li)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    const { envelope } = await sendForm({ token: account.token, iv: IV, logon });
    expect(envelope.returnCode).toBe("10000");
  });

  it("normalises the identity before asking (lower-case x, +86, dot variants)", async () => {
    const wang = sandboxPerson("13800138004");
    const aygl = sandboxPerson("13800138002");
    const account = await createAccount();
    const a = await verify(
      account,
      logonOf(wang, { idCard: wang.idCard.toLowerCase(), loginphone: `+86 ${wang.phone}` }),
    );
    const b = await verify(account, logonOf(aygl, { userName: aygl.name.replace("·", "•") }));
    expect([a.envelope.returnCode, b.envelope.returnCode]).toEqual(["10000", "10000"]);
  });
});

describe("token and account errors", () => {
  it("105: unknown token", async () => {
    const account = await createAccount();
    const { envelope } = await verify({ ...account, token: `vmt_${"x".repeat(32)}` }, logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: "105",
      errorDetail: "无效token",
      errorReason: "token无效：请核对token（vmt_开头共36个字符，不含空格、换行或引号）；轮换或停用后旧token立即失效",
      info: null,
      returnCode: "",
      returnDesc: "",
    });
  });

  it("103: account offline", async () => {
    const { envelope } = await verify(await createAccount({ status: "offline" }), logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: "103",
      errorDetail: "账户已下线",
      errorReason: "账户已下线，token不再可用：请联系运营方",
      info: null,
      returnCode: "",
      returnDesc: "",
    });
  });

  it("104: balance at or below zero", async () => {
    const { envelope } = await verify(await createAccount({ openingBalanceFen: 0 }), logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: "104",
      errorDetail: "账户余额不足",
      errorReason: "账户余额不足（≤0）：请联系运营方充值，充值后数秒内生效",
      info: null,
      returnCode: "",
      returnDesc: "",
    });
  });

  it("302: the token's account record is gone", async () => {
    const account = await createAccount();
    await env.ACCOUNTS.delete(accountKey(account.record.id));
    const { envelope } = await verify(account, logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: "302",
      errorDetail: "请求账号不存在",
      errorReason: "token对应的账户已不存在：请联系运营方",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it.each([
    ["304", "请求帐号被冻结", { status: "frozen" }, "账户已被冻结：请联系运营方解冻"],
    [
      "305",
      "请求没有此接口访问权限",
      { services: { verifyBankCard: { priceFen: 0, remaining: null } } },
      "账户未开通本接口：请联系运营方开通",
    ],
    ["311", "权限不足", { services: {} }, "账户未开通任何服务：请联系运营方开通"],
    ["314", "合同时间过期", { contractEnd: "2020-01-01" }, "账户合同已于2020-01-01（北京时间）到期：请联系运营方续约"],
    [
      "312",
      "请求账号余额不足",
      { openingBalanceFen: 10, services: { verifyMobile: { priceFen: 50, remaining: null } } },
      "账户余额0.10元，扣除处理中请求的预留后低于单价0.50元：请联系运营方充值",
    ],
    [
      "313",
      "剩余次数不足",
      { services: { verifyMobile: { priceFen: 0, remaining: 0 } } },
      "本接口剩余次数为0：请联系运营方增加次数",
    ],
  ] as const)("%s: %s, saying why and what to do", async (code, detail, patch, reason) => {
    const { envelope } = await verify(await createAccount(patch), logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: code,
      errorDetail: detail,
      errorReason: reason,
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });
});

describe("request errors", () => {
  it("301: none of the parameters", async () => {
    const { envelope } = await sendForm({});
    expect(envelope).toEqual({
      errorCode: "301",
      errorDetail: "参数不能为空",
      errorReason: "未收到token、iv、logon中的任何一个：请以表单或JSON发送请求体，并设置与之一致的Content-Type",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("306: a missing parameter is named", async () => {
    const { envelope } = await sendForm({ token: `vmt_${"x".repeat(32)}`, logon: "AAAA" });
    expect(envelope).toEqual({
      errorCode: "306",
      errorDetail: "请求参数iv为空或格式错误",
      errorReason: "缺少参数",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it.each([
    ["idCard", logonOf(zhang, { idCard: "12345" })],
    ["userName", logonOf(zhang, { userName: "Z" })],
    ["loginphone", logonOf(zhang, { loginphone: "12800138000" })],
  ] as const)("306: a malformed %s inside logon is named (diagnostics on, §2)", async (param, payload) => {
    const { envelope } = await verify(await createAccount({ diagnostics: true }), payload);
    expect([envelope.errorCode, envelope.errorDetail]).toEqual(["306", `请求参数${param}为空或格式错误`]);
  });

  it("307: logon encrypted under another key", async () => {
    const account = await createAccount();
    const other = await createAccount();
    const { envelope } = await sendForm({
      token: account.token,
      iv: IV,
      logon: await encryptLogon(other.logonKey, logonOf(zhang)),
    });
    expect(envelope).toEqual({
      errorCode: "307",
      errorDetail: "请求验签失败",
      errorReason: "logon解密失败：请检查logonKey、iv与加密方式",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("307, the same answer: logon that decrypts to JSON that is not an object", async () => {
    const { envelope } = await verify(await createAccount(), [logonOf(zhang)]);
    expect(envelope).toEqual({
      errorCode: "307",
      errorDetail: "请求验签失败",
      errorReason: "logon解密失败：请检查logonKey、iv与加密方式",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("310: an ID number with a wrong check digit (diagnostics on, §2)", async () => {
    const account = await createAccount({ diagnostics: true });
    const { envelope } = await verify(account, logonOf(zhang, { idCard: INVALID_ID_CARDS.badCheckDigit }));
    expect(envelope).toEqual({
      errorCode: "310",
      errorDetail: "请求参数中存在无效数据",
      errorReason: "身份证校验位错误",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("310: the carrier finds the phone invalid (juhe 227304)", async () => {
    const { envelope } = await verify(await createAccount(), phone("13900227304"));
    expect([envelope.errorCode, envelope.errorReason]).toEqual(["310", "手机号格式有误或非电信号码"]);
  });

  it("315: an unsupported content type", async () => {
    const { envelope } = await send("token=x", "text/plain");
    expect([envelope.errorCode, envelope.errorDetail, envelope.returnCode]).toEqual(["315", "请求头信息错误", "0"]);
  });

  it("315: a body over 64 KiB", async () => {
    const { envelope } = await sendForm({ token: "x", iv: IV, logon: "A".repeat(70_000) });
    expect([envelope.errorCode, envelope.errorReason]).toEqual(["315", "请求体超过64KiB"]);
  });

  it("315: a GET on the API path still answers in the envelope", async () => {
    const { envelope } = await send(null, null, { method: "GET" });
    expect([envelope.errorCode, envelope.errorReason]).toEqual(["315", "仅支持POST"]);
  });
});

describe("duplicates (309 and replay)", () => {
  it("309: the same identity again within the window, naming the original order", async () => {
    const account = await createAccount();
    const first = await verify(account, logonOf(zhang));
    const { envelope } = await verify(account, logonOf(zhang));
    expect(envelope).toEqual({
      errorCode: "309",
      errorDetail: "请求重复的请求",
      errorReason: expect.stringMatching(
        new RegExp(
          `^重复的请求：60秒内已查询过相同身份（订单${first.envelope.info!.orderNo}），请使用原结果；\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d（北京时间）后可再查$`,
        ),
      ),
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("309 also from another isolate, through KV", async () => {
    const account = await createAccount();
    const ctx = createExecutionContext();
    await app.fetch(
      new Request(API, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          token: account.token,
          iv: IV,
          logon: await encryptLogon(account.logonKey, logonOf(zhang)),
        }),
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    freshIsolate();
    expect((await verify(account, logonOf(zhang))).envelope.errorCode).toBe("309");
  });

  it("counts the same person with a differently written phone as a duplicate", async () => {
    const account = await createAccount();
    await verify(account, logonOf(zhang));
    expect((await verify(account, logonOf(zhang, { loginphone: `86-${zhang.phone}` }))).envelope.errorCode).toBe("309");
  });

  it("does not count another account's query", async () => {
    await verify(await createAccount(), logonOf(zhang));
    expect((await verify(await createAccount(), logonOf(zhang))).envelope.errorCode).toBe("200");
  });

  it("does not remember a failed query", async () => {
    const account = await createAccount();
    await verify(account, phone("13900227301"));
    expect((await verify(account, phone("13900227301"))).envelope.errorCode).toBe("504");
  });

  it("replays the stored result unbilled under the replay policy", async () => {
    const account = await createAccount({ duplicatePolicy: "replay" });
    const first = await verify(account, logonOf(zhang, { userName: "王二" }));
    const again = await verify(account, logonOf(zhang, { userName: "王二" }));
    expect(again.envelope).toEqual({
      ...first.envelope,
      info: {
        orderNo: again.response.headers.get(ORDER_HEADER),
        matchCode: "21",
        carrier: "CMCC",
        billable: false,
        duplicate: true,
      },
    });
  });

  it("asks upstream once for concurrent identical requests; the others get 309 naming the order in flight", async () => {
    const account = await createAccount({ duplicatePolicy: "replay" });
    const juhe = mockJuhe("https://v.juhe.cn", async () => {
      await new Promise((r) => setTimeout(r, 20));
      return juheMatch(1, "11");
    });
    const configured = { ...env, UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
    const logon = await encryptLogon(account.logonKey, logonOf(zhang));
    const call = () =>
      app.fetch(
        new Request(API, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ token: account.token, iv: IV, logon }),
        }),
        configured,
        createExecutionContext(),
      );
    const answers = await Promise.all([call(), call(), call()]);
    const envelopes = await Promise.all(answers.map(async (r) => (await r.json()) as Envelope));
    const leader = envelopes.find((e) => e.errorCode === "200")!;
    const others = envelopes.filter((e) => e !== leader);
    expect(juhe.requests.length).toBe(1);
    expect(others.map((e) => [e.errorCode, e.errorReason?.includes(leader.info!.orderNo)])).toEqual([
      ["309", true],
      ["309", true],
    ]);
  });
});

describe("upstream errors", () => {
  it.each([
    ["308", "请求没有查询到结果", "13900227303"],
    ["500", "系统错误，服务器异常", "13900010001"],
    ["501", "查询超时", "13900000408"],
    ["502", "请求失败", "13900000500"],
    ["502", "请求失败", "13900000200"],
    ["503", "接口未响应", "13900000503"],
    ["503", "接口未响应", "13900010020"],
    ["504", "外部数据源异常", "13900227301"],
    ["504", "外部数据源异常", "13900099999"],
  ])("%s %s (sandbox phone %s)", async (code, detail, loginphone) => {
    const { envelope } = await verify(await createAccount(), phone(loginphone));
    expect([envelope.errorCode, envelope.errorDetail, envelope.info, envelope.returnCode]).toEqual([
      code,
      detail,
      null,
      "0",
    ]);
  });

  it("500 when the service is misconfigured, without saying which setting", async () => {
    const account = await createAccount();
    const body = JSON.stringify({
      token: account.token,
      iv: IV,
      logon: await encryptLogon(account.logonKey, logonOf(zhang)),
    });
    const response = await app.fetch(
      new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
      { ...env, SERVICE_SECRET: "short" },
      createExecutionContext(),
    );
    expect(await response.json()).toEqual({
      errorCode: "500",
      errorDetail: "系统错误，服务器异常",
      errorReason: "系统错误：本次不计费，请稍后重试；持续出现请凭订单号联系运营方",
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });
});

describe("check order (docs/contract.md §4)", () => {
  it("checks parameters before the token", async () => {
    expect((await sendForm({ token: `vmt_${"x".repeat(32)}`, iv: "short", logon: "AAAA" })).envelope.errorCode).toBe(
      "306",
    );
  });

  it("refuses an empty balance (104) at the token check, before decrypting", async () => {
    const account = await createAccount({ openingBalanceFen: 0 });
    const other = await createAccount();
    const { envelope } = await sendForm({
      token: account.token,
      iv: IV,
      logon: await encryptLogon(other.logonKey, logonOf(zhang)),
    });
    expect(envelope.errorCode).toBe("104");
  });

  it("checks the account before decrypting", async () => {
    expect(
      (
        await sendForm({
          token: (await createAccount({ status: "frozen" })).token,
          iv: IV,
          logon: "AAAAAAAAAAAAAAAAAAAAAA==",
        })
      ).envelope.errorCode,
    ).toBe("304");
  });

  it("checks the logon fields before the duplicate cache", async () => {
    const account = await createAccount({ diagnostics: true });
    await verify(account, logonOf(zhang));
    expect((await verify(account, logonOf(zhang, { userName: "" }))).envelope.errorCode).toBe("306");
  });

  it("checks duplicates before the quota", async () => {
    const account = await createAccount({ services: { verifyMobile: { priceFen: 0, remaining: 1 } } });
    await verify(account, logonOf(zhang));
    await env.ACCOUNTS.put(
      accountKey(account.record.id),
      JSON.stringify({ ...account.record, services: { verifyMobile: { priceFen: 0, remaining: 0 } } }),
    );
    freshIsolate();
    expect((await verify(account, logonOf(zhang))).envelope.errorCode).toBe("309");
  });
});

describe("personal data", () => {
  it("appears in no log line, response or KV key", async () => {
    const log = vi.spyOn(console, "log");
    const error = vi.spyOn(console, "error");
    const account = await createAccount();
    const answers = [
      await verify(account, logonOf(zhang)),
      await verify(account, logonOf(zhang)),
      await verify(account, phone("13900010001")),
      await verify(account, logonOf(zhang, { idCard: INVALID_ID_CARDS.badCheckDigit })),
    ];
    const printed = [...log.mock.calls, ...error.mock.calls].flat().map(String).join("\n");
    const bodies = (await Promise.all(answers.map((a) => a.response.text()))).join("\n");
    const keys = [...(await env.DEDUP.list()).keys, ...(await env.ACCOUNTS.list()).keys].map((k) => k.name).join("\n");
    for (const secret of [
      zhang.idCard,
      zhang.name,
      zhang.phone,
      "13900010001",
      INVALID_ID_CARDS.badCheckDigit,
      account.token,
      account.logonKey,
    ]) {
      expect([printed.includes(secret), bodies.includes(secret), keys.includes(secret)]).toEqual([false, false, false]);
    }
  });

  it("logs one structured line per request", async () => {
    const log = vi.spyOn(console, "log");
    const account = await createAccount();
    const { response } = await verify(account, logonOf(zhang));
    const lines = log.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines).toEqual([
      {
        level: "info",
        event: "verifyMobile",
        orderNo: response.headers.get(ORDER_HEADER),
        accountId: account.record.id,
        errorCode: "200",
        returnCode: "10000",
        reason: null,
        upstreamCode: 0,
        upstreamMs: expect.any(Number),
        totalMs: expect.any(Number),
        duplicate: false,
        billable: true,
        previousCredential: null,
      },
    ]);
  });
});
