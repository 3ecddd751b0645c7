<?php
// The PHP client under the conformance driver protocol (test/client/conformance.md): one case per
// stdin line of TAB-separated name=value pairs, one JSON line per case on stdout. argv[1] is the
// vendor/autoload.php of a project that installed the package with Composer.

declare(strict_types=1);

require $argv[1];

use VerifyMobile\Client;
use VerifyMobile\LogonCipher;
use VerifyMobile\VerifyMobileException;

function run(array $f): array
{
    $cipher = $f['cipher'] ?? 'aes-cbc';
    switch ($f['op'] ?? 'verify') {
        case 'defaults':
            return ['timeoutMs' => Client::DEFAULT_TIMEOUT_MS, 'retries' => Client::DEFAULT_RETRIES, 'deadlineMs' => Client::DEFAULT_DEADLINE_MS];
        case 'sm':
            $key = hex2bin($f['key']);
            return [
                'sm4' => bin2hex(substr(openssl_encrypt(hex2bin($f['block']), 'sm4-ecb', $key, OPENSSL_RAW_DATA), 0, 16)),
                'sm3' => openssl_digest(hex2bin($f['message']), 'sm3'),
            ];
        case 'encrypt':
            return ['logon' => LogonCipher::encrypt($cipher, $f['key'], $f['iv'], $f['json'])];
        case 'sign':
            return ['sign' => LogonCipher::sign($cipher, $f['key'], $f['token'], $f['iv'], $f['logon'], $f['requestId'] ?? '')];
    }
    $options = ['cipher' => $cipher, 'sign' => ($f['sign'] ?? '') === 'true'];
    if (($f['retries'] ?? '') !== '') {
        $options['retries'] = (int) $f['retries'];
    }
    if (($f['timeoutMs'] ?? '') !== '') {
        $options['timeoutMs'] = (int) $f['timeoutMs'];
    }
    try {
        $client = new Client($f['base'], $f['token'], $f['key'], $options);
        $r = $client->verify($f['idCard'], $f['userName'], $f['loginphone'], ($f['requestId'] ?? '') !== '' ? $f['requestId'] : null);
    } catch (VerifyMobileException $e) {
        return ['family' => $e->family, 'code' => $e->errorCode, 'detail' => $e->detail, 'reason' => $e->reason, 'orderNo' => $e->orderNo,
            'requestId' => $e->requestId, 'attempts' => $e->attempts, 'retryable' => $e->isRetryable()];
    } catch (\InvalidArgumentException $e) {
        return ['invalid' => $e->getMessage()];
    }
    return ['result' => $r->result, 'matchCode' => $r->matchCode, 'carrier' => $r->carrier, 'orderNo' => $r->orderNo,
        'billable' => $r->billable, 'duplicate' => $r->duplicate, 'requestId' => $r->requestId, 'attempts' => $r->attempts];
}

while (($line = fgets(STDIN)) !== false) {
    $fields = [];
    foreach (explode("\t", rtrim($line, "\n")) as $pair) {
        [$name, $value] = explode('=', $pair, 2) + [1 => ''];
        $fields[$name] = $value;
    }
    echo json_encode(['case' => $fields['case'] ?? null] + run($fields), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}
