// juhe's JSON answer, checked with zod: nothing in it is trusted (docs/contract.md §5).
import * as z from "zod/mini";
import { transportReply } from "../transport.ts";
import { failed, matched, plainToken, type Reply } from "../upstream.ts";
import { type JuheProduct, juheErrorRow, matchCodeOf, NOT_TELECOM, returnCodeOf } from "./codes.ts";

// juhe documents ints but has been seen sending numeric strings; accept both.
const integer = z.union([z.int(), z.pipe(z.string().check(z.trim(), z.regex(/^-?\d{1,12}$/)), z.transform(Number))]);

const Body = z.object({
  error_code: integer,
  // Never shown to anyone (it may echo input); optional so a missing text cannot hide the code.
  reason: z.optional(z.string()),
  result: z.optional(z.unknown()),
});

const MatchResult = z.object({
  res: integer,
  rescode: z.nullish(z.union([z.string(), z.number()])),
  // Order ids end up in the ledger and logs: accept only a plain token, otherwise drop it.
  orderid: z.catch(z.nullish(z.string()), null),
});

/** A parsed JSON body of `product` → our reply, with juhe's `error_code` when there was one. */
export function interpretJuheBody(json: unknown, product: JuheProduct): Reply {
  const body = Body.safeParse(json);
  if (!body.success) return transportReply("malformed");
  const errorCode = body.data.error_code;
  const code = String(errorCode);
  if (errorCode !== 0) {
    const reply = failed(juheErrorRow(errorCode, product), code);
    return errorCode === NOT_TELECOM && product === "telecomCmcc" ? { ...reply, notCarrier: "CTCC" } : reply;
  }
  const result = MatchResult.safeParse(body.data.result);
  if (!result.success) return { ...transportReply("malformed"), code };
  const { res, rescode, orderid } = result.data;
  // juhe's answer names no carrier: the segment's stands unless another upstream reports one.
  return matched(
    {
      returnCode: returnCodeOf(res),
      matchCode: matchCodeOf(rescode),
      upstreamOrderId: plainToken(orderid),
      carrier: null,
    },
    code,
  );
}
