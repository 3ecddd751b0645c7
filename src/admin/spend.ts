// GET /admin/spend (docs/contract.md §12): calls, vendor cost, revenue and margin per day × account
// × vendor, from the ledger's detail rows and the UPSTREAM_PRICES table. One account with
// `account=`, else a page of accounts at a time (`next`, in CSV the X-Next-Cursor header).
import type { Context } from "hono";
import * as z from "zod/mini";
import { listRecords } from "../accounts/list.ts";
import { ACCOUNT_ID, AccountRecord, accountKey } from "../accounts/record.ts";
import { accountObject } from "../billing/gateway.ts";
import { parsePrices, type SpendRow, spendRows } from "../billing/spend.ts";
import type { LedgerCursor, LedgerEntry } from "../billing/types.ts";
import { SPEND_COLUMNS } from "./columns.ts";
import { toCsv } from "./csv.ts";
import { dayRange } from "./day-range.ts";

type Ctx = Context<{ Bindings: Env }>;

const MAX_RANGE_DAYS = 366;
/** Ledger rows read per account and report: past this the account's rows say `truncated`. */
const MAX_ROWS = 200_000;
const PAGE_ROWS = 10_000;

const Query = z.object({
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  account: z.optional(ACCOUNT_ID),
  format: z._default(z.enum(["json", "csv"]), "json"),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(1_000))),
});

export async function spendReport(c: Ctx): Promise<Response> {
  const query = Query.safeParse(c.req.query());
  if (!query.success)
    return c.json({ error: "query: from, to as YYYY-MM-DD; account acc_…; format json|csv; limit 1-100; cursor" }, 400);
  const prices = parsePrices((c.env as unknown as Record<string, string | undefined>).UPSTREAM_PRICES);
  if (!prices.ok) return c.json({ error: prices.problem }, 500);
  const days = dayRange(query.data, MAX_RANGE_DAYS, Date.now());
  if ("error" in days) return c.json({ error: days.error }, 400);
  const { from, to } = days;

  let records: AccountRecord[];
  let next: string | null = null;
  if (query.data.account !== undefined) {
    const record = AccountRecord.safeParse(await c.env.ACCOUNTS.get(accountKey(query.data.account), "json"));
    if (!record.success) return c.json({ error: "no such account" }, 404);
    records = [record.data];
  } else {
    const page = await listRecords(c.env.ACCOUNTS, {
      cursor: query.data.cursor ?? null,
      limit: query.data.limit,
      budget: query.data.limit,
    });
    records = page.records;
    next = page.next;
  }
  const read = await Promise.all(records.map((record) => ledgerRows(c.env, record.id, from, to)));
  const rows: SpendRow[] = read.flatMap(({ entries }, i) => spendRows(records[i]!.id, entries, prices.table));
  const truncated = records.filter((_, i) => read[i]!.truncated).map((r) => r.id);
  if (query.data.format === "csv")
    return c.body(toCsv(SPEND_COLUMNS, rows), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      ...(next === null ? {} : { "X-Next-Cursor": next }),
    });
  const unpriced = [...new Set(rows.map((r) => r.vendor))].filter(
    (vendor) => vendor !== "-" && !Object.hasOwn(prices.table, vendor),
  );
  return c.json({ from, to, rows, unpriced, truncated, next });
}

async function ledgerRows(
  env: Env,
  accountId: string,
  from: string,
  to: string,
): Promise<{ entries: LedgerEntry[]; truncated: boolean }> {
  const object = accountObject(env, accountId);
  const entries: LedgerEntry[] = [];
  let after: LedgerCursor | null = null;
  for (;;) {
    const page = (await object.ledger(from, to, PAGE_ROWS, after)) as LedgerEntry[];
    entries.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE_ROWS || last === undefined) return { entries, truncated: false };
    if (entries.length >= MAX_ROWS) return { entries, truncated: true };
    after = { at: last.at, orderNo: last.orderNo };
  }
}
