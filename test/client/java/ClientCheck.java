// Drives client/java's VerifyMobileClient for test/client/java.node.test.ts: one case per stdin
// line, one JSON line per case on stdout (UTF-8 both ways, whatever the locale).
//   verify<TAB>case<TAB>baseUrl<TAB>token<TAB>logonKey<TAB>retries<TAB>timeoutMs<TAB>idCard<TAB>userName<TAB>loginphone
//   encrypt<TAB>case<TAB>logonKey<TAB>iv<TAB>json
package verifymobile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.crypto.spec.SecretKeySpec;

public final class ClientCheck {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] f = line.split("\t", -1);
            out.println("{\"case\":" + VerifyMobileClient.quote(f[1]) + "," + (f[0].equals("encrypt") ? encrypt(f) : verify(f)) + "}");
        }
    }

    private static String encrypt(String[] f) {
        SecretKeySpec key = new SecretKeySpec(f[2].getBytes(StandardCharsets.UTF_8), "AES");
        return "\"logon\":" + VerifyMobileClient.quote(VerifyMobileClient.encryptLogon(key, f[3], f[4]));
    }

    private static String verify(String[] f) {
        VerifyMobileClient client;
        try {
            client = VerifyMobileClient.builder(f[2], f[3], f[4]).retries(Integer.parseInt(f[5])).timeout(Duration.ofMillis(Long.parseLong(f[6]))).build();
        } catch (IllegalArgumentException e) {
            return "\"illegalArgument\":" + VerifyMobileClient.quote(e.getMessage());
        }
        try {
            VerifyMobileClient.Result r = client.verify(f[7], f[8], f[9]);
            return "\"outcome\":\"" + r.outcome() + "\",\"matchCode\":" + text(r.matchCode()) + ",\"orderNo\":" + text(r.orderNo())
                    + ",\"billable\":" + r.billable() + ",\"duplicate\":" + r.duplicate();
        } catch (VerifyMobileClient.VerifyMobileException e) {
            return "\"family\":\"" + e.family() + "\",\"code\":" + text(e.code()) + ",\"detail\":" + text(e.detail()) + ",\"reason\":" + text(e.reason())
                    + ",\"orderNo\":" + text(e.orderNo()) + ",\"retryable\":" + e.isRetryable() + ",\"message\":" + text(e.getMessage());
        }
    }

    private static String text(String value) {
        return value == null ? "null" : VerifyMobileClient.quote(value);
    }
}
