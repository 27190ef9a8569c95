// Package didyoumean suggests the name a user probably meant when they wrote
// one that does not exist: a misspelt attribute, reference, chart, command or
// flag value. It is the one such rule of c2q, so suggestions read the same in
// diagnostics and in the CLI's messages; callers phrase the sentence.
//
// It is a leaf: it must not import spec, the runner or anything that knows
// HCL.
package didyoumean

import "github.com/agext/levenshtein"

// NameSuggestion returns the candidate closest to given, the first of equals,
// or "" when none is close enough to be a likely typo (an edit distance under
// 3, the threshold hashicorp/hcl and Terraform use).
func NameSuggestion(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(given, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
