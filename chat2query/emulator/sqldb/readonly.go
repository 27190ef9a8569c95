package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dolthub/vitess/go/vt/sqlparser"
)

// ErrReadOnly is wrapped by the error of a statement that the Chat2Query "SQL ReadOnly" role
// may not execute.
var ErrReadOnly = errors.New("the Chat2Query SQL ReadOnly role may only execute SELECT, WITH, SHOW, DESCRIBE and EXPLAIN statements")

// readOnlyError names the refused statement.
type readOnlyError struct{ what string }

func (e *readOnlyError) Error() string { return fmt.Sprintf("%s refused: %v", e.what, ErrReadOnly) }
func (e *readOnlyError) Unwrap() error { return ErrReadOnly }

// checkReadOnly parses query and refuses anything but one read-only statement. A syntax error
// is left to the engine, which reports it with its own message; the engine itself is also
// switched to read-only mode, so this check is the clear message, not the only guard.
func checkReadOnly(ctx context.Context, query string) error {
	stmt, next, err := sqlparser.ParseOne(ctx, query)
	if err != nil {
		return nil
	}
	if rest := strings.TrimSpace(strings.TrimLeft(query[min(next, len(query)):], "; \t\r\n")); rest != "" {
		return &readOnlyError{what: "a query with several statements"}
	}
	if what := refusal(stmt); what != "" {
		return &readOnlyError{what: what}
	}
	return nil
}

// refusal returns a description of what makes stmt not read-only, or "".
func refusal(stmt sqlparser.Statement) string {
	switch s := stmt.(type) {
	case *sqlparser.Select, *sqlparser.SetOp, *sqlparser.ParenSelect, *sqlparser.Show:
	case *sqlparser.Explain:
		if what := refusal(s.Statement); what != "" {
			return "EXPLAIN of " + what
		}
	default:
		return statementKind(stmt)
	}
	what := ""
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		switch n := node.(type) {
		case *sqlparser.Select:
			if n.Into != nil {
				what = "SELECT ... INTO"
			}
		case *sqlparser.SetOp:
			if n.Into != nil {
				what = "SELECT ... INTO"
			}
		case *sqlparser.Into:
			if n != nil {
				what = "SELECT ... INTO"
			}
		case *sqlparser.FuncExpr:
			if n.Name.Lowered() == "load_file" {
				what = "LOAD_FILE"
			}
		}
		return what == "", nil
	}, stmt)
	return what
}

// statementKind names a statement for the refusal message: its first keyword.
func statementKind(stmt sqlparser.Statement) string {
	text := strings.TrimSpace(sqlparser.String(stmt))
	if i := strings.IndexAny(text, " \t\n("); i > 0 {
		text = text[:i]
	}
	if text == "" {
		return "the statement"
	}
	return strings.ToUpper(text) + " statement"
}

// splitPieces splits a script into statements at top-level semicolons.
func splitPieces(src string) ([]string, error) { return sqlparser.SplitStatementToPieces(src) }
