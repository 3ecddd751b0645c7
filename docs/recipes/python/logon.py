#!/usr/bin/env python3
"""The verifyMobile `logon` parameter in Python with `cryptography` (pip install cryptography).

Usage: python3 logon.py KEY IV JSON [aes-cbc|aes-gcm|sm4-cbc]
"""
import base64
import sys

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_logon(logon_key: str, iv: str, json_text: str, mode: str = "aes-cbc") -> str:
    """aes-cbc / sm4-cbc: base64(CBC/PKCS#7(key = UTF-8 of logon_key, iv = UTF-8 of iv, UTF-8 of json_text));
    aes-gcm: base64(ciphertext followed by the 16-byte tag), nonce = the iv's 12 bytes, no additional data."""
    key = logon_key.encode("utf-8")
    iv_bytes = iv.encode("utf-8")
    if len(key) not in ((16,) if mode == "sm4-cbc" else (16, 32)):  # AES() would also take 24; the service does not
        raise ValueError("logonKey must be 16 bytes" if mode == "sm4-cbc" else "logonKey must be 16 or 32 bytes")
    if len(iv_bytes) != (12 if mode == "aes-gcm" else 16):
        raise ValueError("iv must be 12 bytes" if mode == "aes-gcm" else "iv must be 16 bytes")
    if mode == "aes-gcm":
        return base64.b64encode(AESGCM(key).encrypt(iv_bytes, json_text.encode("utf-8"), None)).decode("ascii")
    if mode not in ("aes-cbc", "sm4-cbc"):
        raise ValueError("cipher must be aes-cbc, aes-gcm or sm4-cbc")
    padder = padding.PKCS7(128).padder()  # 128 = the AES and SM4 block size in bits
    data = padder.update(json_text.encode("utf-8")) + padder.finalize()
    algorithm = algorithms.SM4(key) if mode == "sm4-cbc" else algorithms.AES(key)
    encryptor = Cipher(algorithm, modes.CBC(iv_bytes)).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: python3 logon.py KEY IV JSON [aes-cbc|aes-gcm|sm4-cbc]")
    print(encrypt_logon(*sys.argv[1:4], *sys.argv[4:]))
