// The account command line (docs/contract.md §9), parsed into a typed command: node:util's
// parseArgs reads the flags, zod checks their values, and one table per verb drives both the
// parser and the usage text, so the two cannot disagree.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { z } from "zod";
import {
  ACCOUNT_ID,
  ALERT_THRESHOLD_MAX,
  DEDUP_TTL_MAX,
  DEDUP_TTL_MIN,
  DUPLICATE_POLICIES,
  STATUSES,
  TOKEN_SHAPE,
} from "../../src/accounts/record.ts";
import type { Cipher } from "../../src/crypto/cipher.ts";
import type { KvTarget } from "../lib/accounts-kv.ts";
import { usageError } from "../lib/errors.ts";
import {
  CREDENTIAL_SETTINGS,
  CREDENTIAL_SHOWN,
  CREDENTIAL_SWITCHES,
  CREDENTIAL_VALUES,
  credentialSettings,
  keyLengthFor,
} from "./credential-flags.ts";

/** Where the ACCOUNTS namespace is: local (optionally persisted elsewhere) or the deployed one. */
export type Target = KvTarget;

export type KeyLength = 16 | 32;

const wholeNumber = (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^-?\d+$/, `--${flag} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `--${flag} must be at least ${min}`).max(max, `--${flag} must be at most ${max}`));
const orNone = <T extends z.ZodType>(schema: T) => z.union([z.literal("none").transform(() => null), schema]);
const oneOf = <T extends readonly [string, ...string[]]>(flag: string, values: T) =>
  z.enum(values, `--${flag} must be one of ${values.join(", ")}`);
/** An alert threshold or `none`, each refusal naming the flag (a plain union would say "Invalid input"). */
const thresholdOrNone = (flag: string) => {
  const number = wholeNumber(flag, 0, ALERT_THRESHOLD_MAX);
  return z.string().transform((text, ctx): number | null => {
    if (text === "none") return null;
    const parsed = number.safeParse(text);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
    return z.NEVER;
  });
};
const day = (flag: string) => z.iso.date(`--${flag} must be a real date YYYY-MM-DD`);
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** Every flag's value, keyed by the flag; credit reads --balance and --quota as changes instead. */
const VALUES = z
  .object({
    local: z.boolean(),
    remote: z.boolean(),
    "persist-to": z.string().min(1, "--persist-to needs a directory"),
    id: z.string().refine((v) => ACCOUNT_ID.safeParse(v).success, "--id must look like acc_ followed by 16 hex digits"),
    token: z.string().regex(TOKEN_SHAPE, "--token must look like vmt_ followed by 32 base64url characters"),
    name: z.string().trim().min(1, "--name must not be empty").max(100, "--name must be at most 100 characters"),
    status: oneOf("status", STATUSES),
    services: z
      .string()
      .transform((s) => [
        ...new Set(
          s
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ])
      .refine(
        (list) => list.every((x) => SERVICE_NAME.test(x)),
        "--services is a comma-separated list of service names, e.g. verifyMobile",
      ),
    "contract-end": orNone(day("contract-end")),
    "duplicate-policy": oneOf("duplicate-policy", DUPLICATE_POLICIES),
    "dedup-ttl": wholeNumber("dedup-ttl", DEDUP_TTL_MIN, DEDUP_TTL_MAX),
    price: wholeNumber("price", 0),
    quota: orNone(wholeNumber("quota", 0)),
    balance: orNone(wholeNumber("balance", Number.MIN_SAFE_INTEGER)),
    "rate-limit": orNone(wholeNumber("rate-limit", 1)),
    "subject-budget": wholeNumber("subject-budget", 1),
    diagnostics: z.boolean(),
    start: z.boolean(),
    "key-length": z.enum(["16", "32"], "--key-length must be 16 or 32").transform((v) => Number(v) as KeyLength),
    url: z.url({ protocol: /^https?$/, error: "--url must be an http(s) URL" }),
    from: day("from"),
    to: day("to"),
    format: z.enum(["json", "csv"], "--format must be json or csv"),
    limit: wholeNumber("limit", 1, 10_000),
    search: z.string().max(100, "--search must be at most 100 characters"),
    code: z.string().regex(/^\d{3,5}$/, "--code must be a code such as 307"),
    "alert-balance": thresholdOrNone("alert-balance"),
    "alert-quota": thresholdOrNone("alert-quota"),
    ...CREDENTIAL_VALUES,
  })
  .partial();

type Flag = keyof typeof VALUES.shape;

/** parseArgs reads each flag as a string, except these switches; -h is --help. */
const SWITCHES: readonly Flag[] = ["local", "remote", "diagnostics", "start", ...CREDENTIAL_SWITCHES];
const OPTIONS: ParseArgsOptionsConfig = {
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(
    Object.keys(VALUES.shape).map((flag) => [flag, { type: SWITCHES.includes(flag as Flag) ? "boolean" : "string" }]),
  ),
};

const CREDIT_VALUES = VALUES.extend({
  balance: wholeNumber("balance", Number.MIN_SAFE_INTEGER).optional(),
  quota: wholeNumber("quota", Number.MIN_SAFE_INTEGER).optional(),
});

type Values = z.output<typeof VALUES>;

/** Account fields a command line may set; absent = keep (update) or default (create). */
export type Settings = {
  name?: string;
  status?: (typeof STATUSES)[number];
  services?: string[];
  contractEnd?: string | null;
  duplicatePolicy?: (typeof DUPLICATE_POLICIES)[number];
  dedupTtl?: number;
  priceFen?: number;
  remaining?: number | null;
  balanceFen?: number | null;
  rateLimit?: number | null;
  subjectBudget?: number;
  diagnostics?: boolean;
  alertBalanceFen?: number | null;
  alertQuota?: number | null;
  cipher?: Cipher;
  requireSign?: boolean;
  allowIps?: string[] | null;
};

export type Command =
  | { verb: "help" }
  | { verb: "create"; target: Target; settings: Settings; keyLength: KeyLength }
  | { verb: "show"; target: Target; id: string | null; token: string | null }
  | { verb: "update"; target: Target; id: string; settings: Settings }
  | { verb: "rotate-token"; target: Target; id: string; graceSeconds: number }
  | { verb: "rotate-key"; target: Target; id: string; keyLength: KeyLength | null; graceSeconds: number }
  | { verb: "disable"; target: Target; id: string }
  | {
      verb: "credit";
      target: Target;
      id: string;
      url: string | null;
      balanceFen: number;
      count: number;
      start: boolean;
    }
  | { verb: "state"; target: Target; id: string; url: string | null }
  | {
      verb: "usage" | "ledger";
      target: Target;
      id: string;
      url: string | null;
      from: string | null;
      to: string | null;
      format: "json" | "csv";
      limit: number | null;
    }
  | {
      verb: "spend";
      target: Target;
      id: string | null;
      url: string | null;
      from: string | null;
      to: string | null;
      format: "json" | "csv";
    }
  | { verb: "reconcile"; target: Target; url: string | null; vendor: string; csvPath: string }
  | { verb: "list"; target: Target; url: string | null; search: string }
  | {
      verb: "refusals";
      target: Target;
      url: string | null;
      id: string;
      code: string | null;
      from: string | null;
      to: string | null;
    }
  | { verb: "upstreams"; target: Target; url: string | null; from: string | null; to: string | null }
  | { verb: "alert-test"; target: Target; url: string | null };

export type Verb = Exclude<Command["verb"], "help">;

/** How each flag's value reads in the usage text. */
type Switch = "local" | "remote" | "persist-to" | "diagnostics" | "start" | (typeof CREDENTIAL_SWITCHES)[number];
const SHOWN: Record<Exclude<Flag, Switch>, string> = {
  ...CREDENTIAL_SHOWN,
  id: "ACC",
  token: "TOKEN",
  name: "NAME",
  status: STATUSES.join("|"),
  services: "verifyMobile,…",
  "contract-end": "YYYY-MM-DD|none",
  "duplicate-policy": DUPLICATE_POLICIES.join("|"),
  "dedup-ttl": "SECONDS",
  price: "FEN",
  quota: "N",
  balance: "FEN",
  "rate-limit": "N|none",
  "subject-budget": "N",
  "key-length": "16|32",
  url: "URL",
  from: "YYYY-MM-DD",
  to: "YYYY-MM-DD",
  format: "json|csv",
  limit: "N",
  "alert-balance": "FEN|none",
  "alert-quota": "N|none",
  search: "TEXT",
  code: "CODE",
};

/** Settings update may change; quota and balance belong to the account's object once it exists. */
const SETTINGS = [
  "status",
  "services",
  "contract-end",
  "duplicate-policy",
  "dedup-ttl",
  "price",
  "rate-limit",
  "subject-budget",
  "diagnostics",
  "alert-balance",
  "alert-quota",
  ...CREDENTIAL_SETTINGS,
] as const;

type Spec = { required: readonly Flag[]; optional: readonly Flag[]; about: string };

const VERBS: Record<Verb, Spec> = {
  create: {
    required: ["name"],
    optional: [...SETTINGS, "quota", "balance", "key-length"],
    about: "new account; prints its token and logonKey once",
  },
  show: { required: [], optional: ["id", "token"], about: "the account without its secrets" },
  update: {
    required: ["id"],
    optional: ["name", ...SETTINGS],
    about: "change settings (quota and balance: use credit)",
  },
  "rotate-token": {
    required: ["id"],
    optional: ["grace"],
    about: "new token; the old one stops working at once, or when the grace ends (at most 7d)",
  },
  "rotate-key": {
    required: ["id"],
    optional: ["key-length", "grace"],
    about: "new logonKey; the old one stops working at once, or when the grace ends (at most 7d)",
  },
  disable: { required: ["id"], optional: [], about: "offline, and the token entry deleted" },
  credit: {
    required: ["id"],
    optional: ["balance", "quota", "start", "url"],
    about: "top up (negative values correct a mistake; with start, also where the account has no balance or count yet)",
  },
  state: { required: ["id"], optional: ["url"], about: "balance, counts left, reservations in flight" },
  usage: { required: ["id"], optional: ["from", "to", "format", "url"], about: "per day and code" },
  ledger: { required: ["id"], optional: ["from", "to", "format", "limit", "url"], about: "every row of the range" },
  spend: {
    required: [],
    optional: ["id", "from", "to", "format", "url"],
    about: "calls, vendor cost, revenue, margin per day × account × vendor (every account, or the one given)",
  },
  reconcile: {
    required: [],
    optional: ["url"],
    about: "<vendor> <file.csv>: the vendor's day,calls lines against ours; prints the days that differ",
  },
  list: { required: [], optional: ["search", "url"], about: "accounts whose id, name or status contains the text" },
  refusals: { required: ["id"], optional: ["code", "from", "to", "url"], about: "the newest refusals, of one code" },
  upstreams: { required: [], optional: ["from", "to", "url"], about: "each upstream's attempts, faults and codes" },
  "alert-test": { required: [], optional: ["url"], about: "queue an alert.test to ALERT_WEBHOOK_URL" },
};

const TARGET_FLAGS: readonly Flag[] = ["local", "remote", "persist-to"];

function flagText(flag: Flag): string {
  if (flag === "diagnostics") return "--diagnostics|--no-diagnostics";
  if (flag === "require-sign") return "--require-sign|--no-require-sign";
  return flag === "local" || flag === "remote" || flag === "persist-to" || flag === "start"
    ? `--${flag}`
    : `--${flag} ${SHOWN[flag]}`;
}

function verbLine(verb: Verb): string {
  const { required, optional, about } = VERBS[verb];
  const flags = [
    ...(verb === "show" ? ["(--id ACC | --token TOKEN)"] : required.map(flagText)),
    ...(verb === "reconcile" ? ["VENDOR", "FILE.csv"] : []),
    ...(verb === "show" ? [] : optional.map((f) => `[${flagText(f)}]`)),
  ];
  const lines = [`  ${verb}`];
  for (const flag of flags) {
    if (lines.at(-1)!.length + flag.length + 1 > 100) lines.push(" ".repeat(verb.length + 3) + flag);
    else lines[lines.length - 1] += ` ${flag}`;
  }
  return `${lines.join("\n")}\n${" ".repeat(6)}${about}`;
}

export const USAGE = `usage: npm run --silent account -- <verb> (--local [--persist-to DIR] | --remote) ...
${(Object.keys(VERBS) as Verb[]).map(verbLine).join("\n")}
--local finds the running \`npm run dev\` (it records its state and URL in .wrangler/dev-server.json), else
its defaults (.wrangler/state, http://127.0.0.1:8787); --persist-to DIR and --url win; errors say where it looked.
create, show, update, rotate-token, rotate-key and disable change the ACCOUNTS namespace: --local that state;
--remote the deployed one
through the Cloudflare API, with the env vars CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, and for
create and rotate-key SERVICE_SECRET (the env var, else the copy \`npm run setup\` kept in .secrets.deploy).
credit, state, usage, ledger, spend, reconcile, list, refusals, upstreams and alert-test talk to the
running Worker's /admin API: --local that URL (npm run dev must be running) and ADMIN_TOKEN from .dev.vars;
--remote needs --url https://… and ADMIN_TOKEN (the env var, else .secrets.deploy).
--quota and --balance on create are the opening terms (default none: unmetered, not prepaid);
afterwards the account's object keeps them exactly: use credit.
usage and ledger cover --from (default today, China time) to --to (default today); ledger pages
through every row (--limit N rows per request) and renders --format csv itself.
Each verb prints one line of JSON (usage/ledger --format csv print CSV with a header); errors go
to stderr as {"error":...}.`;

/** parseArgs takes `--balance -5` for two flags; a negative number after a flag is its value. */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const last = out.at(-1);
    if (/^-\d+$/.test(arg) && last?.startsWith("--") && !last.includes("=")) out[out.length - 1] = `${last}=${arg}`;
    else out.push(arg);
  }
  return out;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: joinNegativeNumbers(argv),
      options: OPTIONS,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    // parseArgs says what is wrong in its first sentence; the rest is about `--`, which does not apply here.
    throw usageError(`${(e instanceof Error ? e.message : String(e)).split(/\.\s|\n/)[0]} (see --help)`);
  }
}

/** The verb and the flags given, each at most once. */
function readArgs(argv: readonly string[]): {
  verb: string | undefined;
  rest: string[];
  given: Map<Flag, string | boolean>;
} {
  const { positionals, tokens } = parse(argv);
  const [verb, ...rest] = positionals;
  // Only reconcile takes arguments of its own (the vendor and the CSV file).
  const extra = verb === "reconcile" ? rest[2] : rest[0];
  if (extra !== undefined) throw usageError(`unexpected argument "${extra}"`);
  const given = new Map<Flag, string | boolean>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const name = token.name as Flag;
    if (given.has(name)) throw usageError(`--${name} given twice`);
    given.set(name, token.value ?? !token.rawName.startsWith("--no-"));
  }
  return { verb, rest, given };
}

const isVerb = (verb: string): verb is Verb => Object.hasOwn(VERBS, verb);

export function parseCommand(argv: readonly string[]): Command {
  if (argv.includes("--help") || argv.includes("-h")) return { verb: "help" };
  const { verb, rest, given } = readArgs(argv);
  if (verb === "help") return { verb: "help" };
  const verbs = Object.keys(VERBS).join(", ");
  if (verb === undefined) throw usageError(`missing verb: one of ${verbs}`);
  if (!isVerb(verb)) throw usageError(`unknown verb "${verb}": one of ${verbs}`);
  const spec = VERBS[verb];
  for (const flag of given.keys()) {
    if (verb === "update" && (flag === "quota" || flag === "balance")) {
      throw usageError(`update does not change --${flag}: the account's object keeps it exactly; use credit`);
    }
    if (!TARGET_FLAGS.includes(flag) && !spec.required.includes(flag) && !spec.optional.includes(flag)) {
      throw usageError(`${verb} does not take --${flag}`);
    }
  }
  const parsed = (verb === "credit" ? CREDIT_VALUES : VALUES).safeParse(Object.fromEntries(given));
  if (!parsed.success) throw usageError(parsed.error.issues[0]?.message ?? "invalid value");
  const values: Values = parsed.data;
  for (const flag of spec.required) {
    if (values[flag] === undefined) throw usageError(`${verb} needs ${flagText(flag)}`);
  }
  const target = parseTarget(values);
  switch (verb) {
    case "create": {
      const settings = settingsOf(values);
      return { verb, target, settings, keyLength: keyLengthFor(values.cipher, values["key-length"]) };
    }
    case "show": {
      const id = values.id ?? null;
      const token = values.token ?? null;
      if ((id === null) === (token === null)) throw usageError("show needs exactly one of --id ACC or --token TOKEN");
      return { verb, target, id, token };
    }
    case "update": {
      const settings = settingsOf(values);
      if (Object.keys(settings).length === 0) throw usageError("update needs at least one field to change");
      return { verb, target, id: values.id!, settings };
    }
    case "rotate-key":
      return { verb, target, id: values.id!, keyLength: values["key-length"] ?? null, graceSeconds: values.grace ?? 0 };
    case "rotate-token":
      return { verb, target, id: values.id!, graceSeconds: values.grace ?? 0 };
    case "disable":
      return { verb, target, id: values.id! };
    case "credit": {
      const balanceFen = values.balance ?? 0;
      const count = values.quota ?? 0;
      if (balanceFen === 0 && count === 0) throw usageError("credit needs --balance FEN and/or --quota N");
      return { verb, target, id: values.id!, url: values.url ?? null, balanceFen, count, start: values.start ?? false };
    }
    case "state":
      return { verb, target, id: values.id!, url: values.url ?? null };
    case "usage":
    case "ledger": {
      const from = values.from ?? null;
      const to = values.to ?? null;
      if (from !== null && to !== null && from > to) throw usageError("--from must not be after --to");
      return {
        verb,
        target,
        id: values.id!,
        url: values.url ?? null,
        from,
        to,
        format: values.format ?? "json",
        limit: values.limit ?? null,
      };
    }
    case "spend":
    case "reconcile":
      return spendCommand(verb, target, values, rest);
    case "list":
    case "refusals":
    case "upstreams":
    case "alert-test":
      return overviewCommand(verb, target, values);
  }
}

/** The console's lists and the alert test, as verbs (docs/contract.md §10). */
function overviewCommand(
  verb: "list" | "refusals" | "upstreams" | "alert-test",
  target: Target,
  values: Values,
): Command {
  const url = values.url ?? null;
  const from = values.from ?? null;
  const to = values.to ?? null;
  if (from !== null && to !== null && from > to) throw usageError("--from must not be after --to");
  switch (verb) {
    case "list":
      return { verb, target, url, search: values.search ?? "" };
    case "refusals":
      return { verb, target, url, id: values.id!, code: values.code ?? null, from, to };
    case "upstreams":
      return { verb, target, url, from, to };
    case "alert-test":
      return { verb, target, url };
  }
}

/** The spend and reconcile verbs (docs/contract.md §12). */
function spendCommand(verb: "spend" | "reconcile", target: Target, values: Values, rest: string[]): Command {
  const url = values.url ?? null;
  if (verb === "reconcile") {
    const [vendor, csvPath] = rest;
    if (vendor === undefined || csvPath === undefined) throw usageError("reconcile needs <vendor> <file.csv>");
    if (!/^[a-z][a-z0-9]{0,31}$/.test(vendor)) throw usageError(`"${vendor}" is not an upstream name`);
    return { verb, target, url, vendor, csvPath };
  }
  const from = values.from ?? null;
  const to = values.to ?? null;
  if (from !== null && to !== null && from > to) throw usageError("--from must not be after --to");
  return { verb, target, id: values.id ?? null, url, from, to, format: values.format ?? "json" };
}

function parseTarget(values: Values): Target {
  if ((values.local === true) === (values.remote === true)) throw usageError("give exactly one of --local or --remote");
  const persistTo = values["persist-to"] ?? null;
  if (values.remote) {
    if (persistTo !== null) throw usageError("--persist-to goes with --local, not --remote");
    return { mode: "remote" };
  }
  return { mode: "local", persistTo };
}

function settingsOf(values: Values): Settings {
  const all: Settings = {
    name: values.name,
    status: values.status,
    services: values.services,
    contractEnd: values["contract-end"],
    duplicatePolicy: values["duplicate-policy"],
    dedupTtl: values["dedup-ttl"],
    priceFen: values.price,
    remaining: values.quota,
    balanceFen: values.balance,
    rateLimit: values["rate-limit"],
    subjectBudget: values["subject-budget"],
    diagnostics: values.diagnostics,
    alertBalanceFen: values["alert-balance"],
    alertQuota: values["alert-quota"],
    ...credentialSettings(values),
  };
  // Absent flags leave no key: update changes only what was given.
  const settings = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Settings;
  if (settings.services?.length === 0 && (settings.priceFen !== undefined || settings.remaining !== undefined)) {
    throw usageError(`--price and --quota apply to services; --services "" has none`);
  }
  return settings;
}
