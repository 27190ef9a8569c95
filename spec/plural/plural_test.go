package plural

import "testing"

func TestChoose(t *testing.T) {
	for n, want := range map[int]string{0: "rows are", 1: "row is", 2: "rows are", -1: "rows are"} {
		if got := Choose(n, "row is", "rows are"); got != want {
			t.Errorf("Choose(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 API requests", 1: "1 API request", 12: "12 API requests"} {
		if got := Count(n, "API request"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
