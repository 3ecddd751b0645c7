// How every juhe answer maps to our codes (CONTRACT.md §3–§4). One table, read it next to the
// contract. Reasons are ours, short and fixed: never juhe's `reason`, which may echo input.
import type { FailureCode, ReturnCode } from "../../wire/codes.ts";
import { MatchCode } from "../../wire/envelope.ts";
import { fail, type Failure } from "../../wire/outcome.ts";

type Row = { readonly code: FailureCode; readonly reason: string };

const KEY_PROBLEM: Row = { code: "500", reason: "上游接入配置异常" };

/** juhe `error_code` (seed 004 §3) → our failure. */
export const JUHE_ERRORS: Readonly<Record<number, Row>> = {
  227301: { code: "504", reason: "上游服务商网络异常" },
  227302: { code: "502", reason: "上游查询失败" },
  227303: { code: "308", reason: "运营商库中无此记录" },
  227304: { code: "310", reason: "手机号格式有误或非电信号码" },
  227305: { code: "310", reason: "姓名不合法" },
  227306: { code: "310", reason: "身份证号码不合法" },
  227307: { code: "502", reason: "上游参数错误" },
  // 10001–10009: our key/openid is wrong, expired or barred. Our fault; details go to the log only.
  10001: KEY_PROBLEM,
  10002: KEY_PROBLEM,
  10003: KEY_PROBLEM,
  10004: KEY_PROBLEM,
  10005: KEY_PROBLEM,
  10006: KEY_PROBLEM,
  10007: KEY_PROBLEM,
  10008: KEY_PROBLEM,
  10009: KEY_PROBLEM,
  10011: { code: "502", reason: "上游请求频率超限" },
  10012: { code: "502", reason: "上游请求次数超限" },
  10013: { code: "502", reason: "上游请求次数超限" },
  10014: { code: "504", reason: "上游系统内部异常" },
  10020: { code: "503", reason: "上游服务维护中" },
  10021: { code: "503", reason: "上游服务已停用" },
};

const UNKNOWN_CODE: Row = { code: "504", reason: "上游返回未知错误" };

/** Failures of the exchange itself, before juhe's `error_code` could be read. */
export const TRANSPORT_FAILURES = {
  timeout: { code: "501", reason: "上游查询超时" },
  unreachable: { code: "503", reason: "上游服务无法连接" },
  httpError: { code: "502", reason: "上游HTTP状态异常" },
  notJson: { code: "502", reason: "上游响应格式错误" },
  malformed: { code: "502", reason: "上游响应内容无效" },
} as const satisfies Record<string, Row>;

export type TransportFailure = keyof typeof TRANSPORT_FAILURES;

export function juheErrorFailure(errorCode: number): Failure {
  const row = JUHE_ERRORS[errorCode] ?? UNKNOWN_CODE;
  return fail(row.code, row.reason);
}

export function transportFailure(kind: TransportFailure): Failure {
  const row = TRANSPORT_FAILURES[kind];
  return fail(row.code, row.reason);
}

/** `error_code` 0: `res` 1 → consistent, 2 → inconsistent, anything else → unknown. */
export function returnCodeOf(res: number): ReturnCode {
  return res === 1 ? "10000" : res === 2 ? "10001" : "10002";
}

export function matchCodeOf(rescode: string | number | null | undefined): MatchCode | null {
  const text = rescode == null ? "" : String(rescode).trim();
  const parsed = MatchCode.safeParse(text);
  return parsed.success ? parsed.data : null;
}
