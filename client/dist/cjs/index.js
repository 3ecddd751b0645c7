"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RETRY_DELAY_MS = exports.DEFAULT_DEADLINE_MS = exports.DEFAULT_RETRIES = exports.DEFAULT_TIMEOUT_MS = exports.PATH = exports.VerifyMobileError = exports.signRequest = exports.newRequestId = exports.newIv = exports.importLogonKey = exports.encryptLogon = exports.CIPHERS = void 0;
exports.createClient = createClient;
exports.backoff = backoff;
// A client for POST /api/personalInfo/verifyMobile (docs/contract.md). No dependencies and no `node:`
// imports: fetch, WebCrypto, TextEncoder and AbortController only, so the same files run on
// Node ≥ 18, Cloudflare Workers, Deno and browsers. Retries as Stripe's and Tencent Cloud's SDKs
// do them: one requestId per call, bounded attempts, jittered exponential backoff, one deadline.
const crypto_ts_1 = require("./crypto.js");
Object.defineProperty(exports, "CIPHERS", { enumerable: true, get: function () { return crypto_ts_1.CIPHERS; } });
Object.defineProperty(exports, "encryptLogon", { enumerable: true, get: function () { return crypto_ts_1.encryptLogon; } });
Object.defineProperty(exports, "importLogonKey", { enumerable: true, get: function () { return crypto_ts_1.importLogonKey; } });
Object.defineProperty(exports, "newIv", { enumerable: true, get: function () { return crypto_ts_1.newIv; } });
Object.defineProperty(exports, "newRequestId", { enumerable: true, get: function () { return crypto_ts_1.newRequestId; } });
Object.defineProperty(exports, "signRequest", { enumerable: true, get: function () { return crypto_ts_1.signRequest; } });
const envelope_ts_1 = require("./envelope.js");
Object.defineProperty(exports, "VerifyMobileError", { enumerable: true, get: function () { return envelope_ts_1.VerifyMobileError; } });
exports.PATH = "/api/personalInfo/verifyMobile";
/**
 * Per attempt: the service's UPSTREAM_DEADLINE_MS (10 000) plus 5 000 for the network, so the
 * service's own 501 arrives before the client gives up (docs/contract.md §9, docs/clients.md).
 */
exports.DEFAULT_TIMEOUT_MS = 15_000;
/** Retries after the first attempt. */
exports.DEFAULT_RETRIES = 2;
/** All attempts and the waits between them: three whole attempts fit. */
exports.DEFAULT_DEADLINE_MS = 60_000;
/** Backoff before retry n (1, 2, …): min(cap, 500 ms × 2^(n−1)), scaled by a random 50–100 %. */
exports.RETRY_DELAY_MS = { initial: 500, max: 5_000 };
const REQUEST_ID = /^[\x20-\x7e]{1,64}$/;
function createClient(options) {
    const { token, cipher = "aes-cbc", sign = false, timeoutMs = exports.DEFAULT_TIMEOUT_MS, retries = exports.DEFAULT_RETRIES, deadlineMs = exports.DEFAULT_DEADLINE_MS, } = options;
    const found = options.crypto ?? globalThis.crypto;
    if (!found?.subtle)
        throw new TypeError("no WebCrypto here: pass { crypto: (await import('node:crypto')).webcrypto } on Node 18");
    const webCrypto = found;
    const url = options.baseUrl.replace(/\/+$/, "") + exports.PATH;
    new URL(url); // throws a TypeError on a malformed baseUrl, now rather than at the first request
    if (!token)
        throw new TypeError("token is required");
    if (!(timeoutMs > 0))
        throw new TypeError("timeoutMs must be a positive number");
    if (!(deadlineMs > 0))
        throw new TypeError("deadlineMs must be a positive number");
    if (!Number.isInteger(retries) || retries < 0)
        throw new TypeError("retries must be a whole number ≥ 0");
    const key = (0, crypto_ts_1.importLogonKey)(webCrypto, options.logonKey, cipher); // throws at once on a wrong key
    const send = options.fetch ?? ((input, init) => fetch(input, init));
    async function once(json, requestId, waitMs) {
        const iv = (0, crypto_ts_1.newIv)(webCrypto, cipher); // a fresh iv for every attempt (nonce reuse would break GCM)
        const logon = await (0, crypto_ts_1.encryptLogon)(webCrypto, key, iv, json);
        const body = new URLSearchParams({ token, iv, logon, requestId });
        if (sign)
            body.set("sign", await (0, crypto_ts_1.signRequest)(webCrypto, key, { token, iv, logon, requestId }));
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), waitMs);
        let response;
        let text;
        try {
            response = await send(url, {
                method: "POST",
                headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
                body: body.toString(),
                signal: controller.signal,
            });
            text = await response.text();
        }
        catch (error) {
            const orderNo = response?.headers.get("X-Order-No") ?? null;
            if (controller.signal.aborted)
                throw new envelope_ts_1.VerifyMobileError("transport", "timeout", `no answer within ${waitMs} ms`, null, orderNo, null, error);
            const detail = "the request failed before an answer arrived";
            throw new envelope_ts_1.VerifyMobileError("transport", "network", detail, errorText(error), orderNo, null, error);
        }
        finally {
            clearTimeout(timer);
        }
        return (0, envelope_ts_1.readEnvelope)(text, response.status, response.headers);
    }
    return {
        async verify(identity, verifyOptions = {}) {
            const requestId = verifyOptions.requestId ?? (0, crypto_ts_1.newRequestId)(webCrypto);
            if (!REQUEST_ID.test(requestId))
                throw new TypeError("requestId must be 1–64 printable ASCII characters");
            const json = JSON.stringify({
                idCard: identity.idCard,
                userName: identity.userName,
                loginphone: identity.loginphone,
            });
            const deadline = Date.now() + deadlineMs;
            for (let attempt = 1;; attempt++) {
                try {
                    const answer = await once(json, requestId, Math.min(timeoutMs, deadline - Date.now()));
                    return { ...answer, requestId, attempts: attempt };
                }
                catch (error) {
                    if (!(error instanceof envelope_ts_1.VerifyMobileError))
                        throw error;
                    error.requestId = requestId;
                    error.attempts = attempt;
                    // Retried: 501–504 (never billed) and transport failures, which may have reached the
                    // service: the same requestId makes the retry replay a billed answer instead of billing
                    // again (docs/contract.md §6). A 1xx, 3xx or 500 would fail the same way again.
                    const wait = backoff(attempt, error.retryAfter);
                    if (!error.retryable || attempt > retries || Date.now() + wait >= deadline)
                        throw error;
                    await new Promise((resolve) => setTimeout(resolve, wait));
                }
            }
        },
    };
}
/** The wait before retry `attempt`: jittered exponential, at least what Retry-After asked. */
function backoff(attempt, retryAfterSeconds, random = Math.random()) {
    const exponential = Math.min(exports.RETRY_DELAY_MS.max, exports.RETRY_DELAY_MS.initial * 2 ** (attempt - 1));
    return Math.max(Math.round(exponential * (0.5 + random / 2)), (retryAfterSeconds ?? 0) * 1000);
}
/** The error's message and its cause's (Node's fetch says only "fetch failed", the cause says why). */
function errorText(error) {
    if (!(error instanceof Error))
        return String(error);
    return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
