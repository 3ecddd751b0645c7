// A client for POST /api/personalInfo/verifyMobile (docs/contract.md). No dependencies and no `node:`
// imports: fetch, WebCrypto, TextEncoder and AbortController only, so the same file runs on
// Node ≥ 18, Cloudflare Workers, Deno and browsers.
import { encryptLogon, importLogonKey, newIv, type WebCrypto } from "./crypto.ts";

export type { WebCrypto };
export { encryptLogon, importLogonKey, newIv };

export const PATH = "/api/personalInfo/verifyMobile";
export const ORDER_HEADER = "X-Order-No";

export type Identity = { idCard: string; userName: string; loginphone: string };

/** The carrier's detail: 11 match, 21 name wrong, 22 ID wrong, 23 both wrong, 24 mismatch (which is unknown). */
export type MatchCode = "11" | "21" | "22" | "23" | "24" | (string & {});

export type VerifyResult = {
  readonly result: "consistent" | "inconsistent" | "unknown";
  readonly matchCode: MatchCode | null;
  readonly orderNo: string;
  /** Whether this answer was charged: the service bills only fresh `200` results. */
  readonly billable: boolean;
  /** A replay of a result given within the account's duplicate window (policy `replay`). */
  readonly duplicate: boolean;
};

/**
 * token: 1xx; request: 3xx; upstream: 501–504 (not billed, safe to send again); server: 500;
 * transport: no envelope came back (code `timeout`, `network` or `bad-response`).
 */
export type ErrorFamily = "token" | "request" | "upstream" | "server" | "transport";

export class VerifyMobileError extends Error {
  override readonly name = "VerifyMobileError";
  readonly family: ErrorFamily;
  /** The envelope's errorCode ("105", "309", "503", …) or, for transport, `timeout` | `network` | `bad-response`. */
  readonly code: string;
  /** The envelope's errorDetail (documented Chinese text), or what went wrong in transport. */
  readonly detail: string;
  /** The envelope's errorReason: a short cause, e.g. which logon mistake made a 307. */
  readonly reason: string | null;
  /** The service's order number (X-Order-No) when an answer arrived: quote it to support. */
  readonly orderNo: string | null;

  constructor(
    family: ErrorFamily,
    code: string,
    detail: string,
    reason: string | null,
    orderNo: string | null,
    cause?: unknown,
  ) {
    super(`${code} ${detail}${reason ? ` (${reason})` : ""}`, cause === undefined ? undefined : { cause });
    this.family = family;
    this.code = code;
    this.detail = detail;
    this.reason = reason;
    this.orderNo = orderNo;
  }

  /** Not billed and worth sending again at once (docs/contract.md §5): the upstream family only. */
  get retryable(): boolean {
    return this.family === "upstream";
  }
}

/** Any fetch: the global one, a Worker's service binding's `fetch`, a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type ClientOptions = {
  /** e.g. `https://verify.example.com` (a path prefix is kept). */
  baseUrl: string;
  token: string;
  /** 16 or 32 characters (UTF-8 bytes): AES-128 or AES-256. */
  logonKey: string;
  /**
   * Deadline per attempt, default 10 000 ms. Keep it above the service's UPSTREAM_TIMEOUT_MS
   * (5 000 by default), so the service answers 501 itself instead of the client giving up on a
   * request that may still be billed.
   */
  timeoutMs?: number;
  /** How many times to resend after a 501–504 envelope, default 0. Nothing else is ever resent. */
  retries?: number;
  fetch?: FetchLike;
  /** WebCrypto, default `globalThis.crypto`; on Node 18 pass `(await import("node:crypto")).webcrypto`. */
  crypto?: WebCrypto;
};

export type VerifyMobileClient = { verify(identity: Identity): Promise<VerifyResult> };

const RESULTS: Record<string, VerifyResult["result"]> = {
  "10000": "consistent",
  "10001": "inconsistent",
  "10002": "unknown",
};

export function createClient(options: ClientOptions): VerifyMobileClient {
  const { token, timeoutMs = 10_000, retries = 0 } = options;
  const found = options.crypto ?? (globalThis as { crypto?: WebCrypto }).crypto;
  if (!found?.subtle)
    throw new TypeError("no WebCrypto here: pass { crypto: (await import('node:crypto')).webcrypto } on Node 18");
  const webCrypto: WebCrypto = found;
  const url = options.baseUrl.replace(/\/+$/, "") + PATH;
  new URL(url); // throws a TypeError on a malformed baseUrl, now rather than at the first request
  if (!token) throw new TypeError("token is required");
  if (!(timeoutMs > 0)) throw new TypeError("timeoutMs must be a positive number");
  if (!Number.isInteger(retries) || retries < 0) throw new TypeError("retries must be a whole number ≥ 0");
  const key = importLogonKey(webCrypto, options.logonKey); // throws at once on a wrong key length
  key.catch(() => undefined); // a rejection surfaces at verify(), not as an unhandled rejection
  const send: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));

  async function once(identity: Identity): Promise<VerifyResult> {
    const iv = newIv(webCrypto); // a new iv for every request, retries included
    const json = JSON.stringify({
      idCard: identity.idCard,
      userName: identity.userName,
      loginphone: identity.loginphone,
    });
    const body = new URLSearchParams({ token, iv, logon: await encryptLogon(webCrypto, await key, iv, json) });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response | undefined;
    let text: string;
    try {
      response = await send(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: body.toString(),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      const orderNo = response?.headers.get(ORDER_HEADER) ?? null;
      if (controller.signal.aborted)
        throw new VerifyMobileError("transport", "timeout", `no answer within ${timeoutMs} ms`, null, orderNo, error);
      throw new VerifyMobileError(
        "transport",
        "network",
        "the request failed before an answer arrived",
        errorText(error),
        orderNo,
        error,
      );
    } finally {
      clearTimeout(timer);
    }
    return readEnvelope(text, response.status, response.headers.get(ORDER_HEADER));
  }

  return {
    async verify(identity) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(identity);
        } catch (error) {
          // Resend only what the service says it did not bill: a 501–504 envelope (docs/contract.md §5,
          // "only 200 results are billable … everything else can be retried at once"; such answers
          // also leave no duplicate fingerprint, so the resend cannot meet a 309). A timeout or a
          // network error is never resent: fetch cannot tell "never sent" from "sent, answer lost",
          // and a request that reached the service may have been answered and billed. 1xx/3xx/500
          // would fail the same way again.
          if (attempt < retries && error instanceof VerifyMobileError && error.retryable) continue;
          throw error;
        }
      }
    },
  };
}

function readEnvelope(text: string, status: number, orderNo: string | null): VerifyResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new VerifyMobileError("transport", "bad-response", `HTTP ${status}: the answer is not JSON`, null, orderNo);
  }
  const envelope = body as {
    errorCode?: unknown;
    errorDetail?: unknown;
    errorReason?: unknown;
    info?: unknown;
    returnCode?: unknown;
  };
  const { errorCode, errorDetail, errorReason } = envelope ?? {};
  if (
    typeof errorCode !== "string" ||
    typeof errorDetail !== "string" ||
    !(errorReason === null || typeof errorReason === "string")
  ) {
    throw new VerifyMobileError(
      "transport",
      "bad-response",
      `HTTP ${status}: the answer is not a verifyMobile envelope`,
      null,
      orderNo,
    );
  }
  if (errorCode !== "200")
    throw new VerifyMobileError(familyOf(errorCode), errorCode, errorDetail, errorReason, orderNo);
  const result = RESULTS[String(envelope.returnCode)];
  const info = envelope.info as Partial<Record<keyof VerifyResult, unknown>> | null | undefined;
  if (
    !result ||
    typeof info?.orderNo !== "string" ||
    typeof info.billable !== "boolean" ||
    typeof info.duplicate !== "boolean"
  ) {
    throw new VerifyMobileError(
      "transport",
      "bad-response",
      `HTTP ${status}: a 200 envelope without a result`,
      null,
      orderNo,
    );
  }
  const matchCode = typeof info.matchCode === "string" ? info.matchCode : null;
  return { result, matchCode, orderNo: info.orderNo, billable: info.billable, duplicate: info.duplicate };
}

function familyOf(code: string): Exclude<ErrorFamily, "transport"> {
  if (code.startsWith("1")) return "token";
  if (/^50[1-4]$/.test(code)) return "upstream";
  return code.startsWith("5") ? "server" : "request";
}

/** The error's message and its cause's (Node's fetch says only "fetch failed", the cause says why). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
