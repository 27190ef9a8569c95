package spec

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// JSONFormatVersion is the format_version of [JSONValidate], that of
// terraform validate -json.
const JSONFormatVersion = "1.0"

// JSONValidate is the result of validate -json, in the shape of terraform
// validate -json: json.MarshalIndent(v, "", "  ") prints it as Terraform
// does.
type JSONValidate struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []JSONDiagnostic `json:"diagnostics"` // never null
}

// JSONDiagnostic is one diagnostic in Terraform's machine-readable form.
// Range and Snippet are absent for a diagnostic without a subject; Snippet
// alone is absent when the source of the file is not known.
type JSONDiagnostic struct {
	Severity string       `json:"severity"` // "error" or "warning"
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail"`
	Range    *JSONRange   `json:"range,omitempty"`
	Snippet  *JSONSnippet `json:"snippet,omitempty"`
}

// JSONRange is the subject of a diagnostic: Start is inclusive, End
// exclusive.
type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

// JSONPos is a position in a file: Line and Column (in characters) count
// from 1, Byte from 0.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// JSONSnippet is the source of a diagnostic: the whole lines of its context
// (or subject), the block it is in, and where in Code the subject is.
type JSONSnippet struct {
	// Context is the header of the top-level block of the subject, such as
	// `session "market_cap"`; null outside blocks.
	Context *string `json:"context"`
	// Code is the source lines, without the last newline.
	Code string `json:"code"`
	// StartLine is the line number of Code's first line.
	StartLine int `json:"start_line"`
	// HighlightStartOffset and HighlightEndOffset are the byte offsets of
	// the subject in Code.
	HighlightStartOffset int `json:"highlight_start_offset"`
	HighlightEndOffset   int `json:"highlight_end_offset"`
	// Values are the values of the references in the expression the
	// diagnostic is about, sorted by reference; never null.
	Values []JSONExpressionValue `json:"values"`
}

// JSONExpressionValue is the value of a reference, such as var.mode, when
// the expression of a diagnostic was evaluated.
type JSONExpressionValue struct {
	Traversal string `json:"traversal"`
	Statement string `json:"statement"` // such as `is "auto-breakdown"`
}

// JSONDiagnostics returns diags as terraform validate -json reports them.
// files are the parsed files by name (normally Config.Files), for the
// snippets; a diagnostic in another file has a range but no snippet.
//
// The limits of [WriteDiagnostics] apply: ErrorCount and WarningCount
// count every diagnostic, but at most [MaxDiagnostics] are listed (errors
// first), followed by one more, not counted, whose summary is "Too many
// diagnostics" and whose detail counts the others.
func JSONDiagnostics(diags hcl.Diagnostics, files map[string]*hcl.File) JSONValidate {
	v := JSONValidate{FormatVersion: JSONFormatVersion, Valid: true, Diagnostics: []JSONDiagnostic{}}
	for _, d := range diags {
		if d == nil {
			continue
		}
		switch d.Severity {
		case hcl.DiagError:
			v.ErrorCount++
			v.Valid = false
		case hcl.DiagWarning:
			v.WarningCount++
		}
	}
	shown, moreErrors, moreWarnings := selectDiagnostics(diags)
	for _, d := range shown {
		v.Diagnostics = append(v.Diagnostics, NewJSONDiagnostic(d, files))
	}
	if moreErrors+moreWarnings > 0 {
		// The counts above are of all diagnostics; this one says that
		// the list is cut, and is not counted.
		v.Diagnostics = append(v.Diagnostics, JSONDiagnostic{
			Severity: "warning",
			Summary:  "Too many diagnostics",
			Detail:   notShown(moreErrors, moreWarnings),
		})
	}
	return v
}

// NewJSONDiagnostic returns d in Terraform's machine-readable form, as in
// the diagnostics of terraform validate -json and of its -json event
// streams. files are as for [JSONDiagnostics].
func NewJSONDiagnostic(d *hcl.Diagnostic, files map[string]*hcl.File) JSONDiagnostic {
	jd := JSONDiagnostic{Severity: "unknown", Summary: truncate(d.Summary, maxSummary), Detail: truncate(d.Detail, maxDetail)}
	switch d.Severity {
	case hcl.DiagError:
		jd.Severity = "error"
	case hcl.DiagWarning:
		jd.Severity = "warning"
	}
	if d.Subject == nil {
		return jd
	}

	highlight, _ := snippetRanges(d)
	jd.Range = &JSONRange{
		Filename: highlight.Filename,
		Start:    JSONPos{Line: highlight.Start.Line, Column: highlight.Start.Column, Byte: highlight.Start.Byte},
		End:      JSONPos{Line: highlight.End.Line, Column: highlight.End.Column, Byte: highlight.End.Byte},
	}

	file := files[highlight.Filename]
	if file == nil || file.Bytes == nil {
		return jd
	}
	s := &JSONSnippet{StartLine: highlight.Start.Line, Values: []JSONExpressionValue{}}
	// The block the subject is in. Like Terraform, look just before the
	// subject, so that a diagnostic about a block's header is not said to
	// be inside that block.
	if ctx := safeContextString(file, highlight.Start.Byte-1); ctx != "" {
		ctx = truncate(ctx, MaxSnippetWidth)
		s.Context = &ctx
	}

	// The lines of the snippet, as the text writer shows them but not
	// escaped (JSON escapes control characters itself): at most
	// MaxSnippetLines, each cut to MaxSnippetWidth characters, secrets
	// masked. The highlight offsets are those in this text.
	var code strings.Builder
	start, end, fallback := -1, -1, 0
	sn := newSnippet(file.Bytes, d, false)
	for i, l := range sn.lines {
		if i == 0 {
			s.StartLine = l.num
		} else {
			code.WriteByte('\n')
		}
		code.WriteString(l.before)
		if l.num == highlight.Start.Line {
			fallback = code.Len()
		}
		if l.highlight != "" {
			if start < 0 {
				start = code.Len()
			}
			code.WriteString(l.highlight)
			end = code.Len()
		}
		code.WriteString(l.after)
	}
	s.Code = code.String()
	if start < 0 { // an empty highlight, such as past the end of its line
		// Like hcl, show it as one byte, the line's end.
		start, end = fallback, min(fallback+highlight.End.Byte-highlight.Start.Byte, code.Len())
	}
	s.HighlightStartOffset, s.HighlightEndOffset = start, end

	if d.Expression != nil && d.EvalContext != nil {
		s.Values = expressionValues(d.Expression, d.EvalContext)
	}
	jd.Snippet = s
	return jd
}

// expressionValues returns the values of the references of expr in ctx,
// as Terraform does: for each reference, that of its longest prefix (of
// at least two steps, var.x rather than var) that evaluates without error.
// Unknown and marked values are left out: a marked (sensitive) value must
// never be shown.
func expressionValues(expr hcl.Expression, ctx *hcl.EvalContext) []JSONExpressionValue {
	values := []JSONExpressionValue{}
	seen := map[string]bool{}
	for _, traversal := range expr.Variables() {
		for ; len(traversal) > 1; traversal = traversal[:len(traversal)-1] {
			val, diags := traversal.TraverseAbs(ctx)
			if diags.HasErrors() {
				continue
			}
			name := truncate(traversalString(traversal), MaxSnippetWidth)
			if seen[name] || !val.IsWhollyKnown() || val.ContainsMarked() {
				break
			}
			seen[name] = true
			values = append(values, JSONExpressionValue{Traversal: name, Statement: "is " + compactValue(val)})
			break
		}
	}
	sort.Slice(values, func(i, j int) bool { return values[i].Traversal < values[j].Traversal })
	if len(values) > maxValues {
		values = values[:maxValues]
	}
	return values
}

// traversalString writes a traversal as HCL does, like var.x or
// question.s.q.rows[0].
func traversalString(traversal hcl.Traversal) string {
	var buf bytes.Buffer
	for _, step := range traversal {
		switch step := step.(type) {
		case hcl.TraverseRoot:
			buf.WriteString(step.Name)
		case hcl.TraverseAttr:
			buf.WriteByte('.')
			buf.WriteString(step.Name)
		case hcl.TraverseIndex:
			buf.WriteByte('[')
			if step.Key.Type().IsPrimitiveType() && step.Key.IsWhollyKnown() && !step.Key.ContainsMarked() {
				buf.WriteString(compactValue(step.Key))
			} else {
				buf.WriteString("...")
			}
			buf.WriteByte(']')
		}
	}
	return buf.String()
}

// compactValue describes a value in a few words, as Terraform's diagnostics
// do: primitives in full, collections and objects by their size.
func compactValue(val cty.Value) string {
	ty := val.Type()
	switch {
	case val.IsNull():
		return "null"
	case !val.IsKnown():
		return "(not yet known)"
	case ty == cty.Bool:
		if val.True() {
			return "true"
		}
		return "false"
	case ty == cty.Number:
		return numberString(val.AsBigFloat())
	case ty == cty.String:
		str := val.AsString()
		if len(str) > maxValueString {
			return fmt.Sprintf("%q… (%d characters)", prefix(str, maxValueString), utf8.RuneCountInString(str))
		}
		return fmt.Sprintf("%q", str)
	case ty.IsCollectionType() || ty.IsTupleType():
		switch n := val.LengthInt(); n {
		case 0:
			return "empty " + ty.FriendlyName()
		case 1:
			return ty.FriendlyName() + " with 1 element"
		default:
			return fmt.Sprintf("%s with %d elements", ty.FriendlyName(), n)
		}
	case ty.IsObjectType():
		attrs := ty.AttributeTypes()
		switch len(attrs) {
		case 0:
			return "object with no attributes"
		case 1:
			for name := range attrs {
				return fmt.Sprintf("object with 1 attribute %q", name)
			}
		}
		return fmt.Sprintf("object with %d attributes", len(attrs))
	}
	return ty.FriendlyName()
}

// numberString writes f with 10 significant digits, as Terraform does,
// except that a number with a huge exponent, which big.Float takes seconds
// to write in decimal (1E10000000: 7 s), is written from its binary
// exponent with 6 significant digits (those that float64 arithmetic gets
// right for any exponent).
func numberString(f *big.Float) string {
	mant := new(big.Float)
	exp := f.MantExp(mant)
	if exp > -10000 && exp < 10000 || f.IsInf() {
		return f.Text('g', 10)
	}
	m, _ := mant.Float64() // in [0.5, 1)
	log := math.Log10(math.Abs(m)) + float64(exp)*math.Log10(2)
	e := math.Floor(log)
	return fmt.Sprintf("%.6ge%+d", math.Copysign(math.Pow(10, log-e), m), int64(e))
}
