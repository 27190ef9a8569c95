package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/spec"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// client answers every question from answers, keyed by question text.
type client struct{ answers map[string]*chat2query.Job }

func (c client) CreateSession(context.Context, chat2query.CreateSessionRequest) (*chat2query.Session, error) {
	return &chat2query.Session{SessionID: 305685}, nil
}
func (c client) SessionChat2Data(_ context.Context, _ chat2query.Int64, r chat2query.SessionChat2DataRequest) (*chat2query.JobRef, error) {
	return &chat2query.JobRef{JobID: strings.ReplaceAll(r.Question, " ", "-")}, nil
}
func (c client) WaitJob(_ context.Context, id string, _ chat2query.WaitOptions) (*chat2query.Job, error) {
	j := *c.answers[strings.ReplaceAll(id, "-", " ")]
	j.JobID = id
	return &j, nil
}
func (c client) Requests() int64 { return 9 }

// fixedClock advances 250ms at every reading, so durations are stable.
func fixedClock() func() time.Time {
	t := time.Unix(1718785006, 0)
	return func() time.Time { t = t.Add(250 * time.Millisecond); return t }
}

func TestHumanGolden(t *testing.T) {
	cfg, diags := spec.Load("testdata/human", spec.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := runner.NewPlan(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rows := `"data":{"columns":[{"col":"name"}],"rows":[["Apple"],["NVIDIA"],["Microsoft"],["Alphabet"],["Amazon"]]}`
	answers := map[string]*chat2query.Job{
		"top five":           {Status: "done", Result: []byte(`{"type":"data_retrieval","sql":"select name from companies order by market_cap desc limit 5",` + rows + `}`)},
		"how many":           {Status: "done", Result: []byte(`{"type":"data_retrieval","sql":"SELECT COUNT(*) FROM companies WHERE sector = 'Utilities'","sql_error":null}`)},
		"why is Apple first": {Status: "failed", Reason: "the emulator's answer book has no entry matching \"why is Apple first\""},
		"largest by sector": {Status: "done", Result: []byte(`{"type":"data_retrieval",` +
			`"sql":"SELECT sector, MAX(market_cap) AS top_cap FROM companies WHERE market_cap > 0 GROUP BY sector ORDER BY top_cap DESC LIMIT 3",` +
			`"data":{"columns":[{"col":"sector"},{"col":"top_cap"}],"rows":[["Technology","3000.50"],["Energy","450.20"],["Financials",410]]}}`)},
		"sectors": {Status: "done", Result: []byte(`{"type":"data_retrieval",` +
			`"sql":"SELECT DISTINCT sector FROM companies ORDER BY sector",` +
			`"data":{"columns":[{"col":"sector"}],"rows":[["Energy"],["Financials"],["Technology"]]},` +
			`"chart_options":{"chart_name":"Table","title":"Sectors","option":{}}}`)},
	}
	var out bytes.Buffer
	h := NewHuman(&out, false)
	h.Plan(p)
	out.WriteString("\n")
	res := runner.Apply(context.Background(), p, runner.Options{Client: client{answers}, Observer: h, Now: fixedClock()})
	h.Summary(res)
	golden(t, "human.golden", out.String())

	// Verbose: each check that passed, with why.
	var verbose bytes.Buffer
	hv := NewHuman(&verbose, false)
	hv.Verbose = true
	hv.Summary(runner.Apply(context.Background(), p, runner.Options{Client: client{answers}, Observer: hv, Now: fixedClock()}))
	golden(t, "human_verbose.golden", verbose.String())

	// A sensitive value shows nowhere, plan or run.
	for name, text := range map[string]string{"human.golden": out.String(), "human_verbose.golden": verbose.String()} {
		if strings.Contains(text, "audit_log") {
			t.Errorf("%s shows the sensitive value audit_log_2024", name)
		}
	}

	// In colour, the same text gains escape codes but loses nothing.
	var colored bytes.Buffer
	hc := NewHuman(&colored, true)
	hc.QuestionDone(res.Sessions[0], res.Sessions[0].Questions[1])
	if !strings.Contains(colored.String(), "\x1b[") {
		t.Error("colour output has no escape codes")
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// TestHumanEscapesServiceText checks that what the service sends is
// printed with its control characters escaped, so that an answer cannot
// clear the screen, plant a hyperlink, ring the bell, overwrite a line or
// cut the output with a NUL; and that a secret it repeats is not shown.
func TestHumanEscapesServiceText(t *testing.T) {
	cfg, diags := spec.Load("testdata/escape", spec.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := runner.NewPlan(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	const (
		clear = `\u001b[2J`
		link  = `\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007`
		bell  = `\u0007`
		cr    = `\r`
		nul   = `\u0000`
	)
	answers := map[string]*chat2query.Job{
		"hostile sql": {Status: "done", Result: []byte(`{"type":"data_retrieval","sql":"SELECT name FROM companies` + clear + ` WHERE note = '` + link + `'` + cr + `-- ok` + nul + `"}`)},
		"hostile rows": {Status: "done", Result: []byte(`{"type":"data_retrieval","sql":"SELECT name FROM companies",` +
			`"data":{"columns":[{"col":"na` + link + `me"}],"rows":[["Apple` + clear + `"],["two\nlines` + cr + `"],["` + nul + bell + `"]]}}`)},
		"hostile words": {Status: "done", Result: []byte(`{"type":"data_retrieval","sql":"SELECT 1",` +
			`"clarified_task":"fine` + clear + `","description":"` + link + bell + `"}`)},
		"hostile job":                          {Status: "failed", Reason: "the model " + "\x1b[2J\x1b]8;;https://evil.example\aclick\x1b]8;;\a" + " gave up\r\x00"},
		"which of Initech and Apple is larger": {Status: "failed", Reason: "no entry matching \"which of Initech and Apple is larger\"\x1b[31m"},
	}
	var out bytes.Buffer
	h := NewHuman(&out, false)
	h.Verbose = true
	h.Plan(p)
	out.WriteString("\n")
	h.Summary(runner.Apply(context.Background(), p, runner.Options{Client: client{answers}, Observer: h, Now: fixedClock()}))
	got := out.String()
	for _, r := range got {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			t.Errorf("the output has the control character %q", r)
		}
	}
	if strings.Contains(got, "Initech") {
		t.Error("the output shows the sensitive value the service repeated")
	}
	for _, want := range []string{`\x1b[2J`, `\x1b]8;;https://evil.example\x07click\x1b]8;;\x07`, `\r`, `\x00`, `(sensitive value)`} {
		if !strings.Contains(got, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	golden(t, "escape.golden", got)
}
