// `npm run setup`'s choice of upstreams (docs/upstreams.md): which vendors the operator holds keys
// for, written into wrangler.toml [vars] UPSTREAMS, and which networks that list answers. A list
// that leaves a network out is refused unless the operator says so (--partial-coverage): its
// numbers would get 310 (issue 20 item 6).
import { DEFAULT_UPSTREAMS, parseUpstreams, type UpstreamEntry, vendorNamed } from "../../src/config/config.ts";
import { VENDORS } from "../../src/upstream/vendors.ts";
import type { Carrier } from "../../src/wire/carrier.ts";
import { CliError } from "./errors.ts";

/** The networks a deployment must answer (China Broadcast numbers are asked like any other). */
const NETWORKS = ["CMCC", "CUCC", "CTCC"] as const satisfies readonly Carrier[];
const NETWORK_NAMES: Readonly<Record<(typeof NETWORKS)[number], string>> = {
  CMCC: "China Mobile (CMCC)",
  CUCC: "China Unicom (CUCC)",
  CTCC: "China Telecom (CTCC)",
};

export type UpstreamChoice = {
  /** The UPSTREAMS value to deploy. */
  readonly upstreams: string;
  /** Each chosen vendor's secrets, to put with `wrangler secret put`. */
  readonly secrets: readonly string[];
};

/** The networks the entries answer: each vendor's own, within its carrier limit. The sandbox answers all. */
export function networksCovered(entries: readonly UpstreamEntry[]): (typeof NETWORKS)[number][] {
  return NETWORKS.filter((network) =>
    entries.some(
      ({ name, carriers }) =>
        (carriers === null || carriers.includes(network)) &&
        (name === "sandbox" || vendorNamed(name).networks.includes(network)),
    ),
  );
}

/** The question `npm run setup` asks on a terminal. */
export function question(current: string): string {
  const networks = (v: (typeof VENDORS)[number]) => v.networks.join(", ");
  const width = Math.max(...VENDORS.map((v) => v.name.length));
  const networksWidth = Math.max(...VENDORS.map((v) => networks(v).length));
  const rows = VENDORS.map((v) => `  ${v.name.padEnd(width)}  ${networks(v).padEnd(networksWidth)}  ${v.product}`);
  return [
    "Which vendors do you hold keys for? Each answers these networks:",
    ...rows,
    `UPSTREAMS, in the order to ask them (name or name:CARRIER+CARRIER, comma-separated) [${current}]: `,
  ].join("\n");
}

/**
 * The list to deploy: `given` (--upstreams), else the answer to `ask` (a terminal), else the one
 * wrangler.toml already names. Refused when it does not parse, or leaves a network out without
 * `partialCoverage`.
 */
export async function chooseUpstreams(
  current: string | undefined,
  given: string | undefined,
  partialCoverage: boolean,
  ask: ((question: string) => Promise<string>) | undefined,
): Promise<UpstreamChoice & { readonly covered: string }> {
  const fallback = current ?? DEFAULT_UPSTREAMS;
  const answer = given ?? (ask ? (await ask(question(fallback))).trim() : "");
  const upstreams = answer === "" ? fallback : answer;
  const parsed = parseUpstreams(upstreams);
  if (!parsed.ok) throw new CliError(`UPSTREAMS="${upstreams}": ${parsed.problems}`, 2);
  const covered = networksCovered(parsed.config);
  const missing = NETWORKS.filter((n) => !covered.includes(n));
  if (missing.length > 0 && !partialCoverage) {
    throw new CliError(
      `UPSTREAMS="${upstreams}" answers ${covered.map((n) => NETWORK_NAMES[n]).join(", ") || "no network"} only: ` +
        `numbers of ${missing.map((n) => NETWORK_NAMES[n]).join(" and ")} would get 310. Add a vendor that ` +
        `covers them (e.g. ${DEFAULT_UPSTREAMS}), or pass --partial-coverage to deploy it anyway`,
      2,
    );
  }
  const secrets = parsed.config.flatMap(({ name }) => {
    if (name === "sandbox") return [];
    const vendor = vendorNamed(name);
    return Object.entries(vendor.settings)
      .filter(([, setting]) => setting.secret)
      .map(([secret]) => secret);
  });
  return {
    upstreams,
    secrets: [...new Set(secrets)],
    covered: `UPSTREAMS="${upstreams}" answers ${covered.map((n) => NETWORK_NAMES[n]).join(", ")}${missing.length > 0 ? ` (not ${missing.map((n) => NETWORK_NAMES[n]).join(", ")}: --partial-coverage)` : ""}`,
  };
}

const VARS_UPSTREAMS = /^(\[vars\][^[]*?^UPSTREAMS\s*=\s*)"([^"]*)"/m;

/** The [vars] UPSTREAMS wrangler.toml names, if any. */
export const upstreamsVar = (toml: string): string | undefined => VARS_UPSTREAMS.exec(toml)?.[2];

/** The toml with [vars] UPSTREAMS set to `upstreams`, everything else kept. */
export function withUpstreamsVar(toml: string, upstreams: string): string {
  if (upstreamsVar(toml) === undefined) throw new CliError("wrangler.toml has no UPSTREAMS in [vars]");
  return toml.replace(VARS_UPSTREAMS, (_, head: string) => `${head}"${upstreams}"`);
}
