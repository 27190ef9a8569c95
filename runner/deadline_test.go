package runner

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/google/go-cmp/cmp"
)

// These tests run Apply with the real chat2query client against an
// httptest server that hangs where told, with question timeouts of
// milliseconds. They assert statuses, errors, messages and the requests the
// server saw, never durations: Apply returning is the proof that every wait
// was bounded.

const (
	apiBase       = "/api/v1beta/app/chat2query-test/endpoint"
	replySession  = `{"code":200,"msg":"","result":{"session_id":305685,"messages":[],"meta":{}}}`
	replyAsked    = `{"code":200,"msg":"","result":{"job_id":"j1","session_id":305685}}`
	replyRunning  = `{"code":200,"msg":"","result":{"job_id":"j1","status":"running","reason":"","result":null}}`
	replyDone     = `{"code":200,"msg":"","result":{"job_id":"j1","status":"done","reason":"","result":{"type":"data_retrieval","sql":"SELECT 1","sql_error":null,"data":{"columns":[{"col":"1"}],"rows":[[1]]}}}}`
	testPublicKey = "PUBK3Y01"
	testKey       = "0f5e3c1a-8d3b-4a7e-9c2d-6b1f0e7a9c55"
)

// fastWait polls at once, then every millisecond.
var fastWait = chat2query.WaitOptions{FirstPoll: -1, Interval: time.Millisecond, MaxInterval: time.Millisecond}

// api is a fake Chat2Query: its routes answer by "METHOD /path" (below the
// base), each with handlers in turn (repeating the last); it records every
// request it receives.
type api struct {
	srv    *httptest.Server
	done   chan struct{}
	mu     sync.Mutex
	cond   *sync.Cond // signalled with every request
	routes map[string][]http.HandlerFunc
	seen   []string // "METHOD /path" of every request, in order
}

func newAPI(t *testing.T) *api {
	t.Helper()
	a := &api{done: make(chan struct{})}
	a.cond = sync.NewCond(&a.mu)
	calls := map[string]int{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + strings.TrimPrefix(r.URL.Path, apiBase)
		a.mu.Lock()
		a.seen = append(a.seen, key)
		a.cond.Broadcast()
		hs, ok := a.routes[key]
		i := calls[key]
		calls[key]++
		a.mu.Unlock()
		if !ok {
			t.Errorf("unexpected request %s", key)
			http.NotFound(w, r)
			return
		}
		hs[min(i, len(hs)-1)](w, r)
	}))
	t.Cleanup(a.srv.Close)
	t.Cleanup(func() { close(a.done) }) // before Close: releases hanging handlers
	return a
}

func (a *api) route(routes map[string][]http.HandlerFunc) *api {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.routes = routes
	return a
}

func (a *api) requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen...)
}

// settle returns the requests the server saw once it has seen at least n,
// or what it saw by the time a generous bound passed. A request written
// just before the client gave up may reach the handler after Apply
// returned.
func (a *api) settle(n int64) []string {
	stop := time.AfterFunc(10*time.Second, func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		n = -1
		a.cond.Broadcast()
	})
	defer stop.Stop()
	a.mu.Lock()
	defer a.mu.Unlock()
	for n >= 0 && int64(len(a.seen)) < n {
		a.cond.Wait()
	}
	return append([]string(nil), a.seen...)
}

func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}
}

// hang never answers; it returns when the client goes away.
func (a *api) hang(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-a.done:
	}
}

// stall sends the headers and the start of a body, then hangs.
func (a *api) stall(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "1000")
	w.WriteHeader(200)
	io.WriteString(w, `{"code":200,"msg":"","result":{`)
	w.(http.Flusher).Flush()
	a.hang(w, r)
}

func (a *api) client(t *testing.T, opts ...chat2query.Option) *chat2query.Client {
	t.Helper()
	c, err := chat2query.New(a.srv.URL+apiBase, testPublicKey, testKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// timedSession is a session of questions q1 and q2 with a timeout each.
func timedSession(label, timeout string) string {
	return session(label,
		`  question "q1" {
    ask     = "one"
    timeout = "`+timeout+`"
  }
`,
		`  question "q2" {
    ask     = "two"
    timeout = "`+timeout+`"
  }
`)
}

const (
	routeCreate = "POST /v3/sessions"
	routeAsk    = "POST /v3/sessions/305685/chat2data"
	routePoll   = "GET /v2/jobs/j1"
)

// A question whose POST, poll or response body hangs, or whose job never
// finishes, errors with its timeout, never passes; the message says what
// it was doing; the rest of its session is skipped; the summary counts what
// the server saw.
func TestApplyQuestionTimeout(t *testing.T) {
	tests := []struct {
		name   string
		routes func(*api) map[string][]http.HandlerFunc
		doing  string   // what the message says the question was doing
		seen   []string // the requests, when they are certain
	}{
		{
			name: "hung POST",
			routes: func(a *api) map[string][]http.HandlerFunc {
				return map[string][]http.HandlerFunc{routeCreate: {answer(replySession)}, routeAsk: {a.hang}}
			},
			doing: "(POST /v3/sessions/305685/chat2data got no complete response)",
			seen:  []string{routeCreate, routeAsk},
		},
		{
			name: "stalled POST body",
			routes: func(a *api) map[string][]http.HandlerFunc {
				return map[string][]http.HandlerFunc{routeCreate: {answer(replySession)}, routeAsk: {a.stall}}
			},
			doing: "(POST /v3/sessions/305685/chat2data got no complete response)",
			seen:  []string{routeCreate, routeAsk},
		},
		{
			name: "hung poll",
			routes: func(a *api) map[string][]http.HandlerFunc {
				return map[string][]http.HandlerFunc{routeCreate: {answer(replySession)}, routeAsk: {answer(replyAsked)}, routePoll: {answer(replyRunning), a.hang}}
			},
			doing: "(job j1 still running after 1 poll; poll 2 got no complete response)",
			seen:  []string{routeCreate, routeAsk, routePoll, routePoll},
		},
		{
			name: "stalled poll body",
			routes: func(a *api) map[string][]http.HandlerFunc {
				return map[string][]http.HandlerFunc{routeCreate: {answer(replySession)}, routeAsk: {answer(replyAsked)}, routePoll: {a.stall}}
			},
			doing: "(job j1: poll 1 got no complete response)",
			seen:  []string{routeCreate, routeAsk, routePoll},
		},
		{
			name: "job running forever",
			routes: func(a *api) map[string][]http.HandlerFunc {
				return map[string][]http.HandlerFunc{routeCreate: {answer(replySession)}, routeAsk: {answer(replyAsked)}, routePoll: {answer(replyRunning)}}
			},
			doing: "(job j1 still running after ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAPI(t)
			a.route(tt.routes(a))
			p := loadPlan(t, timedSession("s", "100ms"))
			res := Apply(context.Background(), p, Options{Client: a.client(t, chat2query.WithBasicAuth()), Wait: fastWait})

			if diff := cmp.Diff([]string{"s.q1=error", "s.q2=skip"}, statuses(res)); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			err := res.Sessions[0].Questions[0].Err
			var qt *QuestionTimeoutError
			if !errors.As(err, &qt) || qt.Timeout != 100*time.Millisecond || qt.Question != "q1" {
				t.Fatalf("q1 error = %v, want a *QuestionTimeoutError", err)
			}
			if want := "question q1: no answer within the 100ms timeout " + tt.doing; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message = %q\nwant prefix %q", err, want)
			}
			if strings.Count(err.Error(), "j1") > 1 || strings.Contains(err.Error(), "context deadline exceeded") {
				t.Errorf("message %q repeats itself or shows Go's context error", err)
			}
			seen := a.settle(res.Requests)
			if tt.seen != nil {
				if diff := cmp.Diff(tt.seen, seen); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
			}
			if res.Requests != int64(len(seen)) || res.AIRequests != 1 {
				t.Errorf("summary: %d requests (%d AI), the server saw %d", res.Requests, res.AIRequests, len(seen))
			}
			if res.Status() != Error || res.Interrupted {
				t.Errorf("result status %v, interrupted %v; want error, not interrupted", res.Status(), res.Interrupted)
			}
		})
	}
}

// Creating a session is bounded by its first question's timeout; the other
// sessions still run.
func TestApplySessionCreationTimeout(t *testing.T) {
	a := newAPI(t)
	a.route(map[string][]http.HandlerFunc{routeCreate: {a.hang, answer(replySession)}, routeAsk: {answer(replyAsked)}, routePoll: {answer(replyDone)}})
	p := loadPlan(t, timedSession("s1", "100ms")+timedSession("s2", "1m"))
	res := Apply(context.Background(), p, Options{Client: a.client(t, chat2query.WithBasicAuth()), Wait: fastWait})
	if diff := cmp.Diff([]string{"s1.q1=error", "s1.q2=skip", "s2.q1=pass", "s2.q2=pass"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	err := res.Sessions[0].Questions[0].Err
	want := "creating the Chat2Query session: no answer within the 100ms timeout of question q1 (POST /v3/sessions got no complete response)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	if seen := a.settle(res.Requests); res.Requests != int64(len(seen)) || len(seen) != 6 {
		t.Errorf("summary: %d requests, the server saw %q", res.Requests, seen)
	}
}

// An authentication failure is named, and stops the run: nothing more is
// asked, in any session.
func TestApplyStopsAtAuthFailure(t *testing.T) {
	unauthorized := func(challenge string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if challenge != "" {
				w.Header().Set("WWW-Authenticate", challenge)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			io.WriteString(w, `{"type":"","data":{"columns":[],"rows":[],"result":{"code":401,"message":"auth failed"}}}`)
		}
	}
	tests := []struct {
		name      string
		challenge string
		seen      int
		want      string
	}{
		{"no challenge", "", 1, "authentication failed: the server answered 401 without a digest challenge; check the public and private key"},
		{"Basic challenge", `Basic realm="tidb.cloud"`, 1, "authentication failed: the server answered 401 without a digest challenge (it asks for Basic); check the public and private key"},
		{"wrong key", `Digest realm="tidb.cloud", nonce="abc", qop="auth", algorithm=MD5`, 2, "authentication failed (HTTP 401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAPI(t).route(map[string][]http.HandlerFunc{routeCreate: {unauthorized(tt.challenge)}})
			p := loadPlan(t, timedSession("s1", "1m")+timedSession("s2", "1m"))
			rec := &recorder{}
			res := Apply(context.Background(), p, Options{Client: a.client(t), Wait: fastWait, Observer: rec})
			if diff := cmp.Diff([]string{"s1.q1=error", "s1.q2=skip", "s2.q1=skip", "s2.q2=skip"}, statuses(res)); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			err := res.Sessions[0].Questions[0].Err
			if !errors.Is(err, chat2query.ErrAuth) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want ErrAuth saying %q", err, tt.want)
			}
			for _, q := range res.Sessions[1].Questions {
				var skip *SkipError
				if !errors.As(q.Err, &skip) || !errors.Is(q.Err, chat2query.ErrAuth) || !strings.Contains(skip.Reason, "authentication failed") {
					t.Errorf("s2.%s: %v, want a skip for the authentication failure", q.Plan.Question.Label, q.Err)
				}
			}
			if seen := a.settle(res.Requests); len(seen) != tt.seen || res.Requests != int64(tt.seen) || res.AIRequests != 0 {
				t.Errorf("server saw %q, summary %d requests (%d AI); want %d, none AI", seen, res.Requests, res.AIRequests, tt.seen)
			}
		})
	}
}

// Ctrl-C while a poll is in flight: the question errors as interrupted,
// once, and everything not asked is skipped as interrupted.
func TestApplyInterruptedDuringPoll(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := newAPI(t)
	a.route(map[string][]http.HandlerFunc{
		routeCreate: {answer(replySession)},
		routeAsk:    {answer(replyAsked)},
		routePoll:   {func(w http.ResponseWriter, r *http.Request) { cancel(); a.hang(w, r) }},
	})
	p := loadPlan(t, timedSession("s1", "1m")+timedSession("s2", "1m"))
	res := Apply(ctx, p, Options{Client: a.client(t, chat2query.WithBasicAuth()), Wait: fastWait})
	if diff := cmp.Diff([]string{"s1.q1=error", "s1.q2=skip", "s2.q1=skip", "s2.q2=skip"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	err := res.Sessions[0].Questions[0].Err
	if !errors.Is(err, ErrInterrupted) || err.Error() != "interrupted while waiting for job j1" {
		t.Errorf("q1 error = %v", err)
	}
	for _, sr := range res.Sessions {
		for _, q := range sr.Questions {
			if q.Status == Skip && (!errors.Is(q.Err, ErrInterrupted) || q.Err.Error() != "interrupted") {
				t.Errorf("%s skipped with %v, want interrupted", q.Plan.Question.Label, q.Err)
			}
		}
	}
	if !res.Interrupted {
		t.Error("Result.Interrupted not set")
	}
	if diff := cmp.Diff([]string{routeCreate, routeAsk, routePoll}, a.settle(res.Requests)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
