// The spend and reconcile verbs (docs/contract.md §12): the margin report through GET /admin/spend,
// and a vendor's daily call counts (their CSV) against ours, printing the days that differ.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { SPEND_COLUMNS } from "../../src/admin/columns.ts";
import { toCsv } from "../../src/admin/csv.ts";
import type { SpendRow } from "../../src/billing/spend.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { CliError } from "../lib/errors.ts";
import { type Api, api, json, text } from "./admin-api.ts";
import type { Command } from "./args.ts";

export type SpendCommand = Extract<Command, { verb: "spend" | "reconcile" }>;

const Row = z.object({
  day: z.string(),
  accountId: z.string(),
  vendor: z.string(),
  calls: z.number(),
  maybeCalls: z.number(),
  costFen: z.number(),
  revenueFen: z.number(),
  marginFen: z.number(),
});
const Page = z.object({ rows: z.array(Row), unpriced: z.array(z.string()), next: z.string().nullable() });

/** Every account's rows (or one account's) over from..to, following `next`. */
async function spendRows(
  worker: Api,
  query: { id: string | null; from: string; to: string },
): Promise<{ rows: SpendRow[]; unpriced: string[] }> {
  const rows: SpendRow[] = [];
  const unpriced = new Set<string>();
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (;;) {
    const params = new URLSearchParams({ from: query.from, to: query.to, limit: "100" });
    if (query.id !== null) params.set("account", query.id);
    if (cursor !== null) params.set("cursor", cursor);
    const page = Page.safeParse(json(await text(worker, await worker.call(`/admin/spend?${params}`))));
    if (!page.success) throw new CliError(`the Worker at ${worker.origin} answered /admin/spend with something else`);
    rows.push(...page.data.rows);
    for (const vendor of page.data.unpriced) unpriced.add(vendor);
    cursor = page.data.next;
    if (cursor === null) return { rows, unpriced: [...unpriced] };
    if (seen.has(cursor)) throw new CliError(`the Worker at ${worker.origin} repeated a cursor`);
    seen.add(cursor);
  }
}

export async function callSpend(
  command: SpendCommand,
  now = new Date(),
  fetcher: typeof fetch = fetch,
): Promise<object | string> {
  const worker = api(command, fetcher);
  if (command.verb === "spend") {
    const today = chinaDay(now.getTime());
    const from = command.from ?? today;
    const to = command.to ?? today;
    const { rows, unpriced } = await spendRows(worker, { id: command.id, from, to });
    return command.format === "csv" ? toCsv(SPEND_COLUMNS, rows) : { from, to, rows, unpriced };
  }
  const theirs = vendorCounts(readVendorCsv(command.csvPath), command.csvPath);
  const days = [...theirs.keys()].sort();
  const from = days[0]!;
  const to = days.at(-1)!;
  const { rows } = await spendRows(worker, { id: null, from, to });
  return reconcile(command.vendor, theirs, rows, from, to);
}

function readVendorCsv(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new CliError(`cannot read ${path}`);
  }
}

const DAY = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})$/;

/**
 * A vendor's daily counts: one `day,calls` line per day (YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD; a
 * header line is skipped; quotes around fields allowed). Any other line is an error naming it.
 */
export function vendorCounts(csv: string, name = "the CSV"): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, index) => {
    const fields = line.split(",").map((f) =>
      f
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .trim(),
    );
    if (fields.every((f) => f === "")) return;
    const match = DAY.exec(fields[0] ?? "");
    if (!match && index === 0) return;
    const count = fields[1] ?? "";
    if (!match || !/^\d{1,12}$/.test(count) || fields.length > 2)
      throw new CliError(`${name} line ${index + 1}: expected day,calls (e.g. 2026-12-01,1234)`);
    const day = `${match[1]}-${match[2]}-${match[3]}`;
    if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day)
      throw new CliError(`${name} line ${index + 1}: ${fields[0]} is not a real day`);
    if (counts.has(day)) throw new CliError(`${name} line ${index + 1}: ${day} appears twice`);
    counts.set(day, Number(count));
  });
  if (counts.size === 0) throw new CliError(`${name} has no day,calls lines`);
  return counts;
}

/** Every day from..to where the vendor's count is not ours; `maybeCalls` may explain a vendor count above ours. */
export function reconcile(
  vendor: string,
  theirs: ReadonlyMap<string, number>,
  rows: readonly SpendRow[],
  from: string,
  to: string,
) {
  const ours = new Map<string, { calls: number; maybeCalls: number }>();
  for (const row of rows) {
    if (row.vendor !== vendor) continue;
    const day = ours.get(row.day) ?? { calls: 0, maybeCalls: 0 };
    day.calls += row.calls;
    day.maybeCalls += row.maybeCalls;
    ours.set(row.day, day);
  }
  const days = [...new Set([...theirs.keys(), ...ours.keys()])].sort();
  const differ = days.flatMap((day) => {
    const vendorCalls = theirs.get(day) ?? 0;
    const { calls, maybeCalls } = ours.get(day) ?? { calls: 0, maybeCalls: 0 };
    return vendorCalls === calls
      ? []
      : [{ day, theirs: vendorCalls, ours: calls, maybeCalls, difference: vendorCalls - calls }];
  });
  return { vendor, from, to, days: days.length, differ };
}
