// RFC 4180 CSV for the admin exports, safe to open in a spreadsheet (OWASP, CSV injection).

/** What a spreadsheet reads as the start of a formula (tab and CR can hide one behind them). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A header of `columns`, even without rows, then one line per row; fields quoted when needed. */
export function toCsv<Row extends object>(columns: readonly (keyof Row & string)[], rows: readonly Row[]): string {
  const lines = [columns.map(field), ...rows.map((row) => columns.map((column) => field(row[column])))];
  return lines.map((fields) => `${fields.join(",")}\r\n`).join("");
}

function field(value: unknown): string {
  const text =
    value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  // Text only: a number such as -5 is a number to a spreadsheet, not a formula.
  const inert = typeof value === "string" && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}
