package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
)

// marker is an expected diagnostic, written in an invalid fixture as
// "# ERROR: <summary substring>" or "# ERROR: <summary> | <detail substring>"
// on the line where the diagnostic's subject starts; "# WARNING:" for a
// warning.
type marker struct {
	line            int
	severity        hcl.DiagnosticSeverity
	summary, detail string
}

var markerPrefixes = map[string]hcl.DiagnosticSeverity{"# ERROR:": hcl.DiagError, "# WARNING:": hcl.DiagWarning}

func readMarkers(t *testing.T, src []byte) []marker {
	t.Helper()
	var markers []marker
	for i, line := range strings.Split(string(src), "\n") {
		for {
			at, prefix := -1, ""
			for p := range markerPrefixes {
				if j := strings.Index(line, p); j >= 0 && (at < 0 || j < at) {
					at, prefix = j, p
				}
			}
			if at < 0 {
				break
			}
			line = line[at+len(prefix):]
			text := line
			for p := range markerPrefixes {
				if j := strings.Index(text, p); j >= 0 {
					text = text[:j]
				}
			}
			summary, detail, _ := strings.Cut(strings.TrimSpace(text), " | ")
			markers = append(markers, marker{line: i + 1, severity: markerPrefixes[prefix], summary: summary, detail: detail})
		}
	}
	return markers
}

func (m marker) matches(d *hcl.Diagnostic) bool {
	return d.Severity == m.severity && d.Subject != nil && d.Subject.Start.Line == m.line &&
		strings.Contains(d.Summary, m.summary) && strings.Contains(d.Detail, m.detail)
}

// TestInvalidFixtures loads every file in testdata/invalid on its own and
// checks its diagnostics against the file's ERROR and WARNING markers, both
// ways: every marker has a diagnostic and every diagnostic has a marker.
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
					t.Errorf("%s:%d: no diagnostic %q (detail containing %q)", path, m.line, m.summary, m.detail)
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

// describeConfig renders the decoded configuration as lines, for tests
// that pin it: variables, locals, chat2query, every session instance and
// question with its evaluated ask and expected SQL (or what they are known
// after), and outputs.
func describeConfig(t *testing.T, cfg *Config) []string {
	t.Helper()
	var lines []string
	for _, name := range sortedKeys(cfg.Variables) {
		v := cfg.Variables[name]
		val := v.Value.GoString()
		if v.Sensitive {
			val = "(sensitive)"
		}
		lines = append(lines, fmt.Sprintf("var.%s: %s = %s", name, typeexpr.TypeString(v.Type), val))
	}
	for _, name := range sortedKeys(cfg.Locals) {
		lines = append(lines, fmt.Sprintf("local.%s = %s", name, cfg.Locals[name].Value.GoString()))
	}
	c := cfg.Chat2Query
	lines = append(lines, fmt.Sprintf("chat2query url=%s mode=%s timeout=%s", c.URL, c.Mode, c.Timeout))
	text := func(sc *Scope, q *Question, expr hcl.Expression) string {
		if after := KnownAfter(q, expr); len(after) > 0 {
			return "(known after " + strings.Join(after, ", ") + ")"
		}
		v, diags := sc.Eval(q, expr, nil)
		if diags.HasErrors() {
			t.Errorf("%s: %s", q.Address, diagText(t, diags, cfg.Files))
			return "(error)"
		}
		return strings.TrimSpace(v.AsString())
	}
	for _, s := range cfg.Sessions {
		lines = append(lines, fmt.Sprintf("%s name=%q cluster_id=%s database=%s labels=%v", s.Address, s.Name, s.ClusterID, s.Database, s.Labels))
		sc := cfg.NewScope(s)
		for _, q := range s.Questions {
			lines = append(lines, fmt.Sprintf("  %s mode=%s timeout=%s labels=%v asserts=%d", q.Label, q.Mode, q.Timeout, q.Labels, len(q.Asserts)))
			lines = append(lines, "    ask: "+text(sc, q, q.Ask))
			if q.Expect != nil && q.Expect.SQL != nil {
				lines = append(lines, "    expect.sql: "+text(sc, q, q.Expect.SQL))
			}
		}
	}
	for _, o := range cfg.Outputs {
		lines = append(lines, fmt.Sprintf("output.%s sensitive=%v known after %v", o.Name, o.Sensitive, cfg.OutputKnownAfter(o)))
	}
	return lines
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
		"testdata/valid/language.c2q.hcl",
		"testdata/valid/market_cap.c2q.hcl",
		"testdata/valid/variables.c2q.hcl",
	}
	if diff := cmp.Diff(wantNames, names, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if cfg.Dir != "testdata/valid" {
		t.Errorf("Dir = %q", cfg.Dir)
	}

	want := []string{
		`var.api_token: string = (sensitive)`,
		`var.cluster_id: any = cty.StringVal("10140100115280519574")`,
		`var.database: string = cty.StringVal("sp500insight")`,
		`var.limit: number = cty.NumberIntVal(5)`,
		`var.sectors: list(string) = cty.ListVal([]cty.Value{cty.StringVal("Technology"), cty.StringVal("Energy")})`,
		`var.settings: object({mode=string,timeout=string}) = cty.ObjectVal(map[string]cty.Value{"mode":cty.StringVal("direct"), "timeout":cty.NullVal(cty.String)})`,
		`var.top_n: number = cty.NumberIntVal(5)`,
		`local.leaderboard = cty.StringVal("SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5")`,
		`local.sectors = cty.ListVal([]cty.Value{cty.StringVal("Energy"), cty.StringVal("Technology")})`,
		`local.tables = cty.ListVal([]cty.Value{cty.StringVal("companies")})`,
		`local.title = cty.StringVal("SP500 leaderboard")`,
		`chat2query url=https://eu-central-1.data.tidbcloud.com/api/v1beta/app/chat2query-abc/endpoint mode=direct timeout=1m30s`,
		`session.leaderboard name="leaderboard" cluster_id=10140100115280519574 database=sp500insight labels=[smoke leaderboard]`,
		`  top mode=auto_breakdown timeout=3m0s labels=[smoke leaderboard ranking] asserts=2`,
		`    ask: Which 5 companies have the largest market cap?`,
		`    expect.sql: SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5`,
		`  why_first mode=direct timeout=45s labels=[smoke leaderboard] asserts=1`,
		`    ask: (known after session.leaderboard.question.top)`,
		`  same_shape mode=auto_breakdown timeout=3m0s labels=[smoke leaderboard] asserts=1`,
		`    ask: (known after session.leaderboard.question.top)`,
		"    expect.sql: SELECT name, market_cap\nFROM companies\nWHERE sector = 'Energy'\nORDER BY market_cap DESC\nLIMIT 5",
		`session.market_cap name="market_cap" cluster_id=10140100115280519574 database=sp500insight labels=[]`,
		`  top5 mode=direct timeout=1m30s labels=[] asserts=0`,
		`    ask: Which 5 companies have the largest market cap?`,
		`    expect.sql: SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5`,
		`  sectors mode=auto_breakdown timeout=5m0s labels=[] asserts=0`,
		`    ask: Which sectors are they in?`,
		"    expect.sql: SELECT name, sector\nFROM companies\nORDER BY market_cap DESC\nLIMIT 5",
		`  no-expectation mode=direct timeout=1m30s labels=[] asserts=0`,
		`    ask: How many companies are in the Technology sector?`,
		`session.energy name="Energy sector" cluster_id=10140100115280519574 database=sp500insight labels=[]`,
		`  count mode=direct timeout=1m30s labels=[] asserts=0`,
		`    ask: How many energy companies are there?`,
		`output.leader sensitive=false known after [session.leaderboard.question.top]`,
		`output.tables sensitive=false known after []`,
		`output.token_hint sensitive=true known after []`,
	}
	if diff := cmp.Diff(want, describeConfig(t, cfg)); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}

	// Ranges point where a runner's diagnostics will need them.
	q := cfg.Sessions[1].Questions[1]
	for _, r := range []struct {
		what string
		rng  hcl.Range
		line int
	}{
		{"session", cfg.Sessions[1].DeclRange, 1},
		{"question", q.DeclRange, 13},
		{"ask", q.Ask.Range(), 14},
		{"expect", q.Expect.DeclRange, 18},
		{"sql", q.Expect.SQL.Range(), 19},
		{"variable", cfg.Variables["limit"].DeclRange, 12},
		{"chat2query", cfg.Chat2Query.DeclRange, 1},
		{"local", cfg.Locals["tables"].DeclRange, 25},
		{"output", cfg.Outputs[0].DeclRange, 88},
		{"assert", cfg.Sessions[0].Questions[0].Asserts[1].DeclRange, 49},
	} {
		if r.rng.Start.Line != r.line || r.rng.Filename == "" {
			t.Errorf("%s range = %s, want line %d", r.what, r.rng, r.line)
		}
	}
}

// cmpConfig compares decoded values, leaving ranges and parsed files to
// tests that look at them specifically.
var cmpConfig = []cmp.Option{
	cmpopts.IgnoreTypes(hcl.Range{}),
	cmpopts.IgnoreFields(Config{}, "Files"),
	cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) }),
	cmp.Comparer(func(a, b cty.Type) bool { return a.Equals(b) }),
}
