// The juhe vendor (docs/upstreams.md): two products on one protocol, two UPSTREAMS names.
// `juhe` is telecomCmcc (Telecom numbers only), `juhe3` the three-network product; they share the
// account's openid and the encryption mode, and each has its own key and base URL.
import type { Carrier } from "../../wire/carrier.ts";
import { baseUrl, choice, defineUpstream, type Setting, secret, type Values } from "../descriptor.ts";
import { juheQuery } from "./client.ts";
import { type JuheProduct, juheCodeTable } from "./codes.ts";
import { SANDBOX_BASE_URL, SANDBOX_KEYS, SANDBOX_OPENID, sandboxJuheFetcher } from "./sandbox.ts";

const JUHE_URL = "https://v.juhe.cn";

// One object each, shared by both products: the configuration reads a shared setting once.
const SHARED = {
  JUHE_OPENID: secret("juhe openid, shared by `juhe` and `juhe3`; required in encrypted mode"),
  JUHE_MODE: choice(["encrypted", "plain"], "encrypted", "`encrypted` (default) or `plain`, for `juhe` and `juhe3`"),
} as const;

type Product<N extends string, K extends string, U extends string> = {
  readonly name: N;
  readonly product: JuheProduct;
  readonly title: string;
  readonly networks: readonly Carrier[];
  readonly key: K;
  readonly keyAbout: string;
  readonly url: U;
  readonly carriers: readonly Carrier[] | null;
};

function juheProduct<const N extends string, const K extends string, const U extends string>(p: Product<N, K, U>) {
  type S = K | U | keyof typeof SHARED;
  /** Encrypted mode's openid; null in plain mode (docs/contract.md §5). */
  const openidOf = (values: Values<S>) => (values.JUHE_MODE === "encrypted" ? values.JUHE_OPENID : null);
  return defineUpstream<N, S>({
    name: p.name,
    product: p.title,
    networks: p.networks,
    carriers: p.carriers,
    settings: { [p.key]: secret(p.keyAbout), [p.url]: baseUrl(JUHE_URL), ...SHARED } as Record<S, Setting>,
    codes: juheCodeTable(p.product),
    required: (values) => [p.key, ...(openidOf(values) === null ? [] : (["JUHE_OPENID"] as const))],
    build: (values, fetcher) =>
      juheQuery({ baseUrl: values[p.url], product: p.product, key: values[p.key], openid: openidOf(values) }, fetcher),
    label: (values: Values<S>) => `${p.name}-${values.JUHE_MODE}`,
    sandbox: {
      values: { [p.key]: SANDBOX_KEYS[p.product], [p.url]: SANDBOX_BASE_URL, JUHE_OPENID: SANDBOX_OPENID } as Partial<
        Values<S>
      >,
      fetcher: sandboxJuheFetcher,
    },
  });
}

export const JUHE = juheProduct({
  name: "juhe",
  product: "telecomCmcc",
  title: "聚合数据 电信手机三元素 (`/telecomCmcc/queryEncry`)",
  networks: ["CTCC"],
  key: "JUHE_KEY",
  keyAbout: "key of the telecomCmcc product; required when `juhe` is listed",
  url: "JUHE_BASE_URL",
  carriers: ["CTCC"],
});

export const JUHE3 = juheProduct({
  name: "juhe3",
  product: "telecom",
  title: "聚合数据 手机三要素 three-network (`/telecom/queryEncry`)",
  networks: ["CMCC", "CUCC", "CTCC"],
  key: "JUHE3_KEY",
  keyAbout: "key of the three-network product; required when `juhe3` is listed",
  url: "JUHE3_BASE_URL",
  carriers: null,
});
