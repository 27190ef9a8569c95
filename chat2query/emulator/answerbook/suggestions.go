package answerbook

import (
	_ "embed"
	"strings"
)

//go:embed suggestions.txt
var suggestionsTxt string

// BuiltinSuggestions returns example questions that the built-in book
// answers as first questions of a session, one per line of
// suggestions.txt: what the emulator's POST /v3/suggestQuestions suggests.
func BuiltinSuggestions() []string {
	var out []string
	for _, line := range strings.Split(suggestionsTxt, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
