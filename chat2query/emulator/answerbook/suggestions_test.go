package answerbook

import "testing"

// TestBuiltinSuggestions checks that every suggested question is answered by
// the built-in book in a fresh session, by an entry that is no follow-up.
func TestBuiltinSuggestions(t *testing.T) {
	qs := BuiltinSuggestions()
	if len(qs) < 3 {
		t.Fatalf("only %d suggestions", len(qs))
	}
	b := Builtin()
	for _, q := range qs {
		e, ok := b.Match(q, "")
		if !ok || e.IsFollowUp() {
			t.Errorf("the built-in book does not answer the suggestion %q", q)
		}
	}
}
