package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The suite of testdata/suite: 200 cases from a CSV file, one session per
// case and a two-turn session per case with a follow-up, all checked at
// load with no request.
func TestSuite(t *testing.T) {
	cfg, diags := Load("testdata/suite", LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	if _, ok := cfg.Files["testdata/suite/suite.auto.c2qvars"]; !ok {
		t.Error("the auto-loaded variables file is not among Files")
	}
	var bird, followup int
	for _, s := range cfg.Sessions {
		switch s.Label {
		case "bird":
			bird++
		case "followup":
			followup++
		}
	}
	if bird != 200 || followup != 67 {
		t.Errorf("got %d bird and %d followup instances, want 200 and 67", bird, followup)
	}

	s := cfg.Sessions[16]
	if s.Address != `session.bird["q017"]` || s.Name != "suite q017" || s.ClusterID != "10140100115280519574" {
		t.Errorf("instance 17: %s name %q cluster %q", s.Address, s.Name, s.ClusterID)
	}
	q := s.Questions[0]
	sc := cfg.NewScope(s)
	ask, known, _ := sc.AskText(q)
	sql, _ := sc.Eval(q, q.Expect.SQL, nil)
	if !known || ask != "How many users in Japan have WMT on their watchlist?" ||
		!strings.HasPrefix(sql.AsString(), "SELECT COUNT(*) FROM user_stock_selections") {
		t.Errorf("q017 asks %q (known %v) expecting %q", ask, known, sql.AsString())
	}
	if q.Mode != ModeDirect || q.Timeout != 90*time.Second || strings.Join(q.Labels, ",") != "suite,direct" {
		t.Errorf("q017 mode %s timeout %s labels %v", q.Mode, q.Timeout, q.Labels)
	}
	if q := cfg.Sessions[9].Questions[0]; q.Mode != ModeAutoBreakdown {
		t.Errorf("q010 inherits mode %s from its session, want auto_breakdown", q.Mode)
	}

	f := cfg.Sessions[200] // the first followup instance
	if f.Address != `session.followup["q002"]` || len(f.Questions) != 2 {
		t.Fatalf("first followup: %s with %d questions", f.Address, len(f.Questions))
	}
	second := f.Questions[1]
	if after := KnownAfter(second, second.Ask); len(after) != 1 || after[0] != `session.followup["q002"].question.first` {
		t.Errorf("second ask known after %v", after)
	}

	// -var narrows the suite.
	cfg, diags = Load("testdata/suite", LoadOptions{VarArgs: []VarArg{{Value: `only=["q017", "q002"]`}}})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	var addrs []string
	for _, s := range cfg.Sessions {
		addrs = append(addrs, s.Address)
	}
	if got := strings.Join(addrs, " "); got != `session.bird["q002"] session.bird["q017"] session.followup["q002"]` {
		t.Errorf("narrowed suite: %s", got)
	}
}

// A mistake in one row of the CSV is reported once, naming the instance.
func TestSuiteBadRow(t *testing.T) {
	src, err := os.ReadFile("testdata/suite/suite.c2q.hcl")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := os.ReadFile("testdata/suite/cases.csv")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(cases), "SELECT close FROM stock_prices WHERE stock_symbol = 'UNH'", "SELECT close FORM stock_prices WHERE stock_symbol = 'UNH'", 1)
	dir := writeConfig(t, map[string]string{"suite.c2q.hcl": string(src), "cases.csv": broken})
	cfg, diags := Load(dir, LoadOptions{Vars: []string{"cluster_id=1"}})
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got:\n%s", diagText(t, diags, cfg.Files))
	}
	d := diags[0]
	if d.Summary != "Invalid expected SQL" || !strings.Contains(d.Detail, `In session.bird["q003"]: `) ||
		!strings.Contains(d.Detail, `line 1 column 19: syntax error near "stock_prices`) || d.Subject.Start.Line != 36 {
		t.Errorf("got %s", describe(d))
	}
}

// BenchmarkLoadSuite loads the 200-case suite: parse, decode, csvdecode,
// 267 session instances and 334 expected SQL statements parsed by TiDB's
// parser.
func BenchmarkLoadSuite(b *testing.B) {
	dir := b.TempDir()
	for _, name := range []string{"suite.c2q.hcl", "cases.csv", "suite.auto.c2qvars"} {
		data, err := os.ReadFile(filepath.Join("testdata/suite", name))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		cfg, diags := Load(dir, LoadOptions{})
		if len(diags) > 0 || len(cfg.Sessions) != 267 {
			b.Fatalf("%d sessions, %v", len(cfg.Sessions), diags)
		}
	}
}
