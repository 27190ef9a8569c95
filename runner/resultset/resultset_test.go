package resultset

import (
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
)

// tab builds a Table: cols is a comma-separated list of names, "" for positional rows.
func tab(cols string, rows ...[]any) Table {
	t := Table{Rows: rows}
	if cols != "" {
		t.Columns = strings.Split(cols, ",")
	}
	return t
}

func r(v ...any) []any { return v }

type compareCase struct {
	name      string
	want, got Table
	rules     Rules
	equal     bool
	reason    string // exact
	rule      string // substring of Rule, when set
}

func runCases(t *testing.T, cases []compareCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := Compare(tc.want, tc.got, tc.rules)
			if v.Equal != tc.equal || v.Reason != tc.reason {
				t.Errorf("Compare = %v, %q; want %v, %q\ndiff:\n%s", v.Equal, v.Reason, tc.equal, tc.reason, strings.Join(v.Diff, "\n"))
			}
			if !strings.Contains(v.Rule, tc.rule) {
				t.Errorf("Rule = %q, want it to contain %q", v.Rule, tc.rule)
			}
			if v.Equal != (len(v.Diff) == 0) {
				t.Errorf("Equal = %v with %d diff lines:\n%s", v.Equal, len(v.Diff), strings.Join(v.Diff, "\n"))
			}
		})
	}
}

func TestOrder(t *testing.T) {
	abc := tab("x", r("a"), r("b"), r("c"))
	cab := tab("x", r("c"), r("a"), r("b"))
	runCases(t, []compareCase{
		{"unordered ignores order", abc, cab, Rules{}, true, "same 3 rows (unordered)", "rows as a bag (order ignored)"},
		{"ordered same", abc, abc, Rules{Ordered: true}, true, "same 3 rows in order", "rows in order"},
		{"ordered other order", abc, cab, Rules{Ordered: true}, false, "same rows in a different order: row 1 differs first", ""},
		{"ordered swap late", abc, tab("x", r("a"), r("c"), r("b")), Rules{Ordered: true}, false, "same rows in a different order: row 2 differs first", ""},
		{"ordered one missing", abc, tab("x", r("a"), r("c")), Rules{Ordered: true}, false, "1 of 3 expected rows is missing", ""},
		{"ordered missing and moved", tab("x", r("a"), r("b"), r("c"), r("d")), tab("x", r("d"), r("a"), r("b")), Rules{Ordered: true}, false,
			"1 of 4 expected rows is missing; other rows are out of order", ""},
		{"ordered extra", abc, tab("x", r("a"), r("b"), r("c"), r("d")), Rules{Ordered: true}, false, "the answer has 1 extra row (4 rows, want 3)", ""},
		{"both empty", tab("x"), tab("y"), Rules{Ordered: true}, true, "same 0 rows in order", ""},
		{"want empty", tab("x"), abc, Rules{}, false, "the answer has 3 extra rows (3 rows, want 0)", ""},
		{"positional empty want", Table{}, tab("x,y"), Rules{}, true, "same 0 rows (unordered)", ""},
	})
}

func TestDuplicates(t *testing.T) {
	runCases(t, []compareCase{
		{"aab vs abb", tab("x", r("a"), r("a"), r("b")), tab("x", r("a"), r("b"), r("b")), Rules{}, false,
			"1 of 3 expected rows is missing and 1 row is extra", ""},
		{"aa vs a", tab("x", r("a"), r("a")), tab("x", r("a")), Rules{}, false, "1 of 2 expected rows is missing", ""},
		{"a vs aa", tab("x", r("a")), tab("x", r("a"), r("a")), Rules{}, false, "the answer has 1 extra row (2 rows, want 1)", ""},
		{"aab vs aba", tab("x", r("a"), r("a"), r("b")), tab("x", r("a"), r("b"), r("a")), Rules{}, true, "same 3 rows (unordered)", ""},
		{"duplicates with tolerance", tab("x", r(1.0), r(1.0)), tab("x", r(1.001), r(5.0)), Rules{Abs: 0.01}, false,
			"1 of 2 expected rows is missing and 1 row is extra", ""},
	})
}

func TestNulls(t *testing.T) {
	one := func(v any) Table { return tab("x", r(v)) }
	runCases(t, []compareCase{
		{"NULL = NULL", one(nil), one(nil), Rules{}, true, "same 1 row (unordered)", ""},
		{"NULL = nil *big.Float", one(nil), one((*big.Float)(nil)), Rules{}, true, "same 1 row (unordered)", ""},
		{"NULL != empty", one(nil), one(""), Rules{}, false, "1 of 1 expected rows is missing and 1 row is extra", ""},
		{"NULL != NULL string", one(nil), one("NULL"), Rules{}, false, "1 of 1 expected rows is missing and 1 row is extra", ""},
		{"NULL != 0", one(nil), one(int64(0)), Rules{}, false, "1 of 1 expected rows is missing and 1 row is extra", ""},
		{"NULL != 0 with tolerance", one(nil), one(0.0), Rules{Abs: 1}, false, "1 of 1 expected rows is missing and 1 row is extra", ""},
		{"NULL != empty, ordered with tolerance", one(nil), one(""), Rules{Ordered: true, Abs: 1}, false, "1 of 1 expected rows is missing and 1 row is extra", ""},
		{"empty != NULL string", one(""), one("NULL"), Rules{}, false, "1 of 1 expected rows is missing and 1 row is extra", ""},
		{"NULL in a row", tab("x,y", r(nil, "a"), r("b", nil)), tab("x,y", r("b", nil), r(nil, "a")), Rules{}, true, "same 2 rows (unordered)", ""},
	})
}

func TestNumbers(t *testing.T) {
	same := func(name string, a, b any, rules Rules) compareCase {
		return compareCase{name, tab("x", r(a)), tab("x", r(b)), rules, true, "same 1 row (unordered)", ""}
	}
	differ := func(name string, a, b any, rules Rules) compareCase {
		return compareCase{name, tab("x", r(a)), tab("x", r(b)), rules, false, "1 of 1 expected rows is missing and 1 row is extra", ""}
	}
	exact := Rules{}
	tenth := 0.1
	point3 := tenth + 0.2 // 0.30000000000000004
	runCases(t, []compareCase{
		same("decimal string vs float", "3000.50", 3000.5, exact),
		same("decimal string vs json.Number", "3000.50", json.Number("3000.5"), exact),
		same("decimal string vs big.Float", "3000.50", big.NewFloat(3000.5), exact),
		same("int vs decimal string", int64(3000), "3000.000", exact),
		same("exponent", "-1e3", int64(-1000), exact),
		same("capital exponent", "1.5E+3", 1500.0, exact),
		same("leading point", ".5", 0.5, exact),
		same("trailing point", "5.", int64(5), exact),
		same("plus sign", "+7", int64(7), exact),
		same("zeros", "-0.000", 0.0, exact),
		same("float shortest form", 0.1, "0.1", exact),
		same("two strings", "1.50", "1.5", exact),
		same("long decimals exact", "123456789012345678901234567890.5", "123456789012345678901234567890.50", exact),
		differ("long decimals differ", "123456789012345678901234567890.5", "123456789012345678901234567890.6", exact),
		differ("float sum is not 0.3", point3, "0.3", exact),
		same("float sum within abs", point3, "0.3", Rules{Abs: 1e-9}),
		differ("exact means exact", "1.0000000001", 1.0, exact),
		differ("thousands separator is a string", "1,000", int64(1000), exact),
		differ("space makes a string", " 1", int64(1), exact),
		differ("hex is a string", "0x10", int64(16), exact),
		same("NaN", math.NaN(), "NaN", exact),
		same("Inf", math.Inf(1), "+Inf", exact),
		differ("NaN is not a number", math.NaN(), 0.0, Rules{Abs: math.Inf(1)}),
		same("infinite tolerance", int64(-5), "1e300", Rules{Abs: math.Inf(1)}),
		differ("Inf with tolerance", math.Inf(1), 1e308, Rules{Rel: 1}),
		same("huge exponent as string", "1e99999999999", "1e99999999999", exact),
		same("huge exponents equal", "1e999999", "10e999998", exact),
		differ("huge exponents differ", "1e999999", "2e999999", Rules{Rel: 0.9}),

		// abs tolerance, at and beyond the bound
		same("abs at bound", "1.00", 1.01, Rules{Abs: 0.01}),
		same("abs at bound negative", -1.01, "-1", Rules{Abs: 0.01}),
		differ("abs beyond bound", "1.00", 1.0100001, Rules{Abs: 0.01}),
		same("abs within", int64(100), 100.004, Rules{Abs: 0.005}),
		// rel tolerance: |a-b| <= rel*max(|a|,|b|)
		same("rel at bound", int64(99), int64(100), Rules{Rel: 0.01}),
		differ("rel beyond bound", "98.99", int64(100), Rules{Rel: 0.01}),
		same("rel uses the larger", int64(100), int64(101), Rules{Rel: 0.01}),
		same("abs or rel: abs", "0", "0.001", Rules{Abs: 0.001, Rel: 1e-6}),
		same("abs or rel: rel", "1000000", "1000001", Rules{Abs: 0.001, Rel: 1e-6}),
		differ("abs or rel: neither", "1000000", "1000002", Rules{Abs: 0.001, Rel: 1e-6}),
		differ("tolerance ignores strings", "abc", "abd", Rules{Abs: 100}),
		differ("negative tolerance is exact", "1", "1.0001", Rules{Abs: -1}),
		differ("tiny difference below float precision", "0.1", "0.10000000000000000001", Rules{Rel: 1e-30}),
		same("tiny difference within rel", "0.1", "0.10000000000000000001", Rules{Rel: 1e-18}),

		// bool is 1 or 0
		same("true is 1", true, int64(1), exact),
		same("true is \"1\"", true, "1", exact),
		same("false is 0.0", false, "0.0", exact),
		differ("true is not 2", true, int64(2), exact),
		differ("true is not \"true\"", true, "true", exact),
		differ("false is not NULL", false, nil, exact),

		// strings
		differ("case-sensitive", "abc", "ABC", exact),
		differ("not trimmed", "abc", "abc ", exact),
		same("dates are strings", "2024-01-31", "2024-01-31", exact),
		differ("dates compare as written", "2024-01-31", "2024-01-31 00:00:00", exact),
	})
	runCases(t, []compareCase{
		{"tolerance pairs exact first", tab("x", r(1.0), r(1.005)), tab("x", r(1.004), r(1.0)), Rules{Abs: 0.01}, true, "same 2 rows (unordered)", "numbers within abs 0.01"},
		{"tolerance pairs within strings", tab("n,x", r("a", 1.0), r("b", 2.0)), tab("n,x", r("b", 2.001), r("a", 0.999)), Rules{Abs: 0.01}, true, "same 2 rows (unordered)", ""},
		{"tolerance ordered", tab("x", r(1.0), r(2.0)), tab("x", r(1.001), r(1.999)), Rules{Ordered: true, Rel: 0.01}, true, "same 2 rows in order", "numbers within rel 0.01"},
		{"rule names both", tab("x", r(1)), tab("x", r(1)), Rules{Abs: 0.01, Rel: 1e-6}, true, "same 1 row (unordered)", "numbers within abs 0.01 or rel 1e-06"},
	})
}

func TestColumns(t *testing.T) {
	runCases(t, []compareCase{
		{"by name, other order", tab("a,b", r(1, "x"), r(2, "y")), tab("B,A", r("x", 1), r("y", 2)), Rules{ByName: true}, true,
			"same 2 rows (unordered)", "columns by name"},
		{"by name, trimmed", tab("name", r("x")), tab(" Name ", r("x")), Rules{ByName: true}, true, "same 1 row (unordered)", "columns by name"},
		{"by name, duplicates in order", tab("id,id", r(1, 2)), tab("ID,id", r(1, 2)), Rules{ByName: true}, true, "same 1 row (unordered)", ""},
		{"by name, missing and extra", tab("company,sector", r("x", "y")), tab("company,industry", r("x", "y")), Rules{ByName: true}, false,
			`columns differ: missing "sector", extra "industry"`, "columns by name"},
		{"by name, extra only", tab("a", r(1)), tab("a,b", r(1, 2)), Rules{ByName: true, Contains: true}, false, `columns differ: extra "b"`, ""},
		{"by name, names required", Table{Rows: [][]any{{1, 2}}}, tab("b,a", r(1, 2)), Rules{ByName: true}, true, "same 1 row (unordered)",
			"columns by position (no column names to match)"},
		{"by name, no search by value", tab("a,b", r(1, 2)), Table{Rows: [][]any{{2, 1}}}, Rules{ByName: true}, false,
			"1 of 1 expected rows is missing and 1 row is extra", ""},
		{"by name values differ", tab("a,b", r(1, "x")), tab("b,a", r("x", 2)), Rules{ByName: true}, false,
			"1 of 1 expected rows is missing and 1 row is extra", "columns by name"},

		{"positional", tab("a,b", r(1, 2)), tab("x,y", r(1, 2)), Rules{}, true, "same 1 row (unordered)", "columns by position"},
		{"names after positions", tab("a,b", r(1, "x")), tab("b,a", r("x", 1)), Rules{}, true,
			"same 1 row (unordered) with columns matched by name", "columns by name (in another order)"},
		{"names only when sets equal", tab("a,b", r(1, 2), r(3, 4)), tab("b,c", r(2, 1), r(4, 3)), Rules{Ordered: true}, true,
			"same 2 rows in order with columns reordered", "columns matched by value: want 1→got 2, want 2→got 1"},
		{"by value, positional want", Table{Rows: [][]any{{"x", 1, true}}}, tab("n,b,s", r(1, "1", "x")), Rules{}, true,
			"same 1 row (unordered) with columns reordered", "columns matched by value: want 1→got 3, want 2→got 1, want 3→got 2"},
		// every column holds {1,2,3}: pruning leaves every candidate and only the swap matches.
		{"by value, backtracking", tab("a,b", r(1, 2), r(2, 3), r(3, 1)), tab("x,y", r(2, 1), r(3, 2), r(1, 3)), Rules{}, true,
			"same 3 rows (unordered) with columns reordered", "want 1→got 2, want 2→got 1"},
		{"by value, none fits", tab("a,b", r(1, 2)), tab("x,y", r(2, 3)), Rules{}, false,
			"1 of 1 expected rows is missing and 1 row is extra", "columns by position"},
		{"by value with tolerance", tab("a,b", r("x", 1.0)), tab("x,y", r(1.001, "x")), Rules{Abs: 0.01}, true,
			"same 1 row (unordered) with columns reordered", "want 1→got 2"},
		{"by value with contains", tab("a,b", r("x", 1)), tab("x,y", r(1, "x"), r(2, "y")), Rules{Contains: true}, true,
			"the 1 expected row is in the answer (2 rows) with columns reordered", "want 1→got 2"},
		{"names differ, fails by name", tab("a,b", r(1, 2)), tab("b,a", r(3, 1)), Rules{}, false,
			"1 of 1 expected rows is missing and 1 row is extra", "columns by name (in another order)"},

		{"count mismatch", tab("a,b", r(1, 2)), tab("a,b,c", r(1, 2, 3)), Rules{}, false, "the answer has 3 columns, want 2", ""},
		{"count mismatch, one column", tab("a,b", r(1, 2)), tab("a", r(1)), Rules{Contains: true}, false, "the answer has 1 column, want 2", ""},
		{"count mismatch, positional", Table{Rows: [][]any{{1}}}, Table{Rows: [][]any{{1, 2}}}, Rules{}, false, "the answer has 2 columns, want 1", ""},
	})
}

func TestPermutationCap(t *testing.T) {
	// Eight columns each holding {0, 1}: all 8! mappings fit the values, but no row of the answer
	// is all zeros or all ones; the search stops.
	want, got := [][]any{make([]any, 8), make([]any, 8)}, [][]any{make([]any, 8), make([]any, 8)}
	for j := range 8 {
		want[0][j], want[1][j] = 0, 1
		got[0][j], got[1][j] = j%2, 1-j%2
	}
	v := Compare(Table{Rows: want}, Table{Rows: got}, Rules{})
	if v.Equal || !strings.HasSuffix(v.Reason, "(stopped matching columns by value after 10000 permutations)") {
		t.Errorf("Compare = %v, %q", v.Equal, v.Reason)
	}
}

func TestContains(t *testing.T) {
	got := tab("x", r("a"), r("b"), r("c"), r("a"))
	runCases(t, []compareCase{
		{"subset", tab("x", r("c"), r("a")), got, Rules{Contains: true}, true, "all 2 expected rows are in the answer (4 rows)",
			"expected rows contained in the answer (order ignored, extra rows allowed)"},
		{"duplicates matched once each", tab("x", r("a"), r("a")), got, Rules{Contains: true}, true, "all 2 expected rows are in the answer (4 rows)", ""},
		{"too many duplicates", tab("x", r("b"), r("b")), got, Rules{Contains: true}, false, "1 of 2 expected rows is missing", ""},
		{"missing", tab("x", r("a"), r("z")), got, Rules{Contains: true}, false, "1 of 2 expected rows is missing", ""},
		{"ordered subsequence", tab("x", r("a"), r("c")), got, Rules{Contains: true, Ordered: true}, true, "all 2 expected rows are in the answer, in order (4 rows)",
			"expected rows contained in the answer in order (extra rows allowed)"},
		{"ordered, later duplicate", tab("x", r("c"), r("a")), got, Rules{Contains: true, Ordered: true}, true, "all 2 expected rows are in the answer, in order (4 rows)", ""},
		{"ordered, out of order", tab("x", r("c"), r("b")), got, Rules{Contains: true, Ordered: true}, false,
			"all expected rows are in the answer but not in that order: expected row 1 is the first out of order", ""},
		{"ordered, missing", tab("x", r("a"), r("z")), got, Rules{Contains: true, Ordered: true}, false, "1 of 2 expected rows is missing", ""},
		{"empty want", tab("x"), got, Rules{Contains: true}, true, "all 0 expected rows are in the answer (4 rows)", ""},
		{"tolerance", tab("x", r(1.0)), tab("x", r(3.0), r(1.001)), Rules{Contains: true, Ordered: true, Abs: 0.01}, true,
			"the 1 expected row is in the answer (2 rows)", ""},
	})
}

func TestRagged(t *testing.T) {
	runCases(t, []compareCase{
		{"short expected row", tab("a,b", r(1, 2), r(3)), tab("a,b", r(1, 2), r(3, 4)), Rules{}, false,
			"ragged rows: expected row 2 has 1 value but the table has 2 columns", ""},
		{"long answer row", tab("a,b", r(1, 2)), tab("a,b", r(1, 2, 3)), Rules{ByName: true}, false,
			"ragged rows: answer row 1 has 3 values but the table has 2 columns", ""},
		{"positional ragged", Table{Rows: [][]any{{1, 2}, {1}}}, Table{Rows: [][]any{{1, 2}, {1}}}, Rules{}, false,
			"ragged rows: expected row 2 has 1 value but the table has 2 columns", ""},
		{"ragged ordered", tab("a", r(1)), Table{Rows: [][]any{{1}, {}}}, Rules{Ordered: true}, false,
			"ragged rows: answer row 2 has 0 values but the table has 1 column", ""},
	})
}

// TestDiffMarks checks the structure of diffs that the golden file shows only once.
func TestDiffMarks(t *testing.T) {
	want := tab("name,cap", r("Apple", "3000.50"), r("New York", nil), r("", "x"))
	got := tab("cap,name", r("3000.5", "Apple"))
	v := Compare(want, got, Rules{})
	wantDiff := []string{
		"  name        cap",
		`- ""          x`,
		`- "New York"  NULL`,
	}
	if strings.Join(v.Diff, "\n") != strings.Join(wantDiff, "\n") {
		t.Errorf("Diff:\n%s\nwant:\n%s", strings.Join(v.Diff, "\n"), strings.Join(wantDiff, "\n"))
	}
	// Header from the answer when the expected rows have no names.
	v = Compare(Table{Rows: [][]any{{1, "a"}}}, tab("n,s", r("b", 2)), Rules{})
	if got := strings.Join(v.Diff, "\n"); got != "  n  s\n- 1  a\n+ b  2" {
		t.Errorf("Diff:\n%s", got)
	}
}
