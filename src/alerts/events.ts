// The operator's alerts (docs/contract.md §11): what each names, never personal data. One alert
// per incident: the alert desk (desk.ts) decides when an incident opens; the queue consumer
// (deliver.ts) signs and posts it.
import * as z from "zod/mini";

export const ALERT_TYPES = [
  "balance.low",
  "quota.low",
  "account.expiring",
  "account.abuse",
  "upstream.circuit_opened",
  "upstream.circuit_closed",
  "upstream.error_rate",
  "alert.test",
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Facts about the incident: numbers, day strings and codes only (docs/contract.md §11 lists each type's). */
const Facts = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));
export type Facts = z.infer<typeof Facts>;

/** What the webhook's body holds, exactly (the consumer parses every message before sending it). */
export const Alert = z.object({
  /** Unique per incident: a receiver that sees an id twice (a retried delivery) has it already. */
  id: z.string().check(z.regex(/^alt_[0-9a-f]{16}$/)),
  type: z.enum(ALERT_TYPES),
  /** Unix seconds when the incident opened. */
  created: z.int(),
  accountId: z.nullable(z.string()),
  upstream: z.nullable(z.string()),
  data: Facts,
});
export type Alert = z.infer<typeof Alert>;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export function newAlert(
  type: AlertType,
  subject: { accountId?: string; upstream?: string },
  data: Facts,
  now: number,
): Alert {
  return {
    id: `alt_${hex(crypto.getRandomValues(new Uint8Array(8)))}`,
    type,
    created: Math.floor(now / 1000),
    accountId: subject.accountId ?? null,
    upstream: subject.upstream ?? null,
    data,
  };
}
