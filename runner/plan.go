package runner

import (
	"fmt"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner/sqlmatch"
	"github.com/c2q/c2q/spec"
	"github.com/hashicorp/hcl/v2"
)

// Plan is a configuration compiled for running: every expectation is
// checked and prepared offline, so that a mistake costs no request.
type Plan struct {
	Config   *spec.Config
	Sessions []*SessionPlan
}

// SessionPlan is one session to create and the questions to ask in it, in order.
type SessionPlan struct {
	Session   *spec.Session
	Questions []*QuestionPlan
}

// QuestionPlan is one question and its compiled checks.
type QuestionPlan struct {
	Question *spec.Question
	Checks   []*Check
}

// Check is one compiled expectation.
type Check struct {
	Name     string    // as written, e.g. "expect.sql"
	Range    hcl.Range // where it is written
	Expected []string  // what it expects, as the plan shows it
	eval     func(*chat2query.Answer) CheckResult
}

// CheckResult is the verdict of one check on one answer.
type CheckResult struct {
	Check   *Check
	Status  Status
	Message string // why it failed, one line
	// Expected and Actual are the lines to diff when the check failed.
	Expected, Actual []string
}

// NewPlan compiles cfg. Its diagnostics are configuration errors.
func NewPlan(cfg *spec.Config) (*Plan, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	p := &Plan{Config: cfg}
	for _, s := range cfg.Sessions {
		sp := &SessionPlan{Session: s}
		for _, q := range s.Questions {
			qp := &QuestionPlan{Question: q, Checks: []*Check{executesCheck(q)}}
			if q.Expect != nil && q.Expect.SQL != "" {
				c, d := sqlCheck(q.Expect)
				diags = append(diags, d...)
				if c != nil {
					qp.Checks = append(qp.Checks, c)
				}
			}
			sp.Questions = append(sp.Questions, qp)
		}
		p.Sessions = append(p.Sessions, sp)
	}
	return p, diags
}

// Questions is the number of questions the plan asks.
func (p *Plan) Questions() int {
	n := 0
	for _, s := range p.Sessions {
		n += len(s.Questions)
	}
	return n
}

// MinRequests is the fewest API requests the plan can spend: one to create
// each session, one to ask each question (an AI request) and at least one
// poll of each question's job.
func (p *Plan) MinRequests() (total, ai int) {
	q := p.Questions()
	return len(p.Sessions) + 2*q, q
}

// executesCheck is implicit on every question: an answer whose SQL the
// service could not run is not an answer.
func executesCheck(q *spec.Question) *Check {
	return &Check{
		Name:  "sql executes",
		Range: q.DeclRange,
		eval: func(a *chat2query.Answer) CheckResult {
			if e := answerSQLError(a); e != "" {
				return CheckResult{Status: Fail, Message: "the answer's SQL failed on the cluster: " + e}
			}
			return CheckResult{Status: Pass}
		},
	}
}

func sqlCheck(e *spec.Expect) (*Check, hcl.Diagnostics) {
	want, err := sqlmatch.Canonical(e.SQL)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid expected SQL",
			Detail:   fmt.Sprintf("TiDB's parser cannot read this SQL: %v.", err),
			Subject:  e.SQLRange.Ptr(),
		}}
	}
	wantLines, _ := sqlmatch.Layout(e.SQL)
	return &Check{
		Name:     "expect.sql",
		Range:    e.SQLRange,
		Expected: wantLines,
		eval: func(a *chat2query.Answer) CheckResult {
			sql := answerSQL(a)
			got, err := sqlmatch.Canonical(sql)
			if err != nil {
				return CheckResult{
					Status:   Fail,
					Message:  fmt.Sprintf("the answer's SQL cannot be parsed: %v", err),
					Expected: wantLines,
					Actual:   []string{sql},
				}
			}
			if got == want {
				return CheckResult{Status: Pass}
			}
			gotLines, _ := sqlmatch.Layout(sql)
			return CheckResult{
				Status:   Fail,
				Message:  "the answer's SQL differs from the expected SQL",
				Expected: wantLines,
				Actual:   gotLines,
			}
		},
	}, nil
}

// answerSQL is the SQL an answer stands for: its own, or for a breakdown
// answer, the last sub-task's (the step that answers the whole question).
func answerSQL(a *chat2query.Answer) string {
	for a.SQL == "" && len(a.SubTasks) > 0 {
		a = &a.SubTasks[len(a.SubTasks)-1]
	}
	return a.SQL
}

func answerSQLError(a *chat2query.Answer) string {
	if a.SQLError != nil && *a.SQLError != "" {
		return *a.SQLError
	}
	for i := range a.SubTasks {
		if e := answerSQLError(&a.SubTasks[i]); e != "" {
			return e
		}
	}
	return ""
}
