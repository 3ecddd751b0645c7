"""The Python client under the conformance driver protocol (test/client/conformance.md): one case
per stdin line of TAB-separated name=value pairs, one JSON line per case on stdout."""

import json
import sys

import verify_mobile as vm
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def run(f):
    cipher = f.get("cipher", "aes-cbc")
    op = f.get("op")
    if op == "defaults":
        return {"timeoutMs": vm.DEFAULT_TIMEOUT_MS, "retries": vm.DEFAULT_RETRIES, "deadlineMs": vm.DEFAULT_DEADLINE_MS}
    if op == "sm":
        key, message = bytes.fromhex(f["key"]), bytes.fromhex(f["message"])
        block = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
        mac = hmac.HMAC(key, hashes.SM3())
        mac.update(message)
        digest = hashes.Hash(hashes.SM3())
        digest.update(message)
        return {"sm4": (block.update(bytes.fromhex(f["block"])) + block.finalize()).hex(),
                "sm3": digest.finalize().hex(), "hmacSm3": mac.finalize().hex()}
    if op == "encrypt":
        return {"logon": vm.encrypt_logon(cipher, vm.key_bytes(f["key"], cipher), f["iv"], f["json"])}
    if op == "sign":
        return {"sign": vm.sign(cipher, vm.key_bytes(f["key"], cipher), f["token"], f["iv"], f["logon"],
                                f.get("requestId", ""))}
    options = {"cipher": cipher, "sign": f.get("sign") == "true"}
    if f.get("retries"):
        options["retries"] = int(f["retries"])
    if f.get("timeoutMs"):
        options["timeout_ms"] = int(f["timeoutMs"])
    try:
        client = vm.Client(f["base"], f["token"], f["key"], **options)
        r = client.verify(f["idCard"], f["userName"], f["loginphone"], request_id=f.get("requestId") or None)
    except vm.VerifyMobileError as e:
        return {"family": e.family, "code": e.code, "detail": e.detail, "reason": e.reason, "orderNo": e.order_no,
                "requestId": e.request_id, "attempts": e.attempts, "retryable": e.retryable}
    except ValueError as e:
        return {"invalid": str(e)}
    return {"result": r.result, "matchCode": r.match_code, "carrier": r.carrier, "orderNo": r.order_no,
            "billable": r.billable, "duplicate": r.duplicate, "requestId": r.request_id, "attempts": r.attempts}


for line in sys.stdin:
    fields = dict(p.split("=", 1) for p in line.rstrip("\n").split("\t"))
    print(json.dumps({"case": fields.get("case"), **run(fields)}, ensure_ascii=False), flush=True)
