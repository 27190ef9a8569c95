package runner

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner/sqlmatch"
	"github.com/c2q/c2q/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
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
	Check   *Check
	Status  Status
	Message string // why it failed or errored, one line
	// Expected and Actual are the lines to diff when the check failed.
	Expected, Actual []string
}

// env is what a check evaluates against: the answer and the session's
// answers so far.
type env struct {
	q      *spec.Question
	scope  *spec.Scope
	answer *chat2query.Answer
	self   *spec.Answer
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
			if q.Expect != nil && q.Expect.SQL != nil {
				c, d := sqlCheck(cfg, scope, q)
				diags = append(diags, d...)
				if c != nil {
					qp.Checks = append(qp.Checks, c)
				}
			}
			if q.Expect != nil {
				qp.Checks = append(qp.Checks, expectChecks(q.Expect)...)
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
		eval: func(e *env) CheckResult {
			if msg := answerSQLError(e.answer); msg != "" {
				return CheckResult{Status: Fail, Message: "the answer's SQL failed on the cluster: " + msg}
			}
			return CheckResult{Status: Pass}
		},
	}
}

// sqlCheck compiles expect.sql. A constant SQL is parsed now, so a syntax
// error is found before any request; one that refers to answers is parsed
// when they are known.
func sqlCheck(cfg *spec.Config, scope *spec.Scope, q *spec.Question) (*Check, hcl.Diagnostics) {
	expr, mode := q.Expect.SQL, q.Expect.Match
	c := &Check{Name: "expect.sql", Range: expr.Range(), Sensitive: cfg.Sensitive(expr)}
	v, diags := scope.Eval(q, expr, nil)
	if diags.HasErrors() {
		return nil, diags
	}
	var want string
	var wantLines []string
	if v.IsWhollyKnown() {
		var err error
		if want, wantLines, err = sqlValue(v); err != nil {
			// spec reports syntax errors in constant SQL with the exact
			// position; this catches SQL built from variables or locals.
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid expected SQL",
				Detail:   fmt.Sprintf("TiDB's parser cannot read this SQL: %v.", err),
				Subject:  expr.Range().Ptr(),
			}}
		}
		c.Expected = wantLines
	} else {
		c.After = spec.KnownAfter(q, expr)
	}
	c.eval = func(e *env) CheckResult {
		want, wantLines := want, wantLines
		if want == "" {
			v, err := e.eval(expr)
			if err == nil {
				want, wantLines, err = sqlValue(v)
			}
			if err != nil {
				return CheckResult{Status: Error, Message: "evaluating the expected SQL: " + err.Error()}
			}
		}
		got := answerSQL(e.answer)
		gotLines, err := sqlmatch.Layout(got)
		if err != nil {
			return CheckResult{
				Status:   Fail,
				Message:  fmt.Sprintf("the answer's SQL cannot be parsed: %v", err),
				Expected: wantLines,
				Actual:   []string{got},
			}
		}
		if equal, err := sameSQL(mode, want, got); err != nil {
			return CheckResult{Status: Error, Message: err.Error()}
		} else if equal {
			return CheckResult{Status: Pass}
		}
		msg := fmt.Sprintf("the answer's SQL differs from the expected SQL (match = %q)", mode)
		if sum, _ := sqlmatch.Summary(want, got); sum != "" && !c.Sensitive {
			msg += ": " + sum
		}
		return CheckResult{Status: Fail, Message: msg, Expected: wantLines, Actual: gotLines}
	}
	return c, nil
}

// sameSQL compares two statements under a match mode of expect.
func sameSQL(mode, want, got string) (bool, error) {
	switch mode {
	case spec.MatchExact:
		return strings.TrimSpace(want) == strings.TrimSpace(got), nil
	case spec.MatchFingerprint:
		fw, err := sqlmatch.Fingerprint(want)
		if err != nil {
			return false, err
		}
		fg, err := sqlmatch.Fingerprint(got)
		return fw == fg, err
	case spec.MatchComponents:
		equal, _, err := sqlmatch.Components(want, got)
		return equal, err
	}
	return sqlmatch.Equal(want, got)
}

// sqlValue returns a SQL string value and its canonical layout, checking
// that TiDB's parser reads it.
func sqlValue(v cty.Value) (string, []string, error) {
	if v.IsNull() || v.Type() != cty.String {
		return "", nil, fmt.Errorf("want a string, got %s", v.Type().FriendlyName())
	}
	lines, err := sqlmatch.Layout(v.AsString())
	return v.AsString(), lines, err
}

// valueCheck compiles one of expect's other attributes: expr, evaluated
// with self, is handed to verdict with the answer.
func valueCheck(name string, expr hcl.Expression, ty cty.Type, verdict func(want cty.Value, e *env) CheckResult) *Check {
	return &Check{
		Name:  "expect." + name,
		Range: expr.Range(),
		eval: func(e *env) CheckResult {
			v, err := e.eval(expr)
			if err == nil {
				v, err = convert.Convert(v, ty)
			}
			if err == nil && (v.IsNull() || !v.IsWhollyKnown()) {
				err = fmt.Errorf("the value is not known")
			}
			if err != nil {
				return CheckResult{Status: Error, Message: fmt.Sprintf("evaluating expect.%s: %v", name, err)}
			}
			return verdict(v, e)
		},
	}
}

// expectChecks compiles the checks of an expect block other than sql.
func expectChecks(x *spec.Expect) []*Check {
	var checks []*Check
	add := func(name string, expr hcl.Expression, ty cty.Type, verdict func(cty.Value, *env) CheckResult) {
		if expr != nil {
			checks = append(checks, valueCheck(name, expr, ty, verdict))
		}
	}
	strs := func(v cty.Value) []string {
		var out []string
		for _, s := range v.AsValueSlice() {
			out = append(out, s.AsString())
		}
		return out
	}
	add("sql_contains", x.SQLContains, cty.List(cty.String), func(v cty.Value, e *env) CheckResult {
		sql := strings.ToLower(answerSQL(e.answer))
		var missing []string
		for _, s := range strs(v) {
			if !strings.Contains(sql, strings.ToLower(s)) {
				missing = append(missing, strconv.Quote(s))
			}
		}
		if len(missing) > 0 {
			return CheckResult{Status: Fail, Message: "the answer's SQL does not contain " + strings.Join(missing, ", ")}
		}
		return CheckResult{Status: Pass}
	})
	add("sql_matches", x.SQLMatches, cty.String, func(v cty.Value, e *env) CheckResult {
		re, err := regexp.Compile(v.AsString())
		if err != nil {
			return CheckResult{Status: Error, Message: "sql_matches: " + err.Error()}
		}
		if !re.MatchString(answerSQL(e.answer)) {
			return CheckResult{Status: Fail, Message: fmt.Sprintf("the answer's SQL does not match /%s/", v.AsString())}
		}
		return CheckResult{Status: Pass}
	})
	add("tables", x.Tables, cty.List(cty.String), func(v cty.Value, e *env) CheckResult {
		got, err := sqlmatch.Tables(answerSQL(e.answer))
		if err != nil {
			return CheckResult{Status: Fail, Message: "the answer's SQL cannot be parsed: " + err.Error()}
		}
		want := strs(v)
		for i := range want {
			want[i] = strings.ToLower(want[i])
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if !slices.Equal(want, got) {
			return CheckResult{Status: Fail, Message: fmt.Sprintf("the answer's SQL reads %s, want %s", listText(got), listText(want))}
		}
		return CheckResult{Status: Pass}
	})
	add("read_only", x.ReadOnly, cty.Bool, func(v cty.Value, e *env) CheckResult {
		ro, err := sqlmatch.ReadOnly(answerSQL(e.answer))
		if err != nil {
			return CheckResult{Status: Fail, Message: "the answer's SQL cannot be parsed: " + err.Error()}
		}
		if ro != v.True() {
			if ro {
				return CheckResult{Status: Fail, Message: "the answer's SQL only reads, want a statement that writes"}
			}
			return CheckResult{Status: Fail, Message: "the answer's SQL is not read-only"}
		}
		return CheckResult{Status: Pass}
	})
	add("columns", x.Columns, cty.List(cty.String), func(v cty.Value, e *env) CheckResult {
		want := strs(v)
		got := e.self.Columns
		if !sameSet(want, got) {
			return CheckResult{Status: Fail, Message: fmt.Sprintf("the answer's columns are %s, want %s (in any order)", listText(got), listText(want))}
		}
		return CheckResult{Status: Pass}
	})
	add("row_count", x.RowCount, cty.Number, func(v cty.Value, e *env) CheckResult {
		want, _ := v.AsBigFloat().Int64()
		if got := int64(len(e.self.Rows)); got != want {
			return CheckResult{Status: Fail, Message: fmt.Sprintf("the answer has %d rows, want %d", got, want)}
		}
		return CheckResult{Status: Pass}
	})
	return checks
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
				return CheckResult{Status: Pass}
			}
			return CheckResult{Status: Fail, Message: msg}
		},
	}
}

// answerSQL is the SQL an answer stands for: its own, or for a breakdown
// answer, the last sub-task's (the step that answers the whole question).
func answerSQL(a *chat2query.Answer) string {
	for a.SQL == "" && len(a.SubTasks) > 0 {
		a = &a.SubTasks[len(a.SubTasks)-1]
	}
	return a.SQL
}

// answerData is the result set an answer stands for, chosen as answerSQL is.
func answerData(a *chat2query.Answer) *chat2query.Data {
	for a.SQL == "" && len(a.SubTasks) > 0 {
		a = &a.SubTasks[len(a.SubTasks)-1]
	}
	return a.Data
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
