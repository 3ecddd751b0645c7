import { CIPHERS, type Cipher, encryptLogon, importLogonKey, type LogonKey, newIv, newRequestId, signRequest, type WebCrypto } from "./crypto.ts";
import { VerifyMobileError, type VerifyResult } from "./envelope.ts";
export type { Carrier, ErrorFamily, MatchCode, VerifyResult } from "./envelope.ts";
export type { Cipher, LogonKey, WebCrypto };
export { CIPHERS, encryptLogon, importLogonKey, newIv, newRequestId, signRequest, VerifyMobileError };
export declare const PATH = "/api/personalInfo/verifyMobile";
/**
 * Per attempt: the service's UPSTREAM_DEADLINE_MS (10 000) plus 5 000 for the network, so the
 * service's own 501 arrives before the client gives up (docs/contract.md §9, docs/clients.md).
 */
export declare const DEFAULT_TIMEOUT_MS = 15000;
/** Retries after the first attempt. */
export declare const DEFAULT_RETRIES = 2;
/** All attempts and the waits between them: three whole attempts fit. */
export declare const DEFAULT_DEADLINE_MS = 60000;
/** Backoff before retry n (1, 2, …): min(cap, 500 ms × 2^(n−1)), scaled by a random 50–100 %. */
export declare const RETRY_DELAY_MS: {
    readonly initial: 500;
    readonly max: 5000;
};
export type Identity = {
    idCard: string;
    userName: string;
    loginphone: string;
};
/** Any fetch: the global one, a Worker's service binding's `fetch`, a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type ClientOptions = {
    /** e.g. `https://verify.example.com` (a path prefix is kept). */
    baseUrl: string;
    token: string;
    /** aes-cbc / aes-gcm: 16 or 32 characters (UTF-8 bytes), AES-128 or AES-256; sm4-cbc: 16. */
    logonKey: string;
    /** The account's cipher, default `aes-cbc`. */
    cipher?: Cipher;
    /** Send the `sign` field (accounts with require-sign), default false. */
    sign?: boolean;
    /** Deadline per attempt, default DEFAULT_TIMEOUT_MS. */
    timeoutMs?: number;
    /** Retries after a transport failure or a 501–504, default DEFAULT_RETRIES; 0 turns them off. */
    retries?: number;
    /** Deadline for the whole call, retries and waits included, default DEFAULT_DEADLINE_MS. */
    deadlineMs?: number;
    fetch?: FetchLike;
    /** WebCrypto, default `globalThis.crypto`; on Node 18 pass `(await import("node:crypto")).webcrypto`. */
    crypto?: WebCrypto;
};
export type VerifyOptions = {
    /** Your own id for this logical call (1–64 printable ASCII); default a new random one. */
    requestId?: string;
};
export type VerifyMobileClient = {
    verify(identity: Identity, options?: VerifyOptions): Promise<VerifyResult>;
};
export declare function createClient(options: ClientOptions): VerifyMobileClient;
/** The wait before retry `attempt`: jittered exponential, at least what Retry-After asked. */
export declare function backoff(attempt: number, retryAfterSeconds: number | null, random?: number): number;
