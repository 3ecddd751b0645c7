<?php

declare(strict_types=1);

namespace VerifyMobile;

/** A 200 answer. */
final class VerifyResult
{
    /** @var string consistent | inconsistent | unknown */
    public string $result;
    /** @var string|null 11, 21, 22, 23, 24 */
    public ?string $matchCode;
    /** @var string|null CMCC, CUCC, CTCC, CBN; null when unknown */
    public ?string $carrier;
    /** The service's order number; a replay carries the first answer's. */
    public string $orderNo;
    /** Whether this answer was charged: the service bills only fresh 200 results. */
    public bool $billable;
    /** A replay: of an earlier answer to this requestId, or within the duplicate window. */
    public bool $duplicate;
    /** The call's requestId, the same on every attempt. */
    public string $requestId = '';
    /** How many requests the call sent. */
    public int $attempts = 1;

    public function __construct(string $result, ?string $matchCode, ?string $carrier, string $orderNo, bool $billable, bool $duplicate)
    {
        $this->result = $result;
        $this->matchCode = $matchCode;
        $this->carrier = $carrier;
        $this->orderNo = $orderNo;
        $this->billable = $billable;
        $this->duplicate = $duplicate;
    }
}
