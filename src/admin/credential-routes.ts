// The admin API's credential rotations (docs/contract.md §9, §10), mounted by admin/routes.ts
// behind its bearer check: the same rotations as the account command's rotate-token and
// rotate-key, with their grace. Each answers the new credential once; it is never stored in clear.
import { Hono } from "hono";
import * as z from "zod/mini";
import { AccountRecord, accountKey } from "../accounts/record.ts";
import { MAX_GRACE_SECONDS, type Rotated, rotateKey, rotateToken } from "../accounts/rotate.ts";
import { readConfig } from "../config/config.ts";
import { KEY_LENGTHS } from "../crypto/cipher.ts";
import { unseal } from "../crypto/secrets.ts";

const Grace = z._default(z.int().check(z.minimum(0), z.maximum(MAX_GRACE_SECONDS)), 0);
const TokenBody = z.object({ graceSeconds: Grace });
const KeyBody = z.object({ graceSeconds: Grace, keyLength: z.optional(z.union([z.literal(16), z.literal(32)])) });
/** Admin bodies are a few fields; anything longer is refused unread. */
const MAX_BODY_BYTES = 1024;

export const credentialRoutes = new Hono<{ Bindings: Env }>();

credentialRoutes.post("/accounts/:id/rotate-token", async (c) => {
  const body = TokenBody.safeParse(await smallJson(c.req.raw));
  if (!body.success) return c.json({ error: `body must be {graceSeconds?: integer 0..${MAX_GRACE_SECONDS}}` }, 400);
  const record = await findRecord(c.env, c.req.param("id"));
  if (!record) return c.json({ error: "no such account" }, 404);
  return answer(c, await rotateToken(c.env.ACCOUNTS, record, body.data.graceSeconds, new Date()), (v) => ({
    accountId: v.record.id,
    token: v.token,
    previousTokenUntil: v.record.previousToken?.until ?? null,
  }));
});

credentialRoutes.post("/accounts/:id/rotate-key", async (c) => {
  const body = KeyBody.safeParse(await smallJson(c.req.raw));
  if (!body.success)
    return c.json({ error: `body must be {graceSeconds?: integer 0..${MAX_GRACE_SECONDS}, keyLength?: 16 | 32}` }, 400);
  const config = readConfig(c.env);
  if (!config.ok) return c.json({ error: "the service's configuration does not parse" }, 500);
  const secret = config.config.SERVICE_SECRET;
  const record = await findRecord(c.env, c.req.param("id"));
  if (!record) return c.json({ error: "no such account" }, 404);
  // As the command does: the current key's length unless asked, the cipher's first when unknown.
  const current = await unseal(secret, record.id, record.sealedLogonKey);
  const lengths: readonly number[] = KEY_LENGTHS[record.cipher];
  const keyLength =
    body.data.keyLength ?? (current !== null && lengths.includes(current.length) ? current.length : lengths[0]);
  const now = new Date();
  const rotation = await rotateKey(c.env.ACCOUNTS, record, secret, keyLength as 16 | 32, body.data.graceSeconds, now);
  return answer(c, rotation, (v) => ({
    accountId: v.record.id,
    logonKey: v.logonKey,
    previousLogonKeyUntil: v.record.previousLogonKey?.until ?? null,
  }));
});

function answer<T>(
  c: { json: (body: object, status?: 400) => Response },
  rotation: Rotated<T>,
  shown: (v: T) => object,
) {
  return rotation.ok ? c.json(shown(rotation.value)) : c.json({ error: rotation.error }, 400);
}

async function findRecord(env: Env, id: string | undefined): Promise<AccountRecord | null> {
  const raw = await env.ACCOUNTS.get(accountKey(id ?? ""), "json").catch(() => null);
  const parsed = AccountRecord.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The JSON body, {} when empty, undefined when it is not JSON or longer than the cap. */
async function smallJson(request: Request): Promise<unknown> {
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) return undefined;
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return undefined;
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
