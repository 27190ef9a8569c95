// Package hclsource checks the bytes of an HCL file before hashicorp/hcl
// parses them: a binary file, whose every byte would be an error, and
// nesting so deep that the parser's recursion would exhaust the stack and
// kill the process. Every HCL file c2q reads passes it: configurations and
// variables files (spec), and the emulator's answer books.
//
// It is a leaf: it must not import spec, the runner or the emulator.
package hclsource

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxNesting is how deep blocks, brackets, templates and operators may
// nest in a file. HCL's parser recurses once per level, and a file of a
// hundred thousand "(" overflows the stack, which kills the process.
const MaxNesting = 1000

// Check refuses what HCL's parser should not be given: a binary file
// (one with a NUL byte: its every byte would be an error) and nesting
// deeper than MaxNesting (see Nesting).
func Check(src []byte, filename string) hcl.Diagnostics {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Binary file",
			Detail:   fmt.Sprintf("%s contains a NUL byte, so it is not a text file; configuration files are UTF-8 text.", filename),
			Subject:  Range(src, filename, i, i+1).Ptr(),
		}}
	}
	if at := tooDeep(src, filename, MaxNesting); at >= 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nesting too deep",
			Detail: fmt.Sprintf("Blocks, brackets, templates and operators nest more than %s levels deep here, over the limit: c2q does not parse a file that deep, since parsing it could exhaust the stack.",
				"1,000"),
			Subject: Range(src, filename, at, at+1).Ptr(),
		}}
	}
	return nil
}

// Range is the range of bytes [start, end) of src, with lines and
// columns.
func Range(src []byte, filename string, start, end int) hcl.Range {
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
	_, at := Nesting(tokens, limit)
	return at
}

// Nesting is tooDeep on tokens: the deepest nesting, up to limit+1, and
// the byte offset of the token at which it goes deeper than limit, or -1.
func Nesting(tokens hclsyntax.Tokens, limit int) (deepest, at int) {
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
