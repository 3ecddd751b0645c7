"use strict";
// What the client hands back: a result for a `200` envelope, a VerifyMobileError for everything
// else (docs/contract.md §3, §4), each with the order number and the call's requestId.
Object.defineProperty(exports, "__esModule", { value: true });
exports.VerifyMobileError = void 0;
exports.readEnvelope = readEnvelope;
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
    /** Seconds the service asked to wait (`Retry-After`, on the account's rate limit's 502). */
    retryAfter;
    /** The call's requestId and the number of requests it sent; set when the call gives up. */
    requestId = null;
    attempts = 1;
    constructor(family, code, detail, reason, orderNo, retryAfter = null, cause) {
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
    get retryable() {
        return this.family === "upstream" || (this.family === "transport" && this.code !== "bad-response");
    }
}
exports.VerifyMobileError = VerifyMobileError;
const RESULTS = {
    "10000": "consistent",
    "10001": "inconsistent",
    "10002": "unknown",
};
const CARRIERS = ["CMCC", "CUCC", "CTCC", "CBN"];
/** The envelope's answer: a result, or the error it stands for. */
function readEnvelope(text, status, headers) {
    const orderNo = headers.get("X-Order-No");
    const bad = (what) => new VerifyMobileError("transport", "bad-response", `HTTP ${status}: ${what}`, null, orderNo);
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw bad("the answer is not JSON");
    }
    const envelope = (body ?? {});
    const { errorCode, errorDetail, errorReason } = envelope;
    if (typeof errorCode !== "string" ||
        typeof errorDetail !== "string" ||
        !(errorReason === null || typeof errorReason === "string")) {
        throw bad("the answer is not a verifyMobile envelope");
    }
    if (errorCode !== "200") {
        const retryAfter = Number.parseInt(headers.get("Retry-After") ?? "", 10);
        throw new VerifyMobileError(familyOf(errorCode), errorCode, errorDetail, errorReason, orderNo, Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null);
    }
    const result = RESULTS[String(envelope.returnCode)];
    const info = envelope.info;
    if (!result ||
        typeof info?.orderNo !== "string" ||
        typeof info.billable !== "boolean" ||
        typeof info.duplicate !== "boolean") {
        throw bad("a 200 envelope without a result");
    }
    return {
        result,
        matchCode: typeof info.matchCode === "string" ? info.matchCode : null,
        carrier: typeof info.carrier === "string" && CARRIERS.includes(info.carrier) ? info.carrier : null,
        orderNo: info.orderNo,
        billable: info.billable,
        duplicate: info.duplicate,
    };
}
function familyOf(code) {
    if (code.startsWith("1"))
        return "token";
    if (/^50[1-4]$/.test(code))
        return "upstream";
    return code.startsWith("5") ? "server" : "request";
}
