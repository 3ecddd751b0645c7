// What the console lists (docs/contract.md §10): accounts with search, an account's recent
// refusals by code, each upstream's recent answers and faults. Every list is bounded: a page of
// accounts, the newest rows of a day range.
import type { Context } from "hono";
import * as z from "zod/mini";
import { listRecords } from "../accounts/list.ts";
import { ACCOUNT_ID, type AccountRecord, SERVICE } from "../accounts/record.ts";
import { accountObject, openingOf } from "../billing/gateway.ts";
import type { LedgerCursor, LedgerEntry } from "../billing/types.ts";
import { dayRange } from "./day-range.ts";

type Ctx = Context<{ Bindings: Env }>;

/** Records read per account list page (each a KV read; an invocation may do 1 000). */
const LIST_BUDGET = 500;
/** Ledger rows read for a recent-rows answer: the newest come from at most this many. */
const SCAN_ROWS = 20_000;
const PAGE_ROWS = 5_000;
const MAX_RANGE_DAYS = 31;

const ListQuery = z.object({
  q: z._default(z.string().check(z.maxLength(100)), ""),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(z.string().check(z.maxLength(1_000))),
});

/** GET /admin/accounts: a page of accounts whose id, name or status contains `q`, with their live balance. */
export async function listAccounts(c: Ctx): Promise<Response> {
  const query = ListQuery.safeParse(c.req.query());
  if (!query.success) return c.json({ error: "query: q (up to 100 characters), limit 1-100, cursor" }, 400);
  const needle = query.data.q.trim().toLowerCase();
  const page = await listRecords(c.env.ACCOUNTS, {
    cursor: query.data.cursor ?? null,
    limit: query.data.limit,
    budget: LIST_BUDGET,
    keep: (r) => needle === "" || [r.id, r.name, r.status].some((field) => field.toLowerCase().includes(needle)),
  });
  const accounts = await Promise.all(page.records.slice(0, query.data.limit).map((r) => summary(c.env, r)));
  return c.json({ accounts, next: page.next });
}

async function summary(env: Env, record: AccountRecord) {
  const state = await accountObject(env, record.id).state(SERVICE, openingOf(record, SERVICE));
  return {
    id: record.id,
    name: record.name,
    status: record.status,
    priceFen: record.services[SERVICE]?.priceFen ?? null,
    balanceFen: state.balanceFen,
    remaining: state.remaining,
    contractEnd: record.contractEnd,
  };
}

const RecentQuery = z.object({
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  code: z.optional(z.string().check(z.regex(/^\d{3,5}$/))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
});

type Recent = { from: string; to: string; code: string | undefined; limit: number };

function recentQuery(c: Ctx): Recent | Response {
  const query = RecentQuery.safeParse(c.req.query());
  if (!query.success) return c.json({ error: "query: from, to as YYYY-MM-DD; code (digits); limit 1-500" }, 400);
  const days = dayRange(query.data, MAX_RANGE_DAYS, Date.now());
  if ("error" in days) return c.json({ error: days.error }, 400);
  return { ...days, code: query.data.code, limit: query.data.limit };
}

/** The newest rows of from..to that `keep` accepts, newest first, out of at most SCAN_ROWS read. */
async function newestRows(
  env: Env,
  accountId: string,
  range: Recent,
  keep: (row: LedgerEntry) => boolean,
): Promise<LedgerEntry[]> {
  const object = accountObject(env, accountId);
  let kept: LedgerEntry[] = [];
  let after: LedgerCursor | null = null;
  for (let read = 0; read < SCAN_ROWS; read += PAGE_ROWS) {
    const page = (await object.ledger(range.from, range.to, PAGE_ROWS, after)) as LedgerEntry[];
    kept = [...kept, ...page.filter(keep)].slice(-range.limit);
    const last = page.at(-1);
    if (page.length < PAGE_ROWS || last === undefined) break;
    after = { at: last.at, orderNo: last.orderNo };
  }
  return kept.reverse();
}

/** GET /admin/accounts/:id/refusals: the newest rows that were not a 200, optionally of one code. */
export async function recentRefusals(c: Ctx, record: AccountRecord): Promise<Response> {
  const range = recentQuery(c);
  if (range instanceof Response) return range;
  const rows = await newestRows(
    c.env,
    record.id,
    range,
    (row) => row.errorCode !== "200" && (range.code === undefined || row.errorCode === range.code),
  );
  return c.json({ accountId: record.id, from: range.from, to: range.to, code: range.code ?? null, rows });
}

const UpstreamQuery = z.object({ accounts: z.optional(z.string().check(z.maxLength(2_000))) });

/**
 * GET /admin/upstreams: per upstream, over from..to and the accounts asked (`accounts=` ids,
 * comma-separated, else the first page of accounts): attempts, faults (no code of its own),
 * counts by code and the newest attempts.
 */
export async function upstreamActivity(c: Ctx): Promise<Response> {
  const range = recentQuery(c);
  if (range instanceof Response) return range;
  const given = UpstreamQuery.safeParse(c.req.query());
  const ids = given.success && given.data.accounts ? given.data.accounts.split(",") : null;
  if (ids !== null && !ids.every((id) => ACCOUNT_ID.safeParse(id).success))
    return c.json({ error: "accounts: comma-separated account ids" }, 400);
  const accountIds =
    ids ?? (await listRecords(c.env.ACCOUNTS, { cursor: null, limit: 50, budget: 50 })).records.map((r) => r.id);
  const perAccount = await Promise.all(
    accountIds.map(async (accountId) => ({
      accountId,
      // Every row read counts; `limit` cuts only the list of newest attempts.
      rows: await newestRows(c.env, accountId, { ...range, limit: SCAN_ROWS }, (row) => row.attempts.length > 0),
    })),
  );
  type Seen = { at: number; accountId: string; orderNo: string; code: string | null; ms: number };
  const upstreams = new Map<
    string,
    { attempts: number; faults: number; byCode: Record<string, number>; recent: Seen[] }
  >();
  for (const { accountId, rows } of perAccount) {
    for (const row of rows) {
      for (const attempt of row.attempts) {
        const upstream = upstreams.get(attempt.upstream) ?? { attempts: 0, faults: 0, byCode: {}, recent: [] };
        upstream.attempts++;
        if (attempt.code === null) upstream.faults++;
        const code = attempt.code ?? "none";
        upstream.byCode[code] = (upstream.byCode[code] ?? 0) + 1;
        upstream.recent.push({ at: row.at, accountId, orderNo: row.orderNo, code: attempt.code, ms: attempt.ms });
        upstreams.set(attempt.upstream, upstream);
      }
    }
  }
  return c.json({
    from: range.from,
    to: range.to,
    accounts: accountIds.length,
    upstreams: [...upstreams]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, u]) => ({
        upstream: name,
        attempts: u.attempts,
        faults: u.faults,
        byCode: u.byCode,
        recent: u.recent.sort((a, b) => b.at - a.at).slice(0, range.limit),
      })),
  });
}
