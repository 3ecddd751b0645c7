// The two facts the scripts need from wrangler.toml: each KV binding's namespace id, and whether
// it is still the placeholder the repo ships. Read as text because importing wrangler's own config
// reader costs a second per account verb; test/scripts/setup.node.test.ts checks that
// this reader and wrangler's agree.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./errors.ts";
import { ROOT } from "./paths.ts";

export const CONFIG_PATH = join(ROOT, "wrangler.toml");

/** The ids wrangler.toml ships with (docs/contract.md §9): local state only, never a real namespace. */
export const PLACEHOLDER_IDS: Readonly<Record<string, string>> = {
  ACCOUNTS: "00000000000000000000000000000001",
  DEDUP: "00000000000000000000000000000002",
};

export const isPlaceholder = (id: string) => Object.values(PLACEHOLDER_IDS).includes(id) || !/^[0-9a-f]{32}$/.test(id);

/** `[[header]]` tables: from the header line to the next table header. */
const tables = (header: string) => new RegExp(`^\\[\\[${header}\\]\\][^\\n]*\\n((?:(?!\\s*\\[)[^\\n]*\\n?)*)`, "gm");
const KV_TABLES = tables("kv_namespaces");
const stringKey = (table: string, key: string) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(table)?.[1];

/** binding → namespace id; like wrangler dev, a binding without an id is named by its binding. */
export function kvNamespaces(toml: string): Map<string, string> {
  const namespaces = new Map<string, string>();
  for (const [, table = ""] of toml.matchAll(KV_TABLES)) {
    const binding = stringKey(table, "binding");
    if (binding) namespaces.set(binding, stringKey(table, "id") ?? binding);
  }
  return namespaces;
}

/** binding → bucket name of each `[[r2_buckets]]` table. */
export function r2Buckets(toml: string): Map<string, string> {
  const buckets = new Map<string, string>();
  for (const [, table = ""] of toml.matchAll(tables("r2_buckets"))) {
    const binding = stringKey(table, "binding");
    const bucket = stringKey(table, "bucket_name");
    if (binding && bucket) buckets.set(binding, bucket);
  }
  return buckets;
}

/** Every queue the Worker produces to or consumes from, dead-letter queues included, each once. */
export function queueNames(toml: string): string[] {
  const names = new Set<string>();
  for (const kind of ["queues\\.producers", "queues\\.consumers"]) {
    for (const [, table = ""] of toml.matchAll(tables(kind))) {
      for (const key of ["queue", "dead_letter_queue"]) {
        const name = stringKey(table, key);
        if (name) names.add(name);
      }
    }
  }
  return [...names];
}

/** The Worker's `name`, from the top-level keys before the first table. */
export function workerName(toml: string): string {
  const name = stringKey(toml.split(/^\[/m)[0] ?? "", "name");
  if (!name) throw new CliError("wrangler.toml has no top-level name");
  return name;
}

/** The toml with `binding`'s id replaced, everything else (comments, order) kept. */
export function withNamespaceId(toml: string, binding: string, id: string): string {
  let found = false;
  const out = toml.replace(KV_TABLES, (table) => {
    if (stringKey(table, "binding") !== binding) return table;
    found = true;
    return table.replace(/^(\s*id\s*=\s*)"[^"]*"/m, `$1"${id}"`);
  });
  if (!found || kvNamespaces(out).get(binding) !== id) {
    throw new CliError(`wrangler.toml has no [[kv_namespaces]] entry with binding "${binding}" and an id`);
  }
  return out;
}

export function readConfig(path = CONFIG_PATH): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

export const writeConfig = (text: string, path = CONFIG_PATH) => writeFileSync(path, text);

/** The ACCOUNTS namespace id, as wrangler dev and deploy see it. */
export function accountsNamespaceId(path = CONFIG_PATH): string {
  const id = kvNamespaces(readConfig(path)).get("ACCOUNTS");
  if (!id) throw new CliError(`${path} binds no KV namespace ACCOUNTS`);
  return id;
}
