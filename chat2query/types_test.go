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
