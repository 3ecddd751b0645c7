// Every Tencent PhoneVerification answer → our outcome (src/upstream/tencent/codes.ts).
import { describe, expect, it } from "vitest";
import {
  TENCENT_ERRORS,
  TENCENT_RESULTS,
  tencentErrorReply,
  tencentErrorRow,
  tencentMatchCode,
  tencentResultReply,
} from "../../../src/upstream/tencent/codes.ts";
import { ERROR_CODES } from "../../../src/wire/codes.ts";

describe("Result: match answers", () => {
  it("0 → consistent, matchCode 11, final", () => {
    expect(tencentResultReply({ Result: "0", Isp: "移动", RequestId: "r-1" })).toEqual({
      outcome: { ok: true, value: { returnCode: "10000", matchCode: "11", upstreamOrderId: "r-1", carrier: "CMCC" } },
      code: "0",
      failover: false,
      fault: false,
    });
  });

  it("-4 → inconsistent, matchCode 24 (which element is unknown), final", () => {
    expect(tencentResultReply({ Result: "-4", Isp: "电信" })).toEqual({
      outcome: { ok: true, value: { returnCode: "10001", matchCode: "24", upstreamOrderId: null, carrier: "CTCC" } },
      code: "-4",
      failover: false,
      fault: false,
    });
  });

  it.each([
    ["PhoneNameMismatch", "21"],
    ["PhoneIdCardMismatch", "22"],
    ["PhoneNameIdCardMismatch", "23"],
    ["NameIdCardMismatch", "24"],
    ["OtherMismatch", "24"],
    ["", "24"],
    [null, "24"],
    ["constructor", "24"],
  ] as const)("-4 with 详版 ResultDetail %j → matchCode %s", (detail, matchCode) => {
    expect(tencentResultReply({ Result: "-4", ResultDetail: detail }).outcome).toEqual({
      ok: true,
      value: { returnCode: "10001", matchCode, upstreamOrderId: null, carrier: null },
    });
  });

  it("a ResultDetail never changes a 0", () => {
    expect(tencentMatchCode("0", "PhoneNameMismatch")).toBe("11");
  });

  it("no matchCode for a failure Result", () => {
    expect(tencentMatchCode("-9")).toBeNull();
    expect(tencentMatchCode("-99")).toBeNull();
  });
});

describe("Result: failures", () => {
  it.each([
    ["-6", "310", "手机号码不合法", false, false],
    ["-7", "310", "身份证号码不合法", false, false],
    ["-8", "310", "姓名不合法", false, false],
    ["-9", "308", "运营商库中无此记录", false, false],
    ["-11", "504", "上游验证中心繁忙", true, true],
    // Per person across all our callers, and Tencent's coverage: fail over, but Tencent is well.
    ["-12", "502", "上游单人当日核验次数超限", true, false],
    ["-13", "310", "上游不支持该号段", true, false],
    // Unknown results: not about the person as far as we can tell, so try elsewhere.
    ["-1", "504", "上游返回未知结果", true, true],
    ["-5", "504", "上游返回未知结果", true, true],
    ["1", "504", "上游返回未知结果", true, true],
    ["", "504", "上游返回未知结果", true, true],
    ["constructor", "504", "上游返回未知结果", true, true],
  ] as const)("Result %j → %s %s, failover %s, fault %s", (Result, code, reason, failover, fault) => {
    expect(tencentResultReply({ Result, Isp: "" })).toEqual({
      outcome: { ok: false, code, reason },
      code: Result === "" ? null : Result,
      failover,
      fault,
    });
  });

  it.each([
    ["移动", "CMCC"],
    ["联通", "CUCC"],
    ["电信", "CTCC"],
    ["中国广电", "CBN"],
    ["", null],
    [null, null],
    [undefined, null],
    ["unknown", null],
  ] as const)("Isp %j → carrier %s", (Isp, carrier) => {
    expect(tencentResultReply({ Result: "0", Isp }).outcome).toMatchObject({ value: { carrier } });
  });
});

describe("Response.Error.Code", () => {
  it.each([
    ["AuthFailure", "500", "上游接入配置异常"],
    ["AuthFailure.SecretIdNotFound", "500", "上游接入配置异常"],
    ["AuthFailure.SignatureFailure", "500", "上游接入配置异常"],
    ["AuthFailure.SignatureExpire", "500", "上游接入配置异常"],
    ["UnauthorizedOperation.Arrears", "500", "上游账户未开通或欠费"],
    ["UnauthorizedOperation.Nonactivated", "500", "上游账户未开通或欠费"],
    ["OperationDenied", "500", "上游账户操作被拒绝"],
    ["InvalidAction", "500", "上游请求构造异常"],
    ["MissingParameter", "500", "上游请求构造异常"],
    ["UnsupportedOperation", "500", "上游请求构造异常"],
    ["RequestLimitExceeded", "502", "上游请求频率超限"],
    ["RequestLimitExceeded.UinLimitExceeded", "502", "上游请求频率超限"],
    ["LimitExceeded", "502", "上游请求次数超限"],
    ["ResourceUnavailable", "503", "上游服务不可用"],
    ["ResourcesSoldOut.ChargeStatusException", "503", "上游资源已售罄"],
    ["InternalError", "504", "上游系统内部异常"],
    ["FailedOperation.UnKnown", "504", "上游处理失败"],
    // Unknown codes, and look-alikes that are not the category itself.
    ["SomethingNew.Detail", "504", "上游返回未知错误"],
    ["AuthFailureX", "504", "上游返回未知错误"],
    ["authfailure", "504", "上游返回未知错误"],
    ["", "504", "上游返回未知错误"],
    ["constructor", "504", "上游返回未知错误"],
    ["__proto__", "504", "上游返回未知错误"],
  ] as const)("%j → %s %s, failover", (errorCode, code, reason) => {
    expect(tencentErrorReply(errorCode)).toEqual({
      outcome: { ok: false, code, reason },
      code: /^[A-Za-z.]+$/.test(errorCode) ? errorCode : null,
      failover: true,
      fault: true,
    });
  });
});

// docs/contract.md §5: a value Tencent refuses is about this request, not Tencent's health.
it.each(["InvalidParameter", "InvalidParameterValue", "InvalidParameterValue.Phone"] as const)(
  "%j → 502 上游参数错误, failover, not counted by the breaker",
  (errorCode) => {
    expect(tencentErrorReply(errorCode)).toEqual({
      outcome: { ok: false, code: "502", reason: "上游参数错误" },
      code: errorCode,
      failover: true,
      fault: false,
    });
  },
);

describe("the tables", () => {
  const rows = [...Object.values(TENCENT_RESULTS), ...Object.values(TENCENT_ERRORS)];

  it("every code is one of ours", () => {
    for (const row of rows) expect(Object.keys(ERROR_CODES)).toContain(row.code);
  });

  it("every Result Tencent documents is listed", () => {
    expect(Object.keys(TENCENT_RESULTS).sort()).toEqual(["-11", "-12", "-13", "-4", "-6", "-7", "-8", "-9", "0"]);
  });

  it("only 0 and -4 are 200s, and only they carry a returnCode", () => {
    const matches = Object.entries(TENCENT_RESULTS).filter(([, row]) => row.code === "200");
    expect(matches.map(([result]) => result).sort()).toEqual(["-4", "0"]);
  });

  it("answers about the person are final; every error category fails over and all but the request's own blame Tencent", () => {
    for (const result of ["0", "-4", "-6", "-7", "-8", "-9"])
      expect(TENCENT_RESULTS[result]!.failover, result).toBe(false);
    for (const [category, row] of Object.entries(TENCENT_ERRORS))
      expect([row.failover, row.fault], category).toEqual([true, !category.startsWith("InvalidParameter")]);
  });

  it("reasons are short fixed Chinese text", () => {
    for (const row of rows) expect(row.reason).toMatch(/^[\u4e00-\u9fff]{2,16}$/);
  });

  it("error categories are bare, without a dot", () => {
    for (const category of Object.keys(TENCENT_ERRORS)) {
      expect(category).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(tencentErrorRow(`${category}.Anything`)).toBe(TENCENT_ERRORS[category]);
    }
  });
});
