// The ACCOUNTS namespace for the account command (docs/contract.md §9): locally the very state
// `wrangler dev` persists, opened through Miniflare's Node API the way wrangler's own `kv --local`
// commands open it; remotely the Cloudflare REST API. No wrangler process is started, so a verb
// costs one Miniflare start (about a second) locally and a few HTTPS requests remotely.
import { join } from "node:path";
import { CliError } from "./errors.ts";
import { findLocal } from "./local-dev.ts";
import { accountsNamespaceId, CONFIG_PATH, isPlaceholder } from "./wrangler-config.ts";

export type KvTarget = { mode: "local"; persistTo: string | null } | { mode: "remote" };

export interface KvStore {
  get(key: string): Promise<string | null>;
  /** `expiration`: unix seconds after which KV drops the key (a previous token's entry, docs/contract.md §9). */
  put(key: string, value: string, options?: { expiration?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

const NO_WORKER = 'addEventListener("fetch", (e) => e.respondWith(new Response(null, { status: 404 })))';

/** The ACCOUNTS namespace in a `wrangler dev` state directory. */
export async function openLocalKv(state: string, namespaceId = accountsNamespaceId()): Promise<KvStore> {
  // Imported here: remote verbs and the admin verbs never pay for loading Miniflare.
  const { Miniflare, convertV4MiniflareOptions } = await import("miniflare");
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      script: NO_WORKER,
      resourcePersistencePath: join(state, "v3"),
      kvNamespaces: { ACCOUNTS: namespaceId },
    }),
  );
  try {
    const kv = await mf.getKVNamespace("ACCOUNTS");
    return {
      get: (key) => kv.get(key),
      put: (key, value, options) => kv.put(key, value, options),
      delete: (key) => kv.delete(key),
      close: () => mf.dispose(),
    };
  } catch (e) {
    await mf.dispose();
    throw e;
  }
}

const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

type Credentials = { apiToken: string; accountId: string; namespaceId: string };

/** The deployed namespace's credentials from the environment and wrangler.toml, or a clear refusal. */
export function remoteCredentials(
  env: Readonly<Record<string, string | undefined>> = process.env,
  configPath = CONFIG_PATH,
): Credentials {
  const apiToken = env.CLOUDFLARE_API_TOKEN ?? "";
  const accountId = env.CLOUDFLARE_ACCOUNT_ID ?? "";
  if (!apiToken || !accountId) {
    throw new CliError(
      "--remote needs the env vars CLOUDFLARE_API_TOKEN (a token with Workers KV Storage: Edit) " +
        "and CLOUDFLARE_ACCOUNT_ID (shown by `npx wrangler whoami`)",
      2,
    );
  }
  const namespaceId = accountsNamespaceId(configPath);
  if (isPlaceholder(namespaceId))
    throw new CliError(`${configPath} still has the placeholder id for ACCOUNTS: run \`npm run setup\` first`, 2);
  return { apiToken, accountId, namespaceId };
}

/** The KV namespace values endpoints of the Cloudflare API, one request per operation. */
export function remoteKv(credentials: Credentials, fetcher: typeof fetch = fetch): KvStore {
  const { apiToken, accountId, namespaceId } = credentials;
  const url = (key: string) =>
    `${CLOUDFLARE_API}/accounts/${accountId}/storage/kv/namespaces/${namespaceId}/values/${encodeURIComponent(key)}`;
  const call = async (method: "GET" | "PUT" | "DELETE", key: string, body?: string, expiration?: number) => {
    let response: Response;
    try {
      response = await fetcher(url(key) + (expiration === undefined ? "" : `?expiration=${expiration}`), {
        method,
        headers: {
          Authorization: `Bearer ${apiToken}`,
          ...(body === undefined ? {} : { "Content-Type": "text/plain;charset=UTF-8" }),
        },
        body,
      });
    } catch (e) {
      throw new CliError(`cannot reach the Cloudflare API (${e instanceof Error ? e.message : String(e)})`);
    }
    if (method === "GET" && response.status === 404) return null;
    const text = await response.text();
    if (!response.ok) throw new CliError(`Cloudflare API ${method} ${key}: HTTP ${response.status} ${apiErrors(text)}`);
    return text;
  };
  return {
    get: (key) => call("GET", key),
    put: async (key, value, options) => void (await call("PUT", key, value, options?.expiration)),
    delete: async (key) => void (await call("DELETE", key)),
    close: async () => {},
  };
}

/** The API's `errors` messages (never the request: it may carry a sealed key). */
function apiErrors(text: string): string {
  try {
    const errors = (JSON.parse(text) as { errors?: { code?: number; message?: string }[] }).errors ?? [];
    return errors.map((e) => `${e.code ?? ""} ${e.message ?? ""}`.trim()).join("; ");
  } catch {
    return text.slice(0, 200);
  }
}

export function openKv(target: KvTarget): Promise<KvStore> {
  if (target.mode === "remote") return Promise.resolve(remoteKv(remoteCredentials()));
  return openLocalKv(findLocal({ persistTo: target.persistTo }).state);
}
