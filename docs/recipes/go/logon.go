// The verifyMobile `logon` parameter in Go, standard library only.
// Usage: go run logon.go KEY IV JSON
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

// EncryptLogon returns base64(AES-CBC/PKCS#7(key = bytes of logonKey, iv = bytes of iv, json)).
// Go strings are UTF-8 bytes already.
func EncryptLogon(logonKey, iv, json string) (string, error) {
	if len(logonKey) != 16 && len(logonKey) != 32 { // aes.NewCipher would also take 24; the service does not
		return "", errors.New("logonKey must be 16 or 32 bytes")
	}
	if len(iv) != aes.BlockSize {
		return "", errors.New("iv must be 16 bytes")
	}
	block, err := aes.NewCipher([]byte(logonKey)) // 16 bytes → AES-128, 32 → AES-256
	if err != nil {
		return "", err
	}
	// cipher.NewCBCEncrypter does no padding: PKCS#7 adds n bytes of value n, 1 ≤ n ≤ 16
	// (a whole block of 16s when the text already fills its last block).
	n := aes.BlockSize - len(json)%aes.BlockSize
	data := append([]byte(json), bytes.Repeat([]byte{byte(n)}, n)...)
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(block, []byte(iv)).CryptBlocks(out, data)
	return base64.StdEncoding.EncodeToString(out), nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go run logon.go KEY IV JSON")
		os.Exit(2)
	}
	logon, err := EncryptLogon(os.Args[1], os.Args[2], os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(logon)
}
