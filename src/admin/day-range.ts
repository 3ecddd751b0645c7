// The days an admin report covers, read one way by every report: `from` absent is today (China
// time), `to` absent is `from`; the range runs forward and is at most `maxDays` long (inclusive).
import { chinaDay, daysBetween } from "../platform/time.ts";

export type DayRange = { readonly from: string; readonly to: string };

export function dayRange(
  asked: { readonly from?: string | undefined; readonly to?: string | undefined },
  maxDays: number,
  now: number,
): DayRange | { readonly error: string } {
  const from = asked.from ?? chinaDay(now);
  const to = asked.to ?? asked.from ?? chinaDay(now);
  const span = daysBetween(from, to);
  if (span < 1 || span > maxDays) return { error: `from..to must run forward and span at most ${maxDays} days` };
  return { from, to };
}
