package spec

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// VarEnvPrefix prefixes the environment variables that set input variables:
// C2Q_VAR_name sets var.name.
const VarEnvPrefix = "C2Q_VAR_"

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "type"},
		{Name: "default"},
	},
}

// variableDecl is a Variable with what is needed to assign it a value from
// outside the configuration.
type variableDecl struct {
	*Variable
	defaults *typeexpr.Defaults // optional(...) attribute defaults of Type, or nil

	// parseHCL says whether -var and environment values are HCL expressions
	// rather than literal strings. As in Terraform, they are literals for
	// primitive types and when there is no type, so -var n=5 and -var s=abc
	// need no quoting, and expressions for collections, objects and any.
	parseHCL bool
}

func decodeVariable(block *hcl.Block) (*variableDecl, hcl.Diagnostics) {
	decl := &variableDecl{Variable: &Variable{
		Name:      block.Labels[0],
		Type:      cty.DynamicPseudoType,
		DeclRange: block.DefRange,
	}}
	v := decl.Variable
	diags := checkLabel(block, "variable name")

	content, moreDiags := bodyContent(block.Body, variableSchema)
	diags = append(diags, moreDiags...)

	if attr, ok := content.Attributes["type"]; ok {
		ty, defaults, tyDiags := typeexpr.TypeConstraintWithDefaults(attr.Expr)
		diags = append(diags, tyDiags...)
		if !tyDiags.HasErrors() {
			v.Type, decl.defaults = ty, defaults
			decl.parseHCL = !ty.IsPrimitiveType()
		}
	}

	// Declarations are constants: the zero scope allows no references.
	desc, _, _, descDiags := (&scope{}).stringArg(content, "description", false)
	v.Description = desc
	diags = append(diags, descDiags...)

	if attr, ok := content.Attributes["default"]; ok {
		val, valDiags := attr.Expr.Value(nil)
		diags = append(diags, valDiags...)
		switch {
		case valDiags.HasErrors():
			v.Default = cty.UnknownVal(v.Type)
		default:
			conv, err := decl.convert(val)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid default value for variable",
					Detail:   fmt.Sprintf("This default value is not compatible with the variable's type constraint: %s.", err),
					Subject:  attr.Expr.Range().Ptr(),
				})
				conv = cty.UnknownVal(v.Type)
			}
			v.Default = conv
		}
	}
	return decl, diags
}

func (d *variableDecl) convert(val cty.Value) (cty.Value, error) {
	if d.defaults != nil {
		val = d.defaults.Apply(val)
	}
	return convert.Convert(val, d.Type)
}

// parse turns a value given outside the configuration into the variable's
// value. source says where it came from, for diagnostics; the raw value is
// never repeated in them, since it may be a secret.
func (d *variableDecl) parse(raw, source string) (cty.Value, hcl.Diagnostics) {
	val := cty.StringVal(raw)
	if d.parseHCL {
		// The pseudo filename keeps HCL's ranges well-formed; the
		// diagnostics are rewrapped to point at the declaration instead.
		expr, diags := hclsyntax.ParseExpression([]byte(raw), fmt.Sprintf("<value for var.%s>", d.Name), hcl.InitialPos)
		if !diags.HasErrors() {
			val, diags = expr.Value(nil)
		}
		if diags.HasErrors() {
			return cty.UnknownVal(d.Type), hcl.Diagnostics{d.invalidValue(source, fmt.Sprintf(
				"values of type %s are written as HCL expressions, like [\"a\", \"b\"] or {key = \"value\"}, and this one is not valid: %s",
				typeexpr.TypeString(d.Type), firstError(diags)))}
		}
	}
	conv, err := d.convert(val)
	if err != nil {
		return cty.UnknownVal(d.Type), hcl.Diagnostics{d.invalidValue(source, err.Error())}
	}
	return conv, nil
}

func (d *variableDecl) invalidValue(source, problem string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid value for input variable",
		Detail:   fmt.Sprintf("The value for var.%s %s is not suitable: %s.", d.Name, source, problem),
		Subject:  d.DeclRange.Ptr(),
	}
}

// firstError renders the first error of diags in one line.
func firstError(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return strings.TrimSuffix(d.Summary+": "+d.Detail, ".")
		}
	}
	return "invalid expression"
}

// assignValues sets the Value of every declared variable, by precedence
// default < C2Q_VAR_name < -var, and reports -var options that do not
// assign a declared variable.
func assignValues(decls []*variableDecl, opts LoadOptions) hcl.Diagnostics {
	var diags hcl.Diagnostics

	cli := make(map[string]string) // name to the last value given
	var cliOrder []string
	for _, opt := range opts.Vars {
		name, raw, ok := strings.Cut(opt, "=")
		switch {
		case !ok:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid -var option",
				Detail:   fmt.Sprintf("The -var option %q is not a variable name and a value separated by an equals sign, like -var \"name=value\".", opt),
			})
			continue
		case name == "":
			// The option is not echoed: what follows "=" may be a secret.
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid -var option",
				Detail:   `A -var option has no variable name before its equals sign. Write it as -var "name=value".`,
			})
			continue
		}
		if _, seen := cli[name]; !seen {
			cliOrder = append(cliOrder, name)
		}
		cli[name] = raw
	}

	declared := make(map[string]bool, len(decls))
	names := make([]string, 0, len(decls))
	for _, d := range decls {
		declared[d.Name] = true
		names = append(names, d.Name)
	}
	for _, name := range cliOrder {
		if declared[name] {
			continue
		}
		hint := didYouMean(name, names)
		if hint == "" {
			hint = fmt.Sprintf(" To use this value, declare it with a variable %q {} block.", name)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value for undeclared variable",
			Detail:   fmt.Sprintf("A value was given with -var for a variable named %q, but the configuration declares no variable of that name.%s", name, hint),
		})
	}

	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	for _, d := range decls {
		if raw, ok := cli[d.Name]; ok {
			var moreDiags hcl.Diagnostics
			d.Value, moreDiags = d.parse(raw, "given with -var")
			diags = append(diags, moreDiags...)
			continue
		}
		if raw, ok := getenv(VarEnvPrefix + d.Name); ok {
			var moreDiags hcl.Diagnostics
			d.Value, moreDiags = d.parse(raw, "in the environment variable "+VarEnvPrefix+d.Name)
			diags = append(diags, moreDiags...)
			continue
		}
		if d.Default != cty.NilVal {
			d.Value = d.Default
			continue
		}
		d.Value = cty.UnknownVal(d.Type)
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No value for required variable",
			Detail: fmt.Sprintf("The variable %q has no default, so it needs a value: set it with -var %s=... or with the environment variable %s%s.",
				d.Name, d.Name, VarEnvPrefix, d.Name),
			Subject: d.DeclRange.Ptr(),
		})
	}
	return diags
}
