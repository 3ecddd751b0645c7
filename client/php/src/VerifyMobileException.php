<?php

declare(strict_types=1);

namespace VerifyMobile;

/**
 * Everything that is not a result. family: token (1xx), request (3xx), upstream (501–504),
 * server (500), transport (no envelope: code timeout, network or bad-response).
 */
final class VerifyMobileException extends \Exception
{
    public string $family;
    /** The envelope's errorCode ("105", "309", "503", …) or timeout | network | bad-response. */
    public string $errorCode;
    public string $detail;
    public ?string $reason;
    /** The service's order number (X-Order-No) when an answer arrived: quote it to support. */
    public ?string $orderNo;
    public ?int $retryAfter;
    public string $requestId = '';
    public int $attempts = 1;

    public function __construct(string $family, string $code, string $detail, ?string $reason = null, ?string $orderNo = null, ?int $retryAfter = null)
    {
        parent::__construct("$code $detail" . ($reason !== null && $reason !== '' ? " ($reason)" : ''));
        $this->family = $family;
        $this->errorCode = $code;
        $this->detail = $detail;
        $this->reason = $reason;
        $this->orderNo = $orderNo;
        $this->retryAfter = $retryAfter;
    }

    /** Whether the client retries it: 501–504 and a timeout or network failure; never 1xx, 3xx, 500. */
    public function isRetryable(): bool
    {
        return $this->family === 'upstream' || ($this->family === 'transport' && $this->errorCode !== 'bad-response');
    }
}
