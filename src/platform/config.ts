// The Worker's settings (docs/contract.md §9), parsed once per isolate with zod. Bindings are typed
// by the generated worker-configuration.d.ts (`npm run types`); this file gives the strings meaning.
import * as z from "zod/mini";
import { CARRIERS, type Carrier } from "../wire/carrier.ts";
import { logEvent } from "./log.ts";

export const UPSTREAM_NAMES = ["juhe", "juhe3", "tencent", "sandbox"] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

/** Durable Object location hints: where a new account object is created (docs/benchmark.md "Placement"). */
export const LOCATION_HINTS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"] as const;

/** One `UPSTREAMS` entry: `juhe` or `juhe:CTCC+CUCC` (null carriers: every number). */
export type UpstreamEntry = { readonly name: UpstreamName; readonly carriers: readonly Carrier[] | null };

// https only; plain http is allowed to this machine for local fakes (docs/contract.md §5).
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const UpstreamUrl = z.pipe(
  z.url(),
  z.transform((text: string, ctx) => {
    const url = new URL(text);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
      ctx.issues.push({ code: "custom", message: "must be https:// (http:// only to localhost)", input: text });
    }
    return text.replace(/\/+$/, "");
  }),
);

const UpstreamList = z.pipe(
  z.string(),
  z.transform((text: string, ctx): UpstreamEntry[] => {
    const entries: UpstreamEntry[] = [];
    for (const part of text
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [name = "", carrierText] = part.split(":", 2);
      const carriers = carrierText === undefined ? null : carrierText.split("+");
      const badCarrier = carriers?.find((c) => !(CARRIERS as readonly string[]).includes(c));
      if (!(UPSTREAM_NAMES as readonly string[]).includes(name) || badCarrier !== undefined) {
        ctx.issues.push({ code: "custom", message: `unknown upstream or carrier in "${part}"`, input: text });
        continue;
      }
      entries.push({ name: name as UpstreamName, carriers: carriers as Carrier[] | null });
    }
    if (entries.length === 0) ctx.issues.push({ code: "custom", message: "names no upstream", input: text });
    // The sandbox is a whole chain of its own; fake answers next to real ones would mislead.
    if (entries.some((e) => e.name === "sandbox") && (entries.length > 1 || entries[0]!.carriers !== null)) {
      ctx.issues.push({
        code: "custom",
        message: "sandbox stands alone, without carriers or other upstreams",
        input: text,
      });
    }
    return entries;
  }),
);

const Millis = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
const Secret = z._default(z.string().check(z.trim()), "");

const ConfigSchema = z.object({
  // Seals logon keys and keys every fingerprint (docs/contract.md §6, §9).
  SERVICE_SECRET: z.string().check(z.minLength(32, "must be at least 32 characters")),
  UPSTREAMS: z._default(UpstreamList, [{ name: "juhe", carriers: null }]),
  JUHE_BASE_URL: z._default(UpstreamUrl, "https://v.juhe.cn"),
  JUHE_KEY: Secret,
  JUHE_OPENID: Secret,
  JUHE_MODE: z._default(z.enum(["encrypted", "plain"]), "encrypted"),
  JUHE3_BASE_URL: z._default(UpstreamUrl, "https://v.juhe.cn"),
  JUHE3_KEY: Secret,
  TENCENT_BASE_URL: z._default(UpstreamUrl, "https://faceid.tencentcloudapi.com"),
  TENCENT_SECRET_ID: Secret,
  TENCENT_SECRET_KEY: Secret,
  UPSTREAM_TIMEOUT_MS: z._default(Millis(100, 60_000), 5000),
  UPSTREAM_DEADLINE_MS: z.optional(Millis(100, 120_000)),
  LEDGER_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(36_500)), 400),
  OBJECT_LOCATION_HINT: z.optional(z.enum(LOCATION_HINTS)),
});

export type Config = Omit<z.infer<typeof ConfigSchema>, "UPSTREAM_DEADLINE_MS"> & {
  readonly UPSTREAM_DEADLINE_MS: number;
};

export type Parsed<T> = { ok: true; config: T } | { ok: false; problems: string };

/** The secrets each upstream needs; naming an upstream without them is a configuration error. */
const REQUIRED_SECRETS: Record<UpstreamName, (c: Config) => (keyof Config)[]> = {
  juhe: (c) => ["JUHE_KEY", ...(c.JUHE_MODE === "encrypted" ? (["JUHE_OPENID"] as const) : [])],
  juhe3: (c) => ["JUHE3_KEY", ...(c.JUHE_MODE === "encrypted" ? (["JUHE_OPENID"] as const) : [])],
  tencent: () => ["TENCENT_SECRET_ID", "TENCENT_SECRET_KEY"],
  sandbox: () => [],
};

// An empty string counts as unset, so `wrangler dev --var JUHE_KEY:` clears a setting.
const setStrings = (env: object) =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string" && v !== ""));
const issuesText = (issues: readonly z.core.$ZodIssue[]) =>
  issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

function parseConfig(env: object): Parsed<Config> {
  const parsed = ConfigSchema.safeParse(setStrings(env));
  if (!parsed.success) return { ok: false, problems: issuesText(parsed.error.issues) };
  const config = {
    ...parsed.data,
    UPSTREAM_DEADLINE_MS: parsed.data.UPSTREAM_DEADLINE_MS ?? 2 * parsed.data.UPSTREAM_TIMEOUT_MS,
  };
  const missing = config.UPSTREAMS.flatMap((u) =>
    REQUIRED_SECRETS[u.name](config)
      .filter((name) => config[name] === "")
      .map((name) => `${name} (UPSTREAMS names ${u.name})`),
  );
  if (missing.length > 0) return { ok: false, problems: `missing ${[...new Set(missing)].join(", ")}` };
  return { ok: true, config };
}

const AdminSchema = z.object({
  // Bearer secret of the operator's /admin API; without a valid one /admin is off, the API is not.
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(32, "must be at least 32 characters"))),
});
export type AdminConfig = z.infer<typeof AdminSchema>;

function parseAdmin(env: object): Parsed<AdminConfig> {
  const parsed = AdminSchema.safeParse(setStrings(env));
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, problems: issuesText(parsed.error.issues) };
}

/** Parsed once per env object (per isolate); a broken setting is logged once, naming it. */
function memoised<T>(event: string, parse: (env: object) => Parsed<T>): (env: object) => Parsed<T> {
  const seen = new WeakMap<object, Parsed<T>>();
  return (env) => {
    let result = seen.get(env);
    if (!result) {
      result = parse(env);
      if (!result.ok) logEvent("error", event, { problems: result.problems });
      seen.set(env, result);
    }
    return result;
  };
}

export const readConfig = memoised("config_invalid", parseConfig);
export const readAdminConfig = memoised("admin_config_invalid", parseAdmin);
