import { readConfig } from "./config.ts";

/** Which upstreams answer, and whether the configuration parses. Reads no KV and no personal data. */
export function health(env: Env): { status: 200 | 503; body: { ok: boolean; upstream: string | null } } {
  const config = readConfig(env);
  if (!config.ok) return { status: 503, body: { ok: false, upstream: null } };
  const { UPSTREAMS, JUHE_MODE } = config.config;
  const label = ({ name, carriers }: (typeof UPSTREAMS)[number]) =>
    `${name.startsWith("juhe") ? `${name}-${JUHE_MODE}` : name}${carriers ? `:${carriers.join("+")}` : ""}`;
  return { status: 200, body: { ok: true, upstream: UPSTREAMS.map(label).join(",") } };
}
