import { describeUpstreams, readConfig } from "./config.ts";

/** Which upstreams answer, and whether the configuration parses. Reads no KV and no personal data. */
export function health(env: Env): { status: 200 | 503; body: { ok: boolean; upstream: string | null } } {
  const config = readConfig(env);
  if (!config.ok) return { status: 503, body: { ok: false, upstream: null } };
  return { status: 200, body: { ok: true, upstream: describeUpstreams(config.config) } };
}
