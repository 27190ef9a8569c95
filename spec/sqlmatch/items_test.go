package sqlmatch

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOrderBy(t *testing.T) {
	for _, tc := range []struct {
		item string
		want OrderItem
	}{
		{"market_cap DESC", OrderItem{Expr: "`market_cap`", Desc: true}},
		{"market_cap desc", OrderItem{Expr: "`market_cap`", Desc: true}},
		{"`Market_Cap` DESC", OrderItem{Expr: "`market_cap`", Desc: true}},
		{"market_cap ASC", OrderItem{Expr: "`market_cap`"}},
		{"market_cap", OrderItem{Expr: "`market_cap`"}},
		{"symbol", OrderItem{Expr: "`symbol`"}},
		{"`c`.`name`", OrderItem{Expr: "`c`.`name`"}},
		{"C.Name", OrderItem{Expr: "`c`.`name`"}},
		{"SUM(x) desc", OrderItem{Expr: "SUM(`x`)", Desc: true}},
		{"sum( X )  DESC", OrderItem{Expr: "SUM(`x`)", Desc: true}},
		{"count(1)", OrderItem{Expr: "COUNT(*)"}},
		{"(a + b) * 2", OrderItem{Expr: "(`a` + `b`) * 2"}},
		{"((a))", OrderItem{Expr: "`a`"}},
		{"1", OrderItem{Expr: "1"}},     // a position
		{"(1)", OrderItem{Expr: "(1)"}}, // a constant
		{"name = \"x\"", OrderItem{Expr: "`name` = 'x'"}},
		{"a -- the first column\n", OrderItem{Expr: "`a`"}},
		{"a;", OrderItem{Expr: "`a`"}},
	} {
		got, err := OrderBy([]string{tc.item})
		if err != nil {
			t.Errorf("OrderBy(%q): %v", tc.item, err)
			continue
		}
		if diff := cmp.Diff([]OrderItem{tc.want}, got); diff != "" {
			t.Errorf("OrderBy(%q) (-want +got):\n%s", tc.item, diff)
		}
	}

	// As Explain prints the same ORDER BY.
	items := []string{"market_cap DESC", "symbol", "SUM(x) desc", "COUNT(1)"}
	got, err := OrderBy(items)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Explain("SELECT symbol FROM companies GROUP BY symbol ORDER BY " + strings.Join(items, ", "))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st.OrderBy, got); diff != "" {
		t.Errorf("OrderBy differs from Explain (-explain +OrderBy):\n%s", diff)
	}
	if got, err := OrderBy(nil); err != nil || len(got) != 0 {
		t.Errorf("OrderBy(nil) = %v, %v", got, err)
	}
}

func TestExprs(t *testing.T) {
	items := []string{"sector", "`Sector`", "c.Sector", "YEAR(d)", "(1)", "COUNT(0)", "a->'$.x'", "CASE WHEN a THEN 1 END"}
	want := []string{"`sector`", "`sector`", "`c`.`sector`", "YEAR(`d`)", "(1)", "COUNT(*)", "JSON_EXTRACT(`a`, '$.x')", "CASE WHEN `a` THEN 1 END"}
	got, err := Exprs(items)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Exprs (-want +got):\n%s", diff)
	}
	st, err := Explain("SELECT 1 FROM t GROUP BY " + strings.Join(items, ", "))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st.GroupBy, got); diff != "" {
		t.Errorf("Exprs differs from Explain (-explain +Exprs):\n%s", diff)
	}
}

func TestItemErrors(t *testing.T) {
	for _, tc := range []struct {
		item string
		want ParseError // Line 0: an error that is not a *ParseError
		// exprOnly: OrderBy accepts the item, Exprs does not.
		exprOnly bool
	}{
		{"a, b", ParseError{Line: 1, Column: 1, Msg: "2 items in one: give one list element per item", Near: "a, b"}, false},
		{"market_cap DESC, symbol", ParseError{Line: 1, Column: 1, Msg: "2 items in one: give one list element per item", Near: "market_cap DESC, symbol"}, false},
		{"a LIMIT 5", ParseError{Line: 1, Column: 1, Msg: "unexpected text after the item", Near: "a LIMIT 5"}, false},
		{"a FOR UPDATE", ParseError{Line: 1, Column: 1, Msg: "unexpected text after the item", Near: "a FOR UPDATE"}, false},
		{"", ParseError{Line: 1, Column: 1, Msg: "empty item"}, false},
		{" \n", ParseError{Line: 1, Column: 1, Msg: "empty item"}, false},
		{"a b", ParseError{Line: 1, Column: 3, Msg: "syntax error", Near: "b"}, false},
		{"a DESC DESC", ParseError{Line: 1, Column: 8, Msg: "syntax error", Near: "DESC"}, false},
		{"SUM(x", ParseError{Line: 1, Column: 6, Msg: "syntax error"}, false},
		{"a\n+", ParseError{Line: 2, Column: 2, Msg: "syntax error"}, false},
		{"a; DROP TABLE t", ParseError{Line: 1, Column: 4, Msg: "expected one statement, found 2", Near: "DROP TABLE t"}, false},
		{"SELECT a", ParseError{Line: 1, Column: 1, Msg: "syntax error", Near: "SELECT a"}, false},
		{"count ()", ParseError{}, false},
		{"a DESC", ParseError{Line: 1, Column: 1, Msg: "ASC or DESC is not part of an expression", Near: "a DESC"}, true},
		{"a asc", ParseError{Line: 1, Column: 1, Msg: "ASC or DESC is not part of an expression", Near: "a asc"}, true},
	} {
		_, oerr := OrderBy([]string{"ok", tc.item})
		_, eerr := Exprs([]string{"ok", tc.item})
		errs := []error{oerr, eerr}
		if tc.exprOnly {
			if oerr != nil {
				t.Errorf("OrderBy(%q): %v", tc.item, oerr)
			}
			errs = errs[1:]
		}
		for _, err := range errs {
			if err == nil {
				t.Errorf("%q: no error", tc.item)
				continue
			}
			if !strings.HasPrefix(err.Error(), "item 2 ") {
				t.Errorf("%q: error %q does not name item 2", tc.item, err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				if tc.want.Line != 0 {
					t.Errorf("%q: error %v is not a *ParseError", tc.item, err)
				}
				continue
			}
			if *pe != tc.want {
				t.Errorf("%q: error %+v, want %+v", tc.item, *pe, tc.want)
			}
		}
	}
}

func TestSameExpr(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		same      bool
	}{
		{"`sector`", "`sector`", true},
		{"`sector`", "`c`.`sector`", true},
		{"`sector`", "`db`.`c`.`sector`", true},
		{"SUM(`cap`)", "SUM(`c`.`cap`)", true},
		{"`a` + `b`", "`x`.`a` + `y`.`b`", true},
		{"`c`.`sector`", "`c`.`sector`", true},
		{"`c`.`sector`", "`sector`", false}, // want's qualifier is meant
		{"`c`.`sector`", "`d`.`sector`", false},
		{"`a` + `d`.`b`", "`c`.`a` + `d`.`b`", false}, // qualifiers go all or none
		{"`sector`", "`c`.`industry`", false},
		{"`sector`", "`sector` + 1", false},
		{"SUM(`cap`)", "AVG(`c`.`cap`)", false},
		{"'c.sector'", "`c`.`sector`", false},
		{"COUNT(*)", "COUNT(*)", true},
		{"(1)", "1", false},
		{"not sql (", "`a`", false},
	} {
		if got := SameExpr(tc.want, tc.got); got != tc.same {
			t.Errorf("SameExpr(%s, %s) = %v, want %v", tc.want, tc.got, got, tc.same)
		}
	}
	// What Exprs prints stands for what Explain prints of the same text.
	want, err := Exprs([]string{"Sector", "YEAR(d)"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := Explain("SELECT c.sector FROM companies c GROUP BY c.Sector, YEAR(c.d)")
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if !SameExpr(w, st.GroupBy[i]) {
			t.Errorf("SameExpr(%s, %s) = false", w, st.GroupBy[i])
		}
	}
}
