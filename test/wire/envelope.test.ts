import { describe, expect, it } from "vitest";
import { ERROR_CODES, type FailureCode } from "../../src/wire/codes.ts";
import { toEnvelope } from "../../src/wire/envelope.ts";
import { badParam, fail, ok } from "../../src/wire/outcome.ts";

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
    expect(Object.keys(toEnvelope(fail("302")))).toEqual(["errorCode", "errorDetail", "errorReason", "info", "returnCode", "returnDesc"]);
  });

  it("answers a token error with empty return fields", () => {
    expect(toEnvelope(fail("105"))).toEqual({ errorCode: "105", errorDetail: "无效token", errorReason: null, info: null, returnCode: "", returnDesc: "" });
  });

  it("answers a request error with returnCode 0 and null desc", () => {
    expect(toEnvelope(fail("302"))).toEqual({ errorCode: "302", errorDetail: "请求账号不存在", errorReason: null, info: null, returnCode: "0", returnDesc: null });
  });

  it("names the parameter in a 306", () => {
    expect(toEnvelope(badParam("idCard", "缺少参数"))).toMatchObject({ errorCode: "306", errorDetail: "请求参数idCard为空或格式错误", errorReason: "缺少参数" });
  });

  it.each(Object.keys(ERROR_CODES).filter((c) => c !== "200") as FailureCode[])("gives %s its documented text", (code) => {
    expect(toEnvelope(fail(code)).errorDetail).toBe(ERROR_CODES[code].text.replace("{name}", "logon"));
  });
});
