// The account command's admin verbs against a stub of the Worker's /admin API (node:http on
// 127.0.0.1): the ledger followed page by page through `next`, the day range defaults, CSV with a
// header even when empty, and the usage CSV printed as the Worker wrote it.
/// <reference types="node" />
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callAdmin } from "../../scripts/account/admin-api.ts";
import { parseCommand } from "../../scripts/account/args.ts";
import { ensureDevVars } from "../../scripts/dev-vars.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { chinaDay } from "../../src/platform/time.ts";

const LEDGER_HEADER =
  "orderNo,time,at,service,errorCode,returnCode,chargedFen,duplicate,upstreamOrderId,upstreamCode,upstreamMs,fingerprintPrefix,attempts,replayOf,previousCredential";

const ID = "acc_0123456789abcdef";
const NOW = new Date("2026-11-26T20:00:00.000Z"); // already 2026-11-27 in China

/** Ledger rows as the Worker lists them; one has a comma, one an attempt, one neither. */
const ROWS = Array.from({ length: 7 }, (_, i) => ({
  orderNo: `VM2026112700000000${i}`,
  at: 1_764_274_000_000 + i,
  service: "verifyMobile",
  errorCode: i === 3 ? "309" : "200",
  returnCode: "10000",
  chargedFen: i === 3 ? 0 : 15,
  duplicate: false,
  upstreamOrderId: i === 5 ? "JH,5" : null,
  upstreamCode: i === 3 ? null : 0,
  upstreamMs: i === 3 ? null : 40 + i,
  fingerprintPrefix: "0123456789ab",
  attempts: i === 3 ? [] : [{ upstream: "sandbox", code: "0", ms: 40 + i, orderId: null }],
  replayOf: i === 3 ? "VM20261127000000002" : null,
  previousCredential: i === 5 ? "token,key" : null,
}));

let server: Server;
let url: string;
let rows = ROWS;
const seen: { path: string; query: Record<string, string>; auth: string | undefined }[] = [];

beforeAll(async () => {
  // Pages of at most `limit` rows (default 3); the cursor is the next row's index.
  server = createServer((request: IncomingMessage, response) => {
    const { pathname, searchParams } = new URL(request.url!, "http://stub");
    const query = Object.fromEntries(searchParams);
    seen.push({ path: pathname, query, auth: request.headers.authorization });
    if (pathname.endsWith("/usage")) {
      response.setHeader("Content-Type", query.format === "csv" ? "text/csv; charset=utf-8" : "application/json");
      return response.end(
        query.format === "csv"
          ? "day,errorCode,requests,billable,chargedFen\r\n"
          : JSON.stringify({ accountId: ID, from: query.from, to: query.to, rows: [] }),
      );
    }
    const start = Number(query.cursor ?? 0);
    const end = start + Number(query.limit ?? 3);
    response.setHeader("Content-Type", "application/json");
    response.end(
      JSON.stringify({
        accountId: ID,
        from: query.from,
        to: query.to,
        rows: rows.slice(start, end),
        next: end < rows.length ? String(end) : null,
      }),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));
beforeEach(() => {
  seen.length = 0;
  rows = ROWS;
});

const admin = (...argv: string[]) => {
  const command = parseCommand([...argv, "--local", "--url", url, "--id", ID]);
  if (command.verb !== "ledger" && command.verb !== "usage" && command.verb !== "state" && command.verb !== "credit")
    throw new Error("not an admin verb");
  return callAdmin(command, NOW);
};

describe("account ledger", () => {
  it("follows the cursor to the last page and prints every row once", async () => {
    const report = await admin("ledger", "--from", "2026-11-20", "--to", "2026-11-27");
    expect(report).toEqual({ accountId: ID, from: "2026-11-20", to: "2026-11-27", rows: ROWS });
    expect(seen.map((s) => s.query.cursor ?? null)).toEqual([null, "3", "6"]);
    expect(new Set(seen.map((s) => s.auth))).toEqual(new Set([`Bearer ${ensureDevVars().ADMIN_TOKEN}`]));
  });

  it("asks for --limit rows per page", async () => {
    await admin("ledger", "--limit", "5");
    expect(seen.map((s) => [s.query.limit, s.query.cursor ?? null])).toEqual([
      ["5", null],
      ["5", "5"],
    ]);
  });

  it("reads --from D alone as D up to today in China, and no dates as today", async () => {
    await admin("ledger", "--from", "2026-11-01");
    await admin("usage");
    expect(seen.map((s) => [s.path, s.query.from, s.query.to])).toEqual([
      [`/admin/accounts/${ID}/ledger`, "2026-11-01", "2026-11-27"],
      [`/admin/accounts/${ID}/ledger`, "2026-11-01", "2026-11-27"],
      [`/admin/accounts/${ID}/ledger`, "2026-11-01", "2026-11-27"],
      [`/admin/accounts/${ID}/usage`, "2026-11-27", "2026-11-27"],
    ]);
    expect(chinaDay(NOW.getTime())).toBe("2026-11-27");
  });

  it("renders every page as one CSV with a header", async () => {
    const csv = (await admin("ledger", "--format", "csv")) as string;
    const lines = csv.split("\r\n");
    // docs/billing.md: the header line; time is ISO 8601 in China time, at the epoch in milliseconds.
    expect(lines[0]).toBe(LEDGER_HEADER);
    expect(lines.length).toBe(ROWS.length + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[4]).toBe(
      `VM20261127000000003,2025-11-28T04:06:40.003+08:00,1764274000003,verifyMobile,309,10000,0,false,,,,0123456789ab,[],VM20261127000000002,`,
    );
    expect(lines[6]).toBe(
      `VM20261127000000005,2025-11-28T04:06:40.005+08:00,1764274000005,verifyMobile,200,10000,15,false,"JH,5",0,45,0123456789ab,"[{""upstream"":""sandbox"",""code"":""0"",""ms"":45,""orderId"":null}]",,"token,key"`,
    );
  });

  it("prints the header of an empty ledger", async () => {
    rows = [];
    expect(await admin("ledger", "--format", "csv")).toBe(`${LEDGER_HEADER}\r\n`);
    expect(await admin("ledger")).toEqual({ accountId: ID, from: "2026-11-27", to: "2026-11-27", rows: [] });
  });

  it("stops on a cursor the Worker already returned", async () => {
    const looping = createServer((_request, response) =>
      response.end(JSON.stringify({ accountId: ID, from: "d", to: "d", rows: [ROWS[0]], next: "same" })),
    );
    await new Promise<void>((done) => looping.listen(0, "127.0.0.1", done));
    const command = parseCommand([
      "ledger",
      "--local",
      "--url",
      `http://127.0.0.1:${(looping.address() as AddressInfo).port}`,
      "--id",
      ID,
    ]);
    await expect(callAdmin(command as Parameters<typeof callAdmin>[0], NOW)).rejects.toThrow(
      /repeated a cursor; stopped after 2 rows/,
    );
    await new Promise((done) => looping.close(done));
  });
});

describe("account usage", () => {
  it("prints the Worker's CSV as it comes, header included", async () => {
    expect(await admin("usage", "--format", "csv")).toBe("day,errorCode,requests,billable,chargedFen\r\n");
  });

  it("prints the same from the command line, with nothing added", async () => {
    // Asynchronously: the stub answers from this very process.
    const run = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "scripts/account.ts"), "usage", "--local", "--url", url, "--id", ID, "--format", "csv"],
      { cwd: ROOT },
    );
    expect([run.stdout, run.stderr]).toEqual(["day,errorCode,requests,billable,chargedFen\r\n", ""]);
  });
});
