// Verifies the gateway's alert signature (docs/operations.md) in Java 11+, no libraries:
// X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> under ALERT_WEBHOOK_SECRET,
// refusing a t more than 300 s away (a replayed delivery). Call verify() from your HTTP handler
// with the raw body bytes, before parsing them. Run as a check:
//   java AlertReceiver.java <secret> <X-Signature> <now seconds> < body.json   → valid | invalid
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class AlertReceiver {
  public static final long REPLAY_WINDOW_SECONDS = 300;

  public static boolean verify(String secret, String header, byte[] rawBody, long nowSeconds) throws Exception {
    if (header == null) return false;
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      int at = part.indexOf('=');
      if (at < 0) continue;
      String name = part.substring(0, at).trim();
      String value = part.substring(at + 1).trim();
      if (name.equals("t")) t = value;
      if (name.equals("v1")) v1 = value;
    }
    if (t == null || v1 == null || !t.matches("\\d{1,12}") || !v1.matches("[0-9a-f]{64}")) return false;
    if (Math.abs(nowSeconds - Long.parseLong(t)) > REPLAY_WINDOW_SECONDS) return false;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
    byte[] expected = mac.doFinal(rawBody);
    byte[] given = new byte[32];
    for (int i = 0; i < 32; i++) given[i] = (byte) Integer.parseInt(v1.substring(2 * i, 2 * i + 2), 16);
    return MessageDigest.isEqual(expected, given); // constant time
  }

  public static void main(String[] args) throws Exception {
    byte[] body = System.in.readAllBytes();
    System.out.println(verify(args[0], args[1], body, Long.parseLong(args[2])) ? "valid" : "invalid");
  }
}
