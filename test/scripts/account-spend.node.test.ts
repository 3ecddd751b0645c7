// The spend and reconcile verbs (docs/contract.md §12) against a stub of GET /admin/spend on
// 127.0.0.1: every page followed, the CSV rendered, and a vendor's counts compared day by day.
/// <reference types="node" />
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../scripts/account/args.ts";
import { callSpend, type SpendCommand, vendorCounts } from "../../scripts/account/spend.ts";
import { CliError } from "../../scripts/lib/errors.ts";

const row = (day: string, accountId: string, vendor: string, calls: number, maybeCalls = 0) => ({
  day,
  accountId,
  vendor,
  calls,
  maybeCalls,
  costFen: calls * 30,
  revenueFen: calls * 50,
  marginFen: calls * 20,
});
/** Two pages of accounts, as GET /admin/spend answers without account=. */
const PAGES = [
  { rows: [row("2026-12-01", "acc_a", "juhe", 10), row("2026-12-02", "acc_a", "juhe", 4, 1)], next: "p2" },
  { rows: [row("2026-12-01", "acc_b", "juhe", 5), row("2026-12-01", "acc_b", "tencent", 7)], next: null },
];

let server: Server;
let url: string;
const asked: string[] = [];
const dir = mkdtempSync(join(tmpdir(), "reconcile-"));

beforeAll(async () => {
  server = createServer((request, response) => {
    const { searchParams } = new URL(request.url!, "http://stub");
    asked.push(searchParams.toString());
    const page = PAGES[searchParams.get("cursor") === "p2" ? 1 : 0]!;
    response.setHeader("Content-Type", "application/json");
    response.end(JSON.stringify({ from: searchParams.get("from"), to: searchParams.get("to"), unpriced: [], ...page }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const command = (argv: string[]) => parseCommand([...argv, "--local", "--url", url]) as SpendCommand;

describe("account spend", () => {
  it("collects every page of every account", async () => {
    const report = (await callSpend(command(["spend", "--from", "2026-12-01", "--to", "2026-12-02"]))) as {
      rows: unknown[];
    };
    expect(report.rows).toEqual([...PAGES[0]!.rows, ...PAGES[1]!.rows]);
  });

  it("prints CSV with a header", async () => {
    const csv = (await callSpend(command(["spend", "--from", "2026-12-01", "--format", "csv"]))) as string;
    expect(csv.split("\r\n").slice(0, 2)).toEqual([
      "day,accountId,vendor,calls,maybeCalls,costFen,revenueFen,marginFen",
      "2026-12-01,acc_a,juhe,10,0,300,500,200",
    ]);
  });
});

describe("account reconcile", () => {
  it("prints the days whose counts differ from ours, with our maybe-called attempts", async () => {
    const file = join(dir, "juhe.csv");
    writeFileSync(file, "日期,调用次数\r\n2026-12-01,15\r\n20261202,6\r\n2026/12/03,2\r\n");
    expect(await callSpend(command(["reconcile", "juhe", file]))).toEqual({
      vendor: "juhe",
      from: "2026-12-01",
      to: "2026-12-03",
      days: 3,
      differ: [
        { day: "2026-12-02", theirs: 6, ours: 4, maybeCalls: 1, difference: 2 },
        { day: "2026-12-03", theirs: 2, ours: 0, maybeCalls: 0, difference: 2 },
      ],
    });
    expect(asked.at(-1)).toContain("from=2026-12-01&to=2026-12-03");
  });

  it.each([
    ["2026-12-01,15\n2026-12-01,3\n", "v.csv line 2: 2026-12-01 appears twice"],
    ["2026-12-01,15\n2026-02-30,3\n", "v.csv line 2: 2026-02-30 is not a real day"],
    ["2026-12-01,15\n2026-12-02,-3\n", "v.csv line 2: expected day,calls (e.g. 2026-12-01,1234)"],
    ["day,calls\n", "v.csv has no day,calls lines"],
  ])("refuses a vendor CSV %j, naming the line", (csv, message) => {
    expect(() => vendorCounts(csv, "v.csv")).toThrow(new CliError(message));
  });
});
