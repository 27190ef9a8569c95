package spec

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// scope is what the expressions of one part of a configuration may refer to,
// with the EvalContext that gives those references their values. Expressions
// are checked against the scope before evaluation so that a bad reference
// gets one precise diagnostic instead of HCL's generic attribute errors.
//
// The zero scope allows no references at all: HCL then reports
// "Variables not allowed", as inside variable blocks.
type scope struct {
	vars map[string]*Variable
	ctx  *hcl.EvalContext
}

// newScope is the scope of chat2query and session blocks: input variables,
// as var.NAME.
func newScope(vars map[string]*Variable) *scope {
	values := make(map[string]cty.Value, len(vars))
	for name, v := range vars {
		values[name] = v.Value
	}
	return &scope{
		vars: vars,
		ctx: &hcl.EvalContext{
			Variables: map[string]cty.Value{"var": cty.ObjectVal(values)},
		},
	}
}

// roots lists the names an expression in s may start a reference with.
func (s *scope) roots() []string {
	if s.ctx == nil {
		return nil
	}
	return []string{"var"}
}

// checkReferences reports every reference in expr that s cannot resolve.
func (s *scope) checkReferences(expr hcl.Expression) hcl.Diagnostics {
	if s.ctx == nil {
		return nil // HCL's own "Variables not allowed" is the right message
	}
	var diags hcl.Diagnostics
	for _, t := range expr.Variables() {
		root := t.RootName()
		if root != "var" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown variable",
				Detail: fmt.Sprintf("There is no variable named %q.%s Expressions here can refer to input variables as var.NAME.",
					root, didYouMean(root, s.roots())),
				Subject: t.SourceRange().Ptr(),
			})
			continue
		}
		if len(t) < 2 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid reference",
				Detail:   `The "var" object cannot be accessed directly. Instead, access one of its attributes, like var.NAME.`,
				Subject:  t.SourceRange().Ptr(),
			})
			continue
		}
		attr, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid reference",
				Detail:   `The "var" object does not support this operation. Refer to an input variable as var.NAME.`,
				Subject:  t.SourceRange().Ptr(),
			})
			continue
		}
		if _, declared := s.vars[attr.Name]; !declared {
			hint := didYouMean(attr.Name, sortedKeys(s.vars))
			if hint == "" {
				hint = fmt.Sprintf(" It can be declared with a variable %q {} block.", attr.Name)
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Reference to undeclared input variable",
				Detail:   fmt.Sprintf("An input variable named %q has not been declared.%s", attr.Name, hint),
				Subject:  hcl.RangeBetween(t[0].SourceRange(), attr.SrcRange).Ptr(),
			})
		}
	}
	return diags
}

// value evaluates attr and converts the result to ty. On error the value is
// unknown: callers skip unknown values silently, since the error is already
// reported and a second diagnostic about the same argument would be noise.
func (s *scope) value(attr *hcl.Attribute, ty cty.Type) (cty.Value, hcl.Diagnostics) {
	diags := s.checkReferences(attr.Expr)
	if diags.HasErrors() {
		return cty.UnknownVal(ty), diags
	}
	val, valDiags := attr.Expr.Value(s.ctx)
	diags = append(diags, valDiags...)
	if valDiags.HasErrors() {
		return cty.UnknownVal(ty), diags
	}
	conv, err := convert.Convert(val, ty)
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
// absent, as in Terraform), unknown after an earlier error, or invalid.
func (s *scope) stringArg(content *hcl.BodyContent, name string, required bool) (str string, attr *hcl.Attribute, ok bool, diags hcl.Diagnostics) {
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
	return val.AsString(), attr, true, diags
}

// textArg is stringArg for arguments whose value must not be blank.
// Surrounding white space is removed when trim is set: heredocs end with a
// newline that is not part of a question or of SQL.
func (s *scope) textArg(content *hcl.BodyContent, name string, required, trim bool) (string, *hcl.Attribute, bool, hcl.Diagnostics) {
	str, attr, ok, diags := s.stringArg(content, name, required)
	if !ok {
		return "", attr, false, diags
	}
	if strings.TrimSpace(str) == "" {
		return "", attr, false, append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Empty value",
			Detail:      fmt.Sprintf("The argument %q must not be empty.", name),
			Subject:     attr.Expr.Range().Ptr(),
			Expression:  attr.Expr,
			EvalContext: s.ctx,
		})
	}
	if trim {
		str = strings.TrimSpace(str)
	}
	return str, attr, true, diags
}

// durationArg evaluates the argument name of content as a positive duration
// in Go's time.ParseDuration syntax ("90s", "2m", "1h30m").
func (s *scope) durationArg(content *hcl.BodyContent, name string) (time.Duration, bool, hcl.Diagnostics) {
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
