// Package chat2query is a client for the TiDB Cloud Chat2Query API: every
// endpoint of a Chat2Query Data App (v3 data summaries, chat2data, sessions,
// knowledge bases, refineSql and suggestQuestions; the v2 jobs endpoint they
// are polled with; the legacy v2 and v1 calls), with Digest or Basic
// authentication, tolerant decoding, typed errors, retries that never
// duplicate a request, and awareness of the API key's rate limit. It knows
// nothing about c2q's configuration language or runner.
//
// Every method takes a context first and names its endpoint in its doc
// comment. All calls go through one request path, which:
//
//   - waits, before sending, when the last response said that no request
//     remains in the API key's per-minute window (X-Ratelimit-Remaining-Minute
//     0), until the window resets (X-Ratelimit-Reset), bounded by ctx and by
//     RetryPolicy.MaxWait;
//   - retries a GET after a network error, an HTTP 5xx (except 501), a 408
//     or a per-minute 429, up to RetryPolicy.MaxRetries times, waiting as long
//     as Retry-After or X-Ratelimit-Reset says, else an exponential backoff
//     with jitter;
//   - retries a POST, PUT or DELETE only when the request certainly did not
//     reach the service: the connection could not be made (DNS, connection
//     refused), or the gateway refused it with the per-minute rate limit
//     (code 49900007), which it enforces before forwarding. Anything else
//     (a timeout, a reset connection, a 5xx) may have been processed and is
//     returned, never sent again: a question is never asked twice;
//   - never retries the daily AI quota's 429, any other 4xx, a 2xx response
//     that cannot be read, a TLS certificate that cannot be verified, or a
//     failure whose requested wait is longer than RetryPolicy.MaxWait.
//
// Deadlines. Every wait is bounded. The caller's context bounds a whole
// call: every attempt, the backoff and rate-limit waits between them, and
// the reading of every response body (a request's context governs its body
// too), so a hung server, a hung poll or a body that stalls half way ends
// with the context, as a *ContextError (or, for WaitJob, a *TimeoutError)
// that says what was going on. Each HTTP exchange is also bounded by the
// request timeout, DefaultRequestTimeout (30s) unless WithRequestTimeout
// says otherwise (the synchronous v1 chat2data call gets at least 125s), so
// that a call without a deadline of its own cannot hang either; a GET that
// times out is retried, a POST is not. A response body larger than 32 MiB
// is refused.
//
// Requests counts every HTTP request that reached the wire, at the lowest
// transport layer: retries, polls, digest challenge exchanges and the
// resends that Go's HTTP transport makes by itself.
//
// Authentication. With Digest (the default) the first request goes out
// without credentials to fetch the challenge, which is then answered and
// reused. A 401 that cannot be answered (no WWW-Authenticate, a Basic
// challenge, an unsupported digest) is returned at once, after that one
// request, as an *AuthError saying "the server answered 401 without a digest
// challenge"; a 401 to the answer (a wrong key) is returned after two. No
// authentication failure is retried.
//
// Errors can be tested with errors.As: *AuthError (401, including an
// expired key; errors.Is(err, ErrAuth) holds too), *RateLimitError (429,
// per-minute or the daily quota), *NotReadyError (400, the data summary is
// not ready), *NotFoundError (404), *ServerError (5xx, 408), each wrapping
// the *APIError that every refused request yields; *DecodeError for a
// response that cannot be understood; *NetworkError when no response came;
// *ContextError when the caller's context ended the call. Messages say what
// happened and what to do, and never contain the API keys.
package chat2query

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

const (
	// DefaultRequestTimeout bounds one HTTP exchange, from sending the
	// request to reading the last byte of the response (see
	// WithRequestTimeout): every v2/v3 call is asynchronous and answers in
	// well under a second, so it only trips on a hung server or connection.
	DefaultRequestTimeout = 30 * time.Second

	// v1RequestTimeout is the least the synchronous v1 chat2data call is
	// given: its endpoint may run for up to 120 s (§4) before it answers.
	v1RequestTimeout = 125 * time.Second

	// maxResponseBytes caps how much of a response body is read. Answers
	// carry result sets (the service caps them at a few thousand rows), so
	// 32 MiB is generous while still bounding memory against a bad proxy.
	maxResponseBytes = 32 << 20
)

// defaultUserAgent is c2q/<version>, the version of this module as the
// binary was built with it.
var defaultUserAgent = "c2q/" + Version()

// Version is the version of this module (github.com/c2q/c2q) as the running
// binary was built with it: a tag or pseudo-version when it was built as or
// with a released module, "devel" for a build from a work tree that go did not
// stamp. It is what the client sends in its User-Agent; the CLI prints it.
func Version() string {
	const mod = "github.com/c2q/c2q"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := ""
	if bi.Main.Path == mod {
		v = bi.Main.Version
	} else {
		for _, d := range bi.Deps {
			if d.Path == mod {
				v = d.Version
			}
		}
	}
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
}

// Client calls one Chat2Query Data App. It is safe for concurrent use.
type Client struct {
	base      string // endpoint base URL without trailing slash
	http      *http.Client
	userAgent string
	redact    *strings.Replacer // removes the keys from any text the server sends back
	retry     RetryPolicy       // with defaults applied

	reqTimeout time.Duration // bounds each HTTP exchange
	digestAuth bool          // Digest (the default) rather than Basic

	wire       atomic.Int64 // requests that reached the wire
	roundTrips atomic.Int64 // round trips handed to the transport

	mu   sync.Mutex
	rate RateLimit // the last rate limit a response reported

	// v1Root is set once POST /v1/chat2data answered 404 and the legacy
	// POST /chat2data did not: later v1 calls go straight there.
	v1Root atomic.Bool

	// Injectable for tests, so that no test really sleeps: WaitJob, the
	// retries and the rate-limit wait all use them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	// jitter spreads a backoff d over [d/2, d].
	jitter func(d time.Duration) time.Duration
}

// Option configures a Client.
type Option func(*config)

type config struct {
	httpClient *http.Client
	userAgent  string
	basic      bool
	retry      RetryPolicy
	reqTimeout time.Duration
}

// WithHTTPClient makes the client send requests with hc (for its timeout,
// proxy or TLS settings). hc is copied, not modified: the copy's Transport is
// wrapped with authentication. New refuses an *http.Transport that skips TLS
// certificate verification, except for a loopback address.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.httpClient = hc }
}

// WithRequestTimeout bounds each HTTP exchange, from sending the request to
// reading the last byte of its response, and the digest challenge exchange
// that may precede it (default DefaultRequestTimeout, 30s; the synchronous
// v1 chat2data call gets at least 125s). A GET that times out is retried
// like any network failure; a POST, PUT or DELETE is not, since it may have
// reached the service. It is in addition to the caller's context, which
// bounds the whole call, retries and waits included, and to an
// http.Client's own Timeout. Zero or negative keeps the default.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *config) { c.reqTimeout = d }
}

// WithUserAgent sets the User-Agent header (default "c2q/<version>").
func WithUserAgent(ua string) Option {
	return func(c *config) { c.userAgent = ua }
}

// WithBasicAuth sends the keys with HTTP Basic authentication on every request
// instead of answering a Digest challenge. It saves the challenge round trip
// but sends the private key itself on every request (over TLS, which New
// requires except for a loopback address).
func WithBasicAuth() Option {
	return func(c *config) { c.basic = true }
}

// WithRetryPolicy sets how failed requests are retried; zero fields keep
// their defaults. Which failures are retried is fixed (see the package
// documentation); the policy sets how often and how long to wait.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) { c.retry = p }
}

// New returns a client for the Data App endpoint base baseURL, e.g.
// https://us-east-1.data.tidbcloud.com/api/v1beta/app/chat2query-YqAvnlRj/endpoint,
// authenticating with an API key pair (HTTP Digest, MD5 with qop=auth, by
// default). The URL must be https, except for a loopback address
// (127.0.0.0/8, ::1, localhost) such as a local emulator.
func New(baseURL, publicKey, privateKey string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	u, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if err := checkKey("public", publicKey); err != nil {
		return nil, err
	}
	if err := checkKey("private", privateKey); err != nil {
		return nil, err
	}
	if cfg.userAgent == "" {
		cfg.userAgent = defaultUserAgent
	}

	if cfg.reqTimeout <= 0 {
		cfg.reqTimeout = DefaultRequestTimeout
	}

	c := &Client{
		base:       strings.TrimRight(u.String(), "/"),
		userAgent:  cfg.userAgent,
		retry:      cfg.retry.withDefaults(),
		reqTimeout: cfg.reqTimeout,
		digestAuth: !cfg.basic,
		rate:       RateLimit{Limit: -1, Remaining: -1},
		now:        time.Now,
		sleep:      sleepCtx,
		jitter:     equalJitter,
	}

	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	}
	if t, ok := hc.Transport.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify && !IsLoopbackHost(u.Hostname()) {
		return nil, errors.New("chat2query: the http.Client skips TLS certificate verification (InsecureSkipVerify): anyone in the middle could read the API keys; verify certificates instead")
	}
	if hc.CheckRedirect == nil {
		// Following a redirect would turn a POST into a GET and could carry
		// credentials to another host; a redirect here means a wrong URL.
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport // verifies TLS certificates
	}
	// The counter sits below authentication so that it sees digest
	// challenge exchanges too.
	next = &countingTransport{wire: &c.wire, roundTrips: &c.roundTrips, next: next}
	basicToken := base64.StdEncoding.EncodeToString([]byte(publicKey + ":" + privateKey))
	if cfg.basic {
		hc.Transport = &basicTransport{host: u.Host, header: "Basic " + basicToken, next: next}
	} else {
		hc.Transport = &digestTransport{user: publicKey, pass: privateKey, host: u.Host, next: next}
	}
	c.http = &hc
	c.redact = strings.NewReplacer(privateKey, "[redacted]", basicToken, "[redacted]", publicKey, "[redacted]")
	return c, nil
}

func parseBaseURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("chat2query: the endpoint URL is empty: it is https://<region>.data.tidbcloud.com/api/v1beta/app/chat2query-<ID>/endpoint")
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("chat2query: invalid endpoint URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("chat2query: endpoint URL %q must start with https:// (or http:// for a local emulator)", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("chat2query: endpoint URL %q has no host", u.Redacted())
	case u.User != nil:
		// Redacted() hides only the password; the username is a key too.
		return nil, errors.New("chat2query: the endpoint URL must not contain credentials: give the public and private key on their own")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("chat2query: endpoint URL %q must not have a query or fragment", u.Redacted())
	case u.Scheme == "http" && !IsLoopbackHost(u.Hostname()):
		return nil, fmt.Errorf("chat2query: endpoint URL %q uses plain http, which would expose the API keys and data: use https:// (plain http is accepted only for a loopback address, such as a local emulator)", u.Redacted())
	}
	return u, nil
}

// checkKey rejects an empty key and catches the stray newline or space that
// copying a key into an environment variable often adds. Errors never quote
// the key.
func checkKey(which, key string) error {
	if key == "" {
		return fmt.Errorf("chat2query: the %s key is empty", which)
	}
	if strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("chat2query: the %s key contains whitespace or control characters: check it for a stray newline", which)
	}
	return nil
}

// IsLoopbackHost reports a host that never leaves the machine: localhost,
// 127.0.0.0/8 or ::1. It is the one loopback rule of c2q: plain http and
// skipped certificate checks are accepted only for such a host, and the
// emulator serves only on one unless told otherwise.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the client without its keys, so that printing it is safe.
func (c *Client) String() string { return "chat2query.Client(" + c.base + ")" }

// GoString is String, so that %#v does not print the transport's keys either.
func (c *Client) GoString() string { return c.String() }

// Requests reports how many HTTP requests the client has put on the wire,
// counted at the lowest transport layer: every attempt of every call (a
// retry is a request too; so is every poll of WaitJob), every digest
// challenge exchange, and every resend that Go's http.Transport makes by
// itself (a GET whose reused keep-alive connection the server closed before
// answering), whether or not it succeeded. An attempt that never reached
// the server (DNS, connection refused) is not counted. It is the number of
// requests the service saw, the one to compare with its quota.
func (c *Client) Requests() int64 { return c.wire.Load() }

// RoundTrips reports how many HTTP round trips the client handed to its
// transport, below authentication: like Requests, but counting an attempt
// that could not connect, and not the transport's own resends.
func (c *Client) RoundTrips() int64 { return c.roundTrips.Load() }

// do is the single request path: it encodes body as JSON (none when nil),
// waits for the rate limit when none remains, sends the request, retries
// what may be retried (see retryDelay), maps every failure to a typed error
// and decodes the envelope's result into out (ignored when nil; a
// *json.RawMessage receives the result verbatim, even null). Each HTTP
// exchange is bounded by the request timeout, and the whole call by ctx.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	return c.call(ctx, method, path, body, out, c.reqTimeout)
}

// call is do with the request timeout given.
func (c *Client) call(ctx context.Context, method, path string, body, out any, timeout time.Duration) error {
	var payload []byte
	if body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // questions often contain < and >; send them as typed
		if err := enc.Encode(body); err != nil {
			return fmt.Errorf("chat2query: encoding %s %s request: %w", method, path, err)
		}
		payload = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	for attempt := 1; ; attempt++ {
		if err := c.waitForRateLimit(ctx, method, path); err != nil {
			return err
		}
		err := c.send(ctx, method, path, payload, out, timeout)
		if err == nil {
			return nil
		}
		var ce *ContextError
		if errors.As(err, &ce) {
			ce.Attempts = attempt
			return err
		}
		wait, retry := c.retryDelay(ctx, method, attempt, err)
		if !retry {
			if attempt > 1 {
				return fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return err
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return &ContextError{Method: method, Path: path, Attempts: attempt, Last: err, Err: serr}
		}
	}
}

// errRequestTimeout is the cause of a request context that the request
// timeout ended.
var errRequestTimeout = errors.New("request timeout")

// send makes one HTTP exchange, bounded by timeout: a hung connection, a
// response that never comes and a body that stalls half way all end when it
// passes (or when ctx ends), since the request's context governs the body
// read too.
func (c *Client) send(ctx context.Context, method, path string, payload []byte, out any, timeout time.Duration) error {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	rctx, cancel := context.WithTimeoutCause(ctx, timeout, errRequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("chat2query: building %s %s request: %w", method, path, err)
	}
	// The docs send content-type on every call, GETs included.
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, rctx, method, path, timeout, err)
	}
	defer resp.Body.Close()
	c.observeRateLimit(resp.Header)
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return c.transportError(ctx, rctx, method, path, timeout, err)
	}
	if len(data) > maxResponseBytes {
		return &DecodeError{What: method + " " + path + " response", Err: fmt.Errorf("the body is larger than the %d MiB limit", maxResponseBytes>>20)}
	}
	err = c.decodeResponse(method, path, resp.StatusCode, resp.Header, data, out)
	var rl *RateLimitError
	if errors.As(err, &rl) && !rl.Daily {
		c.exhaustRateLimit(rl.RetryAfter)
	}
	var ae *AuthError
	if errors.As(err, &ae) && c.digestAuth && resp.StatusCode == http.StatusUnauthorized && !ae.KeyExpired() && !sentCredentials(resp) {
		// The digest transport answers every usable challenge, so a 401
		// to a request without credentials had none it could answer.
		ae.Challenge = challengeProblem(resp.Header)
	}
	return err
}

// sentCredentials reports whether the request that got resp carried an
// Authorization header (unknown, reported as false, if the transport did
// not record the request).
func sentCredentials(resp *http.Response) bool {
	return resp.Request != nil && resp.Request.Header.Get("Authorization") != ""
}

// transportError maps the failure of an exchange without a complete
// response: the end of the caller's ctx, the request timeout (rctx), or a
// network failure.
func (c *Client) transportError(ctx, rctx context.Context, method, path string, timeout time.Duration, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &ContextError{Method: method, Path: path, Err: ctxErr}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the whole URL; method and path say enough
	}
	ns := notSent(err)
	if errors.Is(context.Cause(rctx), errRequestTimeout) {
		err = &requestTimeoutError{d: timeout, err: err}
	}
	return &NetworkError{Method: method, Path: path, Err: err, NotSent: ns}
}

// requestTimeoutError is an exchange that the request timeout ended.
type requestTimeoutError struct {
	d   time.Duration
	err error
}

func (e *requestTimeoutError) Error() string {
	return fmt.Sprintf("no complete response within the %s request timeout", e.d)
}
func (e *requestTimeoutError) Timeout() bool { return true }
func (e *requestTimeoutError) Unwrap() error { return e.err }

// notSent reports a transport error that happened before the request could
// be written: name resolution, or establishing the connection (directly or
// through a proxy).
func notSent(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// certificateError reports a TLS failure that retrying cannot fix.
func certificateError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
		rerr tls.RecordHeaderError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr) || errors.As(err, &rerr)
}

// wireEnvelope accepts both response envelopes: the v2/v3 {code,msg,result}
// and the Data Service gateway's {type,data:{result:{code,message}}}.
type wireEnvelope struct {
	Code   *Int64          `json:"code"`
	Msg    String          `json:"msg"`
	Result json.RawMessage `json:"result"`
	Type   *String         `json:"type"`
	Data   *struct {
		Result *struct {
			Code    Int64  `json:"code"`
			Message String `json:"message"`
		} `json:"result"`
	} `json:"data"`
}

func (e *wireEnvelope) gateway() bool { return e.Code == nil && e.Data != nil && e.Data.Result != nil }

// gatewayBody marks a result type that is the whole gateway envelope (the
// v1 chat2data answer) rather than the result of a {code,msg,result}.
type gatewayBody interface{ gatewayBody() }

// gatewayFailure reports whether a gateway envelope's code, in a 2xx
// response, means the request failed. For a v1 answer a SQL error code
// (1000 to 999999, e.g. 1146 "table not found") is part of the answer, as
// the docs show (§3.2); an HTTP-like code or a gateway code (49900002) is a
// failure. For any other call every code but 200 is.
func gatewayFailure(code Int64, answer bool) bool {
	switch {
	case code == 200:
		return false
	case !answer:
		return true
	case code == 0, code >= 1000 && code < 1_000_000:
		return false
	}
	return true
}

// decodeResponse turns one HTTP response into out or a typed error. It is the
// one place where statuses and envelopes become errors.
func (c *Client) decodeResponse(method, path string, status int, h http.Header, data []byte, out any) error {
	var env wireEnvelope
	envErr := json.Unmarshal(data, &env)
	if status < 200 || status >= 300 {
		return c.apiError(method, path, status, h, data, &env, envErr)
	}
	what := method + " " + path + " response"
	_, wholeBody := out.(gatewayBody)
	switch {
	case envErr != nil:
		return &DecodeError{What: what, Err: envErr, Excerpt: c.clean(string(data))}
	case env.Code != nil && *env.Code != 200:
		return c.apiError(method, path, status, h, data, &env, nil)
	case env.gateway() && gatewayFailure(env.Data.Result.Code, wholeBody):
		return c.apiError(method, path, status, h, data, &env, nil)
	case env.gateway() && wholeBody:
		return c.unmarshal(what, data, out)
	case env.Code == nil:
		return &DecodeError{What: what, Err: errors.New("not a Chat2Query response envelope"), Excerpt: c.clean(string(data))}
	}
	switch out := out.(type) {
	case nil:
		return nil
	case *json.RawMessage:
		*out = env.Result
		return nil
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return &DecodeError{What: what, Err: errors.New("no result in the response")}
	}
	return c.unmarshal(what, env.Result, out)
}

// unmarshal decodes data into out, reporting a failure as a *DecodeError.
func (c *Client) unmarshal(what string, data []byte, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return &DecodeError{What: what, Err: err, Excerpt: c.clean(string(data))}
	}
	return nil
}

// apiError builds the error of a refused request from whichever envelope
// the body holds; a body that is neither (HTML from a proxy, empty,
// truncated) becomes a readable excerpt.
func (c *Client) apiError(method, path string, status int, h http.Header, data []byte, env *wireEnvelope, envErr error) error {
	e := &APIError{
		Method: method, Path: path, StatusCode: status,
		TraceID: c.clean(h.Get("X-Debug-Trace-Id")),
	}
	switch {
	case envErr != nil:
		e.Msg = c.clean(string(data))
	case env.Code != nil:
		e.Code, e.Msg = int(*env.Code), c.clean(string(env.Msg))
	case env.Data != nil && env.Data.Result != nil:
		e.Code, e.Msg = int(env.Data.Result.Code), c.clean(string(env.Data.Result.Message))
	default:
		e.Msg = c.clean(string(data))
	}
	if envErr == nil && env.Type != nil {
		e.Type = c.clean(string(*env.Type))
	}
	if status >= 300 && status < 400 {
		e.Msg = "redirect to " + c.clean(h.Get("Location"))
	}
	// X-Ratelimit-Reset describes the per-minute window, not the daily
	// quota: only an explicit Retry-After says when that one resets.
	e.RetryAfter = c.retryAfter(h, !e.QuotaExhausted())
	return c.classify(e)
}

// classify wraps e in the type of its kind, for errors.As.
func (c *Client) classify(e *APIError) error {
	switch {
	case e.Unauthorized():
		return &AuthError{APIError: e}
	case e.RateLimited():
		rl := &RateLimitError{APIError: e, Daily: e.QuotaExhausted()}
		if e.RetryAfter > 0 {
			rl.Reset = c.now().Add(e.RetryAfter)
		}
		return rl
	case e.NotReady():
		return &NotReadyError{e}
	case e.NotFound():
		return &NotFoundError{e}
	case e.Temporary():
		return &ServerError{e}
	}
	return e
}

// retryAfter reads how long the server asked us to wait: Retry-After (in
// seconds or as an HTTP date) or, when gateway is set, the gateway's
// X-Ratelimit-Reset in seconds. Values of a day or more are ignored.
func (c *Client) retryAfter(h http.Header, gateway bool) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.Atoi(v); err == nil {
			if secs > 0 && secs < 24*3600 {
				return time.Duration(secs) * time.Second
			}
		} else if t, err := http.ParseTime(v); err == nil {
			if d := t.Sub(c.now()).Round(time.Second); d > 0 && d < 24*time.Hour {
				return d
			}
		}
	}
	if gateway {
		if secs, ok := headerInt(h, "X-Ratelimit-Reset", "RateLimit-Reset"); ok && secs > 0 && secs < 24*3600 {
			return time.Duration(secs) * time.Second
		}
	}
	return 0
}

// clean makes server-sent text safe to show: no keys, no markup, no control
// characters (a terminal escape must not reach the user's screen), and short.
func (c *Client) clean(s string) string {
	return truncate(c.redact.Replace(sanitize(s)), 300)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
