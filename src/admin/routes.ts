// The operator's API behind the account command's credit, usage, ledger and state verbs
// (docs/contract.md §10). It needs ADMIN_TOKEN, a bearer secret; without a valid one configured
// the routes do not exist, and the verification API is not affected either way.
import { type Context, Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import * as z from "zod/mini";
import { AccountRecord, SERVICE, accountKey } from "../accounts/record.ts";
import { accountObject, openingOf, rememberBalance } from "../billing/gateway.ts";
import { MAX_CREDIT_FEN } from "../billing/types.ts";
import { sha256Hex } from "../crypto/secrets.ts";
import { readAdminConfig } from "../platform/config.ts";
import { chinaDay } from "../platform/time.ts";
import { toCsv } from "./csv.ts";

type Ctx = Context<{ Bindings: Env }>;

const Day = z.iso.date();
const Range = z.object({
  from: z.optional(Day),
  to: z.optional(Day),
  format: z._default(z.enum(["json", "csv"]), "json"),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 1_000),
});
const Amount = z.int().check(z.minimum(-MAX_CREDIT_FEN), z.maximum(MAX_CREDIT_FEN));
const CreditBody = z.object({
  balanceFen: z._default(Amount, 0),
  count: z._default(Amount, 0),
  service: z._default(z.string(), SERVICE),
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

admin.get("/accounts/:id", async (c) => {
  const record = await findRecord(c);
  if (!record) return c.json({ error: "no such account" }, 404);
  return c.json(await accountObject(c.env, record.id).state(SERVICE, openingOf(record, SERVICE)));
});

admin.post("/accounts/:id/credit", async (c) => {
  const record = await findRecord(c);
  if (!record) return c.json({ error: "no such account" }, 404);
  const body = CreditBody.safeParse(await c.req.json().catch(() => null));
  if (!body.success) return c.json({ error: `body must be {balanceFen?: integer, count?: integer, service?: string}, amounts within ±${MAX_CREDIT_FEN}` }, 400);
  const { service, balanceFen, count } = body.data;
  if (!record.services[service]) return c.json({ error: `the account has no service ${service}` }, 400);
  const now = Date.now();
  const credited = await accountObject(c.env, record.id).credit({ service, balanceFen, count, opening: openingOf(record, service), at: now });
  if (!credited.ok) return c.json({ error: credited.error }, 400);
  // Other isolates see the new balance within the hint's few seconds; this one at once.
  rememberBalance(record.id, credited.state.balanceFen, now);
  return c.json(credited.state);
});

// usage: per China day and code; ledger: the rows themselves. Both for a day range, JSON or CSV.
for (const report of ["usage", "ledger"] as const) {
  admin.get(`/accounts/:id/${report}`, async (c) => {
    const record = await findRecord(c);
    const range = Range.safeParse(c.req.query());
    if (!record) return c.json({ error: "no such account" }, 404);
    if (!range.success) return c.json({ error: "query: from, to as YYYY-MM-DD; format json|csv; limit 1-10000" }, 400);
    const { from, to } = days(range.data);
    const object = accountObject(c.env, record.id);
    const rows = report === "usage" ? await object.usage(from, to) : await object.ledger(from, to, range.data.limit);
    return range.data.format === "csv" ? csv(c, toCsv(rows)) : c.json({ accountId: record.id, from, to, rows });
  });
}

async function findRecord(c: Ctx): Promise<AccountRecord | null> {
  const raw = await c.env.ACCOUNTS.get(accountKey(c.req.param("id") ?? ""), "json").catch(() => null);
  const parsed = AccountRecord.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function days(range: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const today = chinaDay(Date.now());
  return { from: range.from ?? today, to: range.to ?? range.from ?? today };
}

const csv = (c: Ctx, text: string) => c.body(text, 200, { "Content-Type": "text/csv; charset=utf-8" });
