package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// evalScope evaluates the arguments of one block, or of one instance of a
// session block, at load. References were checked before (once per block):
// expressions in bad had errors and are not evaluated, so that an error is
// reported once rather than once per instance.
//
// The zero evalScope allows no references at all: HCL then reports
// "Variables not allowed", as inside variable blocks.
type evalScope struct {
	ctx *hcl.EvalContext
	bad map[hcl.Expression]bool
}

// value evaluates attr and converts the result to ty. On error the value is
// unknown: callers skip unknown values silently, since the error is already
// reported and a second diagnostic about the same argument would be noise.
// The value keeps its sensitivity marks.
func (s *evalScope) value(attr *hcl.Attribute, ty cty.Type) (cty.Value, hcl.Diagnostics) {
	if s.bad[attr.Expr] {
		return cty.UnknownVal(ty), nil
	}
	val, diags := attr.Expr.Value(s.ctx)
	if diags.HasErrors() {
		return cty.UnknownVal(ty), diags
	}
	conv, err := fastConvert(val, ty)
	if err != nil {
		return cty.UnknownVal(ty), append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Incorrect attribute value type",
			Detail:      fmt.Sprintf("Inappropriate value for attribute %q: %s.", attr.Name, err),
			Subject:     attr.Expr.Range().Ptr(),
			Expression:  attr.Expr,
			EvalContext: s.ctx,
		})
	}
	return conv, diags
}

// stringArg evaluates the argument name of content as a string. ok is false
// when there is no usable value: the argument is absent, null (which means
// absent, as in Terraform), unknown, or invalid.
func (s *evalScope) stringArg(content *hcl.BodyContent, name string, required bool) (str string, attr *hcl.Attribute, ok bool, diags hcl.Diagnostics) {
	attr, exists := content.Attributes[name]
	if !exists {
		return "", nil, false, nil // a required argument is reported missing by the schema
	}
	val, diags := s.value(attr, cty.String)
	switch {
	case !val.IsKnown():
		return "", attr, false, diags
	case val.IsNull():
		if required {
			diags = append(diags, &hcl.Diagnostic{
				Severity:    hcl.DiagError,
				Summary:     "Missing required argument",
				Detail:      fmt.Sprintf("The argument %q is required, but its value is null.", name),
				Subject:     attr.Expr.Range().Ptr(),
				Expression:  attr.Expr,
				EvalContext: s.ctx,
			})
		}
		return "", attr, false, diags
	}
	return unmark(val).AsString(), attr, true, diags
}

// textArg is stringArg for arguments whose value must not be blank.
func (s *evalScope) textArg(content *hcl.BodyContent, name string, required bool) (string, *hcl.Attribute, bool, hcl.Diagnostics) {
	str, attr, ok, diags := s.stringArg(content, name, required)
	if !ok {
		return "", attr, false, diags
	}
	if strings.TrimSpace(str) == "" {
		return "", attr, false, append(diags, emptyValue(attr, s.ctx))
	}
	return str, attr, true, diags
}

func emptyValue(attr *hcl.Attribute, ctx *hcl.EvalContext) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity:    hcl.DiagError,
		Summary:     "Empty value",
		Detail:      fmt.Sprintf("The argument %q must not be empty.", attr.Name),
		Subject:     attr.Expr.Range().Ptr(),
		Expression:  attr.Expr,
		EvalContext: ctx,
	}
}

// durationArg evaluates the argument name of content as a positive duration
// in Go's time.ParseDuration syntax ("90s", "2m", "1h30m").
func (s *evalScope) durationArg(content *hcl.BodyContent, name string) (time.Duration, bool, hcl.Diagnostics) {
	str, attr, ok, diags := s.stringArg(content, name, false)
	if !ok {
		return 0, false, diags
	}
	d, err := time.ParseDuration(str)
	var detail string
	switch {
	case err != nil:
		detail = fmt.Sprintf("%q is not a valid duration. Write a number followed by a unit (ms, s, m or h), like \"90s\" or \"2m\".", str)
	case d <= 0:
		detail = fmt.Sprintf("The %s must be greater than zero, not %q.", name, str)
	default:
		return d, true, diags
	}
	return 0, false, append(diags, &hcl.Diagnostic{
		Severity:    hcl.DiagError,
		Summary:     "Invalid duration",
		Detail:      detail,
		Subject:     attr.Expr.Range().Ptr(),
		Expression:  attr.Expr,
		EvalContext: s.ctx,
	})
}

// modeArg evaluates the argument "mode" of content as a question mode.
func (s *evalScope) modeArg(content *hcl.BodyContent) (string, bool, hcl.Diagnostics) {
	return s.enumArg(content, "mode", Modes)
}

// enumArg evaluates the argument name of content as one of allowed, with a
// suggestion when it is not.
func (s *evalScope) enumArg(content *hcl.BodyContent, name string, allowed []string) (string, bool, hcl.Diagnostics) {
	str, attr, ok, diags := s.stringArg(content, name, false)
	if !ok {
		return "", false, diags
	}
	if slices.Contains(allowed, str) {
		return str, true, diags
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	return "", false, append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + strings.ReplaceAll(name, "_", " "),
		Detail: fmt.Sprintf("The %s %q is not valid: it must be %s.%s",
			name, str, strings.Join(quoted, " or "), didYouMean(strings.ToLower(str), allowed)),
		Subject:     attr.Expr.Range().Ptr(),
		Expression:  attr.Expr,
		EvalContext: s.ctx,
	})
}

// labelsArg evaluates the argument "labels" of content as a list of
// non-empty strings; duplicates are dropped.
func (s *evalScope) labelsArg(content *hcl.BodyContent) ([]string, hcl.Diagnostics) {
	attr, ok := content.Attributes["labels"]
	if !ok {
		return nil, nil
	}
	val, diags := s.value(attr, cty.List(cty.String))
	val = unmark(val)
	if !val.IsWhollyKnown() || val.IsNull() {
		return nil, diags
	}
	var labels []string
	for it := val.ElementIterator(); it.Next(); {
		_, v := it.Element()
		if v.IsNull() || strings.TrimSpace(v.AsString()) == "" {
			return nil, append(diags, &hcl.Diagnostic{
				Severity:    hcl.DiagError,
				Summary:     "Invalid label",
				Detail:      "Labels must be non-empty strings.",
				Subject:     attr.Expr.Range().Ptr(),
				Expression:  attr.Expr,
				EvalContext: s.ctx,
			})
		}
		labels = appendNew(labels, v.AsString())
	}
	return labels, diags
}

// appendNew appends the items of more that list does not have yet.
func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		found := false
		for _, l := range list {
			found = found || l == m
		}
		if !found {
			list = append(list, m)
		}
	}
	return list
}

// withoutValues drops the expression and context from diags, so that a
// diagnostic about a secret argument cannot render the secret as the value
// of a variable it references.
func withoutValues(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		d.Expression = nil
		d.EvalContext = nil
	}
	return diags
}
