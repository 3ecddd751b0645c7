// A Java client for POST /api/personalInfo/verifyMobile (docs/contract.md §1–§6), the same
// behaviour as the TypeScript client (client/index.ts): a requestId per call, retries on transport
// failures and 501–504 with that requestId and a fresh iv (jittered exponential backoff, one
// deadline), typed results and errors by family. JDK 11+ only (java.net.http, javax.crypto): copy
// the four files of this folder into your project, no library needed.
package verifymobile;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * <pre>
 * VerifyMobileClient client = VerifyMobileClient.builder("https://verify.example.com", token, logonKey).build();
 * try {
 *     VerifyMobileClient.Result r = client.verify("110101199003071233", "张三", "13800138000");
 *     // r.outcome(): CONSISTENT | INCONSISTENT | UNKNOWN; r.matchCode(), r.carrier(), r.orderNo(), r.billable(), r.duplicate()
 * } catch (VerifyMobileClient.VerifyMobileException e) {
 *     // e.family(): TOKEN | REQUEST | UPSTREAM | SERVER | TRANSPORT; e.code(), e.detail(), e.reason(), e.orderNo()
 * }
 * </pre>
 * Thread-safe: build one client and share it.
 */
public final class VerifyMobileClient {
    public static final String PATH = "/api/personalInfo/verifyMobile";
    /** Per attempt: the service's UPSTREAM_DEADLINE_MS (10 s) plus 5 s, so its own 501 arrives first (docs/clients.md). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(15_000);
    public static final int DEFAULT_RETRIES = 2;
    /** The whole call, retries and waits included: three whole attempts fit. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(60_000);

    /** The envelope's returnCode: 10000 consistent, 10001 inconsistent, 10002 unknown. */
    public enum Outcome { CONSISTENT, INCONSISTENT, UNKNOWN }

    /** The network that answered for the number (docs/contract.md §5). */
    public enum Carrier { CMCC, CUCC, CTCC, CBN }

    /**
     * TOKEN: 1xx; REQUEST: 3xx; UPSTREAM: 501–504 (not billed, retried); SERVER: 500;
     * TRANSPORT: no envelope came back (code {@code timeout}, {@code network} or {@code bad-response}).
     */
    public enum Family { TOKEN, REQUEST, UPSTREAM, SERVER, TRANSPORT }

    /** A 200 answer. */
    public static final class Result {
        private final Outcome outcome;
        private final String matchCode;
        private final Carrier carrier;
        private final String orderNo;
        private final boolean billable;
        private final boolean duplicate;
        private final String requestId;
        private final int attempts;

        Result(Outcome outcome, String matchCode, Carrier carrier, String orderNo, boolean billable, boolean duplicate, String requestId, int attempts) {
            this.outcome = outcome;
            this.matchCode = matchCode;
            this.carrier = carrier;
            this.orderNo = orderNo;
            this.billable = billable;
            this.duplicate = duplicate;
            this.requestId = requestId;
            this.attempts = attempts;
        }

        public Outcome outcome() { return outcome; }
        /** 11 match, 21 name wrong, 22 ID wrong, 23 both wrong, 24 mismatch (which is unknown), or null. */
        public String matchCode() { return matchCode; }
        /** The carrier, or null when unknown. */
        public Carrier carrier() { return carrier; }
        /** The service's order number; a replay carries the first answer's. */
        public String orderNo() { return orderNo; }
        /** Whether this answer was charged: the service bills only fresh 200 results. */
        public boolean billable() { return billable; }
        /** A replay: of an earlier answer to this requestId, or within the duplicate window (policy replay). */
        public boolean duplicate() { return duplicate; }
        /** The call's requestId, the same on every attempt. */
        public String requestId() { return requestId; }
        /** How many requests the call sent. */
        public int attempts() { return attempts; }
    }

    /** Everything that is not a result. */
    public static final class VerifyMobileException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Family family;
        private final String code;
        private final String detail;
        private final String reason;
        private final String orderNo;
        private final long retryAfterSeconds;
        private String requestId;
        private int attempts = 1;

        VerifyMobileException(Family family, String code, String detail, String reason, String orderNo, long retryAfterSeconds, Throwable cause) {
            super(code + " " + detail + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"), cause);
            this.family = family;
            this.code = code;
            this.detail = detail;
            this.reason = reason;
            this.orderNo = orderNo;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public Family family() { return family; }
        /** The envelope's errorCode ("105", "309", "503", …) or, for TRANSPORT, timeout | network | bad-response. */
        public String code() { return code; }
        /** The envelope's errorDetail (documented Chinese text), or what went wrong in transport. */
        public String detail() { return detail; }
        /** The envelope's errorReason: a short cause, e.g. which logon mistake made a 307; may be null. */
        public String reason() { return reason; }
        /** The service's order number (X-Order-No) when an answer arrived: quote it to support. */
        public String orderNo() { return orderNo; }
        /** The call's requestId. */
        public String requestId() { return requestId; }
        /** How many requests the call sent before giving up. */
        public int attempts() { return attempts; }
        /** Whether the client retries it: 501–504 and a timeout or network failure; never 1xx, 3xx, 500. */
        public boolean isRetryable() {
            return family == Family.UPSTREAM || (family == Family.TRANSPORT && !code.equals("bad-response"));
        }
    }

    public static Builder builder(String baseUrl, String token, String logonKey) {
        return new Builder(baseUrl, token, logonKey);
    }

    public static final class Builder {
        private final String baseUrl;
        private final String token;
        private final String logonKey;
        private LogonCipher cipher = LogonCipher.AES_CBC;
        private boolean sign;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration deadline = DEFAULT_DEADLINE;
        private int retries = DEFAULT_RETRIES;
        private HttpClient httpClient;

        private Builder(String baseUrl, String token, String logonKey) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.token = Objects.requireNonNull(token, "token");
            this.logonKey = Objects.requireNonNull(logonKey, "logonKey");
        }

        /** The account's cipher, default AES_CBC. */
        public Builder cipher(LogonCipher cipher) { this.cipher = Objects.requireNonNull(cipher, "cipher"); return this; }
        /** Send the sign field (accounts with require-sign), default false. */
        public Builder sign(boolean sign) { this.sign = sign; return this; }
        /** Deadline per attempt, default DEFAULT_TIMEOUT (15 s). */
        public Builder timeout(Duration timeout) { this.timeout = Objects.requireNonNull(timeout, "timeout"); return this; }
        /** Deadline of the whole call, default DEFAULT_DEADLINE (60 s). */
        public Builder deadline(Duration deadline) { this.deadline = Objects.requireNonNull(deadline, "deadline"); return this; }
        /** Retries after a transport failure or a 501–504, default 2; 0 turns them off. */
        public Builder retries(int retries) { this.retries = retries; return this; }
        /** Default: a client with the timeout as connect timeout. */
        public Builder httpClient(HttpClient httpClient) { this.httpClient = Objects.requireNonNull(httpClient, "httpClient"); return this; }

        public VerifyMobileClient build() { return new VerifyMobileClient(this); }
    }

    private final URI uri;
    private final String token;
    private final LogonCipher cipher;
    private final byte[] key;
    private final boolean sign;
    private final Duration timeout;
    private final Duration deadline;
    private final int retries;
    private final HttpClient http;

    private VerifyMobileClient(Builder b) {
        // Every mistake in the settings fails here, not at the first request.
        this.uri = URI.create(b.baseUrl.replaceAll("/+$", "") + PATH);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) throw new IllegalArgumentException("baseUrl must be http:// or https://");
        if (b.token.isEmpty()) throw new IllegalArgumentException("token is required");
        if (b.timeout.isNegative() || b.timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (b.deadline.isNegative() || b.deadline.isZero()) throw new IllegalArgumentException("deadline must be positive");
        if (b.retries < 0) throw new IllegalArgumentException("retries must be a whole number ≥ 0");
        this.key = b.cipher.keyBytes(b.logonKey);
        this.token = b.token;
        this.cipher = b.cipher;
        this.sign = b.sign;
        this.timeout = b.timeout;
        this.deadline = b.deadline;
        this.retries = b.retries;
        this.http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    /** One logical call with a new random requestId. */
    public Result verify(String idCard, String userName, String loginphone) throws VerifyMobileException {
        return verify(idCard, userName, loginphone, LogonCipher.newRequestId());
    }

    /** One logical call with your own requestId (1–64 printable ASCII), e.g. your order's id. */
    public Result verify(String idCard, String userName, String loginphone, String requestId) throws VerifyMobileException {
        if (requestId == null || !requestId.matches("[\\x20-\\x7e]{1,64}")) throw new IllegalArgumentException("requestId must be 1–64 printable ASCII characters");
        String json = "{\"idCard\":" + Json.quote(idCard) + ",\"userName\":" + Json.quote(userName) + ",\"loginphone\":" + Json.quote(loginphone) + "}";
        long end = System.nanoTime() + deadline.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                Result r = once(json, requestId, Duration.ofNanos(Math.min(timeout.toNanos(), end - System.nanoTime())));
                return new Result(r.outcome, r.matchCode, r.carrier, r.orderNo, r.billable, r.duplicate, requestId, attempt);
            } catch (VerifyMobileException e) {
                e.requestId = requestId;
                e.attempts = attempt;
                // Retried: 501–504 (never billed) and transport failures, which may have reached the
                // service: the same requestId replays a billed answer instead of billing again
                // (docs/contract.md §6). A 1xx, 3xx or 500 would fail the same way again.
                long wait = backoffMillis(attempt, e.retryAfterSeconds, ThreadLocalRandom.current().nextDouble());
                if (!e.isRetryable() || attempt > retries || System.nanoTime() + wait * 1_000_000 >= end) throw e;
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The wait before retry n: min(5 s, 500 ms × 2^(n−1)) scaled by a random 50–100 %, at least Retry-After. */
    static long backoffMillis(int attempt, long retryAfterSeconds, double random) {
        double exponential = Math.min(5_000, 500 * Math.pow(2, attempt - 1));
        return Math.max(Math.round(exponential * (0.5 + random / 2)), Math.max(0, retryAfterSeconds) * 1000);
    }

    private Result once(String json, String requestId, Duration wait) throws VerifyMobileException {
        String iv = cipher.newIv(); // a fresh iv for every attempt (nonce reuse would break GCM)
        String logon = cipher.encrypt(key, iv, json);
        String form = "token=" + formEncode(token) + "&iv=" + formEncode(iv) + "&logon=" + formEncode(logon) + "&requestId=" + formEncode(requestId);
        if (sign) form += "&sign=" + cipher.sign(key, token, iv, logon, requestId);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(wait)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new VerifyMobileException(Family.TRANSPORT, "timeout", "no answer within " + wait.toMillis() + " ms", null, null, 0, e);
        } catch (IOException e) {
            throw new VerifyMobileException(Family.TRANSPORT, "network", "the request failed before an answer arrived", String.valueOf(e.getMessage()), null, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyMobileException(Family.TRANSPORT, "network", "the request failed before an answer arrived", "interrupted", null, 0, e);
        }
        long retryAfter = response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,6}")).map(Long::parseLong).orElse(0L);
        return readEnvelope(response.body(), response.statusCode(), response.headers().firstValue("X-Order-No").orElse(null), retryAfter);
    }

    static Result readEnvelope(String text, int status, String orderNo, long retryAfter) throws VerifyMobileException {
        Object body;
        try {
            body = new Json(text).document();
        } catch (IllegalArgumentException e) {
            throw new VerifyMobileException(Family.TRANSPORT, "bad-response", "HTTP " + status + ": the answer is not JSON", null, orderNo, 0, e);
        }
        Map<?, ?> envelope = body instanceof Map ? (Map<?, ?>) body : Map.of();
        Object errorCode = envelope.get("errorCode");
        Object errorDetail = envelope.get("errorDetail");
        Object errorReason = envelope.get("errorReason");
        if (!(errorCode instanceof String) || !(errorDetail instanceof String) || !(errorReason == null || errorReason instanceof String)) {
            throw new VerifyMobileException(Family.TRANSPORT, "bad-response", "HTTP " + status + ": the answer is not a verifyMobile envelope", null, orderNo, 0, null);
        }
        String code = (String) errorCode;
        if (!code.equals("200")) throw new VerifyMobileException(familyOf(code), code, (String) errorDetail, (String) errorReason, orderNo, retryAfter, null);
        Outcome outcome = outcomeOf(String.valueOf(envelope.get("returnCode")));
        Map<?, ?> info = envelope.get("info") instanceof Map ? (Map<?, ?>) envelope.get("info") : Map.of();
        Object infoOrderNo = info.get("orderNo");
        Object billable = info.get("billable");
        Object duplicate = info.get("duplicate");
        if (outcome == null || !(infoOrderNo instanceof String) || !(billable instanceof Boolean) || !(duplicate instanceof Boolean)) {
            throw new VerifyMobileException(Family.TRANSPORT, "bad-response", "HTTP " + status + ": a 200 envelope without a result", null, orderNo, 0, null);
        }
        Object matchCode = info.get("matchCode");
        return new Result(outcome, matchCode instanceof String ? (String) matchCode : null, carrierOf(info.get("carrier")), (String) infoOrderNo, (Boolean) billable, (Boolean) duplicate, null, 1);
    }

    private static Carrier carrierOf(Object carrier) {
        for (Carrier c : Carrier.values()) if (c.name().equals(carrier)) return c;
        return null;
    }

    private static Outcome outcomeOf(String returnCode) {
        switch (returnCode) {
            case "10000": return Outcome.CONSISTENT;
            case "10001": return Outcome.INCONSISTENT;
            case "10002": return Outcome.UNKNOWN;
            default: return null;
        }
    }

    private static Family familyOf(String code) {
        if (code.startsWith("1")) return Family.TOKEN;
        if (code.matches("50[1-4]")) return Family.UPSTREAM;
        return code.startsWith("5") ? Family.SERVER : Family.REQUEST;
    }

    /** base64 contains + / =: unencoded, a + would arrive as a space. */
    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
