package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/google/go-cmp/cmp"
	"github.com/icholy/digest"
)

var challengeRE = regexp.MustCompile(`^Digest realm="tidb\.cloud", nonce="[0-9a-f]{64}", qop="auth", algorithm=MD5, opaque="[0-9a-f]{32}"$`)

func authFailed() map[string]any {
	return map[string]any{"type": "", "data": map[string]any{"columns": []any{}, "rows": []any{},
		"result": map[string]any{"code": json.Number("401"), "message": "auth failed", "start_ms": "", "end_ms": "",
			"latency": "", "row_count": json.Number("0"), "row_affect": json.Number("0"), "limit": json.Number("0")}}}
}

// challenge fetches a fresh digest challenge from an unauthenticated request.
func (e *env) challenge() *digest.Challenge {
	e.t.Helper()
	r := e.send("GET", e.base+"/v2/jobs/x", nil, nil)
	c, err := digest.ParseChallenge(r.Header.Get("WWW-Authenticate"))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func TestAuth(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	const path = "/v2/jobs/x" // 404 "job not found" once authenticated
	uri := e.srv.BasePath() + path

	// creds returns valid digest credentials for GET uri, for a case to spoil.
	creds := func() *digest.Credentials {
		c, err := digest.Digest(e.challenge(), digest.Options{Method: "GET", URI: uri, Username: testPub, Password: testPriv, Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	recompute := func(c *digest.Credentials, method, password string) {
		ch := &digest.Challenge{Realm: c.Realm, Nonce: c.Nonce, Opaque: c.Opaque, Algorithm: "MD5", QOP: []string{"auth"}}
		d, err := digest.Digest(ch, digest.Options{Method: method, URI: c.URI, Username: c.Username, Password: password, Count: c.Nc, Cnonce: c.Cnonce})
		if err != nil {
			t.Fatal(err)
		}
		c.Response = d.Response
	}
	for _, tc := range []struct {
		name   string
		header func() string
		ok     bool
	}{
		{"none", func() string { return "" }, false},
		{"basic", func() string { return basic(testPub, testPriv) }, true},
		{"basic wrong private key", func() string { return basic(testPub, "nope") }, false},
		{"basic wrong public key", func() string { return basic("NOPE", testPriv) }, false},
		{"basic private key as prefix", func() string { return basic(testPub, testPriv[:10]) }, false},
		{"bearer", func() string { return "Bearer " + testPriv }, false},
		{"digest", func() string { return creds().String() }, true},
		{"digest lowercase scheme", func() string { return "digest " + strings.TrimPrefix(creds().String(), "Digest ") }, true},
		{"digest wrong private key", func() string {
			c := creds()
			recompute(c, "GET", "wrong")
			return c.String()
		}, false},
		{"digest wrong username", func() string {
			c := creds()
			c.Username = "NOPE"
			recompute(c, "GET", testPriv)
			return c.String()
		}, false},
		{"digest tampered response", func() string {
			c := creds()
			c.Response = strings.Repeat("0", 32)
			return c.String()
		}, false},
		{"digest nonce not issued here", func() string {
			c := creds()
			c.Nonce = strings.Repeat("ab", 32)
			recompute(c, "GET", testPriv)
			return c.String()
		}, false},
		{"digest uri of another endpoint", func() string {
			c := creds()
			c.URI = e.srv.BasePath() + "/v3/sessions"
			recompute(c, "GET", testPriv)
			return c.String()
		}, false},
		{"digest computed for another method", func() string {
			c := creds()
			recompute(c, "POST", testPriv)
			return c.String()
		}, false},
		{"digest wrong realm", func() string {
			c := creds()
			c.Realm = "example.com"
			recompute(c, "GET", testPriv)
			return c.String()
		}, false},
		{"digest wrong opaque", func() string {
			c := creds()
			c.Opaque = "0000"
			return c.String()
		}, false},
		{"digest without qop (RFC 2069)", func() string {
			ch := e.challenge()
			ch.QOP = nil
			c, err := digest.Digest(ch, digest.Options{Method: "GET", URI: uri, Username: testPub, Password: testPriv})
			if err != nil {
				t.Fatal(err)
			}
			return c.String()
		}, false},
		{"digest bad nc", func() string {
			return strings.Replace(creds().String(), "nc=00000001", "nc=1", 1)
		}, false},
		{"digest SHA-256 claimed", func() string {
			return strings.Replace(creds().String(), "algorithm=MD5", "algorithm=SHA-256", 1)
		}, false},
		{"digest malformed", func() string { return `Digest username="` }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.send("GET", e.base+path, nil, func(r *http.Request) {
				if h := tc.header(); h != "" {
					r.Header.Set("Authorization", h)
				}
			})
			if tc.ok {
				if r.Status != 404 || r.Body["msg"] != "job not found" {
					t.Errorf("want authenticated (404 job not found), got %d %v", r.Status, r.Body)
				}
				return
			}
			if r.Status != 401 {
				t.Fatalf("status %d, want 401: %v", r.Status, r.Body)
			}
			if d := cmp.Diff(authFailed(), r.Body); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
			if h := r.Header.Get("WWW-Authenticate"); !challengeRE.MatchString(h) {
				t.Errorf("WWW-Authenticate = %q", h)
			}
		})
	}
}

// recorder remembers the challenges a client was sent.
type recorder struct {
	rt http.RoundTripper
	mu sync.Mutex
	ch []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.rt.RoundTrip(req)
	if err == nil && res.StatusCode == 401 {
		r.mu.Lock()
		r.ch = append(r.ch, res.Header.Get("WWW-Authenticate"))
		r.mu.Unlock()
	}
	return res, err
}

// TestDigestTransport checks interoperability with icholy/digest, the
// client package's digest implementation, including nonce reuse with an
// increasing nc and recovery from a stale nonce.
func TestDigestTransport(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	rec := &recorder{rt: e.ts.Client().Transport}
	client := &http.Client{Transport: &digest.Transport{Username: testPub, Password: testPriv, Transport: rec}}
	post := func() int {
		t.Helper()
		res, err := client.Post(e.base+"/v3/sessions", "application/json",
			strings.NewReader(`{"cluster_id":"10140100115280519574","database":"sp500insight","name":"d"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := range 3 { // one challenge, then the cached nonce with nc 2 and 3
		if s := post(); s != 200 {
			t.Fatalf("request %d: status %d", i, s)
		}
	}
	if len(rec.ch) != 1 {
		t.Errorf("got %d challenges, want 1 (the nonce should be reused)", len(rec.ch))
	}
	// After the nonce lifetime the server says stale=true and the transport
	// retries on its own.
	e.clock.Advance(11 * time.Minute)
	if s := post(); s != 200 {
		t.Fatalf("after nonce expiry: status %d", s)
	}
	if len(rec.ch) != 2 || !strings.HasSuffix(rec.ch[1], ", stale=true") {
		t.Errorf("challenges = %q, want a second one with stale=true", rec.ch)
	}

	wrong := &http.Client{Transport: &digest.Transport{Username: testPub, Password: "0b9e6c1e-0000-4000-8000-000000000000", Transport: e.ts.Client().Transport}}
	res, err := wrong.Get(e.base + "/v2/jobs/x")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := decodeResponse(t, res)
	if r.Status != 401 {
		t.Fatalf("wrong key: status %d", r.Status)
	}
	if d := cmp.Diff(authFailed(), r.Body); d != "" {
		t.Errorf("wrong key body (-want +got):\n%s", d)
	}
}

func basic(user, pass string) string {
	req, _ := http.NewRequest("GET", "http://x", nil)
	req.SetBasicAuth(user, pass)
	return req.Header.Get("Authorization")
}

// digestHeader returns digest credentials for GET uri with nonce count nc
// against challenge c.
func digestHeader(t *testing.T, c *digest.Challenge, uri string, nc int) string {
	t.Helper()
	cred, err := digest.Digest(c, digest.Options{Method: "GET", URI: uri, Username: testPub, Password: testPriv, Count: nc})
	if err != nil {
		t.Fatal(err)
	}
	return cred.String()
}

// TestDigestReplay: a captured Authorization header cannot be sent again.
// Each nonce count is accepted once; counts may arrive out of order within
// a window (a client numbers its requests, then sends them concurrently);
// a repeat gets a 401 with a fresh challenge.
func TestDigestReplay(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	const path = "/v2/jobs/x" // 404 "job not found" once authenticated
	uri := e.srv.BasePath() + path
	ch := e.challenge()
	get := func(h string) response {
		t.Helper()
		return e.send("GET", e.base+path, nil, func(r *http.Request) { r.Header.Set("Authorization", h) })
	}
	for _, step := range []struct {
		nc int
		ok bool
	}{
		{1, true}, {1, false}, {2, true}, {2, false}, {1, false}, {5, true}, {3, true}, {3, false}, {4, true}, {5, false},
	} {
		h := digestHeader(t, ch, uri, step.nc)
		r := get(h)
		if step.ok {
			if r.Status != 404 || r.Body["msg"] != "job not found" {
				t.Errorf("nc %d: want authenticated (404 job not found), got %d %v", step.nc, r.Status, r.Body)
			}
			continue
		}
		if r.Status != 401 {
			t.Fatalf("nc %d again: status %d, want 401: %v", step.nc, r.Status, r.Body)
		}
		if d := cmp.Diff(authFailed(), r.Body); d != "" {
			t.Errorf("replay body (-want +got):\n%s", d)
		}
		got := r.Header.Get("WWW-Authenticate")
		if !challengeRE.MatchString(got) {
			t.Errorf("replay: WWW-Authenticate = %q, want a fresh challenge without stale", got)
		}
		if strings.Contains(got, ch.Nonce) {
			t.Errorf("replay: the challenge repeats the replayed nonce")
		}
	}
	// A wrong response does not use up a count.
	c, err := digest.Digest(ch, digest.Options{Method: "GET", URI: uri, Username: testPub, Password: "wrong", Count: 6})
	if err != nil {
		t.Fatal(err)
	}
	if r := get(c.String()); r.Status != 401 {
		t.Fatalf("wrong key: %d", r.Status)
	}
	if r := get(digestHeader(t, ch, uri, 6)); r.Status != 404 {
		t.Errorf("nc 6 after a forged nc 6: %d %v", r.Status, r.Body)
	}
}

// TestDigestStaleThroughClient: c2q's own client (icholy/digest) keeps
// working when its nonce expires on the injected clock: the emulator says
// stale=true and the client retries with the new nonce on its own.
func TestDigestStaleThroughClient(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	rec := &recorder{rt: e.ts.Client().Transport}
	c, err := chat2query.New(e.base, testPub, testPriv, chat2query.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		e.clock.Advance(time.Minute) // within the lifetime: the nonce is reused
		if _, err := c.GetSession(ctx, s.SessionID); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if len(rec.ch) != 1 {
		t.Fatalf("challenges = %q, want 1", rec.ch)
	}
	e.clock.Advance(3 * time.Minute) // the nonce is 6 minutes old
	if _, err := c.GetSession(ctx, s.SessionID); err != nil {
		t.Fatalf("after the nonce lifetime: %v", err)
	}
	if len(rec.ch) != 2 || !strings.HasSuffix(rec.ch[1], ", stale=true") {
		t.Errorf("challenges = %q, want a second one with stale=true", rec.ch)
	}
	if _, err := c.GetSession(ctx, s.SessionID); err != nil || len(rec.ch) != 2 {
		t.Errorf("the new nonce is reused: err %v, %d challenges", err, len(rec.ch))
	}
}

// TestDigestConcurrentClient: one client sending many requests at once
// with one nonce is never refused, though its counts arrive out of order.
func TestDigestConcurrentClient(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c, err := chat2query.New(e.base, testPub, testPriv, chat2query.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 32*8)
	for range 32 {
		wg.Go(func() {
			for range 8 {
				if _, err := c.GetSession(ctx, s.SessionID); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestNonceTableBounded: however many clients come and go, the nonces
// remembered never exceed the cap; a client whose nonce was forgotten is
// told stale=true and goes on transparently.
func TestNonceTableBounded(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	const limit = 8
	emulator.SetNonceCapForTest(e.srv, limit)
	newClient := func() *http.Client {
		return &http.Client{Transport: &digest.Transport{Username: testPub, Password: testPriv, Transport: e.ts.Client().Transport}}
	}
	get := func(c *http.Client) int {
		t.Helper()
		res, err := c.Get(e.base + "/v2/jobs/x")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	first := newClient()
	if s := get(first); s != 404 {
		t.Fatalf("first client: %d", s)
	}
	for i := range 100 {
		if s := get(newClient()); s != 404 {
			t.Fatalf("client %d: %d", i, s)
		}
		if n := emulator.NonceCount(e.srv); n > limit {
			t.Fatalf("after client %d: %d nonces remembered, cap %d", i, n, limit)
		}
		if i%10 == 0 {
			e.clock.Advance(time.Minute)
		}
	}
	if s := get(first); s != 404 {
		t.Errorf("first client, its nonce forgotten: %d", s)
	}
	e.clock.Advance(emulator.NonceLifetime + time.Second)
	if s := get(first); s != 404 {
		t.Errorf("first client, after the lifetime: %d", s)
	}
	if n := emulator.NonceCount(e.srv); n != 1 {
		t.Errorf("%d nonces remembered after the lifetime, want 1 (the one just used)", n)
	}
}
