package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// answerType is the type of an answer before it is known. rows has no
// static type: each row is a tuple of whatever its cells are.
var answerType = cty.Object(map[string]cty.Type{
	"sql":            cty.String,
	"columns":        cty.List(cty.String),
	"rows":           cty.DynamicPseudoType,
	"row_count":      cty.Number,
	"clarified_task": cty.String,
	"description":    cty.String,
	"chart":          cty.String,
	"job_id":         cty.String,
	"status":         cty.String,
	"duration":       cty.Number,
})

var unknownAnswer = cty.UnknownVal(answerType)

// Value is the answer as expressions see it: sql, columns (a list of
// strings), rows (a list of rows, each a list of cells: numbers, strings,
// bools or null), row_count, clarified_task, description, chart, job_id, status
// and duration (in seconds). A nil answer is unknown.
func (a *Answer) Value() cty.Value {
	if a == nil {
		return unknownAnswer
	}
	columns := cty.ListValEmpty(cty.String)
	if len(a.Columns) > 0 {
		cols := make([]cty.Value, len(a.Columns))
		for i, c := range a.Columns {
			cols[i] = cty.StringVal(strings.ToValidUTF8(c, "\uFFFD"))
		}
		columns = cty.ListVal(cols)
	}
	rows := make([]cty.Value, len(a.Rows))
	for i, row := range a.Rows {
		cells := make([]cty.Value, len(row))
		for j, c := range row {
			cells[j] = cellValue(c)
		}
		rows[i] = cty.TupleVal(cells)
	}
	str := func(s string) cty.Value { return cty.StringVal(strings.ToValidUTF8(s, "\uFFFD")) }
	return cty.ObjectVal(map[string]cty.Value{
		"sql":            str(a.SQL),
		"columns":        columns,
		"rows":           cty.TupleVal(rows),
		"row_count":      cty.NumberIntVal(int64(len(a.Rows))),
		"clarified_task": str(a.ClarifiedTask),
		"description":    str(a.Description),
		"chart":          str(a.Chart),
		"job_id":         str(a.JobID),
		"status":         str(a.Status),
		"duration":       cty.NumberFloatVal(a.Duration.Seconds()),
	})
}

// cellValue converts a cell decoded from JSON.
func cellValue(c any) cty.Value {
	switch x := c.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(strings.ToValidUTF8(x, "\uFFFD"))
	case json.Number:
		if n, err := cty.ParseNumberVal(string(x)); err == nil {
			return n
		}
		return cty.StringVal(strings.ToValidUTF8(string(x), "\uFFFD"))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return cty.StringVal(fmt.Sprint(x))
		}
		return cty.NumberFloatVal(x)
	case int:
		return cty.NumberIntVal(int64(x))
	case int64:
		return cty.NumberIntVal(x)
	case bool:
		return cty.BoolVal(x)
	case []any:
		vals := make([]cty.Value, len(x))
		for i, e := range x {
			vals[i] = cellValue(e)
		}
		return cty.TupleVal(vals)
	case map[string]any:
		vals := make(map[string]cty.Value, len(x))
		for k, e := range x {
			vals[strings.ToValidUTF8(k, "\uFFFD")] = cellValue(e)
		}
		return cty.ObjectVal(vals)
	}
	return cty.StringVal(strings.ToValidUTF8(fmt.Sprint(c), "\uFFFD"))
}

// Scope evaluates the deferred expressions (ask, expect, assert) of one
// session instance, with the answers of its questions as they arrive. It is
// not safe for concurrent use; separate scopes are independent.
type Scope struct {
	cfg     *Config
	session *Session
	answers map[string]cty.Value
}

// NewScope returns a scope for session instance s of c, with no answers.
func (c *Config) NewScope(s *Session) *Scope {
	return &Scope{cfg: c, session: s, answers: map[string]cty.Value{}}
}

// Session is the session instance of sc.
func (sc *Scope) Session() *Session { return sc.session }

// SetAnswer records the answer to the question labeled questionLabel; a
// nil answer forgets it.
func (sc *Scope) SetAnswer(questionLabel string, a *Answer) {
	if a == nil {
		delete(sc.answers, questionLabel)
		return
	}
	sc.answers[questionLabel] = a.Value()
}

func (sc *Scope) answer(label string) cty.Value {
	if v, ok := sc.answers[label]; ok {
		return v
	}
	return unknownAnswer
}

// Eval evaluates expr for question q of sc's session, which decides which
// earlier questions are visible, with self the answer to q (nil: unknown,
// as in ask or at plan time). References to questions without an answer
// yet evaluate to unknown values, so that plan can show what is "known
// after" them. The value carries no sensitivity mark; see
// [Config.Sensitive]. q may be nil for an expression outside questions.
func (sc *Scope) Eval(q *Question, expr hcl.Expression, self *Answer) (cty.Value, hcl.Diagnostics) {
	val, diags := sc.eval(q, expr, self)
	return unmark(val), diags
}

// eval is Eval keeping the sensitivity marks.
func (sc *Scope) eval(q *Question, expr hcl.Expression, self *Answer) (cty.Value, hcl.Diagnostics) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	index := -1
	if q != nil {
		for i, sq := range sc.session.Questions {
			if sq == q {
				index = i
			}
		}
		if index < 0 {
			return cty.DynamicVal, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Question of another session",
				Detail:   fmt.Sprintf("%s is not a question of %s.", q.Address, sc.session.Address),
				Subject:  q.DeclRange.Ptr(),
			}}
		}
	}
	ctx := sc.cfg.evalContext(sc.session.each)
	if q != nil {
		earlier := make(map[string]cty.Value, index)
		for _, prev := range sc.session.Questions[:index] {
			earlier[prev.Label] = sc.answer(prev.Label)
		}
		ctx.Variables["question"] = cty.ObjectVal(earlier)
		ctx.Variables["self"] = self.Value()
	}
	val, diags := expr.Value(ctx)
	redactDiagnostics(diags, sc.cfg.secrets)
	maskDiagnostics(diags, sc.cfg.masks)
	return val, diags
}

// evalContext is the context of expressions in a session instance whose
// each object is each (cty.NilVal without for_each), before any answer.
func (c *Config) evalContext(each cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{"var": c.vars, "local": c.locals}
	for name, v := range vars {
		if v == cty.NilVal { // a Config not made by Load
			vars[name] = cty.EmptyObjectVal
		}
	}
	if each != cty.NilVal {
		vars["each"] = each
	}
	// While loading, everything shares Load's budget; after, each
	// evaluation has its own.
	b, funcs := c.budget, c.funcs
	if b == nil {
		base := c.baseFuncs
		if base == nil { // a Config not made by Load
			base = functions(c.Dir)
		}
		b = &evalBudget{}
		funcs = guardFunctions(base, b)
	}
	ctx := newContext(vars, b)
	ctx.Functions = funcs
	return ctx
}

// AskText evaluates the ask of q: the question to send, with surrounding
// white space removed. known is false, with no error, while the ask depends
// on an earlier question that has no answer yet.
func (sc *Scope) AskText(q *Question) (text string, known bool, diags hcl.Diagnostics) {
	val, diags := sc.Eval(q, q.Ask, nil)
	if diags.HasErrors() {
		return "", false, diags
	}
	if !val.IsWhollyKnown() {
		return "", false, diags
	}
	rng := q.Ask.Range()
	str, err := convert.Convert(val, cty.String)
	if err != nil || str.IsNull() {
		detail := "The ask must be a string."
		if err != nil {
			detail = fmt.Sprintf("The ask must be a string: %s.", err)
		}
		return "", false, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Invalid ask", Detail: detail, Subject: &rng,
		})
	}
	text = strings.TrimSpace(str.AsString())
	if text == "" {
		return "", false, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Empty value", Detail: `The argument "ask" must not be empty.`, Subject: &rng,
		})
	}
	return text, true, diags
}

// EvalAssert evaluates assert a of question q against self, the answer.
// When the condition is false, message is the evaluated error_message. An
// error diagnostic means the assert could not be decided (the condition
// failed to evaluate, is unknown or null, or is not a bool): an error, not
// a failure, as in terraform test.
func (sc *Scope) EvalAssert(q *Question, a *Assert, self *Answer) (passed bool, message string, diags hcl.Diagnostics) {
	cond, diags := sc.eval(q, a.Condition, self)
	if diags.HasErrors() {
		return false, "", diags
	}
	invalid := func(summary, detail string) hcl.Diagnostics {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: a.Condition.Range().Ptr(),
		})
	}
	cond = unmark(cond)
	switch {
	case !cond.IsKnown():
		return false, "", invalid("Unknown condition value",
			"The condition depends on the answer of a question that has not been answered.")
	case cond.IsNull():
		return false, "", invalid("Invalid condition result", "The condition returned null: it must return true or false.")
	}
	b, err := convert.Convert(cond, cty.Bool)
	if err != nil {
		return false, "", invalid("Invalid condition result", fmt.Sprintf("The condition must return a bool: %s.", err))
	}
	if b.True() {
		return true, "", diags
	}
	msg, msgDiags := sc.eval(q, a.ErrorMessage, self)
	diags = append(diags, msgDiags...)
	switch {
	case msgDiags.HasErrors():
		return false, "", diags
	case isSensitive(msg):
		return false, "The error message included a sensitive value, so it will not be displayed.", diags
	case !msg.IsWhollyKnown():
		return false, "(the error message depends on an answer that is not known)", diags
	}
	str, err := convert.Convert(unmark(msg), cty.String)
	if err != nil || str.IsNull() {
		return false, "", append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Invalid error message",
			Detail: "The error_message must be a string.", Subject: a.ErrorMessage.Range().Ptr(),
		})
	}
	return false, strings.TrimSpace(str.AsString()), diags
}

// EvalOutputs evaluates every output with the answers recorded in scopes,
// one per session instance; instances without a scope, and questions
// without an answer, give unknown values, not errors.
func (c *Config) EvalOutputs(scopes []*Scope) ([]OutputValue, hcl.Diagnostics) {
	bySession := make(map[*Session]*Scope, len(scopes))
	for _, sc := range scopes {
		if sc != nil {
			bySession[sc.session] = sc
		}
	}
	ctx := c.outputContext(func(s *Session) *Scope { return bySession[s] })
	var diags hcl.Diagnostics
	values := make([]OutputValue, 0, len(c.Outputs))
	for _, o := range c.Outputs {
		val, moreDiags := o.Expr.Value(ctx)
		redactDiagnostics(moreDiags, c.secrets)
		maskDiagnostics(moreDiags, c.masks)
		diags = append(diags, moreDiags...)
		if !o.Sensitive && isSensitive(val) {
			diags = append(diags, sensitiveOutput(o))
			val = cty.DynamicVal
		}
		values = append(values, OutputValue{Output: o, Value: unmark(val)})
	}
	return values, diags
}

func sensitiveOutput(o *Output) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Output refers to sensitive values",
		Detail: fmt.Sprintf("The value of output %q derives from a sensitive variable. To keep sensitive values from being shown by accident, an output that contains one must be marked sensitive too. If this is intended, add sensitive = true to the output block.",
			o.Name),
		Subject: o.Expr.Range().Ptr(),
	}
}

// outputContext is the context of outputs: var, local and session, whose
// answers come from the scope that scopeOf gives for each instance (nil:
// unknown answers).
func (c *Config) outputContext(scopeOf func(*Session) *Scope) *hcl.EvalContext {
	sessions := make(map[string]cty.Value, len(c.blocks))
	for _, sb := range c.blocks {
		if sb.forEach == nil {
			if len(sb.instances) == 1 {
				sessions[sb.label] = instanceValue(sb.instances[0], scopeOf(sb.instances[0]))
			} else {
				sessions[sb.label] = cty.DynamicVal
			}
			continue
		}
		if !sb.keysKnown {
			sessions[sb.label] = cty.DynamicVal
			continue
		}
		insts := make(map[string]cty.Value, len(sb.instances))
		for _, inst := range sb.instances {
			insts[inst.Key.AsString()] = instanceValue(inst, scopeOf(inst))
		}
		sessions[sb.label] = cty.ObjectVal(insts)
	}
	ctx := c.evalContext(cty.NilVal)
	ctx.Variables["session"] = cty.ObjectVal(sessions)
	return ctx
}

func instanceValue(s *Session, sc *Scope) cty.Value {
	questions := make(map[string]cty.Value, len(s.Questions))
	for _, q := range s.Questions {
		questions[q.Label] = unknownAnswer
		if sc != nil {
			questions[q.Label] = sc.answer(q.Label)
		}
	}
	labels := cty.ListValEmpty(cty.String)
	if len(s.Labels) > 0 {
		vals := make([]cty.Value, len(s.Labels))
		for i, l := range s.Labels {
			vals[i] = cty.StringVal(l)
		}
		labels = cty.ListVal(vals)
	}
	key := cty.NullVal(cty.String)
	if s.Key != cty.NilVal {
		key = s.Key
	}
	return cty.ObjectVal(map[string]cty.Value{
		"question":   cty.ObjectVal(questions),
		"name":       cty.StringVal(s.Name),
		"cluster_id": cty.StringVal(s.ClusterID),
		"database":   cty.StringVal(s.Database),
		"labels":     labels,
		"key":        key,
	})
}

// KnownAfter lists the addresses of the questions whose answers expr needs
// when evaluated for question q, in turn order: the earlier questions it
// refers to, and q itself when it refers to self. Plan shows them as
// "known after ...".
func KnownAfter(q *Question, expr hcl.Expression) []string {
	if q == nil || expr == nil || q.session == nil {
		return nil
	}
	need := map[int]bool{}
	for _, t := range expr.Variables() {
		switch t.RootName() {
		case "self":
			need[q.index] = true
		case "question":
			name, _, ok := step(t, 1)
			if !ok {
				continue
			}
			for _, prev := range q.session.Questions[:q.index] {
				if prev.Label == name {
					need[prev.index] = true
				}
			}
		}
	}
	var out []string
	for _, prev := range q.session.Questions {
		if need[prev.index] {
			out = append(out, prev.Address)
		}
	}
	return out
}

// OutputKnownAfter lists the addresses of the questions whose answers
// output o needs, in configuration order.
func (c *Config) OutputKnownAfter(o *Output) []string {
	need := map[*Question]bool{}
	for _, t := range o.Expr.Variables() {
		if t.RootName() != "session" {
			continue
		}
		label, _, ok := step(t, 1)
		if !ok {
			continue
		}
		for _, sb := range c.blocks {
			if sb.label != label {
				continue
			}
			i := 2
			insts := sb.instances
			if sb.forEach != nil && i < len(t) {
				if idx, ok := t[i].(hcl.TraverseIndex); ok {
					insts = nil
					for _, inst := range sb.instances {
						if idx.Key.Type() == cty.String && idx.Key.IsKnown() && inst.Key.RawEquals(idx.Key) {
							insts = append(insts, inst)
						}
					}
					i++
				}
			}
			attr, _, hasAttr := step(t, i)
			qname, _, hasQuestion := step(t, i+1)
			for _, inst := range insts {
				for _, q := range inst.Questions {
					switch {
					case hasAttr && attr != "question":
					case hasQuestion && q.Label != qname:
					default:
						need[q] = true
					}
				}
			}
		}
	}
	var out []string
	for _, s := range c.Sessions {
		for _, q := range s.Questions {
			if need[q] {
				out = append(out, q.Address)
			}
		}
	}
	return out
}

// Sensitive reports whether expr refers to a sensitive input variable,
// directly or through a local value: a runner shows such an expression's
// value redacted (an ask, an assert's error_message).
func (c *Config) Sensitive(expr hcl.Expression) bool {
	if expr == nil {
		return false
	}
	for _, t := range expr.Variables() {
		name, _, ok := step(t, 1)
		if !ok {
			continue
		}
		switch t.RootName() {
		case "var":
			if v := c.Variables[name]; v != nil && v.Sensitive {
				return true
			}
		case "local":
			if c.locals.Type().IsObjectType() && c.locals.Type().HasAttribute(name) && isSensitive(c.locals.GetAttr(name)) {
				return true
			}
		}
	}
	return false
}
