package spec

import (
	"fmt"

	"github.com/c2q/c2q/spec/didyoumean"
)

// didYouMean is didyoumean.NameSuggestion phrased as a sentence to append to
// a detail, with a leading space, or "" when there is no suggestion.
func didYouMean(given string, candidates []string) string {
	if s := didyoumean.NameSuggestion(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// didYouMeanOr is didYouMean, or otherwise when there is no suggestion.
func didYouMeanOr(given string, candidates []string, otherwise string) string {
	if hint := didYouMean(given, candidates); hint != "" {
		return hint
	}
	return otherwise
}
