package spec

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestChat2QueryEnvironmentDefaults(t *testing.T) {
	environment := env(map[string]string{
		EnvURL:        "https://env.example/endpoint",
		EnvPublicKey:  "env-public",
		EnvPrivateKey: "env-private",
	})
	session := `
session "s" {
  cluster_id = "1"
  database   = "db"
  question "q" {
    ask = "What?"
  }
}
`
	tests := []struct {
		name   string
		src    string
		getenv func(string) (string, bool)
		want   Chat2Query
	}{
		{"no block, environment", session, environment,
			Chat2Query{URL: "https://env.example/endpoint", PublicKey: "env-public", PrivateKey: "env-private", Timeout: DefaultTimeout, Mode: ModeDirect}},
		{"no block, nil Getenv", session, nil,
			Chat2Query{Timeout: DefaultTimeout, Mode: ModeDirect}},
		{"block overrides environment", session + `
chat2query {
  url     = "https://file.example/endpoint"
  timeout = "30s"
}
`, environment,
			Chat2Query{URL: "https://file.example/endpoint", PublicKey: "env-public", PrivateKey: "env-private", Timeout: 30 * time.Second, Mode: ModeDirect}},
		{"null means unset", session + `
chat2query {
  public_key = null
}
`, environment,
			Chat2Query{URL: "https://env.example/endpoint", PublicKey: "env-public", PrivateKey: "env-private", Timeout: DefaultTimeout, Mode: ModeDirect}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeConfig(t, map[string]string{"main.c2q.hcl": tt.src})
			cfg, diags := Load(dir, LoadOptions{Getenv: tt.getenv})
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
			}
			if diff := cmp.Diff(tt.want, cfg.Chat2Query, cmpConfig...); diff != "" {
				t.Errorf("chat2query (-want +got):\n%s", diff)
			}
			// Questions without a timeout inherit the chat2query one.
			if got := cfg.Sessions[0].Questions[0].Timeout; got != tt.want.Timeout {
				t.Errorf("question timeout = %s, want %s", got, tt.want.Timeout)
			}
			if hasBlock := strings.Contains(tt.src, "chat2query {"); hasBlock != (cfg.Chat2Query.DeclRange != hcl.Range{}) {
				t.Errorf("DeclRange = %s with block=%v", cfg.Chat2Query.DeclRange, hasBlock)
			}
		})
	}
}

func TestChat2QueryRedactsPrivateKey(t *testing.T) {
	const secret = "hunter2-private-key"
	c := Chat2Query{URL: "https://x.example", PublicKey: "public", PrivateKey: secret, Timeout: time.Minute}
	cfg := &Config{Chat2Query: c}

	renderings := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		renderings[verb+" value"] = fmt.Sprintf(verb, c)
		renderings[verb+" pointer"] = fmt.Sprintf(verb, &c)
		renderings[verb+" in Config"] = fmt.Sprintf(verb, *cfg)
		renderings[verb+" in *Config"] = fmt.Sprintf(verb, cfg)
	}
	for what, v := range map[string]any{"json value": c, "json Config": cfg} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		renderings[what] = string(b)
	}
	for what, s := range renderings {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks the private key: %s", what, s)
		}
		if !strings.Contains(s, "public") {
			t.Errorf("%s does not render the rest of the settings: %s", what, s)
		}
	}
	if s := c.String(); !strings.Contains(s, "private_key: \"(sensitive)\"") {
		t.Errorf("String() = %s, want the key shown as (sensitive)", s)
	}
	if s := (Chat2Query{}).String(); strings.Contains(s, "sensitive") {
		t.Errorf("String() of an unset key = %s, want it shown as empty", s)
	}
}

func TestLoadPaths(t *testing.T) {
	empty := t.TempDir()
	other := writeConfig(t, map[string]string{"main.tf": `session "x" {}`, ".hidden.c2q.hcl": "{{{"})

	for _, tt := range []struct {
		name, path, summary string
	}{
		{"missing", "testdata/does-not-exist", "Failed to read configuration"},
		{"empty directory", empty, "No configuration files"},
		{"no matching files", other, "No configuration files"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := Load(tt.path, LoadOptions{})
			if cfg == nil || cfg.Files == nil || cfg.Variables == nil {
				t.Fatalf("Load returned %#v, want an empty Config", cfg)
			}
			if len(diags) != 1 || diags[0].Summary != tt.summary || !strings.Contains(diags[0].Detail, tt.path) {
				t.Errorf("want one %q naming %s, got:\n%s", tt.summary, tt.path, diagText(t, diags, nil))
			}
		})
	}

	t.Run("single file", func(t *testing.T) {
		// A file given by name is the whole configuration, whatever its name.
		dir := writeConfig(t, map[string]string{
			"one.hcl":         "chat2query {\n  timeout = \"1m\"\n}\n",
			"broken.c2q.hcl":  "{{{",
			"another.c2q.hcl": `variable "x" {}`,
		})
		cfg, diags := Load(dir+"/one.hcl", LoadOptions{})
		if len(diags) > 0 {
			t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
		}
		if len(cfg.Files) != 1 || cfg.Chat2Query.Timeout != time.Minute || len(cfg.Sessions) != 0 {
			t.Errorf("got %d files, timeout %s, %d sessions", len(cfg.Files), cfg.Chat2Query.Timeout, len(cfg.Sessions))
		}
	})
}

func TestLoadDirectoryOfFiles(t *testing.T) {
	session := func(label string) string {
		return fmt.Sprintf(`
session %q {
  cluster_id = var.cluster
  database   = "db"
  question "q" {
    ask = "What?"
  }
}
`, label)
	}

	t.Run("one configuration", func(t *testing.T) {
		// Variables declared in one file are visible in all; sessions are
		// in file name order.
		dir := writeConfig(t, map[string]string{
			"b.c2q.hcl": session("second") + session("third"),
			"a.c2q.hcl": session("first"),
			"z.c2q.hcl": `variable "cluster" { default = "7" }`,
		})
		cfg, diags := Load(dir, LoadOptions{})
		if len(diags) > 0 {
			t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
		}
		var labels []string
		for _, s := range cfg.Sessions {
			labels = append(labels, s.Label+"@"+s.ClusterID)
		}
		if diff := cmp.Diff([]string{"first@7", "second@7", "third@7"}, labels); diff != "" {
			t.Errorf("sessions (-want +got):\n%s", diff)
		}
	})

	t.Run("duplicates across files", func(t *testing.T) {
		dir := writeConfig(t, map[string]string{
			"a.c2q.hcl": `variable "cluster" { default = "1" }` + "\n" + session("s") + "\nchat2query {}\n",
			"b.c2q.hcl": `variable "cluster" { default = "2" }` + "\n" + session("s") + "\nchat2query {}\n",
		})
		cfg, diags := Load(dir, LoadOptions{})
		first := dir + "/a.c2q.hcl"
		want := []string{
			"Duplicate variable declaration: " + first + ":1",
			"Duplicate session: " + first + ":3",
			"Duplicate chat2query block: " + first + ":11",
		}
		var got []string
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Filename != dir+"/b.c2q.hcl" {
				t.Errorf("diagnostic not in the second file: %s", describe(d))
			}
			at := d.Detail[strings.Index(d.Detail, first):]
			got = append(got, d.Summary+": "+strings.TrimRight(strings.Fields(at)[0], "."))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diagText(t, diags, cfg.Files))
		}
		if v := cfg.Variables["cluster"].Value.AsString(); v != "1" || len(cfg.Sessions) != 1 {
			t.Errorf("the first declarations should win: cluster = %q, %d sessions", v, len(cfg.Sessions))
		}
	})

	t.Run("syntax errors in every file", func(t *testing.T) {
		dir := writeConfig(t, map[string]string{
			"a.c2q.hcl": "session \"a\" {\n  cluster_id = \n}\n",
			"b.c2q.hcl": "variable \"v\" {\n  default = [\n}\n",
			"c.c2q.hcl": session("fine"), // would report var.cluster as undeclared
		})
		cfg, diags := Load(dir, LoadOptions{})
		var files []string
		for _, d := range diags {
			files = append(files, d.Subject.Filename)
		}
		if diff := cmp.Diff([]string{dir + "/a.c2q.hcl", dir + "/b.c2q.hcl"}, files); diff != "" {
			t.Errorf("diagnostics by file (-want +got):\n%s\n%s", diff, diagText(t, diags, cfg.Files))
		}
		if len(cfg.Files) != 3 {
			t.Errorf("got %d files, want all 3 for rendering", len(cfg.Files))
		}
	})
}
