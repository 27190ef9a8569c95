package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/google/go-cmp/cmp"
)

// The documented examples of the endpoints beyond sessions (§6, §9, §11, §12).
const (
	docSummaryRef = `{"code":200,"msg":"","result":{"data_summary_id":304823,"job_id":"fb99ef785da640ab87bf69afed60903d"}}`
	docSummary    = `{"cluster_id":"10140100115280519574","data_summary_id":304823,"database":"sp500insight","default":false,
		"status":"done","description":{"system":"s","user":"u"},"keywords":["User_Stock_Selection"],
		"summary":"Financial data source","relationships":{},
		"tables":{"companies":{"name":"companies","description":"d","columns":{"city":{"name":"city","description":"c"}}}}}`
	docNotReady = `{"code":400,"msg":"Data summary is not ready, please wait for a while and retry","result":{}}`
	docKB       = `{"code":200,"msg":"","result":{"default":true,"description":"","knowledge_base_id":2}}`
	docV2Answer = `{"question_id":"8c4c15cf-a808-45b8-bff7-2ca819a1b6d5","raw_question":"count the users",
		"task_tree":{"0":{"task_id":"0","task":"count the users","clarified_task":"count the users","description":"","sequence_no":0,
		"columns":[{"col":"user_count"}],"rows":[["1"]],"sql":"SELECT 1;"}},"time_elapsed":3.854671001434326}`
	// docV1 is §12's example with the column renamed to the one the test asks for.
	docV1 = `{"type":"chat2data_endpoint","data":{"columns":[{"col":"total_companies","data_type":"BIGINT","nullable":false}],
		"rows":[{"total_companies":"1"}],
		"result":{"code":200,"message":"Query OK!","start_ms":1699529488292,"end_ms":1699529491901,"latency":"3.609656403s",
		"row_count":1,"row_affect":0,"limit":1000,"sql":"SELECT COUNT(user_id) FROM users;","ai_latency":"3.054822491s"}}}`
)

var (
	realDBOnce sync.Once
	realDB     *sqldb.DB
	realDBErr  error
)

// sampleDB is the real sample database, opened once for the tests that need
// its schema (data summaries, v1 rows).
func sampleDB(t *testing.T) *sqldb.DB {
	t.Helper()
	realDBOnce.Do(func() { realDB, realDBErr = sqldb.Open(context.Background()) })
	if realDBErr != nil {
		t.Fatal(realDBErr)
	}
	return realDB
}

// realEnv is an emulator on the sample database and the built-in book.
func realEnv(t *testing.T, latency time.Duration) *env {
	return newEnv(t, emulator.Options{DB: sampleDB(t), Book: answerbook.Builtin(), Latency: latency,
		Suggestions: answerbook.BuiltinSuggestions()})
}

var db = map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight"}

// with returns db plus kv.
func with(kv ...any) map[string]any {
	m := map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight"}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func wantShape(t *testing.T, what, doc string, got any) {
	t.Helper()
	if d := cmp.Diff(shape(decodeDoc(t, doc)), shape(got)); d != "" {
		t.Errorf("%s: shape differs from the reference (-doc +got):\n%s", what, d)
	}
}

func TestDataSummaryFromSchema(t *testing.T) {
	e := realEnv(t, 0)
	r := e.call("GET", "/v3/dataSummaries/304823", nil)
	if r.Status != 200 {
		t.Fatalf("%d %v", r.Status, r.Body)
	}
	sum := r.result()
	rels := sum["relationships"].(map[string]any)
	// relationships are arrays per table (the docs show one object; a table
	// may reference two): compare the rest with the docs' example.
	sum["relationships"] = map[string]any{}
	sum["keywords"] = sum["keywords"].([]any)[:1]
	tables := sum["tables"].(map[string]any)
	sum["tables"] = map[string]any{"companies": tables["companies"]}
	comp := tables["companies"].(map[string]any)
	comp["columns"] = map[string]any{"city": comp["columns"].(map[string]any)["city"]}
	wantShape(t, "GET /v3/dataSummaries/{id}", docSummary, sum)
	if sum["status"] != "done" || sum["default"] != true || len(tables) != 5 {
		t.Errorf("summary = %v", sum)
	}
	if comp["description"] != "Companies of the S&P 500 with their listing, GICS classification, headquarters and fundamentals" {
		t.Errorf("companies description = %q (the table COMMENT)", comp["description"])
	}
	if d := comp["columns"].(map[string]any)["city"].(map[string]any)["description"]; d != "City of the company headquarters" {
		t.Errorf("city description = %q (the column COMMENT)", d)
	}
	want := decodeDoc(t, `{"x":[
		{"referencing_table":"user_stock_selections","referencing_table_column":"stock_symbol","referenced_table":"companies","referenced_table_column":"stock_symbol"},
		{"referencing_table":"user_stock_selections","referencing_table_column":"user_id","referenced_table":"users","referenced_table_column":"user_id"}]}`)["x"]
	if d := cmp.Diff(want, rels["user_stock_selections"]); d != "" || len(rels) != 3 {
		t.Errorf("relationships from the foreign keys (-want +got):\n%s\n%v", d, rels)
	}
	r = e.call("GET", "/v3/dataSummaries/304823", nil)
	if kw := r.result()["keywords"]; !strings.Contains(fmt.Sprint(kw), "User_Stock_Selection") || !strings.Contains(fmt.Sprint(kw), "Company") {
		t.Errorf("keywords = %v", kw)
	}
	if r := e.call("GET", "/v3/dataSummaries/1", nil); r.Status != 404 || r.Body["msg"] != "data summary not found" {
		t.Errorf("unknown summary: %d %v", r.Status, r.Body)
	}
	if r := e.call("GET", "/v3/dataSummaries", nil); r.Status != 200 || len(r.result()["data_summaries"].([]any)) != 1 {
		t.Errorf("list: %d %v", r.Status, r.Body)
	}
}

func TestSummaryNotReadyThenReady(t *testing.T) {
	e := realEnv(t, 10*time.Second)
	sid := e.newSession()
	r := e.call("POST", "/v3/dataSummaries", with("description", "my data", "reuse", false, "default", true))
	wantShape(t, "POST /v3/dataSummaries", docSummaryRef, r.Body)
	id := r.result()["data_summary_id"].(json.Number).String()
	job := r.result()["job_id"].(string)
	if id != "304824" {
		t.Errorf("new summary id %s", id)
	}
	for _, c := range []struct {
		path string
		body any
	}{
		{"/v3/chat2data", with("question", "How many companies are there?")},
		{"/v3/sessions/" + sid + "/chat2data", map[string]any{"question": "How many companies are there?"}},
		{"/v2/chat2data", with("raw_question", "How many companies are there?")},
		{"/v3/chat2data", map[string]any{"data_summary_id": 304824, "question": "How many companies are there?"}},
		{"/v3/suggestQuestions", db},
	} {
		r := e.call("POST", c.path, c.body)
		if d := cmp.Diff(decodeDoc(t, docNotReady), r.Body); d != "" || r.Status != 400 {
			t.Errorf("POST %s while the summary is generated: %d (-want +got):\n%s", c.path, r.Status, d)
		}
	}
	// The previous summary, named by id, is still done.
	if r := e.call("POST", "/v3/chat2data", map[string]any{"data_summary_id": 304823, "question": "How many companies are there?"}); r.Status != 200 {
		t.Errorf("old summary by id: %d %v", r.Status, r.Body)
	}
	if st := e.call("GET", "/v3/dataSummaries/"+id, nil).result()["status"]; st != "inited" {
		t.Errorf("status while generating = %v", st)
	}
	if j := e.job(job); j["status"] != "init" || j["result"] != nil {
		t.Errorf("job = %v", j)
	}
	e.clock.Advance(10 * time.Second)
	j := e.job(job)
	res, _ := j["result"].(map[string]any)
	if j["status"] != "done" || res["status"] != "done" || res["default"] != true || res["description"].(map[string]any)["user"] != "my data" {
		t.Fatalf("job = %v", j)
	}
	if r := e.call("POST", "/v3/chat2data", with("question", "How many companies are there?")); r.Status != 200 {
		t.Errorf("chat2data once ready: %d %v", r.Status, r.Body)
	}
	// reuse=true hands back the default summary, done at once.
	r = e.call("POST", "/v3/dataSummaries", with("reuse", true))
	if r.result()["data_summary_id"] != json.Number(id) || e.job(r.result()["job_id"].(string))["status"] != "done" {
		t.Errorf("reuse: %v", r.Body)
	}
	// Without default, a new summary does not replace the default one.
	r = e.call("POST", "/v3/dataSummaries", with("reuse", false))
	if r := e.call("POST", "/v3/chat2data", with("question", "How many companies are there?")); r.Status != 200 {
		t.Errorf("a non-default summary blocked chat2data: %d %v", r.Status, r.Body)
	}
}

func TestSummaryUpdates(t *testing.T) {
	e := realEnv(t, 0)
	r := e.call("PUT", "/v3/dataSummaries/304823/tables/companies", map[string]any{"description": "All the firms"})
	if r.Status != 200 || r.result()["tables"].(map[string]any)["companies"].(map[string]any)["description"] != "All the firms" {
		t.Errorf("table update: %d %v", r.Status, r.Body)
	}
	r = e.call("PUT", "/v3/dataSummaries/304823/tables/companies/columns", map[string]any{"columns": map[string]any{"city": "HQ city"}})
	cols := r.result()["tables"].(map[string]any)["companies"].(map[string]any)["columns"].(map[string]any)
	if cols["city"].(map[string]any)["description"] != "HQ city" {
		t.Errorf("column update: %v", cols["city"])
	}
	r = e.call("PUT", "/v3/dataSummaries/304823", map[string]any{"description": "mine", "keywords": []string{"Stocks"}, "summary": "Stocks"})
	if res := r.result(); res["summary"] != "Stocks" || fmt.Sprint(res["keywords"]) != "[Stocks]" || res["description"].(map[string]any)["user"] != "mine" {
		t.Errorf("summary update: %v", r.Body)
	}
	for _, c := range []struct {
		path   string
		body   any
		status int
		msg    string
	}{
		{"/v3/dataSummaries/304823/tables/nope", map[string]any{"description": "x"}, 400, `param check failed! table "nope" not found in database sp500insight`},
		{"/v3/dataSummaries/304823/tables/companies/columns", map[string]any{"columns": map[string]any{"nope": "x"}}, 400, `param check failed! column "nope" not found in table companies`},
		{"/v3/dataSummaries/304823/tables/companies", map[string]any{}, 400, "param check failed! description is required"},
		{"/v3/dataSummaries/304823/tables/companies/columns", map[string]any{}, 400, "param check failed! columns is required"},
		{"/v3/dataSummaries/304823", map[string]any{}, 400, "param check failed! nothing to update"},
		{"/v3/dataSummaries/9", map[string]any{"summary": "x"}, 404, "data summary not found"},
	} {
		r := e.call("PUT", c.path, c.body)
		if msg, _ := r.Body["msg"].(string); r.Status != c.status || !strings.HasPrefix(msg, c.msg) {
			t.Errorf("PUT %s: %d %q, want %d %q", c.path, r.Status, msg, c.status, c.msg)
		}
	}
}

func TestSessionListRenameReset(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	sid := e.newSession()
	e.ask(sid, "Which five companies have the largest market cap?", "")
	r := e.call("GET", "/v3/sessions", nil)
	list := r.result()["sessions"].([]any)
	if len(list) != 1 {
		t.Fatalf("list: %v", r.Body)
	}
	wantShape(t, "GET /v3/sessions item", `{"session_id":1,"meta":{"created_at":1,"creator":"","name":"","org_id":"1","updated_at":1}}`, list[0])

	e.clock.Advance(time.Minute)
	r = e.call("PUT", "/v3/sessions/"+sid, map[string]any{"name": "renamed"})
	wantShape(t, "PUT /v3/sessions/{id}", docSession, map[string]any{"code": r.Body["code"], "msg": r.Body["msg"],
		"result": map[string]any{"messages": []any{}, "meta": r.result()["meta"], "session_id": r.result()["session_id"]}})
	meta := r.result()["meta"].(map[string]any)
	if meta["name"] != "renamed" || meta["updated_at"] != json.Number(fmt.Sprint(t0.Unix()+60)) {
		t.Errorf("rename: %v", meta)
	}
	if r := e.call("PUT", "/v3/sessions/"+sid, map[string]any{}); r.Status != 400 || r.Body["msg"] != "param check failed! name is required" {
		t.Errorf("rename without name: %d %v", r.Status, r.Body)
	}
	if r := e.call("PUT", "/v3/sessions/999/reset", nil); r.Status != 404 {
		t.Errorf("reset unknown: %d", r.Status)
	}

	// Before the reset the follow-up resolves; after it, it does not.
	if j := e.job(e.ask(sid, "Which sectors are they in?", "")); j["status"] != "done" {
		t.Fatalf("follow-up before reset: %v", j)
	}
	r = e.call("PUT", "/v3/sessions/"+sid+"/reset", map[string]any{})
	if r.Status != 200 || len(r.result()["messages"].([]any)) != 0 {
		t.Fatalf("reset: %d %v", r.Status, r.Body)
	}
	if j := e.job(e.ask(sid, "Which sectors are they in?", "")); j["status"] != "failed" {
		t.Errorf("follow-up after reset: %v", j)
	}
}

func TestKnowledgeBases(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	r := e.call("POST", "/v3/knowledgeBases", with("description", ""))
	wantShape(t, "POST /v3/knowledgeBases", docKB, r.Body)
	if r.result()["default"] != true || r.result()["knowledge_base_id"] != json.Number("1") {
		t.Errorf("create: %v", r.Body)
	}
	if r := e.call("POST", "/v3/knowledgeBases", with("description", "second")); r.result()["default"] != false {
		t.Errorf("second KB is default: %v", r.Body)
	}
	if r := e.call("PUT", "/v3/knowledgeBases/2", map[string]any{"description": "renamed"}); r.result()["description"] != "renamed" {
		t.Errorf("update: %v", r.Body)
	}
	if r := e.call("GET", "/v3/knowledgeBases/2", nil); r.result()["description"] != "renamed" || r.result()["database"] != "sp500insight" {
		t.Errorf("get: %v", r.Body)
	}
	if r := e.call("GET", "/v3/knowledgeBases", nil); len(r.result()["knowledge_bases"].([]any)) != 2 {
		t.Errorf("list: %v", r.Body)
	}

	item := func(typ string, raw any) map[string]any {
		return map[string]any{"type": typ, "meta_data": map[string]any{}, "raw_data": raw}
	}
	for _, c := range []struct {
		name   string
		path   string
		body   any
		status int
		msg    string
	}{
		{"unknown type", "/v3/knowledgeBases/1/data", item("rule", map[string]any{"instruction": "x"}), 400, `param check failed! type must be "few-shot", "term-sheet" or "instruction", got "rule"`},
		{"long instruction", "/v3/knowledgeBases/1/data", item("instruction", map[string]any{"instruction": strings.Repeat("é", 513)}), 400,
			"param check failed! the instruction is 513 characters long; at most 512 are allowed"},
		{"few-shot without answer", "/v3/knowledgeBases/1/data", item("few-shot", map[string]any{"question": "q"}), 400, "param check failed! raw_data of a few-shot item needs"},
		{"term-sheet without term", "/v3/knowledgeBases/1/data", item("term-sheet", map[string]any{"term": []string{}, "description": "d"}), 400, "param check failed! raw_data of a term-sheet item needs"},
		{"wrong raw_data field", "/v3/knowledgeBases/1/data", item("instruction", map[string]any{"text": "x"}), 400, "param check failed! raw_data of a instruction item"},
		{"meta_data not an object", "/v3/knowledgeBases/1/data", map[string]any{"type": "instruction", "meta_data": 1, "raw_data": map[string]any{"instruction": "x"}}, 400, "param check failed! meta_data must be an object"},
		{"no raw_data", "/v3/knowledgeBases/1/data", map[string]any{"type": "instruction"}, 400, "param check failed! raw_data is required"},
		{"unknown KB", "/v3/knowledgeBases/9/data", item("instruction", map[string]any{"instruction": "x"}), 404, "knowledge base not found"},
	} {
		r := e.call("POST", c.path, c.body)
		if msg, _ := r.Body["msg"].(string); r.Status != c.status || !strings.HasPrefix(msg, c.msg) {
			t.Errorf("%s: %d %q, want %d %q", c.name, r.Status, msg, c.status, c.msg)
		}
	}
	if r := e.call("POST", "/v3/knowledgeBases/1/data", item("instruction", map[string]any{"instruction": strings.Repeat("é", 512)})); r.Status != 200 {
		t.Errorf("512 characters: %d %v", r.Status, r.Body)
	}

	// A few-shot example answers its question, which the book cannot.
	const q = "How many users signed up?"
	const fewShotSQL = "SELECT COUNT(*) FROM users;"
	if j := e.job(e.ask(e.newSession(), q, "")); j["status"] != "failed" {
		t.Fatalf("before the few-shot: %v", j)
	}
	r = e.call("POST", "/v3/knowledgeBases/2/data", item("few-shot", map[string]any{"question": "how many users signed up", "answer": fewShotSQL}))
	if r.Status != 200 || r.result()["knowledge_data_id"] == nil || r.result()["type"] != "few-shot" {
		t.Fatalf("add few-shot: %v", r.Body)
	}
	dataID := fmt.Sprint(r.result()["knowledge_data_id"])
	j := e.job(e.ask(e.newSession(), q, ""))
	if a, _ := j["result"].(map[string]any); j["status"] != "done" || a["sql"] != fewShotSQL {
		t.Errorf("with the few-shot: %v", j)
	}
	// Replacing it changes the answer; deleting it removes it.
	r = e.call("PUT", "/v3/knowledgeBases/2/data/"+dataID, item("few-shot", map[string]any{"question": q, "answer": "SELECT 2;"}))
	if r.Status != 200 {
		t.Fatalf("update item: %v", r.Body)
	}
	if a, _ := e.job(e.ask(e.newSession(), q, ""))["result"].(map[string]any); a["sql"] != "SELECT 2;" {
		t.Errorf("after the update: %v", a)
	}
	if r := e.call("GET", "/v3/knowledgeBases/2/data", nil); len(r.result()["knowledge_data"].([]any)) != 1 {
		t.Errorf("list data: %v", r.Body)
	}
	if r := e.call("DELETE", "/v3/knowledgeBases/2/data/"+dataID, nil); r.Status != 200 {
		t.Errorf("delete: %v", r.Body)
	}
	if r := e.call("DELETE", "/v3/knowledgeBases/2/data/"+dataID, nil); r.Status != 404 || r.Body["msg"] != "knowledge data not found" {
		t.Errorf("delete again: %d %v", r.Status, r.Body)
	}
	if j := e.job(e.ask(e.newSession(), q, "")); j["status"] != "failed" {
		t.Errorf("after the delete: %v", j)
	}

	// A term explanation lets the book answer a question it could not.
	const mc = "Which five companies have the largest MC?"
	if j := e.job(e.ask(e.newSession(), mc, "")); j["status"] != "failed" {
		t.Fatalf("before the term: %v", j)
	}
	e.call("POST", "/v3/knowledgeBases/1/data", item("term-sheet", map[string]any{"term": []string{"MC", "mkt cap"}, "description": "market cap"}))
	if a, _ := e.job(e.ask(e.newSession(), mc, ""))["result"].(map[string]any); a["sql"] != top5SQL {
		t.Errorf("with the term: %v", a)
	}
}

func TestRefineSQL(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	const sql = "SELECT company_name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5;"
	for _, c := range []struct {
		feedback, sql, want, solution, reason string
	}{
		{"limit 10", sql, "SELECT `company_name`,`market_cap` FROM `companies` ORDER BY `market_cap` DESC LIMIT 10;", "Changed the LIMIT from 5 to 10.", ""},
		{"show them in ascending order, top 3 only", sql, "SELECT `company_name`,`market_cap` FROM `companies` ORDER BY `market_cap` LIMIT 3;", "", ""},
		{"reverse the order", sql, "SELECT `company_name`,`market_cap` FROM `companies` ORDER BY `market_cap` LIMIT 5;", "Reversed the order by `market_cap`.", ""},
		{"limit to 20", "SELECT name FROM users", "SELECT `name` FROM `users` LIMIT 20", "Added LIMIT 20 so that at most 20 rows are returned.", ""},
		{"descending", "SELECT name FROM users", "", "", "Chat2Query could not refine the SQL: it has no ORDER BY"},
		{"use the sector column too", sql, "", "", `Chat2Query could not refine the SQL with the feedback "use the sector column too"`},
		{"limit 3", "SELEC nonsense", "", "", "Chat2Query could not refine the SQL: it does not parse"},
	} {
		r := e.call("POST", "/v3/refineSql", with("sql", c.sql, "feedback", c.feedback))
		wantShape(t, "POST /v3/refineSql", docSessionChat2Data, r.Body)
		j := e.job(r.result()["job_id"].(string))
		if c.reason != "" {
			if reason, _ := j["reason"].(string); j["status"] != "failed" || !strings.HasPrefix(reason, c.reason) {
				t.Errorf("%q: job %v, want failed with %q", c.feedback, j, c.reason)
			}
			continue
		}
		res := j["result"].(map[string]any)
		wantShape(t, "refineSql job result", `{"rewritten_sql":"","solution":""}`, res)
		if res["rewritten_sql"] != c.want || (c.solution != "" && res["solution"] != c.solution) {
			t.Errorf("%q: %v", c.feedback, res)
		}
	}
	for _, body := range []map[string]any{with("feedback", "x"), with("sql", "SELECT 1")} {
		if r := e.call("POST", "/v3/refineSql", body); r.Status != 400 {
			t.Errorf("refine %v: %d", body, r.Status)
		}
	}
}

func TestSuggestQuestions(t *testing.T) {
	e := realEnv(t, 0)
	r := e.call("POST", "/v3/suggestQuestions", db)
	j := e.job(r.result()["job_id"].(string))
	qs, _ := j["result"].([]any)
	if len(qs) != len(answerbook.BuiltinSuggestions()) {
		t.Fatalf("job = %v", j)
	}
	// Each suggestion is answered.
	sid := e.newSession()
	for _, q := range qs {
		if j := e.job(e.ask(sid, q.(string), "")); j["status"] != "done" {
			t.Errorf("suggestion %q: %v", q, j)
		}
	}
	if r := e.call("POST", "/v3/suggestQuestions", map[string]any{"database_uri": "mysql://x"}); r.Status != 400 {
		t.Errorf("database_uri: %d", r.Status)
	}
}

func TestLegacyV2(t *testing.T) {
	e := realEnv(t, 2*time.Second)
	r := e.call("POST", "/v2/dataSummaries", db)
	wantShape(t, "POST /v2/dataSummaries", docSummaryRef, r.Body)
	id := r.result()["data_summary_id"].(json.Number).String()
	job := r.result()["job_id"].(string)
	if r := e.call("POST", "/v2/chat2data", with("raw_question", "How many companies are there?")); r.Status != 400 || r.Body["msg"] != docNotReadyMsg {
		t.Errorf("v2 chat2data before the summary: %d %v", r.Status, r.Body)
	}
	e.clock.Advance(2 * time.Second)
	res := e.job(job)["result"].(map[string]any)
	if _, ok := res["cluster_id"].(json.Number); !ok || res["db_name"] != "sp500insight" {
		t.Errorf("v2 summary: cluster_id %#v (a bare number in v2), db_name %v", res["cluster_id"], res["db_name"])
	}
	for _, k := range []string{"db_schema", "entity", "org_id", "project_id", "short_summary", "status", "summary", "summary_keywords", "table_relationship"} {
		if _, ok := res[k]; !ok {
			t.Errorf("v2 summary lacks %s", k)
		}
	}
	col := res["db_schema"].(map[string]any)["companies"].(map[string]any)["columns"].(map[string]any)["state"].(map[string]any)
	for _, k := range []string{"default", "description", "name", "nullable", "type"} {
		if _, ok := col[k]; !ok {
			t.Errorf("v2 column lacks %s: %v", k, col)
		}
	}
	if col["nullable"] != true || col["type"] != "char(2)" {
		t.Errorf("state column = %v", col)
	}
	rec := e.call("GET", "/v2/dataSummaries/"+id, nil).result()
	wantShape(t, "GET /v2/dataSummaries/{id}", `{"created_at":1,"creator":"","data":{},"id":1,"name":"","org_id":"","type":"","updated_at":1}`,
		map[string]any{"created_at": rec["created_at"], "creator": rec["creator"], "data": map[string]any{}, "id": rec["id"], "name": rec["name"],
			"org_id": rec["org_id"], "type": rec["type"], "updated_at": rec["updated_at"]})
	if list := e.call("GET", "/v2/dataSummaries", nil).result()["data_summaries"].([]any); len(list) != 2 {
		t.Errorf("v2 list has %d", len(list))
	}
	r = e.call("PUT", "/v2/dataSummaries/"+id, map[string]any{"tables": map[string]any{"users": map[string]any{"description": "People", "columns": map[string]any{"name": "Their name"}}}})
	upd := r.result()["job_id"].(string)
	e.clock.Advance(2 * time.Second)
	if j := e.job(upd); j["status"] != "done" || j["result"] != nil {
		t.Errorf("v2 update job: %v", j)
	}
	if d := e.call("GET", "/v3/dataSummaries/"+id, nil).result()["tables"].(map[string]any)["users"].(map[string]any)["description"]; d != "People" {
		t.Errorf("after the v2 update: %v", d)
	}

	r = e.call("POST", "/v2/chat2data", with("raw_question", "How many companies are there?"))
	e.clock.Advance(2 * time.Second)
	ans := e.job(r.result()["job_id"].(string))["result"].(map[string]any)
	node := ans["task_tree"].(map[string]any)["0"].(map[string]any)
	delete(node, "sql_error")
	wantShape(t, "v2 chat2data job result", docV2Answer, ans)
	if fmt.Sprint(node["rows"]) != "[[150]]" {
		t.Errorf("v2 rows = %v", node["rows"])
	}
	if r := e.call("POST", "/v2/chat2data", with()); r.Status != 400 || r.Body["msg"] != "param check failed! raw_question is required" {
		t.Errorf("v2 without question: %v", r.Body)
	}
}

const docNotReadyMsg = "Data summary is not ready, please wait for a while and retry"

func TestLegacyV1(t *testing.T) {
	e := realEnv(t, 3*time.Second)
	for _, path := range []string{"/v1/chat2data", "/chat2data"} {
		r := e.call("POST", path, with("instruction", "How many companies are there?", "tables", []string{"companies"}))
		if r.Status != 200 {
			t.Fatalf("%s: %d %v", path, r.Status, r.Body)
		}
		wantShape(t, "POST "+path, docV1, r.Body)
		data := r.Body["data"].(map[string]any)
		want := decodeDoc(t, `{"columns":[{"col":"total_companies","data_type":"BIGINT","nullable":false}],"rows":[{"total_companies":"150"}]}`)
		if d := cmp.Diff(want, map[string]any{"columns": data["columns"], "rows": data["rows"]}); d != "" {
			t.Errorf("%s (-want +got):\n%s", path, d)
		}
		res := data["result"].(map[string]any)
		if res["ai_latency"] != "3s" || res["limit"] != json.Number("50") || res["row_count"] != json.Number("1") {
			t.Errorf("%s result = %v", path, res)
		}
	}
	// At most 50 rows, as objects of strings.
	r := e.call("POST", "/v1/chat2data", with("instruction", "Which companies are in the tech sector?"))
	data := r.Body["data"].(map[string]any)
	if rows := data["rows"].([]any); len(rows) > 50 || fmt.Sprintf("%T", rows[0].(map[string]any)["market_cap"]) != "string" {
		t.Errorf("rows = %d, %v", len(rows), rows[0])
	}
	for _, c := range []struct {
		body   any
		status int
		msg    string
	}{
		{with(), 400, "param check failed! instruction is required"},
		{map[string]any{"instruction": "x"}, 400, "param check failed! cluster_id is required"},
		{with("instruction", "x", "tables", []string{"nope"}), 400, `param check failed! table "nope" not found`},
		{with("instruction", "What is the meaning of life?"), 400, "param check failed! Chat2Query could not generate SQL"},
	} {
		r := e.call("POST", "/v1/chat2data", c.body)
		res := r.Body["data"].(map[string]any)["result"].(map[string]any)
		if msg, _ := res["message"].(string); r.Status != c.status || r.Body["type"] != "chat2data_endpoint" || !strings.HasPrefix(msg, c.msg) || res["start_ms"] != "" {
			t.Errorf("%v: %d %v", c.body, r.Status, r.Body)
		}
	}
}
