import { ERROR_CODES, RETURN_CODES, errorDetail, type ErrorCode, type ReturnCode } from "./codes.ts";
import type { Outcome } from "./outcome.ts";

/** Upstream match-detail code (juhe `rescode`, CONTRACT.md §2). */
export type MatchCode = "11" | "21" | "22" | "23" | "24";

/** `info` of a `200` answer: nothing personal, and plainly whether it was charged. */
export type Info = {
  readonly orderNo: string;
  readonly matchCode: MatchCode | null;
  readonly billable: boolean;
  readonly duplicate: boolean;
};

export type Verified = { readonly returnCode: ReturnCode; readonly info: Info };

export type Envelope = {
  readonly errorCode: ErrorCode;
  readonly errorDetail: string;
  readonly errorReason: string | null;
  readonly info: Info | null;
  readonly returnCode: ReturnCode | "0" | "";
  readonly returnDesc: string | null;
};

/** The one mapping from an outcome to the wire envelope (CONTRACT.md §2). */
export function toEnvelope(outcome: Outcome<Verified>): Envelope {
  if (outcome.ok) {
    const { returnCode, info } = outcome.value;
    return {
      errorCode: "200",
      errorDetail: errorDetail("200"),
      errorReason: null,
      info,
      returnCode,
      returnDesc: RETURN_CODES[returnCode],
    };
  }
  const { code, reason, param } = outcome;
  const family = ERROR_CODES[code].family;
  switch (family) {
    case "token":
      return { errorCode: code, errorDetail: errorDetail(code), errorReason: reason ?? null, info: null, returnCode: "", returnDesc: "" };
    case "request":
      return { errorCode: code, errorDetail: errorDetail(code, param), errorReason: reason ?? null, info: null, returnCode: "0", returnDesc: null };
    default:
      return family satisfies never;
  }
}

export const ORDER_HEADER = "X-Order-No";

export function envelopeResponse(envelope: Envelope, orderNo: string): Response {
  return new Response(JSON.stringify(envelope), {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8", [ORDER_HEADER]: orderNo },
  });
}
