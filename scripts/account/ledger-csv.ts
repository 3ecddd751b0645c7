// The ledger as CSV, rendered by the account command from the /admin API's JSON pages, with the
// Worker's own columns and CSV rules; test/scripts/ledger-csv.test.ts checks them against real rows.

import { LEDGER_COLUMNS } from "../../src/admin/columns.ts";
import { toCsv } from "../../src/admin/csv.ts";

export { LEDGER_COLUMNS };

/** Rows as CSV with a header, also when there are none; nested values (attempts) as JSON text. */
export function ledgerCsv(rows: readonly Record<string, unknown>[]): string {
  return toCsv<Record<string, unknown>>(LEDGER_COLUMNS, rows);
}
