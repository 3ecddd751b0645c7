<?php
// The verifyMobile `logon` parameter in PHP with the openssl extension.
// Usage: php logon.php KEY IV JSON [aes-cbc|aes-gcm|sm4-cbc]

function encrypt_logon(string $logonKey, string $iv, string $json, string $mode = 'aes-cbc'): string
{
    // PHP strings are bytes: strlen() is the UTF-8 length the service means.
    $keyBytes = strlen($logonKey);
    if ($mode === 'sm4-cbc' ? $keyBytes !== 16 : $keyBytes !== 16 && $keyBytes !== 32) {
        throw new InvalidArgumentException($mode === 'sm4-cbc' ? 'logonKey must be 16 bytes' : 'logonKey must be 16 or 32 bytes');
    }
    if (strlen($iv) !== ($mode === 'aes-gcm' ? 12 : 16)) {
        throw new InvalidArgumentException($mode === 'aes-gcm' ? 'iv must be 12 bytes' : 'iv must be 16 bytes');
    }
    // The cipher name must match the key: 'aes-256-cbc' with a 16-byte key silently pads the key
    // with zero bytes, and the service answers 307. OPENSSL_RAW_DATA returns raw bytes; without
    // it openssl_encrypt already returns base64, and base64_encode on top encodes it twice.
    $bits = $keyBytes * 8;
    $tag = '';
    $raw = match ($mode) {
        'aes-cbc' => openssl_encrypt($json, "aes-$bits-cbc", $logonKey, OPENSSL_RAW_DATA, $iv),
        // GCM: the 16-byte tag comes back in $tag and goes after the ciphertext; no additional data.
        'aes-gcm' => openssl_encrypt($json, "aes-$bits-gcm", $logonKey, OPENSSL_RAW_DATA, $iv, $tag, '', 16),
        'sm4-cbc' => openssl_encrypt($json, 'sm4-cbc', $logonKey, OPENSSL_RAW_DATA, $iv),
        default => throw new InvalidArgumentException('cipher must be aes-cbc, aes-gcm or sm4-cbc'),
    };
    if ($raw === false) {
        throw new RuntimeException(openssl_error_string() ?: 'openssl_encrypt failed');
    }
    return base64_encode($raw . $tag);
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    if ($argc !== 4 && $argc !== 5) {
        fwrite(STDERR, "usage: php logon.php KEY IV JSON [aes-cbc|aes-gcm|sm4-cbc]\n");
        exit(2);
    }
    echo encrypt_logon($argv[1], $argv[2], $argv[3], $argv[4] ?? 'aes-cbc'), "\n";
}
