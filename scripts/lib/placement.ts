// Where the Worker and each account's object run (docs/benchmark.md "Placement"), as `npm run setup`
// writes it into wrangler.toml: `--placement edge|hostname:<host>|host:<host:port>|region:<cloud:region>`
// and `--object-hint <hint>|none`. The default for the upstreams in mainland China is `edge` (no
// [placement] table) and no hint: the geographic model's evidence is in docs/benchmark.md.
import { LOCATION_HINTS } from "../../src/config/config.ts";
import { CliError } from "./errors.ts";

/** The Worker's placement: at the caller's edge, or one of wrangler's `[placement]` keys. */
export type Placement = { kind: "edge" } | { kind: "hostname" | "host" | "region"; value: string };
export type ObjectHint = (typeof LOCATION_HINTS)[number] | "none";

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const CHECKS = {
  hostname: (v: string) => HOSTNAME.test(v),
  host: (v: string) => /^(.+):(\d{1,5})$/.test(v) && HOSTNAME.test(v.replace(/:\d+$/, "")),
  region: (v: string) => /^(aws|gcp|azure):[a-z0-9-]+$/.test(v),
} as const;

export function parsePlacement(text: string): Placement {
  if (text === "edge") return { kind: "edge" };
  const at = text.indexOf(":");
  const kind = text.slice(0, at) as keyof typeof CHECKS;
  const value = text.slice(at + 1);
  if (at < 0 || !(kind in CHECKS) || !CHECKS[kind](value)) {
    throw new CliError(
      `--placement must be edge, hostname:<upstream host>, host:<host:port> or region:<aws|gcp|azure>:<region>, not "${text}"`,
      2,
    );
  }
  return { kind, value };
}

export function parseObjectHint(text: string): ObjectHint {
  if (text === "none" || (LOCATION_HINTS as readonly string[]).includes(text)) return text as ObjectHint;
  throw new CliError(`--object-hint must be none or one of ${LOCATION_HINTS.join(", ")}, not "${text}"`, 2);
}

/** The `[placement]` table, the blank lines before it and the lines under it up to the next table. */
const PLACEMENT_TABLE = /\n*^\[placement\][^\n]*\n(?:(?!\s*\[)[^\n]*\n?)*/m;
const HINT_LINE = /^(OBJECT_LOCATION_HINT\s*=\s*)"[^"]*"/m;

/** The toml with its `[placement]` table replaced (or removed for `edge`), everything else kept. */
export function withPlacement(toml: string, placement: Placement): string {
  const without = toml.replace(PLACEMENT_TABLE, "\n");
  if (placement.kind === "edge") return without;
  return `${without.replace(/\n*$/, "\n")}\n[placement]\n${placement.kind} = "${placement.value}"\n`;
}

/** The toml with [vars] OBJECT_LOCATION_HINT set ("" for none); the line must exist. */
export function withObjectHint(toml: string, hint: ObjectHint): string {
  if (!HINT_LINE.test(toml)) throw new CliError('wrangler.toml has no [vars] OBJECT_LOCATION_HINT = "" line to set');
  return toml.replace(HINT_LINE, `$1"${hint === "none" ? "" : hint}"`);
}

export const describePlacement = (p: Placement) =>
  p.kind === "edge" ? "the caller's edge (no [placement])" : `[placement] ${p.kind} = "${p.value}"`;
