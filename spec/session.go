package spec

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
	},
}

// decodeChat2Query merges block, which may be nil, over the environment.
func decodeChat2Query(block *hcl.Block, s *scope, getenv func(string) (string, bool)) (Chat2Query, hcl.Diagnostics) {
	c := Chat2Query{Timeout: DefaultTimeout}
	c.URL, _ = getenv(EnvURL)
	c.PublicKey, _ = getenv(EnvPublicKey)
	c.PrivateKey, _ = getenv(EnvPrivateKey)
	if block == nil {
		return c, nil
	}
	c.DeclRange = block.DefRange

	content, diags := bodyContent(block.Body, chat2querySchema)
	for _, arg := range []struct {
		name string
		dst  *string
	}{{"url", &c.URL}, {"public_key", &c.PublicKey}, {"private_key", &c.PrivateKey}} {
		str, _, ok, moreDiags := s.stringArg(content, arg.name, false)
		if arg.name == "private_key" {
			moreDiags = withoutValues(moreDiags)
		}
		diags = append(diags, moreDiags...)
		if ok {
			*arg.dst = str
		}
	}
	d, ok, moreDiags := s.durationArg(content, "timeout")
	diags = append(diags, moreDiags...)
	if ok {
		c.Timeout = d
	}
	return c, diags
}

var sessionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "name"},
		{Name: "cluster_id", Required: true},
		{Name: "database", Required: true},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "question", LabelNames: []string{"label"}},
	},
}

func decodeSession(block *hcl.Block, s *scope, defaultTimeout time.Duration) (*Session, hcl.Diagnostics) {
	sess := &Session{
		Label:     block.Labels[0],
		Name:      block.Labels[0],
		DeclRange: block.DefRange,
	}
	diags := checkLabel(block, "session label")
	content, moreDiags := bodyContent(block.Body, sessionSchema)
	diags = append(diags, moreDiags...)

	name, _, ok, argDiags := s.textArg(content, "name", false, false)
	diags = append(diags, argDiags...)
	if ok {
		sess.Name = name
	}
	sess.ClusterID, _, _, argDiags = s.textArg(content, "cluster_id", true, false)
	diags = append(diags, argDiags...)
	sess.Database, _, _, argDiags = s.textArg(content, "database", true, false)
	diags = append(diags, argDiags...)

	seen := make(map[string]*Question)
	for _, qb := range content.Blocks {
		q, moreDiags := decodeQuestion(qb, s, defaultTimeout)
		diags = append(diags, moreDiags...)
		if first, dup := seen[q.Label]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate question",
				Detail: fmt.Sprintf("A question labeled %q was already declared in session %q at %s. Question labels must be unique within a session.",
					q.Label, sess.Label, where(first.DeclRange)),
				Subject: qb.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[q.Label] = q
		sess.Questions = append(sess.Questions, q)
	}
	// A question block with a wrong number of labels is already reported and
	// missing from content; counting it here avoids a second, false error.
	if !hasBlock(block.Body, "question", len(content.Blocks)) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Insufficient question blocks",
			Detail:   fmt.Sprintf("Session %q has no question. A session needs at least one question block: its questions are the turns of the conversation.", sess.Label),
			Subject:  block.DefRange.Ptr(),
		})
	}
	return sess, diags
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

var questionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "ask", Required: true},
		{Name: "mode"},
		{Name: "timeout"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "expect"},
	},
}

func decodeQuestion(block *hcl.Block, s *scope, defaultTimeout time.Duration) (*Question, hcl.Diagnostics) {
	q := &Question{
		Label:     block.Labels[0],
		Mode:      ModeDirect,
		Timeout:   defaultTimeout,
		DeclRange: block.DefRange,
	}
	diags := checkLabel(block, "question label")
	content, moreDiags := bodyContent(block.Body, questionSchema)
	diags = append(diags, moreDiags...)

	ask, askAttr, ok, moreDiags := s.textArg(content, "ask", true, true)
	diags = append(diags, moreDiags...)
	if ok {
		q.Ask, q.AskRange = ask, askAttr.Expr.Range()
	}

	mode, modeAttr, ok, moreDiags := s.stringArg(content, "mode", false)
	diags = append(diags, moreDiags...)
	if ok {
		if slices.Contains(Modes, mode) {
			q.Mode = mode
		} else {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid mode",
				Detail: fmt.Sprintf("The mode %q is not valid: it must be %q or %q.%s",
					mode, ModeDirect, ModeAutoBreakdown, didYouMean(strings.ToLower(mode), Modes)),
				Subject:     modeAttr.Expr.Range().Ptr(),
				Expression:  modeAttr.Expr,
				EvalContext: s.ctx,
			})
		}
	}

	timeout, ok, moreDiags := s.durationArg(content, "timeout")
	diags = append(diags, moreDiags...)
	if ok {
		q.Timeout = timeout
	}

	for _, eb := range content.Blocks {
		e, moreDiags := decodeExpect(eb, s)
		diags = append(diags, moreDiags...)
		if q.Expect != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate expect block",
				Detail: fmt.Sprintf("Only one expect block is allowed in a question. Another was defined at %s.",
					where(q.Expect.DeclRange)),
				Subject: eb.DefRange.Ptr(),
			})
			continue
		}
		q.Expect = e
	}
	return q, diags
}

var expectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "sql"},
	},
}

func decodeExpect(block *hcl.Block, s *scope) (*Expect, hcl.Diagnostics) {
	e := &Expect{DeclRange: block.DefRange}
	content, diags := bodyContent(block.Body, expectSchema)
	sql, attr, ok, moreDiags := s.textArg(content, "sql", false, true)
	diags = append(diags, moreDiags...)
	if ok {
		e.SQL, e.SQLRange = sql, attr.Expr.Range()
	}
	return e, diags
}
