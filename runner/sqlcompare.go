package runner

import (
	"context"
	"fmt"

	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/runner/verify"
	"github.com/c2q/c2q/spec/sqlmatch"
)

// SQLComparison is what c2q sql compare says of two statements under a
// match mode other than "result".
type SQLComparison struct {
	Mode  string
	Equal bool
	// Layouts are both statements' canonical forms a clause a line, for a
	// diff; nil when either cannot be laid out.
	Layouts [2][]string
	// Summary is one line saying which clauses differ ("" when equal or
	// unknown).
	Summary string
}

// CompareSQL compares a (expected) with b (actual) as an expect block's
// sql = a with match = mode does; the error is a statement that cannot be
// parsed or an unknown mode.
func CompareSQL(mode, a, b string) (*SQLComparison, error) {
	equal, err := SameSQL(mode, a, b)
	if err != nil {
		return nil, err
	}
	cmp := &SQLComparison{Mode: mode, Equal: equal}
	if equal {
		return cmp, nil
	}
	la, errA := sqlmatch.Layout(a)
	lb, errB := sqlmatch.Layout(b)
	if errA == nil && errB == nil {
		cmp.Layouts = [2][]string{la, lb}
	}
	if sum, err := sqlmatch.Summary(a, b); err == nil {
		cmp.Summary = sum
	}
	return cmp, nil
}

// StatementError is a statement of CompareResults that could not run.
type StatementError struct {
	Which byte // 'A' or 'B'
	Err   error
}

func (e *StatementError) Error() string { return fmt.Sprintf("running %c: %v", e.Which, e.Err) }
func (e *StatementError) Unwrap() error { return e.Err }

// CompareResults runs a (expected) and b on q in database and compares
// their results as match = "result" does: order matters only when a has an
// ORDER BY. A statement that fails to run is a *StatementError.
func CompareResults(ctx context.Context, q verify.Querier, database, a, b string) (resultset.Verdict, error) {
	ordered, err := OrderMatters(a)
	if err != nil {
		return resultset.Verdict{}, err
	}
	var tables [2]resultset.Table
	for i, stmt := range []string{a, b} {
		if tables[i], err = q.Query(ctx, database, stmt); err != nil {
			return resultset.Verdict{}, &StatementError{Which: byte('A' + i), Err: err}
		}
	}
	return resultset.Compare(tables[0], tables[1], resultset.Rules{Ordered: ordered}), nil
}
