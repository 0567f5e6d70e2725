// Package cloudstack is vrun's CloudStack module: a client that signs
// requests exactly as the server verifies them, calls any API by its own
// name, waits for async jobs with backoff, pages through lists, and under
// --sim talks to the embedded simulator (package csim).
package cloudstack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
	"github.com/vrun-dev/vrun/builtins/env"
)

// Client calls one CloudStack endpoint. Its secret key is unexported and
// never printed.
type Client struct {
	Endpoint string // e.g. https://cloud.example.com/client/api
	APIKey   string
	secret   string
	HTTP     *http.Client
	Clock    env.Clock
	Policy   Policy
	Timeout  time.Duration // default wait for async jobs
	// RequestTimeout bounds one HTTP exchange, so a server that never
	// answers fails the call (reads are retried) instead of hanging.
	RequestTimeout time.Duration
	// Expires > 0: sign with signatureversion=3 and expires = Wall() +
	// Expires (DefaultExpires); 0: neither, for servers older than 4.x
	// that do not know them.
	Expires time.Duration
	// Wall is the real clock expires is computed from, whatever Clock is
	// (under --sim Clock runs 300× faster); nil: time.Now.
	Wall         func() time.Time
	MaxListPages int // ListAll's bound on pages; 0: maxListPages
	Tracef       func(format string, args ...any)
	Warnf        func(format string, args ...any) // ListAll's doubts about a server's count; nil: none
	Progress     func(line string)                // progress of waits on a terminal; "" clears; nil: none
	// pageSize is the largest page the server allows once a list learned
	// it (0: unknown), shared by copies of the client (a wait's).
	pageSize *atomic.Int64
}

// DefaultExpires is how far ahead requests expire by default: within the
// 15 minutes servers with enforce.post.requests.and.timestamps accept,
// with 5 minutes to spare for a client clock ahead of the server's, and 10
// for one behind it.
const DefaultExpires = 10 * time.Minute

// MaxExpires is the farthest expiry such servers accept.
const MaxExpires = 15 * time.Minute

// NewClient returns a client with the default policy and timeout.
func NewClient(endpoint, apiKey, secret string, hc *http.Client, clock env.Clock) *Client {
	if hc == nil {
		hc = &http.Client{}
	}
	if clock == nil {
		clock = env.RealClock{}
	}
	return &Client{Endpoint: endpoint, APIKey: apiKey, secret: secret, HTTP: hc, Clock: clock,
		Policy: DefaultPolicy(), Timeout: 30 * time.Minute, RequestTimeout: DefaultRequestTimeout, Expires: DefaultExpires,
		pageSize: new(atomic.Int64)}
}

// maxAnswer bounds what one answer may hold in memory.
const maxAnswer = 64 << 20

// DefaultRequestTimeout is how long one request may take by default.
const DefaultRequestTimeout = 60 * time.Second

// shown is the endpoint for messages: without user:password@.
func (c *Client) shown() string { return redactURL(c.Endpoint) }

// redactURL strips the userinfo, query and fragment of a URL (a profile's
// url may carry a key there); text that does not parse is replaced whole,
// as it may still hold a password.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unparseable URL)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// APIError is an error answer of the API: `431 (4350) <errortext>`, or
// `401 <errortext>` when the server sends no cserrorcode.
type APIError struct {
	Command    string
	HTTPStatus int
	Code       int // errorcode
	CSCode     int // cserrorcode
	Text       string
}

func (e *APIError) Error() string {
	switch {
	case e.Code == 0:
		return e.Text
	case e.CSCode == 0:
		return fmt.Sprintf("%d %s", e.Code, e.Text)
	}
	return fmt.Sprintf("%d (%d) %s", e.Code, e.CSCode, e.Text)
}

// isRead tells GET commands from POST ones, as cloudstack-go does.
func isRead(command string) bool {
	for _, p := range []string{"list", "query", "get"} {
		if strings.HasPrefix(command, p) {
			return true
		}
	}
	return false
}

// Request sends one API call and returns the response without its
// "<name>response" wrapper. Reads are retried on connection errors, 5xx and
// 429; a POST is re-sent only when the connection was never made.
func (c *Client) Request(ctx context.Context, command string, params map[string]string) (map[string]any, error) {
	return c.request(ctx, command, params, true)
}

// request is Request with the -v trace optional: a wait traces its first
// poll and its outcome, not every query.
func (c *Client) request(ctx context.Context, command string, params map[string]string, traced bool) (map[string]any, error) {
	p := map[string]string{}
	for k, v := range params {
		p[k] = v
	}
	p["command"], p["response"], p["apiKey"] = command, "json", c.APIKey
	method := http.MethodPost
	if isRead(command) {
		method = http.MethodGet
	}
	if traced {
		c.trace(method, command, params)
	}
	delay := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		res, retry, err := c.send(ctx, method, command, c.signed(p))
		if err == nil || !retry || attempt == 5 || ctx.Err() != nil {
			return res, err
		}
		c.trace("retry", command, map[string]string{"after": delay.String(), "error": err.Error()}) // err shows no userinfo
		if serr := c.Clock.Sleep(ctx, delay); serr != nil {
			return nil, err
		}
		delay *= 2
	}
}

// signed encodes p with a fresh expiry and signature: a retry minutes
// later must not arrive expired.
func (c *Client) signed(p map[string]string) string {
	if c.Expires > 0 {
		now := time.Now
		if c.Wall != nil {
			now = c.Wall
		}
		p["signatureversion"], p["expires"] = "3", signing.Expires(now().Add(c.Expires))
	}
	delete(p, "signature")
	p["signature"] = signing.Sign(p, c.secret)
	return encode(p)
}

// send makes one HTTP exchange; retry tells whether it is safe and useful
// to try again. A POST that may have reached the server without a clear
// answer (no answer in time, a broken connection, a truncated or foreign
// answer) says so and how to check, since running it again may duplicate it.
func (c *Client) send(ctx context.Context, method, command, body string) (map[string]any, bool, error) {
	res, retry, err := c.exchange(ctx, method, command, body)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		// Only this request's deadline ran out: a read is safe to repeat,
		// a POST may have been carried out.
		err = fmt.Errorf("%s %s: no answer to %s within %s (request_timeout)", method, c.shown(), command, c.RequestTimeout)
		retry = method == http.MethodGet
	}
	var ae *APIError
	var sure *settled
	if err != nil && method == http.MethodPost && !retry && !errors.As(err, &ae) && !errors.As(err, &sure) {
		err = fmt.Errorf("%w; %s", err, checkHint(command))
	}
	if errors.As(err, &sure) {
		err = sure.err
	}
	return res, retry, err
}

func (c *Client) exchange(ctx context.Context, method, command, body string) (map[string]any, bool, error) {
	if c.RequestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.RequestTimeout)
		defer cancel()
	}
	var req *http.Request
	var err error
	if method == http.MethodGet {
		req, err = http.NewRequestWithContext(ctx, method, c.Endpoint+"?"+body, nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, c.Endpoint, strings.NewReader(body))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, false, &settled{fmt.Errorf("invalid endpoint %q", c.shown())} // nothing was sent
	}
	hc := *c.HTTP // the caller's client, with redirects restricted
	hc.CheckRedirect = sameOrigin
	resp, err := hc.Do(req)
	if err != nil {
		// url.Error repeats the URL with the signed query: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		var op *net.OpError
		neverSent := errors.As(err, &op) && op.Op == "dial"
		return nil, method == http.MethodGet || neverSent, fmt.Errorf("%s %s: %w", method, c.shown(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, false, &settled{c.redirectError(method, command, resp)}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, method == http.MethodGet, fmt.Errorf("%s %s: reading the response: %w", method, c.shown(), err)
	}
	if len(data) > maxAnswer {
		return nil, false, fmt.Errorf("%s %s: the answer to %s is larger than %d MiB, not read: narrow it (filters, a smaller pagesize with cs.list)",
			method, c.shown(), command, maxAnswer>>20)
	}
	inner, derr := unwrap(data)
	if resp.StatusCode == http.StatusOK && derr == nil {
		return inner, false, nil
	}
	transient := resp.StatusCode == 429 || resp.StatusCode >= 500 && resp.StatusCode <= 504
	retry := method == http.MethodGet && transient
	if derr == nil {
		if code, ok := number(inner["errorcode"]); ok {
			cs, _ := number(inner["cserrorcode"])
			text, _ := inner["errortext"].(string)
			return nil, retry, &APIError{Command: command, HTTPStatus: resp.StatusCode, Code: code, CSCode: cs, Text: text}
		}
	}
	snippet := strings.TrimSpace(string(data))
	if len(snippet) > 200 {
		snippet = snippet[:200] + "..."
	}
	if resp.StatusCode == http.StatusOK {
		return nil, false, fmt.Errorf("%s %s: not a CloudStack JSON response: %v: %s", method, c.shown(), derr, snippet)
	}
	return nil, retry, fmt.Errorf("%s %s: HTTP %s: %s", method, c.shown(), resp.Status, snippet)
}

// unwrap decodes {"<name>response": {...}} and returns the inner object.
func unwrap(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var outer map[string]any
	if err := dec.Decode(&outer); err != nil {
		return nil, err
	}
	for k, v := range outer {
		if strings.HasSuffix(k, "response") {
			if m, ok := v.(map[string]any); ok {
				return m, nil
			}
		}
	}
	return nil, errors.New("no <command>response object in the answer")
}

func number(v any) (int, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	case float64:
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}

// encode renders sorted parameters with the server's own encoding, so what
// travels is exactly what was signed.
func encode(p map[string]string) string {
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = signing.Encode(n) + "=" + signing.Encode(p[n])
	}
	return strings.Join(parts, "&")
}

// trace prints an API call under -v: the parameters the caller gave and an
// abbreviated API key; never the secret, the signature or its input.
func (c *Client) trace(method, command string, params map[string]string) {
	if c.Tracef == nil {
		return
	}
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		v := params[n]
		if l := strings.ToLower(n); strings.Contains(l, "password") || strings.Contains(l, "secret") {
			v = "***" // createUser(password = ...), registerUserKeys answers: not for traces
		}
		fmt.Fprintf(&b, " %s=%q", n, v)
	}
	c.Tracef("cloudstack %s %s%s (apikey %s)", method, command, b.String(), abbreviate(c.APIKey))
}

func abbreviate(key string) string {
	if len(key) <= 8 {
		return "***"
	}
	return key[:4] + "…" + key[len(key)-4:]
}
