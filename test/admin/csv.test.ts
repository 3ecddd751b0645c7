// CSV for spreadsheets: RFC 4180 quoting, a header even without rows, and no formulas (OWASP).
import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/admin/csv.ts";

type Row = { text: string | null; n: number; list: readonly string[] };
const csv = (rows: Row[]) => toCsv<Row>(["text", "n", "list"], rows);

describe("toCsv", () => {
  it("writes the header when there are no rows", () => {
    expect(csv([])).toBe("text,n,list\r\n");
  });

  it.each([
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["a=1", "a=1"],
    ["", ""],
  ])("makes the text %j inert: %j", (text, field) => {
    expect(csv([{ text, n: 1, list: [] }])).toBe(`text,n,list\r\n${field},1,[]\r\n`);
  });

  it("leaves numbers alone, writes null as empty and objects as JSON, quoted when needed", () => {
    expect(csv([{ text: null, n: -5, list: ["a", "b"] }])).toBe('text,n,list\r\n,-5,"[""a"",""b""]"\r\n');
  });
});
