package spec

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

const scopeConfig = `
variable "secret" {
  default   = "s3cr3t-value"
  sensitive = true
}

locals {
  limit = 5
}

session "market_cap" {
  cluster_id = "1"
  database   = "db"

  question "top5" {
    ask = "Which ${local.limit} companies are largest?"

    expect {
      sql = "SELECT name FROM companies LIMIT ${local.limit}"
    }

    assert {
      condition     = self.row_count == local.limit
      error_message = "want ${local.limit} rows, got ${self.row_count}"
    }
  }

  question "why" {
    ask = "Why is ${question.top5.rows[0][0]} first?"

    expect {
      sql = self.sql
    }

    assert {
      condition     = self.row_count > 0 && question.top5.columns[0] == "name"
      error_message = "no reason for ${question.top5.rows[0][0]} (${var.secret})"
    }

    assert {
      condition     = self.duration < 2.5 && self.job_id != question.top5.job_id && self.status == "done"
      error_message = "slow: ${self.duration}s"
    }
  }
}

session "bird" {
  for_each   = { q1 = { question = "One?", sql = "SELECT 1" }, q2 = { question = "Two?", sql = "SELECT 2" } }
  cluster_id = "1"
  database   = "db"

  question "check" {
    ask = "${each.key}: ${each.value.question}"

    expect {
      sql = each.value.sql
    }
  }

  question "again" {
    ask = "Again, ${question.check.clarified_task}"
  }
}

output "leader" {
  value = session.market_cap.question.top5.rows[0][0]
}

output "checks" {
  value = { for k, s in session.bird : k => s.question.check.sql }
}

output "q2_status" {
  value = session.bird["q2"].question.check.status
}

output "secret" {
  value     = "${var.secret}!"
  sensitive = true
}

output "plain" {
  value = upper(session.bird["q1"].key)
}
`

func loadScopeConfig(t *testing.T) *Config {
	t.Helper()
	cfg, diags := Load(writeConfig(t, map[string]string{"main.c2q.hcl": scopeConfig}), LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diagText(t, diags, cfg.Files))
	}
	return cfg
}

var top5Answer = &Answer{
	SQL:           "SELECT name FROM companies LIMIT 5",
	ClarifiedTask: "List the five largest companies.",
	JobID:         "job-1",
	Status:        "done",
	Columns:       []string{"name", "market_cap"},
	Rows: [][]any{
		{"Apple", json.Number("3785000000000")},
		{"Microsoft", 3.1e12},
		{"NVIDIA", nil},
		{"Amazon", true},
		{"Alphabet", json.Number("2.2e12")},
	},
	Duration: 1500 * time.Millisecond,
}

func TestScopeEval(t *testing.T) {
	cfg := loadScopeConfig(t)
	s := cfg.Sessions[0]
	top5, why := s.Questions[0], s.Questions[1]
	sc := cfg.NewScope(s)

	// Before the answer: unknown, and plan can say after what.
	val, diags := sc.Eval(why, why.Ask, nil)
	if diags.HasErrors() || val.IsKnown() {
		t.Fatalf("ask before the answer = %#v, %v; want unknown", val, diags)
	}
	if text, known, diags := sc.AskText(why); known || text != "" || diags.HasErrors() {
		t.Errorf("AskText before the answer = %q, %v, %v", text, known, diags)
	}
	if text, known, _ := sc.AskText(top5); !known || text != "Which 5 companies are largest?" {
		t.Errorf("AskText(top5) = %q, %v", text, known)
	}

	sc.SetAnswer("top5", top5Answer)
	text, known, diags := sc.AskText(why)
	if !known || diags.HasErrors() || text != "Why is Apple first?" {
		t.Errorf("AskText after the answer = %q, %v, %v", text, known, diags)
	}

	// Cells keep their JSON types: numbers, strings, null, bools.
	for _, tt := range []struct {
		expr string
		want cty.Value
	}{
		{`question.top5.rows[0][1] + 1`, cty.MustParseNumberVal("3785000000001")},
		{`question.top5.rows[1][1]`, cty.NumberFloatVal(3.1e12)},
		{`question.top5.rows[2][1] == null`, cty.True},
		{`question.top5.rows[3][1]`, cty.True},
		{`question.top5.row_count`, cty.NumberIntVal(5)},
		{`question.top5.columns`, cty.ListVal([]cty.Value{cty.StringVal("name"), cty.StringVal("market_cap")})},
		{`question.top5.duration`, cty.NumberFloatVal(1.5)},
		{`question.top5.clarified_task`, cty.StringVal("List the five largest companies.")},
		{`[for r in question.top5.rows : r[0]][4]`, cty.StringVal("Alphabet")},
		{`self.row_count`, cty.UnknownVal(cty.Number)},
		{`var.secret`, cty.StringVal("s3cr3t-value")}, // unmarked for the runner
	} {
		expr := parseExpr(t, tt.expr)
		got, diags := sc.Eval(why, expr, nil)
		if diags.HasErrors() {
			t.Errorf("%s: %s", tt.expr, diagText(t, diags, cfg.Files))
			continue
		}
		if !got.RawEquals(tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.expr, got, tt.want)
		}
	}

	// self is the answer given.
	whyAnswer := &Answer{SQL: "SELECT 1", JobID: "job-2", Status: "done", Columns: []string{"reason"}, Rows: [][]any{{"size"}}, Duration: time.Second}
	got, diags := sc.Eval(why, why.Expect.SQL, whyAnswer)
	if diags.HasErrors() || got.AsString() != "SELECT 1" {
		t.Errorf("expect.sql with self = %#v, %v", got, diags)
	}

	// Forgetting an answer makes it unknown again.
	sc.SetAnswer("top5", nil)
	if v, _ := sc.Eval(why, why.Ask, nil); v.IsKnown() {
		t.Errorf("after SetAnswer(nil) the ask is known: %#v", v)
	}

	// A question of another session is an error, not a panic.
	other := cfg.Sessions[1].Questions[0]
	if _, diags := sc.Eval(other, other.Ask, nil); !diags.HasErrors() {
		t.Error("Eval of another session's question: no error")
	}
	if v, diags := sc.Eval(why, nil, nil); diags.HasErrors() || !v.IsNull() {
		t.Errorf("Eval(nil) = %#v, %v", v, diags)
	}
}

func TestScopeEach(t *testing.T) {
	cfg := loadScopeConfig(t)
	var addresses []string
	for _, s := range cfg.Sessions {
		addresses = append(addresses, s.Address)
		for _, q := range s.Questions {
			addresses = append(addresses, "  "+q.Address)
		}
	}
	want := []string{
		"session.market_cap", "  session.market_cap.question.top5", "  session.market_cap.question.why",
		`session.bird["q1"]`, `  session.bird["q1"].question.check`, `  session.bird["q1"].question.again`,
		`session.bird["q2"]`, `  session.bird["q2"].question.check`, `  session.bird["q2"].question.again`,
	}
	if diff := cmp.Diff(want, addresses); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}
	q2 := cfg.Sessions[2]
	if !q2.Key.RawEquals(cty.StringVal("q2")) || q2.Name != `bird["q2"]` || cfg.Sessions[0].Key != cty.NilVal {
		t.Errorf("key %#v, name %q; key without for_each %#v", q2.Key, q2.Name, cfg.Sessions[0].Key)
	}
	sc := cfg.NewScope(q2)
	check, again := q2.Questions[0], q2.Questions[1]
	if text, known, _ := sc.AskText(check); !known || text != "q2: Two?" {
		t.Errorf("ask = %q, %v", text, known)
	}
	if v, _ := sc.Eval(check, check.Expect.SQL, nil); v.AsString() != "SELECT 2" {
		t.Errorf("expect.sql = %#v", v)
	}
	sc.SetAnswer("check", &Answer{ClarifiedTask: "count two"})
	if text, _, _ := sc.AskText(again); text != "Again, count two" {
		t.Errorf("follow-up ask = %q", text)
	}
}

func TestEvalAssert(t *testing.T) {
	cfg := loadScopeConfig(t)
	s := cfg.Sessions[0]
	top5, why := s.Questions[0], s.Questions[1]
	sc := cfg.NewScope(s)

	passed, msg, diags := sc.EvalAssert(top5, top5.Asserts[0], top5Answer)
	if !passed || msg != "" || diags.HasErrors() {
		t.Errorf("passing assert = %v, %q, %v", passed, msg, diags)
	}
	short := &Answer{Rows: [][]any{{"a"}}}
	passed, msg, diags = sc.EvalAssert(top5, top5.Asserts[0], short)
	if passed || msg != "want 5 rows, got 1" || diags.HasErrors() {
		t.Errorf("failing assert = %v, %q, %v", passed, msg, diags)
	}

	// A condition on an unanswered question cannot be decided: an error.
	passed, _, diags = sc.EvalAssert(why, why.Asserts[0], short)
	if passed || !diags.HasErrors() || diags[0].Summary != "Unknown condition value" {
		t.Errorf("assert on an unanswered question = %v, %v", passed, diags)
	}

	// A message with a sensitive value is not shown.
	sc.SetAnswer("top5", &Answer{Columns: []string{"name"}, Rows: [][]any{{"Apple"}}})
	passed, msg, diags = sc.EvalAssert(why, why.Asserts[0], &Answer{})
	if passed || diags.HasErrors() || strings.Contains(msg, "s3cr3t") || !strings.Contains(msg, "sensitive value") {
		t.Errorf("sensitive message = %v, %q, %v", passed, msg, diags)
	}
	passed, msg, _ = sc.EvalAssert(why, why.Asserts[1], &Answer{JobID: "j", Status: "done", Duration: 3 * time.Second})
	if passed || msg != "slow: 3s" {
		t.Errorf("duration assert = %v, %q", passed, msg)
	}
	if !cfg.Sensitive(why.Asserts[0].ErrorMessage) || cfg.Sensitive(why.Asserts[1].ErrorMessage) || cfg.Sensitive(why.Ask) {
		t.Error("Sensitive does not tell the expression referring to var.secret from the others")
	}

	// Errors in the condition are errors, with the secret kept out.
	bad := &Assert{Condition: parseExpr(t, `parseint(var.secret, 10) > 0`), ErrorMessage: parseExpr(t, `"x"`)}
	passed, _, diags = sc.EvalAssert(why, bad, &Answer{})
	if passed || !diags.HasErrors() || strings.Contains(diagText(t, diags, cfg.Files), "s3cr3t") {
		t.Errorf("erroring condition = %v:\n%s", passed, diagText(t, diags, cfg.Files))
	}
	null := &Assert{Condition: parseExpr(t, `null`), ErrorMessage: parseExpr(t, `"x"`)}
	if _, _, diags := sc.EvalAssert(why, null, &Answer{}); !diags.HasErrors() || diags[0].Summary != "Invalid condition result" {
		t.Errorf("null condition: %v", diags)
	}
}

func TestEvalOutputs(t *testing.T) {
	cfg := loadScopeConfig(t)
	sc := cfg.NewScope(cfg.Sessions[0])
	sc.SetAnswer("top5", top5Answer)
	q1 := cfg.NewScope(cfg.Sessions[1])
	q1.SetAnswer("check", &Answer{SQL: "SELECT 1", Status: "done"})
	// No scope for bird["q2"]: its answers are unknown.
	values, diags := cfg.EvalOutputs([]*Scope{sc, q1, nil})
	if diags.HasErrors() {
		t.Fatalf("EvalOutputs: %s", diagText(t, diags, cfg.Files))
	}
	got := map[string]cty.Value{}
	for _, v := range values {
		got[v.Output.Name] = v.Value
	}
	if v := got["leader"]; !v.RawEquals(cty.StringVal("Apple")) {
		t.Errorf("leader = %#v", v)
	}
	checks := got["checks"]
	if !checks.GetAttr("q1").RawEquals(cty.StringVal("SELECT 1")) || checks.GetAttr("q2").IsKnown() {
		t.Errorf("checks = %#v", checks)
	}
	if got["q2_status"].IsKnown() {
		t.Errorf("q2_status = %#v, want unknown", got["q2_status"])
	}
	if v := got["secret"]; !v.RawEquals(cty.StringVal("s3cr3t-value!")) || v.IsMarked() {
		t.Errorf("secret = %#v, want the unmarked value", v)
	}
	if v := got["plain"]; !v.RawEquals(cty.StringVal("Q1")) {
		t.Errorf("plain = %#v", v)
	}
	if len(values) != 5 || values[0].Output.Name != "leader" {
		t.Errorf("outputs out of order: %v", values)
	}
}

func TestKnownAfter(t *testing.T) {
	cfg := loadScopeConfig(t)
	s := cfg.Sessions[0]
	top5, why := s.Questions[0], s.Questions[1]
	for _, tt := range []struct {
		q    *Question
		expr hcl.Expression
		want []string
	}{
		{top5, top5.Ask, nil},
		{top5, top5.Asserts[0].Condition, []string{"session.market_cap.question.top5"}},
		{why, why.Ask, []string{"session.market_cap.question.top5"}},
		{why, why.Asserts[0].Condition, []string{"session.market_cap.question.top5", "session.market_cap.question.why"}},
		{why, why.Expect.SQL, []string{"session.market_cap.question.why"}},
		{cfg.Sessions[2].Questions[1], cfg.Sessions[2].Questions[1].Ask, []string{`session.bird["q2"].question.check`}},
		{nil, top5.Ask, nil},
	} {
		if diff := cmp.Diff(tt.want, KnownAfter(tt.q, tt.expr)); diff != "" {
			t.Errorf("KnownAfter(%s) (-want +got):\n%s", tt.expr.Range(), diff)
		}
	}
	var outputs []string
	for _, o := range cfg.Outputs {
		outputs = append(outputs, o.Name+": "+strings.Join(cfg.OutputKnownAfter(o), ", "))
	}
	want := []string{
		"leader: session.market_cap.question.top5",
		`checks: session.bird["q1"].question.check, session.bird["q1"].question.again, session.bird["q2"].question.check, session.bird["q2"].question.again`,
		`q2_status: session.bird["q2"].question.check`,
		"secret: ",
		"plain: ", // the key of an instance is known at load
	}
	if diff := cmp.Diff(want, outputs); diff != "" {
		t.Errorf("OutputKnownAfter (-want +got):\n%s", diff)
	}
}

func parseExpr(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntaxParse(src)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", src, diags)
	}
	return expr
}

// A Config built by hand, as runner tests do, evaluates too.
func TestScopeOnHandBuiltConfig(t *testing.T) {
	q := &Question{Label: "q", Ask: hcl.StaticExpr(cty.StringVal(" What? "), hcl.Range{})}
	r := &Question{Label: "r", Ask: parseExpr(t, `"After ${question.q.sql}"`)}
	s := &Session{Label: "s", Questions: []*Question{q, r}}
	cfg := &Config{Sessions: []*Session{s}}
	sc := cfg.NewScope(s)
	if text, known, diags := sc.AskText(q); !known || text != "What?" || diags.HasErrors() {
		t.Errorf("AskText = %q, %v, %v", text, known, diags)
	}
	sc.SetAnswer("q", &Answer{SQL: "SELECT 1"})
	if text, _, diags := sc.AskText(r); text != "After SELECT 1" {
		t.Errorf("AskText = %q, %v", text, diags)
	}
	if values, diags := cfg.EvalOutputs([]*Scope{sc}); len(values) != 0 || diags.HasErrors() {
		t.Errorf("EvalOutputs = %v, %v", values, diags)
	}
}
