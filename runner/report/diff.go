package report

import (
	"fmt"

	"github.com/c2q/c2q/spec/diff"
)

// UnifiedDiff returns the lines of a unified diff from a to b with the whole
// of both as context: canonical SQL is a few clause lines, so one hunk that
// shows everything reads best. Removals come before additions, as in diff -u.
func UnifiedDiff(a, b []string) []string {
	out := []string{"--- expected", "+++ actual", fmt.Sprintf("@@ -1,%d +1,%d @@", len(a), len(b))}
	for _, e := range diff.Edits(a, b, func(x, y string) bool { return x == y }) {
		if e.Op == diff.Ins {
			out = append(out, "+"+b[e.B])
		} else {
			out = append(out, string(e.Op)+a[e.A])
		}
	}
	return out
}
