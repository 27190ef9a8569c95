package spec

import (
	"bytes"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// markType is the type of the cty mark on sensitive values, unexported so
// that no other package's marks collide with it.
type markType string

// sensitiveMark marks the values of sensitive variables, and through cty's
// mark propagation every value derived from them.
const sensitiveMark = markType("sensitive")

// isSensitive reports whether v or any value inside it is sensitive.
func isSensitive(v cty.Value) bool {
	if v == cty.NilVal {
		return false
	}
	_, pvm := v.UnmarkDeepWithPaths()
	for _, pm := range pvm {
		if _, ok := pm.Marks[sensitiveMark]; ok {
			return true
		}
	}
	return false
}

// unmark removes every mark from v, so that it can be turned into Go values.
func unmark(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return v
	}
	v, _ = v.UnmarkDeep()
	return v
}

// secretTexts lists the texts of the sensitive variables' values: every
// string, number and bool inside them, longest first. Texts shorter than
// three characters are left out, since blanking them would garble
// unrelated words.
func secretTexts(vars map[string]*Variable) []string {
	seen := map[string]bool{}
	var texts []string
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			add(seen, &texts, v.AsString())
		case ty == cty.Number:
			add(seen, &texts, v.AsBigFloat().Text('f', -1))
		case ty == cty.Bool:
			// true and false are too common to blank.
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				if ty.IsMapType() {
					walk(k)
				}
				walk(e)
			}
		}
	}
	for _, name := range sortedKeys(vars) {
		if v := vars[name]; v.Sensitive {
			walk(unmark(v.Value))
		}
	}
	sort.SliceStable(texts, func(i, j int) bool { return len(texts[i]) > len(texts[j]) })
	return texts
}

func add(seen map[string]bool, texts *[]string, s string) {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= 3 && !seen[line] {
			seen[line] = true
			*texts = append(*texts, line)
		}
	}
}

// secretRanges returns where the texts of secrets occur in the files.
func secretRanges(files map[string]*hcl.File, secrets []string) []hcl.Range {
	var ranges []hcl.Range
	for _, name := range sortedKeys(files) {
		src := files[name].Bytes
		for _, s := range secrets {
			for off := 0; ; {
				i := bytes.Index(src[off:], []byte(s))
				if i < 0 {
					break
				}
				ranges = append(ranges, hcl.Range{
					Filename: name,
					Start:    hcl.Pos{Byte: off + i},
					End:      hcl.Pos{Byte: off + i + len(s)},
				})
				off += i + len(s)
			}
		}
	}
	return ranges
}

// redactDiagnostics blanks the texts of sensitive values in the summaries
// and details of diags, and drops the expression and context of any
// diagnostic that mentioned one, so that the value is not rendered from
// the context either. Function errors, for example, may quote the argument
// they could not use.
func redactDiagnostics(diags hcl.Diagnostics, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	for _, d := range diags {
		for _, s := range secrets {
			if strings.Contains(d.Summary, s) || strings.Contains(d.Detail, s) {
				d.Summary = strings.ReplaceAll(d.Summary, s, "(sensitive value)")
				d.Detail = strings.ReplaceAll(d.Detail, s, "(sensitive value)")
				d.Expression, d.EvalContext = nil, nil
			}
		}
	}
}
