// The operator's API behind the account command's credit, usage, ledger and state verbs
// (docs/contract.md §10). It needs ADMIN_TOKEN, a bearer secret; without a valid one configured
// the routes do not exist, and the verification API is not affected either way.
import { type Context, Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import * as z from "zod/mini";
import { AccountRecord, accountKey, SERVICE } from "../accounts/record.ts";
import { alertConfig } from "../alerts/config.ts";
import { newAlert } from "../alerts/events.ts";
import { accountObject, openingOf, rememberBalance } from "../billing/gateway.ts";
import { type LedgerCursor, MAX_CREDIT_FEN } from "../billing/types.ts";
import { readAdminConfig } from "../config/config.ts";
import { fromLenientBase64, fromUtf8, toBase64Url, utf8 } from "../crypto/bytes.ts";
import { sha256Hex } from "../crypto/secrets.ts";
import { LEDGER_COLUMNS, USAGE_COLUMNS } from "./columns.ts";
import { credentialRoutes } from "./credential-routes.ts";
import { toCsv } from "./csv.ts";
import { dayRange } from "./day-range.ts";
import { listAccounts, recentRefusals, upstreamActivity } from "./overview.ts";
import { spendReport } from "./spend.ts";

type Ctx = Context<{ Bindings: Env }>;

/** The largest body an admin route reads (docs/contract.md §10): its bodies are a few fields. */
export const ADMIN_BODY_LIMIT = 16 * 1024;

/** The longest from..to an export answers (docs/contract.md §8): a year, leap day included. */
const MAX_RANGE_DAYS = 366;

const Day = z.iso.date();
const Range = z.object({
  from: z.optional(Day),
  to: z.optional(Day),
  format: z._default(z.enum(["json", "csv"]), "json"),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 1_000),
  cursor: z.optional(z.string()),
});
type Range = z.infer<typeof Range>;

/** The cursor is the last row's (time, order number), opaque to the caller. */
const CursorJson = z.tuple([z.int(), z.string()]);
const Amount = z.int().check(z.minimum(-MAX_CREDIT_FEN), z.maximum(MAX_CREDIT_FEN));
const CreditBody = z.object({
  balanceFen: z._default(Amount, 0),
  count: z._default(Amount, 0),
  service: z._default(z.string(), SERVICE),
  start: z._default(z.boolean(), false),
});

export const admin = new Hono<{ Bindings: Env }>();

admin.use("*", async (c, next) => {
  const config = readAdminConfig(c.env);
  if (!config.ok || !config.config.ADMIN_TOKEN) return c.json({ error: "not found" }, 404);
  const expected = config.config.ADMIN_TOKEN;
  // Digests compared in constant time: the token's length and prefix leak nothing.
  const auth = bearerAuth<{ Bindings: Env }>({
    verifyToken: async (given) => {
      const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
      return crypto.subtle.timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));
    },
    noAuthenticationHeader: { message: { error: "unauthorized" } },
    invalidAuthenticationHeader: { message: { error: "Authorization must be: Bearer <ADMIN_TOKEN>" } },
    invalidToken: { message: { error: "unauthorized" } },
  });
  return auth(c, next);
});

// After the token check: a caller without it learns nothing, not even the cap. Streams are
// counted as they arrive, so a body without a Content-Length is cut off at the cap too.
admin.use(
  "*",
  bodyLimit({
    maxSize: ADMIN_BODY_LIMIT,
    onError: (c) => c.json({ error: `the body is over the admin API's ${ADMIN_BODY_LIMIT / 1024} KiB` }, 413),
  }),
);

admin.route("/", credentialRoutes);

admin.get("/accounts/:id", async (c) => {
  const record = await findRecord(c);
  if (!record) return c.json({ error: "no such account" }, 404);
  const object = accountObject(c.env, record.id);
  const [state, storage] = await Promise.all([
    object.state(SERVICE, openingOf(record, SERVICE)),
    object.storageState(),
  ]);
  return c.json({ ...state, storage });
});

admin.post("/accounts/:id/credit", async (c) => {
  const record = await findRecord(c);
  if (!record) return c.json({ error: "no such account" }, 404);
  const body = CreditBody.safeParse(await c.req.json().catch(() => null));
  if (!body.success)
    return c.json(
      {
        error: `body must be {balanceFen?: integer, count?: integer, service?: string, start?: boolean}, amounts within ±${MAX_CREDIT_FEN}`,
      },
      400,
    );
  const { service, balanceFen, count, start } = body.data;
  // An own key only: "__proto__", "constructor" or "toString" name no service of any account.
  if (!Object.hasOwn(record.services, service)) return c.json({ error: `the account has no service ${service}` }, 400);
  const now = Date.now();
  const credited = await accountObject(c.env, record.id).credit({
    service,
    balanceFen,
    count,
    start,
    opening: openingOf(record, service),
    at: now,
  });
  if (!credited.ok) return c.json({ error: credited.error }, 400);
  // Other isolates see the new balance within the hint's few seconds; this one at once.
  rememberBalance(record.id, credited.state.balanceFen, now);
  return c.json(credited.state);
});

admin.get("/spend", spendReport);

// Queues an alert.test: the operator's check that the webhook, its secret and the queue work.
admin.post("/alerts/test", async (c) => {
  const config = alertConfig(c.env);
  if (config.kind === "off")
    return c.json({ error: "alerts are off: set ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET" }, 400);
  if (config.kind === "invalid") return c.json({ error: config.problem }, 400);
  const alert = newAlert("alert.test", {}, {}, Date.now());
  await c.env.ALERTS.send(alert, { contentType: "json" });
  return c.json({ queued: alert.id }, 202);
});
admin.get("/accounts", listAccounts);
admin.get("/upstreams", upstreamActivity);
admin.get("/accounts/:id/refusals", async (c) => {
  const record = await findRecord(c);
  return record ? recentRefusals(c, record) : c.json({ error: "no such account" }, 404);
});

// usage: per China day and code, from the rollups, complete in one answer (the range is capped).
admin.get("/accounts/:id/usage", async (c) => {
  const asked = await exportRequest(c);
  if (asked instanceof Response) return asked;
  const { record, range, from, to } = asked;
  const rows = await accountObject(c.env, record.id).usage(from, to);
  return range.format === "csv" ? csv(c, toCsv(USAGE_COLUMNS, rows)) : c.json({ accountId: record.id, from, to, rows });
});

// ledger: the detail rows, a page at a time; `next` (CSV: the X-Next-Cursor header) asks for the
// page after, and is null on the last one.
admin.get("/accounts/:id/ledger", async (c) => {
  const asked = await exportRequest(c);
  if (asked instanceof Response) return asked;
  const { record, range, from, to } = asked;
  const after = range.cursor === undefined ? null : decodeCursor(range.cursor);
  if (after === undefined) return c.json({ error: "cursor: pass back the `next` of the previous page unchanged" }, 400);
  // One row more than the page: whether it exists says whether another page follows.
  const found = await accountObject(c.env, record.id).ledger(from, to, range.limit + 1, after);
  const rows = found.slice(0, range.limit);
  const last = rows[rows.length - 1];
  const next = found.length > range.limit && last ? encodeCursor({ at: last.at, orderNo: last.orderNo }) : null;
  if (range.format === "csv")
    return csv(c, toCsv(LEDGER_COLUMNS, rows), next === null ? {} : { "X-Next-Cursor": next });
  return c.json({ accountId: record.id, from, to, rows, next });
});

/** The account and the day range of an export request, or the answer refusing it. */
async function exportRequest(
  c: Ctx,
): Promise<Response | { record: AccountRecord; range: Range; from: string; to: string }> {
  const record = await findRecord(c);
  if (!record) return c.json({ error: "no such account" }, 404);
  const range = Range.safeParse(c.req.query());
  if (!range.success)
    return c.json({ error: "query: from, to as YYYY-MM-DD; format json|csv; limit 1-10000; cursor" }, 400);
  const days = dayRange(range.data, MAX_RANGE_DAYS, Date.now());
  if ("error" in days) return c.json({ error: days.error }, 400);
  return { record, range: range.data, ...days };
}

async function findRecord(c: Ctx): Promise<AccountRecord | null> {
  const raw = await c.env.ACCOUNTS.get(accountKey(c.req.param("id") ?? ""), "json").catch(() => null);
  const parsed = AccountRecord.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

const encodeCursor = (cursor: LedgerCursor) => toBase64Url(utf8.encode(JSON.stringify([cursor.at, cursor.orderNo])));

/** The cursor a `next` carried, or undefined when the text is not one. */
function decodeCursor(text: string): LedgerCursor | undefined {
  const bytes = fromLenientBase64(text);
  try {
    const parsed = CursorJson.safeParse(bytes && JSON.parse(fromUtf8.decode(bytes)));
    return parsed.success ? { at: parsed.data[0], orderNo: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}

const csv = (c: Ctx, text: string, headers: Record<string, string> = {}) =>
  c.body(text, 200, { "Content-Type": "text/csv; charset=utf-8", ...headers });
