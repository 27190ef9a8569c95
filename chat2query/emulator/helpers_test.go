package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
)

const (
	testPub  = "TESTPUB1"
	testPriv = "3f0c2a56-6a59-4c1e-9f0e-2d3c4b5a6978"
)

// t0 is the docs' example created_at (§8.1).
var t0 = time.Unix(1718948875, 0)

// fakeDB is a Querier double; nil funcs fall back to a one-database server
// whose every query fails, so a test states the queries it expects.
type fakeDB struct {
	QueryFunc     func(ctx context.Context, database, query string) (*sqldb.Result, error)
	DatabasesFunc func() []string
}

func (f *fakeDB) Query(ctx context.Context, database, query string) (*sqldb.Result, error) {
	if f.QueryFunc == nil {
		return nil, errors.New("fakeDB: unexpected query " + query)
	}
	return f.QueryFunc(ctx, database, query)
}

func (f *fakeDB) Databases() []string {
	if f.DatabasesFunc == nil {
		return []string{"sp500insight"}
	}
	return f.DatabasesFunc()
}

// fakeBook is an Answerer double.
type fakeBook struct {
	MatchFunc func(question, previous string) (*answerbook.Entry, bool)
}

func (f *fakeBook) Match(question, previous string) (*answerbook.Entry, bool) {
	return f.MatchFunc(question, previous)
}

// fakeClock is the injected clock; tests move it instead of sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const (
	top5SQL    = "SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5"
	sectorsSQL = "SELECT name, sector FROM companies ORDER BY market_cap DESC LIMIT 5"
	brokenSQL  = "SELECT nope FROM companies"
)

// testBook answers three questions; "sectors" is a follow-up that only makes
// sense after "top5", as in DESIGN.md's example.
func testBook() *fakeBook {
	return &fakeBook{MatchFunc: func(q, prev string) (*answerbook.Entry, bool) {
		switch {
		case strings.Contains(q, "largest market cap"):
			return &answerbook.Entry{Label: "top5", SQL: top5SQL, ClarifiedTask: "List the five companies with the largest market cap."}, true
		case strings.Contains(q, "sectors") && prev == "top5":
			return &answerbook.Entry{Label: "sectors", SQL: sectorsSQL}, true
		case strings.Contains(q, "broken"):
			return &answerbook.Entry{Label: "broken", SQL: brokenSQL}, true
		}
		return nil, false
	}}
}

// testDB knows the book's queries.
func testDB() *fakeDB {
	return &fakeDB{QueryFunc: func(_ context.Context, database, q string) (*sqldb.Result, error) {
		if database != "sp500insight" {
			return nil, errors.New("unknown database " + database)
		}
		switch q {
		case top5SQL:
			return &sqldb.Result{Columns: []string{"name", "market_cap"}, Rows: [][]any{{"Apple Inc.", int64(3000000000000)}, {"Microsoft", 2.5e12}}}, nil
		case sectorsSQL:
			return &sqldb.Result{Columns: []string{"name", "sector"}, Rows: [][]any{{"Apple Inc.", "Technology"}, {"Microsoft", nil}}}, nil
		}
		return nil, errors.New("Error 1054 (42S22): Unknown column 'nope' in 'field list'")
	}}
}

// env is one emulator behind httptest, mounted under its non-root base path.
type env struct {
	t     *testing.T
	srv   *emulator.Server
	ts    *httptest.Server
	clock *fakeClock
	base  string // ts.URL + base path
}

// newEnv starts an emulator; opts zero fields get the test doubles.
func newEnv(t *testing.T, opts emulator.Options) *env {
	t.Helper()
	clock := &fakeClock{now: t0}
	if opts.PublicKey == "" {
		opts.PublicKey, opts.PrivateKey = testPub, testPriv
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.DB == nil {
		opts.DB = testDB()
	}
	if opts.Book == nil {
		opts.Book = testBook()
	}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, srv: srv, ts: ts, clock: clock, base: ts.URL + srv.BasePath()}
}

// response is a decoded reply; Body numbers are json.Number.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
}

// result returns the v3 envelope's result object.
func (r response) result() map[string]any {
	m, _ := r.Body["result"].(map[string]any)
	return m
}

// call sends a Basic-authenticated request to base+path.
func (e *env) call(method, path string, body any) response {
	e.t.Helper()
	return e.send(method, e.base+path, body, func(r *http.Request) { r.SetBasicAuth(testPub, testPriv) })
}

func (e *env) send(method, url string, body any, prep func(*http.Request)) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if prep != nil {
		prep(req)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	return decodeResponse(e.t, res)
}

func decodeResponse(t *testing.T, res *http.Response) response {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: content-type %q, want application/json", res.Request.Method, res.Request.URL.Path, ct)
	}
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v\n%s", res.Request.Method, res.Request.URL.Path, err, raw)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: m}
}

// newSession creates a session and returns its id as JSON text.
func (e *env) newSession() string {
	e.t.Helper()
	r := e.call("POST", "/v3/sessions", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight", "name": "s"})
	if r.Status != 200 {
		e.t.Fatalf("create session: %d %v", r.Status, r.Body)
	}
	return r.result()["session_id"].(json.Number).String()
}

// ask posts a question to a session and returns the job id.
func (e *env) ask(session, question, mode string) string {
	e.t.Helper()
	r := e.call("POST", "/v3/sessions/"+session+"/chat2data", map[string]any{
		"question": question, "feedback_answer_id": "", "feedback_task_id": "", "sql_generate_mode": mode,
	})
	if r.Status != 200 {
		e.t.Fatalf("ask %q: %d %v", question, r.Status, r.Body)
	}
	return r.result()["job_id"].(string)
}

// job polls a job once and returns its result object.
func (e *env) job(id string) map[string]any {
	e.t.Helper()
	r := e.call("GET", "/v2/jobs/"+id, nil)
	if r.Status != 200 {
		e.t.Fatalf("job %s: %d %v", id, r.Status, r.Body)
	}
	return r.result()
}

// shape replaces every JSON value by its kind, keeping object keys and the
// first array element, so a response can be compared with a documented
// example without comparing values.
func shape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, vv := range x {
			m[k] = shape(vv)
		}
		return m
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		return []any{shape(x[0])}
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "?"
}

func decodeDoc(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}
