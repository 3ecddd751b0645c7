// The account's cipher (docs/contract.md §1) and the sign field: aes-cbc (default, 驭信-compatible),
// aes-gcm (authenticated: ciphertext then the 16-byte tag, no AAD) and sm4-cbc (国密, Sm.java).
package verifymobile;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** aes-cbc, aes-gcm or sm4-cbc, as the account was created with (--cipher). */
public enum LogonCipher {
    AES_CBC("aes-cbc", 16),
    AES_GCM("aes-gcm", 12),
    SM4_CBC("sm4-cbc", 16);

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SIGN_LABEL = "verifyMobile/sign/v1".getBytes(StandardCharsets.UTF_8);

    private final String wireName;
    private final int ivLength;

    LogonCipher(String wireName, int ivLength) {
        this.wireName = wireName;
        this.ivLength = ivLength;
    }

    /** The name docs/contract.md uses: aes-cbc, aes-gcm, sm4-cbc. */
    public String wireName() { return wireName; }

    /** The iv's length in characters: 12 for aes-gcm (the nonce), 16 for the CBC ciphers. */
    public int ivLength() { return ivLength; }

    public static LogonCipher of(String wireName) {
        for (LogonCipher c : values()) if (c.wireName.equals(wireName)) return c;
        throw new IllegalArgumentException("cipher must be one of aes-cbc, aes-gcm, sm4-cbc, got " + wireName);
    }

    /** The logonKey's UTF-8 bytes, checked for this cipher (AES 16 or 32, SM4 16). */
    byte[] keyBytes(String logonKey) {
        byte[] raw = logonKey.getBytes(StandardCharsets.UTF_8);
        if (this == SM4_CBC && raw.length != 16) throw new IllegalArgumentException("logonKey must be 16 bytes in UTF-8 (SM4), got " + raw.length);
        if (this != SM4_CBC && raw.length != 16 && raw.length != 32) {
            throw new IllegalArgumentException("logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got " + raw.length);
        }
        return raw;
    }

    /** A fresh alphanumeric iv of this cipher's length. */
    String newIv() {
        StringBuilder iv = new StringBuilder(ivLength);
        for (int i = 0; i < ivLength; i++) iv.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        return iv.toString();
    }

    /** A random UUID, the default requestId of a call. */
    static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /** The logon parameter: base64 of the cipher's output over UTF-8 json, iv = the UTF-8 bytes of iv. */
    String encrypt(byte[] key, String iv, String json) {
        byte[] ivBytes = iv.getBytes(StandardCharsets.UTF_8);
        if (ivBytes.length != ivLength) throw new IllegalArgumentException("iv must be " + ivLength + " bytes in UTF-8, got " + ivBytes.length);
        byte[] plain = json.getBytes(StandardCharsets.UTF_8);
        if (this == SM4_CBC) return Base64.getEncoder().encodeToString(Sm.sm4CbcEncrypt(key, ivBytes, plain));
        try {
            // "PKCS5Padding" is Java's name for PKCS#7 with 16-byte blocks; the key length picks AES-128 or AES-256.
            Cipher cipher = Cipher.getInstance(this == AES_GCM ? "AES/GCM/NoPadding" : "AES/CBC/PKCS5Padding");
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            if (this == AES_GCM) cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, ivBytes));
            else cipher.init(Cipher.ENCRYPT_MODE, spec, new IvParameterSpec(ivBytes));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            // Every JDK 11 has both transformations, and the key length was checked when the client was built.
            throw new IllegalStateException(e);
        }
    }

    /**
     * The sign field: lowercase hex of HMAC-H(signKey, token|iv|logon|requestId), signKey =
     * HMAC-H(logonKey, "verifyMobile/sign/v1"); H is SM3 for sm4-cbc, SHA-256 otherwise.
     */
    String sign(byte[] key, String token, String iv, String logon, String requestId) {
        byte[] message = (token + "|" + iv + "|" + logon + "|" + (requestId == null ? "" : requestId)).getBytes(StandardCharsets.UTF_8);
        byte[] mac = this == SM4_CBC ? Sm.hmacSm3(Sm.hmacSm3(key, SIGN_LABEL), message) : hmacSha256(hmacSha256(key, SIGN_LABEL), message);
        StringBuilder hex = new StringBuilder(64);
        for (byte b : mac) hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        return hex.toString();
    }

    private static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
