// The verifyMobile `logon` parameter in Java, javax.crypto only (any JDK ≥ 8u161; older 8s need
// the unlimited-strength policy for 32-character keys).
// Usage: java Logon.java KEY IV JSON   (Java 11+ runs the source file directly)
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public final class Logon {
    /** base64(AES-CBC/PKCS#7(key = UTF-8 bytes of logonKey, iv = UTF-8 bytes of iv, UTF-8 bytes of json)). */
    public static String encrypt(String logonKey, String iv, String json) throws GeneralSecurityException {
        byte[] key = logonKey.getBytes(StandardCharsets.UTF_8);
        byte[] ivBytes = iv.getBytes(StandardCharsets.UTF_8);
        if (key.length != 16 && key.length != 32) throw new IllegalArgumentException("logonKey must be 16 or 32 bytes");
        if (ivBytes.length != 16) throw new IllegalArgumentException("iv must be 16 bytes");
        // "PKCS5Padding" is Java's name for PKCS#7 with 16-byte AES blocks; the key length picks AES-128 or AES-256.
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(ivBytes));
        return Base64.getEncoder().encodeToString(cipher.doFinal(json.getBytes(StandardCharsets.UTF_8)));
    }

    public static void main(String[] args) throws GeneralSecurityException {
        if (args.length != 3) {
            System.err.println("usage: java Logon.java KEY IV JSON");
            System.exit(2);
        }
        System.out.println(encrypt(args[0], args[1], args[2]));
    }
}
