package chat2query

import (
	"context"
	"crypto/md5"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/icholy/digest"
)

const (
	// The API is mounted below a non-root path, as the real one is, so that
	// a client that drops the base path fails the tests.
	apiPath   = "/api/v1beta/app/chat2query-test/endpoint"
	testPub   = "PUBK3Y01"
	testPriv  = "0f5e3c1a-8d3b-4a7e-9c2d-6b1f0e7a9c55"
	testRealm = "chat2query-test"
)

// fakeAPI is the server side of a test: mux receives requests that passed
// authentication, with the base path stripped.
type fakeAPI struct {
	mux *http.ServeMux
	srv *httptest.Server

	// all counts every request that reached the server, digest challenge
	// exchanges included: what Client.Requests must report.
	all counter

	mu     sync.Mutex
	nonce  int
	nonces map[string]bool
}

// setup starts a fake Chat2Query that demands Digest (or accepts Basic)
// authentication with testPub/testPriv, and a client pointed at it.
//
// The client does not retry (so that a test sees exactly the requests it
// scripts, and WaitJob's tests see one request per poll) unless opts set a
// RetryPolicy: setup(t, WithRetryPolicy(RetryPolicy{})) has the defaults.
// It must not sleep unless the test replaces c.sleep.
func setup(t *testing.T, opts ...Option) (*Client, *fakeAPI) {
	t.Helper()
	f := &fakeAPI{mux: http.NewServeMux(), nonces: map[string]bool{}}
	root := http.NewServeMux()
	root.Handle(apiPath+"/", f.auth(http.StripPrefix(apiPath, f.mux)))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the API base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.all.next()
		root.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	opts = append([]Option{WithRetryPolicy(RetryPolicy{MaxRetries: -1})}, opts...)
	c, err := New(f.srv.URL+apiPath, testPub, testPriv, opts...)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(context.Context, time.Duration) error {
		t.Error("unexpected sleep")
		return nil
	}
	return c, f
}

// auth verifies Basic credentials, or Digest ones computed per RFC 7616
// (MD5, qop=auth) against a nonce this server issued; anything else gets a
// 401 gateway envelope with a fresh Digest challenge.
func (f *fakeAPI) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if user, pass, ok := r.BasicAuth(); ok && user == testPub && pass == testPriv {
			next.ServeHTTP(w, r)
			return
		}
		if cred, err := digest.ParseCredentials(h); err == nil && f.validDigest(r, cred) {
			next.ServeHTTP(w, r)
			return
		}
		f.mu.Lock()
		f.nonce++
		nonce := fmt.Sprintf("nonce%04d", f.nonce)
		f.nonces[nonce] = true
		f.mu.Unlock()
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Digest realm=%q, nonce=%q, qop="auth", algorithm=MD5`, testRealm, nonce))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, fixtureGateway401)
	})
}

func (f *fakeAPI) validDigest(r *http.Request, c *digest.Credentials) bool {
	f.mu.Lock()
	known := f.nonces[c.Nonce]
	f.mu.Unlock()
	if !known || c.Username != testPub || c.Realm != testRealm || c.URI != r.RequestURI || c.QOP != "auth" {
		return false
	}
	ha1 := md5hex(testPub + ":" + testRealm + ":" + testPriv)
	ha2 := md5hex(r.Method + ":" + c.URI)
	return c.Response == md5hex(fmt.Sprintf("%s:%s:%08x:%s:%s:%s", ha1, c.Nonce, c.Nc, c.Cnonce, c.QOP, ha2))
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// reply writes a JSON body with a status.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// checkRequest asserts the method, escaped path, common headers and exact
// body of a request that reached the API (go-github style).
func checkRequest(t *testing.T, r *http.Request, method, path, body string) {
	t.Helper()
	if r.Method != method {
		t.Errorf("method = %s, want %s", r.Method, method)
	}
	if got := r.URL.EscapedPath(); got != path {
		t.Errorf("path = %s, want %s", got, path)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	if got := r.Header.Get("User-Agent"); got != defaultUserAgent {
		t.Errorf("User-Agent = %q, want %s", got, defaultUserAgent)
	}
	if got := r.Header.Get("Authorization"); !strings.HasPrefix(got, "Digest ") {
		t.Errorf("Authorization = %q, want the Digest scheme", got)
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != body {
		t.Errorf("body = %s\nwant   %s", b, body)
	}
}

func TestCreateSession(t *testing.T) {
	tests := []struct {
		name string
		req  CreateSessionRequest
		body string
	}{
		{"named", CreateSessionRequest{ClusterID: "10140100115280519574", Database: "sp500insight", Name: "market_cap"},
			`{"cluster_id":"10140100115280519574","database":"sp500insight","name":"market_cap"}`},
		{"name omitted", CreateSessionRequest{ClusterID: "10140100115280519574", Database: "sp500insight"},
			`{"cluster_id":"10140100115280519574","database":"sp500insight"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			f.mux.HandleFunc("/v3/sessions", func(w http.ResponseWriter, r *http.Request) {
				checkRequest(t, r, "POST", "/v3/sessions", tt.body)
				reply(w, 200, fixtureSession)
			})
			got, err := c.CreateSession(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			want := &Session{
				SessionID: 305685,
				Messages:  []json.RawMessage{},
				Meta: SessionMeta{CreatedAt: 1718948875, UpdatedAt: 1718948875, Creator: "<Your email>",
					Name: "<Your session name>", OrgID: "1"},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CreateSession (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSessionChat2Data(t *testing.T) {
	c, f := setup(t)
	f.mux.HandleFunc("/v3/sessions/{id}/chat2data", func(w http.ResponseWriter, r *http.Request) {
		checkRequest(t, r, "POST", "/v3/sessions/305685/chat2data",
			`{"question":"Which sectors are they in? (price < 100 & > 10)","feedback_answer_id":"","feedback_task_id":"","sql_generate_mode":"auto_breakdown"}`)
		reply(w, 200, fixtureSessionChat2Data)
	})
	got, err := c.SessionChat2Data(context.Background(), 305685, SessionChat2DataRequest{
		Question:        "Which sectors are they in? (price < 100 & > 10)",
		SQLGenerateMode: ModeAutoBreakdown,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &JobRef{JobID: "d96b6fd23c5f445787eb5fd067c14c0b", SessionID: 305685}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SessionChat2Data (-want +got):\n%s", diff)
	}

	if _, err := c.SessionChat2Data(context.Background(), 0, SessionChat2DataRequest{Question: "x"}); err == nil {
		t.Error("session id 0: no error")
	}
}

func TestChat2Data(t *testing.T) {
	tests := []struct {
		name string
		req  Chat2DataRequest
		body string
	}{
		{"by database", Chat2DataRequest{ClusterID: "10140100115280519574", Database: "sp500insight", Question: "How many users?", SQLGenerateMode: ModeDirect},
			`{"cluster_id":"10140100115280519574","database":"sp500insight","question":"How many users?","sql_generate_mode":"direct"}`},
		{"by summary, default mode", Chat2DataRequest{DataSummaryID: 304823, Question: "How many users?"},
			`{"data_summary_id":304823,"question":"How many users?"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			f.mux.HandleFunc("/v3/chat2data", func(w http.ResponseWriter, r *http.Request) {
				checkRequest(t, r, "POST", "/v3/chat2data", tt.body)
				reply(w, 200, fixtureChat2Data)
			})
			got, err := c.Chat2Data(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			want := &JobRef{ClusterID: "10140100115280519574", Database: "sp500insight",
				JobID: "20f7577088154d7889964f1a5b12cb26", SessionID: 304832}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Chat2Data (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetJob(t *testing.T) {
	tests := []struct {
		id, path string
	}{
		{"20f7577088154d7889964f1a5b12cb26", "/v2/jobs/20f7577088154d7889964f1a5b12cb26"},
		{"a/b c?", "/v2/jobs/a%2Fb%20c%3F"}, // escaped, so it cannot reach another endpoint
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, f := setup(t)
			f.mux.HandleFunc("GET /v2/jobs/{id}", func(w http.ResponseWriter, r *http.Request) {
				checkRequest(t, r, "GET", tt.path, "")
				if r.PathValue("id") != tt.id {
					t.Errorf("job id = %q, want %q", r.PathValue("id"), tt.id)
				}
				reply(w, 200, fixtureJobDone)
			})
			got, err := c.GetJob(context.Background(), tt.id)
			if err != nil {
				t.Fatal(err)
			}
			want := &Job{JobID: "20f7577088154d7889964f1a5b12cb26", Status: JobDone, EndedAt: 1718785006,
				Result: json.RawMessage(fixtureAnswerDirect)}
			if diff := cmp.Diff(want, got, cmp.Comparer(jsonEqual)); diff != "" {
				t.Errorf("GetJob (-want +got):\n%s", diff)
			}
		})
	}

	c, _ := setup(t)
	if _, err := c.GetJob(context.Background(), ""); err == nil {
		t.Error("empty job id: no error")
	}
	if c.Requests() != 0 {
		t.Errorf("an invalid call was sent: Requests() = %d", c.Requests())
	}
}

// jsonEqual compares raw JSON by value.
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && cmp.Equal(x, y)
}

func TestDigestAuthAndCounters(t *testing.T) {
	c, f := setup(t)
	f.mux.HandleFunc("/v3/chat2data", func(w http.ResponseWriter, r *http.Request) {
		checkRequest(t, r, "POST", "/v3/chat2data", `{"question":"q"}`)
		reply(w, 200, fixtureChat2Data)
	})
	for i := range 2 {
		if _, err := c.Chat2Data(context.Background(), Chat2DataRequest{Question: "q"}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	// The first call fetches the challenge (2 requests); the second
	// reuses it (1).
	if c.Requests() != 3 || c.RoundTrips() != 3 || f.all.get() != 3 {
		t.Errorf("Requests, RoundTrips = %d, %d, server saw %d; want 3, 3, 3", c.Requests(), c.RoundTrips(), f.all.get())
	}
}

func TestDigestWrongKey(t *testing.T) {
	_, f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Error("unauthenticated request reached the API") })
	c, err := New(f.srv.URL+apiPath, testPub, "wrong-"+testPriv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateSession(context.Background(), CreateSessionRequest{ClusterID: "1", Database: "d"})
	var ae *APIError
	if !errors.As(err, &ae) || !ae.Unauthorized() {
		t.Fatalf("err = %v, want an unauthorized *APIError", err)
	}
	if want := "check the public and private key"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	assertNoKeys(t, err.Error(), testPub, "wrong-"+testPriv)
}

func TestBasicAuth(t *testing.T) {
	c, f := setup(t, WithBasicAuth(), WithUserAgent("c2q/1.2.3"))
	f.mux.HandleFunc("/v3/sessions", func(w http.ResponseWriter, r *http.Request) {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(testPub+":"+testPriv))
		if got := r.Header.Get("Authorization"); got != want {
			t.Errorf("Authorization = %q, want %q", got, want)
		}
		if got := r.Header.Get("User-Agent"); got != "c2q/1.2.3" {
			t.Errorf("User-Agent = %q", got)
		}
		reply(w, 200, fixtureSession)
	})
	if _, err := c.CreateSession(context.Background(), CreateSessionRequest{ClusterID: "1", Database: "d"}); err != nil {
		t.Fatal(err)
	}
	if c.Requests() != 1 || c.RoundTrips() != 1 {
		t.Errorf("Requests, RoundTrips = %d, %d; want 1, 1", c.Requests(), c.RoundTrips())
	}
}

func TestWithHTTPClient(t *testing.T) {
	var seen int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen++
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, f := setup(t, WithHTTPClient(hc))
	f.mux.HandleFunc("/v3/sessions", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, fixtureSession) })
	if _, err := c.CreateSession(context.Background(), CreateSessionRequest{}); err != nil {
		t.Fatal(err)
	}
	if seen != 2 {
		t.Errorf("caller's transport saw %d round trips, want 2", seen)
	}
	if _, ok := hc.Transport.(roundTripFunc); !ok || hc.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNew(t *testing.T) {
	const good = "https://us-east-1.data.tidbcloud.com/api/v1beta/app/chat2query-YqAvnlRj/endpoint"
	tests := []struct {
		name, url, pub, priv string
		opts                 []Option
		wantErr              string // "" for success
	}{
		{"tidb cloud", good, testPub, testPriv, nil, ""},
		{"trailing slash", good + "/", testPub, testPriv, nil, ""},
		{"local emulator", "http://127.0.0.1:8080/api/v1beta/app/chat2query-emulator/endpoint", testPub, testPriv, []Option{WithBasicAuth()}, ""},
		{"empty url", "", testPub, testPriv, nil, "endpoint URL is empty"},
		{"no scheme", "us-east-1.data.tidbcloud.com/api", testPub, testPriv, nil, "https://"},
		{"ftp", "ftp://example.com/endpoint", testPub, testPriv, nil, "https://"},
		{"no host", "https:///endpoint", testPub, testPriv, nil, "no host"},
		{"bad escape", "https://example.com/%zz", testPub, testPriv, nil, "invalid endpoint URL"},
		{"credentials in url", "https://" + testPub + ":" + testPriv + "@example.com/endpoint", testPub, testPriv, nil, "must not contain credentials"},
		{"query", good + "?x=1", testPub, testPriv, nil, "query"},
		{"empty public key", good, "", testPriv, nil, "public key is empty"},
		{"empty private key", good, testPub, "", nil, "private key is empty"},
		{"newline in key", good, testPub, testPriv + "\n", nil, "stray newline"},
		{"http to a remote host", "http://example.com/endpoint", testPub, testPriv, nil, "uses plain http, which would expose the API keys and data: use https://"},
		{"basic over http", "http://example.com/endpoint", testPub, testPriv, []Option{WithBasicAuth()}, "use https://"},
		{"http to 10.0.0.1", "http://10.0.0.1:8080/endpoint", testPub, testPriv, nil, "use https://"},
		{"http to a name ending in localhost", "http://localhost.example.com/endpoint", testPub, testPriv, nil, "use https://"},
		{"http to localhost", "http://localhost:8080/api/v1beta/app/chat2query-emulator/endpoint", testPub, testPriv, nil, ""},
		{"http to 127.1.2.3", "http://127.1.2.3/endpoint", testPub, testPriv, nil, ""},
		{"http to ::1", "http://[::1]:8080/endpoint", testPub, testPriv, nil, ""},
		{"insecure TLS", good, testPub, testPriv, []Option{WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}})}, "skips TLS certificate verification"},
		{"insecure TLS to loopback", "https://127.0.0.1:8443/endpoint", testPub, testPriv, []Option{WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}})}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.url, tt.pub, tt.priv, tt.opts...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				s := fmt.Sprintf("%v %+v %#v %s", c, c, c, c)
				assertNoKeys(t, s, tt.pub, tt.priv)
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
			assertNoKeys(t, err.Error(), testPub, testPriv)
		})
	}
}

func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + apiPath
	srv.Close() // nothing listens any more
	c, err := New(url, testPub, testPriv, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Chat2Data(context.Background(), Chat2DataRequest{Question: "q"})
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Method != "POST" || ne.Path != "/v3/chat2data" || !ne.NotSent {
		t.Fatalf("err = %#v, want a *NetworkError for POST /v3/chat2data", err)
	}
	if !strings.HasPrefix(err.Error(), "POST /v3/chat2data: ") {
		t.Errorf("error %q does not start with the method and path", err)
	}
	assertNoKeys(t, err.Error(), testPub, testPriv)
	// The connection was refused: nothing reached the wire.
	if c.Requests() != 0 || c.RoundTrips() != 1 {
		t.Errorf("Requests, RoundTrips = %d, %d; want 0, 1", c.Requests(), c.RoundTrips())
	}
}

func TestCanceledContext(t *testing.T) {
	c, f := setup(t)
	f.mux.HandleFunc("/v3/sessions", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, fixtureSession) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.CreateSession(ctx, CreateSessionRequest{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var ne *NetworkError
	if errors.As(err, &ne) {
		t.Errorf("cancellation reported as a network error: %v", err)
	}
}

func TestResponseTooLarge(t *testing.T) {
	c, f := setup(t)
	f.mux.HandleFunc("/v3/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		io.WriteString(w, `{"code":200,"msg":"","result":{"session_id":1,"messages":["`)
		chunk := strings.Repeat("x", 1<<20)
		for range maxResponseBytes>>20 + 1 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"]}}`)
	})
	_, err := c.CreateSession(context.Background(), CreateSessionRequest{})
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "larger than the 32 MiB limit") {
		t.Fatalf("err = %v, want a *DecodeError about the size", err)
	}
}

// A redirect is reported, not followed: following would resend a POST as a
// GET, possibly to another host.
func TestRedirectNotFollowed(t *testing.T) {
	c, f := setup(t)
	f.mux.HandleFunc("/v3/sessions", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example/v3/sessions", http.StatusMovedPermanently)
	})
	_, err := c.CreateSession(context.Background(), CreateSessionRequest{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 301 || !strings.Contains(err.Error(), "redirect to https://elsewhere.example") {
		t.Fatalf("err = %v, want a 301 *APIError naming the target", err)
	}
}

func assertNoKeys(t *testing.T, s string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if k != "" && strings.Contains(s, k) {
			t.Errorf("output contains a key: %q", s)
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(testPub + ":" + testPriv))
	if strings.Contains(s, basic) {
		t.Errorf("output contains the basic credentials: %q", s)
	}
}

// TestVersion checks that the version is one token, as a User-Agent product
// version must be, and is what the client sends.
func TestVersion(t *testing.T) {
	v := Version()
	if v == "" || strings.ContainsAny(v, " /()") {
		t.Errorf("Version() = %q, want one token", v)
	}
	if defaultUserAgent != "c2q/"+v {
		t.Errorf("defaultUserAgent = %q, want c2q/%s", defaultUserAgent, v)
	}
}
