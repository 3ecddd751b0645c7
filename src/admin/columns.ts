// The export columns, every field of the row types (the compiler checks each list is complete).
// Types only are imported, so the account command (plain Node) can load this file too.
import type { SpendRow } from "../billing/spend.ts";
import type { LedgerEntry, UsageRow } from "../billing/types.ts";

export const USAGE_COLUMNS = Object.keys({
  day: 1,
  errorCode: 1,
  requests: 1,
  billable: 1,
  chargedFen: 1,
} satisfies Record<keyof UsageRow, 1>) as (keyof UsageRow)[];

export const LEDGER_COLUMNS = Object.keys({
  orderNo: 1,
  at: 1,
  service: 1,
  errorCode: 1,
  returnCode: 1,
  chargedFen: 1,
  duplicate: 1,
  upstreamOrderId: 1,
  upstreamCode: 1,
  upstreamMs: 1,
  fingerprintPrefix: 1,
  attempts: 1,
  replayOf: 1,
  previousCredential: 1,
} satisfies Record<keyof LedgerEntry, 1>) as (keyof LedgerEntry)[];

export const SPEND_COLUMNS = Object.keys({
  day: 1,
  accountId: 1,
  vendor: 1,
  calls: 1,
  maybeCalls: 1,
  costFen: 1,
  revenueFen: 1,
  marginFen: 1,
} satisfies Record<keyof SpendRow, 1>) as (keyof SpendRow)[];
