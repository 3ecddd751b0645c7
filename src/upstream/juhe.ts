// The juhe telecom three-element client (CONTRACT.md §4, seed 004). With no JUHE_KEY configured
// the built-in sandbox answers instead of the network, through the very same code path.
import type { ReturnCode } from "../codes.ts";
import type { Config } from "../env.ts";
import type { MatchCode } from "../envelope.ts";
import type { Identity } from "../identity/identity.ts";
import type { Outcome } from "../outcome.ts";
import { SANDBOX_KEY, SANDBOX_OPENID, sandboxFetch } from "../sandbox/sandbox.ts";
import { transportFailure } from "./juhe-codes.ts";
import { encryptJuheField, juheFieldKey } from "./juhe-crypto.ts";
import { interpretJuheBody, type Interpreted } from "./juhe-response.ts";

export type UpstreamMatch = { returnCode: ReturnCode; matchCode: MatchCode | null; upstreamOrderId: string | null };

/** One upstream call: the outcome, juhe's error_code when one was received (for logs), wall time. */
export type UpstreamCall = { outcome: Outcome<UpstreamMatch>; upstreamCode: number | null; latencyMs: number };

export type JuheClient = (identity: Identity) => Promise<UpstreamCall>;

const sandboxFetcher: typeof fetch = (input, init) => sandboxFetch(new Request(input, init));

export function juheClient(config: Config, fetcher?: typeof fetch): JuheClient {
  const sandboxed = config.JUHE_KEY === "";
  const key = sandboxed ? SANDBOX_KEY : config.JUHE_KEY;
  const openid = sandboxed ? SANDBOX_OPENID : config.JUHE_OPENID;
  const encrypted = config.JUHE_MODE === "encrypted";
  const url = `${config.JUHE_BASE_URL}/telecomCmcc/${encrypted ? "queryEncry" : "query"}`;
  // Resolved per call, so a test that replaces global fetch after building the client still sees it.
  const send: typeof fetch = (input, init) => (fetcher ?? (sandboxed ? sandboxFetcher : fetch))(input, init);

  return async (identity) => {
    const started = Date.now();
    const form = await formBody(identity, key, encrypted ? openid : null);
    const { outcome, upstreamCode } = await exchange(send, url, form, config.UPSTREAM_TIMEOUT_MS);
    if (!outcome.ok && outcome.code === "500") {
      // Our key or openid is refused: worth an alert. Only juhe's code, never input or juhe's text.
      console.error(JSON.stringify({ event: "juhe_key_rejected", upstreamCode }));
    }
    return { outcome, upstreamCode, latencyMs: Date.now() - started };
  };
}

/** The form body; personal fields encrypted when an openid is given. Personal data stays out of URLs. */
async function formBody(identity: Identity, key: string, openid: string | null): Promise<URLSearchParams> {
  const fields = { realname: identity.userName, idcard: identity.idCard, mobile: identity.loginphone };
  if (openid !== null) {
    const fieldKey = await juheFieldKey(openid);
    const [realname, idcard, mobile] = await Promise.all(
      [fields.realname, fields.idcard, fields.mobile].map((v) => encryptJuheField(fieldKey, v)),
    );
    Object.assign(fields, { realname, idcard, mobile });
  }
  return new URLSearchParams({ key, ...fields, detail: "1" });
}

const TIMED_OUT = Symbol("timed out");

/**
 * POST and read the answer within `timeoutMs`. The signal asks fetch to stop; the race makes the
 * deadline hold even for a fetcher (or a body) that ignores it.
 */
async function exchange(send: typeof fetch, url: string, form: URLSearchParams, timeoutMs: number): Promise<Interpreted> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      resolve(TIMED_OUT); // first, so the race answers 501 before the aborted fetch rejects
      controller.abort(new DOMException("upstream timeout", "TimeoutError"));
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([post(send, url, form, controller.signal), deadline]);
    return answer === TIMED_OUT ? { outcome: transportFailure("timeout"), upstreamCode: null } : answer;
  } finally {
    clearTimeout(timer);
  }
}

async function post(send: typeof fetch, url: string, form: URLSearchParams, signal: AbortSignal): Promise<Interpreted> {
  let response: Response;
  try {
    response = await send(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form,
      signal,
    });
  } catch {
    // After our deadline the race has already answered 501; otherwise the network failed.
    return { outcome: transportFailure("unreachable"), upstreamCode: null };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    return { outcome: transportFailure("httpError"), upstreamCode: null };
  }
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch {
    return { outcome: transportFailure("notJson"), upstreamCode: null };
  }
  return interpretJuheBody(json);
}
