// Package plural chooses the singular or plural form of the words in c2q's
// messages. It is the one such rule, used by the language's diagnostics, the
// runner's verdicts, the reports and the API client's errors.
//
// It is a leaf: it imports only the standard library and must not import
// spec, the runner or anything that knows HCL, so the API client may use it.
package plural

import "strconv"

// Choose returns one when n is 1 and many otherwise, for words that do not
// just take an s: Choose(n, "row is", "rows are").
func Choose(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count returns n and the noun, with an s unless n is 1: "1 poll", "0 polls",
// "3 API requests".
func Count(n int, noun string) string {
	return strconv.Itoa(n) + " " + Choose(n, noun, noun+"s")
}
