import { readConfig, type Env } from "./env.ts";

/** Which upstream answers, and whether the configuration parses. Reads no KV and no personal data. */
export function health(env: Env): { status: 200 | 503; body: { ok: boolean; upstream: string | null } } {
  const config = readConfig(env);
  if (!config.ok) return { status: 503, body: { ok: false, upstream: null } };
  const { JUHE_KEY, JUHE_MODE } = config.config;
  return { status: 200, body: { ok: true, upstream: JUHE_KEY === "" ? "sandbox" : `juhe-${JUHE_MODE}` } };
}
