/** RFC 4180 CSV of flat rows: a header from the first row's keys, fields quoted when needed. */
export function toCsv(rows: readonly object[]): string {
  const first = rows[0];
  if (!first) return "";
  const keys = Object.keys(first);
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [keys.join(","), ...rows.map((r) => keys.map((k) => field((r as Record<string, unknown>)[k])).join(","))].join("\r\n") + "\r\n";
}
