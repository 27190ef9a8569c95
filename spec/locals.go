package spec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// decodeLocals reads every locals block, checks the references, finds
// cycles and evaluates the locals in dependency order into cfg.locals.
func (l *loader) decodeLocals(blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	var order []*Local
	for _, b := range blocks {
		attrs, moreDiags := b.Body.JustAttributes()
		diags = append(diags, moreDiags...)
		list := make([]*hcl.Attribute, 0, len(attrs))
		for _, a := range attrs {
			list = append(list, a)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Range.Start.Byte < list[j].Range.Start.Byte })
		for _, a := range list {
			if first, dup := l.cfg.Locals[a.Name]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate local value",
					Detail: fmt.Sprintf("A local value named %q was already defined at %s. Local value names must be unique within a configuration.",
						a.Name, where(first.DeclRange)),
					Subject: a.NameRange.Ptr(),
				})
				continue
			}
			loc := &Local{Name: a.Name, Expr: a.Expr, DeclRange: a.Range}
			l.cfg.Locals[a.Name] = loc
			order = append(order, loc)
		}
	}

	rules := l.rules("A local value")
	deps := make(map[string][]string, len(order))
	for _, loc := range order {
		diags = append(diags, l.checkExpr(rules, loc.Expr)...)
		for _, t := range loc.Expr.Variables() {
			if t.RootName() != "local" {
				continue
			}
			if name, _, ok := step(t, 1); ok && l.cfg.Locals[name] != nil {
				deps[loc.Name] = appendNew(deps[loc.Name], name)
			}
		}
	}

	// Depth-first, in declaration order: a local is evaluated after the
	// locals it refers to. A local on a cycle stays unknown, and so do the
	// locals that depend on it, silently.
	const (
		unvisited = iota
		visiting
		done
	)
	state := make(map[string]int, len(order))
	values := make(map[string]cty.Value, len(order))
	inCycle := map[string]bool{}
	var path []string
	var visit func(name string)
	visit = func(name string) {
		switch state[name] {
		case done:
			return
		case visiting:
			i := 0
			for path[i] != name {
				i++
			}
			cycle := append(append([]string(nil), path[i:]...), name)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cycle in local values",
				Detail:   fmt.Sprintf("%s: a local value cannot depend on itself.", describeCycle(cycle)),
				Subject:  l.cfg.Locals[cycle[0]].DeclRange.Ptr(),
			})
			for _, n := range cycle {
				inCycle[n] = true
			}
			return
		}
		state[name] = visiting
		path = append(path, name)
		for _, dep := range deps[name] {
			visit(dep)
		}
		path = path[:len(path)-1]
		state[name] = done
		loc := l.cfg.Locals[name]
		if inCycle[name] || l.bad[loc.Expr] {
			values[name] = cty.DynamicVal
			loc.Value = cty.DynamicVal
			return
		}
		// The local sees the locals it refers to: building the object of
		// all the locals for each of them would take quadratic time.
		seen := make(map[string]cty.Value, len(deps[name]))
		for _, dep := range deps[name] {
			if v, ok := values[dep]; ok {
				seen[dep] = v
			}
		}
		l.cfg.locals = cty.ObjectVal(seen)
		val, moreDiags := loc.Expr.Value(l.cfg.evalContext(cty.NilVal))
		diags = append(diags, moreDiags...)
		if moreDiags.HasErrors() {
			val = cty.DynamicVal
		}
		values[name] = val
		loc.Value = unmark(val)
	}
	for _, loc := range order {
		visit(loc.Name)
	}
	l.cfg.locals = cty.ObjectVal(values)
	return diags
}

// describeCycle writes a cycle a, b, a as "local.a refers to local.b,
// which refers to local.a".
func describeCycle(cycle []string) string {
	var b strings.Builder
	for i, n := range cycle {
		switch i {
		case 0:
		case 1:
			b.WriteString(" refers to ")
		default:
			b.WriteString(", which refers to ")
		}
		b.WriteString("local." + n)
	}
	if len(cycle) == 2 {
		return "local." + cycle[0] + " refers to itself"
	}
	return b.String()
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true},
		{Name: "description"},
		{Name: "sensitive"},
	},
}

// decodeOutputs reads the output blocks, checks their references and
// evaluates them with every answer unknown, which finds type errors and
// values that derive from sensitive variables.
func (l *loader) decodeOutputs(blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*Output{}
	rules := l.rules("An output")
	rules.outputs = true
	ctx := l.cfg.outputContext(func(*Session) *Scope { return nil })
	for _, b := range blocks {
		o := &Output{Name: b.Labels[0], DeclRange: b.DefRange}
		content, moreDiags := labeledContent(b, "output name", outputSchema)
		diags = append(diags, moreDiags...)
		constants := &evalScope{}
		o.Description, _, _, moreDiags = constants.stringArg(content, "description", false)
		diags = append(diags, moreDiags...)
		if attr, ok := content.Attributes["sensitive"]; ok {
			val, moreDiags := constants.value(attr, cty.Bool)
			diags = append(diags, moreDiags...)
			o.Sensitive = val.IsKnown() && !val.IsNull() && val.True()
		}
		if first, dup := seen[o.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate output",
				Detail: fmt.Sprintf("An output named %q was already declared at %s. Output names must be unique within a configuration.",
					o.Name, where(first.DeclRange)),
				Subject: b.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[o.Name] = o
		attr, ok := content.Attributes["value"]
		if !ok {
			continue
		}
		o.Expr = attr.Expr
		l.cfg.Outputs = append(l.cfg.Outputs, o)
		refDiags := l.checkExpr(rules, attr.Expr)
		diags = append(diags, refDiags...)
		if refDiags.HasErrors() {
			continue
		}
		val, moreDiags := attr.Expr.Value(ctx)
		diags = append(diags, moreDiags...)
		// By value, and by reference too: with the answers unknown, a
		// function such as try can drop the value's mark.
		if !moreDiags.HasErrors() && !o.Sensitive && (isSensitive(val) || l.cfg.Sensitive(attr.Expr)) {
			diags = append(diags, sensitiveOutput(o))
		}
	}
	return diags
}
