// The codes as docs/contract.md states them, read from its text, so tests compare the code
// under test with the specification rather than with src/wire/codes.ts itself (as
// test/support/juhe-expected.ts does for juhe's codes): §4's table of codes and their
// errorDetail, §3's return codes of a 200 with their returnDesc.
/// <reference types="vite/client" />
import contract from "../../docs/contract.md?raw";

/** The rows of the first Markdown table after `heading`, as cells without their backticks. */
function tableAfter(heading: string): string[][] {
  const start = contract.indexOf(heading);
  if (start < 0) throw new Error(`docs/contract.md has no "${heading}"`);
  const lines = contract.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim().replace(/^`|`$/g, "")),
    );
  }
  return rows;
}

/** §4: every code with its errorDetail (`{name}` as written) and when it is answered. */
export const CONTRACT_CODES: Readonly<Record<string, { readonly detail: string; readonly when: string }>> =
  Object.fromEntries(
    tableAfter("## §4 Codes").map(([code, detail, when]) => [code!, { detail: detail!, when: when! }]),
  );

/** §3: the return codes of a 200 and their returnDesc (`10000` / `10001` / `10002` ↔ `一致的` / …). */
export const CONTRACT_RETURN_CODES: Readonly<Record<string, string>> = (() => {
  const row = tableAfter("## §3 Response envelope").find(([family]) => family === "200");
  if (!row) throw new Error("docs/contract.md §3 has no row for 200");
  const split = (cell: string) => cell.split(/`? \/ `?/);
  const [codes, texts] = [split(row[1]!), split(row[2]!)];
  return Object.fromEntries(codes.map((code, i) => [code, texts[i]!]));
})();
