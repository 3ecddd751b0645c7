// The sandbox's fictional subscribers and special phones (README lists them). ID numbers are
// made up but valid: real region codes, real dates, correct GB 11643 MOD 11-2 check characters.

/** Registered subscribers: the phone matches (res 1, rescode 11) only with this name and ID. */
export const SANDBOX_PEOPLE = [
  { phone: "13800138000", name: "张三", idCard: "110101199003071233" }, // 北京市东城区
  { phone: "13800138001", name: "李四", idCard: "310104198512240025" }, // 上海市徐汇区
  { phone: "13800138002", name: "阿依古丽·买买提", idCard: "650102199208150041" }, // 乌鲁木齐市天山区
  { phone: "13800138004", name: "王五", idCard: "44030519780101777X" }, // 深圳市南山区, check char X
] as const;

/**
 * With a registered phone the match detail follows which elements are wrong:
 * name wrong → res 2 rescode 21; ID wrong → 22; both wrong → 23.
 * These phones give a fixed answer whatever the name and ID.
 */
export const SANDBOX_FIXED_ANSWERS = {
  "13800138009": { res: 2, rescode: "24" }, // 不匹配，具体要素未知 → 10001
  "13800138003": { res: 3, rescode: null }, // neither 1 nor 2 → our 10002 未知的
} as const satisfies Record<string, { res: number; rescode: string | null }>;

/** Phones that make the exchange itself fail, the way a network does. */
export const SANDBOX_TRANSPORT_FAILURES = {
  "13900000408": "hang", // never answers until the request is aborted (cap 60 s) → 501
  "13900000500": "http500", // HTTP 500 → 502
  "13900000200": "notJson", // HTTP 200 with an HTML body → 502
  "13900000503": "networkError", // fetch throws a TypeError → 503
} as const;

/** Any other 13900XXXXXX answers juhe `error_code` XXXXXX (13900227303 → 227303, 13900010020 → 10020). */
export const SANDBOX_ERROR_PHONE = /^13900(\d{6})$/;

/** Every other phone: juhe 227303 库中无此记录, as the real service answers for unknown numbers. */
export const SANDBOX_UNKNOWN_PHONE_CODE = 227303;

/** juhe's documented error codes and texts (seed 004 §3), for the sandbox's `reason`. */
export const JUHE_ERROR_TEXTS: Readonly<Record<number, string>> = {
  227301: "服务商网络异常，请重试",
  227302: "查询失败，具体参照reason",
  227303: "库中无此记录",
  227304: "手机号格式有误或非电信号码",
  227305: "姓名不合法",
  227306: "身份证号码不合法",
  227307: "参数错误，具体请看reason",
  10001: "错误的请求KEY",
  10002: "该KEY无请求权限",
  10003: "KEY过期",
  10004: "错误的OPENID",
  10005: "应用未审核超时，请提交认证",
  10007: "未知的请求源",
  10008: "被禁止的IP",
  10009: "被禁止的KEY",
  10011: "当前IP请求超过限制",
  10012: "请求超过次数限制",
  10013: "测试KEY超过请求限制",
  10014: "系统内部异常",
  10020: "接口维护",
  10021: "接口停用",
};
