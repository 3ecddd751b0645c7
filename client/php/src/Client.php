<?php
// A client for POST /api/personalInfo/verifyMobile (docs/contract.md §1–§6), the same behaviour as
// the TypeScript client: a requestId per call, retries on transport failures and 501–504 with that
// requestId and a fresh iv (jittered exponential backoff, one deadline), typed results and errors.
// ext-openssl and ext-json only; HTTP through PHP's own stream wrapper (no curl needed).

declare(strict_types=1);

namespace VerifyMobile;

final class Client
{
    public const PATH = '/api/personalInfo/verifyMobile';
    /** Per attempt: the service's UPSTREAM_DEADLINE_MS (10 000) plus 5 000, so its own 501 arrives first (docs/clients.md). */
    public const DEFAULT_TIMEOUT_MS = 15000;
    public const DEFAULT_RETRIES = 2;
    /** The whole call, retries and waits included: three whole attempts fit. */
    public const DEFAULT_DEADLINE_MS = 60000;
    private const RESULTS = ['10000' => 'consistent', '10001' => 'inconsistent', '10002' => 'unknown'];
    private const CARRIERS = ['CMCC', 'CUCC', 'CTCC', 'CBN'];

    private string $url;
    private string $token;
    private string $logonKey;
    private string $cipher;
    private bool $sign;
    private int $timeoutMs;
    private int $retries;
    private int $deadlineMs;

    /**
     * @param array{cipher?: string, sign?: bool, timeoutMs?: int, retries?: int, deadlineMs?: int} $options
     */
    public function __construct(string $baseUrl, string $token, string $logonKey, array $options = [])
    {
        // Every mistake in the settings fails here, not at the first request.
        $scheme = parse_url($baseUrl, PHP_URL_SCHEME);
        if (!in_array($scheme, ['http', 'https'], true) || !parse_url($baseUrl, PHP_URL_HOST)) {
            throw new \InvalidArgumentException('baseUrl must be an http:// or https:// URL');
        }
        if ($token === '') {
            throw new \InvalidArgumentException('token is required');
        }
        $this->cipher = $options['cipher'] ?? 'aes-cbc';
        LogonCipher::checkKey($logonKey, $this->cipher);
        $this->sign = $options['sign'] ?? false;
        $this->timeoutMs = $options['timeoutMs'] ?? self::DEFAULT_TIMEOUT_MS;
        $this->retries = $options['retries'] ?? self::DEFAULT_RETRIES;
        $this->deadlineMs = $options['deadlineMs'] ?? self::DEFAULT_DEADLINE_MS;
        if ($this->timeoutMs <= 0 || $this->deadlineMs <= 0) {
            throw new \InvalidArgumentException('timeoutMs and deadlineMs must be positive');
        }
        if ($this->retries < 0) {
            throw new \InvalidArgumentException('retries must be a whole number ≥ 0');
        }
        $this->url = rtrim($baseUrl, '/') . self::PATH;
        $this->token = $token;
        $this->logonKey = $logonKey;
    }

    /** The wait before retry n in ms: min(5 s, 500 ms × 2^(n−1)) scaled by 50–100 %, at least Retry-After. */
    public static function backoffMs(int $attempt, ?int $retryAfter, float $random): int
    {
        $exponential = min(5000, 500 * 2 ** ($attempt - 1));
        return max((int) round($exponential * (0.5 + $random / 2)), ($retryAfter ?? 0) * 1000);
    }

    /** One logical call; $requestId (1–64 printable ASCII) defaults to a new random one. */
    public function verify(string $idCard, string $userName, string $loginphone, ?string $requestId = null): VerifyResult
    {
        $requestId = $requestId ?? LogonCipher::newRequestId();
        if (!preg_match('/^[\x20-\x7e]{1,64}$/D', $requestId)) {
            throw new \InvalidArgumentException('requestId must be 1–64 printable ASCII characters');
        }
        $json = json_encode(['idCard' => $idCard, 'userName' => $userName, 'loginphone' => $loginphone], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
        $end = microtime(true) + $this->deadlineMs / 1000;
        for ($attempt = 1;; $attempt++) {
            try {
                $result = $this->once($json, $requestId, (int) min($this->timeoutMs, max(1, ($end - microtime(true)) * 1000)));
                $result->requestId = $requestId;
                $result->attempts = $attempt;
                return $result;
            } catch (VerifyMobileException $e) {
                $e->requestId = $requestId;
                $e->attempts = $attempt;
                // Retried: 501–504 (never billed) and transport failures, which may have reached the
                // service: the same requestId replays a billed answer instead of billing again
                // (docs/contract.md §6). A 1xx, 3xx or 500 would fail the same way again.
                $wait = self::backoffMs($attempt, $e->retryAfter, mt_rand() / mt_getrandmax()) / 1000;
                if (!$e->isRetryable() || $attempt > $this->retries || microtime(true) + $wait >= $end) {
                    throw $e;
                }
                usleep((int) ($wait * 1e6));
            }
        }
    }

    private function once(string $json, string $requestId, int $waitMs): VerifyResult
    {
        $iv = LogonCipher::newIv($this->cipher); // a fresh iv for every attempt (nonce reuse would break GCM)
        $logon = LogonCipher::encrypt($this->cipher, $this->logonKey, $iv, $json);
        $fields = ['token' => $this->token, 'iv' => $iv, 'logon' => $logon, 'requestId' => $requestId];
        if ($this->sign) {
            $fields['sign'] = LogonCipher::sign($this->cipher, $this->logonKey, $this->token, $iv, $logon, $requestId);
        }
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nConnection: close\r\n",
            'content' => http_build_query($fields, '', '&', PHP_QUERY_RFC1738),
            'timeout' => $waitMs / 1000,
            'ignore_errors' => true, // a non-2xx status still carries a body
        ]]);
        $started = microtime(true);
        $stream = @fopen($this->url, 'r', false, $context);
        $body = $stream === false ? false : stream_get_contents($stream);
        $meta = $stream === false ? ['timed_out' => false, 'wrapper_data' => []] : stream_get_meta_data($stream);
        if ($stream !== false) {
            fclose($stream);
        }
        if ($body === false || $meta['timed_out'] || $stream === false) {
            if ($meta['timed_out'] || (microtime(true) - $started) * 1000 >= $waitMs - 5) {
                throw new VerifyMobileException('transport', 'timeout', "no answer within $waitMs ms");
            }
            $error = error_get_last();
            throw new VerifyMobileException('transport', 'network', 'the request failed before an answer arrived', $error['message'] ?? 'no connection');
        }
        $status = 0;
        $headers = [];
        foreach ($meta['wrapper_data'] as $line) {
            if (preg_match('#^HTTP/\S+\s+(\d{3})#', $line, $m)) {
                [$status, $headers] = [(int) $m[1], []]; // the last response's headers count
            } elseif (strpos($line, ':') !== false) {
                [$name, $value] = explode(':', $line, 2);
                $headers[strtolower(trim($name))] = trim($value);
            }
        }
        $retryAfter = isset($headers['retry-after']) && ctype_digit($headers['retry-after']) ? (int) $headers['retry-after'] : null;
        return self::readEnvelope($body, $status, $headers['x-order-no'] ?? null, $retryAfter);
    }

    private static function readEnvelope(string $text, int $status, ?string $orderNo, ?int $retryAfter): VerifyResult
    {
        $envelope = json_decode($text, true);
        if ($envelope === null && json_last_error() !== JSON_ERROR_NONE) {
            throw new VerifyMobileException('transport', 'bad-response', "HTTP $status: the answer is not JSON", null, $orderNo);
        }
        $envelope = is_array($envelope) ? $envelope : [];
        $code = $envelope['errorCode'] ?? null;
        $detail = $envelope['errorDetail'] ?? null;
        $reason = $envelope['errorReason'] ?? null;
        if (!is_string($code) || !is_string($detail) || !($reason === null || is_string($reason))) {
            throw new VerifyMobileException('transport', 'bad-response', "HTTP $status: the answer is not a verifyMobile envelope", null, $orderNo);
        }
        if ($code !== '200') {
            throw new VerifyMobileException(self::family($code), $code, $detail, $reason, $orderNo, $retryAfter);
        }
        $result = self::RESULTS[(string) ($envelope['returnCode'] ?? '')] ?? null;
        $info = is_array($envelope['info'] ?? null) ? $envelope['info'] : [];
        if ($result === null || !is_string($info['orderNo'] ?? null) || !is_bool($info['billable'] ?? null) || !is_bool($info['duplicate'] ?? null)) {
            throw new VerifyMobileException('transport', 'bad-response', "HTTP $status: a 200 envelope without a result", null, $orderNo);
        }
        $matchCode = is_string($info['matchCode'] ?? null) ? $info['matchCode'] : null;
        $carrier = in_array($info['carrier'] ?? null, self::CARRIERS, true) ? $info['carrier'] : null;
        return new VerifyResult($result, $matchCode, $carrier, $info['orderNo'], $info['billable'], $info['duplicate']);
    }

    private static function family(string $code): string
    {
        if ($code[0] === '1') {
            return 'token';
        }
        if (in_array($code, ['501', '502', '503', '504'], true)) {
            return 'upstream';
        }
        return $code[0] === '5' ? 'server' : 'request';
    }
}
