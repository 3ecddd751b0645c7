// The juhe twins speak juhe's protocol (docs/contract.md §5): the answers a juhe client sees on the wire.
import { describe, expect, it } from "vitest";
import { SANDBOX_PEOPLE } from "../../../src/sandbox/identities.ts";
import { encryptJuheField, juheFieldKey } from "../../../src/upstream/juhe/crypto.ts";
import { SANDBOX_KEYS, SANDBOX_OPENID, sandboxJuheFetch } from "../../../src/upstream/juhe/sandbox.ts";

const [zhang] = SANDBOX_PEOPLE;
const SANDBOX_KEY = SANDBOX_KEYS.telecom;
const BASE = "https://v.juhe.cn";

function post(path: string, fields: Record<string, string>): Promise<Response> {
  return sandboxJuheFetch(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    }),
  );
}

async function encrypted(values: { realname: string; idcard: string; mobile: string }) {
  const key = await juheFieldKey(SANDBOX_OPENID);
  const [realname, idcard, mobile] = await Promise.all(
    [values.realname, values.idcard, values.mobile].map((v) => encryptJuheField(key, v)),
  );
  return { realname: realname!, idcard: idcard!, mobile: mobile! };
}

const zhangPlain = { realname: zhang.name, idcard: zhang.idCard, mobile: zhang.phone };

describe("the juhe twins", () => {
  it("answers a match like the documented example, inputs masked", async () => {
    const response = await post("/telecom/query", { key: SANDBOX_KEY, ...zhangPlain, detail: "1" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      reason: "查询成功",
      result: {
        realname: "***",
        mobile: "*****",
        idcard: "*****",
        orderid: expect.stringMatching(/^J\d{20}$/),
        res: 1,
        resmsg: "三要素身份验证一致",
        rescode: "11",
      },
      error_code: 0,
    });
  });

  it("decrypts the encrypted fields of /telecom/queryEncry", async () => {
    const response = await post("/telecom/queryEncry", {
      key: SANDBOX_KEY,
      ...(await encrypted(zhangPlain)),
      detail: "1",
    });
    expect(await response.json()).toMatchObject({ error_code: 0, result: { res: 1, rescode: "11" } });
  });

  it("omits rescode without detail=1", async () => {
    const body: { result: Record<string, unknown> } = await (
      await post("/telecom/query", { key: SANDBOX_KEY, ...zhangPlain })
    ).json();
    expect(body.result.res).toBe(1);
    expect(body.result).not.toHaveProperty("rescode");
  });

  it("refuses a wrong key with error_code 10001", async () => {
    const response = await post("/telecom/query", { key: "not-the-key", ...zhangPlain, detail: "1" });
    expect(await response.json()).toEqual({ reason: "错误的请求KEY", result: null, error_code: 10001 });
  });

  it("answers 227307 when an encrypted field does not decrypt", async () => {
    const fields = { ...(await encrypted(zhangPlain)), idcard: "bm90IGEgYmxvY2s=" };
    const response = await post("/telecom/queryEncry", { key: SANDBOX_KEY, ...fields, detail: "1" });
    expect(await response.json()).toMatchObject({ result: null, error_code: 227307 });
  });

  it("answers 227307 when a field is missing", async () => {
    const response = await post("/telecom/query", { key: SANDBOX_KEY, realname: zhang.name, mobile: zhang.phone });
    expect(await response.json()).toMatchObject({ error_code: 227307 });
  });

  it("answers 227304 for a malformed phone", async () => {
    const response = await post("/telecom/query", { key: SANDBOX_KEY, ...zhangPlain, mobile: "12345" });
    expect(await response.json()).toMatchObject({ error_code: 227304 });
  });

  it("serves /telecomCmcc/* with its own key, refusing a number that is not Telecom", async () => {
    const mobile = await post("/telecomCmcc/query", { key: SANDBOX_KEYS.telecomCmcc, ...zhangPlain, detail: "1" });
    const other = await post("/telecomCmcc/query", { key: SANDBOX_KEY, ...zhangPlain, detail: "1" });
    expect([await mobile.json(), await other.json()]).toEqual([
      { reason: "手机号格式有误或非电信号码", result: null, error_code: 227304 },
      { reason: "错误的请求KEY", result: null, error_code: 10001 },
    ]);
  });

  it("answers 404 on an unknown path and 405 on GET", async () => {
    expect((await post("/telecom/other", { key: SANDBOX_KEY })).status).toBe(404);
    expect((await sandboxJuheFetch(new Request(`${BASE}/telecom/query`))).status).toBe(405);
  });

  it("rejects the never-answering phone with the signal's reason once aborted", async () => {
    const controller = new AbortController();
    const pending = sandboxJuheFetch(
      new Request(`${BASE}/telecom/query`, {
        method: "POST",
        body: new URLSearchParams({ key: SANDBOX_KEY, ...zhangPlain, mobile: "13900000408" }),
        signal: controller.signal,
      }),
    );
    controller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
  });
});
