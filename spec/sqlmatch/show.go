package sqlmatch

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Views are the ways Show prints a statement: its canonical form, that form
// a clause a line, its fingerprint, and its structure as JSON.
var Views = []string{"canonical", "layout", "fingerprint", "explain"}

// Show prints sql as view, one of Views: what c2q sql shows of a statement.
func Show(view, sql string) (string, error) {
	switch view {
	case "canonical":
		return Canonical(sql)
	case "layout":
		lines, err := Layout(sql)
		return strings.Join(lines, "\n"), err
	case "fingerprint":
		return Fingerprint(sql)
	case "explain":
		s, err := Explain(sql)
		if err != nil {
			return "", err
		}
		b, err := json.MarshalIndent(s, "", "  ")
		return string(b), err
	}
	return "", fmt.Errorf("unknown view %q", view)
}
