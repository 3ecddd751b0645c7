import * as z from "zod/mini";
import type { AccountObject } from "./billing/account-object.ts";

/** The Worker's bindings, as wrangler.toml and `.dev.vars` / `wrangler secret put` provide them. */
export type Env = {
  /** `token:<sha256>` → account id; `account:<id>` → account record. */
  readonly ACCOUNTS: KVNamespace;
  /** `dup:<account>:<hmac>` → the stored `200` result, for the duplicate window. */
  readonly DEDUP: KVNamespace;
  /** One object per account: balance, counts, duplicate window and ledger (billing/). */
  readonly ACCOUNT_OBJECTS: DurableObjectNamespace<AccountObject>;
  /** Per-request data points (metrics.ts); optional so a deployment may leave it out. */
  readonly METRICS?: AnalyticsEngineDataset;
  readonly SERVICE_SECRET?: string;
  readonly JUHE_BASE_URL?: string;
  readonly JUHE_KEY?: string;
  readonly JUHE_OPENID?: string;
  readonly JUHE_MODE?: string;
  readonly UPSTREAM_TIMEOUT_MS?: string;
  readonly ADMIN_TOKEN?: string;
};

declare global {
  namespace Cloudflare {
    interface Env {
      readonly ACCOUNTS: KVNamespace;
      readonly DEDUP: KVNamespace;
      readonly ACCOUNT_OBJECTS: DurableObjectNamespace<AccountObject>;
    }
    interface GlobalProps {
      mainModule: typeof import("./index.ts");
    }
  }
}

const ConfigSchema = z.object({
  // Seals logon keys and keys the duplicate fingerprints (CONTRACT.md §5, §7).
  SERVICE_SECRET: z.string().check(z.minLength(32, "SERVICE_SECRET must be at least 32 characters")),
  JUHE_BASE_URL: z.pipe(
    z._default(z.url({ protocol: /^https?$/ }), "https://v.juhe.cn"),
    z.transform((u: string) => u.replace(/\/+$/, "")),
  ),
  JUHE_KEY: z._default(z.string().check(z.trim()), ""),
  JUHE_OPENID: z._default(z.string().check(z.trim()), ""),
  JUHE_MODE: z._default(z.enum(["encrypted", "plain"]), "encrypted"),
  // Bearer secret of the operator's /admin API; without it the API is off.
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(32, "ADMIN_TOKEN must be at least 32 characters"))),
  UPSTREAM_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(60_000)), 5000),
});

export type Config = z.infer<typeof ConfigSchema>;

const parsed = new WeakMap<object, { ok: true; config: Config } | { ok: false; problems: string }>();

/**
 * Configuration is parsed once per isolate (per env object). An empty string counts as unset,
 * so `wrangler dev --var JUHE_KEY:` selects the sandbox.
 */
export function readConfig(env: Env): { ok: true; config: Config } | { ok: false; problems: string } {
  let result = parsed.get(env);
  if (!result) {
    const raw = Object.fromEntries(
      Object.entries(env).filter(([, v]) => typeof v === "string" && v !== ""),
    );
    const r = ConfigSchema.safeParse(raw);
    if (!r.success) {
      result = { ok: false, problems: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
    } else if (r.data.JUHE_KEY && r.data.JUHE_MODE === "encrypted" && !r.data.JUHE_OPENID) {
      result = { ok: false, problems: "JUHE_OPENID is required when JUHE_KEY is set and JUHE_MODE=encrypted" };
    } else {
      result = { ok: true, config: r.data };
    }
    parsed.set(env, result);
  }
  return result;
}
