// The upstreams a request may ask, in UPSTREAMS order, built once per parsed configuration
// (docs/contract.md §5). The sandbox twins are handed to the real clients as fetchers: no client
// knows about the sandbox.
import type { Config } from "../platform/config.ts";
import { sandboxJuheFetcher, sandboxJuheOptions } from "../sandbox/juhe.ts";
import { sandboxTencentFetcher, sandboxTencentOptions } from "../sandbox/tencent.ts";
import { juheQuery } from "../upstream/juhe/client.ts";
import type { Limits } from "../upstream/router.ts";
import { tencentQuery } from "../upstream/tencent/client.ts";
import type { Upstream } from "../upstream/upstream.ts";

const built = new WeakMap<Config, readonly Upstream[]>();

export function upstreamsFor(config: Config): readonly Upstream[] {
  let upstreams = built.get(config);
  if (!upstreams) {
    upstreams = build(config);
    built.set(config, upstreams);
  }
  return upstreams;
}

export function limitsOf(config: Config): Limits {
  return { timeoutMs: config.UPSTREAM_TIMEOUT_MS, deadlineMs: config.UPSTREAM_DEADLINE_MS };
}

function build(config: Config): readonly Upstream[] {
  const mode = config.JUHE_MODE;
  const openid = mode === "encrypted" ? config.JUHE_OPENID : null;
  return config.UPSTREAMS.flatMap(({ name, carriers }): Upstream[] => {
    switch (name) {
      case "sandbox":
        return sandboxChain(mode);
      case "juhe":
        return [
          {
            name,
            carriers,
            ask: juheQuery({ baseUrl: config.JUHE_BASE_URL, product: "telecomCmcc", key: config.JUHE_KEY, openid }),
          },
        ];
      case "juhe3":
        return [
          {
            name,
            carriers,
            ask: juheQuery({ baseUrl: config.JUHE3_BASE_URL, product: "telecom", key: config.JUHE3_KEY, openid }),
          },
        ];
      case "tencent":
        return [
          {
            name,
            carriers,
            ask: tencentQuery({
              baseUrl: config.TENCENT_BASE_URL,
              secretId: config.TENCENT_SECRET_ID,
              secretKey: config.TENCENT_SECRET_KEY,
            }),
          },
        ];
      default:
        return name satisfies never;
    }
  });
}

/** UPSTREAMS=sandbox: the full chain `juhe:CTCC,juhe3,tencent`, each real client against its twin. */
function sandboxChain(mode: Config["JUHE_MODE"]): Upstream[] {
  return [
    { name: "juhe", carriers: ["CTCC"], ask: juheQuery(sandboxJuheOptions("telecomCmcc", mode), sandboxJuheFetcher) },
    { name: "juhe3", carriers: null, ask: juheQuery(sandboxJuheOptions("telecom", mode), sandboxJuheFetcher) },
    { name: "tencent", carriers: null, ask: tencentQuery(sandboxTencentOptions(), sandboxTencentFetcher) },
  ];
}
