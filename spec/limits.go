package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Limits on what a configuration may hold. A configuration comes from
// files that anyone may have written, or generated; past these limits c2q
// refuses it with a diagnostic that names the limit, rather than take
// minutes and gigabytes of memory, or crash. Each is far above what a
// configuration written by hand holds.
const (
	// MaxFileSize is the largest configuration or variables file, in bytes.
	// Parsing and evaluating a file takes up to a few hundred bytes of
	// memory per byte (a list of 250,000 numbers in 512 KiB: 290 MB at
	// the peak); cases by the thousand belong in a CSV file read with
	// file(), which may be MaxStringSize.
	MaxFileSize = 512 << 10
	// MaxConfigSize is the largest total of the files of a configuration,
	// variables files included.
	MaxConfigSize = 1 << 20
	// MaxNesting is how deep blocks, brackets, templates and operators may
	// nest in a file. HCL's parser recurses once per level, and a file of
	// a hundred thousand "(" overflows the stack, which kills the process.
	MaxNesting = 1000
	// MaxSQLSize is the longest expected SQL statement, and the longest SQL
	// given to the sql_* functions, in bytes.
	MaxSQLSize = 64 << 10
	// MaxInstances is the most instances a session block's for_each may
	// make.
	MaxInstances = 10000
	// MaxElements is the most elements (of a list, set, tuple or map, or
	// attributes of an object) that a function may return, and that a for
	// expression or for_each may iterate over.
	MaxElements = 100000
	// MaxStringSize is the longest string, in bytes, that a function may
	// return or file() may read.
	MaxStringSize = 4 << 20
)

// errTooLarge is readLimited's error for a file over its limit.
type errTooLarge struct {
	size, limit int64
}

func (e *errTooLarge) Error() string {
	return fmt.Sprintf("it is %s, over the limit of %s", byteSize(e.size), byteSize(e.limit))
}

// readLimited reads the regular file at path when it has at most limit
// bytes; it never reads more than limit+1 bytes, whatever the file is.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > limit {
		return nil, &errTooLarge{info.Size(), limit}
	}
	return readAllLimited(f, limit)
}

// readAllLimited reads r to its end, or fails after limit bytes.
func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, &errTooLarge{int64(len(src)), limit} // grew since Stat, or a stream
	}
	return src, nil
}

// byteSize writes n bytes for people: "1,048,576 bytes (1 MiB)".
func byteSize(n int64) string {
	s := fmt.Sprintf("%s bytes", commas(n))
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		s += fmt.Sprintf(" (%d MiB)", n>>20)
	case n >= 1<<20:
		s += fmt.Sprintf(" (%.1f MiB)", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		s += fmt.Sprintf(" (%d KiB)", n>>10)
	case n >= 1<<10:
		s += fmt.Sprintf(" (%.1f KiB)", float64(n)/(1<<10))
	}
	return s
}

// commas writes n with thousands separators.
func commas(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fileTooLarge is the diagnostic for a file over MaxFileSize, or one that
// would take the configuration over MaxConfigSize.
func fileTooLarge(what, path string, err error) *hcl.Diagnostic {
	var tl *errTooLarge
	errors.As(err, &tl)
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "File too large",
		Detail: fmt.Sprintf("The %s %q is %s; a file may have at most %s.",
			what, path, byteSize(tl.size), byteSize(tl.limit)),
	}
}

// configTooLarge is the diagnostic for a file that takes the total of a
// configuration's files over MaxConfigSize.
func configTooLarge(path string, total int64) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Configuration too large",
		Detail: fmt.Sprintf("With %q, the files of the configuration add up to %s; together they may have at most %s.",
			path, byteSize(total), byteSize(MaxConfigSize)),
	}
}

// parseConfig parses a configuration or variables file, after the checks
// of checkSource. A file that fails them is returned with its source (for
// snippets) and an empty body.
func parseConfig(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if diags := checkSource(src, filename); diags.HasErrors() {
		return &hcl.File{Body: hcl.EmptyBody(), Bytes: src}, diags
	}
	return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
}

// parseExpression parses an expression given outside the files, such as
// a -var value, of at most MaxFileSize bytes, after the checks of
// checkSource.
func parseExpression(src []byte, filename string) (hclsyntax.Expression, hcl.Diagnostics) {
	if len(src) > MaxFileSize {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Value too large",
			Detail:   fmt.Sprintf("It has %s, over the limit of %s.", byteSize(int64(len(src))), byteSize(MaxFileSize)),
		}}
	}
	if diags := checkSource(src, filename); diags.HasErrors() {
		return nil, diags
	}
	return hclsyntax.ParseExpression(src, filename, hcl.InitialPos)
}

// checkSource refuses what HCL's parser should not be given: a binary file
// (one with a NUL byte: its every byte would be an error) and nesting
// deeper than MaxNesting (see nestingDepth).
func checkSource(src []byte, filename string) hcl.Diagnostics {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Binary file",
			Detail:   fmt.Sprintf("%s contains a NUL byte, so it is not a text file; configuration files are UTF-8 text.", filename),
			Subject:  posRange(src, filename, i, i+1).Ptr(),
		}}
	}
	if at := tooDeep(src, filename, MaxNesting); at >= 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nesting too deep",
			Detail: fmt.Sprintf("Blocks, brackets, templates and operators nest more than %s levels deep here, over the limit: c2q does not parse a file that deep, since parsing it could exhaust the stack.",
				commas(MaxNesting)),
			Subject: posRange(src, filename, at, at+1).Ptr(),
		}}
	}
	return nil
}

// posRange is the range of bytes [start, end) of src, with lines and
// columns.
func posRange(src []byte, filename string, start, end int) hcl.Range {
	pos := func(off int) hcl.Pos {
		off = min(max(off, 0), len(src))
		line := bytes.Count(src[:off], []byte{'\n'}) + 1
		col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
		return hcl.Pos{Line: line, Column: col, Byte: off}
	}
	return hcl.Range{Filename: filename, Start: pos(start), End: pos(end)}
}

// tooDeep returns the offset in src where its nesting first goes deeper
// than limit, or -1. The nesting is an upper bound of the depth of the
// syntax tree HCL's parser would build, computed from the tokens: at each
// open bracket, block, quoted string, heredoc and template sequence one
// level, plus in each level the operators and closed brackets of the
// current item (an item ends at a comma, and at a newline in a block body
// or object), since a chain such as !!!x, a+b+c, a ? b : c ? d : e or
// a[x][y] nests one node per operator; and in a template, the open %{if}
// and %{for} directives.
//
// Only a file with more than limit bytes that can add a level is lexed,
// so ordinary files cost one pass over their bytes.
func tooDeep(src []byte, filename string, limit int) int {
	openers := 0
	for _, c := range src {
		switch c {
		case '(', '[', '{', ')', ']', '}', '"', '<', '!', '-', '+', '*', '/', '%', '>', '=', '&', '|', '?':
			openers++ // each level needs one of these
		}
	}
	if 1+openers <= limit {
		return -1
	}
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	_, at := nesting(tokens, limit)
	return at
}

// nesting is tooDeep on tokens: the deepest nesting, up to limit+1, and
// the byte offset of the token at which it goes deeper than limit, or -1.
func nesting(tokens hclsyntax.Tokens, limit int) (deepest, at int) {
	type level struct {
		typ hclsyntax.TokenType // the token that opened it; TokenNil at the top
		ops int
	}
	stack := []level{{typ: hclsyntax.TokenNil}}
	depth := 1 // the sum over the stack of 1 + ops
	deepest = depth
	isTemplate := func(t hclsyntax.TokenType) bool {
		return t == hclsyntax.TokenOQuote || t == hclsyntax.TokenOHeredoc
	}
	for i, tok := range tokens {
		top := &stack[len(stack)-1]
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if tok.Type == hclsyntax.TokenTemplateControl && isTemplate(top.typ) && i+1 < len(tokens) && tokens[i+1].Type == hclsyntax.TokenIdent {
				switch string(tokens[i+1].Bytes) {
				case "if", "for":
					top.ops++
					depth++
				case "endif", "endfor":
					if top.ops > 0 {
						top.ops--
						depth--
					}
				}
			}
			stack = append(stack, level{typ: tok.Type})
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			if len(stack) == 1 {
				continue
			}
			depth -= 1 + top.ops
			stack = stack[:len(stack)-1]
			if parent := &stack[len(stack)-1]; !isTemplate(parent.typ) {
				parent.ops++ // a[x][y]: each closed group is one more node
				depth++
			}
		case hclsyntax.TokenComma:
			depth -= top.ops
			top.ops = 0
		case hclsyntax.TokenNewline:
			if top.typ == hclsyntax.TokenNil || top.typ == hclsyntax.TokenOBrace {
				depth -= top.ops
				top.ops = 0
			}
		case hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenStar, hclsyntax.TokenSlash,
			hclsyntax.TokenPercent, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual,
			hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan,
			hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang,
			hclsyntax.TokenQuestion:
			top.ops++
			depth++
		}
		deepest = max(deepest, depth)
		if depth > limit {
			return deepest, tok.Range.Start.Byte
		}
	}
	return deepest, -1
}
