package spec

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// diagText renders diags as a user sees them, for failure messages.
func diagText(t *testing.T, diags hcl.Diagnostics, files map[string]*hcl.File) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, diags, files, 0, false); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteDiagnosticsGolden(t *testing.T) {
	const golden = "testdata/diagnostics.golden"
	cfg, diags := Load("testdata/diagnostics", LoadOptions{})
	if !diags.HasErrors() {
		t.Fatal("expected errors")
	}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, diags, cfg.Files, 80, false); err != nil {
		t.Fatal(err)
	}
	got := buf.String()

	// The essentials, independent of the golden file's exact layout.
	for _, want := range []string{
		"Error: Reference to undeclared input variable",
		"on testdata/diagnostics/main.c2q.hcl line 12, in session \"market_cap\":",
		`  12:   database   = var.databse`,
		`Did you mean "database"?`,
		"Error: Invalid mode",
		`  16:     mode    = var.mode`,
		`with var.mode as "auto-breakdown".`,
	} {
		// Details are wrapped at the width: compare words, not lines.
		if !strings.Contains(strings.Join(strings.Fields(got), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("output lacks %q", want)
		}
	}

	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./spec -run TestWriteDiagnosticsGolden -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("output differs from %s (-want +got); rerun with -update if intended:\n%s", golden, diff)
	}
}

func TestWriteDiagnosticsColorAndMissingSource(t *testing.T) {
	diags := hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Boom",
		Detail:   "It broke.",
		Subject:  &hcl.Range{Filename: "gone.c2q.hcl", Start: hcl.Pos{Line: 3, Column: 1}, End: hcl.Pos{Line: 3, Column: 2}},
	}}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, diags, nil, 0, true); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{"\x1b[31mError\x1b[0m: Boom", "on gone.c2q.hcl line 3:", "(source code not available)", "It broke."} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
