// The account command line (CONTRACT.md §7), parsed into a typed command. Pure: no Node APIs, so
// it is tested inside workerd (test/scripts/).
import { z } from "zod";
import { DEDUP_TTL_MAX, DEDUP_TTL_MIN, DUPLICATE_POLICIES, STATUSES, TOKEN_SHAPE, ACCOUNT_ID } from "../../src/accounts/record.ts";
import { usageError } from "../lib/errors.ts";

export type Status = (typeof STATUSES)[number];
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

/** Where the ACCOUNTS namespace is: local (optionally persisted elsewhere) or the deployed one. */
export type Target = { mode: "local"; persistTo: string | null } | { mode: "remote" };

/** Account fields a command line may set; absent = keep (update) or default (create). */
export type Settings = {
  name?: string;
  status?: Status;
  services?: string[];
  contractEnd?: string | null;
  duplicatePolicy?: DuplicatePolicy;
  dedupTtl?: number;
  priceFen?: number;
  remaining?: number | null;
  balanceFen?: number | null;
  rateLimit?: number | null;
  subjectBudget?: number;
  diagnostics?: boolean;
};

export type KeyLength = 16 | 32;

export type Command =
  | { verb: "help" }
  | { verb: "create"; target: Target; settings: Settings; keyLength: KeyLength }
  | { verb: "show"; target: Target; id: string | null; token: string | null }
  | { verb: "update"; target: Target; id: string; settings: Settings }
  | { verb: "rotate-token"; target: Target; id: string }
  | { verb: "rotate-key"; target: Target; id: string; keyLength: KeyLength | null }
  | { verb: "disable"; target: Target; id: string }
  | { verb: "credit"; target: Target; id: string; url: string | null; balanceFen: number; count: number }
  | { verb: "state"; target: Target; id: string; url: string | null }
  | { verb: "usage" | "ledger"; target: Target; id: string; url: string | null; from: string | null; to: string | null; format: "json" | "csv"; limit: number | null };

export const USAGE = `usage: npm run --silent account -- <verb> (--local [--persist-to DIR] | --remote) ...
  create --name NAME [--status active|frozen|offline] [--services verifyMobile[,other] | ""]
         [--contract-end YYYY-MM-DD] [--duplicate-policy reject|replay] [--dedup-ttl SECONDS]
         [--key-length 16|32] [--price FEN] [--quota N] [--balance FEN]
  show (--id ACC | --token TOKEN)
  update --id ACC [create's flags except --key-length; --contract-end/--quota/--balance accept "none"]
  rotate-token --id ACC
  rotate-key --id ACC [--key-length 16|32]
  disable --id ACC
  credit --id ACC [--balance FEN] [--quota N]                 top up (negative values correct a mistake)
  state --id ACC                                               balance, counts left, reservations in flight
  usage --id ACC [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format json|csv]   per day and code
  ledger --id ACC [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format json|csv] [--limit N]
--remote needs the env var SERVICE_SECRET (the value given to \`wrangler secret put SERVICE_SECRET\`)
for create and rotate-key. credit, state, usage and ledger talk to the running Worker's /admin API:
--local uses http://127.0.0.1:8787 (npm run dev must be running; --url to change it) and ADMIN_TOKEN
from .dev.vars; --remote needs --url https://… and the env var ADMIN_TOKEN.
--quota and --balance on create are the opening terms; afterwards use credit.
Each verb prints one line of JSON (usage/ledger --format csv print CSV); errors go to stderr as {"error":...}.`;

const TARGET_FLAGS = ["local", "remote", "persist-to"];
const RANGE_FLAGS = ["id", "url", "from", "to", "format"];
const SETTING_FLAGS = ["name", "status", "services", "contract-end", "duplicate-policy", "dedup-ttl", "price", "quota", "balance"];
const VERB_FLAGS: Record<Exclude<Command["verb"], "help">, string[]> = {
  create: [...SETTING_FLAGS, "key-length"],
  show: ["id", "token"],
  update: ["id", ...SETTING_FLAGS.filter((f) => f !== "quota" && f !== "balance")],
  "rotate-token": ["id"],
  "rotate-key": ["id", "key-length"],
  disable: ["id"],
  credit: ["id", "url", "balance", "quota"],
  state: ["id", "url"],
  usage: RANGE_FLAGS,
  ledger: [...RANGE_FLAGS, "limit"],
};
const BOOLEAN_FLAGS = new Set(["local", "remote"]);

/** `--flag value`, `--flag=value` and boolean `--local`/`--remote`; repeated flags are refused. */
export function splitArgs(argv: readonly string[]): { verb: string | undefined; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  let verb: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { verb: "help", flags };
    if (!arg.startsWith("--")) {
      if (verb !== undefined) throw usageError(`unexpected argument "${arg}"`);
      verb = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (BOOLEAN_FLAGS.has(name)) value = "true";
    else if (i + 1 < argv.length) value = argv[++i]!;
    else throw usageError(`--${name} needs a value`);
    if (flags.has(name)) throw usageError(`--${name} given twice`);
    flags.set(name, value);
  }
  return { verb, flags };
}

const ID = ACCOUNT_ID;
const intIn = (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().regex(/^-?\d+$/, `--${flag} must be a whole number`).transform(Number)
    .pipe(z.number().int().min(min, `--${flag} must be at least ${min}`).max(max, `--${flag} must be at most ${max}`));
const orNone = <T extends z.ZodType>(schema: T) => z.union([z.literal("none").transform(() => null), schema]);
const oneOf = (flag: string, values: readonly string[]) =>
  z.string().refine((v) => values.includes(v), `--${flag} must be one of ${values.join(", ")}`);
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const FLAG_SCHEMAS: Record<string, z.ZodType> = {
  name: z.string().trim().min(1, "--name must not be empty").max(100, "--name must be at most 100 characters"),
  status: oneOf("status", STATUSES),
  services: z.string().transform((s) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))])
    .refine((list) => list.every((x) => SERVICE_NAME.test(x)), "--services is a comma-separated list of service names, e.g. verifyMobile"),
  "contract-end": orNone(z.iso.date("--contract-end must be a real date YYYY-MM-DD (or none)")),
  "duplicate-policy": oneOf("duplicate-policy", DUPLICATE_POLICIES),
  "dedup-ttl": intIn("dedup-ttl", DEDUP_TTL_MIN, DEDUP_TTL_MAX),
  price: intIn("price", 0),
  quota: orNone(intIn("quota", 0)),
  balance: orNone(intIn("balance", Number.MIN_SAFE_INTEGER)),
  "key-length": z.enum(["16", "32"], "--key-length must be 16 or 32").transform((v) => Number(v) as KeyLength),
  id: z.string().refine((v) => ID.safeParse(v).success, "--id must look like acc_ followed by 16 hex digits"),
  token: z.string().regex(TOKEN_SHAPE, "--token must look like vmt_ followed by 32 base64url characters"),
  "persist-to": z.string().min(1, "--persist-to needs a directory"),
  url: z.url({ protocol: /^https?$/, error: "--url must be an http(s) URL" }),
  from: z.iso.date("--from must be a date YYYY-MM-DD"),
  to: z.iso.date("--to must be a date YYYY-MM-DD"),
  format: z.enum(["json", "csv"], "--format must be json or csv"),
  limit: intIn("limit", 1, 10_000),
};

/** credit's amounts are changes, not settings: whole numbers, no "none". */
const delta = (flags: Map<string, string>, name: string) => {
  const raw = flags.get(name);
  if (raw === undefined) return 0;
  const r = intIn(name, Number.MIN_SAFE_INTEGER).safeParse(raw);
  if (!r.success) throw usageError(r.error.issues[0]?.message ?? `--${name} is invalid`);
  return r.data;
};

function value<T>(flags: Map<string, string>, name: string): T | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  const r = FLAG_SCHEMAS[name]!.safeParse(raw);
  if (!r.success) throw usageError(r.error.issues[0]?.message ?? `--${name} is invalid`);
  return r.data as T;
}

function parseTarget(flags: Map<string, string>): Target {
  const local = flags.has("local");
  const remote = flags.has("remote");
  if (local === remote) throw usageError("give exactly one of --local or --remote");
  const persistTo = value<string>(flags, "persist-to") ?? null;
  if (remote) {
    if (persistTo !== null) throw usageError("--persist-to goes with --local, not --remote");
    return { mode: "remote" };
  }
  return { mode: "local", persistTo };
}

export function parseSettings(flags: Map<string, string>): Settings {
  const settings: Settings = {};
  const set = <K extends keyof Settings>(key: K, flag: string) => {
    const v = value<Settings[K]>(flags, flag);
    if (v !== undefined) settings[key] = v;
  };
  set("name", "name");
  set("status", "status");
  set("services", "services");
  set("contractEnd", "contract-end");
  set("duplicatePolicy", "duplicate-policy");
  set("dedupTtl", "dedup-ttl");
  set("priceFen", "price");
  set("remaining", "quota");
  set("balanceFen", "balance");
  if (settings.services?.length === 0 && (settings.priceFen !== undefined || settings.remaining !== undefined)) {
    throw usageError(`--price and --quota apply to services; --services "" has none`);
  }
  return settings;
}

export function parseCommand(argv: readonly string[]): Command {
  const { verb, flags } = splitArgs(argv);
  if (verb === "help") return { verb: "help" };
  if (verb === undefined) throw usageError(`missing verb: one of ${Object.keys(VERB_FLAGS).join(", ")}`);
  if (!(verb in VERB_FLAGS)) throw usageError(`unknown verb "${verb}": one of ${Object.keys(VERB_FLAGS).join(", ")}`);
  const v = verb as keyof typeof VERB_FLAGS;
  for (const name of flags.keys()) {
    if (v === "update" && (name === "quota" || name === "balance")) {
      throw usageError(`update does not change --${name}: the account's object keeps it exactly; use credit`);
    }
    if (!TARGET_FLAGS.includes(name) && !VERB_FLAGS[v].includes(name)) throw usageError(`${verb} does not take --${name}`);
  }
  const target = parseTarget(flags);
  const requireId = () => {
    const id = value<string>(flags, "id");
    if (id === undefined) throw usageError(`${verb} needs --id ACC`);
    return id;
  };
  switch (v) {
    case "create": {
      const settings = parseSettings(flags);
      if (settings.name === undefined) throw usageError("create needs --name NAME");
      return { verb: v, target, settings, keyLength: value<KeyLength>(flags, "key-length") ?? 16 };
    }
    case "show": {
      const id = value<string>(flags, "id") ?? null;
      const token = value<string>(flags, "token") ?? null;
      if ((id === null) === (token === null)) throw usageError("show needs exactly one of --id ACC or --token TOKEN");
      return { verb: v, target, id, token };
    }
    case "update": {
      const id = requireId();
      const settings = parseSettings(flags);
      if (Object.keys(settings).length === 0) throw usageError("update needs at least one field to change");
      return { verb: v, target, id, settings };
    }
    case "rotate-key":
      return { verb: v, target, id: requireId(), keyLength: value<KeyLength>(flags, "key-length") ?? null };
    case "rotate-token":
    case "disable":
      return { verb: v, target, id: requireId() };
    case "credit": {
      const balanceFen = delta(flags, "balance");
      const count = delta(flags, "quota");
      if (balanceFen === 0 && count === 0) throw usageError("credit needs --balance FEN and/or --quota N");
      return { verb: v, target, id: requireId(), url: value<string>(flags, "url") ?? null, balanceFen, count };
    }
    case "state":
      return { verb: v, target, id: requireId(), url: value<string>(flags, "url") ?? null };
    case "usage":
    case "ledger":
      return {
        verb: v,
        target,
        id: requireId(),
        url: value<string>(flags, "url") ?? null,
        from: value<string>(flags, "from") ?? null,
        to: value<string>(flags, "to") ?? null,
        format: value<"json" | "csv">(flags, "format") ?? "json",
        limit: value<number>(flags, "limit") ?? null,
      };
  }
}
