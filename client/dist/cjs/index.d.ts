import { encryptLogon, importLogonKey, newIv, type WebCrypto } from "./crypto.ts";
export type { WebCrypto };
export { encryptLogon, importLogonKey, newIv };
export declare const PATH = "/api/personalInfo/verifyMobile";
export declare const ORDER_HEADER = "X-Order-No";
export type Identity = {
    idCard: string;
    userName: string;
    loginphone: string;
};
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
    constructor(family: ErrorFamily, code: string, detail: string, reason: string | null, orderNo: string | null, cause?: unknown);
    /** Not billed and worth sending again at once (docs/contract.md §5): the upstream family only. */
    get retryable(): boolean;
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
export type VerifyMobileClient = {
    verify(identity: Identity): Promise<VerifyResult>;
};
export declare function createClient(options: ClientOptions): VerifyMobileClient;
