package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/c2q/c2q/spec/diff"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// IsConfigFile reports whether name (a file name or path) is one that c2q
// reads and fmt formats: a configuration file (*.c2q.hcl) or a variables
// file (*.c2qvars, such as terraform.tfvars' counterpart *.auto.c2qvars).
func IsConfigFile(name string) bool {
	base := filepath.Base(name)
	for _, suffix := range []string{".c2q.hcl", ".c2qvars"} {
		if len(base) > len(suffix) && strings.HasSuffix(base, suffix) {
			return true
		}
	}
	return false
}

// Format returns src, the content of the file filename, in the canonical
// style: the style of terraform fmt, which is hclwrite's (two-space indents,
// one space around operators, the = of consecutive attributes and their
// trailing comments aligned) plus what terraform fmt adds on top of it (block
// labels quoted, "${expr}" written as expr), with one newline at the end of
// the file.
//
// A file with a syntax error is never rewritten: Format returns src itself
// and the error diagnostics. Format is idempotent: Format of its result is
// that result.
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if len(src) > MaxFileSize {
		return src, hcl.Diagnostics{fileTooLarge("file", filename, &errTooLarge{int64(len(src)), MaxFileSize})}
	}
	_, diags := parseConfig(src, filename)
	if diags.HasErrors() {
		return src, diags
	}
	if d := checkUTF8(src, filename); d != nil {
		// HCL files are UTF-8; the lexer reads some invalid bytes into
		// names, with the spaces after them.
		return src, append(diags, d)
	}
	// One pass is idempotent: hclwrite's formatter sets the spaces before
	// each token from the sequence of tokens alone (never from the spaces
	// it finds), and keepTokens makes sure its spaces never join two
	// tokens, so its output lexes to the same tokens and gets the same
	// spaces again; heredoc bodies and comments are tokens it does not
	// touch. What
	// terraform fmt adds is idempotent too once nested interpolations are
	// unwrapped all the way in one pass (formatOnce). FuzzFormat checks
	// this; the loop is a safety net should a layout ever need a second
	// pass, so that Format itself stays idempotent.
	out := src
	for range maxFormatPasses {
		next := formatOnce(out, filename)
		if bytes.Equal(next, out) {
			break
		}
		out = next
	}
	// The formatter only moves whitespace and rewrites what terraform fmt
	// rewrites, so its result must parse; refuse to write a file it would
	// break rather than trust that.
	if _, pdiags := hclsyntax.ParseConfig(out, filename, hcl.InitialPos); pdiags.HasErrors() {
		return src, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot format this file",
			Detail: fmt.Sprintf("Formatting %s would produce invalid syntax, so the file is left as it is. "+
				"This is a bug in c2q fmt; please report it with the file.", filename),
		})
	}
	return out, diags
}

// checkUTF8 returns an error diagnostic on the first byte of src that is
// not UTF-8, or nil.
func checkUTF8(src []byte, filename string) *hcl.Diagnostic {
	if utf8.Valid(src) {
		return nil
	}
	pos := hcl.InitialPos
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size == 1 {
			end := pos
			end.Byte++
			end.Column++
			return &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid character encoding",
				Detail:   "The file is not valid UTF-8: fmt formats only UTF-8 files.",
				Subject:  &hcl.Range{Filename: filename, Start: pos, End: end},
			}
		}
		pos.Byte += size
		pos.Column++
		if r == '\n' {
			pos.Line++
			pos.Column = 1
		}
		src = src[size:]
	}
	return nil
}

// maxFormatPasses bounds the passes of Format, in case the formatter ever
// oscillated between two layouts.
const maxFormatPasses = 3

// formatOnce is one pass of the formatter over a file without syntax errors.
func formatOnce(src []byte, filename string) []byte {
	syntax, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return src
	}
	f, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return src // cannot happen: src parsed with hclsyntax
	}
	body, _ := syntax.Body.(*hclsyntax.Body)
	normalizeBody(f.Body(), body)
	normalized := f.Body().BuildTokens(nil).Bytes()
	return endWithNewline(keepTokens(normalized, hclwrite.Format(normalized)))
}

// keepTokens returns formatted, the result of formatting src, with a space
// put back wherever the formatter joined two tokens of src into one. The
// formatter writes no space around a dot, which is right except between
// two numbers: "x.0 .1" (two legacy indexes) would become "x.0.1", invalid,
// and "1 .5" (an index into 1) the number 1.5. Nobody writes these, but a
// formatter must not change what a file means.
func keepTokens(src, formatted []byte) []byte {
	want, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	for range len(want) {
		got, _ := hclsyntax.LexConfig(formatted, "", hcl.InitialPos)
		i := 0
		for i < len(want) && i < len(got) && want[i].Type == got[i].Type && bytes.Equal(want[i].Bytes, got[i].Bytes) {
			i++
		}
		if i == len(want) && i == len(got) {
			return formatted
		}
		if i == len(want) || i == len(got) || !bytes.HasPrefix(got[i].Bytes, want[i].Bytes) || len(want[i].Bytes) == 0 {
			break // not a join: cannot happen
		}
		at := got[i].Range.Start.Byte + len(want[i].Bytes)
		formatted = append(formatted[:at:at], append([]byte{' '}, formatted[at:]...)...)
	}
	return formatted // Format finds out whether it parses
}

// normalizeBody makes the changes terraform fmt makes beyond whitespace:
// block labels quoted (session s → session "s", comments between labels
// dropped) and an attribute whose whole value is one interpolation written
// as the expression itself (x = "${var.x}" → x = var.x, which HCL evaluates
// identically). syntax is the same body as parsed by hclsyntax, whose
// labels are the ones to write: hclwrite cannot read back a label with an
// escape such as "$${" and would drop it.
func normalizeBody(body *hclwrite.Body, syntax *hclsyntax.Body) {
	for name, attr := range body.Attributes() {
		tokens := attr.Expr().BuildTokens(nil)
		changed := false
		for {
			unwrapped, ok := unwrapInterpolation(tokens)
			if !ok {
				break
			}
			tokens, changed = unwrapped, true
		}
		if changed {
			body.SetAttributeRaw(name, tokens)
		}
	}
	blocks := body.Blocks()
	if syntax == nil || len(syntax.Blocks) != len(blocks) {
		return // cannot happen: both parsers see the same blocks in the same order
	}
	for i, block := range blocks {
		if sb := syntax.Blocks[i]; sb.Type == block.Type() {
			block.SetLabels(sb.Labels)
			normalizeBody(block.Body(), sb.Body)
		}
	}
}

// unwrapInterpolation returns the expression inside tokens when they are
// exactly "${expr}", in parentheses when expr spans lines (a multi-line
// conditional must stay one expression).
func unwrapInterpolation(tokens hclwrite.Tokens) (hclwrite.Tokens, bool) {
	n := len(tokens)
	if n < 5 || tokens[0].Type != hclsyntax.TokenOQuote || tokens[1].Type != hclsyntax.TokenTemplateInterp ||
		tokens[n-2].Type != hclsyntax.TokenTemplateSeqEnd || tokens[n-1].Type != hclsyntax.TokenCQuote {
		return nil, false
	}
	inner := tokens[2 : n-2]
	// The template must be that one interpolation: no literal text, no
	// second sequence ("${a}${b}") at the outer level; nested strings may
	// contain anything. Strip markers ("${~a~}") strip nothing here.
	depth := 0
	for _, tok := range inner {
		switch tok.Type {
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
		case hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth--
		}
		if depth > 0 {
			continue
		}
		switch tok.Type {
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenTemplateSeqEnd,
			hclsyntax.TokenQuotedLit, hclsyntax.TokenStringLit:
			return nil, false
		}
	}
	for len(inner) > 0 && inner[0].Type == hclsyntax.TokenNewline {
		inner = inner[1:]
	}
	for len(inner) > 0 && inner[len(inner)-1].Type == hclsyntax.TokenNewline {
		inner = inner[:len(inner)-1]
	}
	if len(inner) == 0 {
		return nil, false
	}
	multiline := false
	for _, tok := range inner {
		if tok.Type == hclsyntax.TokenNewline || (tok.Type == hclsyntax.TokenComment && bytes.HasSuffix(tok.Bytes, []byte("\n"))) {
			multiline = true
		}
	}
	// A heredoc must be followed by a newline, and a line comment includes
	// its own: neither can be followed by the closing parenthesis.
	last := inner[len(inner)-1]
	lineComment := last.Type == hclsyntax.TokenComment && bytes.HasSuffix(last.Bytes, []byte("\n"))
	heredoc := last.Type == hclsyntax.TokenCHeredoc
	if lineComment || heredoc {
		multiline = true
	}
	if !multiline {
		return inner, true
	}
	out := make(hclwrite.Tokens, 0, len(inner)+3)
	out = append(out, &hclwrite.Token{Type: hclsyntax.TokenOParen, Bytes: []byte("(")})
	out = append(out, inner...)
	if heredoc {
		out = append(out, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	}
	out = append(out, &hclwrite.Token{Type: hclsyntax.TokenCParen, Bytes: []byte(")")})
	return out, true
}

// endWithNewline ends a non-empty file with exactly one newline (in the
// file's own line ending) and no trailing blank lines or spaces.
func endWithNewline(src []byte) []byte {
	trimmed := bytes.TrimRight(src, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	eol := "\n"
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		eol = "\r\n"
	}
	return append(trimmed[:len(trimmed):len(trimmed)], eol...)
}

// FormatOptions are the options of c2q fmt, those of terraform fmt.
type FormatOptions struct {
	// Check reports whether the files are formatted without writing them
	// (it implies Write=false); the caller fails when changed is not empty.
	Check bool
	// Diff prints a unified diff of the changes of each file.
	Diff bool
	// Recursive also formats the files of subdirectories.
	Recursive bool
	// List prints the name of each file whose formatting changed.
	List bool
	// Write rewrites the files whose formatting changed.
	Write bool

	// Files, when not nil, receives every file FormatPaths parsed, by the
	// name its diagnostics use, for rendering them with source snippets.
	Files map[string]*hcl.File
}

// StdinName is the file name of standard input in FormatPaths' output and
// diagnostics.
const StdinName = "<stdin>"

// FormatPaths is c2q fmt: it formats the configuration and variables files
// (see [IsConfigFile]) at paths, each a file, a directory (its files, and
// with opts.Recursive those of its subdirectories, skipping names that
// start with a dot) or "-" alone for stdin; no paths means ".". Like
// terraform fmt, it writes to stdout
//   - the name of each file whose formatting changed, with opts.List;
//   - a unified diff of each such file, with opts.Diff;
//   - the formatted content of every file when none of List, Write, Diff
//     and Check is set, which is the case of "-" (List and Write are
//     ignored for stdin).
//
// It rewrites the changed files with opts.Write unless opts.Check, keeping
// their permissions (a temporary file renamed over the old one, so that a
// failure never leaves half a file), and returns the names of the changed
// files, whether it wrote them or not.
//
// diags are the problems with the inputs: syntax errors (that file is left
// as it is; the others are still formatted), paths that do not exist or are
// not configuration files, unreadable files, "-" among other paths. err is
// an I/O failure: writing stdout or a file, reading stdin.
func FormatPaths(paths []string, opts FormatOptions, stdin io.Reader, stdout io.Writer) (changed []string, diags hcl.Diagnostics, err error) {
	if opts.Check {
		opts.Write = false
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	f := &formatter{opts: opts, stdout: stdout}
	for _, path := range paths {
		if path == "-" && len(paths) > 1 {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid use of -",
				Detail:   `"-" formats standard input to standard output; it cannot be combined with other files or directories.`,
			}}, nil
		}
	}
	if paths[0] == "-" {
		f.opts.List, f.opts.Write = false, false
		if stdin == nil {
			return nil, nil, errors.New("reading standard input: no standard input")
		}
		src, rerr := readAllLimited(stdin, MaxFileSize)
		if tl := (*errTooLarge)(nil); errors.As(rerr, &tl) {
			return nil, hcl.Diagnostics{fileTooLarge("standard input", StdinName, rerr)}, nil
		}
		if rerr != nil {
			return nil, nil, fmt.Errorf("reading standard input: %w", rerr)
		}
		f.file(StdinName, src, 0)
		return f.changed, f.diags, f.err
	}
	for _, path := range paths {
		f.path(filepath.Clean(path))
		if f.stdoutErr != nil {
			break
		}
	}
	return f.changed, f.diags, f.err
}

// formatter carries the state of one FormatPaths run.
type formatter struct {
	opts      FormatOptions
	stdout    io.Writer
	changed   []string
	diags     hcl.Diagnostics
	err       error // every write failure, joined
	stdoutErr error // the first failure to write stdout: stop there
}

func (f *formatter) errorf(summary, format string, args ...any) {
	f.diags = append(f.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...)})
}

// path formats a path named on the command line.
func (f *formatter) path(path string) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.errorf("No file or directory", "There is no file or directory at %s.", path)
	case err != nil:
		f.errorf("Cannot read file", "Cannot read %s: %v.", path, unwrapPathError(err))
	case info.IsDir():
		f.dir(path)
	case !IsConfigFile(path):
		f.errorf("Not a c2q file", "Only *.c2q.hcl and *.c2qvars files can be formatted; %s is neither.", path)
	default:
		f.readFile(path)
	}
}

// dir formats the configuration files of dir, and with Recursive those of
// its subdirectories.
func (f *formatter) dir(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.errorf("Cannot read directory", "Cannot read the directory %s: %v.", dir, unwrapPathError(err))
		return
	}
	for _, e := range entries {
		if f.stdoutErr != nil {
			return
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // .git, editor files, ...
		}
		path := filepath.Join(dir, name)
		switch {
		case e.IsDir():
			if f.opts.Recursive {
				f.dir(path)
			}
		case IsConfigFile(name):
			f.readFile(path)
		}
	}
}

func (f *formatter) readFile(path string) {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		f.errorf("Cannot read file", "Cannot read %s: not a regular file.", path)
		return
	}
	src, err := readLimited(path, MaxFileSize)
	var tl *errTooLarge
	switch {
	case errors.As(err, &tl):
		f.diags = append(f.diags, fileTooLarge("file", path, err))
		return
	case err != nil:
		f.errorf("Cannot read file", "Cannot read %s: %v.", path, unwrapPathError(err))
		return
	}
	f.file(path, src, info.Mode().Perm())
}

// file formats the content src of the file named name (StdinName for
// standard input).
func (f *formatter) file(name string, src []byte, perm os.FileMode) {
	if f.opts.Files != nil {
		if file, _ := parseConfig(src, name); file != nil {
			f.opts.Files[name] = file
		}
	}
	out, diags := Format(src, name)
	f.diags = append(f.diags, diags...)
	if diags.HasErrors() {
		return
	}
	if !bytes.Equal(src, out) {
		f.changed = append(f.changed, name)
		if f.opts.List {
			f.print([]byte(name + "\n"))
		}
		if f.opts.Write && name != StdinName {
			if err := writeFileKeepingMode(name, out, perm); err != nil {
				f.err = errors.Join(f.err, err)
			}
		}
		if f.opts.Diff {
			f.print(unifiedDiff("old/"+filepath.ToSlash(name), "new/"+filepath.ToSlash(name), src, out))
		}
	}
	if !f.opts.List && !f.opts.Write && !f.opts.Diff && !f.opts.Check {
		f.print(out)
	}
}

func (f *formatter) print(b []byte) {
	if f.stdoutErr != nil {
		return
	}
	if _, err := f.stdout.Write(b); err != nil {
		f.stdoutErr = err
		f.err = errors.Join(f.err, fmt.Errorf("writing standard output: %w", err))
	}
}

// writeFileKeepingMode replaces the content of the file at path with data
// without changing its permissions: it writes a temporary file beside the
// real one (the target of a symbolic link) and renames it over it, so that
// a failure never leaves a half-written file. A file that is not writable
// is not replaced.
func writeFileKeepingMode(path string, data []byte, perm os.FileMode) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
	}
	// Renaming would replace a read-only file too: check, as an in-place
	// write would, that the file may be written.
	w, err := os.OpenFile(real, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
	}
	w.Close()
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".*.tmp")
	if err != nil {
		// The directory is not writable but the file is: write in place.
		if err := os.WriteFile(real, data, perm); err != nil {
			return fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
		}
		return nil
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), real)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
	}
	return nil
}

// unwrapPathError drops the operation and path that an *fs.PathError
// repeats, for messages that name the path themselves.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// diffContext is the number of unchanged lines around each change in a
// unified diff, diff -u's default.
const diffContext = 3

// unifiedDiff returns the unified diff (diff -u) that turns a into b,
// labelled oldName and newName, or nil when they are equal.
func unifiedDiff(oldName, newName string, a, b []byte) []byte {
	x, y := splitLines(a), splitLines(b)
	hunks := diff.Hunks(diff.Edits(x, y, func(p, q string) bool { return p == q }), diffContext)
	if len(hunks) == 0 {
		return nil
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks {
		out.WriteString(h.Header() + "\n")
		for _, e := range h.Edits {
			var line string
			if e.Op == diff.Del {
				line = x[e.A]
			} else {
				line = y[e.B]
			}
			out.WriteByte(byte(e.Op))
			out.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return out.Bytes()
}

// splitLines splits s after each newline; the last line lacks one when s
// does not end with a newline.
func splitLines(s []byte) []string {
	var lines []string
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		lines = append(lines, string(s[:i]))
		s = s[i:]
	}
	return lines
}
