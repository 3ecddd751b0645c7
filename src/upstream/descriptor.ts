// What one vendor declares about itself (docs/upstreams.md, "How to add a vendor"): its UPSTREAMS
// name, the networks it answers for, its settings and secrets with their defaults, how its client
// is built and its offline twin. The configuration (src/config/config.ts), the upstream chain
// (src/verify-mobile/upstreams.ts), `.dev.vars`, the tests' bindings and the docs are derived from
// the list in ./vendors.ts.
import * as z from "zod/mini";
import type { Carrier } from "../wire/carrier.ts";
import type { CodeRow, Query } from "./upstream.ts";

/** One variable the Worker reads: a plain var (`wrangler.toml` [vars]) or a secret (`wrangler secret put`). */
export type Setting = {
  readonly secret: boolean;
  /** What it means, one line (docs/contract.md §9). */
  readonly about: string;
  /** Its value when unset: the [vars] default, and what `.dev.vars` and the tests start from ("" for a secret). */
  readonly fallback: string;
  /** Parses the text as set (unset: the fallback); an issue is a configuration error naming the variable. */
  readonly schema: z.ZodMiniType<string, unknown>;
};

/** A vendor's parsed settings, by variable name. */
export type Values<S extends string = string> = Readonly<Record<S, string>>;

/**
 * The vendor's offline twin (UPSTREAMS=sandbox): its real client against `fetcher`, built with the
 * configured settings overlaid by `values` (the twin's own keys; the rest, such as a mode, stay as set).
 */
export type SandboxTwin<S extends string = string> = {
  readonly values: Partial<Values<S>>;
  readonly fetcher: typeof fetch;
};

export type UpstreamDescriptor<N extends string = string, S extends string = string> = {
  /** Its name in UPSTREAMS, the ledger's attempts and the logs. */
  readonly name: N;
  /** The vendor's product, as the docs name it. */
  readonly product: string;
  /** The networks whose numbers it can answer for (`npm run setup` says which a list covers). */
  readonly networks: readonly Carrier[];
  /** Its carrier limit in the default chain (UPSTREAMS's default and the sandbox's); null: every number. */
  readonly carriers: readonly Carrier[] | null;
  readonly settings: { readonly [K in S]: Setting };
  /** Its code table as the docs show it (the adapter reads its own table; this is that table, listed). */
  readonly codes: readonly CodeRow[];
  /** The settings it cannot run without under these values; one left empty is a configuration error. */
  required(values: Values<NoInfer<S>>): readonly NoInfer<S>[];
  /** Its client, asking through `fetcher` (the network, or the twin). */
  build(values: Values<NoInfer<S>>, fetcher?: typeof fetch): Query;
  /** How /healthz names it: its name, and a mode if it has one. */
  label(values: Values<NoInfer<S>>): string;
  readonly sandbox: SandboxTwin<NoInfer<S>>;
};

/** Keeps the literal name and setting names of a descriptor. */
export const defineUpstream = <const N extends string, const S extends string>(
  descriptor: UpstreamDescriptor<N, S>,
): UpstreamDescriptor<N, S> => descriptor;

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

/** A secret; empty when unset. */
export const secret = (about: string): Setting => ({
  secret: true,
  about,
  fallback: "",
  schema: z._default(z.string().check(z.trim()), ""),
});

/** A vendor's base URL: https (http to localhost only), trailing slashes dropped. */
export const baseUrl = (fallback: string, about = `default \`${fallback}\``): Setting => ({
  secret: false,
  about,
  fallback,
  schema: z._default(UpstreamUrl, fallback),
});

/** One of a few words. */
export const choice = (options: readonly [string, ...string[]], fallback: string, about: string): Setting => ({
  secret: false,
  about,
  fallback,
  schema: z._default(z.enum(options), fallback),
});
