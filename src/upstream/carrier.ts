// Which carrier a mainland mobile number was allocated to, from its number segment. Pure data.
//
// Sources: MIIT 《电信网编号计划（2017年版）》 (the 13x–19x mobile blocks and the 14x data/IoT
// blocks) and MIIT's later block allocations: 166/198/199, the 162/165/167/171 MVNO blocks,
// 190/191/193/195/196/197, and 192 to China Broadcast Network. 1349 is the old China Satcom
// satellite block, now China Telecom's. The same list is in docs/contract.md §5 (Carrier).
//
// A segment tells the carrier that was allocated the number, not the one serving it today:
// since 2019 numbers can move between carriers (携号转网). The upstream's `Isp` says the latter.

import { CARRIERS, type Carrier } from "../wire/carrier.ts";

export type { Carrier }; // "CMCC" | "CUCC" | "CTCC" | "CBN", as `info.carrier` names them

/** `mvno`: the block is leased to virtual operators, who resell the host carrier's network. */
export type Segment = { readonly carrier: Carrier; readonly mvno: boolean };

const CMCC: Segment = { carrier: "CMCC", mvno: false };
const CUCC: Segment = { carrier: "CUCC", mvno: false };
const CTCC: Segment = { carrier: "CTCC", mvno: false };
const CBN: Segment = { carrier: "CBN", mvno: false };
const CMCC_MVNO: Segment = { carrier: "CMCC", mvno: true };
const CUCC_MVNO: Segment = { carrier: "CUCC", mvno: true };
const CTCC_MVNO: Segment = { carrier: "CTCC", mvno: true };

/**
 * Number prefix (3 or 4 digits) → segment. A 4-digit prefix is listed only where its 3-digit
 * block is split (134, 170); such a 3-digit block has no entry of its own. Blocks not listed
 * (140–144, 154, 160, 161, 163, 164, 168, 169, 174, 179, 194, …) are unallocated, 13-digit
 * IoT-only or satellite/emergency (174), and give null.
 */
export const SEGMENTS: Readonly<Record<string, Segment>> = {
  // China Mobile
  ...same(CMCC, "1340", "1341", "1342", "1343", "1344", "1345", "1346", "1347", "1348"),
  ...same(CMCC, "135", "136", "137", "138", "139", "147", "148", "150", "151", "152", "157", "158", "159"),
  ...same(CMCC, "172", "178", "182", "183", "184", "187", "188", "195", "197", "198"),
  ...same(CMCC_MVNO, "1703", "1705", "1706", "165"),
  // China Unicom
  ...same(CUCC, "130", "131", "132", "145", "146", "155", "156", "166", "175", "176", "185", "186", "196"),
  ...same(CUCC_MVNO, "1704", "1707", "1708", "1709", "167", "171"),
  // China Telecom
  ...same(CTCC, "133", "149", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199"),
  ...same(CTCC, "1349"), // satellite
  ...same(CTCC_MVNO, "1700", "1701", "1702", "162"),
  // China Broadcast Network
  ...same(CBN, "192"),
};

function same(segment: Segment, ...prefixes: string[]): Record<string, Segment> {
  return Object.fromEntries(prefixes.map((p) => [p, segment]));
}

const MOBILE = /^1\d{10}$/;

/** The segment of an 11-digit number; null for anything else or an unallocated block. */
export function carrierOfNumber(phone11: string): Segment | null {
  if (!MOBILE.test(phone11)) return null;
  return own(SEGMENTS, phone11.slice(0, 4)) ?? own(SEGMENTS, phone11.slice(0, 3)) ?? null;
}

/** How upstreams name the carriers (Tencent `Isp`), without a leading "中国". */
export const ISP_NAMES: Readonly<Record<Carrier, string>> = { CMCC: "移动", CUCC: "联通", CTCC: "电信", CBN: "广电" };

const CARRIER_OF_ISP: Readonly<Record<string, Carrier>> = Object.fromEntries(
  CARRIERS.map((carrier) => [ISP_NAMES[carrier], carrier]),
);

/** An upstream's carrier name (Tencent `Isp`: "移动", "联通", "电信", maybe "中国…" or "广电"); null if none. */
export function carrierOfIsp(text: string | null | undefined): Carrier | null {
  const name = (text ?? "").trim().replace(/^中国/, "");
  return own(CARRIER_OF_ISP, name) ?? null;
}

// Own keys only, so "constructor" or "__proto__" never finds Object.prototype's.
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
