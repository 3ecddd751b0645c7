#!/bin/sh
# The verifyMobile `logon` parameter with the openssl command line (OpenSSL 1.1+/3, LibreSSL).
# Usage: sh logon.sh KEY IV JSON [aes-cbc|sm4-cbc]
# (aes-gcm: `openssl enc` does not do authenticated ciphers; use a language recipe or a client.)
set -eu
[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: sh logon.sh KEY IV JSON [aes-cbc|sm4-cbc]" >&2; exit 2; }
key=$1 iv=$2 json=$3 mode=${4:-aes-cbc}

bytes() { printf %s "$1" | wc -c | tr -d ' '; }
hex() { printf %s "$1" | od -An -v -tx1 | tr -d ' \n'; }

# -K and -iv take hex. openssl pads a short hex key with zero bytes instead of failing, so pick
# the cipher from the key's length in bytes.
case $mode:$(bytes "$key") in
  aes-cbc:16) cipher=aes-128-cbc ;;
  aes-cbc:32) cipher=aes-256-cbc ;;
  sm4-cbc:16) cipher=sm4-cbc ;;
  sm4-cbc:*) echo "logonKey must be 16 bytes" >&2; exit 2 ;;
  aes-cbc:*) echo "logonKey must be 16 or 32 bytes" >&2; exit 2 ;;
  *) echo "cipher must be aes-cbc or sm4-cbc" >&2; exit 2 ;;
esac
[ "$(bytes "$iv")" -eq 16 ] || { echo "iv must be 16 bytes" >&2; exit 2; }

# enc pads with PKCS#7 by default; -A puts the base64 on one line.
printf %s "$json" | openssl enc "-$cipher" -K "$(hex "$key")" -iv "$(hex "$iv")" -base64 -A
echo
