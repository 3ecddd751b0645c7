// Which upstream clients answer, built once per parsed configuration (docs/contract.md §5). The
// sandbox twins are handed to the real clients as fetchers: no client knows about the sandbox.
import type { Config } from "../platform/config.ts";
import { sandboxJuheFetcher, sandboxJuheOptions } from "../sandbox/juhe.ts";
import { juheClient, type JuheClient } from "../upstream/juhe/client.ts";

const clients = new WeakMap<Config, JuheClient>();

export function upstreamFor(config: Config): JuheClient {
  let client = clients.get(config);
  if (!client) clients.set(config, (client = build(config)));
  return client;
}

function build(config: Config): JuheClient {
  const first = config.UPSTREAMS[0]!;
  const mode = config.JUHE_MODE;
  const openid = mode === "encrypted" ? config.JUHE_OPENID : null;
  switch (first.name) {
    case "sandbox":
      return juheClient(sandboxJuheOptions("telecomCmcc", mode, config.UPSTREAM_TIMEOUT_MS), sandboxJuheFetcher);
    case "juhe":
      return juheClient({ baseUrl: config.JUHE_BASE_URL, product: "telecomCmcc", key: config.JUHE_KEY, openid, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
    case "juhe3":
      return juheClient({ baseUrl: config.JUHE3_BASE_URL, product: "telecom", key: config.JUHE3_KEY, openid, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
    case "tencent":
      throw new Error("tencent is wired by the routing step");
    default:
      return first.name satisfies never;
  }
}
