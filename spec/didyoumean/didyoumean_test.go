package didyoumean

import "testing"

func TestNameSuggestion(t *testing.T) {
	names := []string{"validate", "plan", "apply", "fmt"}
	for _, tc := range []struct{ given, want string }{
		{"aply", "apply"},
		{"plna", "plan"}, // a transposition is two edits
		{"validat", "validate"},
		{"format", ""}, // too far from fmt
		{"", ""},       // nothing is close to nothing
		{"plan", "plan"},
	} {
		if got := NameSuggestion(tc.given, names); got != tc.want {
			t.Errorf("NameSuggestion(%q) = %q, want %q", tc.given, got, tc.want)
		}
	}
	// Of two candidates equally close, the first.
	if got := NameSuggestion("ab", []string{"xb", "ax"}); got != "xb" {
		t.Errorf("NameSuggestion(ab) = %q, want xb", got)
	}
	if got := NameSuggestion("x", nil); got != "" {
		t.Errorf("NameSuggestion with no candidates = %q", got)
	}
}
