package emulator_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

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
