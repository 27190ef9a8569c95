package runner

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner/verify"
	"github.com/c2q/c2q/spec"
	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Plan is a configuration compiled for running: everything that does not
// depend on an answer is evaluated and checked offline, so that a mistake
// costs no request.
type Plan struct {
	Config   *spec.Config
	Sessions []*SessionPlan
}

// SessionPlan is one session instance to create and the questions to ask in
// it, in order.
type SessionPlan struct {
	Session   *spec.Session
	Questions []*QuestionPlan
}

// QuestionPlan is one question and its compiled checks.
type QuestionPlan struct {
	Question *spec.Question
	// Ask is the question's text when it is known before the run.
	Ask string
	// AskAfter lists the questions whose answers the text needs when it is
	// not known before the run.
	AskAfter []string
	// AskSensitive is set when the text derives from a sensitive variable:
	// it is sent, but never shown.
	AskSensitive bool
	Checks       []*Check
}

// Check is one compiled expectation.
type Check struct {
	Name     string    // as written, e.g. "expect.sql" or "assert"
	Range    hcl.Range // where it is written
	Expected []string  // what it expects, as the plan shows it; nil when known only after the run
	After    []string  // the questions it needs the answers of, when not known before
	// Sensitive is set when what it expects derives from a sensitive
	// value: the expectation is checked but never shown.
	Sensitive bool
	eval      func(*env) CheckResult
}

// CheckResult is the verdict of one check on one answer.
type CheckResult struct {
	Check  *Check
	Status Status
	// Message says in one line why it passed, failed or errored.
	Message string
	// Rule is how rows were compared, for checks that compare them.
	Rule string
	// When the check failed: Expected and Actual are SQL lines to diff;
	// Table is a table diff of rows.
	Expected, Actual []string
	Table            []string
}

// env is what a check evaluates against: the answer, the session's answers
// so far, and the database to run expected SQL on.
type env struct {
	ctx      context.Context
	q        *spec.Question
	scope    *spec.Scope
	answer   *chat2query.Answer
	self     *spec.Answer
	verify   verify.Querier // nil when there is none
	database string         // the session's

	// The answer's SQL explained, once, for every check on its clauses.
	explained    bool
	structure    *sqlmatch.Structure
	structureErr error
}

// explain returns the structure of the answer's SQL (sqlmatch.Explain),
// parsing it at most once for all the checks of the question.
func (e *env) explain() (*sqlmatch.Structure, error) {
	if !e.explained {
		e.explained = true
		e.structure, e.structureErr = sqlmatch.Explain(answerSQL(e.answer))
	}
	return e.structure, e.structureErr
}

// eval evaluates expr for the question with self bound to its answer.
func (e *env) eval(expr hcl.Expression) (cty.Value, error) {
	v, diags := e.scope.Eval(e.q, expr, e.self)
	if diags.HasErrors() {
		return cty.NilVal, diagsError(diags)
	}
	return v, nil
}

// NewPlan compiles cfg. Its diagnostics are configuration errors.
func NewPlan(cfg *spec.Config) (*Plan, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	p := &Plan{Config: cfg}
	for _, s := range cfg.Sessions {
		sp := &SessionPlan{Session: s}
		scope := cfg.NewScope(s) // no answers: what needs one is unknown
		for _, q := range s.Questions {
			qp := &QuestionPlan{Question: q, Checks: []*Check{executesCheck(q)}}
			qp.AskSensitive = cfg.Sensitive(q.Ask)
			if text, known, d := scope.AskText(q); d.HasErrors() {
				diags = append(diags, d...)
			} else if known {
				qp.Ask = text
			} else {
				qp.AskAfter = spec.KnownAfter(q, q.Ask)
			}
			if q.Expect != nil {
				for _, ec := range q.Expect.Checks {
					c, d := expectCheck(cfg, scope, q, ec)
					diags = append(diags, d...)
					if c != nil {
						qp.Checks = append(qp.Checks, c)
					}
				}
			}
			for _, a := range q.Asserts {
				qp.Checks = append(qp.Checks, assertCheck(q, a))
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

// NeedsVerify reports whether a check runs expected SQL (match = "result"),
// so that a database to run it on must be given.
func (p *Plan) NeedsVerify() bool {
	for _, s := range p.Sessions {
		for _, q := range s.Questions {
			if x := q.Question.Expect; x != nil && x.Match == spec.MatchResult {
				return true
			}
		}
	}
	return false
}

// MinRequests is the fewest API requests the plan can spend: the digest
// challenge that the first request of a run draws, one to create each
// session, one to ask each question (an AI request) and at least one poll
// of each question's job.
func (p *Plan) MinRequests() (total, ai int) {
	if len(p.Sessions) == 0 {
		return 0, 0
	}
	q := p.Questions()
	return 1 + len(p.Sessions) + 2*q, q
}

// executesCheck is implicit on every question: an answer whose SQL the
// service could not run is not an answer.
func executesCheck(q *spec.Question) *Check {
	return &Check{
		Name:  "sql executes",
		Range: q.DeclRange,
		eval: func(e *env) CheckResult {
			if msg := answerSQLError(e.answer); msg != "" {
				return CheckResult{Status: Fail, Message: "the answer's SQL failed on the cluster: " + msg}
			}
			return CheckResult{Status: Pass, Message: "the answer's SQL ran on the cluster (sql_error is empty)"}
		},
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func listText(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// assertCheck compiles an assert block, with terraform test's semantics: a
// false condition fails with the error message; a condition that cannot be
// evaluated is an error.
func assertCheck(q *spec.Question, a *spec.Assert) *Check {
	return &Check{
		Name:  "assert",
		Range: a.DeclRange,
		eval: func(e *env) CheckResult {
			passed, msg, diags := e.scope.EvalAssert(e.q, a, e.self)
			switch {
			case diags.HasErrors():
				return CheckResult{Status: Error, Message: diagsError(diags).Error()}
			case passed:
				return CheckResult{Status: Pass, Message: "the condition is true"}
			}
			return CheckResult{Status: Fail, Message: msg}
		},
	}
}

// answerStep is the part of an answer that answers the question: the
// answer itself, or for a breakdown answer, its last sub-task (the step
// that answers the whole question).
func answerStep(a *chat2query.Answer) *chat2query.Answer {
	for a.SQL == "" && len(a.SubTasks) > 0 {
		a = &a.SubTasks[len(a.SubTasks)-1]
	}
	return a
}

func answerSQL(a *chat2query.Answer) string { return answerStep(a).SQL }

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

// diagsError turns evaluation diagnostics into one error of their summaries
// and details.
func diagsError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		m := d.Summary
		if d.Detail != "" {
			m += ": " + d.Detail
		}
		if d.Subject != nil {
			m += fmt.Sprintf(" (%s:%d)", d.Subject.Filename, d.Subject.Start.Line)
		}
		msgs = append(msgs, m)
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}
