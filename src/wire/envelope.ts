import * as z from "zod/mini";
import { CARRIERS } from "./carrier.ts";
import { defaultReason, ERROR_CODES, type ErrorCode, errorDetail, RETURN_CODES, type ReturnCode } from "./codes.ts";
import type { Outcome } from "./outcome.ts";

// The envelope's shape as zod schemas: the TS types below and the OpenAPI document
// (src/openapi/) both come from these, so the published shape cannot drift from the code.

/** Upstream match-detail code (juhe `rescode`, docs/contract.md §3). */
export const MatchCode = z
  .enum(["11", "21", "22", "23", "24"])
  .check(
    z.describe(
      "Carrier match detail: 11 匹配, 21 姓名不匹配, 22 身份证不匹配, 23 均不匹配, 24 不匹配具体未知; null when the carrier gave none.",
    ),
  );
export type MatchCode = z.infer<typeof MatchCode>;

/** The subscriber's network (docs/contract.md §5). */
export const Carrier = z
  .enum(CARRIERS)
  .check(
    z.describe(
      "The number's carrier: CMCC 中国移动, CUCC 中国联通, CTCC 中国电信, CBN 中国广电; reported by an upstream (it knows ported numbers), else from the number segment; null when unknown.",
    ),
  );

/** `info` of a `200` answer: nothing personal, and plainly whether it was charged. */
export const Info = z.object({
  orderNo: z.string().check(z.describe("Our order number, also sent as the X-Order-No header.")),
  matchCode: z.nullable(MatchCode),
  carrier: z.nullable(Carrier),
  billable: z.boolean().check(z.describe("Whether this answer is charged.")),
  duplicate: z
    .boolean()
    .check(z.describe("Whether this is a replay of an earlier answer within the duplicate window (never billed).")),
});
export type Info = Readonly<z.infer<typeof Info>>;

export type Verified = { readonly returnCode: ReturnCode; readonly info: Info };

const codeList = (texts: Record<string, string>) =>
  Object.entries(texts)
    .map(([code, text]) => `${code} ${text}`)
    .join(", ");
const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];
const returnCodes = Object.keys(RETURN_CODES) as ReturnCode[];

export const Envelope = z.object({
  errorCode: z.enum(errorCodes).check(z.describe("Outcome of the request; see the code table.")),
  errorDetail: z.string().check(z.describe("The code's documented Chinese text; a 306 names the parameter.")),
  errorReason: z.nullable(z.string()).check(z.describe("A short Chinese cause where it helps; never personal data.")),
  info: z.nullable(Info).check(z.describe("The result on 200, otherwise null.")),
  returnCode: z
    .enum([...returnCodes, "0", ""])
    .check(
      z.describe(
        `Business result on 200 (${codeList(RETURN_CODES)}); "0" on request errors (3xx, 5xx); "" on token errors (1xx).`,
      ),
    ),
  returnDesc: z
    .nullable(z.string())
    .check(z.describe('Text of returnCode on 200; null on request errors; "" on token errors.')),
});
export type Envelope = Readonly<z.infer<typeof Envelope>>;

/** The one mapping from an outcome to the wire envelope (docs/contract.md §3). */
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
  const { code, param } = outcome;
  // Every refusal explains itself: the step's own cause, else the code table's (docs/contract.md §3).
  const reason = outcome.reason ?? defaultReason(code, param);
  const family = ERROR_CODES[code].family;
  switch (family) {
    case "token":
      return {
        errorCode: code,
        errorDetail: errorDetail(code),
        errorReason: reason,
        info: null,
        returnCode: "",
        returnDesc: "",
      };
    case "request":
      return {
        errorCode: code,
        errorDetail: errorDetail(code, param),
        errorReason: reason,
        info: null,
        returnCode: "0",
        returnDesc: null,
      };
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
