package spec

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zclconf/go-cty/cty"
)

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
			q := cfg.Sessions[0].Questions[0]
			if got, _, _ := cfg.NewScope(cfg.Sessions[0]).AskText(q); got != "In <"+tt.want+">?" {
				want := "In <" + tt.want + ">?"
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

// Sources and precedence as Terraform's: default < C2Q_VAR_name <
// *.auto.c2qvars (lexical order) < -var-file and -var in command-line order.
func TestVariableSources(t *testing.T) {
	dir := writeConfig(t, map[string]string{
		"main.c2q.hcl": `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" {
  type    = list(number)
  default = []
}
`,
		"1.auto.c2qvars":  "a = \"auto1\"\nb = \"auto1\"\nc = \"auto1\"\n",
		"2.auto.c2qvars":  "b = \"auto2\"\ne = [1, 2]\n",
		"x.c2qvars":       "c = \"file\"\nd = \"file\"\n",
		".3.auto.c2qvars": "a = \"hidden\"\n",
	})
	environment := env(map[string]string{"C2Q_VAR_a": "env", "C2Q_VAR_d": "env", "C2Q_VAR_e": "[9]"})
	cfg, diags := Load(dir, LoadOptions{
		Getenv:  environment,
		VarArgs: []VarArg{{Value: "c=var-first"}, {File: true, Value: filepath.Join(dir, "x.c2qvars")}},
		Vars:    []string{"d=var-last"},
	})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	for name, want := range map[string]cty.Value{
		"a": cty.StringVal("auto1"),    // a file beats the environment
		"b": cty.StringVal("auto2"),    // later auto file wins
		"c": cty.StringVal("file"),     // -var-file after -var wins
		"d": cty.StringVal("var-last"), // Vars come after VarArgs
		"e": cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)}),
	} {
		if got := cfg.Variables[name].Value; !got.RawEquals(want) {
			t.Errorf("var.%s = %#v, want %#v", name, got, want)
		}
	}
	if len(cfg.Files) != 4 {
		t.Errorf("Files has %d entries, want the configuration and three variables files", len(cfg.Files))
	}

	// A single file is read alone: no auto files.
	cfg, diags = Load(filepath.Join(dir, "main.c2q.hcl"), LoadOptions{})
	if len(diags) > 0 || !cfg.Variables["a"].Value.RawEquals(cty.StringVal("default")) {
		t.Errorf("single file: a = %#v, %v", cfg.Variables["a"].Value, diags)
	}
}

func TestVariableFileErrors(t *testing.T) {
	dir := writeConfig(t, map[string]string{
		"main.c2q.hcl":   "variable \"n\" {\n  type    = number\n  default = 1\n}\n",
		"bad.c2qvars":    "n = \"many\"\nm = 2\nx = upper(\"a\")\n",
		"syntax.c2qvars": "n = \n",
	})
	cfg, diags := Load(dir, LoadOptions{VarArgs: []VarArg{
		{File: true, Value: filepath.Join(dir, "bad.c2qvars")},
		{File: true, Value: filepath.Join(dir, "missing.c2qvars")},
		{File: true, Value: filepath.Join(dir, "syntax.c2qvars")},
	}})
	var got []string
	for _, d := range diags {
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		got = append(got, fmt.Sprintf("%d %s:%d", d.Severity, d.Summary, line))
	}
	want := []string{
		"1 Failed to read variables file:0", // no subject first
		"1 Invalid value for input variable:1",
		"2 Value for undeclared variable:2",
		"2 Value for undeclared variable:3",
		"1 Function calls not allowed:3",
		"1 Invalid expression:1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diagText(t, diags, cfg.Files))
	}
}

func TestNullable(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `
variable "with_default" {
  type     = string
  default  = "d"
  nullable = false
}
variable "nullable" {
  type    = string
  default = "d"
}
variable "required" {
  type     = string
  nullable = false
}
`, "null.c2qvars": "with_default = null\nnullable = null\nrequired = null\n"})
	cfg, diags := Load(dir, LoadOptions{VarArgs: []VarArg{{File: true, Value: filepath.Join(dir, "null.c2qvars")}}})
	if len(diags) != 1 || diags[0].Summary != "Invalid value for input variable" || !strings.Contains(diags[0].Detail, "nullable = false") {
		t.Fatalf("want one error about var.required, got:\n%s", diagText(t, diags, cfg.Files))
	}
	if v := cfg.Variables["with_default"].Value; !v.RawEquals(cty.StringVal("d")) {
		t.Errorf("non-nullable null = %#v, want the default", v)
	}
	if v := cfg.Variables["nullable"].Value; !v.RawEquals(cty.NullVal(cty.String)) {
		t.Errorf("nullable null = %#v, want null", v)
	}
	if !cfg.Variables["nullable"].Nullable || cfg.Variables["required"].Nullable {
		t.Error("Nullable not decoded")
	}
}

// Validation conditions may refer to other variables, run whatever the
// source of the value, and never repeat a sensitive value.
func TestVariableValidation(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `
variable "max" {
  default = 10
}
variable "n" {
  type = number
  validation {
    condition     = var.n <= var.max
    error_message = "n must be at most ${var.max}."
  }
}
variable "key" {
  sensitive = true
  default   = "ok"
  validation {
    condition     = can(regex("^[a-z]+$", var.key))
    error_message = "The key must be lower case letters, not ${var.key}."
  }
}
`})
	cfg, diags := Load(dir, LoadOptions{Vars: []string{"n=5"}})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	if v := cfg.Variables["n"]; len(v.Validations) != 1 || v.Validations[0].DeclRange.Start.Line != 7 {
		t.Errorf("validations: %#v", v.Validations)
	}
	cfg, diags = Load(dir, LoadOptions{Vars: []string{"n=50", "key=S3CR3T-KEY"}})
	text := diagText(t, diags, cfg.Files)
	if len(diags) != 2 || !strings.Contains(text, "n must be at most 10.") || !strings.Contains(text, "with var.max as 10") {
		t.Errorf("want two validation errors, got:\n%s", text)
	}
	if strings.Contains(text, "S3CR3T") || !strings.Contains(text, "The error message included a sensitive value") {
		t.Errorf("the sensitive value shows:\n%s", text)
	}
}

// Values of sensitive variables never appear in diagnostics, whatever
// reports them: a function error, a type error, a -var value.
func TestSensitiveNotInDiagnostics(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.c2q.hcl": `
variable "secret" {
  sensitive = true
}

locals {
  n = parseint(var.secret, 10)
}

session "s" {
  cluster_id = var.secret
  database   = tonumber(var.secret)
  name       = [var.secret]

  question "q" {
    ask = "What is ${var.secret}?"
    expect {
      sql = "SELECT '${var.secret}' FORM t"
    }
  }
}
`})
	cfg, diags := Load(dir, LoadOptions{Vars: []string{"secret=zebra-secret"}})
	text := diagText(t, diags, cfg.Files)
	if len(diags) < 3 {
		t.Errorf("want errors for the local, database, name and expect.sql, got:\n%s", text)
	}
	if strings.Contains(text, "zebra") {
		t.Errorf("diagnostics show the sensitive value:\n%s", text)
	}
	var b strings.Builder
	if err := WriteDiagnostics(&b, diags, cfg.Files, 0, true); err != nil || strings.Contains(b.String(), "zebra") {
		t.Errorf("colour rendering shows the sensitive value: %v", err)
	}
}
