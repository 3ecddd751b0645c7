// `node docs/make-upstreams.ts`: rewrites the generated parts of docs/upstreams.md from the
// vendors' descriptors (src/upstream/vendors.ts): the vendors table (name, product, networks,
// default carrier limit, settings) and each vendor's code table. Everything between a BEGIN and its
// END marker is replaced; the prose around them is kept.
// test/docs/upstreams-page.node.test.ts fails when the page is not what this script would write.
/// <reference types="node" />
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_UPSTREAMS } from "../src/config/config.ts";
import type { UpstreamDescriptor } from "../src/upstream/descriptor.ts";
import { TRANSPORT_FAILURES, type TransportFailure } from "../src/upstream/transport.ts";
import { type CodeRow, codeRow } from "../src/upstream/upstream.ts";
import { VENDORS } from "../src/upstream/vendors.ts";

export const PAGE_PATH = fileURLToPath(new URL("upstreams.md", import.meta.url));

const code = (text: string) => `\`${text}\``;

function row(vendor: UpstreamDescriptor): string {
  const settings = Object.entries(vendor.settings);
  const names = (secret: boolean) =>
    settings
      .filter(([, s]) => s.secret === secret)
      .map(([name]) => code(name))
      .join(", ");
  const limit = vendor.carriers === null ? "every number" : vendor.carriers.join("+");
  return `| ${code(vendor.name)} | ${vendor.product} | ${vendor.networks.join(", ")} | ${limit} | ${names(true)} | ${names(false)} |`;
}

export function vendorsTable(): string {
  return [
    "| name | product | networks it answers | its limit in the default chain | secrets | vars |",
    "|---|---|---|---|---|---|",
    ...VENDORS.map((vendor: UpstreamDescriptor) => row(vendor)),
    "",
    `Default chain (\`UPSTREAMS\` unset, \`wrangler.toml\`, the sandbox): \`${DEFAULT_UPSTREAMS}\`.`,
  ].join("\n");
}

const yes = (flag: boolean) => (flag ? "yes" : "no");

function codeTable(title: string, rows: readonly CodeRow[]): string {
  return [
    `**${title}**`,
    "",
    "| its code | ours | our reason | failover | counted by the breaker |",
    "|---|---|---|---|---|",
    ...rows.map(
      (row) => `| ${row.vendorCode} | ${code(row.code)} | ${row.reason} | ${yes(row.failover)} | ${yes(row.fault)} |`,
    ),
  ].join("\n");
}

/** Each vendor's codes, then the exchange's own failures: ours, failover, and whether the breaker counts it. */
export function codeTables(): string {
  const exchange = Object.entries(TRANSPORT_FAILURES).map(([kind, row]) =>
    codeRow(TRANSPORT_KINDS[kind as TransportFailure], row),
  );
  return [
    ...VENDORS.map((vendor: UpstreamDescriptor) => codeTable(code(vendor.name), vendor.codes)),
    codeTable("the exchange itself, every vendor", exchange),
  ].join("\n\n");
}

/** What each transport failure is, in the docs' words. */
const TRANSPORT_KINDS: Readonly<Record<TransportFailure, string>> = {
  timeout: "no answer within the attempt's time",
  unreachable: "unreachable (fetch failed)",
  httpError: "HTTP 5xx or 429",
  httpRefused: "another HTTP status that is not 2xx",
  notJson: "a body that is not JSON",
  oversized: "a body over 64 KiB",
  malformed: "JSON, not the vendor's answer",
};

const SECTIONS: Readonly<Record<string, () => string>> = { vendors: vendorsTable, codes: codeTables };

/** The page with every generated section rewritten; throws when a marker is missing. */
export function renderPage(current: string): string {
  let out = current;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const begin = `<!-- BEGIN ${name}: node docs/make-upstreams.ts writes this from src/upstream/vendors.ts -->`;
    const end = `<!-- END ${name} -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from === -1 || to < from) throw new Error(`${PAGE_PATH} lacks the markers ${begin} … ${end}`);
    out = `${out.slice(0, from + begin.length)}\n${make()}\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const current = readFileSync(PAGE_PATH, "utf8");
  const next = renderPage(current);
  if (next !== current) writeFileSync(PAGE_PATH, next);
  console.log(next === current ? `${PAGE_PATH} is up to date` : `${PAGE_PATH} rewritten`);
}
