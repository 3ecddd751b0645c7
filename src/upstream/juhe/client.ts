// The juhe clients (docs/contract.md §5): `telecomCmcc` (Telecom numbers) and the three-network
// `telecom` product speak one protocol. The fetcher is handed in: the network, or a sandbox twin.
import type { ReturnCode } from "../../wire/codes.ts";
import type { MatchCode } from "../../wire/envelope.ts";
import type { Identity } from "../../identity/identity.ts";
import type { Outcome } from "../../wire/outcome.ts";
import { logEvent } from "../../platform/log.ts";
import { transportFailure } from "./codes.ts";
import { encryptJuheField, juheFieldKey } from "./crypto.ts";
import { interpretJuheBody, type Interpreted } from "./response.ts";

export type UpstreamMatch = { returnCode: ReturnCode; matchCode: MatchCode | null; upstreamOrderId: string | null };

/** One upstream call: the outcome, juhe's error_code when one was received (for logs), wall time. */
export type UpstreamCall = { outcome: Outcome<UpstreamMatch>; upstreamCode: number | null; latencyMs: number };

export type JuheClient = (identity: Identity) => Promise<UpstreamCall>;

export type JuheOptions = {
  readonly baseUrl: string;
  /** `telecomCmcc` (juhe) or `telecom` (juhe3). */
  readonly product: "telecomCmcc" | "telecom";
  readonly key: string;
  /** Encrypted mode's openid; null for plain mode. */
  readonly openid: string | null;
  readonly timeoutMs: number;
};

// Resolved per call, so a test that replaces global fetch after building the client still sees it.
const network: typeof fetch = (input, init) => fetch(input, init);

export function juheClient(options: JuheOptions, fetcher: typeof fetch = network): JuheClient {
  const { baseUrl, product, key, openid, timeoutMs } = options;
  const url = `${baseUrl}/${product}/${openid === null ? "query" : "queryEncry"}`;
  return async (identity) => {
    const started = Date.now();
    const form = await formBody(identity, key, openid);
    const { outcome, upstreamCode } = await exchange(fetcher, url, form, timeoutMs);
    // Our key or openid is refused: worth an alert. Only juhe's code, never input or juhe's text.
    if (!outcome.ok && outcome.code === "500") logEvent("error", "juhe_key_rejected", { product, upstreamCode });
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
