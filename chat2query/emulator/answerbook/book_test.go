package answerbook

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func mustParse(t *testing.T, src string) *Book {
	t.Helper()
	b, diags := Parse([]byte(src), "test.hcl")
	if diags.HasErrors() {
		t.Fatalf("Parse: %s", diags.Error())
	}
	return b
}

func TestParse(t *testing.T) {
	b := mustParse(t, `
answer "top" {
  match          = ["(?i)top (five|5)", "(?i)largest"]
  sql            = <<-SQL
    SELECT 1;
  SQL
  clarified_task = "  Find the top five.  "
  description    = "desc"
  assumptions    = [
    { concept = "c1", explanation = "e1" },
    { "concept" = "c2", "explanation" = "e2" },
  ]
  chart {
    name         = "LineChart"
    x            = "d"
    y            = ["a", "b"]
    pivot_column = "p"
  }
}

answer "follow" {
  after          = ["top"]
  match          = ["(?i)sectors"]
  sql            = "SELECT 2"
  clarified_task = "Follow."
  description    = null
}
`)
	entries := b.Entries()
	if len(entries) != 2 {
		t.Fatalf("got %d entries", len(entries))
	}
	top := entries[0]
	if top.Label != "top" || top.SQL != "SELECT 1;" || top.ClarifiedTask != "Find the top five." || top.Description != "desc" {
		t.Errorf("top = %+v", top)
	}
	if len(top.Match) != 2 || top.Match[0].String() != "(?i)top (five|5)" {
		t.Errorf("top.Match = %v", top.Match)
	}
	if want := []Assumption{{"c1", "e1"}, {"c2", "e2"}}; !reflect.DeepEqual(top.Assumptions, want) {
		t.Errorf("assumptions = %v, want %v", top.Assumptions, want)
	}
	wantChart := &Chart{Name: ChartLine, Title: "Find the top five.", Option: map[string]any{"x": "d", "y": []string{"a", "b"}, "pivot_column": "p"}}
	if !reflect.DeepEqual(top.Chart, wantChart) {
		t.Errorf("chart = %+v, want %+v", top.Chart, wantChart)
	}
	if top.DeclRange.Start.Line != 2 || top.IsFollowUp() {
		t.Errorf("top: range %v, follow-up %v", top.DeclRange, top.IsFollowUp())
	}
	follow, ok := b.Lookup("follow")
	if !ok || !follow.IsFollowUp() || !slices.Equal(follow.After, []string{"top"}) || follow.Description != "" || follow.Chart != nil {
		t.Errorf("follow = %+v", follow)
	}
	if _, ok := b.Lookup("nope"); ok {
		t.Error("Lookup of an unknown label succeeded")
	}
}

func TestParseDiagnostics(t *testing.T) {
	type diag struct {
		line    int
		summary string
	}
	const valid = `match = ["x"]
  sql = "SELECT 1"
  clarified_task = "t"`
	cases := []struct {
		name string
		src  string
		want []diag
	}{
		{"syntax error", `answer "a" {`, []diag{{1, "Unclosed configuration block"}}},
		{"unknown block", "answer \"a\" {\n  " + valid + "\n}\nquestion \"q\" {}\n", []diag{{6, "Unsupported block type"}}},
		{"duplicate label", "answer \"a\" {\n  " + valid + "\n}\n\nanswer \"a\" {\n  " + valid + "\n}\n", []diag{{7, "Duplicate answer label"}}},
		{"invalid label", "answer \"a b\" {\n  " + valid + "\n}\n", []diag{{1, "Invalid answer label"}}},
		{"bad regex", `answer "a" {
  match = [
    "(?i)fine",
    "(?i)broken(",
  ]
  sql = "SELECT 1"
  clarified_task = "t"
}`, []diag{{4, "Invalid regular expression"}}},
		{"two bad regexes", `answer "a" {
  match = ["[z-a]", "ok", "*"]
  sql = "SELECT 1"
  clarified_task = "t"
}`, []diag{{2, "Invalid regular expression"}, {2, "Invalid regular expression"}}},
		{"unknown after", "answer \"top\" {\n  " + valid + "\n}\nanswer \"b\" {\n  after = [\"tpo\"]\n  " + valid + "\n}\n", []diag{{7, "Unknown answer label"}}},
		{"duplicate after", "answer \"top\" {\n  " + valid + "\n}\nanswer \"b\" {\n  after = [\"top\", \"top\"]\n  " + valid + "\n}\n", []diag{{7, "Duplicate label in after"}}},
		{"empty sql", `answer "a" {
  match = ["x"]
  sql = <<-SQL
  SQL
  clarified_task = "t"
}`, []diag{{3, "Empty SQL"}}},
		{"blank sql", "answer \"a\" {\n  match = [\"x\"]\n  sql = \"   \"\n  clarified_task = \"t\"\n}", []diag{{3, "Empty SQL"}}},
		{"missing sql", "answer \"a\" {\n  match = [\"x\"]\n  clarified_task = \"t\"\n}", []diag{{1, "Missing required argument"}}},
		{"empty clarified task", "answer \"a\" {\n  match = [\"x\"]\n  sql = \"SELECT 1\"\n  clarified_task = \"\"\n}", []diag{{4, "Empty clarified task"}}},
		{"unknown attribute", "answer \"a\" {\n  " + valid + "\n  question = \"x\"\n}", []diag{{5, "Unsupported argument"}}},
		{"match not a list", "answer \"a\" {\n  match = \"x\"\n  sql = \"SELECT 1\"\n  clarified_task = \"t\"\n}", []diag{{2, "Incorrect attribute value type"}}},
		{"match item not a string", "answer \"a\" {\n  match = [\"x\", [\"y\"]]\n  sql = \"SELECT 1\"\n  clarified_task = \"t\"\n}", []diag{{2, "Incorrect attribute value type"}}},
		{"empty match", "answer \"a\" {\n  match = []\n  sql = \"SELECT 1\"\n  clarified_task = \"t\"\n}", []diag{{2, "Missing question pattern"}}},
		{"sql not a string", "answer \"a\" {\n  match = [\"x\"]\n  sql = [\"SELECT 1\"]\n  clarified_task = \"t\"\n}", []diag{{3, "Incorrect attribute value type"}}},
		{"variable", "answer \"a\" {\n  match = [\"x\"]\n  sql = var.sql\n  clarified_task = \"t\"\n}", []diag{{3, "Variables not allowed"}}},
		{"function", "answer \"a\" {\n  match = [\"x\"]\n  sql = upper(\"s\")\n  clarified_task = \"t\"\n}", []diag{{3, "Function calls not allowed"}}},
		{"incomplete assumption", "answer \"a\" {\n  " + valid + "\n  assumptions = [\n    { concept = \"c\" },\n  ]\n}", []diag{{6, "Incomplete assumption"}}},
		{"unknown assumption key", "answer \"a\" {\n  " + valid + "\n  assumptions = [{ concept = \"c\", explanation = \"e\", related = \"r\" }]\n}", []diag{{5, "Unsupported assumption attribute"}}},
		{"assumption not an object", "answer \"a\" {\n  " + valid + "\n  assumptions = [\"c\"]\n}", []diag{{5, "Invalid assumption"}}},
		{"chart without name", "answer \"a\" {\n  " + valid + "\n  chart {\n    x = \"a\"\n  }\n}", []diag{{5, "Missing chart name"}}},
		{"unknown chart", "answer \"a\" {\n  " + valid + "\n  chart {\n    name = \"ScatterPlot\"\n  }\n}", []diag{{6, "Unknown chart name"}}},
		{"missing chart option", "answer \"a\" {\n  " + valid + "\n  chart {\n    name = \"BarChart\"\n    x = \"a\"\n  }\n}", []diag{{5, "Missing chart option"}}},
		{"unsupported chart option", "answer \"a\" {\n  " + valid + "\n  chart {\n    name = \"PieChart\"\n    label = \"a\"\n    value = \"b\"\n    x = \"c\"\n  }\n}", []diag{{9, "Unsupported chart option"}}},
		{"chart option list", "answer \"a\" {\n  " + valid + "\n  chart {\n    name = \"BarChart\"\n    x = [\"a\", \"b\"]\n    y = \"c\"\n  }\n}", []diag{{7, "Invalid chart option"}}},
		{"two charts", "answer \"a\" {\n  " + valid + "\n  chart {\n    name = \"Table\"\n  }\n  chart {\n    name = \"Table\"\n  }\n}", []diag{{8, "Duplicate chart block"}}},
		{"several problems", "answer \"a\" {\n  match = [\"(\"]\n  sql = \"\"\n  clarified_task = \"t\"\n}\nanswer \"a\" {\n  " + valid + "\n}\n", []diag{{2, "Invalid regular expression"}, {3, "Empty SQL"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, diags := Parse([]byte(c.src), "test.hcl")
			if b != nil {
				t.Errorf("Parse returned a book despite errors")
			}
			var got []diag
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				if d.Subject == nil {
					t.Errorf("diagnostic %q has no range", d.Summary)
					continue
				}
				if d.Subject.Filename != "test.hcl" {
					t.Errorf("diagnostic %q is in file %q", d.Summary, d.Subject.Filename)
				}
				got = append(got, diag{d.Subject.Start.Line, d.Summary})
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("diagnostics = %v, want %v\n%s", got, c.want, diags.Error())
			}
		})
	}
}

func TestParseSuggestsLabels(t *testing.T) {
	_, diags := Parse([]byte("answer \"top_market_cap\" {\n  match = [\"x\"]\n  sql = \"S\"\n  clarified_task = \"t\"\n}\nanswer \"b\" {\n  after = [\"top_market_cpa\"]\n  match = [\"x\"]\n  sql = \"S\"\n  clarified_task = \"t\"\n}"), "test.hcl")
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, `Did you mean "top_market_cap"?`) {
		t.Errorf("diagnostics = %v, want a suggestion", diags)
	}
	if r := diags[0].Subject; r.Start.Line != 7 || r.Start.Column != 12 || r.End.Column != 28 {
		t.Errorf("range = %v, want the quoted label on line 7, columns 12-28", r)
	}
}

const ruleBook = `
answer "general_a" {
  match          = ["(?i)\\bsectors?\\b"]
  sql            = "SELECT 'a'"
  clarified_task = "a"
}
answer "general_b" {
  match          = ["(?i)which sectors"]
  sql            = "SELECT 'b'"
  clarified_task = "b"
}
answer "top" {
  match          = ["(?i)^top$"]
  sql            = "SELECT 'top'"
  clarified_task = "top"
}
answer "other" {
  match          = ["(?i)^other$"]
  sql            = "SELECT 'other'"
  clarified_task = "other"
}
answer "follow" {
  after          = ["top"]
  match          = ["(?i)which sectors"]
  sql            = "SELECT 'follow'"
  clarified_task = "follow"
}
answer "follow_too" {
  after          = ["top", "other"]
  match          = ["(?i)sectors"]
  sql            = "SELECT 'follow_too'"
  clarified_task = "follow too"
}
`

func TestMatchRule(t *testing.T) {
	b := mustParse(t, ruleBook)
	cases := []struct {
		question, previous string
		want               string // "" = no match
		candidates         []string
	}{
		// Without context, a follow-up never matches; among general entries the first wins.
		{"Which sectors?", "", "general_a", []string{"general_a", "general_b"}},
		// A follow-up of the previous answer beats the general entries; among follow-ups the
		// first in file order wins.
		{"Which sectors?", "top", "follow", []string{"follow", "follow_too", "general_a", "general_b"}},
		{"Which sectors?", "other", "follow_too", []string{"follow_too", "general_a", "general_b"}},
		// A previous answer that a follow-up does not list is no context for it.
		{"Which sectors?", "general_a", "general_a", []string{"general_a", "general_b"}},
		{"Which sectors?", "unknown", "general_a", []string{"general_a", "general_b"}},
		// White space is normalized before matching.
		{"  which \n\t sectors  ", "top", "follow", []string{"follow", "follow_too", "general_a", "general_b"}},
		{"top", "", "top", []string{"top"}},
		{"nothing", "top", "", nil},
		{"", "", "", nil},
	}
	for _, c := range cases {
		got, ok := b.Match(c.question, c.previous)
		label := ""
		if ok {
			label = got.Label
		}
		if label != c.want {
			t.Errorf("Match(%q, %q) = %q, want %q", c.question, c.previous, label, c.want)
		}
		var labels []string
		for _, e := range b.Candidates(c.question, c.previous) {
			labels = append(labels, e.Label)
		}
		if !slices.Equal(labels, c.candidates) {
			t.Errorf("Candidates(%q, %q) = %v, want %v", c.question, c.previous, labels, c.candidates)
		}
	}
}

func TestChartFor(t *testing.T) {
	b := mustParse(t, `
answer "none" {
  match          = ["x"]
  sql            = "SELECT 1"
  clarified_task = "None."
}
answer "table" {
  match          = ["x"]
  sql            = "SELECT 1"
  clarified_task = "Table."
  chart {
    name = "Table"
  }
}
answer "pie" {
  match          = ["x"]
  sql            = "SELECT 1"
  clarified_task = "Pie."
  chart {
    name  = "PieChart"
    title = "Shares"
    label = "l"
    value = "v"
  }
}
answer "bar" {
  match          = ["x"]
  sql            = "SELECT 1"
  clarified_task = "Bar."
  chart {
    name = "BarChart"
    x    = "x"
    y    = ["y1", "y2"]
  }
}
`)
	cols := []string{"l", "v"}
	cases := map[string]Chart{
		"none":  {Name: ChartTable, Title: "None.", Option: map[string]any{"columns": []string{"l", "v"}}},
		"table": {Name: ChartTable, Title: "Table.", Option: map[string]any{"columns": []string{"l", "v"}}},
		"pie":   {Name: ChartPie, Title: "Shares", Option: map[string]any{"label": "l", "value": "v"}},
		"bar":   {Name: ChartBar, Title: "Bar.", Option: map[string]any{"x": "x", "y": []string{"y1", "y2"}}},
	}
	for label, want := range cases {
		e, _ := b.Lookup(label)
		got := e.ChartFor(cols)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ChartFor = %+v, want %+v", label, got, want)
		}
		// The result is a copy: changing it leaves the entry alone.
		for k, v := range got.Option {
			if l, ok := v.([]string); ok {
				l[0] = "changed"
			}
			got.Option[k] = "changed"
		}
		if again := e.ChartFor(cols); !reflect.DeepEqual(again, want) {
			t.Errorf("%s: ChartFor after changing a result = %+v", label, again)
		}
	}
	e, _ := b.Lookup("pie")
	got, err := json.Marshal(e.ChartFor(nil))
	if want := `{"chart_name":"PieChart","title":"Shares","option":{"label":"l","value":"v"}}`; err != nil || string(got) != want {
		t.Errorf("JSON = %s, %v; want the service's chart_options %s", got, err, want)
	}
	cols[0] = "changed"
	if e, _ := b.Lookup("none"); e.ChartFor([]string{"a"}).Option["columns"].([]string)[0] != "a" {
		t.Error("ChartFor kept a reference to an earlier columns slice")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(builtinSrc)
	f.Add([]byte(ruleBook))
	f.Add([]byte("answer \"a\" {\n  match = [\"(\"]\n  sql = \"\"\n  clarified_task = 1\n  chart {\n    name = \"BarChart\"\n    y = [1]\n  }\n}"))
	f.Add([]byte("answer \"a\" {\n  match = [\"x\"]\n  sql = \"S\"\n  clarified_task = \"t\"\n  assumptions = [{ concept = null, explanation = [1] }, 3]\n}"))
	f.Add([]byte("answer \"a\" { after = [\"a\"]\n match = [\"x\"]\n sql = \"${x}\"\n clarified_task = <<EOT\nhi\nEOT\n}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		b, diags := Parse(src, "fuzz.hcl")
		if diags.HasErrors() != (b == nil) {
			t.Fatalf("errors %v but book %v", diags.HasErrors(), b != nil)
		}
		for _, d := range diags {
			if d.Severity == hcl.DiagError && d.Subject == nil {
				t.Errorf("diagnostic %q has no range", d.Summary)
			}
		}
		if b == nil {
			return
		}
		for _, e := range b.Entries() {
			if e.SQL == "" || e.ClarifiedTask == "" || len(e.Match) == 0 {
				t.Errorf("incomplete entry %+v", e)
			}
			_ = e.ChartFor([]string{"a"})
			b.Match(e.Label, e.Label)
		}
	})
}
