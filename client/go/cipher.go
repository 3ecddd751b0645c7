package verifymobile

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
)

// Cipher is the account's cipher (docs/contract.md §1).
type Cipher string

const (
	// AESCBC is the default, 驭信-compatible cipher.
	AESCBC Cipher = "aes-cbc"
	// AESGCM is authenticated: the logon is the ciphertext followed by the 16-byte tag, no AAD.
	AESGCM Cipher = "aes-gcm"
	// SM4CBC is the 国密 cipher (SM4, PKCS#7); its sign uses HMAC-SM3.
	SM4CBC Cipher = "sm4-cbc"
)

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

var signLabel = []byte("verifyMobile/sign/v1")

// IVLength is the iv's length in characters: 12 for aes-gcm (the nonce), 16 for the CBC ciphers.
func (c Cipher) IVLength() int {
	if c == AESGCM {
		return 12
	}
	return 16
}

// KeyBytes checks the logonKey's UTF-8 bytes for the cipher (AES 16 or 32, SM4 16).
func (c Cipher) KeyBytes(logonKey string) ([]byte, error) {
	raw := []byte(logonKey)
	switch c {
	case SM4CBC:
		if len(raw) != 16 {
			return nil, fmt.Errorf("logonKey must be 16 bytes in UTF-8 (SM4), got %d", len(raw))
		}
	case AESCBC, AESGCM:
		if len(raw) != 16 && len(raw) != 32 {
			return nil, fmt.Errorf("logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got %d", len(raw))
		}
	default:
		return nil, fmt.Errorf("cipher must be one of aes-cbc, aes-gcm, sm4-cbc, got %s", c)
	}
	return raw, nil
}

// NewIV is a fresh alphanumeric iv of the cipher's length.
func (c Cipher) NewIV() string {
	iv := make([]byte, c.IVLength())
	for i := range iv {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphanumeric))))
		if err != nil {
			panic(err) // the system's random source failed: nothing safe can be sent
		}
		iv[i] = alphanumeric[n.Int64()]
	}
	return string(iv)
}

// NewRequestID is a random UUID (version 4), the default requestId of a call.
func NewRequestID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// EncryptLogon is the logon parameter: base64 of the cipher's output over the UTF-8 json, with
// the UTF-8 bytes of iv as IV or nonce.
func (c Cipher) EncryptLogon(key []byte, iv, json string) (string, error) {
	ivBytes := []byte(iv)
	if len(ivBytes) != c.IVLength() {
		return "", fmt.Errorf("iv must be %d bytes in UTF-8, got %d", c.IVLength(), len(ivBytes))
	}
	plain := []byte(json)
	if c == SM4CBC {
		return base64.StdEncoding.EncodeToString(SM4CBCEncrypt(key, ivBytes, plain)), nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	if c == AESGCM {
		gcm, err := cipher.NewGCMWithNonceSize(block, 12)
		if err != nil {
			return "", err
		}
		return base64.StdEncoding.EncodeToString(gcm.Seal(nil, ivBytes, plain, nil)), nil
	}
	pad := 16 - len(plain)%16
	padded := append(append([]byte(nil), plain...), make([]byte, pad)...)
	for i := len(plain); i < len(padded); i++ {
		padded[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, ivBytes).CryptBlocks(padded, padded)
	return base64.StdEncoding.EncodeToString(padded), nil
}

// Sign is the sign field: lowercase hex of HMAC-H(signKey, token|iv|logon|requestId), signKey =
// HMAC-H(logonKey, "verifyMobile/sign/v1"); H is SM3 for sm4-cbc, SHA-256 otherwise.
func (c Cipher) Sign(key []byte, token, iv, logon, requestID string) string {
	message := []byte(token + "|" + iv + "|" + logon + "|" + requestID)
	if c == SM4CBC {
		return hex.EncodeToString(HMACSM3(HMACSM3(key, signLabel), message))
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(signLabel)
	mac = hmac.New(sha256.New, mac.Sum(nil))
	mac.Write(message)
	return hex.EncodeToString(mac.Sum(nil))
}
