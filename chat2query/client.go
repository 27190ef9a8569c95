// Package chat2query is a client for the TiDB Cloud Chat2Query API (v3
// endpoints plus the v2 jobs endpoint they poll). It knows the wire format,
// authentication, error mapping and job waiting, and nothing about c2q's
// configuration language or runner.
package chat2query

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/icholy/digest"
)

const (
	defaultUserAgent = "c2q"

	// defaultHTTPTimeout bounds one HTTP exchange when the caller brings no
	// http.Client: every v2/v3 call is asynchronous and answers in well under
	// a second, so a minute only trips on a hung connection.
	defaultHTTPTimeout = time.Minute

	// maxResponseBytes caps how much of a response body is read. Answers
	// carry result sets (the service caps them at a few thousand rows), so
	// 32 MiB is generous while still bounding memory against a bad proxy.
	maxResponseBytes = 32 << 20
)

// Client calls one Chat2Query Data App. It is safe for concurrent use.
type Client struct {
	base      string // endpoint base URL without trailing slash
	http      *http.Client
	userAgent string
	redact    *strings.Replacer // removes the keys from any text the server sends back

	requests   atomic.Int64
	roundTrips atomic.Int64

	// Injectable for tests, so that WaitJob never really sleeps in them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*config)

type config struct {
	httpClient *http.Client
	userAgent  string
	basic      bool
}

// WithHTTPClient makes the client send requests with hc (for its timeout,
// proxy or TLS settings). hc is copied, not modified: the copy's Transport is
// wrapped with authentication.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.httpClient = hc }
}

// WithUserAgent sets the User-Agent header (default "c2q").
func WithUserAgent(ua string) Option {
	return func(c *config) { c.userAgent = ua }
}

// WithBasicAuth sends the keys with HTTP Basic authentication on every request
// instead of answering a Digest challenge. It saves the challenge round trip
// but sends the private key itself, so New refuses it over plain http except
// to a loopback address.
func WithBasicAuth() Option {
	return func(c *config) { c.basic = true }
}

// New returns a client for the Data App endpoint base baseURL, e.g.
// https://us-east-1.data.tidbcloud.com/api/v1beta/app/chat2query-YqAvnlRj/endpoint,
// authenticating with an API key pair (HTTP Digest by default).
func New(baseURL, publicKey, privateKey string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	u, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if err := checkKey("public", "C2Q_PUBLIC_KEY", publicKey); err != nil {
		return nil, err
	}
	if err := checkKey("private", "C2Q_PRIVATE_KEY", privateKey); err != nil {
		return nil, err
	}
	if cfg.basic && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("chat2query: basic authentication over plain http would send the private key in clear text: use an https URL or digest authentication")
	}
	if cfg.userAgent == "" {
		cfg.userAgent = defaultUserAgent
	}

	c := &Client{
		base:      strings.TrimRight(u.String(), "/"),
		userAgent: cfg.userAgent,
		now:       time.Now,
		sleep:     sleepCtx,
	}

	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	} else {
		hc.Timeout = defaultHTTPTimeout
	}
	if hc.CheckRedirect == nil {
		// Following a redirect would turn a POST into a GET and could carry
		// credentials to another host; a redirect here means a wrong URL.
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	// The counter sits below authentication so that it sees digest
	// challenge exchanges too.
	next = &countingTransport{n: &c.roundTrips, next: next}
	basicToken := base64.StdEncoding.EncodeToString([]byte(publicKey + ":" + privateKey))
	if cfg.basic {
		hc.Transport = &basicTransport{host: u.Host, header: "Basic " + basicToken, next: next}
	} else {
		hc.Transport = &digest.Transport{Username: publicKey, Password: privateKey, Transport: next}
	}
	c.http = &hc
	c.redact = strings.NewReplacer(privateKey, "[redacted]", basicToken, "[redacted]", publicKey, "[redacted]")
	return c, nil
}

func parseBaseURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("chat2query: the endpoint URL is empty: set C2Q_URL to https://<region>.data.tidbcloud.com/api/v1beta/app/chat2query-<ID>/endpoint")
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
		return nil, errors.New("chat2query: the endpoint URL must not contain credentials: set C2Q_PUBLIC_KEY and C2Q_PRIVATE_KEY instead")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("chat2query: endpoint URL %q must not have a query or fragment", u.Redacted())
	}
	return u, nil
}

// checkKey rejects an empty key and catches the stray newline or space that
// copying a key into an environment variable often adds. Errors never quote
// the key.
func checkKey(which, env, key string) error {
	if key == "" {
		return fmt.Errorf("chat2query: the %s key is empty: set %s", which, env)
	}
	if strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("chat2query: the %s key contains whitespace or control characters: check %s for a stray newline", which, env)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the client without its keys, so that printing it is safe.
func (c *Client) String() string { return "chat2query.Client(" + c.base + ")" }

// GoString is String, so that %#v does not print the transport's keys either.
func (c *Client) GoString() string { return c.String() }

// Requests reports how many API calls the client has made: one per call of
// CreateSession, SessionChat2Data, Chat2Data and GetJob, and one per poll of
// WaitJob, whether or not it succeeded. The unauthenticated round trip that
// fetches a digest challenge is not counted here; see RoundTrips.
func (c *Client) Requests() int64 { return c.requests.Load() }

// RoundTrips reports how many HTTP exchanges the client has made, including
// digest challenge round trips. Whether those count against the service's
// quota is undocumented; Requests is the number to compare with the quota.
func (c *Client) RoundTrips() int64 { return c.roundTrips.Load() }

// CreateSession starts a multi-turn conversation: POST /v3/sessions.
func (c *Client) CreateSession(ctx context.Context, req CreateSessionRequest) (*Session, error) {
	const path = "/v3/sessions"
	var s Session
	if err := c.do(ctx, http.MethodPost, path, req, &s); err != nil {
		return nil, err
	}
	if s.SessionID == 0 {
		return nil, &DecodeError{What: "POST " + path + " response", Err: errors.New("no session_id in the result")}
	}
	return &s, nil
}

// SessionChat2Data asks the next question of a session:
// POST /v3/sessions/{session_id}/chat2data. Poll the returned job with
// WaitJob; its result is an Answer.
func (c *Client) SessionChat2Data(ctx context.Context, sessionID Int64, req SessionChat2DataRequest) (*JobRef, error) {
	if sessionID <= 0 {
		return nil, fmt.Errorf("chat2query: invalid session id %d", sessionID)
	}
	return c.postJob(ctx, "/v3/sessions/"+sessionID.String()+"/chat2data", req)
}

// Chat2Data asks a question outside any existing session: POST /v3/chat2data.
// The service still creates a session, returned in JobRef.SessionID, that
// follow-up questions can use. Poll the returned job with WaitJob.
func (c *Client) Chat2Data(ctx context.Context, req Chat2DataRequest) (*JobRef, error) {
	return c.postJob(ctx, "/v3/chat2data", req)
}

func (c *Client) postJob(ctx context.Context, path string, body any) (*JobRef, error) {
	var ref JobRef
	if err := c.do(ctx, http.MethodPost, path, body, &ref); err != nil {
		return nil, err
	}
	if ref.JobID == "" {
		return nil, &DecodeError{What: "POST " + path + " response", Err: errors.New("no job_id in the result")}
	}
	return &ref, nil
}

// GetJob fetches the state of an asynchronous job once: GET /v2/jobs/{job_id}
// (v3 endpoints use the v2 jobs endpoint).
func (c *Client) GetJob(ctx context.Context, jobID string) (*Job, error) {
	if jobID == "" {
		return nil, errors.New("chat2query: empty job id")
	}
	path := "/v2/jobs/" + url.PathEscape(jobID)
	var j Job
	if err := c.do(ctx, http.MethodGet, path, nil, &j); err != nil {
		return nil, err
	}
	if j.Status == "" {
		// Without a status WaitJob could only spin until its timeout.
		return nil, &DecodeError{What: "GET " + path + " response", Err: errors.New("no status in the job")}
	}
	return &j, nil
}

// do is the single request path: it encodes body as JSON (none when nil),
// sends the request, maps every failure to a typed error and decodes the
// envelope's result into out (ignored when nil).
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // questions often contain < and >; send them as typed
		if err := enc.Encode(body); err != nil {
			return fmt.Errorf("chat2query: encoding %s %s request: %w", method, path, err)
		}
		rd = bytes.NewReader(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("chat2query: building %s %s request: %w", method, path, err)
	}
	// The docs send content-type on every call, GETs included.
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	c.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return c.transportError(ctx, method, path, err)
	}
	if len(data) > maxResponseBytes {
		return &DecodeError{What: method + " " + path + " response", Err: fmt.Errorf("body larger than %d MiB", maxResponseBytes>>20)}
	}
	return c.decodeResponse(method, path, resp.StatusCode, resp.Header, data, out)
}

func (c *Client) transportError(ctx context.Context, method, path string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", method, path, ctxErr)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the whole URL; method and path say enough
	}
	return &NetworkError{Method: method, Path: path, Err: err}
}

// wireEnvelope accepts both response envelopes: the v2/v3 {code,msg,result}
// and the Data Service gateway's {type,data:{result:{code,message}}}.
type wireEnvelope struct {
	Code   *Int64          `json:"code"`
	Msg    string          `json:"msg"`
	Result json.RawMessage `json:"result"`
	Type   *string         `json:"type"`
	Data   *struct {
		Result *struct {
			Code    Int64  `json:"code"`
			Message string `json:"message"`
		} `json:"result"`
	} `json:"data"`
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
	switch {
	case envErr != nil:
		return &DecodeError{What: what, Err: envErr, Excerpt: c.clean(string(data))}
	case env.Code != nil && *env.Code != 200:
		return c.apiError(method, path, status, h, data, &env, nil)
	case env.Code == nil && env.Data != nil && env.Data.Result != nil && env.Data.Result.Code != 200:
		return c.apiError(method, path, status, h, data, &env, nil)
	case env.Code == nil:
		return &DecodeError{What: what, Err: errors.New("not a Chat2Query response envelope"), Excerpt: c.clean(string(data))}
	}
	if out == nil {
		return nil
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return &DecodeError{What: what, Err: errors.New("no result in the response")}
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return &DecodeError{What: what, Err: err, Excerpt: c.clean(string(env.Result))}
	}
	return nil
}

// apiError builds the error of a refused request from whichever envelope
// the body holds; a body that is neither (HTML from a proxy, empty,
// truncated) becomes a readable excerpt.
func (c *Client) apiError(method, path string, status int, h http.Header, data []byte, env *wireEnvelope, envErr error) *APIError {
	e := &APIError{
		Method: method, Path: path, StatusCode: status,
		RetryAfter: retryAfter(h),
		TraceID:    c.clean(h.Get("X-Debug-Trace-Id")),
	}
	switch {
	case envErr != nil:
		e.Msg = c.clean(string(data))
	case env.Code != nil:
		e.Code, e.Msg = int(*env.Code), c.clean(env.Msg)
	case env.Data != nil && env.Data.Result != nil:
		e.Code, e.Msg = int(env.Data.Result.Code), c.clean(env.Data.Result.Message)
	default:
		e.Msg = c.clean(string(data))
	}
	if env.Type != nil {
		e.Type = c.clean(*env.Type)
	}
	if status >= 300 && status < 400 {
		e.Msg = "redirect to " + c.clean(h.Get("Location"))
	}
	return e
}

// retryAfter reads how long the server asked us to wait: Retry-After, or the
// gateway's X-Ratelimit-Reset, both in seconds.
func retryAfter(h http.Header) time.Duration {
	for _, k := range []string{"Retry-After", "X-Ratelimit-Reset"} {
		if secs, err := strconv.Atoi(strings.TrimSpace(h.Get(k))); err == nil && secs > 0 && secs < 24*3600 {
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

// countingTransport counts HTTP round trips.
type countingTransport struct {
	n    *atomic.Int64
	next http.RoundTripper
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

// basicTransport adds Basic credentials, only for the endpoint's own host.
type basicTransport struct {
	host, header string
	next         http.RoundTripper
}

func (t *basicTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != t.host {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context()) // a RoundTripper must not modify its request
	r.Header.Set("Authorization", t.header)
	return t.next.RoundTrip(r)
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
