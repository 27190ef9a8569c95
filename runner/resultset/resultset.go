// Package resultset compares two SQL result sets the way text-to-SQL execution accuracy does
// (Spider, BIRD, and the test-suite evaluation of Zhong et al. 2020), and explains a failed
// comparison with a table diff. It knows nothing of where the rows come from (runner/verify
// runs SQL, the runner decodes answers) nor how a verdict is shown (runner/report).
//
// Compare(want, got, rules) applies these rules, in this order:
//
//   - Ragged rows: a row with more or fewer values than its table has columns (or, for a table
//     without column names, than its first row) fails the comparison, naming the row.
//   - Columns, Rules.ByName: each wanted column maps to the answer's column of the same name,
//     compared case-insensitively after trimming spaces; the k-th of several equal names maps to
//     the k-th. The two name lists must map one to one, else "columns differ: missing ..., extra
//     ...". Without names on either side, columns are matched by position.
//   - Columns, otherwise: both tables must have the same number of columns ("the answer has 3
//     columns, want 2"). Columns are tried by position; then, when both tables have names and the
//     name lists are equal apart from order and case, by name (SELECT a, b matches SELECT b, a);
//     then by value: a wanted column may map to an answer column whose values are the same
//     multiset (a sub-multiset with Contains), and every such one-to-one mapping is tried, at most
//     10,000 of them. The Rule of the verdict names any mapping other than by position.
//   - Rows, unordered (default): the rows are compared as bags: every row must appear as often in
//     the answer as in the expected table.
//   - Rows, Rules.Ordered: row i must equal row i. Rows that are equal as a bag but in another order
//     fail with "same rows in a different order: row N differs first".
//   - Rows, Rules.Contains: each expected row must match its own answer row; extra answer rows are
//     allowed. With Ordered too, the matched answer rows must be in the expected order.
//   - Cells: SQL NULL equals only NULL (not "", not "NULL", not 0). Numbers are int64, float64,
//     json.Number, *big.Float, and strings that read as decimal numbers ("3000.50", "-1e3", "5.",
//     ".5"; the Chat2Query API and MySQL's text protocol send every number as such a string). They
//     compare by decimal value: "1.50", 1.5 and json.Number("1.5") are equal; a float64 is taken at
//     its shortest decimal form, so 0.1 equals "0.1". true equals 1 and false equals 0 (MySQL has
//     no boolean type). Every other string, dates included, compares exactly: case-sensitive, not
//     trimmed. Float NaN and ±Inf compare as the strings "NaN", "+Inf", "-Inf".
//   - Tolerance: with Rules.Abs or Rules.Rel, numbers a and b are equal when |a-b| <= Abs or
//     |a-b| <= Rel*max(|a|,|b|), decided exactly at the bound (1.00 and 1.01 are within abs 0.01).
//     Rows are first paired by exact equality; leftover rows are then paired greedily, so a
//     tolerance that is wider than the gap between two answer values may pair them suboptimally.
//
// The Diff of a failed Verdict shows columns in the expected table's order and answer rows
// rearranged to match: a header line, then "- " for expected rows the answer lacks, "+ " for
// answer rows not expected, and, in an ordered diff (a Myers alignment of the rows), "  " for one
// row of context around each change and "  … N matching rows" for the rows skipped. Unordered
// diffs are sorted by row so that near-identical rows sit together. At most Rules.MaxDiff changed
// rows are shown, then a line "… N more rows differ (a missing, b extra)".
package resultset

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/c2q/c2q/spec/plural"
)

// Table is a result set. Columns may be nil when rows were written without names (positional).
// A cell is nil (SQL NULL), string, bool, int64, float64, json.Number, or *big.Float.
// Strings that read as decimal numbers (e.g. "3000.50", "-1e3"; what the Chat2Query API and a
// MySQL text-protocol client send for every number) compare as numbers with numeric cells and
// with each other.
type Table struct {
	Columns []string
	Rows    [][]any
}

// Rules say how two tables are compared.
type Rules struct {
	Ordered  bool    // row order matters; otherwise rows are a bag (multiset): duplicates count
	Contains bool    // every wanted row must appear in got (each matched at most once); extra got rows are fine; with Ordered, in that relative order
	ByName   bool    // match columns by name, case-insensitively, ignoring order; the name sets must be equal
	Abs, Rel float64 // numeric tolerance: |a-b| <= Abs, or |a-b| <= Rel*max(|a|,|b|); 0, 0 is exact
	MaxDiff  int     // most diff rows shown; 0 means 10
}

// Verdict is the outcome of Compare.
type Verdict struct {
	Equal bool
	// Reason is one line saying why it passed or failed, e.g. "same 5 rows (unordered)" or
	// "2 of 5 expected rows are missing and 1 row is extra".
	Reason string
	// Rule is one line naming the rule that was applied, e.g.
	// "rows as a bag (order ignored), columns by name, numbers within abs 0.01 or rel 1e-06".
	Rule string
	// Diff is the table diff when not Equal, one string per line (see the package documentation).
	Diff []string
}

// maxPerms caps the column permutations tried when matching columns by value.
const maxPerms = 10_000

// Compare compares the answer got with the expected want under r.
func Compare(want, got Table, r Rules) Verdict {
	if r.MaxDiff <= 0 {
		r.MaxDiff = 10
	}
	c := &comparer{r: r, tol: newTolerance(r.Abs, r.Rel), want: prepare(want), got: prepare(got)}
	named := c.want.names != nil && c.got.names != nil
	verdict := func(cols, reason string, diff []string) Verdict {
		return Verdict{Reason: reason, Rule: c.rule(cols), Diff: diff}
	}
	cols := "columns by position"
	if r.ByName && named {
		cols = "columns by name"
	} else if r.ByName {
		cols = "columns by position (no column names to match)"
	}
	if reason, diff := c.ragged(); reason != "" {
		return verdict(cols, reason, diff)
	}

	if r.ByName && named {
		perm, missing, extra := mapNames(c.want.names, c.got.names)
		if perm == nil {
			return verdict(cols, columnsDiffer(missing, extra), c.headersDiff())
		}
		return c.result(perm, cols, "")
	}
	if w, g := c.want.width, c.got.width; w >= 0 && g >= 0 && w != g {
		return verdict(cols, fmt.Sprintf("the answer has %d %s, want %d", g, plural.Choose(g, "column", "columns"), w), c.headersDiff())
	}
	id := identity(max(c.want.width, c.got.width, 0))
	positional := c.result(id, cols, "")
	if positional.Equal || r.ByName { // ByName without names: by position only
		return positional
	}
	var byName []int
	if named {
		if perm, _, _ := mapNames(c.want.names, c.got.names); perm != nil && !isIdentity(perm) {
			byName = perm
			if c.matches(perm) {
				return c.result(perm, "columns by name (in another order)", " with columns matched by name")
			}
		}
	}
	perm, capped := c.search(id, byName)
	if perm != nil {
		return c.result(perm, "columns matched by value: "+describePerm(perm), " with columns reordered")
	}
	v := positional
	if byName != nil {
		v = c.result(byName, "columns by name (in another order)", "")
	}
	if capped {
		v.Reason += fmt.Sprintf(" (stopped matching columns by value after %d permutations)", maxPerms)
	}
	return v
}

// result explains the comparison under the column mapping perm; suffix is added to the Reason of
// a pass.
func (c *comparer) result(perm []int, cols, suffix string) Verdict {
	ok, reason, diff := c.explain(perm)
	if ok {
		reason += suffix
		diff = nil
	}
	return Verdict{Equal: ok, Reason: reason, Rule: c.rule(cols), Diff: diff}
}

// rule names the rules applied to rows, columns (cols) and numbers.
func (c *comparer) rule(cols string) string {
	return c.rowsRule() + ", " + cols + ", " + c.numbersRule()
}

func (c *comparer) rowsRule() string {
	switch {
	case c.r.Ordered && c.r.Contains:
		return "expected rows contained in the answer in order (extra rows allowed)"
	case c.r.Contains:
		return "expected rows contained in the answer (order ignored, extra rows allowed)"
	case c.r.Ordered:
		return "rows in order"
	}
	return "rows as a bag (order ignored)"
}

func (c *comparer) numbersRule() string {
	switch t := c.tol; {
	case t == nil:
		return "numbers exact"
	case t.rel == 0:
		return fmt.Sprintf("numbers within abs %g", t.abs)
	case t.abs == 0:
		return fmt.Sprintf("numbers within rel %g", t.rel)
	default:
		return fmt.Sprintf("numbers within abs %g or rel %g", t.abs, t.rel)
	}
}

// mapNames maps each wanted column to the answer column of the same normalised name (the k-th
// duplicate to the k-th). perm is nil when the names do not map one to one.
func mapNames(want, got []string) (perm []int, missing, extra []string) {
	free := map[string][]int{}
	for k, n := range got {
		key := strings.ToLower(strings.TrimSpace(n))
		free[key] = append(free[key], k)
	}
	perm = make([]int, len(want))
	for j, n := range want {
		key := strings.ToLower(strings.TrimSpace(n))
		if ks := free[key]; len(ks) > 0 {
			perm[j], free[key] = ks[0], ks[1:]
		} else {
			missing = append(missing, strings.TrimSpace(n))
		}
	}
	for k, n := range got {
		if ks := free[strings.ToLower(strings.TrimSpace(n))]; len(ks) > 0 && ks[0] == k {
			extra = append(extra, strings.TrimSpace(n))
			free[strings.ToLower(strings.TrimSpace(n))] = ks[1:]
		}
	}
	if len(missing)+len(extra) > 0 {
		return nil, missing, extra
	}
	return perm, nil, nil
}

func columnsDiffer(missing, extra []string) string {
	quote := func(names []string) string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = strconv.Quote(n)
		}
		return strings.Join(q, ", ")
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing "+quote(missing))
	}
	if len(extra) > 0 {
		parts = append(parts, "extra "+quote(extra))
	}
	return "columns differ: " + strings.Join(parts, ", ")
}

func isIdentity(perm []int) bool {
	for j, k := range perm {
		if j != k {
			return false
		}
	}
	return true
}

// describePerm lists the moved columns, 1-based: "want 1→got 2, want 2→got 1".
func describePerm(perm []int) string {
	var parts []string
	for j, k := range perm {
		if j != k {
			if len(parts) == 4 {
				return strings.Join(parts, ", ") + ", …"
			}
			parts = append(parts, fmt.Sprintf("want %d→got %d", j+1, k+1))
		}
	}
	return strings.Join(parts, ", ")
}
