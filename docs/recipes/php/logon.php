<?php
// The verifyMobile `logon` parameter in PHP with the openssl extension.
// Usage: php logon.php KEY IV JSON

function encrypt_logon(string $logonKey, string $iv, string $json): string
{
    // PHP strings are bytes: strlen() is the UTF-8 length the service means.
    $bits = match (strlen($logonKey)) {
        16 => 128,
        32 => 256,
        default => throw new InvalidArgumentException('logonKey must be 16 or 32 bytes'),
    };
    if (strlen($iv) !== 16) {
        throw new InvalidArgumentException('iv must be 16 bytes');
    }
    // The cipher name must match the key: 'aes-256-cbc' with a 16-byte key silently pads the key
    // with zero bytes, and the service answers 307. OPENSSL_RAW_DATA returns raw bytes; without
    // it openssl_encrypt already returns base64, and base64_encode on top encodes it twice.
    $raw = openssl_encrypt($json, "aes-$bits-cbc", $logonKey, OPENSSL_RAW_DATA, $iv);
    if ($raw === false) {
        throw new RuntimeException(openssl_error_string() ?: 'openssl_encrypt failed');
    }
    return base64_encode($raw);
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    if ($argc !== 4) {
        fwrite(STDERR, "usage: php logon.php KEY IV JSON\n");
        exit(2);
    }
    echo encrypt_logon($argv[1], $argv[2], $argv[3]), "\n";
}
