import { describe, expect, it } from "vitest";
import { ERROR_CODES, type FailureCode, PARAM_RULES } from "../../src/wire/codes.ts";
import { toEnvelope } from "../../src/wire/envelope.ts";
import { badParam, fail, ok } from "../../src/wire/outcome.ts";
import { CONTRACT_CODES, CONTRACT_RETURN_CODES } from "../support/contract-codes.ts";

/** Every refusal code of docs/contract.md §4: the oracle is the specification, not the code table. */
const CONTRACT_FAILURES = Object.keys(CONTRACT_CODES).filter((code) => code !== "200") as FailureCode[];

const info = { orderNo: "VM1", matchCode: "11", carrier: "CMCC", billable: true, duplicate: false } as const;

describe("toEnvelope", () => {
  it("answers a result with 200 and its return code", () => {
    expect(toEnvelope(ok({ returnCode: "10000", info }))).toEqual({
      errorCode: "200",
      errorDetail: "查询成功",
      errorReason: null,
      info,
      returnCode: "10000",
      returnDesc: "一致的",
    });
  });

  it("keeps the documented key order", () => {
    expect(Object.keys(toEnvelope(fail("302")))).toEqual([
      "errorCode",
      "errorDetail",
      "errorReason",
      "info",
      "returnCode",
      "returnDesc",
    ]);
  });

  it("answers a token error with empty return fields", () => {
    expect(toEnvelope(fail("105"))).toEqual({
      errorCode: "105",
      errorDetail: "无效token",
      errorReason: ERROR_CODES["105"].reason,
      info: null,
      returnCode: "",
      returnDesc: "",
    });
  });

  it("answers a request error with returnCode 0 and null desc", () => {
    expect(toEnvelope(fail("302"))).toEqual({
      errorCode: "302",
      errorDetail: "请求账号不存在",
      errorReason: ERROR_CODES["302"].reason,
      info: null,
      returnCode: "0",
      returnDesc: null,
    });
  });

  it("names the parameter in a 306", () => {
    expect(toEnvelope(badParam("idCard", "缺少参数"))).toMatchObject({
      errorCode: "306",
      errorDetail: "请求参数idCard为空或格式错误",
      errorReason: "缺少参数",
    });
  });

  it("knows every code of docs/contract.md §4, and no other", () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual(Object.keys(CONTRACT_CODES).sort());
  });

  it.each(CONTRACT_FAILURES)("gives %s its documented text", (code) => {
    expect(toEnvelope(fail(code)).errorDetail).toBe(CONTRACT_CODES[code]!.detail.replace("{name}", "logon"));
  });

  it.each(Object.entries(CONTRACT_RETURN_CODES))("answers return code %s with its documented text", (code, text) => {
    expect(toEnvelope(ok({ returnCode: code as "10000", info })).returnDesc).toBe(text);
  });

  // Every refusal explains itself (docs/contract.md §3): in Chinese, saying what to do, nothing personal.
  it.each(CONTRACT_FAILURES)("explains a bare %s in Chinese", (code) => {
    const reason = toEnvelope(fail(code)).errorReason;
    expect(reason).toMatch(/\p{Script=Han}/u);
    expect(reason).not.toMatch(/\d{11}/); // no number that could be a phone or an ID
  });

  it.each(["token", "iv", "logon", "requestId", "idCard", "userName", "loginphone"] as const)(
    "states the rule a malformed %s broke",
    (param) => {
      expect(toEnvelope(badParam(param)).errorReason).toBe(PARAM_RULES[param]);
    },
  );

  it("keeps a step's own, more specific reason", () => {
    expect(toEnvelope(fail("309", "重复的请求：订单VM1")).errorReason).toBe("重复的请求：订单VM1");
  });
});
