package spec

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// TestExpectCatalogue decodes every check of the catalogue, the modifiers,
// a not block and a verify block, and checks what the runner is given.
func TestExpectCatalogue(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main" + FileSuffix: `
variable "dsn" {
  type      = string
  sensitive = true
  default   = "reader:pw@tcp(db:4000)/"
}
verify {
  dsn      = var.dsn
  timeout  = "5s"
  max_rows = 100
}
session "s" {
  cluster_id = "1"
  database   = "db"
  question "q" {
    ask = "Which five companies have the largest market cap?"
    expect {
      max_duration   = "1m"
      chart          = "barchart"
      description    = "(?i)market"
      clarified_task = "five"
      contains_rows  = [{ name = "Apple" }]
      rows           = csvdecode("name\nApple\n")
      row_count      = 5
      columns        = ["name"]
      limit          = 5
      group_by       = ["sector"]
      order_by       = ["market_cap DESC"]
      read_only      = true
      tables         = ["companies"]
      sql_matches    = "(?i)limit"
      sql_contains   = ["ORDER BY"]
      sql_any_of     = ["SELECT name FROM companies", "SELECT 1"]
      sql            = "SELECT name FROM companies ORDER BY market_cap DESC LIMIT 5"
      match          = "result"
      ordered        = false
      tolerance      = { abs = 0.5, rel = 0.001 }
      not {
        sql_contains = ["DELETE"]
        tables       = ["users"]
      }
    }
  }
}
`})
	cfg, diags := Load(dir, LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	x := cfg.Sessions[0].Questions[0].Expect
	var got []string
	for _, c := range x.Checks {
		got = append(got, c.Address())
	}
	// Reported in catalogue order, whatever the order in the file; then the
	// not block's.
	want := []string{
		"expect.sql", "expect.sql_any_of", "expect.sql_contains", "expect.sql_matches", "expect.tables",
		"expect.read_only", "expect.order_by", "expect.group_by", "expect.limit", "expect.columns",
		"expect.row_count", "expect.rows", "expect.contains_rows", "expect.clarified_task",
		"expect.description", "expect.chart", "expect.max_duration",
		"expect.not.sql_contains", "expect.not.tables",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	if len(want) != len(ExpectCheckTypes)+2 {
		t.Errorf("the test covers %d checks, the catalogue has %d", len(want)-2, len(ExpectCheckTypes))
	}
	if x.Match != MatchResult || x.SQL == nil || x.Ordered == nil || x.Tolerance == nil {
		t.Errorf("modifiers: match %q, sql %v, ordered %v, tolerance %v", x.Match, x.SQL, x.Ordered, x.Tolerance)
	}
	tol, _ := x.Tolerance.Value(nil)
	if abs, rel, err := ToleranceValue(tol); abs != 0.5 || rel != 0.001 || err != nil {
		t.Errorf("tolerance = %v, %v, %v", abs, rel, err)
	}
	if v := cfg.Verify; v.DSN != "reader:pw@tcp(db:4000)/" || v.Timeout != 5*time.Second || v.MaxRows != 100 {
		t.Errorf("verify = %#v", v)
	}
	if s := cfg.Verify.String(); strings.Contains(s, "pw") {
		t.Errorf("Verify.String() shows the DSN: %s", s)
	}
}

func TestVerifyFromEnvironment(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main" + FileSuffix: `session "s" {
  cluster_id = "1"
  database   = "db"
  question "q" {
    ask = "x"
  }
}`})
	cfg, diags := Load(dir, LoadOptions{Getenv: env(map[string]string{EnvVerifyDSN: "u:p@tcp(h:4000)/"})})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if cfg.Verify.DSN != "u:p@tcp(h:4000)/" || cfg.Verify.Timeout != 0 || cfg.Verify.MaxRows != 0 {
		t.Errorf("verify = %#v", cfg.Verify)
	}
}

func TestToleranceValue(t *testing.T) {
	obj := func(m map[string]cty.Value) cty.Value { return cty.ObjectVal(m) }
	for _, tc := range []struct {
		v        cty.Value
		abs, rel float64
		err      string
	}{
		{cty.NumberFloatVal(0.01), 0.01, 0, ""},
		{obj(map[string]cty.Value{"rel": cty.NumberFloatVal(1e-6)}), 0, 1e-6, ""},
		{obj(map[string]cty.Value{"abs": cty.NumberIntVal(1), "rel": cty.NumberFloatVal(0.1)}), 1, 0.1, ""},
		{cty.NullVal(cty.Number), 0, 0, ""},
		{cty.NumberIntVal(-1), 0, 0, "zero or more"},
		{obj(map[string]cty.Value{"abs": cty.StringVal("x")}), 0, 0, "abs must be a number"},
		{obj(map[string]cty.Value{"relative": cty.NumberIntVal(1)}), 0, 0, `not "relative"`},
		{cty.StringVal("0.1"), 0, 0, "write a number"},
	} {
		abs, rel, err := ToleranceValue(tc.v)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ToleranceValue(%#v) error = %v, want %q", tc.v, err, tc.err)
			}
			continue
		}
		if err != nil || abs != tc.abs || rel != tc.rel {
			t.Errorf("ToleranceValue(%#v) = %v, %v, %v; want %v, %v", tc.v, abs, rel, err, tc.abs, tc.rel)
		}
	}
}

func TestRowsShape(t *testing.T) {
	row := func(cells ...cty.Value) cty.Value { return cty.TupleVal(cells) }
	obj := func(m map[string]cty.Value) cty.Value { return cty.ObjectVal(m) }
	s, n := cty.StringVal("a"), cty.NumberIntVal(1)
	for _, tc := range []struct {
		name string
		v    cty.Value
		err  string
	}{
		{"lists", cty.TupleVal([]cty.Value{row(s, n), row(s, cty.NullVal(cty.Number))}), ""},
		{"objects", cty.ListVal([]cty.Value{obj(map[string]cty.Value{"x": s}), obj(map[string]cty.Value{"x": s})}), ""},
		{"empty", cty.EmptyTupleVal, ""},
		{"not a list", s, "must be a list of rows"},
		{"a row is a string", cty.TupleVal([]cty.Value{s}), "row 1 is a string"},
		{"mixed", cty.TupleVal([]cty.Value{row(s), obj(map[string]cty.Value{"x": s})}), "row 2 is written differently"},
		{"other columns", cty.TupleVal([]cty.Value{obj(map[string]cty.Value{"x": s}), obj(map[string]cty.Value{"y": s})}), "every row must name the same columns"},
		{"nested cell", cty.TupleVal([]cty.Value{row(s, row(n))}), "row 1, cell 2 is a tuple"},
		{"nested column", cty.TupleVal([]cty.Value{obj(map[string]cty.Value{"x": row(n)})}), `row 1, column "x" is a tuple`},
		{"null row", cty.TupleVal([]cty.Value{cty.NullVal(cty.DynamicPseudoType)}), "row 1 is null"},
	} {
		err := RowsShape(tc.v)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: RowsShape = %v, want %q", tc.name, err, tc.err)
		}
	}
}
