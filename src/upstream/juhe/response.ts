// juhe's JSON answer, checked with zod: nothing in it is trusted (CONTRACT.md §4).
import * as z from "zod/mini";
import type { Outcome } from "../../wire/outcome.ts";
import { ok } from "../../wire/outcome.ts";
import { juheErrorFailure, matchCodeOf, returnCodeOf, transportFailure } from "./codes.ts";
import type { UpstreamMatch } from "./client.ts";

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
  // Order ids end up in our logs: accept only a plain token, otherwise drop it.
  orderid: z.catch(z.nullish(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))), null),
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
