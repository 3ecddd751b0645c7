// The Worker's settings (docs/contract.md §9), parsed once per isolate with zod. Bindings are typed
// by the generated worker-configuration.d.ts (`npm run types`); this file gives the strings meaning.
import * as z from "zod/mini";
import { logEvent } from "../platform/log.ts";
import type { Setting, UpstreamDescriptor, Values } from "../upstream/descriptor.ts";
import { VENDORS, type VendorName } from "../upstream/vendors.ts";
import { CARRIERS, type Carrier } from "../wire/carrier.ts";

// Every vendor's settings come from its descriptor (src/upstream/vendors.ts): this file knows
// none of them by name.
export const UPSTREAM_NAMES = [...VENDORS.map((v) => v.name), "sandbox"] as const;
export type UpstreamName = VendorName | "sandbox";

/** Durable Object location hints: where a new account object is created (docs/benchmark.md "Placement"). */
export const LOCATION_HINTS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"] as const;

/** One `UPSTREAMS` entry: `juhe` or `juhe:CTCC+CUCC` (null carriers: every number). */
export type UpstreamEntry = { readonly name: UpstreamName; readonly carriers: readonly Carrier[] | null };

/** The default chain: every vendor in list order with its carrier limit, all four networks covered. */
export const DEFAULT_UPSTREAMS = VENDORS.map((v) => (v.carriers ? `${v.name}:${v.carriers.join("+")}` : v.name)).join(
  ",",
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

/** An UPSTREAMS value, as the Worker reads it (for `npm run setup`). */
export function parseUpstreams(text: string): Parsed<UpstreamEntry[]> {
  const parsed = UpstreamList.safeParse(text);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => i.message).join("; ") };
}

const Millis = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));

const ConfigSchema = z.object({
  // Seals logon keys and keys every fingerprint (docs/contract.md §6, §9).
  SERVICE_SECRET: z.string().check(z.minLength(32, "must be at least 32 characters")),
  UPSTREAMS: z.pipe(z._default(z.string(), DEFAULT_UPSTREAMS), UpstreamList),
  UPSTREAM_TIMEOUT_MS: z._default(Millis(100, 60_000), 5000),
  UPSTREAM_DEADLINE_MS: z.optional(Millis(100, 120_000)),
  LEDGER_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(36_500)), 400),
  OBJECT_LOCATION_HINT: z.optional(z.enum(LOCATION_HINTS)),
});

/** Every vendor's settings by variable name; two products may share one (the same declaration). */
export const VENDOR_SETTINGS: ReadonlyMap<string, Setting> = (() => {
  const settings = new Map<string, Setting>();
  for (const vendor of VENDORS) {
    for (const [name, setting] of Object.entries<Setting>(vendor.settings)) {
      const known = settings.get(name);
      if (known !== undefined && known !== setting) throw new Error(`${vendor.name} declares ${name} anew`);
      settings.set(name, setting);
    }
  }
  return settings;
})();

const VendorSchema = z.object(Object.fromEntries([...VENDOR_SETTINGS].map(([name, s]) => [name, s.schema])));

export type Config = Omit<z.infer<typeof ConfigSchema>, "UPSTREAM_DEADLINE_MS"> & {
  readonly UPSTREAM_DEADLINE_MS: number;
  /** Every vendor's settings, parsed (defaults applied), by variable name. */
  readonly vendorSettings: Values;
};

export type Parsed<T> = { ok: true; config: T } | { ok: false; problems: string };

// An empty string counts as unset, so `wrangler dev --var JUHE_KEY:` clears a setting.
const setStrings = (env: object) =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string" && v !== ""));
const issuesText = (issues: readonly z.core.$ZodIssue[]) =>
  issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

function parseConfig(env: object): Parsed<Config> {
  const set = setStrings(env);
  const parsed = ConfigSchema.safeParse(set);
  const vendor = VendorSchema.safeParse(set);
  if (!parsed.success || !vendor.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(vendor.error?.issues ?? [])];
    return { ok: false, problems: issuesText(issues) };
  }
  const config: Config = {
    ...parsed.data,
    UPSTREAM_DEADLINE_MS: parsed.data.UPSTREAM_DEADLINE_MS ?? 2 * parsed.data.UPSTREAM_TIMEOUT_MS,
    vendorSettings: vendor.data as Values,
  };
  const missing = config.UPSTREAMS.flatMap((u) =>
    u.name === "sandbox"
      ? []
      : vendorNamed(u.name)
          .required(config.vendorSettings)
          .filter((name) => config.vendorSettings[name] === "")
          .map((name) => `${name} (UPSTREAMS names ${u.name})`),
  );
  if (missing.length > 0) return { ok: false, problems: `missing ${[...new Set(missing)].join(", ")}` };
  return { ok: true, config };
}

/** The descriptor of a vendor UPSTREAMS names. */
export function vendorNamed(name: VendorName): UpstreamDescriptor<VendorName> {
  return VENDORS.find((v) => v.name === name)!;
}

/** UPSTREAMS as /healthz shows it: each name as its vendor labels it (a mode, say), with its carriers. */
export function describeUpstreams(config: Config): string {
  const label = ({ name, carriers }: UpstreamEntry) =>
    `${name === "sandbox" ? name : vendorNamed(name).label(config.vendorSettings)}${carriers ? `:${carriers.join("+")}` : ""}`;
  return config.UPSTREAMS.map(label).join(",");
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
