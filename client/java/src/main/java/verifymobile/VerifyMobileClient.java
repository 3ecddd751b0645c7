// A Java client for POST /api/personalInfo/verifyMobile (docs/contract.md §1–§4), the same
// behaviour as the TypeScript client (client/index.ts): a fresh iv per request, a typed result,
// typed errors by family, resends only after 501–504. JDK 11+ only (java.net.http, javax.crypto):
// copy this one file into your project, no library needed.
package verifymobile;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * <pre>
 * VerifyMobileClient client = VerifyMobileClient.builder("https://verify.example.com", token, logonKey).retries(2).build();
 * try {
 *     VerifyMobileClient.Result r = client.verify("110101199003071233", "张三", "13800138000");
 *     // r.outcome(): CONSISTENT | INCONSISTENT | UNKNOWN; r.matchCode(), r.orderNo(), r.billable(), r.duplicate()
 * } catch (VerifyMobileClient.VerifyMobileException e) {
 *     // e.family(): TOKEN | REQUEST | UPSTREAM | SERVER | TRANSPORT; e.code(), e.detail(), e.reason(), e.orderNo()
 * }
 * </pre>
 * Thread-safe: build one client and share it.
 */
public final class VerifyMobileClient {
    public static final String PATH = "/api/personalInfo/verifyMobile";
    public static final String ORDER_HEADER = "X-Order-No";

    /** The envelope's returnCode: 10000 consistent, 10001 inconsistent, 10002 unknown. */
    public enum Outcome { CONSISTENT, INCONSISTENT, UNKNOWN }

    /**
     * TOKEN: 1xx; REQUEST: 3xx; UPSTREAM: 501–504 (not billed, safe to send again); SERVER: 500;
     * TRANSPORT: no envelope came back (code {@code timeout}, {@code network} or {@code bad-response}).
     */
    public enum Family { TOKEN, REQUEST, UPSTREAM, SERVER, TRANSPORT }

    /** A 200 answer. */
    public static final class Result {
        private final Outcome outcome;
        private final String matchCode;
        private final String orderNo;
        private final boolean billable;
        private final boolean duplicate;

        Result(Outcome outcome, String matchCode, String orderNo, boolean billable, boolean duplicate) {
            this.outcome = outcome;
            this.matchCode = matchCode;
            this.orderNo = orderNo;
            this.billable = billable;
            this.duplicate = duplicate;
        }

        public Outcome outcome() { return outcome; }
        /** 11 match, 21 name wrong, 22 ID wrong, 23 both wrong, 24 mismatch (which is unknown), or null. */
        public String matchCode() { return matchCode; }
        /** The service's order number. */
        public String orderNo() { return orderNo; }
        /** Whether this answer was charged: the service bills only fresh 200 results. */
        public boolean billable() { return billable; }
        /** A replay of a result given within the account's duplicate window (policy {@code replay}). */
        public boolean duplicate() { return duplicate; }

        @Override
        public String toString() {
            return "Result{outcome=" + outcome + ", matchCode=" + matchCode + ", orderNo=" + orderNo + ", billable=" + billable + ", duplicate=" + duplicate + "}";
        }
    }

    /** Everything that is not a result. */
    public static final class VerifyMobileException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Family family;
        private final String code;
        private final String detail;
        private final String reason;
        private final String orderNo;

        VerifyMobileException(Family family, String code, String detail, String reason, String orderNo, Throwable cause) {
            super(code + " " + detail + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"), cause);
            this.family = family;
            this.code = code;
            this.detail = detail;
            this.reason = reason;
            this.orderNo = orderNo;
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
        /** Not billed and worth sending again at once (docs/contract.md §4): the UPSTREAM family only. */
        public boolean isRetryable() { return family == Family.UPSTREAM; }
    }

    public static Builder builder(String baseUrl, String token, String logonKey) {
        return new Builder(baseUrl, token, logonKey);
    }

    public static final class Builder {
        private final String baseUrl;
        private final String token;
        private final String logonKey;
        private Duration timeout = Duration.ofSeconds(10);
        private int retries = 0;
        private HttpClient httpClient;

        private Builder(String baseUrl, String token, String logonKey) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.token = Objects.requireNonNull(token, "token");
            this.logonKey = Objects.requireNonNull(logonKey, "logonKey");
        }

        /**
         * Deadline per attempt, default 10 s. Keep it above the service's UPSTREAM_TIMEOUT_MS (5 s by
         * default), so the service answers 501 itself instead of the client giving up on a request
         * that may still be billed.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How many times to resend after a 501–504 envelope, default 0. Nothing else is ever resent. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** Default: a client with the timeout as connect timeout. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        public VerifyMobileClient build() {
            return new VerifyMobileClient(this);
        }
    }

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI uri;
    private final String token;
    private final SecretKeySpec key;
    private final Duration timeout;
    private final int retries;
    private final HttpClient http;

    private VerifyMobileClient(Builder b) {
        // Every mistake in the settings fails here, not at the first request.
        this.uri = URI.create(b.baseUrl.replaceAll("/+$", "") + PATH);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) throw new IllegalArgumentException("baseUrl must be http:// or https://");
        if (b.token.isEmpty()) throw new IllegalArgumentException("token is required");
        if (b.timeout.isNegative() || b.timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (b.retries < 0) throw new IllegalArgumentException("retries must be a whole number ≥ 0");
        byte[] raw = b.logonKey.getBytes(StandardCharsets.UTF_8);
        if (raw.length != 16 && raw.length != 32) {
            throw new IllegalArgumentException("logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got " + raw.length);
        }
        this.token = b.token;
        this.key = new SecretKeySpec(raw, "AES");
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public Result verify(String idCard, String userName, String loginphone) throws VerifyMobileException {
        String json = "{\"idCard\":" + quote(idCard) + ",\"userName\":" + quote(userName) + ",\"loginphone\":" + quote(loginphone) + "}";
        for (int attempt = 0; ; attempt++) {
            try {
                return once(json);
            } catch (VerifyMobileException e) {
                // Resend only what the service says it did not bill: a 501–504 envelope (docs/contract.md
                // §7: only 200 results are billable). A timeout or network error is never resent: the
                // request may have reached the service and been answered and billed.
                if (attempt < retries && e.isRetryable()) continue;
                throw e;
            }
        }
    }

    private Result once(String json) throws VerifyMobileException {
        String iv = newIv(); // a new iv for every request, retries included
        String form = "token=" + formEncode(token) + "&iv=" + formEncode(iv) + "&logon=" + formEncode(encryptLogon(key, iv, json));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new VerifyMobileException(Family.TRANSPORT, "timeout", "no answer within " + timeout.toMillis() + " ms", null, null, e);
        } catch (IOException e) {
            throw new VerifyMobileException(Family.TRANSPORT, "network", "the request failed before an answer arrived", String.valueOf(e.getMessage()), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyMobileException(Family.TRANSPORT, "network", "the request failed before an answer arrived", "interrupted", null, e);
        }
        return readEnvelope(response.body(), response.statusCode(), response.headers().firstValue(ORDER_HEADER).orElse(null));
    }

    static Result readEnvelope(String text, int status, String orderNo) throws VerifyMobileException {
        Object body;
        try {
            body = new Json(text).document();
        } catch (IllegalArgumentException e) {
            throw new VerifyMobileException(Family.TRANSPORT, "bad-response", "HTTP " + status + ": the answer is not JSON", null, orderNo, e);
        }
        Map<?, ?> envelope = body instanceof Map ? (Map<?, ?>) body : Map.of();
        Object errorCode = envelope.get("errorCode");
        Object errorDetail = envelope.get("errorDetail");
        Object errorReason = envelope.get("errorReason");
        if (!(errorCode instanceof String) || !(errorDetail instanceof String) || !(errorReason == null || errorReason instanceof String)) {
            throw new VerifyMobileException(Family.TRANSPORT, "bad-response", "HTTP " + status + ": the answer is not a verifyMobile envelope", null, orderNo, null);
        }
        String code = (String) errorCode;
        if (!code.equals("200")) throw new VerifyMobileException(familyOf(code), code, (String) errorDetail, (String) errorReason, orderNo, null);
        Outcome outcome = outcomeOf(String.valueOf(envelope.get("returnCode")));
        Map<?, ?> info = envelope.get("info") instanceof Map ? (Map<?, ?>) envelope.get("info") : Map.of();
        Object infoOrderNo = info.get("orderNo");
        Object billable = info.get("billable");
        Object duplicate = info.get("duplicate");
        if (outcome == null || !(infoOrderNo instanceof String) || !(billable instanceof Boolean) || !(duplicate instanceof Boolean)) {
            throw new VerifyMobileException(Family.TRANSPORT, "bad-response", "HTTP " + status + ": a 200 envelope without a result", null, orderNo, null);
        }
        Object matchCode = info.get("matchCode");
        return new Result(outcome, matchCode instanceof String ? (String) matchCode : null, (String) infoOrderNo, (Boolean) billable, (Boolean) duplicate);
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

    /** A fresh 16-character alphanumeric iv: its UTF-8 bytes are the AES-CBC IV. */
    static String newIv() {
        StringBuilder iv = new StringBuilder(16);
        for (int i = 0; i < 16; i++) iv.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        return iv.toString();
    }

    /** base64(AES-CBC/PKCS#7(key, iv = UTF-8 bytes of iv, UTF-8 bytes of json)): the logon parameter. */
    static String encryptLogon(SecretKeySpec key, String iv, String json) {
        try {
            // "PKCS5Padding" is Java's name for PKCS#7 with 16-byte AES blocks; the key length picks AES-128 or AES-256.
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv.getBytes(StandardCharsets.UTF_8)));
            return Base64.getEncoder().encodeToString(cipher.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // Every JDK has AES/CBC/PKCS5Padding, and the key length was checked when the client was built.
            throw new IllegalStateException(e);
        }
    }

    /** base64 contains + / =: unencoded, a + would arrive as a space. */
    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A JSON string literal. */
    static String quote(String value) {
        Objects.requireNonNull(value);
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    /** Just enough JSON for the envelope: objects, arrays, strings, numbers, true, false, null. */
    private static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            space();
            if (at != text.length()) throw error();
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) throw error();
            char c = text.charAt(at);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (text.startsWith("true", at)) { at += 4; return Boolean.TRUE; }
            if (text.startsWith("false", at)) { at += 5; return Boolean.FALSE; }
            if (text.startsWith("null", at)) { at += 4; return null; }
            return number();
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            at++;
            space();
            if (peek('}')) return out;
            do {
                space();
                if (!peekAt('"')) throw error();
                String name = string();
                space();
                expect(':');
                out.put(name, value());
                space();
            } while (peek(','));
            expect('}');
            return out;
        }

        private List<Object> array() {
            List<Object> out = new ArrayList<>();
            at++;
            space();
            if (peek(']')) return out;
            do out.add(value()); while (skipSpaceThen(','));
            expect(']');
            return out;
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                if (at >= text.length()) throw error();
                char c = text.charAt(at++);
                if (c == '"') return out.toString();
                if (c < 0x20) throw error();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) throw error();
                char e = text.charAt(at++);
                switch (e) {
                    case '"': case '\\': case '/': out.append(e); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'u':
                        if (at + 4 > text.length()) throw error();
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error();
                        }
                        at += 4;
                        break;
                    default: throw error();
                }
            }
        }

        private BigDecimal number() {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
            try {
                return new BigDecimal(text.substring(start, at));
            } catch (NumberFormatException e) {
                throw error();
            }
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
        }

        private boolean peekAt(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private boolean peek(char c) {
            if (!peekAt(c)) return false;
            at++;
            return true;
        }

        private boolean skipSpaceThen(char c) {
            space();
            return peek(c);
        }

        private void expect(char c) {
            space();
            if (!peek(c)) throw error();
        }

        private IllegalArgumentException error() {
            return new IllegalArgumentException("not JSON at character " + at);
        }
    }
}
