package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// marker is an expected diagnostic, written in an invalid fixture as
// "# ERROR: <summary substring>" or "# ERROR: <summary> | <detail substring>"
// on the line where the diagnostic's subject starts.
type marker struct {
	line            int
	summary, detail string
}

const markerPrefix = "# ERROR:"

func readMarkers(t *testing.T, src []byte) []marker {
	t.Helper()
	var markers []marker
	for i, line := range strings.Split(string(src), "\n") {
		parts := strings.Split(line, markerPrefix)
		for _, m := range parts[1:] {
			summary, detail, _ := strings.Cut(strings.TrimSpace(m), " | ")
			markers = append(markers, marker{line: i + 1, summary: summary, detail: detail})
		}
	}
	return markers
}

func (m marker) matches(d *hcl.Diagnostic) bool {
	return d.Severity == hcl.DiagError && d.Subject != nil && d.Subject.Start.Line == m.line &&
		strings.Contains(d.Summary, m.summary) && strings.Contains(d.Detail, m.detail)
}

// TestInvalidFixtures loads every file in testdata/invalid on its own and
// checks its diagnostics against the file's ERROR markers, both ways: every
// marker has a diagnostic and every diagnostic has a marker.
func TestInvalidFixtures(t *testing.T) {
	paths, err := filepath.Glob("testdata/invalid/*" + FileSuffix)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no invalid fixtures (err=%v)", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			markers := readMarkers(t, src)
			if len(markers) == 0 {
				t.Fatal("fixture has no ERROR markers")
			}
			cfg, diags := Load(path, LoadOptions{})
			if cfg == nil {
				t.Fatal("Load returned a nil Config")
			}
			for _, m := range markers {
				found := false
				for _, d := range diags {
					found = found || m.matches(d)
				}
				if !found {
					t.Errorf("%s:%d: no error %q (detail containing %q)", path, m.line, m.summary, m.detail)
				}
			}
			for _, d := range diags {
				marked := false
				for _, m := range markers {
					marked = marked || m.matches(d)
				}
				if !marked {
					t.Errorf("unmarked diagnostic: %s", describe(d))
				}
				if d.Subject != nil && d.Subject.Filename != path {
					t.Errorf("diagnostic in %q, want %q: %s", d.Subject.Filename, path, describe(d))
				}
			}
		})
	}
}

func describe(d *hcl.Diagnostic) string {
	at := "(no subject)"
	if d.Subject != nil {
		at = d.Subject.String()
	}
	return at + ": " + d.Summary + ": " + d.Detail
}

// cmpConfig compares decoded configurations by value, leaving ranges and
// parsed files to tests that look at them specifically.
var cmpConfig = []cmp.Option{
	cmpopts.IgnoreTypes(hcl.Range{}),
	cmpopts.IgnoreFields(Config{}, "Files"),
	cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) }),
	cmp.Comparer(func(a, b cty.Type) bool { return a.Equals(b) }),
}

func TestValidFixtures(t *testing.T) {
	cfg, diags := Load("testdata/valid", LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}

	// notes.hcl (wrong suffix) and nested/ (not recursive) are ignored.
	var names []string
	for name := range cfg.Files {
		names = append(names, name)
	}
	wantNames := []string{
		"testdata/valid/chat2query.c2q.hcl",
		"testdata/valid/market_cap.c2q.hcl",
		"testdata/valid/variables.c2q.hcl",
	}
	if diff := cmp.Diff(wantNames, names, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}

	settingsType := cty.ObjectWithOptionalAttrs(map[string]cty.Type{"mode": cty.String, "timeout": cty.String}, []string{"mode", "timeout"})
	settings := cty.ObjectVal(map[string]cty.Value{"mode": cty.StringVal("direct"), "timeout": cty.NullVal(cty.String)})
	sectors := cty.ListVal([]cty.Value{cty.StringVal("Technology"), cty.StringVal("Energy")})
	want := &Config{
		Variables: map[string]*Variable{
			"database": {Name: "database", Description: "The database every session asks about.", Type: cty.String,
				Default: cty.StringVal("sp500insight"), Value: cty.StringVal("sp500insight")},
			"cluster_id": {Name: "cluster_id", Type: cty.DynamicPseudoType,
				Default: cty.StringVal("10140100115280519574"), Value: cty.StringVal("10140100115280519574")},
			"limit":    {Name: "limit", Type: cty.Number, Default: cty.NumberIntVal(5), Value: cty.NumberIntVal(5)},
			"sectors":  {Name: "sectors", Type: cty.List(cty.String), Default: sectors, Value: sectors},
			"settings": {Name: "settings", Type: settingsType, Default: settings, Value: settings},
		},
		Chat2Query: Chat2Query{
			URL:     "https://eu-central-1.data.tidbcloud.com/api/v1beta/app/chat2query-abc/endpoint",
			Timeout: 90 * time.Second,
		},
		Sessions: []*Session{
			{
				Label: "market_cap", Name: "market_cap", ClusterID: "10140100115280519574", Database: "sp500insight",
				Questions: []*Question{
					{Label: "top5", Ask: "Which 5 companies have the largest market cap?", Mode: ModeDirect, Timeout: 90 * time.Second,
						Expect: &Expect{SQL: "SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5"}},
					{Label: "sectors", Ask: "Which sectors are they in?", Mode: ModeAutoBreakdown, Timeout: 5 * time.Minute,
						Expect: &Expect{SQL: "SELECT name, sector\nFROM companies\nORDER BY market_cap DESC\nLIMIT 5"}},
					{Label: "no-expectation", Ask: "How many companies are in the Technology sector?", Mode: ModeDirect, Timeout: 90 * time.Second},
				},
			},
			{
				Label: "energy", Name: "Energy sector", ClusterID: "10140100115280519574", Database: "sp500insight",
				Questions: []*Question{
					{Label: "count", Ask: "How many energy companies are there?", Mode: ModeDirect, Timeout: 90 * time.Second},
				},
			},
		},
	}
	if diff := cmp.Diff(want, cfg, cmpConfig...); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}

	// Ranges point where a runner's diagnostics will need them.
	q := cfg.Sessions[0].Questions[1]
	for _, r := range []struct {
		what string
		rng  hcl.Range
		line int
	}{
		{"session", cfg.Sessions[0].DeclRange, 1},
		{"question", q.DeclRange, 13},
		{"ask", q.AskRange, 14},
		{"expect", q.Expect.DeclRange, 18},
		{"sql", q.Expect.SQLRange, 19},
		{"variable", cfg.Variables["limit"].DeclRange, 12},
		{"chat2query", cfg.Chat2Query.DeclRange, 1},
	} {
		if r.rng.Start.Line != r.line || r.rng.Filename == "" {
			t.Errorf("%s range = %s, want line %d", r.what, r.rng, r.line)
		}
	}
}
