"""Caller for the verifyMobile gateway (驭信 POST /api/personalInfo/verifyMobile). Guide: docs/clients.md."""

from ._client import (
    DEFAULT_DEADLINE_MS,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT_MS,
    PATH,
    Client,
    VerifyMobileError,
    VerifyResult,
    backoff_ms,
)
from ._crypto import CIPHERS, encrypt_logon, key_bytes, new_iv, new_request_id, sign

__all__ = [
    "CIPHERS",
    "DEFAULT_DEADLINE_MS",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT_MS",
    "PATH",
    "Client",
    "VerifyMobileError",
    "VerifyResult",
    "backoff_ms",
    "encrypt_logon",
    "key_bytes",
    "new_iv",
    "new_request_id",
    "sign",
]
