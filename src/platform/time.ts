// China time (UTC+8, no daylight saving): contract dates, ledger days, order numbers and ID-card
// birth dates are all written in it.
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `YYYY-MM-DD` in China. */
export function chinaDay(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYYMMDDhhmmssSSS` in China. */
export function chinaStamp(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().replace(/\D/g, "").slice(0, 17);
}
