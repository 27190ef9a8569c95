package sqldb

import (
	"errors"

	"github.com/c2q/c2q/spec/sqlmatch"
)

// ErrReadOnly is wrapped by the error of a statement that the Chat2Query "SQL ReadOnly" role
// may not execute.
var ErrReadOnly = errors.New("the Chat2Query SQL ReadOnly role may only execute SELECT, WITH, SHOW, DESCRIBE and EXPLAIN statements")

// readOnlyError is a statement refused by the read-only guard; it wraps both the guard's
// *sqlmatch.RefusedError (which names what was refused) and ErrReadOnly.
type readOnlyError struct{ err error }

func (e *readOnlyError) Error() string {
	var re *sqlmatch.RefusedError
	if errors.As(e.err, &re) && re.Parse != nil {
		return e.err.Error() // a syntax error; the role's rule would only distract
	}
	return e.err.Error() + "; " + ErrReadOnly.Error()
}

func (e *readOnlyError) Unwrap() []error { return []error{e.err, ErrReadOnly} }

// checkReadOnly passes query through sqlmatch.CheckReadOnly, c2q's one read-only guard (an
// allow-list over TiDB's AST), before the engine sees it. Text that TiDB's parser cannot read
// is refused too: it cannot be checked, and TiDB Cloud would not run it either. The engine is
// also switched to read-only mode, as a second line of defence.
func checkReadOnly(query string) error {
	if err := sqlmatch.CheckReadOnly(query); err != nil {
		return &readOnlyError{err: err}
	}
	return nil
}
