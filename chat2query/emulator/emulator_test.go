package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/google/go-cmp/cmp"
)

// The documented examples, verbatim apart from placeholders (§8.1, §7.2, §7.3).
const (
	docSession = `{"code":200,"msg":"","result":{"messages":[],
		"meta":{"created_at":1718948875,"creator":"<Your email>","name":"<Your session name>","org_id":"1","updated_at":1718948875},
		"session_id":305685}}`
	docChat2Data = `{"code":200,"msg":"","result":{"cluster_id":"10140100115280519574","database":"sp500insight",
		"job_id":"20f7577088154d7889964f1a5b12cb26","session_id":304832}}`
	docSessionChat2Data = `{"code":200,"msg":"","result":{"job_id":"d96b6fd23c5f445787eb5fd067c14c0b","session_id":305685}}`
	docAnswer           = `{"assumptions":[],
		"chart_options":{"chart_name":"Table","option":{"columns":["total_users"]},"title":"Total Number of Users in the Database"},
		"clarified_task":"Count the total number of users in the database.",
		"data":{"columns":[{"col":"total_users"}],"rows":[["1"]]},
		"description":"","sql":"SELECT COUNT(user_id) AS total_users FROM users;","sql_error":null,
		"status":"done","task_id":"0","type":"data_retrieval"}`
)

func TestCreateSession(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	r := e.call("POST", "/v3/sessions", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight", "name": "market cap"})
	if r.Status != 200 {
		t.Fatalf("status %d: %v", r.Status, r.Body)
	}
	if d := cmp.Diff(shape(decodeDoc(t, docSession)), shape(r.Body)); d != "" {
		t.Errorf("shape differs from §8.1 (-doc +got):\n%s", d)
	}
	want := decodeDoc(t, `{"code":200,"msg":"","result":{"messages":[],
		"meta":{"created_at":1718948875,"creator":"emulator@c2q.local","name":"market cap","org_id":"1","updated_at":1718948875},
		"session_id":305685}}`)
	if d := cmp.Diff(want, r.Body); d != "" {
		t.Errorf("body (-want +got):\n%s", d)
	}
	// Ids increase; name is optional (TiInsight omits it).
	e.clock.Advance(time.Minute)
	r = e.call("POST", "/v3/sessions", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "SP500Insight"})
	if r.Status != 200 || r.result()["session_id"] != json.Number("305686") {
		t.Fatalf("second session: %d %v", r.Status, r.Body)
	}
	meta := r.result()["meta"].(map[string]any)
	if meta["name"] != "" || meta["created_at"] != json.Number(fmt.Sprint(t0.Unix()+60)) {
		t.Errorf("second session meta = %v", meta)
	}
}

func TestRequestValidation(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	sid := e.newSession()
	for _, tc := range []struct {
		name, path string
		body       any
		status     int
		msg        string
	}{
		{"session: not JSON", "/v3/sessions", `{"cluster_id":`, 400, "param check failed! request body is not valid JSON"},
		{"session: wrong type", "/v3/sessions", `{"cluster_id":1,"database":"sp500insight"}`, 400, "param check failed! request body is not valid JSON"},
		{"session: empty body", "/v3/sessions", nil, 400, "param check failed! cluster_id is required"},
		{"session: no cluster", "/v3/sessions", map[string]any{"database": "sp500insight"}, 400, "param check failed! cluster_id is required"},
		{"session: wrong cluster", "/v3/sessions", map[string]any{"cluster_id": "42", "database": "sp500insight"}, 400,
			`param check failed! cluster "42" not found (the emulator serves cluster 10140100115280519574)`},
		{"session: no database", "/v3/sessions", map[string]any{"cluster_id": emulator.DefaultClusterID}, 400, "param check failed! database is required"},
		{"session: unknown database", "/v3/sessions", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "x"}, 400,
			`param check failed! database "x" not found on cluster 10140100115280519574 (available: sp500insight)`},
		{"ask: bad mode", "/v3/sessions/" + sid + "/chat2data", map[string]any{"question": "q", "sql_generate_mode": "fast"}, 400,
			`param check failed! sql_generate_mode must be "direct" or "auto_breakdown", got "fast"`},
		{"ask: no question", "/v3/sessions/" + sid + "/chat2data", map[string]any{"sql_generate_mode": "direct"}, 400, "param check failed! question is required"},
		{"ask: unknown session", "/v3/sessions/999/chat2data", map[string]any{"question": "q"}, 404, "session not found"},
		{"ask: non-numeric session", "/v3/sessions/abc/chat2data", map[string]any{"question": "q"}, 404, "session not found"},
		{"chat2data: nothing", "/v3/chat2data", map[string]any{"question": "q"}, 400, "param check failed! cluster_id is required"},
		{"chat2data: unknown summary id only", "/v3/chat2data", map[string]any{"data_summary_id": 1, "question": "q"}, 400,
			"param check failed! data summary 1 not found"},
		{"chat2data: unknown database", "/v3/chat2data", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "x", "question": "q"}, 400,
			`param check failed! database "x" not found`},
		{"chat2data: bad mode", "/v3/chat2data", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight", "question": "q", "sql_generate_mode": "x"}, 400,
			"param check failed! sql_generate_mode must be"},
		{"chat2data: no question", "/v3/chat2data", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight"}, 400,
			"param check failed! question is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call("POST", tc.path, tc.body)
			if r.Status != tc.status {
				t.Errorf("status %d, want %d: %v", r.Status, tc.status, r.Body)
			}
			if r.Body["code"] != json.Number(fmt.Sprint(tc.status)) {
				t.Errorf("code %v does not mirror HTTP %d", r.Body["code"], tc.status)
			}
			if msg, _ := r.Body["msg"].(string); !strings.HasPrefix(msg, tc.msg) {
				t.Errorf("msg %q, want prefix %q", msg, tc.msg)
			}
			if d := cmp.Diff(map[string]any{}, r.Body["result"]); d != "" {
				t.Errorf("result must be {} (-want +got):\n%s", d)
			}
		})
	}
}

func TestJobLifecycle(t *testing.T) {
	var queries atomic.Int32
	db := testDB()
	query := db.QueryFunc
	db.QueryFunc = func(ctx context.Context, database, q string) (*sqldb.Result, error) {
		queries.Add(1)
		return query(ctx, database, q)
	}
	e := newEnv(t, emulator.Options{Latency: 10 * time.Second, DB: db})
	sid := e.newSession()
	r := e.call("POST", "/v3/sessions/"+sid+"/chat2data", map[string]any{
		"question": "Which five companies have the largest market cap?", "feedback_answer_id": "", "feedback_task_id": "", "sql_generate_mode": "direct",
	})
	if d := cmp.Diff(shape(decodeDoc(t, docSessionChat2Data)), shape(r.Body)); d != "" {
		t.Errorf("shape differs from §8.2 (-doc +got):\n%s", d)
	}
	id := r.result()["job_id"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Errorf("job_id %q is not 32 hex characters", id)
	}
	for _, step := range []struct {
		advance time.Duration
		status  string
	}{
		{0, "init"},
		{999 * time.Millisecond, "init"},
		{time.Millisecond, "running"}, // 10% of the latency
		{8999 * time.Millisecond, "running"},
	} {
		e.clock.Advance(step.advance)
		want := map[string]any{"job_id": id, "status": step.status, "ended_at": json.Number("0"), "reason": "", "result": nil}
		if d := cmp.Diff(want, e.job(id)); d != "" {
			t.Errorf("after %v (-want +got):\n%s", e.clock.Now().Sub(t0), d)
		}
	}
	if n := queries.Load(); n != 0 {
		t.Errorf("SQL ran %d times before the job was done", n)
	}
	e.clock.Advance(time.Millisecond)
	got := e.job(id)
	want := decodeDoc(t, fmt.Sprintf(`{"job_id":%q,"status":"done","ended_at":%d,"reason":"","result":{
		"assumptions":[],
		"chart_options":{"chart_name":"Table","option":{"columns":["name","market_cap"]},"title":"List the five companies with the largest market cap."},
		"clarified_task":"List the five companies with the largest market cap.",
		"data":{"columns":[{"col":"name"},{"col":"market_cap"}],"rows":[["Apple Inc.","3000000000000"],["Microsoft","2500000000000"]]},
		"description":"","sql":%q,"sql_error":null,"status":"done","task_id":"0","type":"data_retrieval"}}`,
		id, t0.Unix()+10, top5SQL))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("done job (-want +got):\n%s", d)
	}
	if d := cmp.Diff(shape(decodeDoc(t, docAnswer)), shape(got["result"])); d != "" {
		t.Errorf("answer shape differs from §7.3 (-doc +got):\n%s", d)
	}
	// Later polls reuse the answer; ended_at does not move with the clock.
	e.clock.Advance(time.Hour)
	if d := cmp.Diff(want, e.job(id)); d != "" {
		t.Errorf("second poll (-want +got):\n%s", d)
	}
	if n := queries.Load(); n != 1 {
		t.Errorf("SQL ran %d times, want once", n)
	}
}

func TestZeroLatencyIsDoneAtOnce(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	id := e.ask(e.newSession(), "Which five companies have the largest market cap?", "")
	if got := e.job(id); got["status"] != "done" || got["ended_at"] != json.Number(fmt.Sprint(t0.Unix())) {
		t.Errorf("job = %v", got)
	}
}

func TestFailedJob(t *testing.T) {
	e := newEnv(t, emulator.Options{Latency: 2 * time.Second})
	id := e.ask(e.newSession(), "What is the meaning of life?", "direct")
	e.clock.Advance(time.Second)
	if got := e.job(id); got["status"] != "running" || got["reason"] != "" {
		t.Errorf("before completion: %v", got)
	}
	e.clock.Advance(time.Second)
	want := map[string]any{
		"job_id": id, "status": "failed", "ended_at": json.Number(fmt.Sprint(t0.Unix() + 2)), "result": nil,
		"reason": `Chat2Query could not generate SQL for this question: the emulator's answer book has no entry matching "What is the meaning of life?"`,
	}
	if d := cmp.Diff(want, e.job(id)); d != "" {
		t.Errorf("failed job (-want +got):\n%s", d)
	}
}

func TestSQLErrorIsDoneWithSQLError(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	got := e.job(e.ask(e.newSession(), "a broken question", "direct"))
	if got["status"] != "done" || got["reason"] != "" {
		t.Errorf("job = %v", got)
	}
	ans := got["result"].(map[string]any)
	want := map[string]any{
		"sql_error":     "Error 1054 (42S22): Unknown column 'nope' in 'field list'",
		"data":          nil,
		"chart_options": nil,
		"sql":           brokenSQL,
	}
	for k, v := range want {
		if d := cmp.Diff(v, ans[k]); d != "" {
			t.Errorf("%s (-want +got):\n%s", k, d)
		}
	}
}

func TestFollowUpContext(t *testing.T) {
	var mu sync.Mutex
	var seen []string // previous labels handed to the book
	book := testBook()
	match := book.MatchFunc
	book.MatchFunc = func(q, prev string) (*answerbook.Entry, bool) {
		mu.Lock()
		seen = append(seen, prev)
		mu.Unlock()
		return match(q, prev)
	}
	e := newEnv(t, emulator.Options{Book: book})
	a := e.newSession()
	b := e.newSession()

	top5 := e.ask(a, "Which five companies have the largest market cap?", "direct")
	nonsense := e.ask(a, "What is the meaning of life?", "direct") // fails; context survives it
	sectors := e.ask(a, "Which sectors are they in?", "direct")
	fresh := e.ask(b, "Which sectors are they in?", "direct") // session b has no context

	for _, tc := range []struct {
		job, status, sql string
	}{
		{top5, "done", top5SQL},
		{nonsense, "failed", ""},
		{sectors, "done", sectorsSQL},
		{fresh, "failed", ""},
	} {
		got := e.job(tc.job)
		if got["status"] != tc.status {
			t.Errorf("job %s: status %v, want %s (%v)", tc.job, got["status"], tc.status, got)
			continue
		}
		if tc.sql != "" && got["result"].(map[string]any)["sql"] != tc.sql {
			t.Errorf("job %s: sql %v, want %s", tc.job, got["result"].(map[string]any)["sql"], tc.sql)
		}
	}
	if d := cmp.Diff([]string{"", "top5", "top5", ""}, seen); d != "" {
		t.Errorf("previous labels (-want +got):\n%s", d)
	}
	// The follow-up's answer keeps the NULL sector as JSON null.
	rows := e.job(sectors)["result"].(map[string]any)["data"].(map[string]any)["rows"]
	if d := cmp.Diff([]any{[]any{"Apple Inc.", "Technology"}, []any{"Microsoft", nil}}, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}

func TestSessionMessages(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	sid := e.newSession()
	e.clock.Advance(5 * time.Second)
	j1 := e.ask(sid, "Which five companies have the largest market cap?", "")
	e.clock.Advance(5 * time.Second)
	r := e.call("POST", "/v3/sessions/"+sid+"/chat2data", map[string]any{
		"question": "Which sectors are they in?", "feedback_answer_id": j1, "feedback_task_id": "0", "sql_generate_mode": "auto_breakdown",
	})
	j2 := r.result()["job_id"].(string)
	got := e.call("GET", "/v3/sessions/"+sid, nil)
	// Each turn carries its answer once done: the job's result.
	for i, m := range got.result()["messages"].([]any) {
		m := m.(map[string]any)
		want := e.job(m["job_id"].(string))["result"]
		if d := cmp.Diff(want, m["answer"]); d != "" || want == nil {
			t.Errorf("message %d: answer differs from its job's result (-job +message):\n%s", i, d)
		}
		delete(m, "answer")
	}
	want := decodeDoc(t, fmt.Sprintf(`{"code":200,"msg":"","result":{"session_id":%s,
		"meta":{"created_at":%d,"updated_at":%d,"creator":"emulator@c2q.local","name":"s","org_id":"1"},
		"messages":[
			{"job_id":%q,"question":"Which five companies have the largest market cap?","sql_generate_mode":"direct","feedback_answer_id":"","feedback_task_id":"","created_at":%d,"status":"done","reason":""},
			{"job_id":%q,"question":"Which sectors are they in?","sql_generate_mode":"auto_breakdown","feedback_answer_id":%q,"feedback_task_id":"0","created_at":%d,"status":"done","reason":""}]}}`,
		sid, t0.Unix(), t0.Unix()+10, j1, t0.Unix()+5, j2, j1, t0.Unix()+10))
	if d := cmp.Diff(want, got.Body); d != "" {
		t.Errorf("GET session (-want +got):\n%s", d)
	}
	if r := e.call("GET", "/v3/sessions/12", nil); r.Status != 404 || r.Body["msg"] != "session not found" {
		t.Errorf("unknown session: %d %v", r.Status, r.Body)
	}
}

func TestChat2DataOpensSession(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.newSession() // 305685
	r := e.call("POST", "/v3/chat2data", map[string]any{
		"cluster_id": emulator.DefaultClusterID, "database": "sp500insight", "data_summary_id": 1, // the default summary wins
		"question": "Which five companies have the largest market cap?",
	})
	if r.Status != 200 {
		t.Fatalf("%d %v", r.Status, r.Body)
	}
	if d := cmp.Diff(shape(decodeDoc(t, docChat2Data)), shape(r.Body)); d != "" {
		t.Errorf("shape differs from §7.2 (-doc +got):\n%s", d)
	}
	res := r.result()
	if res["cluster_id"] != emulator.DefaultClusterID || res["database"] != "sp500insight" || res["session_id"] != json.Number("305686") {
		t.Errorf("result = %v", res)
	}
	if got := e.job(res["job_id"].(string)); got["status"] != "done" {
		t.Errorf("job = %v", got)
	}
	// The implicit session carries the context to the next turn.
	follow := e.ask(res["session_id"].(json.Number).String(), "Which sectors are they in?", "direct")
	if got := e.job(follow); got["status"] != "done" {
		t.Errorf("follow-up in the implicit session: %v", got)
	}
}

func TestAutoBreakdown(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	got := e.job(e.ask(e.newSession(), "Which five companies have the largest market cap?", "auto_breakdown"))
	want := decodeDoc(t, fmt.Sprintf(`{
		"type":"breakdown","task_id":"0","status":"done",
		"clarified_task":"List the five companies with the largest market cap.","description":"","assumptions":[],
		"sub_tasks":[{
			"type":"data_retrieval","task_id":"0-0","status":"done",
			"clarified_task":"List the five companies with the largest market cap.","description":"","assumptions":[],
			"sql":%q,"sql_error":null,
			"data":{"columns":[{"col":"name"},{"col":"market_cap"}],"rows":[["Apple Inc.","3000000000000"],["Microsoft","2500000000000"]]},
			"chart_options":{"chart_name":"Table","option":{"columns":["name","market_cap"]},"title":"List the five companies with the largest market cap."}}]}`,
		top5SQL))
	if d := cmp.Diff(want, got["result"]); d != "" {
		t.Errorf("auto_breakdown answer (-want +got):\n%s", d)
	}
}

func TestNotFoundEnvelopes(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	gateway := func(code int, msg string) map[string]any {
		return map[string]any{"type": "", "data": map[string]any{"columns": []any{}, "rows": []any{},
			"result": map[string]any{"code": json.Number(fmt.Sprint(code)), "message": msg, "start_ms": "", "end_ms": "",
				"latency": "", "row_count": json.Number("0"), "row_affect": json.Number("0"), "limit": json.Number("0")}}}
	}
	v3 := func(code int, msg string) map[string]any {
		return map[string]any{"code": json.Number(fmt.Sprint(code)), "msg": msg, "result": map[string]any{}}
	}
	for _, tc := range []struct {
		name, method, url string
		status            int
		want              map[string]any
	}{
		{"unknown job", "GET", e.base + "/v2/jobs/0123456789abcdef0123456789abcdef", 404, v3(404, "job not found")},
		{"unknown session", "POST", e.base + "/v3/sessions/305999/chat2data", 404, v3(404, "session not found")},
		{"unknown path", "GET", e.base + "/v3/nothing", 404, gateway(404, "endpoint not found")},
		{"trailing slash", "POST", e.base + "/v3/sessions/", 404, gateway(404, "endpoint not found")},
		{"unknown app", "GET", e.ts.URL + "/api/v1beta/app/chat2query-XXXXXXXX/endpoint/v2/jobs/1", 404, gateway(404, "endpoint not found")},
		{"outside the api", "GET", e.ts.URL + "/", 404, gateway(404, "endpoint not found")},
		{"wrong method", "DELETE", e.base + "/v3/sessions", 405, gateway(405, "method not allowed")},
		{"wrong method on job", "POST", e.base + "/v2/jobs/abc", 405, gateway(405, "method not allowed")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.send(tc.method, tc.url, map[string]any{"question": "q"}, func(r *http.Request) { r.SetBasicAuth(testPub, testPriv) })
			if r.Status != tc.status {
				t.Errorf("status %d, want %d", r.Status, tc.status)
			}
			if d := cmp.Diff(tc.want, r.Body); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
		})
	}
	if r := e.call("DELETE", "/v3/sessions/1", nil); r.Header.Get("Allow") != "GET, PUT" {
		t.Errorf("Allow = %q, want GET, PUT", r.Header.Get("Allow"))
	}
}

// TestConcurrentSessions runs many conversations at once; with -race it
// checks the session and job maps, and that contexts never leak.
func TestConcurrentSessions(t *testing.T) {
	e := newEnv(t, emulator.Options{Latency: time.Second})
	const n = 16
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sid := e.newSession()
			ids[i] = sid
			var jobs []string
			if i%2 == 0 {
				jobs = append(jobs, e.ask(sid, "Which five companies have the largest market cap?", "direct"))
			}
			jobs = append(jobs, e.ask(sid, "Which sectors are they in?", "auto_breakdown"))
			e.clock.Advance(100 * time.Millisecond)
			for _, j := range jobs {
				e.job(j)
			}
			e.clock.Advance(time.Second)
			last := e.job(jobs[len(jobs)-1])
			want := "failed" // odd sessions asked the follow-up without context
			if i%2 == 0 {
				want = "done"
			}
			if last["status"] != want {
				t.Errorf("session %s: follow-up %v, want %s", sid, last["status"], want)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("session id %s handed out twice", id)
		}
		seen[id] = true
	}
}

func TestNewOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts emulator.Options
		err  string
	}{
		{"no keys", emulator.Options{DB: testDB(), Book: testBook()}, "PublicKey and PrivateKey are required"},
		{"negative latency", emulator.Options{PublicKey: "p", PrivateKey: "k", Latency: -1, DB: testDB(), Book: testBook()}, "Latency must not be negative"},
		{"app id with slash", emulator.Options{PublicKey: "p", PrivateKey: "k", AppID: "a/b", DB: testDB(), Book: testBook()}, "single path segment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := emulator.New(tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
		})
	}
	srv, err := emulator.New(emulator.Options{PublicKey: "p", PrivateKey: "k", AppID: "chat2query-YqAvnlRj", DB: testDB(), Book: testBook()})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.BasePath(); got != "/api/v1beta/app/chat2query-YqAvnlRj/endpoint" {
		t.Errorf("BasePath = %q", got)
	}
}

func TestAnswerChartAndAssumptions(t *testing.T) {
	book := &fakeBook{MatchFunc: func(q, prev string) (*answerbook.Entry, bool) {
		return &answerbook.Entry{
			Label: "top5", SQL: top5SQL, ClarifiedTask: "Top five.", Description: "By market cap.",
			Assumptions: []answerbook.Assumption{{Concept: "market cap", Explanation: "companies.market_cap"}},
			Chart:       &answerbook.Chart{Name: answerbook.ChartBar, Option: map[string]any{"x": "name", "y": []string{"market_cap"}}},
		}, true
	}}
	e := newEnv(t, emulator.Options{Book: book})
	ans := e.job(e.ask(e.newSession(), "anything", "direct"))["result"].(map[string]any)
	want := decodeDoc(t, `{
		"assumptions":[{"concept":"market cap","explanation":"companies.market_cap"}],
		"chart_options":{"chart_name":"BarChart","title":"Top five.","option":{"x":"name","y":["market_cap"]}},
		"description":"By market cap."}`)
	for k, v := range want {
		if d := cmp.Diff(v, ans[k]); d != "" {
			t.Errorf("%s (-want +got):\n%s", k, d)
		}
	}
}
