package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/spec"
	"github.com/google/go-cmp/cmp"
)

// fakeClient answers from a map of question → answer or error, recording calls.
type fakeClient struct {
	createErr error
	answers   map[string]*chat2query.Job // by question text
	askErr    map[string]error
	calls     []string
	requests  int64
	// cancelAt names a call ("create", "ask", "wait") that calls cancel
	// and fails with its context's error, as the real client does.
	cancelAt string
	cancel   context.CancelFunc
}

// interrupt cancels at the call named by cancelAt.
func (f *fakeClient) interrupt(ctx context.Context, call string) error {
	if f.cancelAt != call {
		return nil
	}
	f.cancel()
	return fmt.Errorf("%s: %w", call, ctx.Err())
}

func (f *fakeClient) CreateSession(ctx context.Context, req chat2query.CreateSessionRequest) (*chat2query.Session, error) {
	f.requests++
	f.calls = append(f.calls, "create "+req.Name)
	if err := f.interrupt(ctx, "create"); err != nil {
		return nil, err
	}
	if f.createErr != nil {
		return nil, f.createErr
	}
	return &chat2query.Session{SessionID: 305685}, nil
}

func (f *fakeClient) SessionChat2Data(ctx context.Context, id chat2query.Int64, req chat2query.SessionChat2DataRequest) (*chat2query.JobRef, error) {
	f.requests++
	f.calls = append(f.calls, fmt.Sprintf("ask %d %s", id, req.Question))
	if err := f.interrupt(ctx, "ask"); err != nil {
		return nil, err
	}
	if err := f.askErr[req.Question]; err != nil {
		return nil, err
	}
	return &chat2query.JobRef{JobID: "job-" + req.Question, SessionID: id}, nil
}

func (f *fakeClient) WaitJob(ctx context.Context, jobID string, opts chat2query.WaitOptions) (*chat2query.Job, error) {
	f.requests++
	f.calls = append(f.calls, fmt.Sprintf("wait %s %s", jobID, opts.Timeout))
	if err := f.interrupt(ctx, "wait"); err != nil {
		return nil, err
	}
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

// loadPlan compiles a configuration written in HCL.
func loadPlan(t *testing.T, src string) *Plan {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.c2q.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := spec.Load(dir, spec.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := NewPlan(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p
}

// session writes a session block of questions; q() writes one.
func session(label string, questions ...string) string {
	return fmt.Sprintf("session %q {\n  cluster_id = \"1\"\n  database = \"db\"\n%s}\n", label, strings.Join(questions, ""))
}

func q(label, ask, sql string) string {
	expect := ""
	if sql != "" {
		expect = fmt.Sprintf("    expect {\n      sql = %q\n    }\n", sql)
	}
	return fmt.Sprintf("  question %q {\n    ask = %q\n    timeout = \"1m\"\n%s  }\n", label, ask, expect)
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
		src       string
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
			src:       session("s", q("q1", "a", top5), q("q2", "b", "select count(*) from companies")),
			want:      []string{"s.q1=pass", "s.q2=pass"},
			wantCalls: []string{"create s", "ask 305685 a", "wait job-a 1m0s", "ask 305685 b", "wait job-b 1m0s"},
			wantAI:    2,
		},
		{
			name: "a different direction fails",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": doneJob("SELECT name, market_cap FROM companies ORDER BY market_cap ASC LIMIT 5"),
			}},
			src:    session("s", q("q1", "a", top5)),
			want:   []string{"s.q1=fail"},
			wantAI: 1,
		},
		{
			name: "SQL that failed on the cluster fails without an expectation",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": {Status: chat2query.JobDone, Result: []byte(`{"type":"data_retrieval","sql":"SELECT x FROM t","sql_error":"table not found"}`)},
			}},
			src:    session("s", q("q1", "a", "")),
			want:   []string{"s.q1=fail"},
			wantAI: 1,
		},
		{
			name: "a failed job errors and skips the rest of its session only",
			client: &fakeClient{answers: map[string]*chat2query.Job{
				"a": {Status: chat2query.JobFailed, Reason: "no answer"},
				"c": doneJob(top5),
			}},
			src:       session("s1", q("q1", "a", ""), q("q2", "b", "")) + session("s2", q("q3", "c", top5)),
			want:      []string{"s1.q1=error", "s1.q2=skip", "s2.q3=pass"},
			wantCalls: []string{"create s1", "ask 305685 a", "wait job-a 1m0s", "create s2", "ask 305685 c", "wait job-c 1m0s"},
			wantAI:    2,
		},
		{
			name:      "bad credentials stop every session",
			client:    &fakeClient{createErr: &chat2query.APIError{StatusCode: 401, Code: 401, Msg: "auth failed"}},
			src:       session("s1", q("q1", "a", ""), q("q2", "b", "")) + session("s2", q("q3", "c", "")),
			want:      []string{"s1.q1=error", "s1.q2=skip", "s2.q3=skip"},
			wantCalls: []string{"create s1"},
		},
		{
			name:      "a passing failure to create a session does not stop the others",
			client:    &fakeClient{createErr: &chat2query.APIError{StatusCode: 500, Code: 500, Msg: "internal error!"}},
			src:       session("s1", q("q1", "a", "")) + session("s2", q("q3", "c", "")),
			want:      []string{"s1.q1=error", "s2.q3=error"},
			wantCalls: []string{"create s1", "create s2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			p := loadPlan(t, tt.src)
			res := Apply(context.Background(), p, Options{Client: tt.client, Observer: rec})
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
			if got := len(rec.events) - len(p.Sessions); got != len(tt.want) {
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
	p := loadPlan(t, session("s",
		q("q1", "a", "SELECT name FROM companies ORDER BY market_cap DESC LIMIT 5"),
		q("q2", "b", ""),
		q("q3", "c", "")))
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
	if sqlCheck.Check.Range.Start.Line != 8 {
		t.Errorf("check range = %v, want line 8 of the file", sqlCheck.Check.Range)
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

// A run canceled before it starts asks nothing and skips everything as
// interrupted.
func TestApplyInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	client := &fakeClient{}
	cancel()
	p := loadPlan(t, session("s1", q("q1", "a", ""))+session("s2", q("q2", "b", "")))
	res := Apply(ctx, p, Options{Client: client})
	if diff := cmp.Diff([]string{"s1.q1=skip", "s2.q2=skip"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	for _, sr := range res.Sessions {
		for _, q := range sr.Questions {
			if !errors.Is(q.Err, ErrInterrupted) || q.Err.Error() != "interrupted" {
				t.Errorf("%s: %v, want interrupted", q.Plan.Question.Label, q.Err)
			}
		}
	}
	if len(client.calls) != 0 || !res.Interrupted {
		t.Errorf("calls %q, interrupted %v; want none, true", client.calls, res.Interrupted)
	}
}

// Canceled while a question is answered: the session creation or the
// question in flight errors as interrupted, once, the rest is skipped as
// interrupted, and nothing more is asked.
func TestApplyInterruptedMidRun(t *testing.T) {
	for _, tt := range []struct {
		name  string
		at    string // the call that the cancellation interrupts
		want  []string
		err   string
		calls []string
	}{
		{"creating the session", "create", []string{"s1.q1=error", "s1.q2=skip", "s2.q3=skip"}, "interrupted while creating the Chat2Query session", []string{"create s1"}},
		{"asking", "ask", []string{"s1.q1=error", "s1.q2=skip", "s2.q3=skip"}, "interrupted while asking", []string{"create s1", "ask 305685 a"}},
		{"waiting", "wait", []string{"s1.q1=error", "s1.q2=skip", "s2.q3=skip"}, "interrupted while waiting for job job-a", []string{"create s1", "ask 305685 a", "wait job-a 1m0s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			client := &fakeClient{answers: map[string]*chat2query.Job{"a": doneJob("SELECT 1")}, cancelAt: tt.at, cancel: cancel}
			p := loadPlan(t, session("s1", q("q1", "a", ""), q("q2", "b", ""))+session("s2", q("q3", "c", "")))
			res := Apply(ctx, p, Options{Client: client})
			if diff := cmp.Diff(tt.want, statuses(res)); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if err := res.Sessions[0].Questions[0].Err; !errors.Is(err, ErrInterrupted) || err.Error() != tt.err {
				t.Errorf("q1 error = %v, want %q", err, tt.err)
			}
			if diff := cmp.Diff(tt.calls, client.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if !res.Interrupted {
				t.Error("Result.Interrupted not set")
			}
		})
	}
}

func TestNewPlanRejectsInvalidExpectedSQL(t *testing.T) {
	dir := t.TempDir()
	src := session("s", q("q1", "a", "SELEC name FROM companies"))
	if err := os.WriteFile(filepath.Join(dir, "main.c2q.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := spec.Load(dir, spec.LoadOptions{})
	if !diags.HasErrors() {
		_, diags = NewPlan(cfg)
	}
	if !diags.HasErrors() {
		t.Fatal("no diagnostic for invalid expected SQL")
	}
	if d := diags[0]; d.Subject == nil || d.Subject.Start.Line != 8 {
		t.Errorf("diagnostic %q at %v, want line 8", d.Summary, d.Subject)
	}
}

func TestPlanMinRequests(t *testing.T) {
	p := loadPlan(t, session("s1", q("q1", "a", ""), q("q2", "b", ""))+session("s2", q("q3", "c", "")))
	total, ai := p.MinRequests()
	if total != 1+2+3*2 || ai != 3 {
		t.Errorf("MinRequests = %d, %d; want 9, 3", total, ai)
	}
}

func TestApplyReferencesAssertsAndOutputs(t *testing.T) {
	src := `
session "s" {
  cluster_id = "1"
  database   = "db"

  question "top" {
    ask = "Which company is largest?"
    assert {
      condition     = self.row_count == 2
      error_message = "want two rows, got ${self.row_count}"
    }
  }
  question "why" {
    ask = "Why is ${question.top.rows[0][0]} first?"
    expect {
      sql = question.top.sql
    }
    assert {
      condition     = length(self.rows) > 5
      error_message = "only ${length(self.rows)} rows after ${question.top.job_id}"
    }
  }
}

output "largest" {
  value = session.s.question.top.rows[0][0]
}
`
	topSQL := "SELECT name FROM companies ORDER BY cap DESC"
	client := &fakeClient{answers: map[string]*chat2query.Job{
		"Which company is largest?": {JobID: "j1", Status: chat2query.JobDone, Result: []byte(fmt.Sprintf(
			`{"type":"data_retrieval","sql":%q,"data":{"columns":[{"col":"name"}],"rows":[["Apple"],["NVIDIA"]]}}`, topSQL))},
		"Why is Apple first?": {JobID: "j2", Status: chat2query.JobDone, Result: []byte(fmt.Sprintf(
			`{"type":"data_retrieval","sql":%q,"data":{"columns":[{"col":"name"}],"rows":[["Apple"]]}}`, topSQL+" LIMIT 1"))},
	}}
	p := loadPlan(t, src)
	if qp := p.Sessions[0].Questions[1]; qp.Ask != "" || len(qp.AskAfter) != 1 || !strings.Contains(qp.AskAfter[0], "top") {
		t.Errorf("plan: ask %q known after %q, want unknown after question top", qp.Ask, qp.AskAfter)
	}
	res := Apply(context.Background(), p, Options{Client: client})

	if want := []string{"ask 305685 Which company is largest?", "ask 305685 Why is Apple first?"}; !containsAll(client.calls, want) {
		t.Errorf("calls = %q, want them to include %q", client.calls, want)
	}
	top, why := res.Sessions[0].Questions[0], res.Sessions[0].Questions[1]
	if top.Status != Pass {
		t.Errorf("top = %v %v %+v, want pass", top.Status, top.Err, top.Checks)
	}
	var msgs []string
	for _, c := range why.Checks {
		if c.Status == Fail {
			msgs = append(msgs, c.Check.Name+": "+c.Message)
		}
	}
	want := []string{
		"expect.sql: the answer's SQL differs from the expected SQL (match = \"canonical\"): LIMIT (none) → 1",
		"assert: only 1 rows after j1",
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("failed checks of why (-want +got):\n%s", diff)
	}
	if len(res.Outputs) != 1 || res.Outputs[0].Value.AsString() != "Apple" {
		t.Errorf("outputs = %#v, want largest = Apple", res.Outputs)
	}
}

func containsAll(have, want []string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// An assert that cannot be evaluated errors its question, but the answer
// arrived, so the conversation goes on.
func TestApplyAssertErrorKeepsSession(t *testing.T) {
	src := `
session "s" {
  cluster_id = "1"
  database   = "db"
  question "a" {
    ask = "a"
    assert {
      condition     = self.rows[5][0] == "x"
      error_message = "unreachable"
    }
  }
  question "b" {
    ask = "b"
  }
}
`
	client := &fakeClient{answers: map[string]*chat2query.Job{"a": doneJob("SELECT 1"), "b": doneJob("SELECT 2")}}
	res := Apply(context.Background(), loadPlan(t, src), Options{Client: client})
	if diff := cmp.Diff([]string{"s.a=error", "s.b=pass"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestSameSQL(t *testing.T) {
	tests := []struct {
		mode, want, got string
		equal           bool
	}{
		{"canonical", "SELECT a FROM t LIMIT 5", "select `a` from `T` limit 0, 5;", true},
		{"canonical", "SELECT a FROM t WHERE x = 1 AND y = 2", "SELECT a FROM t WHERE y = 2 AND x = 1", false},
		{"components", "SELECT a FROM t WHERE x = 1 AND y = 2", "SELECT a FROM t WHERE y = 2 AND x = 1", true},
		{"components", "SELECT a FROM t ORDER BY a DESC", "SELECT a FROM t ORDER BY a", false},
		{"fingerprint", "SELECT a FROM t WHERE x = 1", "SELECT a FROM t WHERE x = 2", true},
		{"fingerprint", "SELECT a FROM t WHERE x = 1", "SELECT a FROM t WHERE y = 1", false},
		{"exact", "SELECT a FROM t", " SELECT a FROM t\n", true},
		{"exact", "SELECT a FROM t", "select a from t", false},
	}
	for _, tt := range tests {
		got, err := SameSQL(tt.mode, tt.want, tt.got)
		if err != nil || got != tt.equal {
			t.Errorf("SameSQL(%s, %q, %q) = %v, %v; want %v", tt.mode, tt.want, tt.got, got, err, tt.equal)
		}
	}
}
