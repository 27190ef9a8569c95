package spec

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// constString returns the value of expr when it is a string written as a
// literal: a quoted string or heredoc without interpolations, possibly in
// parentheses.
func constString(expr hcl.Expression) (string, bool) {
	expr = unwrapParens(expr)
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range e.Parts {
			lit, ok := p.(*hclsyntax.LiteralValueExpr)
			if !ok || lit.Val.Type() != cty.String || lit.Val.IsNull() {
				return "", false
			}
			b.WriteString(lit.Val.AsString())
		}
		return b.String(), true
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() == cty.String && !e.Val.IsNull() && e.Val.IsKnown() {
			return e.Val.AsString(), true
		}
	}
	return "", false
}

func unwrapParens(expr hcl.Expression) hcl.Expression {
	for {
		p, ok := expr.(*hclsyntax.ParenthesesExpr)
		if !ok {
			return expr
		}
		expr = p.Expression
	}
}

// checkSQL parses sql, the value of expr, with TiDB's parser and returns a
// diagnostic when it cannot be read. When expr is a literal, the subject is
// the exact place of the error inside the string or heredoc; otherwise it
// is expr, and the detail gives the line and column. instance is the
// address of the session instance for the detail, or "".
func (l *loader) checkSQL(expr hcl.Expression, sql, instance, summary, what string) *hcl.Diagnostic {
	return l.checkSQLWith(expr, sql, instance, summary, what, sqlmatch.Canonical)
}

func (l *loader) checkSQLWith(expr hcl.Expression, sql, instance, summary, what string, parse func(string) (string, error)) *hcl.Diagnostic {
	if len(sql) > MaxSQLSize {
		detail := fmt.Sprintf("%s is %s long; a statement may have at most %s.", strings.ToUpper(what[:1])+what[1:], byteSize(int64(len(sql))), byteSize(MaxSQLSize))
		if instance != "" {
			detail = "In " + instance + ": " + detail
		}
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "SQL too long",
			Detail:   detail,
			Subject:  l.firstLine(expr.Range()).Ptr(),
		}
	}
	_, err := parse(sql)
	if err == nil {
		return nil
	}
	subject := expr.Range()
	detail := fmt.Sprintf("TiDB's parser cannot read %s: %v.", what, err)
	var pe *sqlmatch.ParseError
	if errors.As(err, &pe) {
		if r, ok := l.sqlErrorRange(expr, sql, pe); ok {
			subject = r
			detail = fmt.Sprintf("TiDB's parser cannot read %s: %s", what, pe.Msg)
			switch {
			case pe.Near != "":
				detail += fmt.Sprintf(" near %q", pe.Near)
			case atEnd(sql, pe):
				detail += " at the end of the SQL"
			}
			detail += "."
		}
	}
	if instance != "" {
		detail = "In " + instance + ": " + detail
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  &subject,
	}
}

// firstLine is r cut at the end of its first line, so that the snippet of a
// long heredoc is its first line.
func (l *loader) firstLine(r hcl.Range) hcl.Range {
	file := l.cfg.Files[r.Filename]
	if file == nil || r.Start.Line == r.End.Line || r.Start.Byte < 0 || r.Start.Byte > len(file.Bytes) {
		return r
	}
	n := bytes.IndexByte(file.Bytes[r.Start.Byte:], '\n')
	if n < 0 {
		return r
	}
	r.End = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + utf8.RuneCount(file.Bytes[r.Start.Byte:r.Start.Byte+n]), Byte: r.Start.Byte + n}
	return r
}

// sqlErrorRange finds the source range of a parse error in sql, the value of
// expr, when expr is a literal string or heredoc.
func (l *loader) sqlErrorRange(expr hcl.Expression, sql string, pe *sqlmatch.ParseError) (hcl.Range, bool) {
	te, ok := unwrapParens(expr).(*hclsyntax.TemplateExpr)
	if !ok {
		return hcl.Range{}, false
	}
	file := l.cfg.Files[te.SrcRange.Filename]
	if file == nil {
		return hcl.Range{}, false
	}
	src := file.Bytes
	off := offsetOf(sql, pe.Line, pe.Column)
	if off < 0 {
		return hcl.Range{}, false
	}
	if pe.Near == "" {
		// At the end: point after the last word rather than at the line that
		// closes the heredoc.
		off = len(strings.TrimRight(sql[:off], " \t\r\n"))
	}
	heredoc := te.SrcRange.Start.Byte+2 <= len(src) && string(src[te.SrcRange.Start.Byte:te.SrcRange.Start.Byte+2]) == "<<"
	start := 0
	for i, p := range te.Parts {
		lit, ok := p.(*hclsyntax.LiteralValueExpr)
		if !ok || lit.Val.Type() != cty.String || lit.Val.IsNull() {
			return hcl.Range{}, false
		}
		val := lit.Val.AsString()
		if off > start+len(val) || (off == start+len(val) && i < len(te.Parts)-1) {
			start += len(val)
			continue
		}
		r := lit.SrcRange
		if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
			return hcl.Range{}, false
		}
		j, ok := alignLiteral(string(src[r.Start.Byte:r.End.Byte]), val, off-start, heredoc)
		if !ok {
			return hcl.Range{}, false
		}
		return tokenRange(src, r.Filename, r.Start, j, r.End.Byte), true
	}
	return hcl.Range{}, false
}

// atEnd reports whether pe is at the end of sql, white space aside.
func atEnd(sql string, pe *sqlmatch.ParseError) bool {
	off := offsetOf(sql, pe.Line, pe.Column)
	return off >= 0 && strings.TrimSpace(sql[off:]) == ""
}

// offsetOf converts a 1-based line and column (in characters) of s into a
// byte offset, or -1.
func offsetOf(s string, line, column int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(s[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 1; c < column; c++ {
		if off >= len(s) || s[off] == '\n' {
			break
		}
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// alignLiteral maps byte offset target of val, the value of a template
// literal, to a byte offset in src, its source text: a quoted string's
// escapes, the doubled $${ and %%{, and the indentation a <<- heredoc
// strips from each line make them differ.
func alignLiteral(src, val string, target int, heredoc bool) (int, bool) {
	i, j := 0, 0
	for i < target && j < len(src) {
		switch {
		case !heredoc && src[j] == '\\' && j+1 < len(src):
			n, produced := escapeLen(src[j:])
			i += produced
			j += n
		case strings.HasPrefix(src[j:], "$${") || strings.HasPrefix(src[j:], "%%{"):
			j++ // one sign of two, then the rest matches
			i++
			j++
		case i < len(val) && src[j] == val[i]:
			i++
			j++
		case src[j] == ' ' || src[j] == '\t':
			j++ // indentation stripped from a heredoc line
		default:
			return 0, false
		}
	}
	// Indentation stripped before the target itself.
	for j < len(src) && i < len(val) && src[j] != val[i] && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	return j, i == target
}

// escapeLen is the length in the source of the escape sequence starting s,
// and the length of the character it stands for.
func escapeLen(s string) (n, produced int) {
	switch s[1] {
	case 'u', 'U':
		digits := 4
		if s[1] == 'U' {
			digits = 8
		}
		if len(s) >= 2+digits {
			var r rune
			if _, err := fmt.Sscanf(s[2:2+digits], "%x", &r); err == nil && utf8.ValidRune(r) {
				return 2 + digits, utf8.RuneLen(r)
			}
		}
	}
	return 2, 1
}

// tokenRange is the range from byte offset rel after start up to the end
// of the token there (at most to limit, and within the line).
func tokenRange(src []byte, filename string, start hcl.Pos, rel, limit int) hcl.Range {
	pos := start
	for k := start.Byte; k < start.Byte+rel && k < len(src); {
		r, size := utf8.DecodeRune(src[k:])
		if r == '\n' {
			pos.Line++
			pos.Column = 1
		} else {
			pos.Column++
		}
		k += size
		pos.Byte = k
	}
	end := pos
	for k := pos.Byte; k < limit && k < len(src); {
		r, size := utf8.DecodeRune(src[k:])
		if r == '\n' || r == ' ' || r == '\t' || r == '\r' || (k > pos.Byte && strings.ContainsRune("(),;", r)) {
			break
		}
		end.Column++
		k += size
		end.Byte = k
	}
	return hcl.Range{Filename: filename, Start: pos, End: end}
}

// literalChecks compiles the constant regular expressions given to regex,
// regexall and replace, and parses the constant SQL given to the SQL
// functions, in every file, wherever the call is. It returns the
// diagnostics and the ranges they cover: evaluation errors at the same
// place are the same mistake.
func (l *loader) literalChecks(files []*hcl.File) (hcl.Diagnostics, []hcl.Range) {
	var diags hcl.Diagnostics
	var ranges []hcl.Range
	for _, f := range files {
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			call, ok := n.(*hclsyntax.FunctionCallExpr)
			if !ok || call.ExpandFinal {
				return nil
			}
			var d *hcl.Diagnostic
			switch call.Name {
			case "regex", "regexall":
				if len(call.Args) > 0 {
					if pattern, ok := constString(call.Args[0]); ok {
						d = badRegex(call.Args[0], pattern, call.Name)
					}
				}
			case "replace":
				if len(call.Args) > 1 {
					if s, ok := constString(call.Args[1]); ok {
						if pattern, isRegex := slashRegex(s); isRegex {
							d = badRegex(call.Args[1], pattern, call.Name)
						}
					}
				}
			case "sql_canonical", "sql_fingerprint", "sql_tables":
				if len(call.Args) > 0 {
					if sql, ok := constString(call.Args[0]); ok {
						parse := sqlmatch.Canonical
						if call.Name == "sql_tables" {
							parse = func(s string) (string, error) { _, err := sqlmatch.Tables(s); return "", err }
						}
						d = l.checkSQLWith(call.Args[0], sql, "", "Invalid SQL", "the SQL given to "+call.Name, parse)
					}
				}
			}
			if d != nil {
				diags = append(diags, d)
				ranges = append(ranges, call.Range())
			}
			return nil
		})
	}
	return diags, ranges
}

func badRegex(arg hclsyntax.Expression, pattern, fn string) *hcl.Diagnostic {
	if _, err := regexp.Compile(pattern); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "error parsing regexp: ")
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid regular expression",
			Detail:   fmt.Sprintf("The pattern given to %s is not a valid regular expression (RE2 syntax): %s.", fn, msg),
			Subject:  arg.Range().Ptr(),
		}
	}
	return nil
}

// within reports whether r lies inside outer.
func within(r, outer hcl.Range) bool {
	return r.Filename == outer.Filename && r.Start.Byte >= outer.Start.Byte && r.End.Byte <= outer.End.Byte
}
