// The one code table of the service (docs/contract.md §3–§4): wire code, its documented Chinese
// text, which envelope family it belongs to, when it is returned, and the errorReason a refusal
// carries when its step has nothing more specific to say: what happened and what to do, in
// Chinese, never personal data.

export type Family = "ok" | "token" | "request";

type Entry = { readonly text: string; readonly family: Family; readonly when: string; readonly reason: string | null };

export const ERROR_CODES = {
  "200": { text: "查询成功", family: "ok", when: "the upstream answered with a match result", reason: null },
  "103": {
    text: "账户已下线",
    family: "token",
    when: "account status offline",
    reason: "账户已下线，token不再可用：请联系运营方",
  },
  "104": {
    text: "账户余额不足",
    family: "token",
    when: "account balance ≤ 0 at token check",
    reason: "账户余额不足（≤0）：请联系运营方充值，充值后数秒内生效",
  },
  "105": {
    text: "无效token",
    family: "token",
    when: "token missing from the token store",
    reason: "token无效：请核对token（vmt_开头共36个字符，不含空格、换行或引号）；轮换或停用后旧token立即失效",
  },
  "301": {
    text: "参数不能为空",
    family: "request",
    when: "none of token, iv, logon present",
    reason: "未收到token、iv、logon中的任何一个：请以表单或JSON发送请求体，并设置与之一致的Content-Type",
  },
  "302": {
    text: "请求账号不存在",
    family: "request",
    when: "token resolves to an account whose record is gone",
    reason: "token对应的账户已不存在：请联系运营方",
  },
  "304": {
    text: "请求帐号被冻结",
    family: "request",
    when: "account status frozen",
    reason: "账户已被冻结：请联系运营方解冻",
  },
  "305": {
    text: "请求没有此接口访问权限",
    family: "request",
    when: "account has services, but not this one",
    reason: "账户未开通本接口：请联系运营方开通",
  },
  "306": {
    text: "请求参数{name}为空或格式错误",
    family: "request",
    when: "a parameter or logon field is missing or malformed",
    reason: "参数缺失或格式错误：请按接口文档修正",
  },
  "307": {
    text: "请求验签失败",
    family: "request",
    when: "logon does not decrypt under the account key and iv",
    reason: "logon解密失败：请检查logonKey、iv与加密方式",
  },
  "308": {
    text: "请求没有查询到结果",
    family: "request",
    when: "the carrier has no record (juhe 227303, Tencent -9)",
    reason: "运营商库中无此号码的记录：请核对手机号，本次不计费",
  },
  "309": {
    text: "请求重复的请求",
    family: "request",
    when: "same account and identity within the duplicate window",
    reason: "重复的请求：请使用第一次的结果",
  },
  "310": {
    text: "请求参数中存在无效数据",
    family: "request",
    when: "well-formed but invalid data (ID check digit, date, region; juhe 227304–227306, Tencent -6 to -8)",
    reason: "参数格式正确但数据无效：请核对身份信息，本次不计费",
  },
  "311": {
    text: "权限不足",
    family: "request",
    when: "account has no services at all",
    reason: "账户未开通任何服务：请联系运营方开通",
  },
  "312": {
    text: "请求账号余额不足",
    family: "request",
    when: "balance below this service's price",
    reason: "账户余额低于本接口单价：请联系运营方充值",
  },
  "313": {
    text: "剩余次数不足",
    family: "request",
    when: "this service's remaining count is 0",
    reason: "本接口剩余次数为0：请联系运营方增加次数",
  },
  "314": {
    text: "合同时间过期",
    family: "request",
    when: "account contract end date has passed",
    reason: "账户合同已过期：请联系运营方续约",
  },
  "315": {
    text: "请求头信息错误",
    family: "request",
    when: "unsupported or missing content type, or an oversized body",
    reason: "请用POST，Content-Type为application/x-www-form-urlencoded、multipart/form-data或application/json",
  },
  "500": {
    text: "系统错误，服务器异常",
    family: "request",
    when: "our fault, including upstream key/openid errors",
    reason: "系统错误：本次不计费，请稍后重试；持续出现请凭订单号联系运营方",
  },
  "501": {
    text: "查询超时",
    family: "request",
    when: "upstream did not answer within UPSTREAM_TIMEOUT_MS",
    reason: "上游查询超时：本次不计费，可立即重试（每次换新iv）",
  },
  "502": {
    text: "请求失败",
    family: "request",
    when: "upstream HTTP error, non-JSON or oversized body, query failure, rate limit",
    reason: "上游请求失败：本次不计费，可稍后重试",
  },
  "503": {
    text: "接口未响应",
    family: "request",
    when: "upstream unreachable, in maintenance or stopped, or every eligible upstream's circuit open",
    reason: "上游服务暂不可用：本次不计费，可稍后重试",
  },
  "504": {
    text: "外部数据源异常",
    family: "request",
    when: "upstream network fault, internal error or unknown code",
    reason: "上游数据源异常：本次不计费，可立即重试（每次换新iv）",
  },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type FailureCode = Exclude<ErrorCode, "200">;

export const RETURN_CODES = {
  "10000": "一致的",
  "10001": "不一致的",
  "10002": "未知的",
} as const;

export type ReturnCode = keyof typeof RETURN_CODES;

/** The parameters a `306` can name: the body fields (requestId also from its header) and the fields inside `logon`. */
export type ParamName = "token" | "iv" | "logon" | "requestId" | "sign" | "idCard" | "userName" | "loginphone";

/** What each parameter must look like: the errorReason of a 306 that names it, unless its step says more. */
export const PARAM_RULES: Readonly<Record<ParamName, string>> = {
  token: "token须为vmt_开头的36个字符",
  iv: "iv须为16个字符（aes-gcm账户为12个字符）",
  logon: "logon须为AES-CBC密文的base64，最长4096个字符",
  requestId: "requestId须为1–64个可打印ASCII字符",
  sign: "sign须为64位十六进制的HMAC签名（本账户要求签名）",
  idCard: "idCard须为18位身份证号（17位数字加校验位，末位可为X）或15位一代身份证号",
  userName: "userName须为2至30个字：汉字（少数民族姓名以·分隔）或拉丁字母与空格",
  loginphone: "loginphone须为11位中国大陆手机号（可带+86、空格或-）",
};

/** The errorReason of a refusal whose step gave none: the parameter's rule for a 306, else the code's. */
export function defaultReason(code: ErrorCode, param?: ParamName): string | null {
  return code === "306" && param ? PARAM_RULES[param] : ERROR_CODES[code].reason;
}

export function errorDetail(code: ErrorCode, param?: ParamName): string {
  return ERROR_CODES[code].text.replace("{name}", param ?? "logon");
}
