// The one code table of the service (CONTRACT.md §2–§3): wire code, its documented Chinese
// text, which envelope family it belongs to, and when it is returned.

export type Family = "ok" | "token" | "request";

type Entry = { readonly text: string; readonly family: Family; readonly when: string };

export const ERROR_CODES = {
  "200": { text: "查询成功", family: "ok", when: "the upstream answered with a match result" },
  "103": { text: "账户已下线", family: "token", when: "account status offline" },
  "104": { text: "账户余额不足", family: "token", when: "account balance ≤ 0 at token check" },
  "105": { text: "无效token", family: "token", when: "token missing from the token store" },
  "301": { text: "参数不能为空", family: "request", when: "none of token, iv, logon present" },
  "302": { text: "请求账号不存在", family: "request", when: "token resolves to an account whose record is gone" },
  "304": { text: "请求帐号被冻结", family: "request", when: "account status frozen" },
  "305": { text: "请求没有此接口访问权限", family: "request", when: "account has services, but not this one" },
  "306": { text: "请求参数{name}为空或格式错误", family: "request", when: "a parameter or logon field is missing or malformed" },
  "307": { text: "请求验签失败", family: "request", when: "logon does not decrypt under the account key and iv" },
  "308": { text: "请求没有查询到结果", family: "request", when: "upstream 227303 (no record)" },
  "309": { text: "请求重复的请求", family: "request", when: "same account and identity within the duplicate window" },
  "310": { text: "请求参数中存在无效数据", family: "request", when: "well-formed but invalid data (ID check digit, date, region; upstream 227304–227306)" },
  "311": { text: "权限不足", family: "request", when: "account has no services at all" },
  "312": { text: "请求账号余额不足", family: "request", when: "balance below this service's price" },
  "313": { text: "剩余次数不足", family: "request", when: "this service's remaining count is 0" },
  "314": { text: "合同时间过期", family: "request", when: "account contract end date has passed" },
  "315": { text: "请求头信息错误", family: "request", when: "unsupported or missing content type, or an oversized body" },
  "500": { text: "系统错误，服务器异常", family: "request", when: "our fault, including upstream key/openid errors" },
  "501": { text: "查询超时", family: "request", when: "upstream did not answer within UPSTREAM_TIMEOUT_MS" },
  "502": { text: "请求失败", family: "request", when: "upstream HTTP error, non-JSON body, query failure, rate limit" },
  "503": { text: "接口未响应", family: "request", when: "upstream unreachable, in maintenance or stopped" },
  "504": { text: "外部数据源异常", family: "request", when: "upstream network fault, internal error or unknown code" },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type FailureCode = Exclude<ErrorCode, "200">;

export const RETURN_CODES = {
  "10000": "一致的",
  "10001": "不一致的",
  "10002": "未知的",
} as const;

export type ReturnCode = keyof typeof RETURN_CODES;

/** The parameters a `306` can name: the body fields and the fields inside `logon`. */
export type ParamName = "token" | "iv" | "logon" | "requestId" | "idCard" | "userName" | "loginphone";

export function errorDetail(code: ErrorCode, param?: ParamName): string {
  return ERROR_CODES[code].text.replace("{name}", param ?? "logon");
}
