// The Java client under the conformance driver protocol (test/client/conformance.md): one case per
// stdin line of TAB-separated name=value pairs, one JSON line per case on stdout (UTF-8 both ways).
package verifymobile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

public final class ClientDriver {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            Map<String, String> f = new HashMap<>();
            for (String pair : line.split("\t", -1)) {
                int at = pair.indexOf('=');
                if (at >= 0) f.put(pair.substring(0, at), pair.substring(at + 1));
            }
            out.println("{\"case\":" + text(f.get("case")) + "," + run(f) + "}");
        }
    }

    private static String run(Map<String, String> f) {
        LogonCipher cipher = LogonCipher.of(f.getOrDefault("cipher", "aes-cbc"));
        switch (f.getOrDefault("op", "verify")) {
            case "defaults":
                return "\"timeoutMs\":" + VerifyMobileClient.DEFAULT_TIMEOUT.toMillis() + ",\"retries\":" + VerifyMobileClient.DEFAULT_RETRIES
                        + ",\"deadlineMs\":" + VerifyMobileClient.DEFAULT_DEADLINE.toMillis();
            case "sm":
                byte[] key = hex(f.get("key"));
                byte[] message = hex(f.get("message"));
                return "\"sm4\":" + text(hex(Sm.sm4Block(key, hex(f.get("block"))))) + ",\"sm3\":" + text(hex(Sm.sm3(message)))
                        + ",\"hmacSm3\":" + text(hex(Sm.hmacSm3(key, message)));
            case "encrypt":
                return "\"logon\":" + text(cipher.encrypt(cipher.keyBytes(f.get("key")), f.get("iv"), f.get("json")));
            case "sign":
                return "\"sign\":" + text(cipher.sign(cipher.keyBytes(f.get("key")), f.get("token"), f.get("iv"), f.get("logon"), f.getOrDefault("requestId", "")));
            default:
                return verify(f, cipher);
        }
    }

    private static String verify(Map<String, String> f, LogonCipher cipher) {
        try {
            VerifyMobileClient.Builder b = VerifyMobileClient.builder(f.get("base"), f.get("token"), f.get("key")).cipher(cipher).sign("true".equals(f.get("sign")));
            if (!f.getOrDefault("retries", "").isEmpty()) b.retries(Integer.parseInt(f.get("retries")));
            if (!f.getOrDefault("timeoutMs", "").isEmpty()) b.timeout(Duration.ofMillis(Long.parseLong(f.get("timeoutMs"))));
            VerifyMobileClient client = b.build();
            String requestId = f.getOrDefault("requestId", "");
            VerifyMobileClient.Result r = requestId.isEmpty()
                    ? client.verify(f.get("idCard"), f.get("userName"), f.get("loginphone"))
                    : client.verify(f.get("idCard"), f.get("userName"), f.get("loginphone"), requestId);
            return "\"result\":" + text(r.outcome().name().toLowerCase(java.util.Locale.ROOT)) + ",\"matchCode\":" + text(r.matchCode())
                    + ",\"carrier\":" + text(r.carrier() == null ? null : r.carrier().name()) + ",\"orderNo\":" + text(r.orderNo())
                    + ",\"billable\":" + r.billable() + ",\"duplicate\":" + r.duplicate() + ",\"requestId\":" + text(r.requestId()) + ",\"attempts\":" + r.attempts();
        } catch (IllegalArgumentException e) {
            return "\"invalid\":" + text(e.getMessage());
        } catch (VerifyMobileClient.VerifyMobileException e) {
            return "\"family\":" + text(e.family().name().toLowerCase(java.util.Locale.ROOT)) + ",\"code\":" + text(e.code()) + ",\"detail\":" + text(e.detail())
                    + ",\"reason\":" + text(e.reason()) + ",\"orderNo\":" + text(e.orderNo()) + ",\"requestId\":" + text(e.requestId())
                    + ",\"attempts\":" + e.attempts() + ",\"retryable\":" + e.isRetryable();
        }
    }

    private static byte[] hex(String s) {
        byte[] b = new BigInteger("10" + s, 16).toByteArray();
        return java.util.Arrays.copyOfRange(b, 1, b.length);
    }

    private static String hex(byte[] b) {
        StringBuilder out = new StringBuilder();
        for (byte x : b) out.append(String.format("%02x", x & 0xff));
        return out.toString();
    }

    private static String text(String value) {
        return value == null ? "null" : Json.quote(value);
    }
}
