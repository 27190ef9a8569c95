package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/c2q/c2q/spec/hclsource"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// maxOutput bounds what c2q prints about any configuration, however
// hostile: the diagnostics of a hostile file must fit in it.
const maxOutput = 64 << 10

// list1000 is an HCL list of a thousand strings.
var list1000 = func() string {
	items := make([]string, 1000)
	for i := range items {
		items[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	return "[" + strings.Join(items, ", ") + "]"
}()

func locals(body string) string { return "locals {\n" + body + "\n}\n" }

// TestHostileConfigurations loads configurations built to take time,
// memory or output without bound, or to crash: each must end in an error
// that names the limit, with diagnostics that print in a bounded size.
func TestHostileConfigurations(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // name to content, in a new directory
		setup func(t *testing.T, dir string)
		opts  LoadOptions
		want  string // in the rendered diagnostics
	}{
		{
			name:  "10 KB of NUL bytes",
			files: map[string]string{"main.c2q.hcl": strings.Repeat("\x00", 10<<10)},
			want:  "Error: Binary file",
		},
		{
			name: "a 20 MB file",
			setup: func(t *testing.T, dir string) {
				// Sparse: the size is what is refused, before reading.
				if err := os.Truncate(writeFile(t, dir, "main.c2q.hcl", ""), 20<<20); err != nil {
					t.Fatal(err)
				}
			},
			want: "is 20,971,520 bytes (20 MiB); a file may have at most 524,288 bytes (512 KiB)",
		},
		{
			name: "files adding up to more than the configuration's limit",
			files: map[string]string{
				"a.c2q.hcl": "# " + strings.Repeat("a", 400<<10) + "\n",
				"b.c2q.hcl": "# " + strings.Repeat("b", 400<<10) + "\n",
				"c.c2q.hcl": "# " + strings.Repeat("c", 400<<10) + "\n",
			},
			want: "Error: Configuration too large",
		},
		{
			name:  "a long line of control characters",
			files: map[string]string{"main.c2q.hcl": "x = \"" + strings.Repeat("\x1b[2J\a", 5000) + "\"\n"},
			want:  `\x1b[2J\x07`,
		},
		{
			name:  "100,000 diagnostics",
			files: map[string]string{"main.c2q.hcl": strings.Repeat("x=1\n", 100000)},
			want:  "more errors not shown (at most 50 diagnostics are shown).",
		},
		{
			name:  "100,000 nested parentheses",
			files: map[string]string{"main.c2q.hcl": locals("x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000))},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "100,000 nested lists",
			files: map[string]string{"main.c2q.hcl": locals("x = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000))},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "80,000 nested blocks",
			files: map[string]string{"main.c2q.hcl": strings.Repeat("a {\n", 80000) + strings.Repeat("}\n", 80000)},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "100,000 negations",
			files: map[string]string{"main.c2q.hcl": locals("x = " + strings.Repeat("!", 100000) + "true")},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "40,000 conditionals",
			files: map[string]string{"main.c2q.hcl": locals("x = " + strings.Repeat("true ? 1 : ", 40000) + "1")},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "100,000 indexes",
			files: map[string]string{"main.c2q.hcl": locals("x = a" + strings.Repeat("[a]", 100000))},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "50,000 nested templates",
			files: map[string]string{"main.c2q.hcl": locals("x = " + strings.Repeat(`"${`, 50000) + "1" + strings.Repeat(`}"`, 50000))},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "20,000 nested template directives",
			files: map[string]string{"main.c2q.hcl": locals(`x = "` + strings.Repeat("%{ if true }", 20000) + strings.Repeat("%{ endif }", 20000) + `"`)},
			want:  "Error: Nesting too deep",
		},
		{
			name:  "a setproduct of 10^12 elements",
			files: map[string]string{"main.c2q.hcl": locals("l = " + list1000 + "\nx = setproduct(local.l, local.l, local.l, local.l)")},
			want:  `Call to function "setproduct" failed: the result would have more than 100,000 elements, over the limit.`,
		},
		{
			name:  "a string doubled 40 times",
			files: map[string]string{"main.c2q.hcl": locals(doublings(40))},
			want:  "produce more than 67,108,864 bytes (64 MiB) of strings, over the limit",
		},
		{
			name:  "a join of gigabytes",
			files: map[string]string{"main.c2q.hcl": locals("l = " + list1000 + "\ns = join(\"\", [for i in local.l : \"0123456789abcdef0123456789abcdef\"])\nx = join(\"\", [for i in local.l : local.s])")},
			want:  `Call to function "join" failed: the result would be longer than the limit of 4,194,304 bytes (4 MiB).`,
		},
		{
			name:  "joins of 4 MB in many locals",
			files: map[string]string{"main.c2q.hcl": locals("l = " + list1000 + "\ns = join(\"\", [for i in local.l : \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"])\n" + manyJoins(200))},
			want:  "produce more than 67,108,864 bytes (64 MiB) of strings, over the limit",
		},
		{
			name:  "for expressions nested three deep over a thousand",
			files: map[string]string{"main.c2q.hcl": locals("l = " + list1000 + "\nx = [for a in local.l : [for b in local.l : [for c in local.l : c]]]")},
			want:  "produce more than 1,000,000 elements (of lists, sets, maps and objects), over the limit",
		},
		{
			name:  "a format width of a billion",
			files: map[string]string{"main.c2q.hcl": locals(`x = format("%999999999d", 1)`)},
			want:  "a width or precision is over the limit of 10,000",
		},
		{
			name:  "JSON nested 10,000 deep",
			files: map[string]string{"main.c2q.hcl": locals(`x = jsondecode(join("", [for i in range(1000) : "[[[[[[[[[["]))`)},
			want:  "the JSON nests more than 1,000 levels deep, over the limit",
		},
		{
			name:  "a replace that multiplies",
			files: map[string]string{"main.c2q.hcl": locals(`s = join("", [for i in range(1000) : "aaaaaaaaaa"])` + "\n" + `x = replace(local.s, "a", local.s)`)},
			want:  "over the limit of 4,194,304 bytes (4 MiB)",
		},
		{
			name:  "a CSV of 600,000 cells",
			files: map[string]string{"main.c2q.hcl": locals(`x = csvdecode(join("\n", [for i in range(1000) : "` + strings.TrimSuffix(strings.Repeat("a,", 600), ",") + `"]))`)},
			want:  "the CSV has more than 500,000 cells, over the limit",
		},
		{
			name:  "an indent of a billion",
			files: map[string]string{"main.c2q.hcl": locals(`x = indent(1000000000, "a\nb")`)},
			want:  "over the limit of 4,194,304 bytes (4 MiB)",
		},
		{
			name: "a for_each of 20,000 instances",
			files: map[string]string{"main.c2q.hcl": locals("l = "+list1000+"\nm = { for p in setproduct(local.l, slice(local.l, 0, 20)) : \"${p[0]}-${p[1]}\" => p }") + `
session "s" {
  for_each   = local.m
  cluster_id = "1"
  database   = "d"
  question "q" {
    ask = "x"
  }
}
`},
			want: "The for_each argument has 20,000 elements, but a session block may have at most 10,000 instances.",
		},
		{
			name: "a heredoc SQL of 100 KB",
			files: map[string]string{"main.c2q.hcl": `
session "s" {
  cluster_id = "1"
  database   = "d"
  question "q" {
    ask = "x"
    expect {
      sql = <<-SQL
` + strings.Repeat("        SELECT 1 FROM t WHERE a = 1 UNION ALL\n", 2500) + `        SELECT 1
      SQL
    }
  }
}
`},
			want: "This SQL is 95,009 bytes (92.8 KiB) long; a statement may have at most 65,536 bytes (64 KiB).",
		},
		{
			name: "a variables file that multiplies",
			files: map[string]string{
				"main.c2q.hcl":      "variable \"v\" {}\n",
				"bomb.auto.c2qvars": "v = [for a in " + list1000 + " : [for b in " + list1000 + " : [for c in " + list1000 + " : c]]]\n",
			},
			want: "produce more than 1,000,000 elements",
		},
		{
			name:  "a -var value nested 100,000 deep",
			files: map[string]string{"main.c2q.hcl": "variable \"v\" {\n  type = list(any)\n}\n"},
			opts:  LoadOptions{Vars: []string{"v=" + strings.Repeat("[", 100000) + strings.Repeat("]", 100000)}},
			want:  "Nesting too deep",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeConfig(t, tt.files)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			cfg, diags := Load(dir, tt.opts)
			runtime.ReadMemStats(&after)
			if !diags.HasErrors() {
				t.Fatalf("no error:\n%s", diagText(t, diags, cfg.Files))
			}
			// The heap the runtime took from the system: roughly the peak,
			// for a bomb of gigabytes.
			if grown := int64(after.HeapSys) - int64(before.HeapSys); grown > 512<<20 {
				t.Errorf("the heap grew by %d MiB", grown>>20)
			}

			var text bytes.Buffer
			if err := WriteDiagnostics(&text, diags, cfg.Files, 100, false); err != nil {
				t.Fatal(err)
			}
			// Details are wrapped: compare words, not lines.
			if words := strings.Join(strings.Fields(text.String()), " "); !strings.Contains(words, strings.Join(strings.Fields(tt.want), " ")) {
				t.Errorf("the diagnostics lack %q:\n%s", tt.want, truncate(text.String(), 4000))
			}
			if text.Len() > maxOutput {
				t.Errorf("the diagnostics take %d bytes, more than %d", text.Len(), maxOutput)
			}
			if strings.ContainsAny(text.String(), "\x00\x1b\a\r") {
				t.Error("the diagnostics print control characters")
			}
			out, err := json.Marshal(JSONDiagnostics(diags, cfg.Files))
			if err != nil {
				t.Fatal(err)
			}
			if len(out) > 2*maxOutput {
				t.Errorf("the JSON diagnostics take %d bytes, more than %d", len(out), 2*maxOutput)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// doublings is n locals, each a template that repeats the one before twice.
func doublings(n int) string {
	var b strings.Builder
	b.WriteString("s0 = \"0123456789abcdef\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1)
	}
	return b.String()
}

// manyJoins is n locals, each joining 60 times local.s.
func manyJoins(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "j%d = join(\"\", [%s])\n", i, strings.TrimSuffix(strings.Repeat("local.s, ", 60), ", "))
	}
	return b.String()
}

// TestLimitsLeaveOrdinaryConfigurations checks that configurations under
// the limits load: ones as deep, as long and as large as a user may write.
func TestLimitsLeaveOrdinaryConfigurations(t *testing.T) {
	tests := map[string]string{
		"nesting 300 deep":    locals("x = " + strings.Repeat("[", 300) + strings.Repeat("]", 300)),
		"a chain of 300 ands": locals("x = " + strings.TrimSuffix(strings.Repeat("true && ", 300), " && ")),
		"a list of 50,000":    locals("x = [" + strings.Repeat("1, ", 50000) + "]"),
		// cty would compare the types of the 100,000 elements pairwise.
		"a list(string) variable of 100,000": "variable \"v\" {\n  type    = list(string)\n  default = [" + strings.Repeat("\"a\",", 100000) + "]\n}\n",
		"a set of 100,000 for for_each":      locals(`s = toset([for i in ` + "[" + strings.Repeat("\"a\",", 100000) + "]" + ` : i])`),
		"5,000 locals":                       locals(manyLocals(5000)),
		"nested for over 300":                locals("l = [for i in range(300) : i]\nx = [for a in local.l : [for b in local.l : a + b]]"),
		"a string of 1 MB":                   locals(`x = join("", [for i in range(1000) : "` + strings.Repeat("a", 1000) + `"])`),
		"an expected SQL of 60 KB": `
session "s" {
  cluster_id = "1"
  database   = "d"
  question "q" {
    ask = "x"
    expect {
      sql = "SELECT 1 FROM t WHERE a IN (` + strings.TrimSuffix(strings.Repeat("1234567, ", 6000), ", ") + `)"
    }
  }
}
`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			cfg, diags := Load(writeConfig(t, map[string]string{"main.c2q.hcl": src}), LoadOptions{})
			if diags.HasErrors() {
				t.Fatal(truncate(diagText(t, diags, cfg.Files), 4000))
			}
		})
	}
}

func manyLocals(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d = %d\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "b%d = local.a%d + local.b%d\n", i, i, i-1)
		} else {
			b.WriteString("b0 = 0\n")
		}
	}
	return b.String()
}

// TestRuntimeBudget checks that an evaluation after Load has a budget of
// its own: a run is not refused for what load or earlier questions
// produced.
func TestRuntimeBudget(t *testing.T) {
	cfg, diags := Load(writeConfig(t, map[string]string{"main.c2q.hcl": `
locals {
  l = [for i in range(1000) : i]
  m = [for i in range(600) : i]
}
session "s" {
  cluster_id = "1"
  database   = "d"
  question "q" {
    ask = "x"
    assert {
      condition     = [for a in local.l : local.m][999][599] == 599
      error_message = "no"
    }
  }
}
`}), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diagText(t, diags, cfg.Files))
	}
	s := cfg.Sessions[0]
	q := s.Questions[0]
	sc := cfg.NewScope(s)
	// 601,000 elements each (600 a thousand times, and the thousand):
	// twice is over one budget, but each evaluation has its own.
	for range 3 {
		passed, _, diags := sc.EvalAssert(q, q.Asserts[0], &Answer{})
		if diags.HasErrors() || !passed {
			t.Fatalf("passed %v: %s", passed, diagText(t, diags, cfg.Files))
		}
	}
}

func TestEscapeText(t *testing.T) {
	tests := []struct {
		in, want, wantLines string
	}{
		{"SELECT 1", "SELECT 1", "SELECT 1"},
		{"a\tb", "a\tb", "a\tb"},
		{"\x1b[2J", `\x1b[2J`, `\x1b[2J`},
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", `\x1b]8;;http://x\x1b\link\x1b]8;;\x1b\`, `\x1b]8;;http://x\x1b\link\x1b]8;;\x1b\`},
		{"bell\a", `bell\x07`, `bell\x07`},
		{"over\rwrite", `over\rwrite`, `over\rwrite`},
		{"nul\x00", `nul\x00`, `nul\x00`},
		{"two\nlines", `two\nlines`, "two\nlines"},
		{"crlf\r\n", `crlf\r\n`, "crlf\r\n"},
		{"c1\u009b2J", `c1\u009b2J`, `c1\u009b2J`},
		{"bidi\u202eevil", `bidi\u202eevil`, `bidi\u202eevil`},
		{"bad\xffutf8", `bad\xffutf8`, `bad\xffutf8`},
		{"émoji 🙂", "émoji 🙂", "émoji 🙂"},
	}
	for _, tt := range tests {
		if got := EscapeText(tt.in, false); got != tt.want {
			t.Errorf("EscapeText(%q, false) = %q, want %q", tt.in, got, tt.want)
		}
		if got := EscapeText(tt.in, true); got != tt.wantLines {
			t.Errorf("EscapeText(%q, true) = %q, want %q", tt.in, got, tt.wantLines)
		}
	}
}

// TestWriteDiagnosticsLimits checks the limits of the text writer on
// diagnostics made by hand: errors shown before warnings when some are
// left out, a long line cut around its highlight, secrets masked.
func TestWriteDiagnosticsLimits(t *testing.T) {
	line := strings.Repeat("a", 5000) + "HERE" + strings.Repeat("b", 5000)
	src := "x = \"" + line + "\"\nkey = \"s3cret-key\" # the key\n"
	file := &hcl.File{Bytes: []byte(src)}
	files := map[string]*hcl.File{"f.hcl": file}
	at := func(start, end int) *hcl.Range {
		r := hclsource.Range([]byte(src), "f.hcl", start, end)
		return &r
	}
	here := strings.Index(src, "HERE")
	key := strings.Index(src, `"s3cret-key"`)
	var diags hcl.Diagnostics
	for i := range MaxDiagnostics {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: fmt.Sprintf("Warning %d", i)})
	}
	diags = append(diags,
		&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Long line", Subject: at(here, here+4)},
		&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Key", Subject: at(key, key+12)},
	)
	maskDiagnostics(diags, []hcl.Range{*at(key, key+12)})

	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, diags, files, 0, false); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"Error: Long line",
		"Error: Key",
		`   2: key = (sensitive value) # the key`,
		"Warning 47",
		"… and 2 more warnings not shown (at most 50 diagnostics are shown).",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "s3cret") || strings.Contains(got, "Warning 48") {
		t.Errorf("output shows what it must not:\n%s", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "   1: ") {
			if n := len([]rune(strings.TrimPrefix(l, "   1: "))); n > MaxSnippetWidth || !strings.Contains(l, "HERE") || !strings.HasPrefix(strings.TrimPrefix(l, "   1: "), "…") || !strings.HasSuffix(l, "…") {
				t.Errorf("snippet line of %d characters: %q", n, l)
			}
		}
	}

	v := JSONDiagnostics(diags, files)
	if v.ErrorCount != 2 || v.WarningCount != MaxDiagnostics || len(v.Diagnostics) != MaxDiagnostics+1 || v.Diagnostics[MaxDiagnostics].Summary != "Too many diagnostics" {
		t.Errorf("JSON: %d errors, %d warnings, %d diagnostics", v.ErrorCount, v.WarningCount, len(v.Diagnostics))
	}
	for _, d := range v.Diagnostics {
		if s := d.Snippet; s != nil {
			if strings.Contains(s.Code, "s3cret") {
				t.Errorf("JSON snippet shows the secret: %q", s.Code)
			}
			if hl := s.Code[s.HighlightStartOffset:s.HighlightEndOffset]; d.Summary == "Long line" && hl != "HERE" {
				t.Errorf("JSON highlight %q", hl)
			}
		}
	}
}

// TestDistinct checks distinct, which c2q implements in linear time: a
// quadratic one would take minutes on the 99,000 elements here.
func TestDistinct(t *testing.T) {
	cfg, diags := Load(writeConfig(t, map[string]string{"main.c2q.hcl": locals(`
readme = distinct(concat(["a", "b"], ["b", "c"]))
mixed  = distinct([1, 1.0, 2, "2", 3])
big    = length(distinct(flatten([for i in range(99) : [for j in range(100) : "${i % 10}-${j}"]])))
none   = distinct([])
`)}), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diagText(t, diags, cfg.Files))
	}
	for name, want := range map[string]string{
		"readme": `["a","b","c"]`,
		"mixed":  `["1","2","3"]`,
		"none":   `[]`,
	} {
		got, err := json.Marshal(ctyjsonSimple(cfg.Locals[name].Value))
		if err != nil || string(got) != want {
			t.Errorf("local.%s = %s (%v), want %s", name, got, err, want)
		}
	}
	if n, _ := cfg.Locals["big"].Value.AsBigFloat().Int64(); n != 1000 {
		t.Errorf("distinct of 9,900 with 1,000 different: %d", n)
	}
}

// ctyjsonSimple turns a list of strings into Go values.
func ctyjsonSimple(v cty.Value) []string {
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, _ := convert.Convert(e, cty.String)
		out = append(out, s.AsString())
	}
	return out
}
