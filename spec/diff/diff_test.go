package diff

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func eqByte(x, y byte) bool { return x == y }

// show writes an edit script of strings of bytes compactly: " x" kept,
// "-x" removed, "+x" inserted.
func show(a, b string, edits []Edit) string {
	var s []string
	for _, e := range edits {
		switch e.Op {
		case Eq:
			s = append(s, " "+a[e.A:e.A+1])
		case Del:
			s = append(s, "-"+a[e.A:e.A+1])
		case Ins:
			s = append(s, "+"+b[e.B:e.B+1])
		}
	}
	return strings.Join(s, "")
}

func TestEdits(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"", "", ""},
		{"abc", "abc", " a b c"},
		{"", "ab", "+a+b"},
		{"ab", "", "-a-b"},
		{"abc", "axc", " a-b+x c"},
		{"ab", "bc", "-a b+c"},
		{"abcabba", "cbabac", "-a-b c+b a b-b a+c"}, // Myers' paper's example
		{"xaby", "xbay", " x-a b+a y"},
		{"aaa", "aa", " a a-a"}, // the common prefix is kept first
	} {
		got := show(tc.a, tc.b, Edits([]byte(tc.a), []byte(tc.b), eqByte))
		if got != tc.want {
			t.Errorf("Edits(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestEditsPositions pins the positions of each edit: those reached on the
// side an edit does not take.
func TestEditsPositions(t *testing.T) {
	got := Edits([]byte("ab"), []byte("bc"), eqByte)
	want := []Edit{{Del, 0, 0}, {Eq, 1, 0}, {Ins, 2, 1}}
	if !slices.Equal(got, want) {
		t.Errorf("Edits = %v, want %v", got, want)
	}
}

func TestScriptByIndex(t *testing.T) {
	a, b := []int{1, 2, 3}, []int{10, 30}
	got := Script(len(a), len(b), func(i, j int) bool { return a[i]*10 == b[j] })
	want := []Edit{{Eq, 0, 0}, {Del, 1, 1}, {Eq, 2, 1}}
	if !slices.Equal(got, want) {
		t.Errorf("Script = %v, want %v", got, want)
	}
}

// TestMaxCost checks that inputs too different for the bounded search get a
// correct edit script that replaces the differing middle, after the common
// prefix and suffix, and that the search stays within its bound.
func TestMaxCost(t *testing.T) {
	const n = 100_000
	a, b := make([]int, n+2), make([]int, n+2)
	a[0], b[0], a[n+1], b[n+1] = -1, -1, -2, -2 // a common prefix and suffix
	for i := 1; i <= n; i++ {
		a[i], b[i] = i, n+i
	}
	calls := 0
	edits := Edits(a, b, func(x, y int) bool { calls++; return x == y })
	if err := check(a, b, edits, func(x, y int) bool { return x == y }); err != nil {
		t.Fatal(err)
	}
	if cost(edits) != 2*n {
		t.Errorf("cost %d, want %d", cost(edits), 2*n)
	}
	if edits[0] != (Edit{Eq, 0, 0}) || edits[1] != (Edit{Del, 1, 1}) || edits[n+1] != (Edit{Ins, n + 1, 1}) || edits[len(edits)-1] != (Edit{Eq, n + 1, n + 1}) {
		t.Errorf("edits start %v, middle %v, end %v", edits[:2], edits[n+1], edits[len(edits)-1])
	}
	// Each round d compares at most d+1 diagonals once each when nothing
	// matches: about MaxCost²/2 comparisons, however long the input.
	if limit := 4 + (MaxCost+1)*(MaxCost+2)/2; calls > limit {
		t.Errorf("%d comparisons, want at most %d", calls, limit)
	}
}

// TestMaxCostExact checks that a script costing exactly MaxCost is still
// shortest.
func TestMaxCostExact(t *testing.T) {
	a := make([]int, MaxCost/2)
	b := make([]int, MaxCost/2)
	for i := range a {
		a[i], b[i] = 2*i, 2*i+1
	}
	edits := Edits(a, b, func(x, y int) bool { return x == y })
	if c := cost(edits); c != MaxCost {
		t.Errorf("cost %d, want %d", c, MaxCost)
	}
}

func TestHunks(t *testing.T) {
	lines := func(s string) []string { return strings.Split(s, " ") }
	for _, tc := range []struct {
		a, b    string
		context int
		want    []string // headers, each followed by its edits
	}{
		{"a b c", "a b c", 3, nil},
		{"1 2 3 4 5 6 7 8 9", "1 2 3 4 X 6 7 8 9", 3, []string{"@@ -2,7 +2,7 @@", " 2 3 4-5+X 6 7 8"}},
		// Changes 6 apart share a hunk with context 3; 7 apart do not.
		{"a 1 2 3 4 5 6 b", "A 1 2 3 4 5 6 B", 3, []string{"@@ -1,8 +1,8 @@", "-a+A 1 2 3 4 5 6-b+B"}},
		{"a 1 2 3 4 5 6 7 b", "A 1 2 3 4 5 6 7 B", 3, []string{"@@ -1,4 +1,4 @@", "-a+A 1 2 3", "@@ -6,4 +6,4 @@", " 5 6 7-b+B"}},
		// Context 1: a change at either end, and 3 unchanged between two
		// hunks (1 left out).
		{"a 1 2 3 b", "A 1 2 3 B", 1, []string{"@@ -1,2 +1,2 @@", "-a+A 1", "@@ -4,2 +4,2 @@", " 3-b+B"}},
		{"a 1 2 b", "A 1 2 B", 1, []string{"@@ -1,4 +1,4 @@", "-a+A 1 2-b+B"}},
		// Empty ranges name the line before.
		{"1 2", "1 2 3", 0, []string{"@@ -2,0 +3 @@", "+3"}},
		{"1 2 3", "1 3", 0, []string{"@@ -2 +1,0 @@", "-2"}},
	} {
		a, b := lines(tc.a), lines(tc.b)
		var got []string
		for _, h := range Hunks(Edits(a, b, func(x, y string) bool { return x == y }), tc.context) {
			var s strings.Builder
			for _, e := range h.Edits {
				switch e.Op {
				case Eq:
					s.WriteString(" " + a[e.A])
				case Del:
					s.WriteString("-" + a[e.A])
				case Ins:
					s.WriteString("+" + b[e.B])
				}
			}
			got = append(got, h.Header(), s.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Hunks(%q, %q, %d) = %q, want %q", tc.a, tc.b, tc.context, got, tc.want)
		}
	}
}

// check applies edits to a and reports whether that takes every element of
// a and of b once, in order, keeps only equal elements and yields b.
func check[T any](a, b []T, edits []Edit, eq func(x, y T) bool) error {
	i, j := 0, 0
	for n, e := range edits {
		if e.A != i || e.B != j {
			return fmt.Errorf("edit %d %v: at (%d, %d)", n, e, i, j)
		}
		switch e.Op {
		case Eq:
			if i >= len(a) || j >= len(b) || !eq(a[i], b[j]) {
				return fmt.Errorf("edit %d %v keeps unequal or absent elements", n, e)
			}
			i, j = i+1, j+1
		case Del:
			if i >= len(a) {
				return fmt.Errorf("edit %d %v: past the end of a", n, e)
			}
			i++
		case Ins:
			if j >= len(b) {
				return fmt.Errorf("edit %d %v: past the end of b", n, e)
			}
			j++
		default:
			return fmt.Errorf("edit %d: op %q", n, e.Op)
		}
	}
	if i != len(a) || j != len(b) {
		return fmt.Errorf("edits end at (%d, %d), want (%d, %d)", i, j, len(a), len(b))
	}
	return nil
}

func cost(edits []Edit) int {
	c := 0
	for _, e := range edits {
		if e.Op != Eq {
			c++
		}
	}
	return c
}

// lcs is the length of a longest common subsequence, by dynamic programming.
func lcs(a, b []byte) int {
	row := make([]int, len(b)+1)
	for i := range a {
		prev := 0 // row[j] of the previous i
		for j := range b {
			cur := row[j+1]
			if a[i] == b[j] {
				row[j+1] = prev + 1
			} else {
				row[j+1] = max(row[j+1], row[j])
			}
			prev = cur
		}
	}
	return row[len(b)]
}

// FuzzEdits checks that the edit script turns a into b, with the deletions
// of a changed stretch before its insertions, and, when the inputs are small
// enough for the search to be exact, is shortest: its cost is
// len(a)+len(b)-2·LCS. The hunks of the script cover every change, with the
// unchanged elements between them.
func FuzzEdits(f *testing.F) {
	f.Add([]byte("abcabba"), []byte("cbabac"))
	f.Add([]byte(""), []byte("x"))
	f.Add([]byte("aaaa"), []byte("aa"))
	f.Add([]byte("the quick brown fox"), []byte("the quack brown fix"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a)+len(b) > 4000 {
			return
		}
		edits := Edits(a, b, eqByte)
		if err := check(a, b, edits, eqByte); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(edits); i++ {
			if edits[i-1].Op == Ins && edits[i].Op == Del {
				t.Fatalf("an insertion before a deletion: %s", show(string(a), string(b), edits))
			}
		}
		if len(a)+len(b) <= MaxCost {
			if got, want := cost(edits), len(a)+len(b)-2*lcs(a, b); got != want {
				t.Fatalf("cost %d, want %d (%s)", got, want, show(string(a), string(b), edits))
			}
		}
		for _, context := range []int{0, 1, 3} {
			next, changes := 0, 0
			for _, h := range Hunks(edits, context) {
				if h.Start < next || !slices.Equal(edits[h.Start:h.Start+len(h.Edits)], h.Edits) {
					t.Fatalf("context %d: hunk %v is not a stretch of the script after the last (at %d)", context, h, next)
				}
				for _, e := range edits[next:h.Start] {
					if e.Op != Eq {
						t.Fatalf("context %d: change %v outside every hunk", context, e)
					}
				}
				next = h.Start + len(h.Edits)
				changes += cost(h.Edits)
			}
			if changes != cost(edits) {
				t.Fatalf("context %d: hunks hold %d changes of %d", context, changes, cost(edits))
			}
		}
	})
}
