package spec

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/c2q/c2q/spec/plural"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
	wordwrap "github.com/mitchellh/go-wordwrap"
)

// Limits of what a diagnostic shows, so that a hostile or broken file (10
// KB of NUL bytes on one line, a hundred thousand mistakes) prints a
// bounded amount of text.
const (
	// MaxDiagnostics is how many diagnostics WriteDiagnostics and
	// JSONDiagnostics show; the rest are counted in one last line.
	MaxDiagnostics = 50
	// MaxSnippetWidth is the widest a source line of a snippet is shown, in
	// characters (an escaped control character counts as its escape): a
	// longer line is cut around the highlight, with "…" where it was cut.
	MaxSnippetWidth = 200
	// MaxSnippetLines is how many source lines a snippet shows.
	MaxSnippetLines = 20
	// maxSummary and maxDetail bound the summary and detail of one
	// diagnostic, in bytes, which may quote what the user wrote.
	maxSummary = 300
	maxDetail  = 2000
	// maxValues is how many "with var.x as ..." values a diagnostic shows.
	maxValues = 10
	// maxValueString is how long a string value is quoted in full.
	maxValueString = 100
)

// sensitiveText replaces the source text of secrets in snippets.
const sensitiveText = "(sensitive value)"

// snippetMask is the Extra of a diagnostic whose snippet may show a secret
// written in the files: the text of those ranges is shown as "(sensitive
// value)". It wraps what Extra held before.
type snippetMask struct {
	ranges  []hcl.Range
	wrapped any
}

// UnwrapDiagnosticExtra makes hcl.DiagnosticExtra see what the mask wraps.
func (m *snippetMask) UnwrapDiagnosticExtra() any { return m.wrapped }

// maskDiagnostics attaches the source ranges of secrets to every
// diagnostic, so that no snippet shows them.
func maskDiagnostics(diags hcl.Diagnostics, ranges []hcl.Range) {
	if len(ranges) == 0 {
		return
	}
	for _, d := range diags {
		if m, ok := d.Extra.(*snippetMask); ok {
			m.ranges = append(m.ranges[:len(m.ranges):len(m.ranges)], ranges...)
			continue
		}
		d.Extra = &snippetMask{ranges: ranges, wrapped: d.Extra}
	}
}

// masksOf returns the ranges of d's snippet to hide.
func masksOf(d *hcl.Diagnostic) []hcl.Range {
	// Not hcl.DiagnosticExtra: it would unwrap the mask itself.
	for extra := d.Extra; extra != nil; {
		if m, ok := extra.(*snippetMask); ok {
			return m.ranges
		}
		u, ok := extra.(hcl.DiagnosticExtraUnwrapper)
		if !ok {
			return nil
		}
		extra = u.UnwrapDiagnosticExtra()
	}
	return nil
}

// WriteDiagnostics renders diags for a terminal, the way Terraform does:
// severity and summary, the file and line with the enclosing block, the
// source lines with the subject highlighted (when color is set), the values
// of the variables involved, and the detail wrapped at width (0: no
// wrapping). files are the parsed files by name, normally Config.Files; a
// diagnostic in a file not among them is shown without a snippet.
//
// What comes from the files is escaped: control characters, NUL bytes and
// invalid UTF-8 are shown as \x1b, \x00, \xff, so that a file cannot drive
// the terminal. At most [MaxDiagnostics] diagnostics are shown (errors
// first, then warnings, each in order), then a line counting the others;
// snippets show at most [MaxSnippetLines] lines, each cut to
// [MaxSnippetWidth] characters; secrets written in the files are shown as
// "(sensitive value)".
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, files map[string]*hcl.File, width uint, color bool) error {
	shown, moreErrors, moreWarnings := selectDiagnostics(diags)
	dw := &diagWriter{w: w, files: files, width: width, color: color}
	for _, d := range shown {
		if err := dw.write(d); err != nil {
			return err
		}
	}
	if moreErrors+moreWarnings > 0 {
		if _, err := fmt.Fprintf(w, "%s\n\n", notShown(moreErrors, moreWarnings)); err != nil {
			return fmt.Errorf("write failed: %w", err)
		}
	}
	return nil
}

// selectDiagnostics picks the diagnostics to show, at most MaxDiagnostics,
// errors before warnings, in their order; it counts those left out.
func selectDiagnostics(diags hcl.Diagnostics) (shown hcl.Diagnostics, moreErrors, moreWarnings int) {
	var n int
	for _, d := range diags {
		if d != nil {
			n++
		}
	}
	if n <= MaxDiagnostics {
		for _, d := range diags {
			if d != nil {
				shown = append(shown, d)
			}
		}
		return shown, 0, 0
	}
	keep := make(map[*hcl.Diagnostic]bool, MaxDiagnostics)
	for _, errorsFirst := range []bool{true, false} {
		for _, d := range diags {
			if d != nil && len(keep) < MaxDiagnostics && (d.Severity == hcl.DiagError) == errorsFirst {
				keep[d] = true
			}
		}
	}
	for _, d := range diags {
		switch {
		case d == nil:
		case keep[d]:
			shown = append(shown, d)
		case d.Severity == hcl.DiagError:
			moreErrors++
		default:
			moreWarnings++
		}
	}
	return shown, moreErrors, moreWarnings
}

// notShown is the line that counts the diagnostics left out.
func notShown(moreErrors, moreWarnings int) string {
	var parts []string
	if moreErrors > 0 {
		parts = append(parts, count(moreErrors, "more error", "more errors"))
	}
	if moreWarnings > 0 {
		parts = append(parts, count(moreWarnings, "more warning", "more warnings"))
	}
	return fmt.Sprintf("… and %s not shown (at most %d diagnostics are shown).", strings.Join(parts, " and "), MaxDiagnostics)
}

// count is n, with thousands separators, and the form of the words for n:
// "100,000 more errors".
func count(n int, one, many string) string {
	return commas(int64(n)) + " " + plural.Choose(n, one, many)
}

type diagWriter struct {
	w     io.Writer
	files map[string]*hcl.File
	width uint
	color bool
}

// write renders d as hcl's diagnostic text writer does, with the limits
// and escaping of WriteDiagnostics.
func (dw *diagWriter) write(d *hcl.Diagnostic) error {
	var colorCode, highlightCode, resetCode string
	if dw.color {
		switch d.Severity {
		case hcl.DiagError:
			colorCode = "\x1b[31m"
		case hcl.DiagWarning:
			colorCode = "\x1b[33m"
		}
		resetCode = "\x1b[0m"
		highlightCode = "\x1b[1;4m"
	}
	severity := "???????"
	switch d.Severity {
	case hcl.DiagError:
		severity = "Error"
	case hcl.DiagWarning:
		severity = "Warning"
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s%s%s: %s\n\n", colorCode, severity, resetCode, EscapeText(truncate(d.Summary, maxSummary), false))

	if d.Subject != nil {
		file := dw.files[d.Subject.Filename]
		name := EscapeText(truncate(d.Subject.Filename, MaxSnippetWidth), false)
		if file == nil || file.Bytes == nil {
			fmt.Fprintf(&buf, "  on %s line %d:\n  (source code not available)\n\n", name, d.Subject.Start.Line)
		} else {
			where := ""
			if ctx := safeContextString(file, d.Subject.Start.Byte); ctx != "" {
				where = ", in " + EscapeText(truncate(ctx, MaxSnippetWidth), false)
			}
			fmt.Fprintf(&buf, "  on %s line %d%s:\n", name, d.Subject.Start.Line, where)
			s := newSnippet(file.Bytes, d, true)
			for _, l := range s.lines {
				if l.highlight == "" {
					fmt.Fprintf(&buf, "%4d: %s%s\n", l.num, l.before, l.after)
				} else {
					fmt.Fprintf(&buf, "%4d: %s%s%s%s%s\n", l.num, l.before, highlightCode, l.highlight, resetCode, l.after)
				}
			}
			if s.omitted > 0 {
				fmt.Fprintf(&buf, "      … %s not shown\n", count(s.omitted, "more line", "more lines"))
			}
			buf.WriteByte('\n')
		}

		if d.Expression != nil && d.EvalContext != nil {
			stmts := valueStatements(d)
			for i, stmt := range stmts {
				if i == 0 {
					buf.WriteString("with ")
				} else {
					buf.WriteString("     ")
				}
				buf.WriteString(EscapeText(stmt, false))
				if i == len(stmts)-1 {
					buf.WriteString(".\n\n")
				} else {
					buf.WriteString(",\n")
				}
			}
		}
	}

	if d.Detail != "" {
		detail := EscapeText(truncate(d.Detail, maxDetail), true)
		if dw.width != 0 {
			detail = wordwrap.WrapString(detail, dw.width)
		}
		fmt.Fprintf(&buf, "%s\n\n", detail)
	}
	if _, err := dw.w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write failed: %w", err)
	}
	return nil
}

// valueStatements are the "var.x as ..." lines of d, as hcl writes them:
// the values of the references in its expression, sorted, at most
// maxValues of them. Unknown and sensitive values are left out.
func valueStatements(d *hcl.Diagnostic) []string {
	vars := d.Expression.Variables()
	stmts := make([]string, 0, min(len(vars), maxValues+1))
	seen := make(map[string]bool, len(vars))
	for _, traversal := range vars {
		val, diags := traversal.TraverseAbs(d.EvalContext)
		if diags.HasErrors() {
			continue // already reported
		}
		name := truncate(traversalString(traversal), MaxSnippetWidth)
		if seen[name] {
			continue
		}
		switch {
		case !val.IsKnown(), val.ContainsMarked():
			continue
		case val.IsNull():
			stmts = append(stmts, name+" set to null")
		default:
			stmts = append(stmts, name+" as "+compactValue(val))
		}
		seen[name] = true
	}
	sort.Strings(stmts)
	if len(stmts) > maxValues {
		more := len(stmts) - maxValues
		stmts = append(stmts[:maxValues], count(more, "more value", "more values")+" not shown")
	}
	return stmts
}

// safeContextString is hcled.ContextString, which is the block header a
// position is in, or "" for a position outside the file.
func safeContextString(file *hcl.File, offset int) string {
	if offset < 0 || offset > len(file.Bytes) {
		return ""
	}
	return hcled.ContextString(file, offset)
}

// truncate cuts s to at most n bytes, at a character boundary, with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return prefix(s, n) + "…"
}

// prefix is the longest prefix of s of at most n bytes that ends at a
// character boundary.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// EscapeText makes text safe to print on a terminal: control characters
// (C0 but tab, DEL, C1), NUL, Unicode format and separator characters
// (bidirectional overrides, U+2028) and invalid UTF-8 are written as Go
// escapes (\x1b, \x00, \u202e, \xff) and a backslash stays as it is. With
// keepNewlines, newlines (and the CR of a CRLF) are kept, for multi-line
// text; otherwise a newline is written \n and a CR \r.
func EscapeText(s string, keepNewlines bool) string {
	if !needsEscape(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepNewlines && (r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n")):
			b.WriteRune(r)
		default:
			b.WriteString(escapeRune(r))
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return true
		}
		if unsafeRune(r) && !(keepNewlines && (r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n"))) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune reports whether r must not reach a terminal as it is.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r < 0x80:
		return false
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) || r == utf8.RuneError
}

// escapeRune is r as it is printed: itself when safe, else a Go escape.
func escapeRune(r rune) string {
	if !unsafeRune(r) {
		return string(r)
	}
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// snippet is the source of a diagnostic as shown: its lines cut to
// MaxSnippetWidth, at most MaxSnippetLines of them.
type snippet struct {
	lines   []snippetLine
	omitted int // lines left out at the end
}

// snippetLine is one line of a snippet, split around the highlight.
type snippetLine struct {
	num                      int
	before, highlight, after string
}

// newSnippet returns the lines of src that d's snippet shows: those of its
// context and subject, as hcl shows them, or when they are more than
// MaxSnippetLines those of its subject alone, at most MaxSnippetLines of
// them. escape writes control characters escaped (for a terminal); JSON
// keeps them, since JSON escapes them itself.
func newSnippet(src []byte, d *hcl.Diagnostic, escape bool) snippet {
	highlight, snip := snippetRanges(d)
	lines, more := overlappingLines(src, snip, MaxSnippetLines)
	if more > 0 {
		lines, more = overlappingLines(src, highlight, MaxSnippetLines)
	}
	s := snippet{omitted: more}
	masks := mergeRanges(masksOf(d), highlight.Filename)
	for _, line := range lines {
		s.lines = append(s.lines, renderLine(src, line, highlight, masks, escape))
	}
	return s
}

// snippetRanges returns the highlight of d (its subject) and the range its
// snippet covers (subject and context), as hcl's text writer computes
// them: an empty range becomes one byte long.
func snippetRanges(d *hcl.Diagnostic) (highlight, snip hcl.Range) {
	highlight = *d.Subject
	if highlight.End == (hcl.Pos{}) {
		highlight.End = highlight.Start // a subject without an end
	}
	snip = highlight
	if d.Context != nil && d.Context.Filename == highlight.Filename {
		snip = hcl.RangeOver(snip, *d.Context)
	}
	if snip.Empty() {
		snip.End.Byte++
		snip.End.Column++
	}
	if highlight.Empty() {
		highlight.End.Byte++
		highlight.End.Column++
	}
	return highlight, snip
}

// overlappingLines returns the first limit lines of src (without their
// line ending) that overlap r, as hcl's text writer selects them, and how
// many more there are. Only the lines near r are scanned.
func overlappingLines(src []byte, r hcl.Range, limit int) (lines []hcl.Range, more int) {
	start := min(max(r.Start.Byte, 0), len(src))
	ls := bytes.LastIndexByte(src[:start], '\n') + 1 // the start of r's first line
	num := max(r.Start.Line, 1)
	for ls <= len(src) && ls <= max(r.End.Byte, start) {
		le := len(src)
		if i := bytes.IndexByte(src[ls:], '\n'); i >= 0 {
			le = ls + i
		}
		end := le
		if end > ls && src[end-1] == '\r' {
			end--
		}
		line := hcl.Range{
			Filename: r.Filename,
			Start:    hcl.Pos{Line: num, Column: 1, Byte: ls},
			End:      hcl.Pos{Line: num, Column: 1 + end - ls, Byte: end},
		}
		if line.Overlaps(r) {
			if len(lines) < limit {
				lines = append(lines, line)
			} else {
				more++
			}
		}
		if le == len(src) {
			break
		}
		ls, num = le+1, num+1
	}
	return lines, more
}

// mergeRanges returns the ranges in file, sorted and merged where they
// overlap or touch.
func mergeRanges(ranges []hcl.Range, file string) []hcl.Range {
	var out []hcl.Range
	for _, r := range ranges {
		if r.Filename == file && r.End.Byte > r.Start.Byte {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Byte < out[j].Start.Byte })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 && r.Start.Byte <= merged[n-1].End.Byte {
			merged[n-1].End.Byte = max(merged[n-1].End.Byte, r.End.Byte)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// renderLine returns line as shown: the masked ranges (sorted and
// disjoint) replaced by "(sensitive value)", control characters escaped
// when escape is set, and at most MaxSnippetWidth characters around the
// start of the highlight, with "…" where the line was cut.
func renderLine(src []byte, line, highlight hcl.Range, masks []hcl.Range, escape bool) snippetLine {
	hs, he := highlight.Start.Byte, highlight.End.Byte
	// The masks that may touch the line, in order.
	first := sort.Search(len(masks), func(i int) bool { return masks[i].End.Byte > line.Start.Byte })
	masks = masks[first:]
	// A unit is what one step shows: a character, its escape, or a mask.
	// Units are visited in order, so the masks are consumed in order.
	type unit struct {
		text string
		size int
		hl   bool
	}
	next := func(p int, masks *[]hcl.Range) unit {
		hl := p >= hs && p < he
		for len(*masks) > 0 && (*masks)[0].End.Byte <= p {
			*masks = (*masks)[1:]
		}
		if len(*masks) > 0 && (*masks)[0].Start.Byte <= p {
			return unit{sensitiveText, min((*masks)[0].End.Byte, line.End.Byte) - p, hl}
		}
		r, size := utf8.DecodeRune(src[p:line.End.Byte])
		switch {
		case r == utf8.RuneError && size == 1:
			if escape {
				return unit{fmt.Sprintf(`\x%02x`, src[p]), 1, hl}
			}
		case escape && unsafeRune(r):
			return unit{escapeRune(r), size, hl}
		}
		return unit{string(src[p : p+size]), size, hl}
	}
	width := func(text string) int { return utf8.RuneCountInString(text) }

	// First pass: the width of the line and the column of the highlight.
	total, hlCol := 0, -1
	pending := masks
	for p := line.Start.Byte; p < line.End.Byte; {
		u := next(p, &pending)
		if u.hl && hlCol < 0 {
			hlCol = total
		}
		total += width(u.text)
		p += u.size
	}
	from := 0 // the first column shown
	if total > MaxSnippetWidth && hlCol > MaxSnippetWidth*3/4 {
		from = min(hlCol-MaxSnippetWidth/4, total-MaxSnippetWidth+1)
	}
	avail := MaxSnippetWidth
	if from > 0 {
		avail-- // for the leading "…"
	}
	if from+avail < total {
		avail-- // for the trailing "…"
	}

	var before, in, after strings.Builder
	if from > 0 {
		before.WriteString("…")
	}
	col, cut := 0, false
	pending = masks
	for p := line.Start.Byte; p < line.End.Byte && !cut; {
		u := next(p, &pending)
		w := width(u.text)
		switch {
		case col < from:
		case col+w > from+avail:
			cut = true
		case u.hl:
			in.WriteString(u.text)
		case in.Len() == 0 && p < hs:
			before.WriteString(u.text)
		default:
			after.WriteString(u.text)
		}
		col += w
		p += u.size
	}
	if cut {
		after.WriteString("…")
	}
	return snippetLine{num: line.Start.Line, before: before.String(), highlight: in.String(), after: after.String()}
}
