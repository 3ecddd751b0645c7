import type { ErrorCode } from "./codes.ts";

/**
 * The one structured line per request (Workers Logs indexes JSON). Its fields are a closed list
 * of non-personal facts: no identity, token, key or logon ever goes in.
 */
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
};

export function logRequest(entry: RequestLog): void {
  console.log(JSON.stringify({ event: "verifyMobile", ...entry }));
}
