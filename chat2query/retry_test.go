package chat2query

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// stepClock drives the client's injected clock: a sleep is recorded (in the
// shared event log, so tests can see it between requests) and moves the
// time at once. Jitter is turned off, so waits are exact.
type stepClock struct {
	mu     sync.Mutex
	start  time.Time
	t      time.Time
	sleeps []time.Duration
	events *[]string
}

func useStepClock(c *Client) *stepClock {
	start := time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC)
	s := &stepClock{start: start, t: start, events: new([]string)}
	c.now = func() time.Time {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.t
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sleeps = append(s.sleeps, d)
		*s.events = append(*s.events, "sleep "+d.String())
		s.t = s.t.Add(d)
		return nil
	}
	c.jitter = func(d time.Duration) time.Duration { return d }
	return s
}

func (s *stepClock) event(e string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*s.events = append(*s.events, e)
}

// counter counts the requests that reached a fake server.
type counter struct {
	mu sync.Mutex
	n  int
	// all, in the counter that retrying returns, counts every request the
	// server saw, digest challenges included.
	all *counter
}

func (c *counter) next() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n - 1
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// retrying is a client with the default retry policy against a server that
// answers with the given handlers in turn (repeating the last), and the
// count of requests that reached the server.
func retrying(t *testing.T, handlers ...http.HandlerFunc) (*Client, *stepClock, *counter) {
	t.Helper()
	c, f := setup(t, WithRetryPolicy(RetryPolicy{}))
	clock := useStepClock(c)
	n := &counter{all: &f.all}
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h := handlers[min(n.next(), len(handlers)-1)]
		clock.event(r.Method + " " + r.URL.Path)
		h(w, r)
	})
	return c, clock, n
}

func status(code int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		reply(w, code, body)
	}
}

// hangUp reads the request, then drops the connection without answering:
// the request reached the server.
func hangUp(w http.ResponseWriter, r *http.Request) {
	io.ReadAll(r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// truncated sends the headers and part of the body, then closes the
// connection: the body read fails.
func truncated(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", "1000")
	w.WriteHeader(200)
	io.WriteString(w, `{"code":200,`)
}

var sessionOK = status(200, fixtureSession)

// The acceptance case: a GET answered 429 with X-Ratelimit-Reset: 2, then
// 200, succeeds after waiting 2 s, and nothing else.
func TestRetryGETAfterRateLimitReset(t *testing.T) {
	c, clock, n := retrying(t, status(429, fixtureGatewayRPM, "X-Ratelimit-Reset", "2", "X-Ratelimit-Remaining-Minute", "0"), sessionOK)
	s, err := c.GetSession(context.Background(), 305685)
	if err != nil {
		t.Fatal(err)
	}
	if s.SessionID != 305685 {
		t.Errorf("session = %+v", s)
	}
	want := []string{"GET /v3/sessions/305685", "sleep 2s", "GET /v3/sessions/305685"}
	if diff := cmp.Diff(want, *clock.events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// Two, after the digest challenge exchange.
	if n.get() != 2 || n.all.get() != 3 || c.Requests() != 3 {
		t.Errorf("the API saw %d requests, the server %d, Requests() = %d; want 2, 3, 3", n.get(), n.all.get(), c.Requests())
	}
}

// The same, on the real clock, with a reset of a few milliseconds given as
// an HTTP date in Retry-After.
func TestRetryGETRealClock(t *testing.T) {
	c, f := setup(t, WithRetryPolicy(RetryPolicy{}))
	c.sleep = sleepCtx
	var first time.Time
	n := 0
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			first = time.Now()
			reply(w, 503, "")
			return
		}
		if d := time.Since(first); d < 5*time.Millisecond {
			t.Errorf("retried after %s, want the backoff of at least 5ms", d)
		}
		reply(w, 200, fixtureSession)
	})
	c.retry.MinBackoff = 10 * time.Millisecond
	if _, err := c.GetSession(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestRetryGET(t *testing.T) {
	tests := []struct {
		name     string
		handlers []http.HandlerFunc
		sleeps   []time.Duration
		kind     string // of the error; "" for success
	}{
		{
			name:     "backoff doubles through 5xx, HTML and a cut body",
			handlers: []http.HandlerFunc{status(503, ""), status(502, html502), truncated, sessionOK},
			sleeps:   []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		},
		{
			name:     "Retry-After in seconds is honoured",
			handlers: []http.HandlerFunc{status(503, "", "Retry-After", "3"), sessionOK},
			sleeps:   []time.Duration{3 * time.Second},
		},
		{
			name:     "Retry-After as an HTTP date is honoured",
			handlers: []http.HandlerFunc{status(503, "", "Retry-After", "Tue, 25 Jun 2024 00:00:09 GMT"), sessionOK},
			sleeps:   []time.Duration{9 * time.Second},
		},
		{
			name:     "408 and 504 are retried",
			handlers: []http.HandlerFunc{status(408, ""), status(504, ""), sessionOK},
			sleeps:   []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name:     "a per-minute 429 without a reset waits a whole window",
			handlers: []http.HandlerFunc{status(429, fixtureGatewayRPM), sessionOK},
			sleeps:   []time.Duration{time.Minute},
		},
		{
			name:     "gives up after three retries",
			handlers: []http.HandlerFunc{status(500, `{"code":500,"msg":"internal error!","result":{}}`)},
			sleeps:   []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			kind:     "server",
		},
		{
			name:     "a wait longer than MaxWait is not taken",
			handlers: []http.HandlerFunc{status(503, "", "Retry-After", "3600")},
			kind:     "server",
		},
		{name: "401 is not retried", handlers: []http.HandlerFunc{status(401, fixtureGateway401)}, kind: "auth"},
		{name: "404 is not retried", handlers: []http.HandlerFunc{status(404, `{"code":404,"msg":"session not found","result":{}}`)}, kind: "not found"},
		{name: "400 is not retried", handlers: []http.HandlerFunc{status(400, fixtureNotReady)}, kind: "not ready"},
		{name: "the daily quota is not retried", handlers: []http.HandlerFunc{status(429, fixtureGatewayDaily, "Retry-After", "30")}, kind: "daily quota"},
		{name: "501 is not retried", handlers: []http.HandlerFunc{status(501, "")}, kind: "api"},
		{name: "a malformed 200 is not retried", handlers: []http.HandlerFunc{status(200, `{"code":200,"msg":"","result":{"session_id":1`)}, kind: "decode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clock, n := retrying(t, tt.handlers...)
			_, err := c.GetSession(context.Background(), 305685)
			if got := kindOf(err); tt.kind == "" && err != nil || tt.kind != "" && got != tt.kind {
				t.Fatalf("err = %v (%s), want kind %q", err, got, tt.kind)
			}
			if diff := cmp.Diff(tt.sleeps, clock.sleeps); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if want := len(tt.sleeps) + 1; n.get() != want || n.all.get() != want+1 || c.Requests() != int64(want+1) {
				t.Errorf("the API saw %d requests, the server %d, Requests() = %d; want %d, and 1 more for the digest challenge", n.get(), n.all.get(), c.Requests(), want)
			}
			if err != nil && len(tt.sleeps) > 0 && !strings.HasSuffix(err.Error(), fmt.Sprintf("(after %d attempts)", len(tt.sleeps)+1)) {
				t.Errorf("error %q does not say how many attempts were made", err)
			}
		})
	}
}

// A POST, PUT or DELETE that may have reached the service is never sent
// twice; one that certainly did not is.
func TestNoDuplicateWrites(t *testing.T) {
	ask := func(c *Client) error {
		_, err := c.SessionChat2Data(context.Background(), 305685, SessionChat2DataRequest{Question: "Which sectors are they in?"})
		return err
	}
	tests := []struct {
		name     string
		call     func(*Client) error
		handlers []http.HandlerFunc
		requests int
		kind     string
	}{
		{"POST 503", ask, []http.HandlerFunc{status(503, "")}, 1, "server"},
		{"POST 502 HTML", ask, []http.HandlerFunc{status(502, html502)}, 1, "server"},
		{"POST 500", ask, []http.HandlerFunc{status(500, `{"code":500,"msg":"internal error!","result":{}}`)}, 1, "server"},
		{"POST 408", ask, []http.HandlerFunc{status(408, "")}, 1, "server"},
		{"POST dropped after the server read it", ask, []http.HandlerFunc{hangUp}, 1, "network"},
		{"POST 429 not from the gateway", ask, []http.HandlerFunc{status(429, `{"code":429,"msg":"too many requests","result":{}}`, "Retry-After", "1")}, 1, "rate limit"},
		{"POST daily quota", ask, []http.HandlerFunc{status(429, fixtureGatewayDaily)}, 1, "daily quota"},
		{"POST gateway rate limit is retried", ask, []http.HandlerFunc{status(429, fixtureGatewayRPM, "X-Ratelimit-Reset", "2"), status(200, fixtureSessionChat2Data)}, 2, ""},
		{"PUT 503", func(c *Client) error { _, err := c.ResetSession(context.Background(), 305685); return err }, []http.HandlerFunc{status(503, "")}, 1, "server"},
		{"DELETE 502", func(c *Client) error { return c.DeleteKnowledgeData(context.Background(), 2, "7") }, []http.HandlerFunc{status(502, html502)}, 1, "server"},
		{"DELETE dropped", func(c *Client) error { return c.DeleteKnowledgeData(context.Background(), 2, "7") }, []http.HandlerFunc{hangUp}, 1, "network"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, n := retrying(t, tt.handlers...)
			err := tt.call(c)
			if got := kindOf(err); tt.kind == "" && err != nil || tt.kind != "" && got != tt.kind {
				t.Fatalf("err = %v (%s), want kind %q", err, got, tt.kind)
			}
			if n.get() != tt.requests || n.all.get() != tt.requests+1 || c.Requests() != int64(tt.requests+1) {
				t.Errorf("the API saw %d requests, the server %d, Requests() = %d; want %d, and 1 more for the digest challenge", n.get(), n.all.get(), c.Requests(), tt.requests)
			}
			var ne *NetworkError
			if errors.As(err, &ne) {
				if ne.NotSent {
					t.Errorf("NotSent set for a request the server read")
				}
				if !strings.Contains(err.Error(), "may have reached Chat2Query, so it was not sent again") {
					t.Errorf("error %q does not say that the request may have been processed", err)
				}
			}
		})
	}
}

// The acceptance case: a POST that times out after the server read it is
// reported, not repeated.
func TestPOSTTimeoutNotRepeated(t *testing.T) {
	c, f := setup(t, WithRetryPolicy(RetryPolicy{}), WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	c.sleep = func(context.Context, time.Duration) error {
		t.Error("the POST is being retried")
		return nil
	}
	var mu sync.Mutex
	var bodies []string
	f.mux.HandleFunc("POST /v3/sessions/{id}/chat2data", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		<-r.Context().Done() // the answer never comes in time
	})
	_, err := c.SessionChat2Data(context.Background(), 305685, SessionChat2DataRequest{Question: "How many users?"})
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.NotSent {
		t.Fatalf("err = %#v, want a *NetworkError for a request that was sent", err)
	}
	if !ne.Timeout() || !strings.HasPrefix(err.Error(), "POST /v3/sessions/305685/chat2data: ") ||
		!strings.Contains(strings.ToLower(err.Error()), "time") || !strings.Contains(err.Error(), "not sent again") {
		t.Errorf("error = %q", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], "How many users?") || c.Requests() != 2 || f.all.get() != 2 {
		t.Errorf("server read %d requests (%q), saw %d, Requests() = %d; want 1 and the challenge", len(bodies), bodies, f.all.get(), c.Requests())
	}
}

// A request that could not be sent at all (connection refused) is retried,
// even a POST.
func TestRetryNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens any more
	c, err := New("http://"+addr+apiPath, testPub, testPriv)
	if err != nil {
		t.Fatal(err)
	}
	clock := useStepClock(c)
	_, err = c.Chat2Data(context.Background(), Chat2DataRequest{Question: "q"})
	var ne *NetworkError
	if !errors.As(err, &ne) || !ne.NotSent || ne.Method != "POST" || ne.Path != "/v3/chat2data" {
		t.Fatalf("err = %#v, want a *NetworkError for a POST that was not sent", err)
	}
	// Four attempts, none of which reached a server.
	if want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; !cmp.Equal(clock.sleeps, want) || c.RoundTrips() != 4 || c.Requests() != 0 {
		t.Errorf("sleeps = %v, RoundTrips() = %d, Requests() = %d; want %v, 4 and 0", clock.sleeps, c.RoundTrips(), c.Requests(), want)
	}
	if !strings.HasPrefix(err.Error(), "POST /v3/chat2data: ") || !strings.Contains(err.Error(), "check the endpoint URL and the network connection (after 4 attempts)") {
		t.Errorf("error = %q", err)
	}
	assertNoKeys(t, err.Error(), testPub, testPriv)
}

func TestRetryStopsWithContext(t *testing.T) {
	c, _, n := retrying(t, status(503, ""))
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(context.Context, time.Duration) error {
		cancel()
		return ctx.Err()
	}
	_, err := c.GetSession(ctx, 1)
	var se *ServerError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &se) || n.get() != 1 {
		t.Fatalf("err = %v after %d requests, want the 503 and the cancellation after 1", err, n.get())
	}
	if !strings.Contains(err.Error(), "stopped retrying after 1 attempt: context canceled") {
		t.Errorf("error = %q", err)
	}
}

func TestRetryPolicy(t *testing.T) {
	tests := []struct {
		in, want RetryPolicy
	}{
		{RetryPolicy{}, RetryPolicy{MaxRetries: 3, MinBackoff: time.Second, MaxBackoff: 30 * time.Second, MaxWait: time.Minute}},
		{RetryPolicy{MaxRetries: -1, MinBackoff: time.Minute}, RetryPolicy{MaxRetries: 0, MinBackoff: time.Minute, MaxBackoff: time.Minute, MaxWait: time.Minute}},
		{RetryPolicy{MaxRetries: 5, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, MaxWait: time.Second},
			RetryPolicy{MaxRetries: 5, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, MaxWait: time.Second}},
	}
	for _, tt := range tests {
		if got := tt.in.withDefaults(); got != tt.want {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", tt.in, got, tt.want)
		}
	}

	// The backoff doubles up to its cap.
	c, _, _ := retrying(t, sessionOK)
	c.retry = RetryPolicy{MaxRetries: 5, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}.withDefaults()
	var got []time.Duration
	for attempt := 1; attempt <= 5; attempt++ {
		got = append(got, c.backoff(attempt))
	}
	if want := []time.Duration{1 * ms, 2 * ms, 4 * ms, 4 * ms, 4 * ms}; !cmp.Equal(got, want) {
		t.Errorf("backoffs = %v, want %v", got, want)
	}

	// Jitter stays within [d/2, d].
	for range 1000 {
		if j := equalJitter(time.Second); j < 500*ms || j > time.Second {
			t.Fatalf("equalJitter(1s) = %s", j)
		}
	}
	if equalJitter(0) != 0 || equalJitter(1) != 1 {
		t.Error("equalJitter of a tiny duration")
	}
}

// TLS certificates are verified: an unknown one fails at once, without
// retries, and says so.
func TestTLSVerified(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reply(w, 200, fixtureSession) }))
	defer srv.Close()

	c, err := New(srv.URL+apiPath, testPub, testPriv, WithBasicAuth())
	if err != nil {
		t.Fatal(err)
	}
	useStepClock(c)
	_, err = c.GetSession(context.Background(), 1)
	var ne *NetworkError
	// The handshake failed: one round trip, no request on the wire.
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "TLS certificate cannot be verified") || c.RoundTrips() != 1 || c.Requests() != 0 {
		t.Fatalf("err = %v after %d round trips and %d requests, want one certificate error", err, c.RoundTrips(), c.Requests())
	}

	// With the server's certificate trusted, the same call works.
	c, err = New(srv.URL+apiPath, testPub, testPriv, WithBasicAuth(), WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSession(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
}
