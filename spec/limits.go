package spec

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/c2q/c2q/spec/hclsource"
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
	// nest in a file (see hclsource.Check).
	MaxNesting = hclsource.MaxNesting
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
// of hclsource.Check. A file that fails them is returned with its source (for
// snippets) and an empty body.
func parseConfig(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if diags := hclsource.Check(src, filename); diags.HasErrors() {
		return &hcl.File{Body: hcl.EmptyBody(), Bytes: src}, diags
	}
	return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
}

// parseExpression parses an expression given outside the files, such as
// a -var value, of at most MaxFileSize bytes, after the checks of
// hclsource.Check.
func parseExpression(src []byte, filename string) (hclsyntax.Expression, hcl.Diagnostics) {
	if len(src) > MaxFileSize {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Value too large",
			Detail:   fmt.Sprintf("It has %s, over the limit of %s.", byteSize(int64(len(src))), byteSize(MaxFileSize)),
		}}
	}
	if diags := hclsource.Check(src, filename); diags.HasErrors() {
		return nil, diags
	}
	return hclsyntax.ParseExpression(src, filename, hcl.InitialPos)
}
