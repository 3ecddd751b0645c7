#!/usr/bin/env python3
"""The verifyMobile `logon` parameter in Python with `cryptography` (pip install cryptography).

Usage: python3 logon.py KEY IV JSON
"""
import base64
import sys

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_logon(logon_key: str, iv: str, json_text: str) -> str:
    """base64(AES-CBC/PKCS#7(key = UTF-8 of logon_key, iv = UTF-8 of iv, UTF-8 of json_text))."""
    key = logon_key.encode("utf-8")
    iv_bytes = iv.encode("utf-8")
    if len(key) not in (16, 32):  # AES() would also take 24 bytes; the service does not
        raise ValueError("logonKey must be 16 or 32 bytes")
    if len(iv_bytes) != 16:
        raise ValueError("iv must be 16 bytes")
    padder = padding.PKCS7(128).padder()  # 128 = the AES block size in bits
    data = padder.update(json_text.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv_bytes)).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python3 logon.py KEY IV JSON")
    print(encrypt_logon(sys.argv[1], sys.argv[2], sys.argv[3]))
