package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/google/go-cmp/cmp"
)

// panicDist is a Distribution that panics for one question, like
// BenchmarkWaitJob's, which only expects its own.
type panicDist struct{ on string }

func (d panicDist) Sample(q string) time.Duration {
	if q == d.on {
		panic("panicDist: unexpected question " + q)
	}
	return 0
}

// hangTimeout bounds every request of these tests: a request that hangs
// means a panic left the server locked, and fails the test instead of
// hanging it. It is never reached when the server works.
const hangTimeout = 20 * time.Second

// newPanicEnv is newEnv whose client gives up on a hung server.
func newPanicEnv(t *testing.T, opts emulator.Options) *env {
	e := newEnv(t, opts)
	e.ts.Client().Timeout = hangTimeout
	return e
}

// checkInternalError checks a recovered panic's 500 in the v3 envelope.
func checkInternalError(t *testing.T, r response) {
	t.Helper()
	if r.Status != 500 {
		t.Fatalf("status %d, want 500: %v", r.Status, r.Body)
	}
	msg, _ := r.Body["msg"].(string)
	if r.Body["code"] != json.Number("500") || !strings.HasPrefix(msg, "internal error! ") || len(r.result()) != 0 || r.Body["result"] == nil {
		t.Errorf("body = %v, want {code: 500, msg: internal error! ..., result: {}}", r.Body)
	}
}

// TestHandlerPanic: a panic under the server's lock, in a caller-supplied
// Answerer or Distribution, fails its request with a 500 in the v3 error
// envelope and is logged with its stack; the next requests are served.
func TestHandlerPanic(t *testing.T) {
	book := testBook()
	match := book.MatchFunc
	book.MatchFunc = func(q, prev string) (*answerbook.Entry, bool) {
		if q == "book boom" {
			panic("fakeBook: boom")
		}
		return match(q, prev)
	}
	var log syncBuffer
	e := newPanicEnv(t, emulator.Options{Book: book, LatencyDist: panicDist{on: "dist boom"}, Log: &log})
	s := e.newSession()
	for _, q := range []string{"book boom", "dist boom"} {
		r := e.call("POST", "/v3/sessions/"+s+"/chat2data", map[string]any{"question": q})
		checkInternalError(t, r)
		// The lock is free and the session still answers.
		id := e.ask(s, "Which five companies have the largest market cap?", "direct")
		if st := e.job(id)["status"]; st != "done" {
			t.Errorf("after %s: job status %v", q, st)
		}
		if r := e.call("GET", "/v3/sessions", nil); r.Status != 200 {
			t.Errorf("after %s: list sessions %d", q, r.Status)
		}
	}
	for _, want := range []string{
		"POST /api/v1beta/app/chat2query-emulator/endpoint/v3/sessions/" + s + "/chat2data panic: fakeBook: boom\ngoroutine ",
		"panic: panicDist: unexpected question dist boom\ngoroutine ",
		"/v3/sessions/" + s + "/chat2data 500 ",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

// TestResultPanic: a Querier that panics while a job's result is computed
// fails that poll and every later one with a 500, not with a "done" job
// without a result; the server goes on serving.
func TestResultPanic(t *testing.T) {
	db := testDB()
	query := db.QueryFunc
	db.QueryFunc = func(ctx context.Context, database, q string) (*sqldb.Result, error) {
		if q == brokenSQL {
			panic("fakeDB: boom")
		}
		return query(ctx, database, q)
	}
	var log syncBuffer
	e := newPanicEnv(t, emulator.Options{DB: db, Log: &log})
	s := e.newSession()
	bad := e.ask(s, "broken", "direct")
	for i := range 2 {
		r := e.call("GET", "/v2/jobs/"+bad, nil)
		checkInternalError(t, r)
		if i == 1 && !strings.Contains(r.Body["msg"].(string), "panicked: fakeDB: boom") {
			t.Errorf("second poll: msg = %q, want the cached panic", r.Body["msg"])
		}
	}
	good := e.ask(s, "Which five companies have the largest market cap?", "direct")
	if st := e.job(good)["status"]; st != "done" {
		t.Errorf("next job: status %v", st)
	}
	if strings.Count(log.String(), "panic: fakeDB: boom") != 1 {
		t.Errorf("want the panic logged once, from the poll that computed the result:\n%s", log.String())
	}
}

// TestPanicThroughClient: c2q's client sees the recovered panic as an
// ordinary 500 APIError.
func TestPanicThroughClient(t *testing.T) {
	var log syncBuffer
	e := newPanicEnv(t, emulator.Options{LatencyDist: panicDist{on: "dist boom"}, Log: &log})
	c, err := chat2query.New(e.base, testPub, testPriv, chat2query.WithBasicAuth(),
		chat2query.WithHTTPClient(&http.Client{Timeout: hangTimeout}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SessionChat2Data(ctx, s.SessionID, chat2query.SessionChat2DataRequest{Question: "dist boom"})
	var apiErr *chat2query.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(apiErr.Msg, "internal error! ") {
		t.Fatalf("err = %v, want a 500 APIError", err)
	}
	got, err := c.GetSession(ctx, s.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s.SessionID, got.SessionID); d != "" {
		t.Error(d)
	}
}
