package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []string
	}{
		{"equal", []string{"x", "y"}, []string{"x", "y"},
			[]string{"--- expected", "+++ actual", "@@ -1,2 +1,2 @@", " x", " y"}},
		{"changed line", []string{"SELECT a", "ORDER BY a DESC", "LIMIT 5"}, []string{"SELECT a", "ORDER BY a ASC", "LIMIT 5"},
			[]string{"--- expected", "+++ actual", "@@ -1,3 +1,3 @@", " SELECT a", "-ORDER BY a DESC", "+ORDER BY a ASC", " LIMIT 5"}},
		{"added and removed", []string{"a", "b"}, []string{"b", "c"},
			[]string{"--- expected", "+++ actual", "@@ -1,2 +1,2 @@", "-a", " b", "+c"}},
		{"empty actual", []string{"a"}, nil,
			[]string{"--- expected", "+++ actual", "@@ -1,1 +1,0 @@", "-a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, UnifiedDiff(tt.a, tt.b)); diff != "" {
				t.Errorf("UnifiedDiff mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
