package emulator_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
)

func TestParseFaults(t *testing.T) {
	got, err := emulator.ParseFaults(" n=3:500, n=5:hang,n=1:502,n=2:429,n=7:truncate,n=8:RESET,")
	if err != nil {
		t.Fatal(err)
	}
	want := []emulator.Fault{{3, emulator.FaultInternal}, {5, emulator.FaultHang}, {1, emulator.FaultBadGateway},
		{2, emulator.FaultRateLimit}, {7, emulator.FaultTruncate}, {8, emulator.FaultReset}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseFaults = %v, want %v", got, want)
	}
	for _, bad := range []string{"3:500", "n=0:500", "n=x:500", "n=3", "n=3:404"} {
		if _, err := emulator.ParseFaults(bad); err == nil || !strings.Contains(err.Error(), "want n=N:KIND") {
			t.Errorf("ParseFaults(%q) error = %v", bad, err)
		}
	}
	_, err = emulator.New(emulator.Options{PublicKey: "p", PrivateKey: "k", DB: testDB(), Book: testBook(),
		Faults: emulator.Faults{Script: []emulator.Fault{{1, emulator.FaultHang}, {1, emulator.FaultReset}}}})
	if err == nil {
		t.Error("two faults for one request were accepted")
	}
}

// faultClient is the c2q client without retries, over Basic auth so that
// every call is exactly one request.
func faultClient(t *testing.T, e *env) *chat2query.Client {
	t.Helper()
	c, err := chat2query.New(e.base, testPub, testPriv, chat2query.WithBasicAuth(),
		chat2query.WithRetryPolicy(chat2query.RetryPolicy{MaxRetries: -1, MaxWait: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var sessionReq = chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight", Name: "f"}

// TestScriptedFaults checks each fault as the client sees it. The fault hits
// the second request; the first and the third are served normally.
func TestScriptedFaults(t *testing.T) {
	for _, tc := range []struct {
		kind  emulator.FaultKind
		check func(t *testing.T, err error)
		// created is whether the faulted request created its session.
		created bool
	}{
		{emulator.FaultInternal, func(t *testing.T, err error) {
			var se *chat2query.ServerError
			if !errors.As(err, &se) || se.StatusCode != 500 || !strings.HasPrefix(se.Msg, "internal error!") {
				t.Errorf("err = %#v, want a *ServerError 500", err)
			}
		}, false},
		{emulator.FaultRateLimit, func(t *testing.T, err error) {
			var rl *chat2query.RateLimitError
			if !errors.As(err, &rl) || rl.Daily || rl.Code != chat2query.CodeKeyRateLimit || rl.RetryAfter != time.Second {
				t.Errorf("err = %#v, want a per-minute *RateLimitError", err)
			}
		}, false},
		{emulator.FaultBadGateway, func(t *testing.T, err error) {
			var se *chat2query.ServerError
			if !errors.As(err, &se) || se.StatusCode != 502 || !strings.Contains(se.Msg, "502 Bad Gateway") || strings.Contains(se.Msg, "<") {
				t.Errorf("err = %#v, want a *ServerError 502 with the page's text", err)
			}
		}, false},
		{emulator.FaultTruncate, func(t *testing.T, err error) {
			var ne *chat2query.NetworkError
			if !errors.As(err, &ne) || ne.NotSent {
				t.Errorf("err = %#v, want a *NetworkError of a request that was sent", err)
			}
		}, true},
		{emulator.FaultReset, func(t *testing.T, err error) {
			var ne *chat2query.NetworkError
			if !errors.As(err, &ne) {
				t.Errorf("err = %#v, want a *NetworkError", err)
			}
		}, false},
		{emulator.FaultHang, func(t *testing.T, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %#v, want the context's deadline", err)
			}
		}, false},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			e := newEnv(t, emulator.Options{Faults: emulator.Faults{Script: []emulator.Fault{{N: 2, Kind: tc.kind}}}})
			c := faultClient(t, e)
			ctx := context.Background()
			if _, err := c.CreateSession(ctx, sessionReq); err != nil {
				t.Fatalf("request 1: %v", err)
			}
			ctx2, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.CreateSession(ctx2, sessionReq)
			if err == nil {
				t.Fatal("request 2 succeeded")
			}
			if tc.kind != emulator.FaultHang && time.Since(start) > 250*time.Millisecond {
				t.Errorf("the fault took %v", time.Since(start))
			}
			tc.check(t, err)
			s, err := c.CreateSession(ctx, sessionReq)
			if err != nil {
				t.Fatalf("request 3: %v", err)
			}
			want := int64(305686)
			if tc.created {
				want++
			}
			if int64(s.SessionID) != want {
				t.Errorf("request 3 created session %d, want %d", s.SessionID, want)
			}
		})
	}
}

// jobStatuses asks n questions on a fresh server and returns the jobs' outcomes.
func jobStatuses(t *testing.T, f emulator.Faults, n int) []string {
	e := newEnv(t, emulator.Options{Faults: f})
	s := e.newSession()
	var out []string
	for range n {
		j := e.job(e.ask(s, "What are the 5 companies with the largest market cap?", "direct"))
		st := j["status"].(string)
		if st == "failed" && !strings.Contains(j["reason"].(string), "injected") {
			t.Errorf("failed job's reason %q does not say it was injected", j["reason"])
		}
		out = append(out, st)
	}
	return out
}

func TestFailRateIsDeterministic(t *testing.T) {
	f := emulator.Faults{FailRate: 0.3, Seed: 42}
	a, b := jobStatuses(t, f, 40), jobStatuses(t, f, 40)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different outcomes:\n%v\n%v", a, b)
	}
	failed := strings.Count(strings.Join(a, " "), "failed")
	if failed < 4 || failed > 24 {
		t.Errorf("%d of 40 jobs failed at a rate of 0.3", failed)
	}
	f.Seed = 43
	if c := jobStatuses(t, f, 40); reflect.DeepEqual(a, c) {
		t.Error("another seed gave the same outcomes")
	}
	for _, st := range jobStatuses(t, emulator.Faults{FailRate: 1}, 5) {
		if st != "failed" {
			t.Errorf("status %s at a fail rate of 1", st)
		}
	}
	if _, err := emulator.New(emulator.Options{PublicKey: "p", PrivateKey: "k", DB: testDB(), Book: testBook(), Faults: emulator.Faults{FailRate: 1.5}}); err == nil {
		t.Error("a fail rate of 1.5 was accepted")
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRequestLog(t *testing.T) {
	var log syncBuffer
	e := newEnv(t, emulator.Options{Log: &log, Faults: emulator.Faults{Script: []emulator.Fault{{N: 3, Kind: emulator.FaultBadGateway}}}})
	s := e.newSession()
	e.call("GET", "/v3/sessions/"+s+"?x=1", nil)
	res, err := e.ts.Client().Get(e.base + "/v3/sessions/" + s) // fault 502: HTML
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 502 || res.Header.Get("Content-Type") != "text/html" {
		t.Errorf("fault 502: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	e.send("GET", e.base+"/v3/sessions/"+s, nil, nil)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d log lines, want 4:\n%s", len(lines), log.String())
	}
	for i, want := range []string{
		"#1 POST /api/v1beta/app/chat2query-emulator/endpoint/v3/sessions 200 ",
		"#2 GET /api/v1beta/app/chat2query-emulator/endpoint/v3/sessions/" + s + " 200 ",
		"#3 GET /api/v1beta/app/chat2query-emulator/endpoint/v3/sessions/" + s + " 502 ",
		"#4 GET /api/v1beta/app/chat2query-emulator/endpoint/v3/sessions/" + s + " 401 ",
	} {
		if !strings.Contains(lines[i], want) || !strings.HasPrefix(lines[i], "2024-06-21T") {
			t.Errorf("line %d = %q, want it to contain %q", i+1, lines[i], want)
		}
	}
	if !strings.HasSuffix(lines[2], " fault=502") {
		t.Errorf("line 3 = %q, want the fault named", lines[2])
	}
	if strings.Contains(log.String(), testPriv) || strings.Contains(log.String(), testPub) || strings.Contains(log.String(), "x=1") {
		t.Errorf("the log shows a key or a query string:\n%s", log.String())
	}
}
