// How every Tencent FaceID PhoneVerification answer maps to our codes (docs/contract.md §5).
// Reasons are ours, short and fixed: never Tencent's `Description` or `Error.Message`.
//
// PhoneVerification (2018-03-01), https://cloud.tencent.com/document/api/1007/39765, `Result`:
//   billed:     0 认证通过 (三要素信息一致) · -4 三要素信息不一致
//   not billed: -6 手机号码不合法 · -7 身份证号码有误 · -8 姓名校验不通过 · -9 没有记录
//               -11 验证中心服务繁忙 · -12 认证次数超过当日限制，请次日重试 · -13 该号段不支持验证
// `Isp`: "", "移动", "电信", "联通". `ResultDetail` (详版 only, with -4): which element disagrees.
// A failed call has no `Result` but `Response.Error.Code`, "Category" or "Category.Detail".
import type { ReturnCode } from "../../wire/codes.ts";
import type { MatchCode } from "../../wire/envelope.ts";
import { carrierOfIsp } from "../carrier.ts";
import {
  type CodeRow,
  codeRow,
  type FailureRow,
  failed,
  fault,
  final,
  matched,
  pass,
  REASONS,
  type Reply,
} from "../upstream.ts";

/** A match result: our 200 with its returnCode. Final by nature. */
export type MatchRow = {
  readonly code: "200";
  readonly returnCode: ReturnCode;
  readonly matchCode: MatchCode;
  readonly reason: string;
  readonly failover: false;
};

export type Row = MatchRow | FailureRow;

export const TENCENT_RESULTS: Readonly<Record<string, Row>> = {
  "0": { code: "200", returnCode: "10000", matchCode: "11", reason: "认证通过", failover: false },
  // Which element disagrees is unknown in 简版; "24" says exactly that (see tencentMatchCode for 详版).
  "-4": { code: "200", returnCode: "10001", matchCode: "24", reason: "三要素信息不一致", failover: false },
  "-6": final("310", "手机号码不合法"),
  "-7": final("310", REASONS.badIdCard),
  "-8": final("310", REASONS.badName),
  // Every upstream asks the same carrier records: no record here is no record anywhere.
  "-9": final("308", REASONS.noRecord),
  "-11": fault("504", "上游验证中心繁忙"),
  // Tencent counts per person across our whole Tencent account, i.e. across all our callers: the
  // caller in front of us may never have asked before, so it is not their 309, nor final. Nor is
  // it Tencent failing: its circuit stays closed.
  "-12": pass("502", "上游单人当日核验次数超限"),
  // Tencent's coverage, not the number's validity: another upstream may cover the block.
  "-13": pass("310", "上游不支持该号段"),
};

const UNKNOWN_RESULT = fault("504", "上游返回未知结果");

const KEY_PROBLEM = fault("500", REASONS.keyRefused);
const OUR_REQUEST = fault("500", "上游请求构造异常");

/**
 * `Response.Error.Code` by its category, the part before the first "." (a prefix rule: the
 * category matches itself and every "Category.Detail"). All fail over: none is about the person.
 * Categories from Tencent Cloud API 3.0's common error codes (公共错误码) and FaceID's own list.
 */
export const TENCENT_ERRORS: Readonly<Record<string, FailureRow>> = {
  // Our SecretId/SecretKey or signature is refused (also a clock far off: SignatureExpire).
  AuthFailure: KEY_PROBLEM,
  // Not activated, in arrears, no CAM permission for our key: our account, logged as a key problem.
  UnauthorizedOperation: fault("500", "上游账户未开通或欠费"),
  OperationDenied: fault("500", "上游账户操作被拒绝"),
  // We asked for something that does not exist or is not allowed: a bug or misconfiguration of ours.
  InvalidAction: OUR_REQUEST,
  NoSuchProduct: OUR_REQUEST,
  NoSuchVersion: OUR_REQUEST,
  UnsupportedOperation: OUR_REQUEST,
  UnsupportedProtocol: OUR_REQUEST,
  UnsupportedRegion: OUR_REQUEST,
  UnknownParameter: OUR_REQUEST,
  MissingParameter: OUR_REQUEST,
  InvalidRequest: OUR_REQUEST,
  // Tencent refused a value it was sent (like juhe 227307): data it alone rejects, another may take.
  // About this request, not Tencent's health: the breaker does not count it (issue: one caller's
  // inputs must not open the circuit for every caller).
  InvalidParameter: pass("502", REASONS.badParameter),
  InvalidParameterValue: pass("502", REASONS.badParameter),
  RequestLimitExceeded: fault("502", REASONS.rateLimited),
  LimitExceeded: fault("502", REASONS.quotaExceeded),
  ResourceUnavailable: fault("503", "上游服务不可用"),
  ResourcesSoldOut: fault("503", "上游资源已售罄"),
  ResourceInsufficient: fault("503", "上游资源不足"),
  InternalError: fault("504", REASONS.internalError),
  FailedOperation: fault("504", "上游处理失败"),
};

const UNKNOWN_ERROR = fault("504", REASONS.unknownError);

/** `ResultDetail` of a 详版 -4 → which element disagrees (envelope MatchCode); others stay "24". */
export const TENCENT_MISMATCH_DETAILS: Readonly<Record<string, MatchCode>> = {
  PhoneNameMismatch: "21", // phone and ID agree, the name does not
  PhoneIdCardMismatch: "22", // phone and name agree, the ID number does not
  PhoneNameIdCardMismatch: "23", // neither name nor ID number agrees with the phone
};

export function tencentResultRow(result: string): Row {
  return own(TENCENT_RESULTS, result) ?? UNKNOWN_RESULT;
}

export function tencentErrorRow(errorCode: string): FailureRow {
  return own(TENCENT_ERRORS, errorCode.split(".", 1)[0] ?? "") ?? UNKNOWN_ERROR;
}

/** The matchCode for a `Result`: -4 narrowed by a 详版 `ResultDetail` when one is given. */
export function tencentMatchCode(result: string, resultDetail?: string | null): MatchCode | null {
  const row = tencentResultRow(result);
  if (row.code !== "200") return null;
  const detailed = result === "-4" && resultDetail ? own(TENCENT_MISMATCH_DETAILS, resultDetail) : undefined;
  return detailed ?? row.matchCode;
}

export type TencentResult = {
  readonly Result: string;
  readonly Isp?: string | null;
  readonly ResultDetail?: string | null;
  /** Tencent's request id: the order id of a billed answer. */
  readonly RequestId?: string | null;
};

/** A `Response` that carries a `Result` (no `Error`). The attempt's code is the `Result`. */
export function tencentResultReply(answer: TencentResult): Reply {
  const row = tencentResultRow(answer.Result);
  const code = plainCode(answer.Result);
  if (row.code !== "200") return failed(row, code);
  const matchCode = tencentMatchCode(answer.Result, answer.ResultDetail) ?? row.matchCode;
  const match = {
    returnCode: row.returnCode,
    matchCode,
    upstreamOrderId: answer.RequestId ?? null,
    carrier: carrierOfIsp(answer.Isp),
  };
  return matched(match, answer.Result);
}

/** A `Response` that carries `Error.Code` instead of a result. */
export function tencentErrorReply(errorCode: string): Reply {
  return failed(tencentErrorRow(errorCode), plainCode(errorCode));
}

/** The whole table as the docs show it (docs/upstreams.md): every `Result`, then every `Error.Code` category. */
export function tencentCodeTable(): readonly CodeRow[] {
  const result = ([code, row]: [string, Row]): CodeRow =>
    row.code === "200"
      ? {
          vendorCode: `Result ${code}`,
          code: `200 ${row.returnCode}`,
          reason: row.reason,
          failover: false,
          fault: false,
        }
      : codeRow(`Result ${code}`, row);
  return [
    ...Object.entries(TENCENT_RESULTS).map(result),
    codeRow("any other Result", UNKNOWN_RESULT),
    ...Object.entries(TENCENT_ERRORS).map(([category, row]) => codeRow(`${category}.*`, row)),
    codeRow("any other Error.Code", UNKNOWN_ERROR),
  ];
}

// The code goes into the ledger: Tencent's codes are ASCII words and dots, anything else is dropped.
function plainCode(text: string): string | null {
  return /^[A-Za-z0-9.-]{1,100}$/.test(text) ? text : null;
}

// Own keys only, so a Result or code like "constructor" never finds Object.prototype's.
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
