// Package verifymobile is a client for POST /api/personalInfo/verifyMobile (docs/contract.md
// §1–§6), the same behaviour as the TypeScript client: a requestId per call, retries on transport
// failures and 501–504 with that requestId and a fresh iv (jittered exponential backoff, one
// deadline), typed results and errors. Standard library only.
package verifymobile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Path is the API's path, appended to BaseURL.
const Path = "/api/personalInfo/verifyMobile"

const (
	// DefaultTimeout is per attempt: the service's UPSTREAM_DEADLINE_MS (10 s) plus 5 s, so its
	// own 501 arrives before the client gives up (docs/clients.md).
	DefaultTimeout = 15 * time.Second
	// DefaultRetries is how many times a call is retried after its first attempt.
	DefaultRetries = 2
	// DefaultDeadline bounds the whole call, retries and waits included: three whole attempts fit.
	DefaultDeadline = 60 * time.Second
)

// Options configure a Client; BaseURL, Token and LogonKey are required.
type Options struct {
	BaseURL  string
	Token    string
	LogonKey string
	Cipher   Cipher        // default AESCBC
	Sign     bool          // send the sign field (accounts with require-sign)
	Timeout  time.Duration // per attempt, default DefaultTimeout
	Retries  *int          // default DefaultRetries; verifymobile.Int(0) turns retries off
	Deadline time.Duration // the whole call, default DefaultDeadline
	HTTP     *http.Client  // default a client without its own timeout (Timeout applies)
}

// Int returns a pointer to n, for Options.Retries.
func Int(n int) *int { return &n }

// Identity is what is verified; it is sent encrypted, never in clear.
type Identity struct {
	IDCard     string `json:"idCard"`
	UserName   string `json:"userName"`
	LoginPhone string `json:"loginphone"`
}

// Result is a 200 answer.
type Result struct {
	Result    string  `json:"result"`    // consistent | inconsistent | unknown
	MatchCode *string `json:"matchCode"` // 11, 21, 22, 23, 24, or nil
	Carrier   *string `json:"carrier"`   // CMCC, CUCC, CTCC, CBN, or nil when unknown
	OrderNo   string  `json:"orderNo"`   // a replay carries the first answer's
	Billable  bool    `json:"billable"`
	Duplicate bool    `json:"duplicate"`
	RequestID string  `json:"requestId"`
	Attempts  int     `json:"attempts"`
}

// Error is everything that is not a result. Family: token (1xx), request (3xx), upstream
// (501–504), server (500), transport (no envelope: code timeout, network or bad-response).
type Error struct {
	Family     string
	Code       string
	Detail     string
	Reason     *string
	OrderNo    *string
	RequestID  string
	Attempts   int
	retryAfter int
	cause      error
}

func (e *Error) Error() string {
	if e.Reason != nil && *e.Reason != "" {
		return e.Code + " " + e.Detail + " (" + *e.Reason + ")"
	}
	return e.Code + " " + e.Detail
}

func (e *Error) Unwrap() error { return e.cause }

// Retryable says whether the client retries it: 501–504 and a timeout or network failure.
func (e *Error) Retryable() bool {
	return e.Family == "upstream" || (e.Family == "transport" && e.Code != "bad-response")
}

// Client is safe for concurrent use.
type Client struct {
	url     string
	opts    Options
	key     []byte
	retries int
	http    *http.Client
	jitter  func() float64
}

var requestIDPattern = regexp.MustCompile(`^[\x20-\x7e]{1,64}$`)

// New checks the options (every mistake fails here, not at the first request).
func New(o Options) (*Client, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("BaseURL must be an http:// or https:// URL")
	}
	if o.Token == "" {
		return nil, errors.New("Token is required")
	}
	if o.Cipher == "" {
		o.Cipher = AESCBC
	}
	key, err := o.Cipher.KeyBytes(o.LogonKey)
	if err != nil {
		return nil, err
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Deadline == 0 {
		o.Deadline = DefaultDeadline
	}
	if o.Timeout < 0 || o.Deadline < 0 {
		return nil, errors.New("Timeout and Deadline must be positive")
	}
	retries := DefaultRetries
	if o.Retries != nil {
		retries = *o.Retries
	}
	if retries < 0 {
		return nil, errors.New("Retries must be a whole number ≥ 0")
	}
	client := o.HTTP
	if client == nil {
		client = &http.Client{}
	}
	return &Client{url: strings.TrimRight(o.BaseURL, "/") + Path, opts: o, key: key, retries: retries, http: client, jitter: rand.Float64}, nil
}

// Backoff is the wait before retry n: min(5 s, 500 ms × 2^(n−1)) scaled by 50–100 %, at least
// Retry-After.
func Backoff(attempt, retryAfterSeconds int, random float64) time.Duration {
	exponential := math.Min(5000, 500*math.Pow(2, float64(attempt-1)))
	wait := time.Duration(math.Round(exponential*(0.5+random/2))) * time.Millisecond
	if asked := time.Duration(retryAfterSeconds) * time.Second; asked > wait {
		return asked
	}
	return wait
}

// Verify makes one logical call; requestID "" means a new random one.
func (c *Client) Verify(ctx context.Context, id Identity, requestID string) (*Result, error) {
	if requestID == "" {
		requestID = NewRequestID()
	}
	if !requestIDPattern.MatchString(requestID) {
		return nil, errors.New("requestId must be 1–64 printable ASCII characters")
	}
	plain, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Deadline)
	defer cancel()
	end, _ := ctx.Deadline()
	for attempt := 1; ; attempt++ {
		result, err := c.once(ctx, string(plain), requestID)
		if err == nil {
			result.RequestID, result.Attempts = requestID, attempt
			return result, nil
		}
		err.RequestID, err.Attempts = requestID, attempt
		// Retried: 501–504 (never billed) and transport failures, which may have reached the
		// service: the same requestId replays a billed answer instead of billing again
		// (docs/contract.md §6). A 1xx, 3xx or 500 would fail the same way again.
		wait := Backoff(attempt, err.retryAfter, c.jitter())
		if !err.Retryable() || attempt > c.retries || time.Now().Add(wait).After(end) {
			return nil, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, err
		}
	}
}

func (c *Client) once(ctx context.Context, plain, requestID string) (*Result, *Error) {
	iv := c.opts.Cipher.NewIV() // a fresh iv for every attempt (nonce reuse would break GCM)
	logon, err := c.opts.Cipher.EncryptLogon(c.key, iv, plain)
	if err != nil {
		return nil, &Error{Family: "transport", Code: "network", Detail: "the request could not be encrypted", cause: err}
	}
	form := url.Values{"token": {c.opts.Token}, "iv": {iv}, "logon": {logon}, "requestId": {requestID}}
	if c.opts.Sign {
		form.Set("sign", c.opts.Cipher.Sign(c.key, c.opts.Token, iv, logon, requestID))
	}
	wait := c.opts.Timeout
	if end, ok := ctx.Deadline(); ok && time.Until(end) < wait {
		wait = time.Until(end)
	}
	attemptCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	request, err := http.NewRequestWithContext(attemptCtx, http.MethodPost, c.url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &Error{Family: "transport", Code: "network", Detail: "the request failed before an answer arrived", cause: err}
	}
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	request.Header.Set("Accept", "application/json")
	response, err := c.http.Do(request)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(response.Body, 1<<20))
		response.Body.Close()
	}
	if err != nil {
		if attemptCtx.Err() == context.DeadlineExceeded {
			detail := fmt.Sprintf("no answer within %d ms", wait.Milliseconds())
			return nil, &Error{Family: "transport", Code: "timeout", Detail: detail, cause: err}
		}
		reason := err.Error()
		return nil, &Error{Family: "transport", Code: "network", Detail: "the request failed before an answer arrived", Reason: &reason, cause: err}
	}
	retryAfter, _ := strconv.Atoi(response.Header.Get("Retry-After"))
	return readEnvelope(body, response.StatusCode, response.Header.Get("X-Order-No"), retryAfter)
}

var results = map[string]string{"10000": "consistent", "10001": "inconsistent", "10002": "unknown"}
var carriers = map[string]bool{"CMCC": true, "CUCC": true, "CTCC": true, "CBN": true}

func readEnvelope(body []byte, status int, orderNo string, retryAfter int) (*Result, *Error) {
	var order *string
	if orderNo != "" {
		order = &orderNo
	}
	bad := func(what string) *Error {
		return &Error{Family: "transport", Code: "bad-response", Detail: fmt.Sprintf("HTTP %d: %s", status, what), OrderNo: order}
	}
	var envelope map[string]interface{}
	if err := json.Unmarshal(body, &envelope); err != nil {
		var anything interface{}
		if json.Unmarshal(body, &anything) != nil {
			return nil, bad("the answer is not JSON")
		}
	}
	code, ok1 := envelope["errorCode"].(string)
	detail, ok2 := envelope["errorDetail"].(string)
	reason, ok3 := envelope["errorReason"].(string)
	if !ok1 || !ok2 || !(ok3 || envelope["errorReason"] == nil) {
		return nil, bad("the answer is not a verifyMobile envelope")
	}
	if code != "200" {
		e := &Error{Family: family(code), Code: code, Detail: detail, OrderNo: order, retryAfter: retryAfter}
		if ok3 {
			e.Reason = &reason
		}
		return nil, e
	}
	returnCode, _ := envelope["returnCode"].(string)
	info, _ := envelope["info"].(map[string]interface{})
	infoOrderNo, ok1 := info["orderNo"].(string)
	billable, ok2 := info["billable"].(bool)
	duplicate, ok3 := info["duplicate"].(bool)
	if results[returnCode] == "" || !ok1 || !ok2 || !ok3 {
		return nil, bad("a 200 envelope without a result")
	}
	result := &Result{Result: results[returnCode], OrderNo: infoOrderNo, Billable: billable, Duplicate: duplicate}
	if m, ok := info["matchCode"].(string); ok {
		result.MatchCode = &m
	}
	if carrier, ok := info["carrier"].(string); ok && carriers[carrier] {
		result.Carrier = &carrier
	}
	return result, nil
}

func family(code string) string {
	switch {
	case strings.HasPrefix(code, "1"):
		return "token"
	case code == "501" || code == "502" || code == "503" || code == "504":
		return "upstream"
	case strings.HasPrefix(code, "5"):
		return "server"
	}
	return "request"
}
