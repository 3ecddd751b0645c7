// `node docs/make-upstreams.ts`: rewrites the vendors table of docs/upstreams.md from the vendors'
// descriptors (src/upstream/vendors.ts): name, product, networks, default carrier limit, settings.
// Everything between the BEGIN and END markers is replaced; the prose around them is kept.
// test/docs/upstreams-page.node.test.ts fails when the page is not what this script would write.
/// <reference types="node" />
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_UPSTREAMS } from "../src/platform/config.ts";
import type { UpstreamDescriptor } from "../src/upstream/descriptor.ts";
import { VENDORS } from "../src/upstream/vendors.ts";

export const PAGE_PATH = fileURLToPath(new URL("upstreams.md", import.meta.url));

const BEGIN = "<!-- BEGIN vendors: node docs/make-upstreams.ts writes this table from src/upstream/vendors.ts -->";
const END = "<!-- END vendors -->";

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

/** The page with its generated table rewritten; throws when a marker is missing. */
export function renderPage(current: string): string {
  const from = current.indexOf(BEGIN);
  const to = current.indexOf(END);
  if (from === -1 || to < from) throw new Error(`${PAGE_PATH} lacks the markers ${BEGIN} … ${END}`);
  return `${current.slice(0, from + BEGIN.length)}\n${vendorsTable()}\n${current.slice(to)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const current = readFileSync(PAGE_PATH, "utf8");
  const next = renderPage(current);
  if (next !== current) writeFileSync(PAGE_PATH, next);
  console.log(next === current ? `${PAGE_PATH} is up to date` : `${PAGE_PATH} rewritten`);
}
