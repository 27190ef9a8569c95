package runner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/runner/verify"
)

func TestCompareSQL(t *testing.T) {
	cmp, err := CompareSQL("canonical", "SELECT a FROM t LIMIT 5", "select `a` from `T` limit 0, 5")
	if err != nil || !cmp.Equal || cmp.Layouts[0] != nil {
		t.Errorf("equal statements: %+v, %v", cmp, err)
	}
	cmp, err = CompareSQL("canonical", "SELECT a FROM t ORDER BY a DESC", "SELECT a FROM t ORDER BY a")
	if err != nil || cmp.Equal || cmp.Layouts[0] == nil || !strings.Contains(cmp.Summary, "ORDER BY") {
		t.Errorf("different statements: %+v, %v", cmp, err)
	}
	if _, err := CompareSQL("canonical", "SELEC a", "SELECT a"); err == nil {
		t.Error("a statement that does not parse: no error")
	}
	if _, err := CompareSQL("nope", "SELECT a", "SELECT a"); err == nil {
		t.Error("an unknown mode: no error")
	}
}

// tableQuerier answers each statement with its table, or fails on "bad".
type tableQuerier map[string]resultset.Table

func (q tableQuerier) Query(_ context.Context, _, query string) (resultset.Table, error) {
	if t, ok := q[query]; ok {
		return t, nil
	}
	return resultset.Table{}, errors.New("no such table")
}

func TestCompareResults(t *testing.T) {
	rows := func(r ...any) resultset.Table {
		t := resultset.Table{Columns: []string{"a"}}
		for _, v := range r {
			t.Rows = append(t.Rows, []any{v})
		}
		return t
	}
	var q verify.Querier = tableQuerier{
		"SELECT a FROM t":            rows(1, 2),
		"SELECT a FROM t ORDER BY a": rows(1, 2),
		"SELECT a FROM u":            rows(2, 1),
	}
	ctx := context.Background()
	if v, err := CompareResults(ctx, q, "", "SELECT a FROM t", "SELECT a FROM u"); err != nil || !v.Equal {
		t.Errorf("no ORDER BY, same bag: %+v, %v", v, err)
	}
	if v, err := CompareResults(ctx, q, "", "SELECT a FROM t ORDER BY a", "SELECT a FROM u"); err != nil || v.Equal {
		t.Errorf("A orders, B's order differs: %+v, %v", v, err)
	}
	_, err := CompareResults(ctx, q, "", "SELECT a FROM t", "SELECT nope")
	var se *StatementError
	if !errors.As(err, &se) || se.Which != 'B' || !strings.Contains(err.Error(), "running B: no such table") {
		t.Errorf("B fails: %v", err)
	}
}
