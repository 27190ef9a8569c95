package chat2query

import (
	"bufio"
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
)

// bareServer answers every request with handler, counting what it saw; it
// does no authentication of its own.
func bareServer(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *counter) {
	t.Helper()
	n := new(counter)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.next()
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

// unauthorized answers 401 in the gateway envelope with the given
// WWW-Authenticate headers (none when empty).
func unauthorized(challenges ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, c := range challenges {
			w.Header().Add("WWW-Authenticate", c)
		}
		reply(w, http.StatusUnauthorized, fixtureGateway401)
	}
}

// A 401 the client cannot answer is an authentication failure that says
// why, read from the response it got (not "read on closed response body"),
// after exactly the requests it takes, and is never retried.
func TestAuthFailures(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		opts     []Option
		requests int
		want     string
	}{
		{
			name:     "401 without a challenge",
			handler:  unauthorized(),
			requests: 1,
			want:     "POST /v3/sessions: authentication failed: the server answered 401 without a digest challenge; check the public and private key (HTTP 401: auth failed)",
		},
		{
			name:     "401 with a Basic challenge",
			handler:  unauthorized(`Basic realm="tidb.cloud"`),
			requests: 1,
			want:     "POST /v3/sessions: authentication failed: the server answered 401 without a digest challenge (it asks for Basic); check the public and private key",
		},
		{
			name:     "401 with an unusable digest challenge",
			handler:  unauthorized(`Digest realm="r", nonce="n", algorithm=MD4`),
			requests: 1,
			want:     "authentication failed: the server's digest challenge cannot be answered",
		},
		{
			name:     "digest with the wrong key",
			handler:  unauthorized(`Digest realm="r", nonce="n", qop="auth", algorithm=MD5`),
			requests: 2, // the challenge, the refused answer
			want:     "POST /v3/sessions: authentication failed (HTTP 401: auth failed)",
		},
		{
			name:     "Basic with the wrong key",
			handler:  unauthorized(`Basic realm="tidb.cloud"`),
			opts:     []Option{WithBasicAuth()},
			requests: 1,
			want:     "POST /v3/sessions: authentication failed (HTTP 401: auth failed)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := bareServer(t, tt.handler)
			// The default retry policy: nothing here may be retried.
			c, err := New(srv.URL+apiPath, testPub, testPriv, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			useStepClock(c)
			_, err = c.CreateSession(context.Background(), CreateSessionRequest{ClusterID: "1", Database: "d"})
			var ae *AuthError
			if !errors.Is(err, ErrAuth) || !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an *AuthError matching ErrAuth", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "closed") || strings.Contains(err.Error(), "network") {
				t.Errorf("error %q blames the network", err)
			}
			if n.get() != tt.requests || c.Requests() != int64(tt.requests) {
				t.Errorf("server saw %d requests, Requests() = %d; want %d", n.get(), c.Requests(), tt.requests)
			}
			assertNoKeys(t, err.Error(), testPub, testPriv)
		})
	}
}

// The message of a refused key that was not answered names no environment
// variable: the CLI gives that advice.
func TestAuthNoChallengeMessageNamesNoVariable(t *testing.T) {
	srv, _ := bareServer(t, unauthorized())
	c, err := New(srv.URL+apiPath, testPub, testPriv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetJob(context.Background(), "j1")
	if err == nil || strings.Contains(err.Error(), "C2Q_") {
		t.Errorf("error = %v", err)
	}
}

// An expired key keeps the service's own diagnosis, challenge or not.
func TestAuthExpiredKeyWithoutChallenge(t *testing.T) {
	srv, n := bareServer(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 401, fixtureGatewayExpired) })
	c, err := New(srv.URL+apiPath, testPub, testPriv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetJob(context.Background(), "j1")
	var ae *AuthError
	if !errors.As(err, &ae) || !ae.KeyExpired() || !strings.Contains(err.Error(), "API key is no longer valid") || n.get() != 1 {
		t.Errorf("err = %v after %d requests, want the expired key after 1", err, n.get())
	}
}

// A cached challenge whose key is then refused costs the cached attempt and
// one answer to the fresh challenge, no more.
func TestDigestRevokedKeyIsFinal(t *testing.T) {
	c, f := setup(t, WithRetryPolicy(RetryPolicy{}))
	useStepClock(c)
	var mu sync.Mutex
	revoked := false
	f.mux.HandleFunc("/v3/sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if revoked {
			unauthorized(`Digest realm="chat2query-test", nonce="other", qop="auth", algorithm=MD5`)(w, r)
			return
		}
		reply(w, 200, fixtureSession)
	})
	if _, err := c.GetSession(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	before := f.all.get() // the challenge and the call
	mu.Lock()
	revoked = true
	mu.Unlock()
	_, err := c.GetSession(context.Background(), 1)
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if got := f.all.get() - before; before != 2 || got != 2 || c.Requests() != int64(f.all.get()) {
		t.Errorf("server saw %d then %d requests, Requests() = %d; want 2, 2 and their sum", before, got, c.Requests())
	}
}

// A stale nonce is answered again without the caller noticing.
func TestDigestStaleNonce(t *testing.T) {
	c, f := setup(t)
	calls := 0
	f.mux.HandleFunc("/v3/sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 2 { // the second call's cached nonce has expired
			f.mu.Lock()
			f.nonce++
			nonce := fmt.Sprintf("nonce%04d", f.nonce)
			f.nonces[nonce] = true
			f.mu.Unlock()
			unauthorized(fmt.Sprintf(`Digest realm=%q, nonce=%q, qop="auth", algorithm=MD5, stale=true`, testRealm, nonce))(w, r)
			return
		}
		reply(w, 200, fixtureSession)
	})
	for i := range 2 {
		if _, err := c.GetSession(context.Background(), 1); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	// The challenge and the first call; the stale attempt and its answer.
	if f.all.get() != 4 || c.Requests() != 4 {
		t.Errorf("server saw %d, Requests() = %d; want 4", f.all.get(), c.Requests())
	}
}

// rawServer is an HTTP/1.1 server on a bare listener, so that a test
// controls connections: handle answers the n-th request it reads (from 1),
// or drops the connection without an answer.
func rawServer(t *testing.T, handle func(n int, r *http.Request) (status int, header http.Header, body string, drop bool)) (string, *counter) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n := new(counter)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close() // idle keep-alive connections would hold wg.Wait up
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					r, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, r.Body)
					status, h, body, drop := handle(n.next()+1, r)
					if drop {
						return // the request was read: it reached the server
					}
					fmt.Fprintf(conn, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", status, http.StatusText(status), len(body))
					for k, vs := range h {
						for _, v := range vs {
							fmt.Fprintf(conn, "%s: %s\r\n", k, v)
						}
					}
					fmt.Fprintf(conn, "\r\n%s", body)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), n
}

// Requests counts what reached the wire: the digest challenge, and the
// resend that Go's http.Transport makes by itself of a GET whose reused
// connection the server closed after reading it, which the client's own
// retry logic never sees.
func TestRequestsCountTransportResends(t *testing.T) {
	const chal = `Digest realm="chat2query-test", nonce="n1", qop="auth", algorithm=MD5`
	url, n := rawServer(t, func(i int, r *http.Request) (int, http.Header, string, bool) {
		switch {
		case r.Header.Get("Authorization") == "":
			return 401, http.Header{"Www-Authenticate": {chal}}, fixtureGateway401, false
		case i == 3:
			return 0, nil, "", true // the second call, on the kept-alive connection
		}
		return 200, nil, fixtureSession, false
	})
	c, err := New(url+apiPath, testPub, testPriv, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := c.GetSession(context.Background(), 305685); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	// 1 challenge, 2 the first call, 3 the second (dropped), 4 its resend
	// by http.Transport on a new connection.
	if n.get() != 4 || c.Requests() != 4 || c.RoundTrips() != 3 {
		t.Errorf("server read %d requests, Requests() = %d, RoundTrips() = %d; want 4, 4, 3", n.get(), c.Requests(), c.RoundTrips())
	}
}

// A transport that reports no writes (a test double, a replaying recorder)
// has each of its responses counted.
func TestRequestsCountWithoutTrace(t *testing.T) {
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(fixtureSession)), Request: r}, nil
	})}
	c, err := New("http://127.0.0.1:1"+apiPath, testPub, testPriv, WithBasicAuth(), WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.GetSession(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
	}
	if c.Requests() != 3 {
		t.Errorf("Requests() = %d, want 3", c.Requests())
	}
}
