// The verifyMobile `logon` parameter in Go, standard library only.
// Usage: go run logon.go KEY IV JSON [aes-cbc|aes-gcm]
// (sm4-cbc: Go's standard library has no SM4; the Go client, client/go, carries one.)
package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
)

// EncryptLogon returns the logon for the account's cipher: base64(AES-CBC/PKCS#7) for aes-cbc,
// base64(ciphertext + 16-byte tag) for aes-gcm (nonce = the iv's 12 bytes, no additional data).
// Go strings are UTF-8 bytes already.
func EncryptLogon(mode, logonKey, iv, json string) (string, error) {
	if len(logonKey) != 16 && len(logonKey) != 32 { // aes.NewCipher would also take 24; the service does not
		return "", errors.New("logonKey must be 16 or 32 bytes")
	}
	block, err := aes.NewCipher([]byte(logonKey)) // 16 bytes → AES-128, 32 → AES-256
	if err != nil {
		return "", err
	}
	switch mode {
	case "aes-gcm":
		if len(iv) != 12 {
			return "", errors.New("iv must be 12 bytes for aes-gcm")
		}
		gcm, err := cipher.NewGCM(block) // 12-byte nonce, 16-byte tag appended by Seal
		if err != nil {
			return "", err
		}
		return base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(iv), []byte(json), nil)), nil
	case "aes-cbc":
		if len(iv) != aes.BlockSize {
			return "", errors.New("iv must be 16 bytes")
		}
		// cipher.NewCBCEncrypter does no padding: PKCS#7 adds n bytes of value n, 1 ≤ n ≤ 16
		// (a whole block of 16s when the text already fills its last block).
		n := aes.BlockSize - len(json)%aes.BlockSize
		data := append([]byte(json), bytes.Repeat([]byte{byte(n)}, n)...)
		out := make([]byte, len(data))
		cipher.NewCBCEncrypter(block, []byte(iv)).CryptBlocks(out, data)
		return base64.StdEncoding.EncodeToString(out), nil
	}
	return "", errors.New("cipher must be aes-cbc or aes-gcm")
}

func main() {
	if len(os.Args) != 4 && len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: go run logon.go KEY IV JSON [aes-cbc|aes-gcm]")
		os.Exit(2)
	}
	mode := "aes-cbc"
	if len(os.Args) == 5 {
		mode = os.Args[4]
	}
	logon, err := EncryptLogon(mode, os.Args[1], os.Args[2], os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(logon)
}
