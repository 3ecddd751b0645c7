// China time (UTC+8, no daylight saving): contract dates, ledger days, order numbers and ID-card
// birth dates are all written in it.
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `YYYY-MM-DD` in China. */
export function chinaDay(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD hh:mm:ss` in China, for texts a caller reads. */
export function chinaDateTime(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** `YYYYMMDDhhmmssSSS` in China. */
export function chinaStamp(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().replace(/\D/g, "").slice(0, 17);
}

export const DAY_MS = 86_400_000;

/** The instant a China day (`YYYY-MM-DD`) begins. */
export function chinaDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS;
}

/** The China day `days` after (or, negative, before) `day`. */
export function addDays(day: string, days: number): string {
  return chinaDay(chinaDayStart(day) + days * DAY_MS);
}

/** How many days `from..to` spans, both ends included (0 or less when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round((chinaDayStart(to) - chinaDayStart(from)) / DAY_MS) + 1;
}
