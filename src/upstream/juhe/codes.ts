// How every juhe answer maps to our codes (docs/contract.md §5, "juhe answers"). One table for both
// juhe products; read it next to the contract. Reasons are ours, short and fixed: never juhe's
// `reason`, which may echo input.
import { RETURN_CODES, type ReturnCode } from "../../wire/codes.ts";
import { MatchCode } from "../../wire/envelope.ts";
import { type CodeRow, codeRow, type FailureRow, fault, final, pass, REASONS } from "../upstream.ts";

/** `telecomCmcc` (UPSTREAMS name `juhe`, Telecom numbers) or the three-network `telecom` (`juhe3`). */
export type JuheProduct = "telecomCmcc" | "telecom";

const KEY_PROBLEM = fault("500", REASONS.keyRefused);

/** `227304`: 手机号格式有误或非电信号码. */
export const NOT_TELECOM = 227304;

/** juhe `error_code` (docs/contract.md §5) → our failure, and whether another upstream may answer. */
export const JUHE_ERRORS: Readonly<Record<number, FailureRow>> = {
  227301: fault("504", "上游服务商网络异常"),
  // "查询失败，具体参照reason": a failure of this query, told in its reason; not juhe's health.
  227302: pass("502", "上游查询失败"),
  // Every upstream asks the same carrier records: no record here is no record anywhere.
  227303: final("308", REASONS.noRecord),
  // From the three-network product: the number itself is wrong. From telecomCmcc see juheErrorRow.
  [NOT_TELECOM]: final("310", "手机号格式有误或非电信号码"),
  227305: final("310", REASONS.badName),
  227306: final("310", REASONS.badIdCard),
  // juhe refused a value it was sent: the same request to another vendor would carry the same value.
  227307: final("502", REASONS.badParameter),
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
  10011: fault("502", REASONS.rateLimited),
  10012: fault("502", REASONS.quotaExceeded),
  10013: fault("502", REASONS.quotaExceeded),
  10014: fault("504", REASONS.internalError),
  10020: fault("503", "上游服务维护中"),
  10021: fault("503", "上游服务已停用"),
};

const UNKNOWN_CODE = fault("504", REASONS.unknownError);

// telecomCmcc covers Telecom numbers only: its 227304 is about its coverage, not the number.
const NOT_ITS_NETWORK = pass("310", JUHE_ERRORS[NOT_TELECOM]!.reason);

export function juheErrorRow(errorCode: number, product: JuheProduct): FailureRow {
  if (errorCode === NOT_TELECOM && product === "telecomCmcc") return NOT_ITS_NETWORK;
  return (Object.hasOwn(JUHE_ERRORS, errorCode) ? JUHE_ERRORS[errorCode] : undefined) ?? UNKNOWN_CODE;
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

/** The product's whole table as the docs show it (docs/upstreams.md). */
export function juheCodeTable(product: JuheProduct): readonly CodeRow[] {
  const answered = (res: string, returnCode: ReturnCode): CodeRow => ({
    vendorCode: `0, res ${res}`,
    code: `200 ${returnCode}`,
    reason: RETURN_CODES[returnCode],
    failover: false,
    fault: false,
  });
  return [
    answered("1", "10000"),
    answered("2", "10001"),
    answered("other", "10002"),
    ...Object.keys(JUHE_ERRORS).map((code) => codeRow(code, juheErrorRow(Number(code), product))),
    codeRow("any other", UNKNOWN_CODE),
  ];
}
