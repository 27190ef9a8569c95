package spec

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Limits on what one evaluation may produce: everything Load evaluates
// is one evaluation, and so is each expression evaluated during a run.
// Each function call is capped on its own (MaxElements, MaxStringSize), but
// for expressions and templates multiply: [for a in x : [for b in x : ...]]
// over a list of a thousand is a million elements, and a chain of locals
// each "${local.prev}${local.prev}" doubles a string at every step. The
// budget counts what for expressions iterate over and produce, what
// templates concatenate and what functions return, and stops the
// evaluation past it.
const (
	// MaxEvalElements is the most elements one evaluation may produce.
	MaxEvalElements = 1_000_000
	// MaxEvalBytes is the most bytes of strings one evaluation may
	// produce.
	MaxEvalBytes = 64 << 20
)

// evalBudget counts what an evaluation produced.
type evalBudget struct {
	elements, bytes atomic.Int64
	// reported is set once an error has said the budget is spent: later
	// guards make their values unknown without repeating it.
	reported atomic.Bool
}

// report reports whether the error of a spent budget is to be reported:
// only the first time.
func (b *evalBudget) report() bool {
	return b == nil || !b.reported.Swap(true)
}

// errBudget is the error of an evaluation over its budget.
type errBudget struct{ what string }

func (e *errBudget) Error() string { return e.what }

// charge adds elements and bytes to b, and fails once either is over its
// limit.
func (b *evalBudget) charge(elements, bytes int64) error {
	if b == nil {
		return nil
	}
	if n := b.elements.Add(elements); n > MaxEvalElements {
		return &errBudget{fmt.Sprintf("the expressions of this evaluation produce more than %s elements (of lists, sets, maps and objects), over the limit", commas(MaxEvalElements))}
	}
	if n := b.bytes.Add(bytes); n > MaxEvalBytes {
		return &errBudget{fmt.Sprintf("the expressions of this evaluation produce more than %s of strings, over the limit", byteSize(MaxEvalBytes))}
	}
	return nil
}

// chargeValue charges the elements and string bytes of v, counted in
// full: a list that holds the same big string twice counts it twice, as
// jsonencode or join would write it.
func (b *evalBudget) chargeValue(v cty.Value) error {
	if b == nil {
		return nil
	}
	left := MaxEvalElements - b.elements.Load() + 1
	elems, bytes := valueSize(v, left, MaxEvalBytes-b.bytes.Load()+1)
	return b.charge(elems, bytes)
}

// valueSize counts the elements and the bytes of the strings of v, deep,
// stopping once either count is over its max.
func valueSize(v cty.Value, maxElements, maxBytes int64) (elements, bytes int64) {
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if elements > maxElements || bytes > maxBytes {
			return
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			bytes += int64(len(v.AsString()))
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
			elements += int64(v.LengthInt())
			for it := v.ElementIterator(); it.Next() && elements <= maxElements && bytes <= maxBytes; {
				k, e := it.Element()
				if ty.IsMapType() || ty.IsObjectType() {
					k, _ = k.Unmark()
					bytes += int64(len(k.AsString()))
				}
				walk(e)
			}
		}
	}
	walk(v)
	return elements, bytes
}

// The budget of an evaluation is found from its context: contexts made by
// newContext are registered here, weakly, so that the guards in the syntax
// tree find the budget by walking up from the context they are given.
var budgets sync.Map // weak.Pointer[hcl.EvalContext] → *evalBudget

// newContext returns a context for an evaluation whose budget is b.
func newContext(vars map[string]cty.Value, b *evalBudget) *hcl.EvalContext {
	ctx := &hcl.EvalContext{Variables: vars}
	if b != nil {
		key := weak.Make(ctx)
		budgets.Store(key, b)
		runtime.AddCleanup(ctx, func(key weak.Pointer[hcl.EvalContext]) { budgets.Delete(key) }, key)
	}
	return ctx
}

// constContext is the context of constant expressions (variable defaults,
// variables files, -var values): no variables, no functions, and a budget.
func constContext() *hcl.EvalContext {
	return newContext(nil, &evalBudget{})
}

// budgetOf returns the budget of the evaluation ctx is part of, or nil.
// Only contexts without a parent are registered; the children that for
// expressions and functions make are not looked up, since a weak pointer
// to each new one would cost more than the evaluation.
func budgetOf(ctx *hcl.EvalContext) *evalBudget {
	if ctx == nil {
		return nil
	}
	for ctx.Parent() != nil {
		ctx = ctx.Parent()
	}
	if b, ok := budgets.Load(weak.Make(ctx)); ok {
		return b.(*evalBudget)
	}
	return nil
}

// fastConvert is convert.Convert, but for a tuple converted to a list or a
// set it first makes a list of the tuple when its elements are all of one
// type, as those of a for expression are. cty unifies the element types
// of a tuple by comparing each with every other: a tuple of 100,000
// strings would take minutes.
func fastConvert(v cty.Value, ty cty.Type) (cty.Value, error) {
	if ty.IsListType() || ty.IsSetType() {
		inner, marks := v.Unmark()
		if inner.Type().IsTupleType() && inner.IsKnown() && !inner.IsNull() {
			if ets := inner.Type().TupleElementTypes(); len(ets) > 1 && sameTypes(ets) {
				return convert.Convert(cty.ListVal(inner.AsValueSlice()).WithMarks(marks), ty)
			}
		}
	}
	return convert.Convert(v, ty)
}

// sameTypes reports whether tys are all the same type, and a known one.
func sameTypes(tys []cty.Type) bool {
	for _, ty := range tys {
		if ty == cty.DynamicPseudoType || !ty.Equals(tys[0]) {
			return false
		}
	}
	return true
}

// guardRole is what a guard checks.
type guardRole int

const (
	guardCollection guardRole = iota // a for expression's collection
	guardItem                        // a for expression's key or value
	guardPart                        // a part of a template
)

// guardExpr wraps an expression of the syntax tree to count what it
// produces. It is a ParenthesesExpr to the rest of hclsyntax: walks visit
// the wrapped expression, and Variables and ranges are its own.
type guardExpr struct {
	*hclsyntax.ParenthesesExpr
	role guardRole
}

func (g *guardExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	val, diags := g.Expression.Value(ctx)
	if diags.HasErrors() {
		return val, diags
	}
	v, _ := val.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return val, diags
	}
	var elements, bytes int64
	if ty := v.Type(); ty == cty.String {
		bytes = int64(len(v.AsString()))
	} else if v.CanIterateElements() {
		elements = int64(v.LengthInt())
	}
	if g.role == guardCollection && elements > MaxElements {
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Collection too large",
			Detail:      fmt.Sprintf("A for expression may iterate over at most %s elements; this collection has %s.", commas(MaxElements), commas(elements)),
			Subject:     g.Range().Ptr(),
			Expression:  g.Expression,
			EvalContext: ctx,
		})
	}
	if b := budgetOf(ctx); b.charge(elements, bytes) != nil {
		if !b.report() {
			return cty.DynamicVal, diags
		}
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Evaluation too large",
			Detail:   "Here " + b.charge(0, 0).Error() + ".",
			Subject:  g.Range().Ptr(),
		})
	}
	return val, diags
}

// guardBody wraps the expressions of body that multiply what an
// evaluation produces: the collection, key and value of every for
// expression, and the parts of templates that are not literal text.
func guardBody(body hcl.Body) {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	guardNode(b)
}

// guardExpression is guardBody for an expression.
func guardExpression(expr hclsyntax.Expression) {
	if expr != nil {
		guardNode(expr)
	}
}

func guardNode(root hclsyntax.Node) {
	var fors []*hclsyntax.ForExpr
	var templates []*hclsyntax.TemplateExpr
	hclsyntax.VisitAll(root, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.ForExpr:
			fors = append(fors, n)
		case *hclsyntax.TemplateExpr:
			templates = append(templates, n)
		}
		return nil
	})
	// Wrapped after the walk, which would otherwise meet its own guards.
	wrap := func(e hclsyntax.Expression, role guardRole) hclsyntax.Expression {
		if e == nil {
			return nil
		}
		if _, done := e.(*guardExpr); done {
			return e
		}
		return &guardExpr{&hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, role}
	}
	for _, f := range fors {
		f.CollExpr = wrap(f.CollExpr, guardCollection)
		f.KeyExpr = wrap(f.KeyExpr, guardItem)
		f.ValExpr = wrap(f.ValExpr, guardItem)
	}
	for _, t := range templates {
		for i, p := range t.Parts {
			if _, literal := p.(*hclsyntax.LiteralValueExpr); !literal {
				t.Parts[i] = wrap(p, guardPart)
			}
		}
	}
}
