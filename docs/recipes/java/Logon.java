// The verifyMobile `logon` parameter in Java, javax.crypto only (any JDK ≥ 8u161; older 8s need
// the unlimited-strength policy for 32-character keys).
// Usage: java Logon.java KEY IV JSON [aes-cbc|aes-gcm]   (Java 11+ runs the source file directly)
// (sm4-cbc: the JDK has no SM4; the Java client, client/java, carries one.)
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public final class Logon {
    /**
     * aes-cbc: base64(AES-CBC/PKCS#7(key = UTF-8 bytes of logonKey, iv = UTF-8 bytes of iv, UTF-8 bytes of json));
     * aes-gcm: base64(ciphertext followed by the 16-byte tag), nonce = the iv's 12 UTF-8 bytes, no additional data.
     */
    public static String encrypt(String mode, String logonKey, String iv, String json) throws GeneralSecurityException {
        byte[] key = logonKey.getBytes(StandardCharsets.UTF_8);
        byte[] ivBytes = iv.getBytes(StandardCharsets.UTF_8);
        if (key.length != 16 && key.length != 32) throw new IllegalArgumentException("logonKey must be 16 or 32 bytes");
        SecretKeySpec aes = new SecretKeySpec(key, "AES"); // the key length picks AES-128 or AES-256
        Cipher cipher;
        if (mode.equals("aes-gcm")) {
            if (ivBytes.length != 12) throw new IllegalArgumentException("iv must be 12 bytes for aes-gcm");
            cipher = Cipher.getInstance("AES/GCM/NoPadding"); // doFinal appends the tag
            cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, ivBytes));
        } else if (mode.equals("aes-cbc")) {
            if (ivBytes.length != 16) throw new IllegalArgumentException("iv must be 16 bytes");
            // "PKCS5Padding" is Java's name for PKCS#7 with 16-byte AES blocks.
            cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(ivBytes));
        } else {
            throw new IllegalArgumentException("cipher must be aes-cbc or aes-gcm");
        }
        return Base64.getEncoder().encodeToString(cipher.doFinal(json.getBytes(StandardCharsets.UTF_8)));
    }

    public static void main(String[] args) throws GeneralSecurityException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: java Logon.java KEY IV JSON [aes-cbc|aes-gcm]");
            System.exit(2);
        }
        System.out.println(encrypt(args.length == 4 ? args[3] : "aes-cbc", args[0], args[1], args[2]));
    }
}
