package spec

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no input makes Load, or the rendering of its
// diagnostics, panic. The seeds are the test fixtures.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"testdata/valid/*" + FileSuffix, "testdata/invalid/*" + FileSuffix, "testdata/diagnostics/*" + FileSuffix, "testdata/suite/*" + FileSuffix} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range paths {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	opts := LoadOptions{
		Vars:   []string{"database=db", "limit=3", "sectors=[\"a\"]"},
		Getenv: env(map[string]string{"C2Q_VAR_cluster_id": "1", EnvPrivateKey: "k"}),
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "fuzz"+FileSuffix), src, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, diags := Load(dir, opts)
		if cfg == nil {
			t.Fatal("nil Config")
		}
		if err := WriteDiagnostics(io.Discard, diags, cfg.Files, 78, true); err != nil {
			t.Fatal(err)
		}
		if !diags.HasErrors() {
			exerciseScopes(cfg)
		}
	})
}

// exerciseScopes runs the evaluation API over every question of cfg, before
// and after an answer, as a runner would: none of it may panic.
func exerciseScopes(cfg *Config) {
	answer := &Answer{SQL: "SELECT 1", Status: "done", Columns: []string{"a"}, Rows: [][]any{{"x", nil, 1.5}}}
	var scopes []*Scope
	for _, s := range cfg.Sessions {
		sc := cfg.NewScope(s)
		scopes = append(scopes, sc)
		for _, q := range s.Questions {
			sc.AskText(q)
			KnownAfter(q, q.Ask)
			if x := q.Expect; x != nil {
				for _, c := range x.Checks {
					if v, diags := sc.Eval(q, c.Expr, answer); !diags.HasErrors() && v.IsWhollyKnown() {
						RowsShape(v)
					}
				}
				if x.Tolerance != nil {
					v, _ := sc.Eval(q, x.Tolerance, answer)
					ToleranceValue(v)
				}
			}
			for _, a := range q.Asserts {
				sc.EvalAssert(q, a, answer)
				cfg.Sensitive(a.ErrorMessage)
			}
			sc.SetAnswer(q.Label, answer)
		}
	}
	for _, o := range cfg.Outputs {
		cfg.OutputKnownAfter(o)
	}
	cfg.EvalOutputs(scopes)
}
