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
	for _, pattern := range []string{"testdata/valid/*" + FileSuffix, "testdata/invalid/*" + FileSuffix, "testdata/diagnostics/*" + FileSuffix} {
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
	})
}
