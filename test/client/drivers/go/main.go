// The Go client under the conformance driver protocol (test/client/conformance.md): one case per
// stdin line of TAB-separated name=value pairs, one JSON line per case on stdout.
package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"verifymobile"
)

func run(f map[string]string) map[string]interface{} {
	cipher := verifymobile.Cipher(f["cipher"])
	if cipher == "" {
		cipher = verifymobile.AESCBC
	}
	switch f["op"] {
	case "defaults":
		return map[string]interface{}{"timeoutMs": verifymobile.DefaultTimeout.Milliseconds(), "retries": verifymobile.DefaultRetries, "deadlineMs": verifymobile.DefaultDeadline.Milliseconds()}
	case "sm":
		key, _ := hex.DecodeString(f["key"])
		block, _ := hex.DecodeString(f["block"])
		message, _ := hex.DecodeString(f["message"])
		mac := verifymobile.HMACSM3(key, message)
		return map[string]interface{}{"sm4": hex.EncodeToString(verifymobile.SM4Block(key, block)), "sm3": hex.EncodeToString(verifymobile.SM3(message)), "hmacSm3": hex.EncodeToString(mac)}
	case "encrypt":
		key, err := cipher.KeyBytes(f["key"])
		if err != nil {
			return map[string]interface{}{"invalid": err.Error()}
		}
		logon, err := cipher.EncryptLogon(key, f["iv"], f["json"])
		if err != nil {
			return map[string]interface{}{"invalid": err.Error()}
		}
		return map[string]interface{}{"logon": logon}
	case "sign":
		key, _ := cipher.KeyBytes(f["key"])
		return map[string]interface{}{"sign": cipher.Sign(key, f["token"], f["iv"], f["logon"], f["requestId"])}
	}
	options := verifymobile.Options{BaseURL: f["base"], Token: f["token"], LogonKey: f["key"], Cipher: cipher, Sign: f["sign"] == "true"}
	if f["retries"] != "" {
		n, _ := strconv.Atoi(f["retries"])
		options.Retries = verifymobile.Int(n)
	}
	if f["timeoutMs"] != "" {
		n, _ := strconv.Atoi(f["timeoutMs"])
		options.Timeout = time.Duration(n) * time.Millisecond
	}
	client, err := verifymobile.New(options)
	if err != nil {
		return map[string]interface{}{"invalid": err.Error()}
	}
	r, err := client.Verify(context.Background(), verifymobile.Identity{IDCard: f["idCard"], UserName: f["userName"], LoginPhone: f["loginphone"]}, f["requestId"])
	var e *verifymobile.Error
	if errors.As(err, &e) {
		return map[string]interface{}{"family": e.Family, "code": e.Code, "detail": e.Detail, "reason": e.Reason, "orderNo": e.OrderNo, "requestId": e.RequestID, "attempts": e.Attempts, "retryable": e.Retryable()}
	}
	if err != nil {
		return map[string]interface{}{"invalid": err.Error()}
	}
	return map[string]interface{}{"result": r.Result, "matchCode": r.MatchCode, "carrier": r.Carrier, "orderNo": r.OrderNo, "billable": r.Billable, "duplicate": r.Duplicate, "requestId": r.RequestID, "attempts": r.Attempts}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for in.Scan() {
		fields := map[string]string{}
		for _, pair := range strings.Split(in.Text(), "\t") {
			if i := strings.Index(pair, "="); i >= 0 {
				fields[pair[:i]] = pair[i+1:]
			}
		}
		answer := run(fields)
		answer["case"] = fields["case"]
		out.Encode(answer)
	}
}
