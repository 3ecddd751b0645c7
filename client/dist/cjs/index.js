"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VerifyMobileError = exports.ORDER_HEADER = exports.PATH = exports.newIv = exports.importLogonKey = exports.encryptLogon = void 0;
exports.createClient = createClient;
// A client for POST /api/personalInfo/verifyMobile (docs/contract.md). No dependencies and no `node:`
// imports: fetch, WebCrypto, TextEncoder and AbortController only, so the same file runs on
// Node ≥ 18, Cloudflare Workers, Deno and browsers.
const crypto_ts_1 = require("./crypto.js");
Object.defineProperty(exports, "encryptLogon", { enumerable: true, get: function () { return crypto_ts_1.encryptLogon; } });
Object.defineProperty(exports, "importLogonKey", { enumerable: true, get: function () { return crypto_ts_1.importLogonKey; } });
Object.defineProperty(exports, "newIv", { enumerable: true, get: function () { return crypto_ts_1.newIv; } });
exports.PATH = "/api/personalInfo/verifyMobile";
exports.ORDER_HEADER = "X-Order-No";
class VerifyMobileError extends Error {
    name = "VerifyMobileError";
    family;
    /** The envelope's errorCode ("105", "309", "503", …) or, for transport, `timeout` | `network` | `bad-response`. */
    code;
    /** The envelope's errorDetail (documented Chinese text), or what went wrong in transport. */
    detail;
    /** The envelope's errorReason: a short cause, e.g. which logon mistake made a 307. */
    reason;
    /** The service's order number (X-Order-No) when an answer arrived: quote it to support. */
    orderNo;
    constructor(family, code, detail, reason, orderNo, cause) {
        super(`${code} ${detail}${reason ? ` (${reason})` : ""}`, cause === undefined ? undefined : { cause });
        this.family = family;
        this.code = code;
        this.detail = detail;
        this.reason = reason;
        this.orderNo = orderNo;
    }
    /** Not billed and worth sending again at once (docs/contract.md §5): the upstream family only. */
    get retryable() {
        return this.family === "upstream";
    }
}
exports.VerifyMobileError = VerifyMobileError;
const RESULTS = {
    "10000": "consistent",
    "10001": "inconsistent",
    "10002": "unknown",
};
function createClient(options) {
    const { token, timeoutMs = 10_000, retries = 0 } = options;
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
    if (!Number.isInteger(retries) || retries < 0)
        throw new TypeError("retries must be a whole number ≥ 0");
    const key = (0, crypto_ts_1.importLogonKey)(webCrypto, options.logonKey); // throws at once on a wrong key length
    key.catch(() => undefined); // a rejection surfaces at verify(), not as an unhandled rejection
    const send = options.fetch ?? ((input, init) => fetch(input, init));
    async function once(identity) {
        const iv = (0, crypto_ts_1.newIv)(webCrypto); // a new iv for every request, retries included
        const json = JSON.stringify({
            idCard: identity.idCard,
            userName: identity.userName,
            loginphone: identity.loginphone,
        });
        const body = new URLSearchParams({ token, iv, logon: await (0, crypto_ts_1.encryptLogon)(webCrypto, await key, iv, json) });
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
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
            const orderNo = response?.headers.get(exports.ORDER_HEADER) ?? null;
            if (controller.signal.aborted)
                throw new VerifyMobileError("transport", "timeout", `no answer within ${timeoutMs} ms`, null, orderNo, error);
            throw new VerifyMobileError("transport", "network", "the request failed before an answer arrived", errorText(error), orderNo, error);
        }
        finally {
            clearTimeout(timer);
        }
        return readEnvelope(text, response.status, response.headers.get(exports.ORDER_HEADER));
    }
    return {
        async verify(identity) {
            for (let attempt = 0;; attempt++) {
                try {
                    return await once(identity);
                }
                catch (error) {
                    // Resend only what the service says it did not bill: a 501–504 envelope (docs/contract.md §5,
                    // "only 200 results are billable … everything else can be retried at once"; such answers
                    // also leave no duplicate fingerprint, so the resend cannot meet a 309). A timeout or a
                    // network error is never resent: fetch cannot tell "never sent" from "sent, answer lost",
                    // and a request that reached the service may have been answered and billed. 1xx/3xx/500
                    // would fail the same way again.
                    if (attempt < retries && error instanceof VerifyMobileError && error.retryable)
                        continue;
                    throw error;
                }
            }
        },
    };
}
function readEnvelope(text, status, orderNo) {
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new VerifyMobileError("transport", "bad-response", `HTTP ${status}: the answer is not JSON`, null, orderNo);
    }
    const envelope = body;
    const { errorCode, errorDetail, errorReason } = envelope ?? {};
    if (typeof errorCode !== "string" ||
        typeof errorDetail !== "string" ||
        !(errorReason === null || typeof errorReason === "string")) {
        throw new VerifyMobileError("transport", "bad-response", `HTTP ${status}: the answer is not a verifyMobile envelope`, null, orderNo);
    }
    if (errorCode !== "200")
        throw new VerifyMobileError(familyOf(errorCode), errorCode, errorDetail, errorReason, orderNo);
    const result = RESULTS[String(envelope.returnCode)];
    const info = envelope.info;
    if (!result ||
        typeof info?.orderNo !== "string" ||
        typeof info.billable !== "boolean" ||
        typeof info.duplicate !== "boolean") {
        throw new VerifyMobileError("transport", "bad-response", `HTTP ${status}: a 200 envelope without a result`, null, orderNo);
    }
    const matchCode = typeof info.matchCode === "string" ? info.matchCode : null;
    return { result, matchCode, orderNo: info.orderNo, billable: info.billable, duplicate: info.duplicate };
}
function familyOf(code) {
    if (code.startsWith("1"))
        return "token";
    if (/^50[1-4]$/.test(code))
        return "upstream";
    return code.startsWith("5") ? "server" : "request";
}
/** The error's message and its cause's (Node's fetch says only "fetch failed", the cause says why). */
function errorText(error) {
    if (!(error instanceof Error))
        return String(error);
    return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
