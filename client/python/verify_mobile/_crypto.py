"""The account's cipher (docs/contract.md §1) and the sign field.

aes-cbc (default, 驭信-compatible), aes-gcm (ciphertext followed by the 16-byte tag, no AAD) and
sm4-cbc (国密), all with `cryptography`; HMAC-SHA256 from the standard library, HMAC-SM3 from
`cryptography`.
"""

import base64
import hashlib
import hmac
import secrets
import string
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CIPHERS = ("aes-cbc", "aes-gcm", "sm4-cbc")
_ALPHANUMERIC = string.ascii_letters + string.digits
_SIGN_LABEL = b"verifyMobile/sign/v1"


def iv_length(cipher: str) -> int:
    """12 characters for aes-gcm (the nonce), 16 for the CBC ciphers."""
    return 12 if cipher == "aes-gcm" else 16


def new_iv(cipher: str = "aes-cbc") -> str:
    """A fresh alphanumeric iv for the cipher."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(iv_length(cipher)))


def new_request_id() -> str:
    """A random UUID, the default requestId of a call."""
    return str(uuid.uuid4())


def key_bytes(logon_key: str, cipher: str) -> bytes:
    """The logonKey's UTF-8 bytes, checked for the cipher (AES 16 or 32, SM4 16)."""
    if cipher not in CIPHERS:
        raise ValueError(f"cipher must be one of {', '.join(CIPHERS)}, got {cipher}")
    raw = logon_key.encode("utf-8")
    if cipher == "sm4-cbc" and len(raw) != 16:
        raise ValueError(f"logonKey must be 16 bytes in UTF-8 (SM4), got {len(raw)}")
    if cipher != "sm4-cbc" and len(raw) not in (16, 32):
        raise ValueError(f"logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got {len(raw)}")
    return raw


def encrypt_logon(cipher: str, key: bytes, iv: str, json_text: str) -> str:
    """The logon parameter: base64 of the cipher's output over UTF-8 json, iv = UTF-8 bytes of iv."""
    iv_raw = iv.encode("utf-8")
    if len(iv_raw) != iv_length(cipher):
        raise ValueError(f"iv must be {iv_length(cipher)} bytes in UTF-8, got {len(iv_raw)}")
    plain = json_text.encode("utf-8")
    if cipher == "aes-gcm":
        sealed = AESGCM(key).encrypt(iv_raw, plain, None)  # ciphertext followed by the tag
    else:
        algorithm = algorithms.SM4(key) if cipher == "sm4-cbc" else algorithms.AES(key)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(plain) + padder.finalize()
        encryptor = _Cipher(algorithm, modes.CBC(iv_raw)).encryptor()
        sealed = encryptor.update(padded) + encryptor.finalize()
    return base64.b64encode(sealed).decode("ascii")


def _hmac_sm3(key: bytes, message: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize()


def sign(cipher: str, key: bytes, token: str, iv: str, logon: str, request_id: str = "") -> str:
    """Lowercase hex of HMAC-H(signKey, token|iv|logon|requestId), signKey = HMAC-H(logonKey,
    "verifyMobile/sign/v1"); H is SM3 for sm4-cbc, SHA-256 otherwise."""
    message = f"{token}|{iv}|{logon}|{request_id or ''}".encode("utf-8")
    if cipher == "sm4-cbc":
        return _hmac_sm3(_hmac_sm3(key, _SIGN_LABEL), message).hex()
    sign_key = hmac.new(key, _SIGN_LABEL, hashlib.sha256).digest()
    return hmac.new(sign_key, message, hashlib.sha256).hexdigest()
