package spec

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Answer attributes as expressions see them, in documentation order.
var answerAttrs = []string{"sql", "columns", "rows", "row_count", "clarified_task", "description", "chart", "job_id", "status", "duration"}

// Attributes of a session instance in outputs.
var sessionAttrs = []string{"question", "name", "cluster_id", "database", "labels", "key"}

// eachRule says whether an expression may use each.
type eachRule int

const (
	eachOutside   eachRule = iota // not in a session block
	eachNoForEach                 // in a session block without for_each
	eachInForEach                 // in the for_each argument itself
	eachAvailable                 // in a session block with for_each
)

// refRules says what the expressions of one place may refer to. Every
// reference is checked against them before anything is evaluated, so that
// a bad reference gets one precise diagnostic, once per block rather than
// once per instance, instead of HCL's generic errors.
type refRules struct {
	// what names the place in details: "A local value", "The for_each
	// argument", "A session argument"...
	what   string
	locals bool
	each   eachRule

	// session and question are set inside a question. part is "ask",
	// "expect" or "assert" where answers are available, "" for the
	// arguments evaluated at load (mode, timeout, labels).
	session  *sessionBlock
	question *questionBlock
	part     string

	// outputs allows session.LABEL... references; sessions lists the
	// session blocks (for them, and for hints elsewhere).
	outputs  bool
	sessions []*sessionBlock

	vars map[string]*Variable
	loc  map[string]*Local
}

func (r *refRules) answers() bool { return r.part != "" }
func (r *refRules) self() bool    { return r.part == "expect" || r.part == "assert" }

// roots lists what expressions in this place may start a reference with,
// for "did you mean" and for the detail of an unknown root.
func (r *refRules) roots() []string {
	roots := []string{"var"}
	if r.locals {
		roots = append(roots, "local")
	}
	if r.each == eachAvailable {
		roots = append(roots, "each")
	}
	if r.answers() {
		roots = append(roots, "question")
	}
	if r.self() {
		roots = append(roots, "self")
	}
	if r.outputs {
		roots = append(roots, "session")
	}
	return roots
}

func (r *refRules) rootsPhrase() string {
	forms := map[string]string{
		"var": "input variables as var.NAME", "local": "local values as local.NAME",
		"each": "each.key and each.value", "question": "earlier questions as question.LABEL",
		"self": "the answer as self", "session": "answers as session.LABEL.question.LABEL",
	}
	var parts []string
	for _, root := range r.roots() {
		parts = append(parts, forms[root])
	}
	return joinAnd(parts)
}

// joinAnd joins items as English: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// check reports every reference in expr that r does not allow or that names
// nothing.
func (r *refRules) check(expr hcl.Expression) hcl.Diagnostics {
	if expr == nil {
		return nil
	}
	var diags hcl.Diagnostics
	for _, t := range expr.Variables() {
		diags = append(diags, r.checkTraversal(t)...)
	}
	return diags
}

func refError(summary, detail string, rng hcl.Range) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}}
}

// step returns the attribute name of step i of t, if it is an attribute.
func step(t hcl.Traversal, i int) (string, hcl.Range, bool) {
	if i >= len(t) {
		return "", hcl.Range{}, false
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name, a.SrcRange, true
	}
	return "", t[i].SourceRange(), false
}

// through is the range of t from its start to the end of step i.
func through(t hcl.Traversal, i int) hcl.Range {
	if i >= len(t) {
		i = len(t) - 1
	}
	return hcl.RangeBetween(t[0].SourceRange(), t[i].SourceRange())
}

func (r *refRules) checkTraversal(t hcl.Traversal) hcl.Diagnostics {
	root := t.RootName()
	switch root {
	case "var":
		return r.checkVar(t)
	case "local":
		if r.locals {
			return r.checkLocal(t)
		}
	case "each":
		return r.checkEach(t)
	case "question":
		return r.checkQuestion(t)
	case "self":
		return r.checkSelf(t)
	case "session":
		return r.checkSession(t)
	}
	return refError("Unknown variable",
		fmt.Sprintf("There is no variable named %q.%s Expressions here can refer to %s.", root, didYouMean(root, r.roots()), r.rootsPhrase()),
		t.SourceRange())
}

func (r *refRules) checkVar(t hcl.Traversal) hcl.Diagnostics {
	return checkDeclared(t, "an", "input variable", func(name string) (string, bool) {
		if _, ok := r.vars[name]; ok {
			return "", true
		}
		return didYouMeanOr(name, sortedKeys(r.vars), fmt.Sprintf(" It can be declared with a variable %q {} block.", name)), false
	})
}

func (r *refRules) checkLocal(t hcl.Traversal) hcl.Diagnostics {
	return checkDeclared(t, "a", "local value", func(name string) (string, bool) {
		if _, ok := r.loc[name]; ok {
			return "", true
		}
		return didYouMeanOr(name, sortedKeys(r.loc), " It can be declared in a locals block."), false
	})
}

// checkDeclared checks a reference root.NAME to something declared by name:
// an input variable or a local value (article is its "a" or "an"). lookup
// reports whether name is declared or else the hint that ends the error.
func checkDeclared(t hcl.Traversal, article, noun string, lookup func(name string) (hint string, declared bool)) hcl.Diagnostics {
	root := t.RootName()
	if len(t) < 2 {
		return refError("Invalid reference",
			fmt.Sprintf(`The %q object cannot be accessed directly. Instead, access one of its attributes, like %s.NAME.`, root, root), t.SourceRange())
	}
	name, rng, ok := step(t, 1)
	if !ok {
		return refError("Invalid reference",
			fmt.Sprintf(`The %q object does not support this operation. Refer to %s %s as %s.NAME.`, root, article, noun, root), t.SourceRange())
	}
	if hint, declared := lookup(name); !declared {
		return refError("Reference to undeclared "+noun,
			fmt.Sprintf("%s %s named %q has not been declared.%s", strings.ToUpper(article[:1])+article[1:], noun, name, hint),
			hcl.RangeBetween(t[0].SourceRange(), rng))
	}
	return nil
}

func (r *refRules) checkEach(t hcl.Traversal) hcl.Diagnostics {
	switch r.each {
	case eachOutside, eachNoForEach:
		detail := `The "each" object can be used only in a session block with for_each, and in its questions.`
		if r.each == eachNoForEach {
			detail += " This session has no for_each argument."
		}
		return refError(`Reference to "each" in context without for_each`, detail, t.SourceRange())
	case eachInForEach:
		return refError("Invalid reference",
			`The for_each argument decides the instances of the session, so it cannot refer to each.`, t.SourceRange())
	}
	name, rng, ok := step(t, 1)
	if !ok {
		return refError("Invalid reference",
			`The "each" object cannot be used directly: refer to each.key or each.value.`, t.SourceRange())
	}
	if name != "key" && name != "value" {
		return refError("Unsupported attribute",
			fmt.Sprintf(`The "each" object has no attribute named %q.%s It has key and value.`, name, didYouMean(name, []string{"key", "value"})),
			hcl.RangeBetween(t[0].SourceRange(), rng))
	}
	return nil
}

// checkAnswerAttr checks the step of t at i, if any, as an answer attribute.
func checkAnswerAttr(t hcl.Traversal, i int) hcl.Diagnostics {
	if i >= len(t) {
		return nil
	}
	name, rng, ok := step(t, i)
	if !ok {
		return refError("Invalid reference",
			"An answer's attributes are accessed by name, like .sql or .rows.", hcl.RangeBetween(t[0].SourceRange(), rng))
	}
	for _, a := range answerAttrs {
		if a == name {
			return nil
		}
	}
	return refError("Unsupported attribute",
		fmt.Sprintf("An answer has no attribute named %q.%s Its attributes are %s.",
			name, didYouMean(name, answerAttrs), joinAnd(answerAttrs)),
		hcl.RangeBetween(t[0].SourceRange(), rng))
}

func (r *refRules) checkQuestion(t hcl.Traversal) hcl.Diagnostics {
	if !r.answers() {
		if r.outputs {
			hint := ""
			if name, _, ok := step(t, 1); ok {
				for _, sb := range r.sessions {
					if sb.question(name) != nil {
						hint = fmt.Sprintf(" Did you mean session.%s%s.question.%s?", sb.label, sb.exampleKey(), name)
						break
					}
				}
			}
			return refError("Invalid reference",
				"Outputs refer to answers as session.LABEL.question.LABEL.ATTRIBUTE (with for_each, session.LABEL[\"KEY\"].question...)."+hint,
				t.SourceRange())
		}
		return refError("Answer not available here",
			fmt.Sprintf("%s is evaluated before any question is asked, so it cannot refer to an answer. Answers are available in the ask, expect and assert of a later question of the same session, as question.LABEL, and in outputs.", r.what),
			t.SourceRange())
	}
	name, rng, ok := step(t, 1)
	if !ok {
		return refError("Invalid reference",
			`The "question" object cannot be accessed directly: refer to an earlier question of this session as question.LABEL, like question.top5.sql.`,
			t.SourceRange())
	}
	sb, q := r.session, r.question
	target := sb.question(name)
	ref := hcl.RangeBetween(t[0].SourceRange(), rng)
	switch {
	case target == nil:
		hint := didYouMean(name, sb.questionLabels())
		if hint == "" {
			for _, other := range r.sessions {
				if other != sb && other.question(name) != nil {
					hint = fmt.Sprintf(" Session %q has a question %q, but a question can refer only to questions of its own session: sessions are separate conversations. Outputs can refer to any answer.", other.label, name)
					break
				}
			}
		}
		return refError("Reference to undeclared question",
			fmt.Sprintf("Session %q has no question labeled %q.%s", sb.label, name, hint), ref)
	case target == q:
		detail := fmt.Sprintf("Question %q cannot refer to itself as question.%s: its own answer is self, as in self.sql.", q.label, name)
		if r.part == "ask" {
			detail = fmt.Sprintf("The ask of question %q cannot refer to its own answer, which does not exist until the question is asked.", q.label)
		}
		return refError("Invalid self-reference", detail, ref)
	case target.index > q.index:
		return refError("Reference to a later question",
			fmt.Sprintf("Question %q comes after question %q in session %q (at %s), so its answer does not exist yet when %q is asked. A question can refer only to the questions before it.",
				name, q.label, sb.label, where(target.block.DefRange), q.label),
			ref)
	}
	return checkAnswerAttr(t, 2)
}

func (r *refRules) checkSelf(t hcl.Traversal) hcl.Diagnostics {
	if !r.self() {
		detail := "self is the answer of the current question: it is available only in a question's expect and assert blocks."
		if r.part == "ask" {
			detail = "The ask is sent before there is an answer, so it cannot refer to self. self is the answer of the current question, available in its expect and assert blocks."
		}
		return refError(`Invalid "self" reference`, detail, t.SourceRange())
	}
	return checkAnswerAttr(t, 1)
}

func (r *refRules) checkSession(t hcl.Traversal) hcl.Diagnostics {
	if !r.outputs {
		detail := "Only outputs can refer to sessions."
		if r.question != nil {
			detail = "A question refers to the answers of earlier questions of its own session as question.LABEL, like question.top5.sql; the answers of other sessions are available only in outputs."
			if name, _, ok := step(t, 1); ok && name == r.session.label {
				for i := 2; i+1 < len(t); i++ {
					if n, _, ok := step(t, i); ok && n == "question" {
						if q, _, ok := step(t, i+1); ok {
							detail += fmt.Sprintf(" Did you mean question.%s?", q)
						}
						break
					}
				}
			}
		}
		return refError("Invalid reference to a session", detail, t.SourceRange())
	}
	name, rng, ok := step(t, 1)
	if !ok {
		return refError("Invalid reference",
			`The "session" object cannot be accessed directly: refer to a session as session.LABEL.`, t.SourceRange())
	}
	var sb *sessionBlock
	var labels []string
	for _, s := range r.sessions {
		labels = append(labels, s.label)
		if s.label == name {
			sb = s
		}
	}
	if sb == nil {
		return refError("Reference to undeclared session",
			fmt.Sprintf("There is no session labeled %q.%s", name, didYouMean(name, labels)),
			hcl.RangeBetween(t[0].SourceRange(), rng))
	}
	i := 2
	if sb.forEach != nil {
		if len(t) <= i {
			return nil // the whole object of instances
		}
		idx, ok := t[i].(hcl.TraverseIndex)
		if !ok {
			return refError("Missing session instance key",
				fmt.Sprintf("Session %q has for_each, so pick one of its instances by key, like session.%s%s.question..., or go through all of them, like [for s in session.%s : s.question.LABEL.sql].",
					name, name, sb.exampleKey(), name),
				through(t, i))
		}
		if diags := sb.checkKey(idx, t, i); diags != nil {
			return diags
		}
		i++
	} else if len(t) > i {
		if _, isIndex := t[i].(hcl.TraverseIndex); isIndex {
			return refError("Unexpected session instance key",
				fmt.Sprintf("Session %q has no for_each, so it has one instance: refer to it as session.%s.question...", name, name),
				through(t, i))
		}
	}
	if len(t) <= i {
		return nil
	}
	attr, rng, ok := step(t, i)
	if !ok {
		return refError("Invalid reference", "A session's attributes are accessed by name, like .question.", through(t, i))
	}
	found := false
	for _, a := range sessionAttrs {
		found = found || a == attr
	}
	if !found {
		return refError("Unsupported attribute",
			fmt.Sprintf("A session has no attribute named %q.%s Its attributes are %s.", attr, didYouMean(attr, sessionAttrs), joinAnd(sessionAttrs)),
			hcl.RangeBetween(t[0].SourceRange(), rng))
	}
	if attr != "question" || len(t) <= i+1 {
		return nil
	}
	qname, qrng, ok := step(t, i+1)
	if !ok {
		return refError("Invalid reference", "Questions are accessed by label, like .question.top5.", through(t, i+1))
	}
	if sb.question(qname) == nil {
		return refError("Reference to undeclared question",
			fmt.Sprintf("Session %q has no question labeled %q.%s", name, qname, didYouMean(qname, sb.questionLabels())),
			hcl.RangeBetween(t[0].SourceRange(), qrng))
	}
	return checkAnswerAttr(t, i+2)
}

// checkKey checks an instance key written in an output reference against
// the keys of sb, when they are known.
func (sb *sessionBlock) checkKey(idx hcl.TraverseIndex, t hcl.Traversal, i int) hcl.Diagnostics {
	key := idx.Key
	if key.IsKnown() && !key.IsNull() && key.Type() == cty.Number {
		key = cty.StringVal(key.AsBigFloat().Text('f', -1))
	}
	if !key.IsKnown() || key.IsNull() || key.Type() != cty.String {
		return refError("Invalid session instance key",
			fmt.Sprintf("Instances of session %q are picked by a string key, like session.%s%s.", sb.label, sb.label, sb.exampleKey()),
			through(t, i))
	}
	if !sb.keysKnown {
		return nil
	}
	k := key.AsString()
	for _, have := range sb.keys {
		if have == k {
			return nil
		}
	}
	hint := didYouMean(k, sb.keys)
	return refError("Reference to undeclared session instance",
		fmt.Sprintf("Session %q has no instance with key %s.%s", sb.label, quoteKey(k), hint),
		through(t, i))
}
