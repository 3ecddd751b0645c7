// The ledger as CSV, rendered by the account command from the /admin API's JSON pages. Pure, so
// test/scripts/ledger-csv.test.ts checks the columns against the rows the Worker really writes.
import { toCsv } from "../../src/admin/csv.ts";

/** The ledger rows' fields (docs/contract.md §7), in the order the JSON rows list them. */
export const LEDGER_COLUMNS = [
  "orderNo",
  "at",
  "service",
  "errorCode",
  "returnCode",
  "chargedFen",
  "duplicate",
  "upstreamOrderId",
  "upstreamCode",
  "upstreamMs",
  "fingerprintPrefix",
  "attempts",
] as const;

/** Rows as CSV with a header, also when there are none; nested values (attempts) as JSON text. */
export function ledgerCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return `${LEDGER_COLUMNS.join(",")}\r\n`;
  const cell = (value: unknown) => (value !== null && typeof value === "object" ? JSON.stringify(value) : value);
  return toCsv(rows.map((row) => Object.fromEntries(LEDGER_COLUMNS.map((column) => [column, cell(row[column])]))));
}
