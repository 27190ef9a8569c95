package chat2query

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func TestDecodeIDs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		into any
		want any
	}{
		{"session_id number", `{"session_id":305685,"meta":{"org_id":"1"}}`, &Session{}, &Session{SessionID: 305685, Meta: SessionMeta{OrgID: "1"}}},
		{"session_id string", `{"session_id":"305685","meta":{"org_id":1}}`, &Session{}, &Session{SessionID: 305685, Meta: SessionMeta{OrgID: "1"}}},
		{"cluster_id string", `{"cluster_id":"10140100115280519574","job_id":"j","session_id":"304832"}`, &JobRef{}, &JobRef{ClusterID: "10140100115280519574", JobID: "j", SessionID: 304832}},
		{"cluster_id big number", `{"cluster_id":10140100115280519574,"job_id":"j","session_id":304832}`, &JobRef{}, &JobRef{ClusterID: "10140100115280519574", JobID: "j", SessionID: 304832}},
		{"cluster_id null", `{"cluster_id":null,"job_id":"j"}`, &JobRef{}, &JobRef{JobID: "j"}},
		{"ended_at null", `{"job_id":"j","status":"running","ended_at":null}`, &Job{}, &Job{JobID: "j", Status: "running"}},
		{"ended_at float", `{"job_id":"j","status":"done","ended_at":1.718785006e9}`, &Job{}, &Job{JobID: "j", Status: "done", EndedAt: 1718785006}},
		{"ended_at string", `{"job_id":"j","status":"done","ended_at":"1718785006"}`, &Job{}, &Job{JobID: "j", Status: "done", EndedAt: 1718785006}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := json.Unmarshal([]byte(tt.in), tt.into); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tt.into); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`{"session_id":"abc"}`, `{"session_id":1e400}`, `{"session_id":true}`} {
		if err := json.Unmarshal([]byte(bad), &Session{}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestDecodeAnswer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Answer
	}{
		{
			name: "direct (§7.3)",
			in:   fixtureAnswerDirect,
			want: &Answer{
				Type: "data_retrieval", TaskID: "0", Status: "done",
				ClarifiedTask: "Count the total number of users in the database.",
				SQL:           "SELECT COUNT(`user_id`) AS total_users FROM `users`;",
				Data:          &Data{Columns: []Column{{Col: "total_users"}}, Rows: [][]any{{"1"}}},
				ChartOptions: &ChartOptions{ChartName: "Table", Title: "Total Number of Users in the Database",
					Option: map[string]any{"columns": []any{"total_users"}}},
				Assumptions: []Assumption{},
			},
		},
		{
			name: "breakdown with sub_tasks",
			in:   fixtureAnswerBreakdown,
			want: &Answer{
				Type: "breakdown", TaskID: "0", Status: "done",
				ClarifiedTask: "Compare the largest companies and their sectors.", Description: "Two steps.",
				Assumptions: []Assumption{{Concept: "largest", Explanation: "by market cap"}},
				SubTasks: []Answer{
					{
						Type: "data_retrieval", TaskID: "0-0", Status: "done", ClarifiedTask: "Top company",
						SQL:         "SELECT cluster_id, market_cap FROM companies LIMIT 1;",
						Data:        &Data{Columns: []Column{{"cluster_id"}, {"market_cap"}}, Rows: [][]any{{json.Number("10140100115280519574"), json.Number("2.5e12")}}},
						Assumptions: []Assumption{},
					},
					{
						Type: "data_retrieval", TaskID: "0-1", Status: "done", ClarifiedTask: "Sectors",
						SQL: "SELECT sector FROM sectors;", SQLError: ptr("Table 'sectors' doesn't exist"),
						Data: &Data{}, Assumptions: []Assumption{},
					},
					{Type: "data_retrieval", TaskID: "0-2", Status: "running"},
				},
			},
		},
		{
			name: "sql_error as an object",
			in:   `{"type":"data_retrieval","sql_error":{"code":1146,"message":"no table"},"data":{"columns":[{"col":"a"}],"rows":null}}`,
			want: &Answer{Type: "data_retrieval", SQLError: ptr(`{"code":1146,"message":"no table"}`), Data: &Data{Columns: []Column{{"a"}}}},
		},
		{
			name: "empty sql_error, null chart options and data",
			in:   `{"type":"data_retrieval","sql_error":"","chart_options":null,"data":null,"assumptions":null}`,
			want: &Answer{Type: "data_retrieval"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := &Job{JobID: "j", Status: JobDone, Result: json.RawMessage(tt.in)}
			got, err := job.Answer()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestJobAnswerErrors(t *testing.T) {
	for _, raw := range []string{"", "null", `[1]`, `{"data":{"rows":"x"}}`} {
		_, err := (&Job{JobID: "j", Status: JobFailed, Result: json.RawMessage(raw)}).Answer()
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("Answer() of %q: err = %v, want a *DecodeError", raw, err)
		}
	}
}

func TestJobFinished(t *testing.T) {
	for status, want := range map[string]bool{"init": false, "running": false, "done": true, "failed": true, "": false, "queued": false, "DONE": false} {
		if got := (&Job{Status: status}).Finished(); got != want {
			t.Errorf("Finished() of %q = %v, want %v", status, got, want)
		}
	}
}

// Encoding is what the emulator relies on: numbers stay numbers.
func TestEncodeRoundTrip(t *testing.T) {
	ref := JobRef{ClusterID: "10140100115280519574", JobID: "j", SessionID: 304832}
	b, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"cluster_id":"10140100115280519574","job_id":"j","session_id":304832}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var back JobRef
	if err := json.Unmarshal(b, &back); err != nil || back != ref {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

// fuzzClient is a client for calling decodeResponse directly.
func fuzzClient(f *testing.F) *Client {
	c, err := New("http://127.0.0.1:1"+apiPath, testPub, testPriv)
	if err != nil {
		f.Fatal(err)
	}
	return c
}

func FuzzDecodeJob(f *testing.F) {
	for _, s := range []string{fixtureJobDone, jobJSON("running").body, fixtureSession, fixtureNotReady, fixtureGateway401,
		`{"code":200,"msg":"","result":{"job_id":"j","status":"done","result":` + fixtureAnswerBreakdown + `}}`,
		`{"code":200,"result":{"status":"done","result":{"sql_error":{"a":1},"sub_tasks":[{"sub_tasks":[{}]}]}}}`, "", "null", html502} {
		f.Add([]byte(s))
	}
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var job Job
		if err := c.decodeResponse("GET", "/v2/jobs/j", 200, http.Header{}, body, &job); err != nil {
			_ = err.Error()
			return
		}
		_ = job.Finished()
		if a, err := job.Answer(); err == nil {
			_ = a.SubTasks
		} else {
			_ = err.Error()
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{fixtureNotReady, fixtureGateway401, fixtureGatewayExpired, fixtureGatewayRPM, fixtureGatewayDaily,
		fixtureGateway404, fixtureGateway500, html502, `{"code":500,"msg":"internal`, "", "<" + testPriv + ">", testPub + testPriv} {
		for _, status := range []int{200, 301, 400, 401, 404, 429, 500, 502} {
			f.Add(status, []byte(s), "12")
		}
	}
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, status int, body []byte, reset string) {
		if status < 100 || status > 999 {
			return
		}
		h := http.Header{"X-Ratelimit-Reset": {reset}, "Location": {string(body)}, "X-Debug-Trace-Id": {string(body)}}
		err := c.decodeResponse("POST", "/v3/chat2data", status, h, body, nil)
		if err == nil {
			return
		}
		msg := err.Error()
		if strings.Contains(msg, testPriv) || strings.Contains(msg, testPub) {
			t.Errorf("error shows a key: %q", msg)
		}
		var ae *APIError
		if errors.As(err, &ae) {
			_ = predicatesOf(ae)
			if status >= 200 && status < 300 && ae.StatusCode != status {
				t.Errorf("StatusCode = %d, want %d", ae.StatusCode, status)
			}
		}
	})
}

func TestDecodeTolerant(t *testing.T) {
	tests := []struct {
		name string
		in   string
		into any
		want any
	}{
		{"cluster_id as a big number never passes through float64", `{"cluster_id":18446744073709551615,"data_summary_id":"304823"}`,
			&DataSummary{}, &DataSummary{ClusterID: "18446744073709551615", DataSummaryID: 304823}},
		{"relationships: object, array, null, {}", `{"relationships":{"a":{"referencing_table":"a","referenced_table":"b"},"b":[{"referencing_table":"b"},{"referencing_table":"b","referenced_table":"c"}],"c":null,"d":{}}}`,
			&DataSummary{}, &DataSummary{Relationships: RelationshipMap{"a": {{ReferencingTable: "a", ReferencedTable: "b"}},
				"b": {{ReferencingTable: "b"}, {ReferencingTable: "b", ReferencedTable: "c"}}, "c": nil, "d": nil}}},
		{"relationships as a flat array", `{"relationships":[{"referencing_table":"a","referenced_table":"b"},{"referencing_table":"a","referenced_table":"c"}]}`,
			&DataSummary{}, &DataSummary{Relationships: RelationshipMap{"a": {{ReferencingTable: "a", ReferencedTable: "b"}, {ReferencingTable: "a", ReferencedTable: "c"}}}}},
		{"description as a string, default as a string, unknown fields", `{"description":"plain","default":"true","status":"inited","new_field":{"x":[1]}}`,
			&DataSummary{}, &DataSummary{Description: SummaryDescription{System: "plain"}, Default: true, Status: SummaryInited}},
		{"job_id as a number, reason not a string", `{"job_id":12345,"status":"failed","reason":{"code":1}}`,
			&Job{}, &Job{JobID: "12345", Status: "failed", Reason: `{"code":1}`}},
		{"refineSql's session_id is not a number", `{"job_id":"xxx","session_id":"yyy"}`, &JobRef{}, &JobRef{JobID: "xxx"}},
		{"session_id an object", `{"job_id":"j","session_id":{"id":1}}`, &JobRef{}, &JobRef{JobID: "j"}},
		{"knowledge ids", `{"knowledge_base_id":"2","knowledge_data_id":"kd-1","type":"instruction","raw_data":{"instruction":"x"}}`,
			&KnowledgeData{}, &KnowledgeData{KnowledgeBaseID: 2, KnowledgeDataID: "kd-1", Type: KnowledgeInstruction, RawData: json.RawMessage(`{"instruction":"x"}`)}},
		{"v1 rows as arrays, nullable as a string, empty times", `{"type":"chat2data_endpoint","data":{"columns":[{"col":"n","data_type":"BIGINT","nullable":"YES"}],"rows":[[12345678901234567890],null],"result":{"code":200,"start_ms":"","end_ms":""}}}`,
			&V1Answer{}, &V1Answer{Type: "chat2data_endpoint", Columns: []V1Column{{Col: "n", DataType: "BIGINT", Nullable: true}},
				Rows: []map[string]any{{"n": json.Number("12345678901234567890")}, {}}, Result: V1Result{Code: 200}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := json.Unmarshal([]byte(tt.in), tt.into); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tt.into, rawEqual); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`{"relationships":{"a":"x"}}`, `{"default":"maybe"}`, `{"relationships":7}`} {
		if err := json.Unmarshal([]byte(bad), &DataSummary{}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// A decorative field of an unexpected shape does not lose the answer, and a
// running breakdown job already yields its finished sub-tasks.
func TestDecodeAnswerTolerant(t *testing.T) {
	in := `{"type":"breakdown","task_id":"0","status":"running","chart_options":"bar","assumptions":{"concept":"x"},"unknown":1,
	  "sub_tasks":[{"type":"data_retrieval","task_id":"0-0","status":"done","sql":"SELECT 1","sql_error":null,"chart_options":{"chart_name":"Table","option":[1]},
	                "data":{"columns":[{"col":"1"}],"rows":[[1]]}},
	               {"type":"data_retrieval","task_id":"0-1","status":"running","data":null,"chart_options":null}]}`
	job := &Job{JobID: "j", Status: JobRunning, Result: json.RawMessage(in)}
	if job.Finished() {
		t.Error("a running job is finished")
	}
	a, err := job.Answer()
	if err != nil {
		t.Fatal(err)
	}
	want := &Answer{Type: AnswerBreakdown, TaskID: "0", Status: JobRunning, SubTasks: []Answer{
		{Type: AnswerDataRetrieval, TaskID: "0-0", Status: JobDone, SQL: "SELECT 1", Data: &Data{Columns: []Column{{"1"}}, Rows: [][]any{{json.Number("1")}}}},
		{Type: AnswerDataRetrieval, TaskID: "0-1", Status: JobRunning},
	}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := (&Job{JobID: "j", Status: JobRunning}).Answer(); err == nil || !strings.Contains(err.Error(), `no answer in a "running" job`) {
		t.Errorf("Answer() of a job without a result: %v", err)
	}
}

func TestDecodeList(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr string
	}{
		{`[1,2]`, []int{1, 2}, ""},
		{``, nil, ""},
		{`null`, nil, ""},
		{`{}`, nil, ""},
		{`{"items":[1],"other":[2]}`, []int{1}, ""},
		{`{"items":null,"other":[2]}`, nil, ""},
		{`{"total":2,"page_token":"x","rows":[1,2]}`, []int{1, 2}, ""},
		{`{"a":[1],"b":[2]}`, nil, "a list was expected, got an object with the fields a, b"},
		{`{"items":{"x":1}}`, nil, "a list was expected, got an object with the fields items"},
		{`"x"`, nil, "a list was expected"},
		{`["x"]`, nil, "cannot unmarshal"},
	}
	for _, tt := range tests {
		got, err := decodeList[int](json.RawMessage(tt.in), "items")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("decodeList(%s): err = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !cmp.Equal(got, tt.want) {
			t.Errorf("decodeList(%s) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestBool(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `false`: false, `"YES"`: true, `"no"`: false, `1`: true, `0`: false, `null`: false, `""`: false, `"1"`: true, `2.5`: true} {
		var b Bool
		if err := json.Unmarshal([]byte(in), &b); err != nil || bool(b) != want {
			t.Errorf("Bool(%s) = %v, %v; want %v", in, b, err, want)
		}
	}
	var b Bool
	if err := json.Unmarshal([]byte(`"maybe"`), &b); err == nil {
		t.Error(`Bool("maybe"): no error`)
	}
	if out, _ := json.Marshal(Bool(true)); string(out) != "true" {
		t.Errorf("Marshal(Bool(true)) = %s", out)
	}
}

func TestAck(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"job_id":"abc"}`, "abc"},
		{`{"job_id":42}`, "42"},
		{`{"session_id":1}`, ""},
		{`null`, ""},
		{`[1]`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		if got := newAck(json.RawMessage(tt.in)); got.JobID != tt.want || string(got.Result) != tt.in {
			t.Errorf("newAck(%s) = %+v, want job %q", tt.in, got, tt.want)
		}
	}
}

// FuzzDecodeResults feeds response bodies, seeded with the documented
// examples of chat2query-api.md, to the decoding of every result type: no
// input may panic, and every failure is a typed error without the keys.
func FuzzDecodeResults(f *testing.F) {
	for _, s := range []string{fixtureCreateSummary, ok(fixtureDataSummary), fixtureKnowledgeBase, fixtureRefineSQL, fixtureRefineJob,
		fixtureCreateSummaryV2, fixtureSummaryV2Record, ok(fixtureChat2DataV2Result), fixtureV1Answer, fixtureV1SQLError,
		fixtureSession, fixtureSessionChat2Data, fixtureChat2Data, fixtureJobDone, fixtureNotReady, fixtureGateway401, fixtureGatewayDaily,
		ok(`{"sessions":[{"session_id":"1"}]}`), ok(`[` + fixtureDataSummary + `]`), ok(`["q1","q2"]`), html502, "", "null"} {
		f.Add([]byte(s))
	}
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(err error) {
			if err == nil {
				return
			}
			msg := err.Error()
			if strings.Contains(msg, testPriv) || strings.Contains(msg, testPub) {
				t.Errorf("error shows a key: %q", msg)
			}
			var de *DecodeError
			var ae *APIError
			if !errors.As(err, &de) && !errors.As(err, &ae) {
				t.Errorf("untyped error %T: %v", err, err)
			}
		}
		decode := func(out any) error { return c.decodeResponse("GET", "/v3/x", 200, http.Header{}, body, out) }
		check(decode(&DataSummaryRef{}))
		check(decode(&DataSummary{}))
		check(decode(&DataSummaryV2Record{}))
		check(decode(&KnowledgeBase{}))
		check(decode(&KnowledgeData{}))
		check(decode(&Session{}))
		check(decode(&JobRef{}))
		check(decode(&V1Answer{}))
		var raw json.RawMessage
		if err := decode(&raw); err == nil {
			_ = newAck(raw)
			for _, list := range []func() error{
				func() error { _, err := decodeList[Session](raw, "sessions"); return err },
				func() error { _, err := decodeList[DataSummary](raw, "data_summaries"); return err },
				func() error { _, err := decodeList[KnowledgeData](raw, "knowledge_data"); return err },
			} {
				_ = list()
			}
		}
		var job Job
		if err := decode(&job); err == nil {
			j := &job
			for _, f := range []func() error{
				func() error { _, err := j.Answer(); return err },
				func() error { _, err := j.DataSummary(); return err },
				func() error { _, err := j.DataSummaryV2(); return err },
				func() error { _, err := j.Chat2DataV2(); return err },
				func() error { _, err := j.RefinedSQL(); return err },
				func() error { _, err := j.SuggestedQuestions(); return err },
			} {
				check(f())
			}
		}
		// The raw body as a job result too.
		j := &Job{JobID: "j", Status: JobRunning, Result: body}
		check(func() error { _, err := j.Answer(); return err }())
		check(func() error { _, err := j.Chat2DataV2(); return err }())
		check(func() error { _, err := j.SuggestedQuestions(); return err }())
	})
}
