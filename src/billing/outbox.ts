// The settlement outbox (docs/contract.md §7): when the account's object cannot be reached to
// settle a reservation, even after retries, the settlement is written to KV instead, and the
// object's alarm applies it before it would release the reservation as lost. So an answer the
// caller saw is never contradicted by the ledger. Holds no personal data: codes, order numbers,
// timings.
import * as z from "zod/mini";
import { StoredResult } from "../duplicates/stored-result.ts";
import { logEvent } from "../platform/log.ts";
import { ERROR_CODES, type ErrorCode } from "../wire/codes.ts";
import type { Settlement } from "./types.ts";

export const outboxKey = (accountId: string, orderNo: string) => `outbox:${accountId}:${orderNo}`;

/** A settlement the alarm has not applied after this long is past help; KV drops it. */
const OUTBOX_TTL_S = 30 * 86_400;

const Attempt = z.object({
  upstream: z.string(),
  code: z.nullable(z.string()),
  ms: z.number(),
  orderId: z.nullable(z.string()),
  fault: z.optional(z.boolean()),
});
const Deferred = z.object({
  orderNo: z.string(),
  at: z.int(),
  errorCode: z.enum(Object.keys(ERROR_CODES) as [ErrorCode]),
  returnCode: z.string(),
  upstreamOrderId: z.nullable(z.string()),
  upstreamCode: z.nullable(z.number()),
  upstreamMs: z.nullable(z.number()),
  attempts: z.array(Attempt),
  // Settlements deferred before the rotation audit was kept name no credential.
  previousCredential: z._default(z.nullable(z.string()), null),
  stored: z.nullable(StoredResult),
});
true satisfies z.infer<typeof Deferred> extends Settlement ? true : false;

/** Writes the settlement to the outbox, retried; true once it is there. */
export async function deferSettlement(kv: KVNamespace, accountId: string, settlement: Settlement): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await kv.put(outboxKey(accountId, settlement.orderNo), JSON.stringify(settlement), {
        expirationTtl: OUTBOX_TTL_S,
      });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
  }
  return false;
}

/** The settlement the Worker could not deliver for this order, if any (read by the object's alarm). */
export async function deferredSettlement(
  kv: KVNamespace,
  accountId: string,
  orderNo: string,
): Promise<Settlement | null> {
  const text = await kv.get(outboxKey(accountId, orderNo), "text");
  if (text === null) return null;
  const parsed = Deferred.safeParse(parseJson(text));
  if (parsed.success && parsed.data.orderNo === orderNo) return parsed.data;
  logEvent("error", "outbox_malformed", { accountId, orderNo });
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function clearDeferred(kv: KVNamespace, accountId: string, orderNo: string): Promise<void> {
  return kv.delete(outboxKey(accountId, orderNo));
}
