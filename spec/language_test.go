package spec

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// The acceptance configuration: ten different mistakes reported by one
// load, each at its line, with a snippet.
func TestTenMistakes(t *testing.T) {
	const path = "testdata/invalid/ten_mistakes.c2q.hcl"
	cfg, diags := Load(path, LoadOptions{})
	if len(diags) != 10 {
		t.Fatalf("got %d diagnostics, want 10:\n%s", len(diags), diagText(t, diags, cfg.Files))
	}
	summaries := map[string]bool{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Subject == nil {
			t.Errorf("not an error with a subject: %s", describe(d))
		}
		summaries[d.Summary] = true
	}
	if len(summaries) != 10 {
		t.Errorf("the ten diagnostics have %d different summaries", len(summaries))
	}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, diags, cfg.Files, 0, false); err != nil {
		t.Fatal(err)
	}
	// Every diagnostic shows its line of source, and the SQL error the line
	// inside the heredoc.
	if n := strings.Count(buf.String(), "  on "+path+" line "); n != 10 {
		t.Errorf("%d diagnostics with a source location, want 10", n)
	}
	if !strings.Contains(buf.String(), "  35:         FORM companies") {
		t.Errorf("the SQL error does not show the heredoc line:\n%s", buf.String())
	}
}

// An expected SQL's parse error points at the token inside the string or
// heredoc: quoted strings with escapes, <<- heredocs with indentation
// stripped, plain heredocs, heredocs in parentheses.
func TestSQLErrorPositions(t *testing.T) {
	for _, path := range []string{"testdata/invalid/sql_positions.c2q.hcl", "testdata/invalid/ten_mistakes.c2q.hcl", "testdata/invalid/functions.c2q.hcl"} {
		cfg, diags := Load(path, LoadOptions{})
		src := cfg.Files[path].Bytes
		found := 0
		for _, d := range diags {
			if !strings.HasPrefix(d.Summary, "Invalid expected SQL") && d.Summary != "Invalid SQL" {
				continue
			}
			_, near, ok := strings.Cut(d.Detail, ` near "`)
			if !ok || strings.Contains(d.Detail, "line 1 column") {
				continue // at the end, or not a literal
			}
			found++
			token := strings.Fields(strings.TrimSuffix(near, `".`))[0]
			at := string(src[d.Subject.Start.Byte:d.Subject.End.Byte])
			if !strings.HasPrefix(token, at) || at == "" {
				t.Errorf("%s: subject %s is %q, want the start of %q", path, d.Subject, at, token)
			}
			line := strings.Split(string(src), "\n")[d.Subject.Start.Line-1]
			if col := d.Subject.Start.Column; col > len(line) || !strings.HasPrefix(line[col-1:], at) {
				t.Errorf("%s: subject column %d does not start %q in %q", path, col, at, line)
			}
		}
		if found == 0 {
			t.Errorf("%s: no positioned SQL error", path)
		}
	}

	for _, tt := range []struct {
		src, at string
	}{
		{`"SELECT a FROM t WHERE b = '\u00e9\t' ORDER BY DESC"`, "DESC"},
		{"\"SELECT 'x$${y}' FORM t\"", "t"},
		{"<<-EOT\n    SELECT a,\n      b FROM t\n    WHERE ORDER\n    EOT\n", "ORDER"},
		{"<<EOT\n  SELECT %%{x} FROM t WHERE\nEOT\n", "%%{x}"},
	} {
		dir := writeConfig(t, map[string]string{"m.c2q.hcl": "session \"s\" {\n  cluster_id = \"1\"\n  database = \"d\"\n  question \"q\" {\n    ask = \"a\"\n    expect {\n      sql = " + tt.src + "\n    }\n  }\n}\n"})
		cfg, diags := Load(dir, LoadOptions{})
		if len(diags) != 1 {
			t.Errorf("%s: want one diagnostic, got:\n%s", tt.src, diagText(t, diags, cfg.Files))
			continue
		}
		d := diags[0]
		src := cfg.Files[d.Subject.Filename].Bytes
		if got := string(src[d.Subject.Start.Byte:]); !strings.HasPrefix(got, tt.at) {
			t.Errorf("%s: subject at %q, want %q (%s)", tt.src, got[:min(len(got), 10)], tt.at, describe(d))
		}
	}
}

// Every function of the table can be called, under its Terraform name.
func TestFunctions(t *testing.T) {
	dir := writeConfig(t, map[string]string{
		"main.c2q.hcl": `locals {
  v = {
    abs         = abs(-2)
    sum         = sum([1, 2, 3.5])
    alltrue     = alltrue([true, 1 == 1])
    anytrue     = anytrue([false])
    startswith  = startswith("SELECT 1", "SELECT")
    endswith    = endswith("a.csv", ".csv")
    strcontains = strcontains("market_cap", "cap")
    replace     = replace("a1b22", "/[0-9]+/", "#")
    replace2    = replace("a.b", ".", "-")
    index       = index(["a", "b"], "b")
    one         = one(["x"])
    none        = one([])
    length      = [length("héllo"), length([1, 2]), length({ a = 1 }), length(toset(["a"]))]
    format      = format("%s-%03d", "q", 7)
    join        = join(",", sort(["b", "a"]))
    regex       = regex("^q([0-9]+)$", "q17")[0]
    regexall    = length(regexall("o", "foo"))
    base64      = base64decode(base64encode("c2q"))
    url         = urlencode("a b&c")
    md5         = md5("c2q")
    sha256      = sha256("c2q")
    json        = jsondecode("{\"a\": [1, 2]}").a[1]
    csv         = csvdecode(file("data/cases.csv"))[1].sql
    exists      = [fileexists("data/cases.csv"), fileexists("nope.csv"), fileexists("data")]
    canonical   = sql_canonical("select  Name from Companies where sector = \"Energy\"")
    fingerprint = sql_fingerprint("SELECT name FROM companies WHERE sector <> 'Energy' LIMIT 3")
    tables      = sql_tables("WITH top AS (SELECT * FROM companies) SELECT * FROM top JOIN Users ON 1 = 1")
    try         = try(tonumber("x"), 0)
    can         = can(tonumber("x"))
    types       = [tostring(1), tonumber("2"), tobool("true")]
    collections = [tolist(toset(["b", "a"])), keys(tomap({ a = 1 }))]
    sensitive   = nonsensitive(sensitive("s"))
    title       = title(lower(trimspace(" HELLO ")))
    date        = formatdate("YYYY-MM-DD", timeadd("2024-01-01T00:00:00Z", "48h"))
  }
}
`,
		"data/cases.csv": "id,sql\nq1,SELECT 1\nq2,SELECT 2\n",
	})
	cfg, diags := Load(dir, LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	v := cfg.Locals["v"].Value
	for name, want := range map[string]cty.Value{
		"abs":         cty.NumberIntVal(2),
		"sum":         cty.NumberFloatVal(6.5),
		"alltrue":     cty.True,
		"anytrue":     cty.False,
		"startswith":  cty.True,
		"endswith":    cty.True,
		"strcontains": cty.True,
		"replace":     cty.StringVal("a#b#"),
		"replace2":    cty.StringVal("a-b"),
		"index":       cty.NumberIntVal(1),
		"one":         cty.StringVal("x"),
		"none":        cty.NullVal(cty.DynamicPseudoType),
		"length":      cty.TupleVal([]cty.Value{cty.NumberIntVal(5), cty.NumberIntVal(2), cty.NumberIntVal(1), cty.NumberIntVal(1)}),
		"format":      cty.StringVal("q-007"),
		"join":        cty.StringVal("a,b"),
		"regex":       cty.StringVal("17"),
		"regexall":    cty.NumberIntVal(2),
		"base64":      cty.StringVal("c2q"),
		"url":         cty.StringVal("a+b%26c"),
		"json":        cty.NumberIntVal(2),
		"csv":         cty.StringVal("SELECT 2"),
		"exists":      cty.TupleVal([]cty.Value{cty.True, cty.False, cty.False}),
		"canonical":   cty.StringVal("SELECT `name` FROM `companies` WHERE `sector` = 'Energy'"),
		"fingerprint": cty.StringVal("SELECT `name` FROM `companies` WHERE `sector` != ? LIMIT ?"),
		"tables":      cty.ListVal([]cty.Value{cty.StringVal("companies"), cty.StringVal("users")}),
		"try":         cty.NumberIntVal(0),
		"can":         cty.False,
		"sensitive":   cty.StringVal("s"),
		"title":       cty.StringVal("Hello"),
		"date":        cty.StringVal("2024-01-03"),
	} {
		got := v.GetAttr(name)
		if !got.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	if got := v.GetAttr("md5").AsString(); len(got) != 32 {
		t.Errorf("md5 = %q", got)
	}
	if got := v.GetAttr("sha256").AsString(); len(got) != 64 {
		t.Errorf("sha256 = %q", got)
	}
	names := Functions()
	for _, want := range []string{"csvdecode", "file", "try", "can", "sql_canonical", "sql_fingerprint", "sql_tables", "jsondecode", "regex"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("Functions() lacks %s", want)
		}
	}
}
