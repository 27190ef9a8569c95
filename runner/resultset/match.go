package resultset

import (
	"fmt"
	"slices"

	"github.com/c2q/c2q/spec/diff"
	"github.com/c2q/c2q/spec/plural"
)

// table is a Table with normalised cells.
type table struct {
	names []string // nil when the rows are positional
	rows  [][]cell
	width int // number of columns; -1 when unknown (no names and no rows)
}

func prepare(t Table) *table {
	p := &table{names: t.Columns, rows: make([][]cell, len(t.Rows)), width: -1}
	if t.Columns != nil {
		p.width = len(t.Columns)
	} else if len(t.Rows) > 0 {
		p.width = len(t.Rows[0])
	}
	n := 0
	for _, row := range t.Rows {
		n += len(row)
	}
	cells := make([]cell, n) // one allocation for all rows
	for i, row := range t.Rows {
		p.rows[i], cells = cells[:len(row):len(row)], cells[len(row):]
		for j, v := range row {
			p.rows[i][j] = newCell(v)
		}
	}
	return p
}

// comparer holds the two tables and the rules of one Compare call.
type comparer struct {
	r         Rules
	tol       *tolerance
	want, got *table
	wantKeys  []string // exact row keys of want, computed once
}

// ragged returns a reason and diff when a row of either table has the wrong number of values.
func (c *comparer) ragged() (string, []string) {
	for s, t := range []*table{c.want, c.got} {
		for i, row := range t.rows {
			if len(row) == t.width {
				continue
			}
			who, mark := "expected", "- "
			if s == 1 {
				who, mark = "answer", "+ "
			}
			texts := make([]string, len(row))
			for j := range row {
				texts[j] = row[j].String()
			}
			reason := fmt.Sprintf("ragged rows: %s row %d has %d %s but the table has %d %s",
				who, i+1, len(row), plural.Choose(len(row), "value", "values"), t.width, plural.Choose(t.width, "column", "columns"))
			l := line{mark: mark, cells: texts}
			if len(row) == 0 {
				l = line{mark: mark, raw: "(no values)"}
			}
			return reason, render(names(t), []line{l})
		}
	}
	return "", nil
}

// keys returns the exact (or, when coarse, the tolerance-blind) key of every row of t, with the
// columns taken in the order perm.
func keys(t *table, perm []int, coarse bool) []string {
	out := make([]string, len(t.rows))
	var b []byte
	for i, row := range t.rows {
		b = b[:0]
		for _, k := range perm {
			b = appendKey(b, &row[k], coarse)
		}
		out[i] = string(b)
	}
	return out
}

// pairing is how the rows of want and got correspond under one column mapping.
type pairing struct {
	wk, gk []string            // exact row keys (got's in want's column order)
	eq     func(i, j int) bool // want row i equals got row j
}

func (c *comparer) pair(perm []int) *pairing {
	if c.wantKeys == nil {
		c.wantKeys = keys(c.want, identity(len(perm)), false)
	}
	p := &pairing{wk: c.wantKeys, gk: keys(c.got, perm, false)}
	p.eq = func(i, j int) bool {
		if p.wk[i] == p.gk[j] {
			return true
		}
		if c.tol == nil {
			return false
		}
		w, g := c.want.rows[i], c.got.rows[j]
		for x, k := range perm {
			if !cellEq(&w[x], &g[k], c.tol) {
				return false
			}
		}
		return true
	}
	return p
}

func identity(n int) []int {
	id := make([]int, n)
	for j := range id {
		id[j] = j
	}
	return id
}

// bag pairs the rows of two bags: exact keys first, then (with a tolerance) leftover rows greedily,
// only among rows whose non-numeric cells are equal (coarse keys wk2/gk2). match[i] is the got
// row paired with want row i, or -1; extra lists the unpaired got rows.
func bag(wk, gk []string, eq func(i, j int) bool, tol bool, wk2, gk2 func() []string) (match, extra []int) {
	free := make(map[string][]int, len(gk))
	for j, k := range gk {
		free[k] = append(free[k], j)
	}
	used := make([]bool, len(gk))
	match = make([]int, len(wk))
	var left []int
	for i, k := range wk {
		if js := free[k]; len(js) > 0 {
			match[i], free[k], used[js[0]] = js[0], js[1:], true
		} else {
			match[i] = -1
			left = append(left, i)
		}
	}
	if tol && len(left) > 0 {
		wc, gc := wk2(), gk2()
		groups := map[string][]int{}
		for j := range gk {
			if !used[j] {
				groups[gc[j]] = append(groups[gc[j]], j)
			}
		}
		for _, i := range left {
			g := groups[wc[i]]
			for n, j := range g {
				if eq(i, j) {
					match[i], used[j] = j, true
					groups[wc[i]] = slices.Delete(g, n, n+1)
					break
				}
			}
		}
	}
	for j, u := range used {
		if !u {
			extra = append(extra, j)
		}
	}
	return match, extra
}

func (c *comparer) bagRows(p *pairing, perm []int) (match, extra []int) {
	return bag(p.wk, p.gk, p.eq, c.tol != nil,
		func() []string { return keys(c.want, identity(len(perm)), true) },
		func() []string { return keys(c.got, perm, true) })
}

// matches reports whether the rows match under the column mapping perm.
func (c *comparer) matches(perm []int) bool {
	p := c.pair(perm)
	if c.r.Ordered {
		return c.inOrder(p)
	}
	match, extra := c.bagRows(p, perm)
	return !slices.Contains(match, -1) && (c.r.Contains || len(extra) == 0)
}

// inOrder reports whether want's rows are got's rows in order (with Contains, a subsequence of
// them: matching each wanted row to the earliest answer row left is optimal).
func (c *comparer) inOrder(p *pairing) bool {
	nw, ng := len(p.wk), len(p.gk)
	if !c.r.Contains {
		if nw != ng {
			return false
		}
		for i := range nw {
			if !p.eq(i, i) {
				return false
			}
		}
		return true
	}
	j := 0
	for i := range nw {
		for j < ng && !p.eq(i, j) {
			j++
		}
		if j == ng {
			return false
		}
		j++
	}
	return true
}

// explain compares the rows under perm and says why they match or not, with a diff when not.
func (c *comparer) explain(perm []int) (ok bool, reason string, diffLines []string) {
	p := c.pair(perm)
	nw, ng := len(p.wk), len(p.gk)
	rows := func(n int) string { return fmt.Sprintf("%d %s", n, plural.Choose(n, "row", "rows")) }
	all := func(n int) string {
		return plural.Choose(n, "the 1 expected row is", fmt.Sprintf("all %d expected rows are", n))
	}
	if c.r.Ordered && c.inOrder(p) {
		switch {
		case c.r.Contains && nw > 1:
			return true, fmt.Sprintf("%s in the answer, in order (%s)", all(nw), rows(ng)), nil
		case c.r.Contains:
			return true, fmt.Sprintf("%s in the answer (%s)", all(nw), rows(ng)), nil
		}
		return true, fmt.Sprintf("same %s in order", rows(nw)), nil
	}
	match, extra := c.bagRows(p, perm)
	var missing []int
	for i, j := range match {
		if j < 0 {
			missing = append(missing, i)
		}
	}
	if c.r.Contains {
		extra = nil
	}
	if !c.r.Ordered {
		switch {
		case len(missing)+len(extra) > 0:
			return false, counts(len(missing), nw, len(extra), ng), c.bagDiff(perm, missing, extra)
		case c.r.Contains:
			return true, fmt.Sprintf("%s in the answer (%s)", all(nw), rows(ng)), nil
		}
		return true, fmt.Sprintf("same %s (unordered)", rows(nw)), nil
	}
	ops := diff.Script(nw, ng, p.eq)
	if c.r.Contains { // extra rows are fine: show the expected rows only
		ops = slices.DeleteFunc(ops, func(o diff.Edit) bool { return o.Op == diff.Ins })
	}
	switch {
	case len(missing)+len(extra) > 0:
		reason = counts(len(missing), nw, len(extra), ng)
		if countOps(ops, diff.Del) > len(missing) {
			reason += "; other rows are out of order"
		}
	case c.r.Contains:
		first := ops[slices.IndexFunc(ops, func(o diff.Edit) bool { return o.Op == diff.Del })].A
		reason = fmt.Sprintf("all expected rows are in the answer but not in that order: expected row %d is the first out of order", first+1)
	default:
		first := 0
		for first < nw && p.eq(first, first) {
			first++
		}
		reason = fmt.Sprintf("same rows in a different order: row %d differs first", first+1)
	}
	return false, reason, c.orderedDiff(perm, ops)
}

// counts says how many expected rows are missing and answer rows are extra.
func counts(missing, nw, extra, ng int) string {
	switch {
	case missing > 0 && extra > 0:
		return fmt.Sprintf("%d of %d expected %s missing and %d %s extra",
			missing, nw, plural.Choose(missing, "rows is", "rows are"), extra, plural.Choose(extra, "row is", "rows are"))
	case missing > 0:
		return fmt.Sprintf("%d of %d expected %s missing", missing, nw, plural.Choose(missing, "rows is", "rows are"))
	}
	return fmt.Sprintf("the answer has %d extra %s (%d rows, want %d)", extra, plural.Choose(extra, "row", "rows"), ng, nw)
}

func countOps(ops []diff.Edit, kind diff.Op) int {
	n := 0
	for _, o := range ops {
		if o.Op == kind {
			n++
		}
	}
	return n
}

// search tries the column mappings that pair each wanted column with an answer column holding
// the same values, skipping the mappings already tried. It returns the first mapping under which
// the rows match, and whether it gave up after maxPerms mappings.
func (c *comparer) search(tried ...[]int) (found []int, capped bool) {
	n := len(tried[0])
	cand := make([][]int, n)
	for j := range n {
		for k := range n {
			if c.columnFits(j, k) {
				cand[j] = append(cand[j], k)
			}
		}
		if len(cand[j]) == 0 {
			return nil, false
		}
	}
	perm, used, tries := make([]int, n), make([]bool, n), 0
	var try func(j int) bool // true stops the search
	try = func(j int) bool {
		if j == n {
			for _, t := range tried {
				if slices.Equal(t, perm) {
					return false
				}
			}
			if tries++; tries > maxPerms {
				capped = true
				return true
			}
			if c.matches(perm) {
				found = slices.Clone(perm)
				return true
			}
			return false
		}
		for _, k := range cand[j] {
			if !used[k] {
				used[k], perm[j] = true, k
				if try(j + 1) {
					return true
				}
				used[k] = false
			}
		}
		return false
	}
	try(0)
	return found, capped
}

// columnFits reports whether want column j and got column k hold the same multiset of values
// (with Contains, j's values a sub-multiset of k's).
func (c *comparer) columnFits(j, k int) bool {
	col := func(t *table, x int, coarse bool) []string { return keys(&table{rows: t.rows}, []int{x}, coarse) }
	wk, gk := col(c.want, j, false), col(c.got, k, false)
	eq := func(a, b int) bool { return cellEq(&c.want.rows[a][j], &c.got.rows[b][k], c.tol) }
	match, extra := bag(wk, gk, eq, c.tol != nil,
		func() []string { return col(c.want, j, true) }, func() []string { return col(c.got, k, true) })
	return !slices.Contains(match, -1) && (c.r.Contains || len(extra) == 0)
}
