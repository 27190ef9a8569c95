package report

import "fmt"

// UnifiedDiff returns the lines of a unified diff from a to b with the whole
// of both as context: canonical SQL is a few clause lines, so one hunk that
// shows everything reads best. Removals come before additions, as in diff -u.
func UnifiedDiff(a, b []string) []string {
	// Longest common subsequence by dynamic programming: inputs are small.
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	out := []string{"--- expected", "+++ actual", fmt.Sprintf("@@ -1,%d +1,%d @@", n, m)}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, " "+a[i])
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "-"+a[i])
			i++
		default:
			out = append(out, "+"+b[j])
			j++
		}
	}
	return out
}
