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
export declare class VerifyMobileError extends Error {
    readonly name = "VerifyMobileError";
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
    requestId: string | null;
    attempts: number;
    constructor(family: ErrorFamily, code: string, detail: string, reason: string | null, orderNo: string | null, retryAfter?: number | null, cause?: unknown);
    /**
     * Whether the client retries it: 501–504 (not billed, docs/contract.md §5) and a timeout or a
     * network failure (the same requestId makes the retry idempotent, §6). Never 1xx, 3xx or 500.
     */
    get retryable(): boolean;
}
/** The envelope's answer: a result, or the error it stands for. */
export declare function readEnvelope(text: string, status: number, headers: Headers): Omit<VerifyResult, "requestId" | "attempts">;
