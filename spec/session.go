package spec

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Environment variables that default the chat2query block's arguments.
const (
	EnvURL        = "C2Q_URL"
	EnvPublicKey  = "C2Q_PUBLIC_KEY"
	EnvPrivateKey = "C2Q_PRIVATE_KEY"
)

var chat2querySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "url"},
		{Name: "public_key"},
		{Name: "private_key"},
		{Name: "timeout"},
		{Name: "mode"},
	},
}

// decodeChat2Query merges block, which may be nil, over the environment.
func (l *loader) decodeChat2Query(block *hcl.Block, getenv func(string) (string, bool)) (Chat2Query, hcl.Diagnostics) {
	c := Chat2Query{Timeout: DefaultTimeout, Mode: ModeDirect}
	c.URL, _ = getenv(EnvURL)
	c.PublicKey, _ = getenv(EnvPublicKey)
	c.PrivateKey, _ = getenv(EnvPrivateKey)
	if block == nil {
		return c, nil
	}
	c.DeclRange = block.DefRange

	content, diags := bodyContent(block.Body, chat2querySchema)
	rules := l.rules("The chat2query block")
	diags = append(diags, l.checkContent(rules, content)...)
	s := &evalScope{ctx: l.cfg.evalContext(cty.NilVal), bad: l.bad}
	for _, arg := range []struct {
		name string
		dst  *string
	}{{"url", &c.URL}, {"public_key", &c.PublicKey}, {"private_key", &c.PrivateKey}} {
		str, attr, ok, moreDiags := s.stringArg(content, arg.name, false)
		if arg.name == "private_key" {
			moreDiags = withoutValues(moreDiags)
		}
		diags = append(diags, moreDiags...)
		if ok {
			*arg.dst = str
		}
		if arg.name != "url" && attr != nil {
			if lit, isLit := constString(attr.Expr); isLit && lit != "" {
				// The warning's snippet, and any other, shows the key
				// as (sensitive value).
				l.cfg.masks = append(l.cfg.masks, attr.Expr.Range())
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Credentials in a configuration file",
					Detail: fmt.Sprintf("The %s is written in the configuration, where anyone who can read the file, or its history in version control, can see it. Leave it out and set the environment variables %s and %s instead, or pass it in a sensitive variable.",
						arg.name, EnvPublicKey, EnvPrivateKey),
					Subject: attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	d, ok, moreDiags := s.durationArg(content, "timeout")
	diags = append(diags, moreDiags...)
	if ok {
		c.Timeout = d
	}
	mode, ok, moreDiags := s.modeArg(content)
	diags = append(diags, moreDiags...)
	if ok {
		c.Mode = mode
	}
	return c, diags
}

var sessionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "for_each"},
		{Name: "name"},
		{Name: "cluster_id", Required: true},
		{Name: "database", Required: true},
		{Name: "labels"},
		{Name: "mode"},
		{Name: "timeout"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "question", LabelNames: []string{"label"}},
	},
}

var questionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "ask", Required: true},
		{Name: "mode"},
		{Name: "timeout"},
		{Name: "labels"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "expect"},
		{Type: "assert"},
	},
}

// conditionSchema is the body of a rule that a condition must hold, as in
// Terraform: a question's assert blocks and a variable's validation blocks.
var conditionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "error_message", Required: true},
	},
}

// sessionBlock is a decoded session block: its structure, checked once,
// and the instances built from it.
type sessionBlock struct {
	label     string
	block     *hcl.Block
	content   *hcl.BodyContent
	forEach   hcl.Expression // nil without for_each
	questions []*questionBlock

	instances []*Session
	keys      []string // instance keys, when keysKnown
	keysKnown bool
}

type questionBlock struct {
	label   string
	index   int
	block   *hcl.Block
	content *hcl.BodyContent
	expect  *hcl.Block
	expectC *hcl.BodyContent
	notC    *hcl.BodyContent // the expect block's not block, nil without one
	asserts []*hcl.Block
	assertC []*hcl.BodyContent
}

func (sb *sessionBlock) question(label string) *questionBlock {
	for _, q := range sb.questions {
		if q.label == label {
			return q
		}
	}
	return nil
}

func (sb *sessionBlock) questionLabels() []string {
	labels := make([]string, len(sb.questions))
	for i, q := range sb.questions {
		labels[i] = q.label
	}
	return labels
}

// exampleKey is an instance key to show in hints: ["q17"], or "" without
// for_each.
func (sb *sessionBlock) exampleKey() string {
	switch {
	case sb.forEach == nil:
		return ""
	case sb.keysKnown && len(sb.keys) > 0:
		return "[" + quoteKey(sb.keys[0]) + "]"
	}
	return `["KEY"]`
}

// quoteKey writes s as an HCL quoted string, as in session.bird["q17"].
func quoteKey(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// decodeSessionStructure decodes what a session block declares, without
// evaluating anything: its arguments, questions, expect and assert blocks.
func decodeSessionStructure(block *hcl.Block) (*sessionBlock, hcl.Diagnostics) {
	sb := &sessionBlock{label: block.Labels[0], block: block}
	content, diags := labeledContent(block, "session label", sessionSchema)
	sb.content = content
	if attr, ok := content.Attributes["for_each"]; ok {
		sb.forEach = attr.Expr
	}

	for _, qb := range content.Blocks {
		q, moreDiags := decodeQuestionStructure(qb)
		diags = append(diags, moreDiags...)
		if first := sb.question(q.label); first != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate question",
				Detail: fmt.Sprintf("A question labeled %q was already declared in session %q at %s. Question labels must be unique within a session.",
					q.label, sb.label, where(first.block.DefRange)),
				Subject: qb.LabelRanges[0].Ptr(),
			})
			continue
		}
		q.index = len(sb.questions)
		sb.questions = append(sb.questions, q)
	}
	// A question block with a wrong number of labels is already reported and
	// missing from content; counting it here avoids a second, false error.
	if !hasBlock(block.Body, "question", len(content.Blocks)) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Insufficient question blocks",
			Detail:   fmt.Sprintf("Session %q has no question. A session needs at least one question block: its questions are the turns of the conversation.", sb.label),
			Subject:  block.DefRange.Ptr(),
		})
	}
	return sb, diags
}

// hasBlock reports whether body contains a block of type typ, whether or
// not it decoded; decoded is the number that did.
func hasBlock(body hcl.Body, typ string, decoded int) bool {
	if decoded > 0 {
		return true
	}
	if sb, ok := body.(*hclsyntax.Body); ok {
		for _, b := range sb.Blocks {
			if b.Type == typ {
				return true
			}
		}
	}
	return false
}

func decodeQuestionStructure(block *hcl.Block) (*questionBlock, hcl.Diagnostics) {
	q := &questionBlock{label: block.Labels[0], block: block}
	content, diags := labeledContent(block, "question label", questionSchema)
	q.content = content
	for _, b := range content.Blocks {
		switch b.Type {
		case "expect":
			c, not, moreDiags := decodeExpectStructure(b)
			diags = append(diags, moreDiags...)
			if q.expect != nil {
				diags = append(diags, secondBlock("expect", "a question", q.expect.DefRange, b.DefRange))
				continue
			}
			q.expect, q.expectC, q.notC = b, c, not
		case "assert":
			c, moreDiags := bodyContent(b.Body, conditionSchema)
			diags = append(diags, moreDiags...)
			q.asserts = append(q.asserts, b)
			q.assertC = append(q.assertC, c)
		}
	}
	return q, diags
}

// checkSessionRefs checks every reference in sb once, recording the
// expressions with errors in l.bad.
func (l *loader) checkSessionRefs(sb *sessionBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	each := eachNoForEach
	if sb.forEach != nil {
		each = eachAvailable
	}
	args := l.rules("A session argument")
	args.each = each
	for name, attr := range sb.content.Attributes {
		r := args
		if name == "for_each" {
			fe := *args
			fe.what, fe.each = "The for_each argument", eachInForEach
			r = &fe
		}
		diags = append(diags, l.checkExpr(r, attr.Expr)...)
	}
	for _, q := range sb.questions {
		rules := func(what, part string) *refRules {
			r := l.rules(what)
			r.each, r.session, r.question, r.part = each, sb, q, part
			return r
		}
		for name, attr := range q.content.Attributes {
			if name == "ask" {
				diags = append(diags, l.checkExpr(rules("The ask", "ask"), attr.Expr)...)
				continue
			}
			diags = append(diags, l.checkExpr(rules("A question's "+name, ""), attr.Expr)...)
		}
		for _, c := range []*hcl.BodyContent{q.expectC, q.notC} {
			if c == nil {
				continue
			}
			for _, attr := range c.Attributes {
				diags = append(diags, l.checkExpr(rules("An expect block", "expect"), attr.Expr)...)
			}
		}
		for _, c := range q.assertC {
			for _, attr := range c.Attributes {
				diags = append(diags, l.checkExpr(rules("An assert block", "assert"), attr.Expr)...)
			}
		}
	}
	return diags
}

// expandSession evaluates for_each and builds the instances of sb.
func (l *loader) expandSession(sb *sessionBlock) hcl.Diagnostics {
	if sb.forEach == nil {
		s, diags := l.instance(sb, cty.NilVal, cty.NilVal)
		sb.instances = []*Session{s}
		return diags
	}
	keys, values, diags := l.forEach(sb)
	if keys == nil {
		return diags
	}
	sb.keysKnown = true
	for i, k := range keys {
		each := cty.ObjectVal(map[string]cty.Value{"key": k, "value": values[i]})
		s, moreDiags := l.instance(sb, k, each)
		diags = append(diags, moreDiags...)
		sb.keys = append(sb.keys, k.AsString())
		sb.instances = append(sb.instances, s)
	}
	return diags
}

// forEach evaluates the for_each argument of sb into instance keys and
// each.value values, in key order. keys is nil when they are not known (an
// error is then reported, here or where a variable went wrong).
func (l *loader) forEach(sb *sessionBlock) (keys, values []cty.Value, diags hcl.Diagnostics) {
	expr := sb.forEach
	if l.bad[expr] {
		return nil, nil, nil
	}
	ctx := l.cfg.evalContext(cty.NilVal)
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return nil, nil, diags
	}
	invalid := func(detail string) hcl.Diagnostics {
		return append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Invalid for_each argument",
			Detail:      detail,
			Subject:     expr.Range().Ptr(),
			Expression:  expr,
			EvalContext: ctx,
		})
	}
	if isSensitive(val) {
		return nil, nil, withoutValues(invalid("Sensitive values, or values derived from sensitive variables, cannot be used as for_each arguments: the instance keys would show them in every report."))
	}
	val = unmark(val)
	if !val.IsWhollyKnown() {
		return nil, nil, diags // depends on a variable without a value, already reported
	}
	if val.IsNull() {
		return nil, nil, invalid("The for_each argument is null: it must be a map, an object or a set of strings.")
	}
	ty := val.Type()
	if (ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) && val.LengthInt() > MaxInstances {
		return nil, nil, invalid(fmt.Sprintf("The for_each argument has %s elements, but a session block may have at most %s instances.",
			commas(int64(val.LengthInt())), commas(MaxInstances)))
	}
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		keys, values = []cty.Value{}, []cty.Value{}
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			keys = append(keys, k)
			values = append(values, v)
		}
		return keys, values, diags
	case ty.IsSetType():
		if !ty.ElementType().Equals(cty.String) {
			return nil, nil, invalid(fmt.Sprintf("The for_each argument is a set of %s: a set must hold strings, which become the instance keys. Convert the elements with a for expression, like toset([for x in ... : tostring(x)]).", ty.ElementType().FriendlyName()))
		}
		keys = []cty.Value{}
		for it := val.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() {
				return nil, nil, invalid("The for_each set includes null, which cannot be an instance key.")
			}
			keys = append(keys, v)
		}
		return keys, keys, diags
	case ty.IsListType() || ty.IsTupleType():
		return nil, nil, invalid(fmt.Sprintf("The for_each argument is a %s, but it must be a map, an object or a set of strings: a list gives its instances no stable keys. Build a map with a for expression, like { for row in csvdecode(file(\"cases.csv\")) : row.id => row }, or use toset(...) for a list of strings.", ty.FriendlyName()))
	}
	return nil, nil, invalid(fmt.Sprintf("The for_each argument is a %s, but it must be a map, an object or a set of strings.", ty.FriendlyName()))
}

// instance builds one session instance: key and each are cty.NilVal
// without for_each.
func (l *loader) instance(sb *sessionBlock, key, each cty.Value) (*Session, hcl.Diagnostics) {
	s := &Session{
		Label:     sb.label,
		Key:       key,
		Address:   "session." + sb.label,
		Name:      sb.label,
		DeclRange: sb.block.DefRange,
		block:     sb,
		each:      each,
		secrets:   l.cfg.secrets,
	}
	where := ""
	if key != cty.NilVal {
		s.Address += "[" + quoteKey(key.AsString()) + "]"
		s.Name = sb.label + "[" + quoteKey(key.AsString()) + "]"
		where = s.Address
	}
	ctx := l.cfg.evalContext(each)
	es := &evalScope{ctx: ctx, bad: l.bad}
	content := sb.content

	var diags hcl.Diagnostics
	name, _, ok, moreDiags := es.textArg(content, "name", false)
	diags = append(diags, moreDiags...)
	if ok {
		s.Name = name
	}
	s.ClusterID, _, _, moreDiags = es.textArg(content, "cluster_id", true)
	diags = append(diags, moreDiags...)
	s.Database, _, _, moreDiags = es.textArg(content, "database", true)
	diags = append(diags, moreDiags...)
	for _, arg := range []string{"name", "cluster_id", "database"} {
		if attr, ok := content.Attributes[arg]; ok && !l.bad[attr.Expr] {
			if val, _ := attr.Expr.Value(ctx); isSensitive(val) || l.cfg.Sensitive(attr.Expr) {
				s.sensitive = append(s.sensitive, arg)
			}
		}
	}
	s.Labels, moreDiags = es.labelsArg(content)
	diags = append(diags, moreDiags...)
	mode, timeout := l.cfg.Chat2Query.Mode, l.cfg.Chat2Query.Timeout
	if m, ok, moreDiags := es.modeArg(content); ok {
		mode = m
	} else {
		diags = append(diags, moreDiags...)
	}
	if d, ok, moreDiags := es.durationArg(content, "timeout"); ok {
		timeout = d
	} else {
		diags = append(diags, moreDiags...)
	}

	for _, qb := range sb.questions {
		q, moreDiags := l.question(s, qb, ctx, mode, timeout, where)
		diags = append(diags, moreDiags...)
		s.Questions = append(s.Questions, q)
	}
	return s, diags
}

// question builds question qb of instance s; ctx is the instance's context.
func (l *loader) question(s *Session, qb *questionBlock, ctx *hcl.EvalContext, mode string, timeout time.Duration, where string) (*Question, hcl.Diagnostics) {
	q := &Question{
		Label:     qb.label,
		Address:   s.Address + ".question." + qb.label,
		Mode:      mode,
		Timeout:   timeout,
		Labels:    append([]string(nil), s.Labels...),
		DeclRange: qb.block.DefRange,
		session:   s,
		index:     qb.index,
	}
	// At load every answer is unknown: evaluating with unknowns still
	// catches type errors, and whatever does not depend on an answer is
	// checked in full.
	vars := make(map[string]cty.Value, len(ctx.Variables)+2)
	for k, v := range ctx.Variables {
		vars[k] = v
	}
	earlier := make(map[string]cty.Value, qb.index)
	for _, prev := range s.block.questions[:qb.index] {
		earlier[prev.label] = unknownAnswer
	}
	vars["question"] = cty.ObjectVal(earlier)
	vars["self"] = unknownAnswer
	qctx := newContext(vars, budgetOf(ctx))
	qctx.Functions = ctx.Functions
	qs := &evalScope{ctx: qctx, bad: l.bad}
	content := qb.content

	var diags hcl.Diagnostics
	if m, ok, moreDiags := qs.modeArg(content); ok {
		q.Mode = m
	} else {
		diags = append(diags, moreDiags...)
	}
	if d, ok, moreDiags := qs.durationArg(content, "timeout"); ok {
		q.Timeout = d
	} else {
		diags = append(diags, moreDiags...)
	}
	labels, moreDiags := qs.labelsArg(content)
	diags = append(diags, moreDiags...)
	q.Labels = appendNew(q.Labels, labels...)

	if attr, ok := content.Attributes["ask"]; ok {
		q.Ask = attr.Expr
		_, _, _, moreDiags := qs.textArg(content, "ask", true)
		diags = append(diags, moreDiags...)
	}

	if qb.expect != nil {
		e, moreDiags := l.expect(qs, qb, where)
		diags = append(diags, moreDiags...)
		q.Expect = e
	}

	for i, b := range qb.asserts {
		c := qb.assertC[i]
		a := &Assert{DeclRange: b.DefRange}
		if attr, ok := c.Attributes["condition"]; ok {
			a.Condition = attr.Expr
			val, moreDiags := qs.value(attr, cty.Bool)
			diags = append(diags, moreDiags...)
			if val.IsKnown() && val.IsNull() {
				diags = append(diags, &hcl.Diagnostic{
					Severity:    hcl.DiagError,
					Summary:     "Invalid condition result",
					Detail:      "The condition is null: it must be true or false.",
					Subject:     attr.Expr.Range().Ptr(),
					Expression:  attr.Expr,
					EvalContext: qs.ctx,
				})
			}
		}
		if attr, ok := c.Attributes["error_message"]; ok {
			a.ErrorMessage = attr.Expr
			_, moreDiags := qs.value(attr, cty.String)
			diags = append(diags, moreDiags...)
		}
		if a.Condition != nil && a.ErrorMessage != nil {
			q.Asserts = append(q.Asserts, a)
		}
	}
	return q, diags
}
