package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// VarEnvPrefix prefixes the environment variables that set input variables:
// C2Q_VAR_name sets var.name.
const VarEnvPrefix = "C2Q_VAR_"

// VarsFileSuffix is the suffix of the variables files that Load reads from
// the configuration directory: every *.auto.c2qvars file, in name order.
const VarsFileSuffix = ".auto.c2qvars"

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "type"},
		{Name: "default"},
		{Name: "sensitive"},
		{Name: "nullable"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "validation"},
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

	defaultRange *hcl.Range // the default's expression, nil without one
}

func decodeVariable(block *hcl.Block) (*variableDecl, hcl.Diagnostics) {
	decl := &variableDecl{Variable: &Variable{
		Name:      block.Labels[0],
		Type:      cty.DynamicPseudoType,
		Nullable:  true,
		DeclRange: block.DefRange,
	}}
	v := decl.Variable
	content, diags := labeledContent(block, "variable name", variableSchema)

	if attr, ok := content.Attributes["type"]; ok {
		ty, defaults, tyDiags := typeexpr.TypeConstraintWithDefaults(attr.Expr)
		diags = append(diags, tyDiags...)
		if !tyDiags.HasErrors() {
			v.Type, decl.defaults = ty, defaults
			decl.parseHCL = !ty.IsPrimitiveType()
		}
	}

	// Declarations are constants: the zero scope allows no references.
	constants := &evalScope{}
	desc, _, _, descDiags := constants.stringArg(content, "description", false)
	v.Description = desc
	diags = append(diags, descDiags...)
	for _, flag := range []struct {
		name string
		dst  *bool
	}{{"sensitive", &v.Sensitive}, {"nullable", &v.Nullable}} {
		if attr, ok := content.Attributes[flag.name]; ok {
			val, moreDiags := constants.value(attr, cty.Bool)
			diags = append(diags, moreDiags...)
			if val.IsKnown() && !val.IsNull() {
				*flag.dst = val.True()
			}
		}
	}
	for _, vb := range content.Blocks {
		vc, moreDiags := bodyContent(vb.Body, conditionSchema)
		diags = append(diags, moreDiags...)
		val := &Validation{DeclRange: vb.DefRange}
		if a, ok := vc.Attributes["condition"]; ok {
			val.Condition = a.Expr
		}
		if a, ok := vc.Attributes["error_message"]; ok {
			val.ErrorMessage = a.Expr
		}
		if val.Condition != nil && val.ErrorMessage != nil {
			v.Validations = append(v.Validations, val)
		}
	}

	if attr, ok := content.Attributes["default"]; ok {
		decl.defaultRange = attr.Expr.Range().Ptr()
		val, valDiags := attr.Expr.Value(constContext())
		diags = append(diags, valDiags...)
		switch {
		case valDiags.HasErrors():
			v.Default = cty.UnknownVal(v.Type)
		case val.IsNull() && !v.Nullable:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid default value for variable",
				Detail:   "A null default value is not valid when nullable = false.",
				Subject:  attr.Expr.Range().Ptr(),
			})
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
	return fastConvert(val, d.Type)
}

// parse turns a value given outside the configuration into the variable's
// value. source says where it came from, for diagnostics; the raw value is
// never repeated in them, since it may be a secret.
func (d *variableDecl) parse(raw, source string) (cty.Value, hcl.Diagnostics) {
	val := cty.StringVal(raw)
	if d.parseHCL {
		// The pseudo filename keeps HCL's ranges well-formed; the
		// diagnostics are rewrapped to point at the declaration instead.
		expr, diags := parseExpression([]byte(raw), fmt.Sprintf("<value for var.%s>", d.Name))
		if !diags.HasErrors() {
			guardExpression(expr)
			val, diags = expr.Value(constContext())
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

// VarArg is one -var or -var-file option.
type VarArg struct {
	// File is set for -var-file: Value is then the path of a variables
	// file, relative to the working directory. Otherwise Value is a -var
	// "name=value" assignment.
	File  bool
	Value string
}

// varSource is one place that assigns values to variables, in increasing
// precedence.
type varSource struct {
	desc   string // "given with -var", "in the environment variable C2Q_VAR_x", "in file x.c2qvars"
	raw    map[string]string
	exprs  map[string]*hcl.Attribute
	isFile bool
}

// assignValues sets the Value of every declared variable, by precedence
// default < C2Q_VAR_name < *.auto.c2qvars files (in name order) < -var-file
// and -var options (in command-line order), and reports values for
// variables that are not declared: an error for -var, a warning in a file.
func (cfg *Config) assignValues(decls []*variableDecl, opts LoadOptions, autoFiles []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	declared := make(map[string]*variableDecl, len(decls))
	names := make([]string, 0, len(decls))
	for _, d := range decls {
		declared[d.Name] = d
		names = append(names, d.Name)
	}

	var sources []*varSource
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	env := &varSource{raw: map[string]string{}}
	for _, d := range decls {
		if raw, ok := getenv(VarEnvPrefix + d.Name); ok {
			env.raw[d.Name] = raw
		}
	}
	sources = append(sources, env)
	for _, path := range autoFiles {
		src, moreDiags := cfg.readVarsFile(path)
		diags = append(diags, moreDiags...)
		if src != nil {
			sources = append(sources, src)
		}
	}
	args := append([]VarArg(nil), opts.VarArgs...)
	for _, v := range opts.Vars {
		args = append(args, VarArg{Value: v})
	}
	for _, arg := range args {
		if arg.File {
			src, moreDiags := cfg.readVarsFile(arg.Value)
			diags = append(diags, moreDiags...)
			if src != nil {
				sources = append(sources, src)
			}
			continue
		}
		name, raw, ok := strings.Cut(arg.Value, "=")
		switch {
		case !ok:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid -var option",
				Detail:   fmt.Sprintf("The -var option %q is not a variable name and a value separated by an equals sign, like -var \"name=value\".", arg.Value),
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
		if declared[name] == nil {
			hint := didYouMeanOr(name, names, fmt.Sprintf(" To use this value, declare it with a variable %q {} block.", name))
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("A value was given with -var for a variable named %q, but the configuration declares no variable of that name.%s", name, hint),
			})
			continue
		}
		sources = append(sources, &varSource{desc: "given with -var", raw: map[string]string{name: raw}})
	}

	for _, src := range sources {
		if !src.isFile {
			continue
		}
		for _, name := range sortedKeys(src.exprs) {
			if declared[name] != nil {
				continue
			}
			attr := src.exprs[name]
			hint := didYouMeanOr(name, names, fmt.Sprintf(" To use this value, declare it with a variable %q {} block.", name))
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("The file %s sets a variable named %q, but the configuration declares no variable of that name.%s", attr.NameRange.Filename, name, hint),
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}

	for _, d := range decls {
		var last *varSource
		for _, src := range sources {
			if _, ok := src.raw[d.Name]; ok {
				last = src
			}
			if _, ok := src.exprs[d.Name]; ok {
				last = src
			}
		}
		var moreDiags hcl.Diagnostics
		switch {
		case last == nil:
			d.Value = d.Default
		case last == env:
			d.Value, moreDiags = d.parse(env.raw[d.Name], "in the environment variable "+VarEnvPrefix+d.Name)
		case last.isFile:
			d.Value, moreDiags = d.fromFile(last.exprs[d.Name])
			if d.Sensitive {
				cfg.masks = append(cfg.masks, last.exprs[d.Name].Expr.Range())
			}
		default:
			d.Value, moreDiags = d.parse(last.raw[d.Name], last.desc)
		}
		diags = append(diags, moreDiags...)
		if d.Value == cty.NilVal {
			d.Value = cty.UnknownVal(d.Type)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail: fmt.Sprintf("The variable %q has no default, so it needs a value: set it with -var %s=..., in a -var-file or *%s file, or with the environment variable %s%s.",
					d.Name, d.Name, VarsFileSuffix, VarEnvPrefix, d.Name),
				Subject: d.DeclRange.Ptr(),
			})
			continue
		}
		if d.Value.IsKnown() && d.Value.IsNull() && !d.Nullable {
			if d.Default != cty.NilVal && !d.Default.IsNull() {
				d.Value = d.Default
				continue
			}
			d.Value = cty.UnknownVal(d.Type)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid value for input variable",
				Detail:   fmt.Sprintf("The value for var.%s is null, but the variable is declared with nullable = false and has no default.", d.Name),
				Subject:  d.DeclRange.Ptr(),
			})
		}
	}
	return diags
}

// readVarsFile parses a variables file: name = value lines, values being
// constant HCL expressions, as in a Terraform .tfvars file.
func (cfg *Config) readVarsFile(path string) (*varSource, hcl.Diagnostics) {
	src, err := cfg.readSource(path)
	var tl *errTooLarge
	switch {
	case errors.As(err, &tl) && tl.limit == MaxFileSize:
		return nil, hcl.Diagnostics{fileTooLarge("variables file", path, err)}
	case errors.As(err, &tl):
		return nil, hcl.Diagnostics{configTooLarge(path, tl.size)}
	}
	if err != nil {
		detail := fmt.Sprintf("The variables file %q could not be read: %s.", path, err)
		if errors.Is(err, fs.ErrNotExist) {
			detail = fmt.Sprintf("There is no variables file at %q.", path)
		}
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read variables file",
			Detail:   detail,
		}}
	}
	file, diags := parseConfig(src, path)
	if file == nil {
		return nil, diags
	}
	guardBody(file.Body)
	cfg.Files[path] = file
	if diags.HasErrors() {
		return nil, diags
	}
	attrs, moreDiags := file.Body.JustAttributes()
	diags = append(diags, moreDiags...)
	out := &varSource{desc: "in " + path, exprs: map[string]*hcl.Attribute{}, isFile: true}
	for name, attr := range attrs {
		out.exprs[name] = attr
		// Values are constants, checked here whether they win or not; the
		// winner's errors come again from fromFile, and are deduplicated.
		_, valDiags := attr.Expr.Value(constContext())
		diags = append(diags, valDiags...)
	}
	return out, diags
}

// fromFile evaluates a value from a variables file: a constant expression
// whatever the type, as in Terraform.
func (d *variableDecl) fromFile(attr *hcl.Attribute) (cty.Value, hcl.Diagnostics) {
	val, diags := attr.Expr.Value(constContext())
	if diags.HasErrors() {
		return cty.UnknownVal(d.Type), diags
	}
	conv, err := d.convert(val)
	if err != nil {
		return cty.UnknownVal(d.Type), hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for input variable",
			Detail:   fmt.Sprintf("The value for var.%s in %s is not suitable: %s.", d.Name, attr.NameRange.Filename, err),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return conv, nil
}

// validate checks the validation blocks of every variable whose value is
// known. Conditions and messages may refer to any input variable.
func (cfg *Config) validate(decls []*variableDecl, base *hcl.EvalContext) hcl.Diagnostics {
	var diags hcl.Diagnostics
	rules := &refRules{what: "A validation condition", vars: cfg.Variables}
	for _, d := range decls {
		for _, val := range d.Validations {
			refDiags := append(rules.check(val.Condition), rules.check(val.ErrorMessage)...)
			diags = append(diags, refDiags...)
			if refDiags.HasErrors() || !d.Value.IsWhollyKnown() {
				continue
			}
			diags = append(diags, d.check(val, base)...)
		}
	}
	return diags
}

func (d *variableDecl) check(val *Validation, ctx *hcl.EvalContext) hcl.Diagnostics {
	result, diags := val.Condition.Value(ctx)
	if diags.HasErrors() {
		return diags
	}
	if !result.IsWhollyKnown() {
		return diags // depends on a variable without a value, already reported
	}
	result = unmark(result)
	invalid := func(detail string) hcl.Diagnostics {
		return append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Invalid variable validation result",
			Detail:      detail,
			Subject:     val.Condition.Range().Ptr(),
			Expression:  val.Condition,
			EvalContext: ctx,
		})
	}
	if result.IsNull() {
		return invalid("The validation condition returned null: it must return true or false.")
	}
	b, err := convert.Convert(result, cty.Bool)
	if err != nil {
		return invalid(fmt.Sprintf("The validation condition must return true or false, not a %s.", result.Type().FriendlyName()))
	}
	if b.True() {
		return diags
	}
	msg, msgDiags := val.ErrorMessage.Value(ctx)
	diags = append(diags, msgDiags...)
	text := "(the error message could not be evaluated)"
	switch {
	case msgDiags.HasErrors() || !msg.IsWhollyKnown():
	case isSensitive(msg):
		text = "The error message included a sensitive value, so it will not be displayed."
	default:
		if s, err := convert.Convert(unmark(msg), cty.String); err == nil && !s.IsNull() {
			text = strings.TrimSpace(s.AsString())
		} else {
			diags = append(diags, &hcl.Diagnostic{
				Severity:    hcl.DiagError,
				Summary:     "Invalid error message",
				Detail:      "The error message of a validation must be a string.",
				Subject:     val.ErrorMessage.Range().Ptr(),
				Expression:  val.ErrorMessage,
				EvalContext: ctx,
			})
		}
	}
	return append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid value for variable",
		Detail: fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.",
			text, where(val.DeclRange)),
		Subject:     val.Condition.Range().Ptr(),
		Expression:  val.Condition,
		EvalContext: ctx,
	})
}
