"""A client for POST /api/personalInfo/verifyMobile (docs/contract.md §1–§6), the same behaviour as
the TypeScript client: a requestId per call, retries on transport failures and 501–504 with that
requestId and a fresh iv (jittered exponential backoff, one deadline), typed results and errors."""

import http.client
import json
import random
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Literal, Optional

from . import _crypto

PATH = "/api/personalInfo/verifyMobile"
# Per attempt: the service's UPSTREAM_DEADLINE_MS (10 000) plus 5 000, so its own 501 arrives
# before the client gives up (docs/clients.md).
DEFAULT_TIMEOUT_MS = 15_000
DEFAULT_RETRIES = 2
# The whole call, retries and waits included: three whole attempts fit.
DEFAULT_DEADLINE_MS = 60_000

Carrier = Literal["CMCC", "CUCC", "CTCC", "CBN"]
_CARRIERS = ("CMCC", "CUCC", "CTCC", "CBN")
_RESULTS = {"10000": "consistent", "10001": "inconsistent", "10002": "unknown"}
_REQUEST_ID = re.compile(r"[\x20-\x7e]{1,64}")


@dataclass(frozen=True)
class VerifyResult:
    result: Literal["consistent", "inconsistent", "unknown"]
    match_code: Optional[str]
    carrier: Optional[Carrier]
    order_no: str
    billable: bool
    duplicate: bool
    request_id: str
    attempts: int


class VerifyMobileError(Exception):
    """family: token (1xx), request (3xx), upstream (501–504), server (500), transport (no
    envelope: code timeout, network or bad-response)."""

    def __init__(self, family, code, detail, reason=None, order_no=None, retry_after=None):
        super().__init__(f"{code} {detail}" + (f" ({reason})" if reason else ""))
        self.family = family
        self.code = code
        self.detail = detail
        self.reason = reason
        self.order_no = order_no
        self.retry_after = retry_after
        self.request_id = None
        self.attempts = 1

    @property
    def retryable(self) -> bool:
        """501–504 and a timeout or network failure; never 1xx, 3xx or 500."""
        return self.family == "upstream" or (self.family == "transport" and self.code != "bad-response")


def backoff_ms(attempt: int, retry_after: Optional[int], rand: float) -> int:
    """The wait before retry n: min(5 s, 500 ms × 2^(n−1)) scaled by 50–100 %, at least Retry-After."""
    exponential = min(5_000, 500 * 2 ** (attempt - 1))
    return max(round(exponential * (0.5 + rand / 2)), (retry_after or 0) * 1000)


class Client:
    def __init__(self, base_url: str, token: str, logon_key: str, *, cipher: str = "aes-cbc", sign: bool = False,
                 timeout_ms: int = DEFAULT_TIMEOUT_MS, retries: int = DEFAULT_RETRIES,
                 deadline_ms: int = DEFAULT_DEADLINE_MS):
        # Every mistake in the settings fails here, not at the first request.
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("base_url must be an http:// or https:// URL")
        if not token:
            raise ValueError("token is required")
        if timeout_ms <= 0 or deadline_ms <= 0:
            raise ValueError("timeout_ms and deadline_ms must be positive")
        if not isinstance(retries, int) or retries < 0:
            raise ValueError("retries must be a whole number ≥ 0")
        self._key = _crypto.key_bytes(logon_key, cipher)
        self._url = base_url.rstrip("/") + PATH
        self._token = token
        self._cipher = cipher
        self._sign = sign
        self._timeout_ms = timeout_ms
        self._retries = retries
        self._deadline_ms = deadline_ms

    def verify(self, id_card: str, user_name: str, login_phone: str, *,
               request_id: Optional[str] = None) -> VerifyResult:
        """One logical call; request_id (1–64 printable ASCII) defaults to a new random one."""
        request_id = _crypto.new_request_id() if request_id is None else request_id
        if not _REQUEST_ID.fullmatch(request_id):
            raise ValueError("requestId must be 1–64 printable ASCII characters")
        plain = json.dumps({"idCard": id_card, "userName": user_name, "loginphone": login_phone},
                           ensure_ascii=False, separators=(",", ":"))
        end = time.monotonic() + self._deadline_ms / 1000
        attempt = 1
        while True:
            try:
                wait_ms = min(self._timeout_ms, max(1, int((end - time.monotonic()) * 1000)))
                answer = self._once(plain, request_id, wait_ms)
                return VerifyResult(**answer, request_id=request_id, attempts=attempt)
            except VerifyMobileError as error:
                error.request_id = request_id
                error.attempts = attempt
                # Retried: 501–504 (never billed) and transport failures, which may have reached the
                # service: the same requestId replays a billed answer instead of billing again
                # (docs/contract.md §6). A 1xx, 3xx or 500 would fail the same way again.
                wait = backoff_ms(attempt, error.retry_after, random.random()) / 1000
                if not error.retryable or attempt > self._retries or time.monotonic() + wait >= end:
                    raise
                time.sleep(wait)
                attempt += 1

    def _once(self, plain: str, request_id: str, wait_ms: int) -> dict:
        iv = _crypto.new_iv(self._cipher)  # a fresh iv for every attempt (nonce reuse would break GCM)
        logon = _crypto.encrypt_logon(self._cipher, self._key, iv, plain)
        fields = {"token": self._token, "iv": iv, "logon": logon, "requestId": request_id}
        if self._sign:
            fields["sign"] = _crypto.sign(self._cipher, self._key, self._token, iv, logon, request_id)
        request = urllib.request.Request(
            self._url, data=urllib.parse.urlencode(fields).encode("ascii"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        try:
            try:
                with urllib.request.urlopen(request, timeout=wait_ms / 1000) as response:
                    status, headers, text = response.status, response.headers, response.read()
            except urllib.error.HTTPError as answer:  # a non-2xx status still carries a body
                status, headers, text = answer.code, answer.headers, answer.read()
        except (TimeoutError, socket.timeout) as error:
            raise VerifyMobileError("transport", "timeout", f"no answer within {wait_ms} ms") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise VerifyMobileError("transport", "timeout", f"no answer within {wait_ms} ms") from error
            raise VerifyMobileError("transport", "network", "the request failed before an answer arrived",
                                    str(error.reason)) from error
        except (OSError, http.client.HTTPException) as error:
            raise VerifyMobileError("transport", "network", "the request failed before an answer arrived",
                                    str(error) or type(error).__name__) from error
        return _read_envelope(text, status, headers.get("X-Order-No"), headers.get("Retry-After"))


def _read_envelope(raw: bytes, status: int, order_no: Optional[str], retry_after: Optional[str]) -> dict:
    def bad(what):
        return VerifyMobileError("transport", "bad-response", f"HTTP {status}: {what}", None, order_no)

    try:
        envelope = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("the answer is not JSON") from None
    if not isinstance(envelope, dict):
        envelope = {}
    code, detail, reason = envelope.get("errorCode"), envelope.get("errorDetail"), envelope.get("errorReason")
    if not isinstance(code, str) or not isinstance(detail, str) or not (reason is None or isinstance(reason, str)):
        raise bad("the answer is not a verifyMobile envelope")
    if code != "200":
        wait = int(retry_after) if retry_after and retry_after.isdigit() else None
        raise VerifyMobileError(_family(code), code, detail, reason, order_no, wait)
    result = _RESULTS.get(str(envelope.get("returnCode")))
    info = envelope.get("info") if isinstance(envelope.get("info"), dict) else {}
    if (result is None or not isinstance(info.get("orderNo"), str) or not isinstance(info.get("billable"), bool)
            or not isinstance(info.get("duplicate"), bool)):
        raise bad("a 200 envelope without a result")
    match_code = info.get("matchCode")
    carrier = info.get("carrier")
    return {
        "result": result,
        "match_code": match_code if isinstance(match_code, str) else None,
        "carrier": carrier if carrier in _CARRIERS else None,
        "order_no": info["orderNo"],
        "billable": info["billable"],
        "duplicate": info["duplicate"],
    }


def _family(code: str) -> str:
    if code.startswith("1"):
        return "token"
    if code in ("501", "502", "503", "504"):
        return "upstream"
    return "server" if code.startswith("5") else "request"
