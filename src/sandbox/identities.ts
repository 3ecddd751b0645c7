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
