// Package diff computes an edit script between two sequences (Myers' O(ND)
// algorithm, bounded) and groups it into hunks with context, as diff -u does.
// It is the one diff of c2q: fmt -diff's unified diff (spec), the alignment of
// ordered rows (runner/resultset) and the SQL diffs of reports (runner/report)
// all use it.
//
// It is a leaf: it imports only the standard library, and must not import
// spec, the runner or anything that knows what the sequences hold. It does not
// print; callers render the edits in their own format.
package diff

import (
	"fmt"
	"slices"
)

// Op is what an Edit does. Its value is the mark diff -u puts before the
// line, so a unified diff can write byte(op).
type Op byte

const (
	Eq  Op = ' ' // a[A] is kept: it equals b[B]
	Del Op = '-' // a[A] is removed
	Ins Op = '+' // b[B] is inserted
)

// Edit is one step of an edit script from a to b. A and B are the positions
// reached in a and in b when the step is taken: for Eq, a[A] equals b[B]; for
// Del, a[A] is removed and B is where b stands; for Ins, b[B] is inserted and
// A is where a stands. An edit script takes every element of a once (Eq or
// Del) and every element of b once (Eq or Ins), in order.
type Edit struct {
	Op   Op
	A, B int
}

// MaxCost bounds the shortest-edit search: when the parts of a and b that
// differ (after their common prefix and suffix) need more than MaxCost
// insertions and deletions, Script gives up minimality and replaces that whole
// middle (every element of a's middle removed, then every element of b's
// inserted). The result is still a correct edit script, and the search costs
// at most O((len(a)+len(b))·MaxCost) comparisons and O(MaxCost²) memory, so a
// huge input cannot take quadratic time or memory.
const MaxCost = 1000

// Edits returns an edit script from a to b, where eq says whether two
// elements are equal. It is shortest (fewest Del and Ins) when the cost is at
// most MaxCost. In a changed stretch the deletions come before the
// insertions, as in diff -u.
func Edits[T any](a, b []T, eq func(x, y T) bool) []Edit {
	return Script(len(a), len(b), func(i, j int) bool { return eq(a[i], b[j]) })
}

// Script is Edits for sequences known by their lengths n and m, with eq(i, j)
// saying whether the i-th element of a equals the j-th of b: for callers whose
// elements compare by index (rows keyed once, compared with a tolerance).
func Script(n, m int, eq func(i, j int) bool) []Edit {
	pre := 0
	for pre < n && pre < m && eq(pre, pre) {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && eq(n-1-suf, m-1-suf) {
		suf++
	}
	edits := make([]Edit, 0, max(n, m))
	for i := range pre {
		edits = append(edits, Edit{Eq, i, i})
	}
	edits = myers(edits, pre, n-suf, pre, m-suf, eq)
	for k := suf; k > 0; k-- {
		edits = append(edits, Edit{Eq, n - k, m - k})
	}
	return edits
}

// myers appends to edits a shortest edit script from a[a0:a1] to b[b0:b1]
// (E. Myers, "An O(ND) difference algorithm and its variations", 1986), or
// one that replaces the whole of both when that would cost more than MaxCost.
func myers(edits []Edit, a0, a1, b0, b1 int, eq func(i, j int) bool) []Edit {
	n, m := a1-a0, b1-b0
	replaceAll := func() []Edit {
		for i := a0; i < a1; i++ {
			edits = append(edits, Edit{Del, i, b0})
		}
		for j := b0; j < b1; j++ {
			edits = append(edits, Edit{Ins, a1, j})
		}
		return edits
	}
	if n == 0 || m == 0 {
		return replaceAll()
	}
	// v[off+k] is the furthest x reached on diagonal k = x-y; trace[d] keeps
	// v as it was before round d, for diagonals -d..d+1, to walk the path back.
	limit := min(n+m, MaxCost)
	off := limit + 1
	v := make([]int, 2*off+2)
	var trace [][]int
	found := -1
	for d := 0; d <= limit && found < 0; d++ {
		trace = append(trace, slices.Clone(v[off-d:off+d+2]))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: an insertion
			} else {
				x = v[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && eq(a0+x, b0+y) {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		return replaceAll()
	}
	// Walk back from (n, m): each round d ended with a snake (equal elements)
	// after one insertion or deletion from the end of round d-1.
	start := len(edits)
	x, y := n, m
	for d := found; d > 0; d-- {
		prev := trace[d] // v after round d-1
		at := func(k int) int { return prev[k+d] }
		k := x - y
		insert := k == -d || (k != d && at(k-1) < at(k+1))
		pk := k - 1
		if insert {
			pk = k + 1
		}
		sx := at(pk)
		sy := sx - pk
		midX, midY := sx+1, sy // after deleting a[sx]
		if insert {
			midX, midY = sx, sy+1 // after inserting b[sy]
		}
		for x > midX && y > midY {
			x, y = x-1, y-1
			edits = append(edits, Edit{Eq, a0 + x, b0 + y})
		}
		if insert {
			edits = append(edits, Edit{Ins, a0 + sx, b0 + sy})
		} else {
			edits = append(edits, Edit{Del, a0 + sx, b0 + sy})
		}
		x, y = sx, sy
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		edits = append(edits, Edit{Eq, a0 + x, b0 + y})
	}
	slices.Reverse(edits[start:])
	return edits
}

// Hunk is a stretch of an edit script: its changes with up to context
// unchanged elements either side. Edits is script[Start:Start+len(Edits)]; it
// starts at a[A] and b[B] and spans LenA elements of a and LenB of b.
type Hunk struct {
	Edits      []Edit
	Start      int
	A, B       int
	LenA, LenB int
}

// Hunks groups the changes of edits into hunks, as diff -u does: a hunk
// starts context unchanged elements before a change and runs on until a
// stretch of more than 2*context unchanged elements, of which it keeps the
// first context. The elements between hunks are unchanged. It returns nil when
// edits changes nothing.
func Hunks(edits []Edit, context int) []Hunk {
	var hunks []Hunk
	for i := 0; i < len(edits); {
		for i < len(edits) && edits[i].Op == Eq {
			i++
		}
		if i == len(edits) {
			break
		}
		start, end := max(i-context, 0), i
		for end < len(edits) {
			if edits[end].Op != Eq {
				end++
				continue
			}
			run := end
			for run < len(edits) && edits[run].Op == Eq {
				run++
			}
			if run == len(edits) || run-end > 2*context {
				end = min(end+context, run)
				break
			}
			end = run
		}
		h := Hunk{Edits: edits[start:end], Start: start, A: edits[start].A, B: edits[start].B}
		for _, e := range h.Edits {
			if e.Op != Ins {
				h.LenA++
			}
			if e.Op != Del {
				h.LenB++
			}
		}
		hunks = append(hunks, h)
		i = end
	}
	return hunks
}

// Header is the hunk's line in a unified diff, e.g. "@@ -3,7 +3,6 @@": the
// first line (1-based; the line before, for an empty range) and the length of
// each side, the length left out when it is 1, as diff -u writes it.
func (h Hunk) Header() string {
	return fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.A, h.LenA), hunkRange(h.B, h.LenB))
}

func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
