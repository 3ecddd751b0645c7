// What the client hands back: a result for a `200` envelope, a VerifyMobileError for everything
// else (docs/contract.md §3, §4), each with the order number and the call's requestId.

/** The carrier's detail: 11 match, 21 name wrong, 22 ID wrong, 23 both wrong, 24 mismatch (which is unknown). */
export type MatchCode = "11" | "21" | "22" | "23" | "24" | (string & {});

/** The network that answered for the number (docs/contract.md §5), or null when unknown. */
export type Carrier = "CMCC" | "CUCC" | "CTCC" | "CBN";

export type VerifyResult = {
  readonly result: "consistent" | "inconsistent" | "unknown";
  readonly matchCode: MatchCode | null;
  readonly carrier: Carrier | null;
  /** The service's order number: quote it to support. A replay carries the first answer's. */
  readonly orderNo: string;
  /** Whether this answer was charged: the service bills only fresh `200` results. */
  readonly billable: boolean;
  /** A replay: of an earlier answer to this requestId, or within the duplicate window (policy `replay`). */
  readonly duplicate: boolean;
  /** The call's requestId, the same on every attempt. */
  readonly requestId: string;
  /** How many requests the call sent (1 + the retries it made). */
  readonly attempts: number;
};

/**
 * token: 1xx; request: 3xx; upstream: 501–504 (not billed, retried); server: 500;
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
  /** Seconds the service asked to wait (`Retry-After`, on the account's rate limit's 502). */
  readonly retryAfter: number | null;
  /** The call's requestId and the number of requests it sent; set when the call gives up. */
  requestId: string | null = null;
  attempts = 1;

  constructor(
    family: ErrorFamily,
    code: string,
    detail: string,
    reason: string | null,
    orderNo: string | null,
    retryAfter: number | null = null,
    cause?: unknown,
  ) {
    super(`${code} ${detail}${reason ? ` (${reason})` : ""}`, cause === undefined ? undefined : { cause });
    this.family = family;
    this.code = code;
    this.detail = detail;
    this.reason = reason;
    this.orderNo = orderNo;
    this.retryAfter = retryAfter;
  }

  /**
   * Whether the client retries it: 501–504 (not billed, docs/contract.md §5) and a timeout or a
   * network failure (the same requestId makes the retry idempotent, §6). Never 1xx, 3xx or 500.
   */
  get retryable(): boolean {
    return this.family === "upstream" || (this.family === "transport" && this.code !== "bad-response");
  }
}

const RESULTS: Record<string, VerifyResult["result"]> = {
  "10000": "consistent",
  "10001": "inconsistent",
  "10002": "unknown",
};
const CARRIERS: readonly string[] = ["CMCC", "CUCC", "CTCC", "CBN"] satisfies Carrier[];

/** The envelope's answer: a result, or the error it stands for. */
export function readEnvelope(
  text: string,
  status: number,
  headers: Headers,
): Omit<VerifyResult, "requestId" | "attempts"> {
  const orderNo = headers.get("X-Order-No");
  const bad = (what: string) =>
    new VerifyMobileError("transport", "bad-response", `HTTP ${status}: ${what}`, null, orderNo);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad("the answer is not JSON");
  }
  const envelope = (body ?? {}) as Record<string, unknown>;
  const { errorCode, errorDetail, errorReason } = envelope;
  if (
    typeof errorCode !== "string" ||
    typeof errorDetail !== "string" ||
    !(errorReason === null || typeof errorReason === "string")
  ) {
    throw bad("the answer is not a verifyMobile envelope");
  }
  if (errorCode !== "200") {
    const retryAfter = Number.parseInt(headers.get("Retry-After") ?? "", 10);
    throw new VerifyMobileError(
      familyOf(errorCode),
      errorCode,
      errorDetail,
      errorReason,
      orderNo,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
    );
  }
  const result = RESULTS[String(envelope.returnCode)];
  const info = envelope.info as Record<string, unknown> | null | undefined;
  if (
    !result ||
    typeof info?.orderNo !== "string" ||
    typeof info.billable !== "boolean" ||
    typeof info.duplicate !== "boolean"
  ) {
    throw bad("a 200 envelope without a result");
  }
  return {
    result,
    matchCode: typeof info.matchCode === "string" ? info.matchCode : null,
    carrier: typeof info.carrier === "string" && CARRIERS.includes(info.carrier) ? (info.carrier as Carrier) : null,
    orderNo: info.orderNo,
    billable: info.billable,
    duplicate: info.duplicate,
  };
}

function familyOf(code: string): Exclude<ErrorFamily, "transport"> {
  if (code.startsWith("1")) return "token";
  if (/^50[1-4]$/.test(code)) return "upstream";
  return code.startsWith("5") ? "server" : "request";
}
