// The sandbox's fictional subscribers and special phones (docs/sandbox.md lists them). ID numbers are
// made up but valid: real region codes, real dates, correct GB 11643 MOD 11-2 check characters.
// Every twin (juhe telecomCmcc, juhe three-network, Tencent) answers from this one world.
import type { Carrier } from "../wire/carrier.ts";

/**
 * Registered subscribers: the phone matches (res 1, rescode 11; Tencent 0) only with this name and
 * ID. Their network is the number segment's unless SANDBOX_PORTED says otherwise.
 */
export const SANDBOX_PEOPLE = [
  { phone: "13800138000", name: "张三", idCard: "110101199003071233" }, // 北京市东城区; China Mobile
  { phone: "13800138001", name: "李四", idCard: "310104198512240025" }, // 上海市徐汇区
  { phone: "13800138002", name: "阿依古丽·买买提", idCard: "650102199208150041" }, // 乌鲁木齐市天山区
  { phone: "13800138004", name: "王五", idCard: "44030519780101777X" }, // 深圳市南山区, check char X
  { phone: "18600186000", name: "钱七", idCard: "320102198805061230" }, // 南京市玄武区; China Unicom
  { phone: "18900189000", name: "孙八", idCard: "330106199211232241" }, // 杭州市西湖区; China Telecom
  { phone: "19200192000", name: "周九", idCard: "420106197902143312" }, // 武汉市武昌区; China Broadcast Network
  { phone: "18900189001", name: "吴十", idCard: "510104199507304428" }, // 成都市锦江区; Telecom, juhe faults
  { phone: "18900189002", name: "郑和平", idCard: "61011319830909551X" }, // 西安市雁塔区; ported to Mobile
  { phone: "18600186001", name: "冯晓燕", idCard: "370102199012016628" }, // 济南市历下区; Unicom, juhe3 down
] as const;

/** Numbers that moved to another carrier (携号转网): telecomCmcc refuses them, Tencent reports the new `Isp`. */
export const SANDBOX_PORTED: Readonly<Record<string, Carrier>> = {
  "18900189002": "CMCC",
};

/**
 * Faults of one juhe product only, by `error_code`, so the next upstream of the chain answers:
 * a Telecom number whose telecomCmcc answer is 227301, a Unicom number whose three-network
 * product is in maintenance (10020) so Tencent answers.
 */
export const SANDBOX_PRODUCT_FAULTS: Readonly<
  Record<string, { readonly telecomCmcc?: number; readonly telecom?: number }>
> = {
  "18900189001": { telecomCmcc: 227301 },
  "18600186001": { telecom: 10020 },
};

/**
 * With a registered phone the match detail follows which elements are wrong:
 * name wrong → res 2 rescode 21; ID wrong → 22; both wrong → 23 (Tencent: -4).
 * These phones give a fixed answer whatever the name and ID.
 */
export const SANDBOX_FIXED_ANSWERS = {
  "13800138009": { res: 2, rescode: "24" }, // 不匹配，具体要素未知 → 10001 (Tencent -4)
  "13800138003": { res: 3, rescode: null }, // neither 1 nor 2 → our 10002 未知的 (Tencent has no such answer: -4)
} as const satisfies Record<string, { res: number; rescode: string | null }>;

/** Phones that make the exchange itself fail on every twin, the way a network does. */
export const SANDBOX_TRANSPORT_FAILURES = {
  "13900000408": "hang", // never answers until the request is aborted (cap 60 s) → 501
  "13900000500": "http500", // HTTP 500 → 502
  "13900000200": "notJson", // HTTP 200 with an HTML body → 502
  "13900000503": "networkError", // fetch throws a TypeError → 503
} as const;

export type SandboxTransportFailure = (typeof SANDBOX_TRANSPORT_FAILURES)[keyof typeof SANDBOX_TRANSPORT_FAILURES];

/**
 * Any other 13900XXXXXX answers juhe `error_code` XXXXXX (13900227303 → 227303, 13900010020 → 10020)
 * on both juhe products, and on Tencent the answer that means the same to the caller, so a fault
 * phone faults on every upstream of the chain and the caller sees its code.
 */
export const SANDBOX_ERROR_PHONE = /^13900(\d{6})$/;

/** Every other phone: juhe 227303 库中无此记录 (Tencent -9), as the real services answer for unknown numbers. */
export const SANDBOX_UNKNOWN_PHONE_CODE = 227303;
