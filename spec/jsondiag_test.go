package spec

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func marshalJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestJSONDiagnosticsNone(t *testing.T) {
	got := marshalJSON(t, JSONDiagnostics(nil, nil))
	want := `{
  "format_version": "1.0",
  "valid": true,
  "error_count": 0,
  "warning_count": 0,
  "diagnostics": []
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// jsondiagFixture parses the files of testdata/jsondiag and makes
// diagnostics of every shape on them: a syntax error as the parser reports
// it, and others as c2q's decoding does (with an expression and its
// evaluation context, with a context range, without a subject, ...).
func jsondiagFixture(t *testing.T) (hcl.Diagnostics, map[string]*hcl.File) {
	t.Helper()
	p := hclparse.NewParser()
	const mainPath, syntaxPath = "testdata/jsondiag/main.c2q.hcl", "testdata/jsondiag/syntax.c2q.hcl"
	main, diags := p.ParseHCLFile(mainPath)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = p.ParseHCLFile(syntaxPath)
	if !diags.HasErrors() {
		t.Fatalf("%s parses", syntaxPath)
	}

	body := main.Body.(*hclsyntax.Body)
	variable := body.Blocks[0]
	session := body.Blocks[1]
	question := session.Body.Blocks[0]
	attr := func(b *hclsyntax.Block, name string) *hclsyntax.Attribute {
		a := b.Body.Attributes[name]
		if a == nil {
			t.Fatalf("no attribute %s", name)
		}
		return a
	}
	ptr := func(r hcl.Range) *hcl.Range { return &r }
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"var": cty.ObjectVal(map[string]cty.Value{
			"mode":        cty.StringVal("auto-breakdown"),
			"private_key": cty.StringVal("s3cret").Mark("sensitive"),
		}),
	}}
	database := attr(session, "database")
	mode := attr(question, "mode")
	noEnd := attr(session, "cluster_id").Expr.Range()
	noEnd.End = hcl.Pos{}
	keyExpr, _ := hclsyntax.ParseExpression([]byte("var.private_key"), mainPath, hcl.InitialPos)

	diags = append(diags,
		&hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Reference to undeclared input variable",
			Detail:      `An input variable named "databse" has not been declared. Did you mean "database"?`,
			Subject:     ptr(database.Expr.Range()),
			Expression:  database.Expr,
			EvalContext: ctx,
		},
		&hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Invalid mode",
			Detail:      `The mode "auto-breakdown" is not valid: it must be "direct" or "auto_breakdown".`,
			Subject:     ptr(mode.Expr.Range()),
			Context:     ptr(mode.SrcRange),
			Expression:  mode.Expr,
			EvalContext: ctx,
		},
		&hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Slow question",
			Detail:   "A timeout over a minute is spent waiting on one question.",
			Subject:  ptr(attr(question, "timeout").Expr.Range()),
			Context:  ptr(question.Range()),
		},
		&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown column",
			Detail:   "A subject over several lines.",
			Subject:  ptr(attr(question.Body.Blocks[0], "columns").Expr.Range()),
		},
		&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing required argument",
			Detail:   "An empty subject, just after a block header.",
			Subject:  ptr(hcl.Range{Filename: mainPath, Start: variable.OpenBraceRange.End, End: variable.OpenBraceRange.End}),
		},
		&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid cluster",
			Detail:   "A subject without an end.",
			Subject:  &noEnd,
		},
		&hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Invalid key",
			Detail:      "The value of a sensitive reference is never shown.",
			Subject:     ptr(mode.Expr.Range()),
			Expression:  keyExpr,
			EvalContext: ctx,
		},
		&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No Chat2Query endpoint",
			Detail:   "A diagnostic without a subject.",
		},
		&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Gone",
			Detail:   "A diagnostic in a file whose source is not known.",
			Subject:  &hcl.Range{Filename: "gone.c2q.hcl", Start: hcl.Pos{Line: 3, Column: 1, Byte: 20}, End: hcl.Pos{Line: 3, Column: 5, Byte: 24}},
		},
	)
	return diags, p.Files()
}

func TestJSONDiagnosticsGolden(t *testing.T) {
	const golden = "testdata/jsondiag/validate.golden.json"
	diags, files := jsondiagFixture(t)
	v := JSONDiagnostics(diags, files)
	got := marshalJSON(t, v)

	// The essentials, independent of the golden file.
	if v.Valid || v.ErrorCount != len(diags)-1 || v.WarningCount != 1 || len(v.Diagnostics) != len(diags) {
		t.Errorf("valid %v, %d errors, %d warnings, %d diagnostics", v.Valid, v.ErrorCount, v.WarningCount, len(v.Diagnostics))
	}
	if strings.Contains(got, "s3cret") {
		t.Error("a sensitive value is in the output")
	}
	for _, d := range v.Diagnostics {
		if s := d.Snippet; s != nil {
			if s.HighlightStartOffset > s.HighlightEndOffset || s.HighlightEndOffset > len(s.Code) {
				t.Errorf("%s: highlight %d-%d out of the %d bytes of code", d.Summary, s.HighlightStartOffset, s.HighlightEndOffset, len(s.Code))
			}
			if d.Range.Start.Line == d.Range.End.Line && d.Range.Start.Byte < d.Range.End.Byte {
				// On one line the highlight is the subject's text.
				src := files[d.Range.Filename].Bytes[d.Range.Start.Byte:d.Range.End.Byte]
				if hl := s.Code[s.HighlightStartOffset:s.HighlightEndOffset]; hl != string(src) {
					t.Errorf("%s: highlight %q, subject %q", d.Summary, hl, src)
				}
			}
		}
	}

	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./spec -run TestJSONDiagnosticsGolden -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("output differs from %s (-want +got); rerun with -update if intended:\n%s", golden, diff)
	}
}

// TestJSONDiagnosticShape checks the field names and the nulls and empty
// arrays that consumers of Terraform's JSON rely on.
func TestJSONDiagnosticShape(t *testing.T) {
	file, diags := hclsyntax.ParseConfig([]byte("a = 1\n"), "x.c2q.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d := NewJSONDiagnostic(&hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "S",
		Subject:  &hcl.Range{Filename: "x.c2q.hcl", Start: hcl.Pos{Line: 1, Column: 5, Byte: 4}, End: hcl.Pos{Line: 1, Column: 6, Byte: 5}},
	}, map[string]*hcl.File{"x.c2q.hcl": file})
	want := `{
  "severity": "warning",
  "summary": "S",
  "detail": "",
  "range": {
    "filename": "x.c2q.hcl",
    "start": {
      "line": 1,
      "column": 5,
      "byte": 4
    },
    "end": {
      "line": 1,
      "column": 6,
      "byte": 5
    }
  },
  "snippet": {
    "context": null,
    "code": "a = 1",
    "start_line": 1,
    "highlight_start_offset": 4,
    "highlight_end_offset": 5,
    "values": []
  }
}
`
	if diff := cmp.Diff(want, marshalJSON(t, d)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := marshalJSON(t, NewJSONDiagnostic(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "S", Detail: "D"}, nil)); got != "{\n  \"severity\": \"error\",\n  \"summary\": \"S\",\n  \"detail\": \"D\"\n}\n" {
		t.Errorf("without a subject: %s", got)
	}
}

func TestCompactValue(t *testing.T) {
	for _, tc := range []struct {
		v    cty.Value
		want string
	}{
		{cty.NullVal(cty.String), "null"},
		{cty.True, "true"},
		{cty.NumberIntVal(42), "42"},
		{cty.NumberFloatVal(0.5), "0.5"},
		{cty.MustParseNumberVal("1E10000000"), "1e+10000000"},
		{cty.MustParseNumberVal("-2.5E-100001000"), "-2.5e-100001000"},
		{cty.PositiveInfinity, "+Inf"},
		{cty.StringVal("a\"b"), `"a\"b"`},
		{cty.ListValEmpty(cty.String), "empty list of string"},
		{cty.TupleVal([]cty.Value{cty.True}), "tuple with 1 element"},
		{cty.ListVal([]cty.Value{cty.True, cty.False}), "list of bool with 2 elements"},
		{cty.ObjectVal(map[string]cty.Value{"a": cty.True}), `object with 1 attribute "a"`},
		{cty.ObjectVal(map[string]cty.Value{"a": cty.True, "b": cty.True}), "object with 2 attributes"},
		{cty.EmptyObjectVal, "object with no attributes"},
	} {
		if got := compactValue(tc.v); got != tc.want {
			t.Errorf("compactValue(%s) = %q, want %q", tc.want, got, tc.want)
		}
	}
}
