// A billable answer as the duplicate window keeps it: in the account's object, in KV, in the isolate.
import * as z from "zod/mini";
import { RETURN_CODES } from "../wire/codes.ts";
import { Carrier, MatchCode } from "../wire/envelope.ts";

export const StoredResult = z.object({
  returnCode: z.enum(Object.keys(RETURN_CODES) as [keyof typeof RETURN_CODES]),
  matchCode: z.nullable(MatchCode),
  // Results stored before the carrier was kept replay with null.
  carrier: z._default(z.nullable(Carrier), null),
  orderNo: z.string().check(z.maxLength(64)),
  at: z.int(),
});
// The input shape: a result stored in the account object before the carrier was kept has none.
export type StoredResult = z.input<typeof StoredResult>;
