package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// writeConfig writes files (name to content) to a new directory.
func writeConfig(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// env is a LoadOptions.Getenv over a map.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestVariablePrecedence(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `
variable "db" {
  default = "from-default"
}

session "s" {
  cluster_id = "1"
  database   = "db"
  question "q" {
    ask = "In <${var.db}>?"
  }
}
`})
	tests := []struct {
		name string
		vars []string
		env  map[string]string
		want string
	}{
		{"default", nil, nil, "from-default"},
		{"env over default", nil, map[string]string{"C2Q_VAR_db": "from-env"}, "from-env"},
		{"empty env is a value", nil, map[string]string{"C2Q_VAR_db": ""}, ""},
		{"-var over env", []string{"db=from-var"}, map[string]string{"C2Q_VAR_db": "from-env"}, "from-var"},
		{"last -var wins", []string{"db=first", "db=second"}, nil, "second"},
		{"value keeps equals signs", []string{"db=a=b"}, nil, "a=b"},
		{"other env ignored", nil, map[string]string{"C2Q_VAR_DB": "wrong-case", "db": "no-prefix"}, "from-default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := Load(dir, LoadOptions{Vars: tt.vars, Getenv: env(tt.env)})
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
			}
			if got := cfg.Variables["db"].Value; !got.RawEquals(cty.StringVal(tt.want)) {
				t.Errorf("value = %#v, want %q", got, tt.want)
			}
			if got, want := cfg.Sessions[0].Questions[0].Ask, "In <"+tt.want+">?"; got != want {
				t.Errorf("ask = %q, want %q", got, want)
			}
		})
	}
}

func TestVariableTypeConversion(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `
variable "untyped" {}
variable "str" { type = string }
variable "num" { type = number }
variable "flag" { type = bool }
variable "list" { type = list(string) }
variable "anything" { type = any }
variable "obj" {
  type = object({
    name  = string
    limit = optional(number, 10)
  })
}
`})
	tests := []struct {
		name, raw string
		fromEnv   bool
		want      cty.Value
	}{
		// Untyped and primitive variables take the text literally, as in
		// Terraform, then convert it.
		{"untyped", `[1, 2]`, false, cty.StringVal("[1, 2]")},
		{"str", `"quoted"`, false, cty.StringVal(`"quoted"`)},
		{"num", "5", false, cty.NumberIntVal(5)},
		{"num", "2.5", true, cty.NumberFloatVal(2.5)},
		{"flag", "true", true, cty.True},
		// Other types take an HCL expression.
		{"list", `["a", "b"]`, false, cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{"list", `[1]`, true, cty.ListVal([]cty.Value{cty.StringVal("1")})},
		{"anything", `{a = 1}`, false, cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1)})},
		{"obj", `{name = "x"}`, false, cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("x"), "limit": cty.NumberIntVal(10)})},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.raw, func(t *testing.T) {
			// Every variable needs a value; give the others a valid one.
			all := map[string]string{
				"untyped": "u", "str": "s", "num": "1", "flag": "false",
				"list": "[]", "anything": "null", "obj": `{name = "n"}`,
			}
			environment := map[string]string{}
			var vars []string
			all[tt.name] = tt.raw
			for name, raw := range all {
				if name == tt.name && tt.fromEnv {
					environment[VarEnvPrefix+name] = raw
					continue
				}
				vars = append(vars, name+"="+raw)
			}
			cfg, diags := Load(dir, LoadOptions{Vars: vars, Getenv: env(environment)})
			if diags.HasErrors() {
				t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
			}
			if got := cfg.Variables[tt.name].Value; !got.RawEquals(tt.want) {
				t.Errorf("value = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestVariableValueErrors(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `variable "num" {
  type    = number
  default = 1
}

variable "list" {
  type    = list(string)
  default = []
}

variable "database" {
  default = "db"
}
`})
	tests := []struct {
		name    string
		vars    []string
		env     map[string]string
		summary string
		details []string
		line    int // of the subject, 0 for none
	}{
		{"not a number", []string{"num=s3cr3t"}, nil,
			"Invalid value for input variable", []string{"var.num given with -var", "a number is required"}, 1},
		{"not a number from env", nil, map[string]string{"C2Q_VAR_num": "s3cr3t"},
			"Invalid value for input variable", []string{"in the environment variable C2Q_VAR_num"}, 1},
		{"bad expression", []string{"list=[s3cr3t"}, nil,
			"Invalid value for input variable", []string{"values of type list(string) are written as HCL expressions"}, 6},
		{"wrong structure", []string{`list={a = "s3cr3t"}`}, nil,
			"Invalid value for input variable", []string{"list of string required"}, 6},
		{"undeclared, close", []string{"databse=s3cr3t"}, nil,
			"Value for undeclared variable", []string{`variable named "databse"`, `Did you mean "database"?`}, 0},
		{"undeclared, far", []string{"region=s3cr3t"}, nil,
			"Value for undeclared variable", []string{`declare it with a variable "region" {} block`}, 0},
		{"no equals sign", []string{"num"}, nil,
			"Invalid -var option", []string{`The -var option "num" is not`}, 0},
		{"no name", []string{"=s3cr3t"}, nil,
			"Invalid -var option", []string{"no variable name"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := Load(dir, LoadOptions{Vars: tt.vars, Getenv: env(tt.env)})
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1:\n%s", len(diags), diagText(t, diags, cfg.Files))
			}
			d := diags[0]
			if d.Summary != tt.summary {
				t.Errorf("summary = %q, want %q", d.Summary, tt.summary)
			}
			for _, want := range tt.details {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("detail %q lacks %q", d.Detail, want)
				}
			}
			// Values may be secrets: they are never repeated back.
			if text := diagText(t, diags, cfg.Files); strings.Contains(text, "s3cr3t") {
				t.Errorf("diagnostic repeats the value:\n%s", text)
			}
			switch {
			case tt.line == 0 && d.Subject != nil:
				t.Errorf("subject = %s, want none", d.Subject)
			case tt.line != 0 && (d.Subject == nil || d.Subject.Start.Line != tt.line):
				t.Errorf("subject = %v, want line %d", d.Subject, tt.line)
			}
		})
	}
}

func TestRequiredVariableFromEnvironment(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `variable "cluster" {}` + `
session "s" {
  cluster_id = var.cluster
  database   = "db"
  question "q" {
    ask = "What?"
  }
}
`})
	cfg, diags := Load(dir, LoadOptions{})
	if len(diags) != 1 || diags[0].Summary != "No value for required variable" ||
		!strings.Contains(diags[0].Detail, "-var cluster=...") || !strings.Contains(diags[0].Detail, "C2Q_VAR_cluster") {
		t.Fatalf("want one No value for required variable naming -var and C2Q_VAR_cluster, got:\n%s", diagText(t, diags, cfg.Files))
	}
	if v := cfg.Variables["cluster"].Value; v.IsKnown() {
		t.Errorf("value of an unset variable = %#v, want unknown", v)
	}

	cfg, diags = Load(dir, LoadOptions{Getenv: env(map[string]string{"C2Q_VAR_cluster": "42"})})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	if got := cfg.Sessions[0].ClusterID; got != "42" {
		t.Errorf("cluster_id = %q, want 42", got)
	}
}

// Diagnostics must not be able to show a secret through the values of the
// variables its expression refers to.
func TestPrivateKeyNotInDiagnostics(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `
variable "key" {}

chat2query {
  public_key  = var.key * 2
  private_key = var.key * 2
}
`})
	cfg, diags := Load(dir, LoadOptions{Vars: []string{"key=s3cr3t"}})
	if len(diags) != 2 {
		t.Fatalf("want 2 diagnostics, got:\n%s", diagText(t, diags, cfg.Files))
	}
	public := diagText(t, diags[:1], cfg.Files)
	if !strings.Contains(public, "s3cr3t") {
		t.Errorf("public_key diagnostic should show the value, as a check on this test:\n%s", public)
	}
	if private := diagText(t, diags[1:], cfg.Files); strings.Contains(private, "s3cr3t") {
		t.Errorf("private_key diagnostic shows the value:\n%s", private)
	}
}
