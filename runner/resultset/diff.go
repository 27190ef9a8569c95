package resultset

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/c2q/c2q/spec/diff"
	"github.com/c2q/c2q/spec/plural"
)

// line is one line of a diff: a mark ("- ", "+ ", "  " or "") and either aligned cells or raw
// text.
type line struct {
	mark  string
	cells []string
	raw   string
}

// render aligns the cells of header (printed after two spaces, omitted when nil) and lines into
// columns separated by two spaces.
func render(header []string, lines []line) []string {
	var widths []int
	measure := func(cells []string) {
		for j, s := range cells {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], utf8.RuneCountInString(s))
		}
	}
	measure(header)
	for _, l := range lines {
		measure(l.cells)
	}
	format := func(mark string, cells []string) string {
		var b strings.Builder
		b.WriteString(mark)
		for j, s := range cells {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(s)
			b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(s)))
		}
		return strings.TrimRight(b.String(), " ")
	}
	var out []string
	if header != nil {
		out = append(out, format("  ", header))
	}
	for _, l := range lines {
		if l.cells == nil {
			out = append(out, l.mark+l.raw)
		} else {
			out = append(out, format(l.mark, l.cells))
		}
	}
	return out
}

// names returns the column names of t, or "#1", "#2", ... when it has none.
func names(t *table) []string {
	if t.names != nil {
		return t.names
	}
	n := make([]string, max(t.width, 0))
	for j := range n {
		n[j] = fmt.Sprintf("#%d", j+1)
	}
	return n
}

// header is the diff header: the expected column names, else the answer's under perm.
func (c *comparer) header(perm []int) []string {
	if c.want.names != nil || c.got.names == nil || perm == nil {
		return names(c.want)
	}
	h := make([]string, len(perm))
	for j, k := range perm {
		h[j] = c.got.names[k]
	}
	return h
}

// headersDiff shows the two header lines when the columns do not correspond.
func (c *comparer) headersDiff() []string {
	return render(nil, []line{{mark: "- ", cells: names(c.want)}, {mark: "+ ", cells: names(c.got)}})
}

func (c *comparer) wantText(i int) []string {
	row := c.want.rows[i]
	texts := make([]string, len(row))
	for x := range row {
		texts[x] = row[x].String()
	}
	return texts
}

func (c *comparer) gotText(j int, perm []int) []string {
	texts := make([]string, len(perm))
	for x, k := range perm {
		texts[x] = c.got.rows[j][k].String()
	}
	return texts
}

// bagDiff lists the missing want rows and extra got rows, sorted by row.
func (c *comparer) bagDiff(perm, missing, extra []int) []string {
	type item struct {
		mark string
		row  []*cell
		text []string
	}
	var items []item
	for _, i := range missing {
		row := make([]*cell, len(perm))
		for x := range perm {
			row[x] = &c.want.rows[i][x]
		}
		items = append(items, item{"- ", row, c.wantText(i)})
	}
	for _, j := range extra {
		row := make([]*cell, len(perm))
		for x, k := range perm {
			row[x] = &c.got.rows[j][k]
		}
		items = append(items, item{"+ ", row, c.gotText(j, perm)})
	}
	slices.SortStableFunc(items, func(a, b item) int {
		for x := range a.row {
			if r := compareCells(a.row[x], b.row[x]); r != 0 {
				return r
			}
		}
		return strings.Compare(b.mark, a.mark) // "- " before "+ "
	})
	lines := make([]line, len(items))
	for n, it := range items {
		lines[n] = line{mark: it.mark, cells: it.text}
	}
	return render(c.header(perm), c.limit(lines))
}

// orderedDiff shows an alignment: changed rows with one row of context either side, and a line
// for each run of matching rows skipped.
func (c *comparer) orderedDiff(perm []int, ops []diff.Edit) []string {
	var lines []line
	gap := func(skipped int) {
		if skipped > 0 {
			lines = append(lines, line{mark: "  ", raw: fmt.Sprintf("… %d matching %s", skipped, plural.Choose(skipped, "row", "rows"))})
		}
	}
	next := 0 // the first edit after the last hunk
	for _, h := range diff.Hunks(ops, 1) {
		gap(h.Start - next)
		for _, o := range h.Edits {
			mark := string(o.Op) + " "
			if o.Op == diff.Ins {
				lines = append(lines, line{mark: mark, cells: c.gotText(o.B, perm)})
			} else {
				lines = append(lines, line{mark: mark, cells: c.wantText(o.A)})
			}
		}
		next = h.Start + len(h.Edits)
	}
	gap(len(ops) - next)
	return render(c.header(perm), c.limit(lines))
}

// limit keeps the lines up to the MaxDiff-th changed row and sums up the rest.
func (c *comparer) limit(lines []line) []line {
	shown := 0
	for n, l := range lines {
		if l.mark != "- " && l.mark != "+ " {
			continue
		}
		if shown == c.r.MaxDiff {
			missing, extra := 0, 0
			for _, r := range lines[n:] {
				switch r.mark {
				case "- ":
					missing++
				case "+ ":
					extra++
				}
			}
			kept := lines[:n]
			for len(kept) > 0 && kept[len(kept)-1].cells == nil { // no gap line before the summary
				kept = kept[:len(kept)-1]
			}
			var parts []string
			if missing > 0 {
				parts = append(parts, fmt.Sprintf("%d missing", missing))
			}
			if extra > 0 {
				parts = append(parts, fmt.Sprintf("%d extra", extra))
			}
			more := missing + extra
			return append(kept, line{raw: fmt.Sprintf("… %d more %s (%s)", more, plural.Choose(more, "row differs", "rows differ"), strings.Join(parts, ", "))})
		}
		shown++
	}
	return lines
}
