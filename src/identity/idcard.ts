// Resident identity card numbers (GB 11643-1999), docs/contract.md §1: a wrong shape is `306`,
// a well-formed number that cannot exist is `310`. Reasons never echo any digit of the number.
// Hand-written: the rule is a dozen lines, and the npm validators we found bundle region tables
// or accept what GB 11643 refuses; these lines are tested case by case instead.
import { chinaDay } from "../platform/time.ts";
import { badParam, fail, type Outcome, ok } from "../wire/outcome.ts";

/** Province-level division codes of GB/T 2260 (83: Taiwan residents' residence permits). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "11",
  "12",
  "13",
  "14",
  "15",
  "21",
  "22",
  "23",
  "31",
  "32",
  "33",
  "34",
  "35",
  "36",
  "37",
  "41",
  "42",
  "43",
  "44",
  "45",
  "46",
  "50",
  "51",
  "52",
  "53",
  "54",
  "61",
  "62",
  "63",
  "64",
  "65",
  "71",
  "81",
  "82",
  "83",
]);

// GB 11643-1999 §5.2: ISO 7064 MOD 11-2 weights for the 17 body digits and the check characters.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

const SHAPE_18 = /^\d{17}[\dX]$/;
const SHAPE_15 = /^\d{15}$/;

const EARLIEST_BIRTH = "19000101";

/** The GB 11643-1999 check character of the first 17 digits. */
export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? "";
}

/**
 * Shape step (`306`): trims, upper-cases `x`, and upgrades a 15-digit first-generation number
 * to 18 (GB 11643-1999: "19" before the 2-digit year, then the check character).
 */
export function idCardShape(raw: string): Outcome<string> {
  const s = raw.trim().toUpperCase();
  if (SHAPE_18.test(s)) return ok(s);
  if (SHAPE_15.test(s)) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    return ok(first17 + checkChar(first17));
  }
  return badParam("idCard");
}

/** Validity step (`310`) for a number that already passed `idCardShape`. */
export function idCardValidity(id18: string, now: Date): Outcome<string> {
  // Most typos change the check character, so it is the most useful cause to name first.
  if (checkChar(id18.slice(0, 17)) !== id18[17]) return fail("310", "身份证校验位错误");
  if (!isPlausibleBirthDate(id18.slice(6, 14), now)) return fail("310", "身份证出生日期无效");
  if (!PROVINCE_CODES.has(id18.slice(0, 2))) return fail("310", "身份证地区码无效");
  return ok(id18);
}

export function parseIdCard(raw: string, now: Date): Outcome<string> {
  const shaped = idCardShape(raw);
  return shaped.ok ? idCardValidity(shaped.value, now) : shaped;
}

/** `yyyymmdd` is a real calendar date, not before 1900-01-01 and not after today in China. */
function isPlausibleBirthDate(yyyymmdd: string, now: Date): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  // Birth dates are civil dates in China, so "today" is taken there.
  const today = chinaDay(now.getTime()).replaceAll("-", "");
  // Same-length digit strings compare like the dates they spell.
  return yyyymmdd >= EARLIEST_BIRTH && yyyymmdd <= today;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
