package report

import (
	"fmt"
	"io"

	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/runner/resultset"
)

// SQLComparison prints what c2q sql compare found: "equal under MODE", or
// "different under MODE", the diff of the canonical clauses and a summary.
func SQLComparison(w io.Writer, cmp *runner.SQLComparison) {
	if cmp.Equal {
		fmt.Fprintf(w, "equal under %s\n", cmp.Mode)
		return
	}
	fmt.Fprintf(w, "different under %s\n", cmp.Mode)
	if cmp.Layouts[0] != nil {
		for _, l := range UnifiedDiff(cmp.Layouts[0], cmp.Layouts[1]) {
			fmt.Fprintln(w, safe(nil, l))
		}
	}
	if cmp.Summary != "" {
		fmt.Fprintln(w, safe(nil, cmp.Summary))
	}
}

// ResultComparison prints what c2q sql compare -match result found: the
// verdict's reason, the table diff when they differ, and the rule applied.
func ResultComparison(w io.Writer, v resultset.Verdict) {
	if v.Equal {
		fmt.Fprintf(w, "equal under result: %s\nrule: %s\n", safe(nil, v.Reason), v.Rule)
		return
	}
	fmt.Fprintf(w, "different under result: %s\n", safe(nil, v.Reason))
	for _, l := range v.Diff {
		fmt.Fprintln(w, safe(nil, l))
	}
	fmt.Fprintf(w, "rule: %s\n", v.Rule)
}
