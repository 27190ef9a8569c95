package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestIsConfigFile(t *testing.T) {
	for name, want := range map[string]bool{
		"main.c2q.hcl":           true,
		"dir/main.c2q.hcl":       true,
		"terraform.auto.c2qvars": true,
		"prod.c2qvars":           true,
		"main.hcl":               false,
		"main.tf":                false,
		".c2q.hcl":               false,
		"c2q.hcl":                false,
		"main.c2q.hcl.golden":    false,
		"main.c2q.hcl~":          false,
		"dir.c2q.hcl/notes.txt":  false,
	} {
		if got := IsConfigFile(name); got != want {
			t.Errorf("IsConfigFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestFormat shows the canonical style, one rule at a time.
func TestFormat(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"indent and align",
			"session \"s\" {\n\tcluster_id=\"1\"\n      database = \"db\"\n}\n",
			"session \"s\" {\n  cluster_id = \"1\"\n  database   = \"db\"\n}\n"},
		{"align trailing comments",
			"a = 1 # one\nbbb = 2 // two\n",
			"a   = 1 # one\nbbb = 2 // two\n"},
		{"a blank line or a block ends an aligned group",
			"a = 1\n\nbbb = 2\nb {}\ncc = 3\n",
			"a = 1\n\nbbb = 2\nb {}\ncc = 3\n"},
		{"spaces in expressions",
			"a = [ 1,2 ]\nb = f( x )+1\nc = !x&&y\nd = - 1\ne = x[ 0 ].y\n",
			"a = [1, 2]\nb = f(x) + 1\nc = !x && y\nd = -1\ne = x[0].y\n"},
		{"numbers and dots kept apart",
			"a = x.0 .1\nb = 1 .5\nc = x . 0 . 1\nd = x.1e3\n",
			"a = x.0 .1\nb = 1 .5\nc = x.0 .1\nd = x.1e3\n"},
		{"labels quoted",
			"session s {\n  question q {}\n}\n",
			"session \"s\" {\n  question \"q\" {}\n}\n"},
		{"comments between labels dropped",
			"session \"s\" /* c */ \"t\" {\n}\n",
			"session \"s\" \"t\" {\n}\n"},
		{"labels with escapes kept",
			"session \"$${x}\" \"%%{y}\" \"a\\\"b\" {\n}\n",
			"session \"$${x}\" \"%%{y}\" \"a\\\"b\" {\n}\n"},
		{"interpolation alone unwrapped",
			"a = \"${var.x}\"\nb = \"${\"${var.y}\"}\"\nc = \"${var.x} and ${var.y}\"\nd = \"x${var.x}\"\n",
			"a = var.x\nb = var.y\nc = \"${var.x} and ${var.y}\"\nd = \"x${var.x}\"\n"},
		{"multi-line interpolation unwrapped in parentheses",
			"a = \"${x ?\n1 : 2}\"\n",
			"a = (x ?\n1 : 2)\n"},
		// As in terraform fmt, an attribute right after a heredoc aligns with
		// the heredoc's attribute.
		{"heredoc content untouched",
			"b {\nsql = <<-SQL\n    SELECT 1\n      FROM t  \n    SQL\nx = 1\n\ny = 2\n}\n",
			"b {\n  sql = <<-SQL\n    SELECT 1\n      FROM t  \n    SQL\n  x   = 1\n\n  y = 2\n}\n"},
		{"one newline at the end",
			"a = 1\n\n\n  \n",
			"a = 1\n"},
		{"newline added at the end",
			"a = 1 # c",
			"a = 1 # c\n"},
		{"CRLF kept",
			"a = 1\r\nbb = 2\r\n\r\n",
			"a  = 1\r\nbb = 2\r\n"},
		{"empty", "", ""},
		{"blank", "\n\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := Format([]byte(tc.in), "test.c2q.hcl")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Format(%q) (-want +got):\n%s", tc.in, diff)
			}
			checkFormatted(t, []byte(tc.in), got)
		})
	}
}

func TestFormatSyntaxError(t *testing.T) {
	src := []byte("session \"s\" {\n  database = \n}\n")
	got, diags := Format(src, "broken.c2q.hcl")
	if !diags.HasErrors() {
		t.Fatal("no error")
	}
	if !bytes.Equal(got, src) {
		t.Errorf("Format changed a file with a syntax error: %q", got)
	}
	if d := diags[0]; d.Subject == nil || d.Subject.Filename != "broken.c2q.hcl" || d.Subject.Start.Line != 2 {
		t.Errorf("diagnostic %v: want a subject on broken.c2q.hcl line 2", d)
	}
}

func TestFormatInvalidUTF8(t *testing.T) {
	// The lexer reads the invalid byte, the 0 and the space into a name.
	src := []byte("a = 1\nb = \xec0 ")
	got, diags := Format(src, "bad.c2q.hcl")
	if !diags.HasErrors() || !bytes.Equal(got, src) {
		t.Fatalf("Format = %q, %v; want the file unchanged and an error", got, diags)
	}
	if s := diags[0].Subject; s == nil || s.Start.Line != 2 || s.Start.Column != 5 || s.Start.Byte != 10 {
		t.Errorf("subject %v, want line 2, column 5", s)
	}
}

// TestFormatGolden formats the files of testdata/fmt and compares them with
// their .golden files.
func TestFormatGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/fmt/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range paths {
		if !IsConfigFile(path) {
			continue
		}
		n++
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, diags := Format(src, path)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", path, diags)
		}
		if bytes.Equal(got, src) {
			t.Errorf("%s is already formatted: it tests nothing", path)
		}
		golden := path + ".golden"
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./spec -run TestFormatGolden -update)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("Format(%s) differs from %s (-want +got); rerun with -update if intended:\n%s", path, golden, diff)
		}
		checkFormatted(t, src, got)
	}
	if n == 0 {
		t.Fatal("no files in testdata/fmt")
	}
}

// TestFormatIdempotentOnFixtures formats every configuration file of the
// tests and examples: the result is stable, keeps the meaning, and a file
// with a syntax error is returned as it is.
func TestFormatIdempotentOnFixtures(t *testing.T) {
	n := 0
	for _, root := range []string{"testdata", "../examples"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !IsConfigFile(path) {
				return err
			}
			n++
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			got, diags := Format(src, path)
			if diags.HasErrors() {
				if !bytes.Equal(got, src) {
					t.Errorf("%s: a file with errors was changed", path)
				}
				return nil
			}
			checkFormatted(t, src, got)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 10 {
		t.Fatalf("only %d files found", n)
	}
}

// The examples are what users copy: they are formatted.
func TestExamplesFormatted(t *testing.T) {
	err := filepath.WalkDir("../examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !IsConfigFile(path) {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if got, _ := Format(src, path); !bytes.Equal(got, src) {
			t.Errorf("%s is not formatted: run c2q fmt -recursive examples\n%s", path, unifiedDiff(path, path, src, got))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzFormat checks that Format never panics, never breaks a file, keeps
// its meaning and is idempotent.
func FuzzFormat(f *testing.F) {
	for _, root := range []string{"testdata", "../examples"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && IsConfigFile(path) {
				if src, err := os.ReadFile(path); err == nil {
					f.Add(src)
				}
			}
			return nil
		})
	}
	for _, s := range []string{
		"a = \"${\"${x}\"}\"\n",
		"a = \"${<<EOT\nfoo\nEOT\n}\"\nb = 1\n",
		"a = \"${x # c\n}\"\n",
		"b {\nx = <<EOT\n${\nfoo\n}\nEOT\ny = 2\n}\n",
		"a = 1 # x\nbbbbbb = [\n1] # y\n\nc = 3 # z\n",
		"a = {\n  for k, v in x : k => v...\n}\n",
		"a = <<EOT\n%{for x in y}\n${x}\n%{endfor}\nEOT\n",
		"b s \"t\" /* c */ {\n}\n",
		"a = b . 0 . 1\nc = 1 .5\n",
		"A00=\xec0 ",
		"A=1000000E100001000\n",
		"a = - - 1 - - x[0] . y . * . z\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, diags := Format(src, "fuzz.c2q.hcl")
		if diags.HasErrors() {
			if !bytes.Equal(got, src) {
				t.Fatalf("a file with errors was changed: %q", src)
			}
			return
		}
		checkFormatted(t, src, got)
	})
}

// checkFormatted checks that out, the result of formatting src, parses,
// has the meaning of src, and is formatted: neither Format nor one pass of
// the formatter changes it.
func checkFormatted(t *testing.T, src, out []byte) {
	t.Helper()
	after, diags := hclsyntax.ParseConfig(out, "out.c2q.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the formatted file does not parse: %v\nsource: %q\nformatted: %q", diags, src, out)
	}
	before, _ := hclsyntax.ParseConfig(src, "src.c2q.hcl", hcl.InitialPos)
	if diff := cmp.Diff(bodyMeaning(before.Body.(*hclsyntax.Body)), bodyMeaning(after.Body.(*hclsyntax.Body))); diff != "" {
		t.Fatalf("formatting changed the meaning (-source +formatted):\n%s\nsource: %q\nformatted: %q", diff, src, out)
	}
	if again, _ := Format(out, "out.c2q.hcl"); !bytes.Equal(again, out) {
		t.Fatalf("Format is not idempotent:\nsource: %q\nonce:   %q\ntwice:  %q", src, out, again)
	}
	if again := formatOnce(out, "out.c2q.hcl"); !bytes.Equal(again, out) {
		t.Fatalf("one pass of the formatter is not idempotent:\nsource: %q\nonce:   %q\ntwice:  %q", src, out, again)
	}
}

// bodyMeaning describes what a body means, whitespace aside: its blocks
// with their labels, its attributes with the references of their values,
// and the value itself when it needs no context (literals, heredocs).
func bodyMeaning(body *hclsyntax.Body) []string {
	var lines []string
	var walk func(prefix string, body *hclsyntax.Body)
	walk = func(prefix string, body *hclsyntax.Body) {
		for name, attr := range body.Attributes {
			line := prefix + name + " ="
			var refs []string
			for _, tr := range attr.Expr.Variables() {
				refs = append(refs, traversalString(tr))
			}
			slices.Sort(refs)
			line += " refs " + strings.Join(refs, ",")
			if v, diags := attr.Expr.Value(nil); !diags.HasErrors() {
				line += " value " + ctyString(v)
			}
			lines = append(lines, line)
		}
		for _, b := range body.Blocks {
			p := prefix + b.Type
			for _, l := range b.Labels {
				p += " " + strconv.Quote(l)
			}
			lines = append(lines, p+" {")
			walk(p+" ", b.Body)
		}
	}
	walk("", body)
	slices.Sort(lines)
	return lines
}

// ctyString writes a value for comparing. Numbers are written in binary
// exponent form: GoString, like any decimal form, takes minutes for a
// number such as 1E100001000.
func ctyString(v cty.Value) string {
	switch {
	case !v.IsWhollyKnown():
		return "(unknown)"
	case v.IsNull():
		return "null"
	case v.Type() == cty.Number:
		return v.AsBigFloat().Text('p', 0) // exact and fast; 'g' is slow for huge exponents
	case v.Type() == cty.String:
		return strconv.Quote(v.AsString())
	case v.Type() == cty.Bool:
		return fmt.Sprint(v.True())
	case v.CanIterateElements():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			parts = append(parts, ctyString(k)+":"+ctyString(e))
		}
		return v.Type().FriendlyName() + "{" + strings.Join(parts, ",") + "}"
	}
	return v.GoString()
}

// fmtDir writes files (name: content) into a new directory and returns it.
func fmtDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const (
	unformatted = "a=1\nbbb = 2\n"
	formatted   = "a   = 1\nbbb = 2\n"
)

// chdir runs the test in dir, so that FormatPaths sees relative paths.
func chdir(t *testing.T, dir string) {
	t.Helper()
	t.Chdir(dir)
}

func TestFormatPathsDefault(t *testing.T) {
	dir := fmtDir(t, map[string]string{
		"main.c2q.hcl":         unformatted,
		"ok.c2q.hcl":           formatted,
		"prod.auto.c2qvars":    "limit=3\n",
		"notes.hcl":            unformatted,
		"sub/nested.c2q.hcl":   unformatted,
		".hidden/x.c2q.hcl":    unformatted,
		"sub/.h/y.c2q.hcl":     unformatted,
		".dotfile.c2q.hcl":     unformatted,
		"sub/deeper/z.c2qvars": "z=1\n",
	})
	chdir(t, dir)
	if err := os.Chmod("main.c2q.hcl", 0o640); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	changed, diags, err := FormatPaths(nil, FormatOptions{List: true, Write: true}, nil, &out)
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	if want := []string{"main.c2q.hcl", "prod.auto.c2qvars"}; !slices.Equal(changed, want) {
		t.Errorf("changed = %q, want %q", changed, want)
	}
	if got, want := out.String(), "main.c2q.hcl\nprod.auto.c2qvars\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if got := readString(t, "main.c2q.hcl"); got != formatted {
		t.Errorf("main.c2q.hcl = %q, want %q", got, formatted)
	}
	if got := readString(t, "prod.auto.c2qvars"); got != "limit = 3\n" {
		t.Errorf("prod.auto.c2qvars = %q", got)
	}
	if info, err := os.Stat("main.c2q.hcl"); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode of the rewritten file: %v, %v; want 0640", info.Mode(), err)
	}
	for _, name := range []string{"notes.hcl", "sub/nested.c2q.hcl", ".hidden/x.c2q.hcl", ".dotfile.c2q.hcl"} {
		if got := readString(t, name); got != unformatted {
			t.Errorf("%s was changed", name)
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 7 {
		t.Errorf("files left behind: %v", entries)
	}

	// -recursive: subdirectories, still not the hidden ones.
	out.Reset()
	changed, diags, err = FormatPaths([]string{"."}, FormatOptions{List: true, Write: true, Recursive: true}, nil, &out)
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	want := []string{filepath.Join("sub", "deeper", "z.c2qvars"), filepath.Join("sub", "nested.c2q.hcl")}
	if !slices.Equal(changed, want) {
		t.Errorf("changed = %q, want %q", changed, want)
	}
	if got := readString(t, "sub/.h/y.c2q.hcl"); got != unformatted {
		t.Error("a file in a hidden directory was changed")
	}

	// Now everything is formatted: nothing to list.
	out.Reset()
	changed, _, _ = FormatPaths(nil, FormatOptions{List: true, Write: true, Recursive: true}, nil, &out)
	if len(changed) > 0 || out.Len() > 0 {
		t.Errorf("second run: changed %q, output %q", changed, out.String())
	}
}

func TestFormatPathsCheck(t *testing.T) {
	dir := fmtDir(t, map[string]string{"a.c2q.hcl": unformatted, "b.c2q.hcl": formatted})
	chdir(t, dir)
	var out bytes.Buffer
	changed, diags, err := FormatPaths([]string{"a.c2q.hcl", "b.c2q.hcl"}, FormatOptions{Check: true, List: true, Write: true}, nil, &out)
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	if !slices.Equal(changed, []string{"a.c2q.hcl"}) || out.String() != "a.c2q.hcl\n" {
		t.Errorf("changed %q, output %q", changed, out.String())
	}
	if got := readString(t, "a.c2q.hcl"); got != unformatted {
		t.Error("-check wrote the file")
	}

	// -check -list=false: only the result.
	out.Reset()
	changed, _, _ = FormatPaths(nil, FormatOptions{Check: true}, nil, &out)
	if len(changed) != 1 || out.Len() > 0 {
		t.Errorf("changed %q, output %q", changed, out.String())
	}
}

func TestFormatPathsDiff(t *testing.T) {
	lines := []string{"session \"s\" {", "  a = 1", "  b = 2", "  c = 3", "  d = 4", "  e = 5", "  f = 6", "  g = 7", "  h = 8", "  i = 9", "  j = 10", "}"}
	src := strings.Join(lines, "\n") + "\n"
	src = strings.Replace(src, "  b = 2", "  b=2", 1)
	src = strings.Replace(src, "  j = 10", "j = 10", 1)
	dir := fmtDir(t, map[string]string{"main.c2q.hcl": src})
	chdir(t, dir)
	var out bytes.Buffer
	changed, diags, err := FormatPaths(nil, FormatOptions{Diff: true, List: true, Check: true}, nil, &out)
	if err != nil || len(diags) > 0 || len(changed) != 1 {
		t.Fatal(changed, err, diags)
	}
	want := `main.c2q.hcl
--- old/main.c2q.hcl
+++ new/main.c2q.hcl
@@ -1,6 +1,6 @@
 session "s" {
   a = 1
-  b=2
+  b = 2
   c = 3
   d = 4
   e = 5
@@ -8,5 +8,5 @@
   g = 7
   h = 8
   i = 9
-j = 10
+  j = 10
 }
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("diff output (-want +got):\n%s", diff)
	}
	if path, err := exec.LookPath("patch"); err == nil {
		// The diff applies with patch and gives the formatted file.
		_, d, _ := strings.Cut(out.String(), "\n")
		cmd := exec.Command(path, "-s", "-p1")
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s", err, out)
		}
		if got, want := readString(t, "main.c2q.hcl"), mustFormat(t, src); got != want {
			t.Errorf("patched file %q, want %q", got, want)
		}
	}
}

func mustFormat(t *testing.T, src string) string {
	t.Helper()
	out, diags := Format([]byte(src), "test.c2q.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return string(out)
}

func TestUnifiedDiff(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"x\n", "x\n", ""},
		{"", "a\n", "@@ -0,0 +1 @@\n+a\n"},
		{"a\n", "", "@@ -1 +0,0 @@\n-a\n"},
		{"a = 1", "a = 1\n", "@@ -1 +1 @@\n-a = 1\n\\ No newline at end of file\n+a = 1\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nX\n6\n7\n8\n9\n", "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"},
		// Changes 6 lines apart share a hunk; 7 apart do not.
		{"a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n", "@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n"},
		{"a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n", "@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n"},
	} {
		got := string(unifiedDiff("old/f", "new/f", []byte(tc.a), []byte(tc.b)))
		want := ""
		if tc.want != "" {
			want = "--- old/f\n+++ new/f\n" + tc.want
		}
		if got != want {
			t.Errorf("unifiedDiff(%q, %q) =\n%s\nwant\n%s", tc.a, tc.b, got, want)
		}
	}
}

// TestUnifiedDiffLarge checks the diff of files too different for the
// shortest edit search: it is not minimal but patch applies it.
func TestUnifiedDiffLarge(t *testing.T) {
	var a, b strings.Builder
	for i := range 3000 {
		a.WriteString(strings.Repeat("a", i%7) + "\n")
		b.WriteString(strings.Repeat("b", i%5) + "\n")
	}
	d := unifiedDiff("old/f", "new/f", []byte(a.String()), []byte(b.String()))
	path, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch command")
	}
	chdir(t, fmtDir(t, map[string]string{"f": a.String()}))
	cmd := exec.Command(path, "-s", "-p1")
	cmd.Stdin = bytes.NewReader(d)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, out)
	}
	if readString(t, "f") != b.String() {
		t.Error("the patched file differs")
	}
}

func TestFormatPathsStdin(t *testing.T) {
	var out bytes.Buffer
	files := map[string]*hcl.File{}
	changed, diags, err := FormatPaths([]string{"-"}, FormatOptions{List: true, Write: true, Files: files}, strings.NewReader(unformatted), &out)
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	if out.String() != formatted || !slices.Equal(changed, []string{StdinName}) {
		t.Errorf("changed %q, output %q", changed, out.String())
	}
	if files[StdinName] == nil {
		t.Error("Files lacks <stdin>")
	}

	// An already formatted input is printed too.
	out.Reset()
	changed, _, _ = FormatPaths([]string{"-"}, FormatOptions{}, strings.NewReader(formatted), &out)
	if out.String() != formatted || len(changed) > 0 {
		t.Errorf("changed %q, output %q", changed, out.String())
	}

	// -check: nothing printed, the result says it.
	out.Reset()
	changed, _, _ = FormatPaths([]string{"-"}, FormatOptions{Check: true, List: true}, strings.NewReader(unformatted), &out)
	if out.Len() > 0 || len(changed) != 1 {
		t.Errorf("-check: changed %q, output %q", changed, out.String())
	}

	// -diff: the diff instead of the content.
	out.Reset()
	FormatPaths([]string{"-"}, FormatOptions{Diff: true}, strings.NewReader(unformatted), &out)
	if !strings.HasPrefix(out.String(), "--- old/<stdin>\n+++ new/<stdin>\n@@ ") {
		t.Errorf("-diff: output %q", out.String())
	}

	// A syntax error: diagnostics and no output.
	out.Reset()
	files = map[string]*hcl.File{}
	changed, diags, _ = FormatPaths([]string{"-"}, FormatOptions{Files: files}, strings.NewReader("a = \n"), &out)
	if !diags.HasErrors() || out.Len() > 0 || len(changed) > 0 {
		t.Errorf("syntax error: changed %q, diags %v, output %q", changed, diags, out.String())
	}
	if diags[0].Subject == nil || diags[0].Subject.Filename != StdinName || files[StdinName] == nil {
		t.Errorf("the diagnostic cannot be shown with its source: %v", diags[0])
	}

	// "-" is alone or not at all.
	_, diags, _ = FormatPaths([]string{"-", "."}, FormatOptions{}, strings.NewReader(""), &out)
	if !diags.HasErrors() || diags[0].Summary != "Invalid use of -" {
		t.Errorf("- with a directory: %v", diags)
	}
}

func TestFormatPathsPrint(t *testing.T) {
	// -list=false -write=false: the formatted content of every file.
	dir := fmtDir(t, map[string]string{"a.c2q.hcl": unformatted, "b.c2q.hcl": formatted})
	chdir(t, dir)
	var out bytes.Buffer
	changed, _, _ := FormatPaths(nil, FormatOptions{}, nil, &out)
	if out.String() != formatted+formatted || len(changed) != 1 {
		t.Errorf("changed %q, output %q", changed, out.String())
	}
	if readString(t, "a.c2q.hcl") != unformatted {
		t.Error("file written")
	}
}

func TestFormatPathsErrors(t *testing.T) {
	dir := fmtDir(t, map[string]string{
		"a.c2q.hcl":      unformatted,
		"broken.c2q.hcl": "session \"s\" {\n  database =\n}\n",
		"z.c2q.hcl":      unformatted,
		"notes.txt":      "x",
	})
	chdir(t, dir)
	var out bytes.Buffer
	files := map[string]*hcl.File{}
	changed, diags, err := FormatPaths([]string{".", "missing", "notes.txt"}, FormatOptions{List: true, Write: true, Files: files}, nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	// The files around the broken one are formatted.
	if !slices.Equal(changed, []string{"a.c2q.hcl", "z.c2q.hcl"}) || readString(t, "z.c2q.hcl") != formatted {
		t.Errorf("changed %q", changed)
	}
	if readString(t, "broken.c2q.hcl") != "session \"s\" {\n  database =\n}\n" {
		t.Error("the broken file was changed")
	}
	var summaries []string
	for _, d := range diags {
		summaries = append(summaries, d.Summary)
	}
	want := []string{"Invalid expression", "No file or directory", "Not a c2q file"}
	if !slices.Equal(summaries, want) {
		t.Errorf("diagnostics %q, want %q", summaries, want)
	}
	if s := diags[0].Subject; s == nil || s.Filename != "broken.c2q.hcl" || files["broken.c2q.hcl"] == nil {
		t.Errorf("syntax error %v: want it in broken.c2q.hcl, with the file in Files", diags[0])
	}
	if d := diags[1]; !strings.Contains(d.Detail, "missing") {
		t.Errorf("detail %q does not name the path", d.Detail)
	}
}

func TestFormatPathsSymlinkAndReadOnly(t *testing.T) {
	dir := fmtDir(t, map[string]string{"real/main.c2q.hcl": unformatted, "ro.c2q.hcl": unformatted})
	chdir(t, dir)
	if err := os.Symlink(filepath.Join("real", "main.c2q.hcl"), "link.c2q.hcl"); err != nil {
		t.Skip(err)
	}
	if err := os.Chmod("ro.c2q.hcl", 0o444); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	changed, diags, err := FormatPaths([]string{"link.c2q.hcl", "ro.c2q.hcl"}, FormatOptions{List: true, Write: true}, nil, &out)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(changed) != 2 {
		t.Errorf("changed %q", changed)
	}
	if info, err := os.Lstat("link.c2q.hcl"); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", info, err)
	}
	if readString(t, "real/main.c2q.hcl") != formatted {
		t.Error("the link's target was not formatted")
	}
	if os.Getuid() == 0 {
		return // root writes read-only files
	}
	if err == nil || !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "ro.c2q.hcl") {
		t.Errorf("err = %v, want permission denied on ro.c2q.hcl", err)
	}
	if readString(t, "ro.c2q.hcl") != unformatted {
		t.Error("a read-only file was replaced")
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("broken pipe")
}

func TestFormatPathsStdoutError(t *testing.T) {
	dir := fmtDir(t, map[string]string{"a.c2q.hcl": unformatted, "b.c2q.hcl": unformatted})
	chdir(t, dir)
	w := &failWriter{}
	_, _, err := FormatPaths(nil, FormatOptions{List: true}, nil, w)
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("err = %v", err)
	}
	if w.n != 1 {
		t.Errorf("%d writes after the first failure", w.n-1)
	}
}
