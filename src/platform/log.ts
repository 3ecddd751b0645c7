// The one structured logger: JSON lines that Workers Logs indexes. Fields are closed lists of
// non-personal facts: no identity, token, key, logon or upstream text ever goes in.
import type { ErrorCode } from "../wire/codes.ts";

type Level = "info" | "warn" | "error";
type Fact = string | number | boolean | null | undefined | readonly (string | number)[];

export function logEvent(level: Level, event: string, facts: Readonly<Record<string, Fact>> = {}): void {
  const line = JSON.stringify({ level, event, ...facts });
  if (level === "info") console.log(line);
  else if (level === "warn") console.warn(line);
  else console.error(line);
}

/** The one line per verifyMobile request. */
export type RequestLog = {
  readonly orderNo: string;
  readonly accountId: string | null;
  readonly errorCode: ErrorCode;
  readonly returnCode: string;
  readonly reason: string | null;
  readonly upstreamCode: number | null;
  readonly upstreamMs: number | null;
  readonly totalMs: number;
  readonly duplicate: boolean;
  readonly billable: boolean;
  /** The rotated credentials used during their grace (docs/contract.md §9), null for the current ones. */
  readonly previousCredential: string | null;
};

export function logRequest(entry: RequestLog): void {
  logEvent("info", "verifyMobile", entry);
}
