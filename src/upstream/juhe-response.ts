// juhe's JSON answer, checked with zod: nothing in it is trusted (CONTRACT.md §4).
import { z } from "zod";
import type { Outcome } from "../outcome.ts";
import { ok } from "../outcome.ts";
import { juheErrorFailure, matchCodeOf, returnCodeOf, transportFailure } from "./juhe-codes.ts";
import type { UpstreamMatch } from "./juhe.ts";

// juhe documents ints but has been seen sending numeric strings; accept both.
const integer = z.union([z.number().int(), z.string().trim().regex(/^-?\d{1,12}$/).transform(Number)]);

const Body = z.object({
  error_code: integer,
  // Never shown to anyone (it may echo input); optional so a missing text cannot hide the code.
  reason: z.string().optional(),
  result: z.unknown().optional(),
});

const MatchResult = z.object({
  res: integer,
  rescode: z.union([z.string(), z.number()]).nullish(),
  // Order ids end up in our logs: accept only a plain token, otherwise drop it.
  orderid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).nullish().catch(null),
});

export type Interpreted = { outcome: Outcome<UpstreamMatch>; upstreamCode: number | null };

/** A parsed JSON body → our outcome, plus juhe's `error_code` when there was one. */
export function interpretJuheBody(json: unknown): Interpreted {
  const body = Body.safeParse(json);
  if (!body.success) return { outcome: transportFailure("malformed"), upstreamCode: null };
  const upstreamCode = body.data.error_code;
  if (upstreamCode !== 0) return { outcome: juheErrorFailure(upstreamCode), upstreamCode };
  const result = MatchResult.safeParse(body.data.result);
  if (!result.success) return { outcome: transportFailure("malformed"), upstreamCode };
  const { res, rescode, orderid } = result.data;
  return {
    outcome: ok({ returnCode: returnCodeOf(res), matchCode: matchCodeOf(rescode), upstreamOrderId: orderid ?? null }),
    upstreamCode,
  };
}
