<?php
// The account's cipher (docs/contract.md §1) and the sign field with openssl_*: aes-cbc (default,
// 驭信-compatible), aes-gcm (ciphertext followed by the 16-byte tag, no AAD) and sm4-cbc (国密).

declare(strict_types=1);

namespace VerifyMobile;

final class LogonCipher
{
    public const CIPHERS = ['aes-cbc', 'aes-gcm', 'sm4-cbc'];
    private const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    private const SIGN_LABEL = 'verifyMobile/sign/v1';

    /** 12 characters for aes-gcm (the nonce), 16 for the CBC ciphers. */
    public static function ivLength(string $cipher): int
    {
        return $cipher === 'aes-gcm' ? 12 : 16;
    }

    /** A fresh alphanumeric iv for the cipher. */
    public static function newIv(string $cipher = 'aes-cbc'): string
    {
        $iv = '';
        for ($i = 0; $i < self::ivLength($cipher); $i++) {
            $iv .= self::ALPHANUMERIC[random_int(0, 61)];
        }
        return $iv;
    }

    /** A random UUID (version 4), the default requestId of a call. */
    public static function newRequestId(): string
    {
        $b = random_bytes(16);
        $b[6] = chr(ord($b[6]) & 0x0f | 0x40);
        $b[8] = chr(ord($b[8]) & 0x3f | 0x80);
        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($b), 4));
    }

    /** Checks the logonKey's length in UTF-8 bytes for the cipher (AES 16 or 32, SM4 16). */
    public static function checkKey(string $logonKey, string $cipher): void
    {
        if (!in_array($cipher, self::CIPHERS, true)) {
            throw new \InvalidArgumentException("cipher must be one of aes-cbc, aes-gcm, sm4-cbc, got $cipher");
        }
        $n = strlen($logonKey); // PHP strings are the UTF-8 bytes
        if ($cipher === 'sm4-cbc' && $n !== 16) {
            throw new \InvalidArgumentException("logonKey must be 16 bytes in UTF-8 (SM4), got $n");
        }
        if ($cipher !== 'sm4-cbc' && $n !== 16 && $n !== 32) {
            throw new \InvalidArgumentException("logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got $n");
        }
    }

    /** The logon parameter: base64 of the cipher's output over the UTF-8 json, iv = its bytes. */
    public static function encrypt(string $cipher, string $key, string $iv, string $json): string
    {
        self::checkKey($key, $cipher);
        if (strlen($iv) !== self::ivLength($cipher)) {
            throw new \InvalidArgumentException('iv must be ' . self::ivLength($cipher) . ' bytes in UTF-8, got ' . strlen($iv));
        }
        // The key length was checked: openssl would otherwise pad or cut a wrong key silently.
        $bits = strlen($key) * 8;
        $tag = '';
        if ($cipher === 'aes-gcm') {
            $sealed = openssl_encrypt($json, "aes-$bits-gcm", $key, OPENSSL_RAW_DATA, $iv, $tag, '', 16);
        } else {
            $sealed = openssl_encrypt($json, $cipher === 'sm4-cbc' ? 'sm4-cbc' : "aes-$bits-cbc", $key, OPENSSL_RAW_DATA, $iv);
        }
        if ($sealed === false) {
            throw new \RuntimeException("openssl has no $cipher here");
        }
        return base64_encode($sealed . $tag);
    }

    /**
     * The sign field: lowercase hex of HMAC-H(signKey, token|iv|logon|requestId), signKey =
     * HMAC-H(logonKey, "verifyMobile/sign/v1"); H is SM3 for sm4-cbc, SHA-256 otherwise.
     */
    public static function sign(string $cipher, string $key, string $token, string $iv, string $logon, string $requestId = ''): string
    {
        $message = "$token|$iv|$logon|$requestId";
        if ($cipher === 'sm4-cbc') {
            return bin2hex(self::hmacSm3(self::hmacSm3($key, self::SIGN_LABEL), $message));
        }
        return hash_hmac('sha256', $message, hash_hmac('sha256', self::SIGN_LABEL, $key, true));
    }

    /** HMAC (RFC 2104) over openssl's SM3: PHP's hash extension has no SM3. */
    private static function hmacSm3(string $key, string $message): string
    {
        if (strlen($key) > 64) {
            $key = openssl_digest($key, 'sm3', true);
        }
        $key = str_pad($key, 64, "\0");
        $inner = openssl_digest(($key ^ str_repeat("\x36", 64)) . $message, 'sm3', true);
        return openssl_digest(($key ^ str_repeat("\x5c", 64)) . $inner, 'sm3', true);
    }
}
