package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/spec"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// fakeClient answers from a map of question → answer or error, recording calls.
type fakeClient struct {
	createErr error
	answers   map[string]*chat2query.Job // by question text
	askErr    map[string]error
	calls     []string
	requests  int64
}

func (f *fakeClient) CreateSession(_ context.Context, req chat2query.CreateSessionRequest) (*chat2query.Session, error) {
	f.requests++
	f.calls = append(f.calls, "create "+req.Name)
	if f.createErr != nil {
		return nil, f.createErr
	}
	return &chat2query.Session{SessionID: 305685}, nil
}

func (f *fakeClient) SessionChat2Data(_ context.Context, id chat2query.Int64, req chat2query.SessionChat2DataRequest) (*chat2query.JobRef, error) {
	f.requests++
	f.calls = append(f.calls, fmt.Sprintf("ask %d %s", id, req.Question))
	if err := f.askErr[req.Question]; err != nil {
		return nil, err
	}
	return &chat2query.JobRef{JobID: "job-" + req.Question, SessionID: id}, nil
}

func (f *fakeClient) WaitJob(_ context.Context, jobID string, opts chat2query.WaitOptions) (*chat2query.Job, error) {
	f.requests++
	f.calls = append(f.calls, fmt.Sprintf("wait %s %s", jobID, opts.Timeout))
	job, ok := f.answers[strings.TrimPrefix(jobID, "job-")]
	if !ok {
		return nil, fmt.Errorf("no such job %s", jobID)
	}
	return job, nil
}

func (f *fakeClient) Requests() int64 { return f.requests }

func doneJob(sql string) *chat2query.Job {
	return &chat2query.Job{Status: chat2query.JobDone, Result: []byte(fmt.Sprintf(`{"type":"data_retrieval","sql":%q,"sql_error":null}`, sql))}
}

func question(label, ask, sql string) *spec.Question {
	q := &spec.Question{Label: label, Ask: ask, Mode: "direct", Timeout: time.Minute}
	if sql != "" {
		q.Expect = &spec.Expect{SQL: sql, SQLRange: hcl.Range{Filename: "main.c2q.hcl", Start: hcl.Pos{Line: 7}}}
	}
	return q
}

func mustPlan(t *testing.T, sessions ...*spec.Session) *Plan {
	t.Helper()
	p, diags := NewPlan(&spec.Config{Sessions: sessions})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p
}

// statuses lists "session.question=status" for every question in order.
func statuses(r *Result) []string {
	var out []string
	for _, s := range r.Sessions {
		for _, q := range s.Questions {
			out = append(out, s.Plan.Session.Label+"."+q.Plan.Question.Label+"="+q.Status.String())
		}
	}
	return out
}

type recorder struct{ events []string }

func (r *recorder) SessionStarted(s *SessionResult) {
	r.events = append(r.events, "session "+s.Plan.Session.Label)
}
func (r *recorder) QuestionDone(_ *SessionResult, q *QuestionResult) {
	r.events = append(r.events, q.Plan.Question.Label+" "+q.Status.String())
}

func TestApply(t *testing.T) {
	top5 := "SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5"
	tests := []struct {
		name      string
		client    *fakeClient
		sessions  []*spec.Session
		want      []string
		wantCalls []string
		wantAI    int
	}{
		{
			name: "formatting differences pass",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": doneJob("select `name`,`market_cap` from `companies` order by `market_cap` desc limit 5;"),
				"b": doneJob("SELECT COUNT(1) FROM companies"),
			}},
			sessions: []*spec.Session{{Label: "s", Name: "s", Questions: []*spec.Question{
				question("q1", "a", top5), question("q2", "b", "select count(*) from companies"),
			}}},
			want:      []string{"s.q1=pass", "s.q2=pass"},
			wantCalls: []string{"create s", "ask 305685 a", "wait job-a 1m0s", "ask 305685 b", "wait job-b 1m0s"},
			wantAI:    2,
		},
		{
			name: "a different direction fails",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": doneJob("SELECT name, market_cap FROM companies ORDER BY market_cap ASC LIMIT 5"),
			}},
			sessions: []*spec.Session{{Label: "s", Name: "s", Questions: []*spec.Question{question("q1", "a", top5)}}},
			want:     []string{"s.q1=fail"},
			wantAI:   1,
		},
		{
			name: "SQL that failed on the cluster fails without an expectation",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": {Status: chat2query.JobDone, Result: []byte(`{"type":"data_retrieval","sql":"SELECT x FROM t","sql_error":"table not found"}`)},
			}},
			sessions: []*spec.Session{{Label: "s", Name: "s", Questions: []*spec.Question{question("q1", "a", "")}}},
			want:     []string{"s.q1=fail"},
			wantAI:   1,
		},
		{
			name: "a failed job errors and skips the rest of its session only",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": {Status: chat2query.JobFailed, Reason: "no answer"},
				"c": doneJob(top5),
			}},
			sessions: []*spec.Session{
				{Label: "s1", Name: "s1", Questions: []*spec.Question{question("q1", "a", ""), question("q2", "b", "")}},
				{Label: "s2", Name: "s2", Questions: []*spec.Question{question("q3", "c", top5)}},
			},
			want:      []string{"s1.q1=error", "s1.q2=skip", "s2.q3=pass"},
			wantCalls: []string{"create s1", "ask 305685 a", "wait job-a 1m0s", "create s2", "ask 305685 c", "wait job-c 1m0s"},
			wantAI:    2,
		},
		{
			name:   "bad credentials stop every session",
			client: &fakeClient{createErr: &chat2query.APIError{StatusCode: 401, Code: 401, Msg: "auth failed"}},
			sessions: []*spec.Session{
				{Label: "s1", Name: "s1", Questions: []*spec.Question{question("q1", "a", ""), question("q2", "b", "")}},
				{Label: "s2", Name: "s2", Questions: []*spec.Question{question("q3", "c", "")}},
			},
			want:      []string{"s1.q1=error", "s1.q2=skip", "s2.q3=skip"},
			wantCalls: []string{"create s1"},
		},
		{
			name:   "a passing failure to create a session does not stop the others",
			client: &fakeClient{createErr: &chat2query.APIError{StatusCode: 500, Code: 500, Msg: "internal error!"}},
			sessions: []*spec.Session{
				{Label: "s1", Name: "s1", Questions: []*spec.Question{question("q1", "a", "")}},
				{Label: "s2", Name: "s2", Questions: []*spec.Question{question("q3", "c", "")}},
			},
			want:      []string{"s1.q1=error", "s2.q3=error"},
			wantCalls: []string{"create s1", "create s2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			res := Apply(context.Background(), mustPlan(t, tt.sessions...), Options{Client: tt.client, Observer: rec})
			if diff := cmp.Diff(tt.want, statuses(res)); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if tt.wantCalls != nil {
				if diff := cmp.Diff(tt.wantCalls, tt.client.calls); diff != "" {
					t.Errorf("calls (-want +got):\n%s", diff)
				}
			}
			if res.Requests != tt.client.requests || res.AIRequests != tt.wantAI {
				t.Errorf("requests = %d (%d AI), want %d (%d AI)", res.Requests, res.AIRequests, tt.client.requests, tt.wantAI)
			}
			// Every question is reported to the observer exactly once.
			if got := len(rec.events) - len(tt.sessions); got != len(tt.want) {
				t.Errorf("observer heard of %d questions, want %d: %q", got, len(tt.want), rec.events)
			}
		})
	}
}

func TestApplyFailureDetails(t *testing.T) {
	client := &fakeClient{answers: map[string]*chat2query.Job{
		"a": doneJob("SELECT name FROM companies ORDER BY market_cap ASC LIMIT 10"),
		"b": {Status: chat2query.JobFailed, Reason: "no answer-book entry matches"},
	}}
	p := mustPlan(t, &spec.Session{Label: "s", Name: "s", Questions: []*spec.Question{
		question("q1", "a", "SELECT name FROM companies ORDER BY market_cap DESC LIMIT 5"),
		question("q2", "b", ""),
		question("q3", "c", ""),
	}})
	res := Apply(context.Background(), p, Options{Client: client})
	qs := res.Sessions[0].Questions

	var sqlCheck *CheckResult
	for i := range qs[0].Checks {
		if qs[0].Checks[i].Check.Name == "expect.sql" {
			sqlCheck = &qs[0].Checks[i]
		}
	}
	if sqlCheck == nil || sqlCheck.Status != Fail {
		t.Fatalf("expect.sql check = %+v, want a failure", sqlCheck)
	}
	if sqlCheck.Check.Range.Start.Line != 7 {
		t.Errorf("check range = %v, want line 7 of the file", sqlCheck.Check.Range)
	}
	if !strings.Contains(strings.Join(sqlCheck.Expected, "\n"), "DESC") || !strings.Contains(strings.Join(sqlCheck.Actual, "\n"), "LIMIT 10") {
		t.Errorf("diff lines do not show the change: %q vs %q", sqlCheck.Expected, sqlCheck.Actual)
	}
	var jf *JobFailedError
	if !errors.As(qs[1].Err, &jf) || jf.Reason != "no answer-book entry matches" {
		t.Errorf("q2 error = %v, want the job's failure reason", qs[1].Err)
	}
	var skip *SkipError
	if !errors.As(qs[2].Err, &skip) || !strings.Contains(skip.Reason, `"q2"`) {
		t.Errorf("q3 skip = %v, want a reason naming q2", qs[2].Err)
	}
	if got := res.Status(); got != Error {
		t.Errorf("result status = %v, want error", got)
	}
}

func TestApplyInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	client := &fakeClient{createErr: context.Canceled}
	cancel()
	p := mustPlan(t,
		&spec.Session{Label: "s1", Name: "s1", Questions: []*spec.Question{question("q1", "a", "")}},
		&spec.Session{Label: "s2", Name: "s2", Questions: []*spec.Question{question("q2", "b", "")}},
	)
	res := Apply(ctx, p, Options{Client: client})
	if diff := cmp.Diff([]string{"s1.q1=error", "s2.q2=skip"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestNewPlanRejectsInvalidExpectedSQL(t *testing.T) {
	q := question("q1", "a", "SELEC name FROM companies")
	_, diags := NewPlan(&spec.Config{Sessions: []*spec.Session{{Label: "s", Questions: []*spec.Question{q}}}})
	if !diags.HasErrors() {
		t.Fatal("no diagnostic for invalid expected SQL")
	}
	d := diags[0]
	if d.Summary != "Invalid expected SQL" || d.Subject == nil || d.Subject.Start.Line != 7 {
		t.Errorf("diagnostic = %s at %v, want \"Invalid expected SQL\" at line 7", d.Summary, d.Subject)
	}
}

func TestPlanMinRequests(t *testing.T) {
	p := mustPlan(t,
		&spec.Session{Label: "s1", Questions: []*spec.Question{question("q1", "a", ""), question("q2", "b", "")}},
		&spec.Session{Label: "s2", Questions: []*spec.Question{question("q3", "c", "")}},
	)
	total, ai := p.MinRequests()
	if total != 2+3*2 || ai != 3 {
		t.Errorf("MinRequests = %d, %d; want 8, 3", total, ai)
	}
}
