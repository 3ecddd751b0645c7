// docs/configuration.md names every setting the Worker reads (wrangler.toml's [vars] and [secrets],
// the keys of the zod schemas in src/config/config.ts and src/alerts/config.ts, every vendor's
// descriptor) and every binding, each with the default the code applies, so the page cannot drift.
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/paths.ts";
import { parseAlertConfig } from "../../src/alerts/config.ts";
import { parsePrices } from "../../src/billing/spend.ts";
import { readConfig, VENDOR_SETTINGS } from "../../src/config/config.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const page = read("docs/configuration.md");
const toml = read("wrangler.toml");

/** The lines of one `[section]` of wrangler.toml, up to the next header. */
function tomlSection(name: string): string[] {
  const lines = toml.split("\n");
  const start = lines.indexOf(`[${name}]`);
  if (start < 0) throw new Error(`wrangler.toml has no [${name}]`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith("["));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const VARS = tomlSection("vars").flatMap((line) => /^([A-Z][A-Z0-9_]*)\s*=/.exec(line)?.[1] ?? []);
const SECRETS = [
  ...(/required\s*=\s*\[([^\]]*)\]/.exec(tomlSection("secrets").join("\n"))?.[1] ?? "").matchAll(/"(\w+)"/g),
].map((found) => found[1]!);
const BINDINGS = [...toml.matchAll(/^(?:binding|name)\s*=\s*"([A-Z][A-Z0-9_]*)"/gm)].map((found) => found[1]!);

/** The property names of every `z.object({ … })` literal in a source file. */
function schemaKeys(path: string): string[] {
  const source = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
  const keys: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      node.expression.getText(source) === "z.object" &&
      node.arguments[0] &&
      ts.isObjectLiteralExpression(node.arguments[0])
    ) {
      for (const property of node.arguments[0].properties) {
        if (property.name && ts.isIdentifier(property.name)) keys.push(property.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return keys;
}

const SCHEMA_KEYS = [...schemaKeys("src/config/config.ts"), ...schemaKeys("src/alerts/config.ts")];
const SETTINGS = [...new Set([...VARS, ...SECRETS, ...SCHEMA_KEYS, ...VENDOR_SETTINGS.keys()])].sort();

/** The settings table: each row's names (first cell) → its default (third cell). */
const DOCUMENTED = new Map(
  page
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => {
      const cells = line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, ""));
      return [...cells[0]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((found) => [found[1]!, cells[2] ?? ""] as const);
    }),
);

/** The defaults the code applies, each read from the code by parsing an environment without it. */
function codeDefaults(): Map<string, string | null> {
  const defaults = new Map<string, string | null>();
  for (const [name, setting] of VENDOR_SETTINGS) defaults.set(name, setting.fallback || null);
  const vendorSecrets = Object.fromEntries(
    [...VENDOR_SETTINGS].filter(([, s]) => s.secret).map(([name]) => [name, "x"]),
  );
  const core = readConfig({ SERVICE_SECRET: "s".repeat(32), ...vendorSecrets });
  if (!core.ok) throw new Error(core.problems);
  for (const [name, value] of Object.entries(core.config)) {
    if (name === "vendorSettings" || name === "SERVICE_SECRET") continue;
    if (name === "UPSTREAMS") {
      const chain = core.config.UPSTREAMS.map((u) => (u.carriers ? `${u.name}:${u.carriers.join("+")}` : u.name));
      defaults.set(name, chain.join(","));
    } else defaults.set(name, value === undefined ? null : String(value));
  }
  defaults.set("OBJECT_LOCATION_HINT", core.config.OBJECT_LOCATION_HINT ?? null);
  const alerts = parseAlertConfig({
    ALERT_WEBHOOK_URL: "https://alerts.example",
    ALERT_WEBHOOK_SECRET: "a".repeat(32),
  });
  if (alerts.kind !== "on") throw new Error("the alert settings do not parse");
  for (const [name, value] of Object.entries(alerts.settings)) defaults.set(name, String(value));
  // Given above to turn alerts on: neither has a default.
  defaults.set("ALERT_WEBHOOK_URL", null);
  defaults.set("ALERT_WEBHOOK_SECRET", null);
  const prices = parsePrices(undefined);
  defaults.set("UPSTREAM_PRICES", prices.ok ? JSON.stringify(prices.table) : null);
  return defaults;
}

describe("docs/configuration.md", () => {
  it("has a row for every setting the Worker reads", () => {
    expect(SETTINGS.length).toBeGreaterThan(20);
    expect(
      SETTINGS.filter((name) => !DOCUMENTED.has(name)),
      "add a row to the table of docs/configuration.md for each",
    ).toEqual([]);
  });

  it("has no row for a setting nothing reads", () => {
    expect([...DOCUMENTED.keys()].filter((name) => !SETTINGS.includes(name))).toEqual([]);
  });

  it("gives each setting the default the code applies", () => {
    const defaults = codeDefaults();
    const wrong = SETTINGS.flatMap((name) => {
      const cell = DOCUMENTED.get(name) ?? "";
      const value = defaults.get(name);
      const expected = SECRETS.includes(name) ? "generated" : value == null ? "empty" : `\`${value}\``;
      return (value == null ? cell.startsWith(expected) : cell.includes(expected)) ? [] : [`${name}: ${expected}`];
    });
    expect(wrong, "the default column should show these").toEqual([]);
  });

  it("names every binding of wrangler.toml", () => {
    expect(BINDINGS.length).toBeGreaterThan(5);
    expect(BINDINGS.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});
