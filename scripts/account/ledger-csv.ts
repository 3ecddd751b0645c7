// The ledger as CSV, rendered by the account command from the /admin API's JSON pages, with the
// Worker's own columns and CSV rules; test/scripts/ledger-csv.test.ts checks them against real rows.
// A person reads the time: `time` is ISO 8601 in China time (+08:00, the ledger's days); `at`, the
// epoch in milliseconds, stays beside it for programs.

import { LEDGER_COLUMNS } from "../../src/admin/columns.ts";
import { toCsv } from "../../src/admin/csv.ts";

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The CSV's columns: the ledger's, with `time` before `at`. */
export const LEDGER_CSV_COLUMNS = LEDGER_COLUMNS.flatMap((column) => (column === "at" ? ["time", "at"] : [column]));

/** Milliseconds since 1970 as ISO 8601 in China time, e.g. 2026-11-26T09:45:01.123+08:00. */
export function chinaIsoTime(at: number): string {
  return new Date(at + CHINA_OFFSET_MS).toISOString().replace("Z", "+08:00");
}

/** Rows as CSV with a header, also when there are none; nested values (attempts) as JSON text. */
export function ledgerCsv(rows: readonly Record<string, unknown>[]): string {
  const withTime = rows.map((row) => ({ ...row, time: typeof row.at === "number" ? chinaIsoTime(row.at) : null }));
  return toCsv<Record<string, unknown>>(LEDGER_CSV_COLUMNS, withTime);
}
