package spec

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// SQL comparison modes of expect.match.
const (
	MatchCanonical   = "canonical"
	MatchExact       = "exact"
	MatchFingerprint = "fingerprint"
	MatchComponents  = "components"
	// MatchResult is execution accuracy: the expected SQL is run and its
	// result compared with the answer's data.
	MatchResult = "result"
)

// Matches are the values of expect.match.
var Matches = []string{MatchCanonical, MatchExact, MatchFingerprint, MatchComponents, MatchResult}

// ExpectStatuses are the values of expect.status.
var ExpectStatuses = []string{"done", "failed"}

// Charts are the chart names Chat2Query is known to answer with
// (chart_options.chart_name); another name draws a warning, not an error.
var Charts = []string{"Table", "BarChart", "LineChart", "PieChart"}

// ExpectCheckTypes are the check arguments of an expect block, each one
// check, in the order they are reported, with the type its value converts
// to. Every one may also be written in the block's not block. rows and
// contains_rows are lists of rows, each a list of cells (matched by
// position) or an object (matched by column name).
var ExpectCheckTypes = []struct {
	Name string
	Type cty.Type
}{
	{"sql", cty.String},
	{"sql_any_of", cty.List(cty.String)},
	{"sql_contains", cty.List(cty.String)},
	{"sql_matches", cty.String},
	{"tables", cty.List(cty.String)},
	{"read_only", cty.Bool},
	{"order_by", cty.List(cty.String)},
	{"group_by", cty.List(cty.String)},
	{"limit", cty.Number},
	{"columns", cty.List(cty.String)},
	{"row_count", cty.Number},
	{"rows", cty.DynamicPseudoType},
	{"contains_rows", cty.DynamicPseudoType},
	{"clarified_task", cty.String},
	{"description", cty.String},
	{"chart", cty.String},
	{"max_duration", cty.String},
}

// expectModifiers say how the checks compare; they are not checks, so they
// cannot be negated.
var expectModifiers = []string{"match", "ordered", "tolerance", "status"}

// The not block's schema has the modifiers too, so that one written there
// gets an error that says where it belongs.
var expectSchema, notSchema = func() (*hcl.BodySchema, *hcl.BodySchema) {
	s := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "not"}}}
	for _, c := range ExpectCheckTypes {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: c.Name})
	}
	for _, m := range expectModifiers {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: m})
	}
	return s, &hcl.BodySchema{Attributes: s.Attributes}
}()

// Expect holds the typed checks on a question's answer.
type Expect struct {
	// SQL is the expected SQL, nil when the block has no sql argument: the
	// statement that match = "result" runs and whose ORDER BY makes row
	// order matter. It is also one of Checks.
	SQL hcl.Expression
	// Match is how SQL is compared: one of Matches, MatchCanonical when
	// the block does not say.
	Match string
	// Ordered (a bool) says whether row order matters; nil means it does
	// when the expected SQL has an ORDER BY.
	Ordered hcl.Expression
	// Tolerance is how far numbers may differ: a number (absolute) or an
	// object with abs and rel; nil means exactly.
	Tolerance hcl.Expression
	// Status is the job status the question expects, "" when the block
	// does not say: "failed" makes a failed job the expected outcome.
	Status string

	// Checks are the check arguments, those of the block in the order of
	// ExpectCheckTypes, then those of its not block likewise. They may
	// refer to self and are evaluated against the answer; Load has checked
	// their values where they do not depend on an answer.
	Checks []ExpectCheck

	DeclRange hcl.Range
}

// ExpectCheck is one check argument of an expect block.
type ExpectCheck struct {
	Name string   // as in ExpectCheckTypes
	Type cty.Type // what its value converts to
	Expr hcl.Expression
	// Not is set for an argument of the not block: the check passes when
	// the answer is not as described. For a list checked item by item
	// (sql_any_of, sql_contains, contains_rows) it means none of the items.
	Not bool
}

// Address is how reports name the check: "expect.rows", "expect.not.sql".
func (c ExpectCheck) Address() string {
	if c.Not {
		return "expect.not." + c.Name
	}
	return "expect." + c.Name
}

// decodeExpectStructure decodes an expect block and its not block.
func decodeExpectStructure(b *hcl.Block) (content, not *hcl.BodyContent, diags hcl.Diagnostics) {
	content, diags = bodyContent(b.Body, expectSchema)
	var first *hcl.Block
	for _, nb := range content.Blocks {
		c, moreDiags := bodyContent(nb.Body, notSchema)
		diags = append(diags, moreDiags...)
		for _, m := range expectModifiers {
			if attr, ok := c.Attributes[m]; ok {
				delete(c.Attributes, m)
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unsupported argument",
					Detail:   fmt.Sprintf("%s is not a check, so it cannot be negated: it says how the checks compare, and applies inside not too. Write it in the expect block.", m),
					Subject:  attr.NameRange.Ptr(),
				})
			}
		}
		if first != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate not block",
				Detail:   fmt.Sprintf("Only one not block is allowed in an expect block. Another was defined at %s; write every negated check in it.", where(first.DefRange)),
				Subject:  nb.DefRange.Ptr(),
			})
			continue
		}
		first, not = nb, c
	}
	return content, not, diags
}

// expect builds the expect block of qb, evaluating with qs.
func (l *loader) expect(qs *evalScope, qb *questionBlock, where string) (*Expect, hcl.Diagnostics) {
	e := &Expect{DeclRange: qb.expect.DefRange, Match: MatchCanonical}
	var diags hcl.Diagnostics
	if m, ok, moreDiags := qs.enumArg(qb.expectC, "match", Matches); ok {
		e.Match = m
	} else {
		diags = append(diags, moreDiags...)
	}
	if st, ok, moreDiags := qs.enumArg(qb.expectC, "status", ExpectStatuses); ok {
		e.Status = st
	} else {
		diags = append(diags, moreDiags...)
	}
	if attr, ok := qb.expectC.Attributes["ordered"]; ok {
		e.Ordered = attr.Expr
		_, moreDiags := qs.value(attr, cty.Bool)
		diags = append(diags, moreDiags...)
	}
	if attr, ok := qb.expectC.Attributes["tolerance"]; ok {
		e.Tolerance = attr.Expr
		val, moreDiags := qs.value(attr, cty.DynamicPseudoType)
		diags = append(diags, moreDiags...)
		if _, _, err := ToleranceValue(val); err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid tolerance",
				Detail:   err.Error(),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}

	for _, c := range []*hcl.BodyContent{qb.expectC, qb.notC} {
		if c == nil {
			continue
		}
		for _, ct := range ExpectCheckTypes {
			attr, ok := c.Attributes[ct.Name]
			if !ok {
				continue
			}
			check := ExpectCheck{Name: ct.Name, Type: ct.Type, Expr: attr.Expr, Not: c == qb.notC}
			e.Checks = append(e.Checks, check)
			if ct.Name == "sql" && !check.Not {
				e.SQL = attr.Expr
			}
			diags = append(diags, l.checkExpectArg(qs, check, attr, e.Match, where)...)
		}
	}

	has := func(names ...string) bool {
		return slices.ContainsFunc(e.Checks, func(c ExpectCheck) bool { return slices.Contains(names, c.Name) })
	}
	if e.Status == "failed" && len(e.Checks) > 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Checks that never run",
			Detail:   fmt.Sprintf("status = \"failed\" expects the job to fail, with no answer to check, so %s and the block's other checks are never evaluated.", e.Checks[0].Address()),
			Subject:  qb.expectC.Attributes["status"].Expr.Range().Ptr(),
		})
	}
	if e.Match == MatchResult && !has("sql", "sql_any_of") {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Nothing to run for match = \"result\"",
			Detail:   "match = \"result\" runs the expected SQL and compares its result with the answer's data, but this expect block has no sql or sql_any_of.",
			Subject:  qb.expectC.Attributes["match"].Expr.Range().Ptr(),
		})
	}
	if !has("rows", "contains_rows") && e.Match != MatchResult {
		for _, name := range []string{"ordered", "tolerance"} {
			if attr, ok := qb.expectC.Attributes[name]; ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Argument has no effect",
					Detail:   fmt.Sprintf("%s says how rows are compared, but this expect block compares none: it has no rows or contains_rows, and match is not \"result\".", name),
					Subject:  attr.NameRange.Ptr(),
				})
			}
		}
	}
	return e, diags
}

// checkExpectArg checks the value of one check argument as far as it is
// known at load.
func (l *loader) checkExpectArg(qs *evalScope, c ExpectCheck, attr *hcl.Attribute, match, where string) hcl.Diagnostics {
	if c.Name == "sql" {
		sql, _, ok, diags := qs.textArg(&hcl.BodyContent{Attributes: hcl.Attributes{"sql": attr}}, "sql", false)
		if ok {
			if d := l.expectedSQL(attr.Expr, sql, match, where); d != nil {
				diags = append(diags, d)
			}
		}
		return diags
	}
	val, diags := qs.value(attr, c.Type)
	if diags.HasErrors() || !val.IsWhollyKnown() || val.IsNull() {
		return diags
	}
	val = unmark(val)
	bad := func(summary, format string, args ...any) hcl.Diagnostics {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   fmt.Sprintf(format, args...),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	switch c.Name {
	case "sql_any_of":
		sqls := stringList(val)
		if len(sqls) == 0 {
			return bad("Empty value", "sql_any_of must list at least one statement.")
		}
		elems := listElements(attr.Expr, len(sqls))
		for i, sql := range sqls {
			if d := l.expectedSQL(elems[i], sql, match, where); d != nil {
				diags = append(diags, d)
			}
		}
	case "sql_matches", "clarified_task", "description":
		if _, err := regexp.Compile(val.AsString()); err != nil {
			return bad("Invalid regular expression", "%s is not a valid regular expression (RE2 syntax): %s.", c.Name, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	case "order_by", "group_by":
		parse := func(items []string) error { _, err := sqlmatch.Exprs(items); return err }
		if c.Name == "order_by" {
			parse = func(items []string) error { _, err := sqlmatch.OrderBy(items); return err }
		}
		if err := parse(stringList(val)); err != nil {
			msg := err.Error()
			var pe *sqlmatch.ParseError
			if errors.As(err, &pe) {
				// "item 2 "a, b": …": the item is quoted, so its position is noise.
				msg = strings.SplitN(msg, ": ", 2)[0] + ": " + pe.Msg
			}
			return bad("Invalid "+strings.ReplaceAll(c.Name, "_", " ")+" item", "TiDB's parser cannot read %s %s.", c.Name, msg)
		}
	case "limit", "row_count":
		if _, err := WholeNumber(val); err != nil {
			return bad("Invalid "+strings.ReplaceAll(c.Name, "_", " "), "%s %s.", c.Name, err)
		}
	case "rows", "contains_rows":
		if err := RowsShape(val); err != nil {
			return bad("Invalid rows", "In %s, %s.", c.Name, err)
		}
	case "chart":
		name := val.AsString()
		for _, known := range Charts {
			if strings.EqualFold(name, known) {
				return diags
			}
		}
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Unknown chart",
			Detail:   fmt.Sprintf("Chat2Query is not known to answer with a %q chart; the ones seen are %s.%s", name, strings.Join(Charts, ", "), didYouMean(name, Charts)),
			Subject:  attr.Expr.Range().Ptr(),
		})
	case "max_duration":
		if d, err := time.ParseDuration(val.AsString()); err != nil || d <= 0 {
			return bad("Invalid duration", "%q is not a valid duration. Write a number followed by a unit (ms, s, m or h), like \"90s\" or \"2m\".", val.AsString())
		}
	}
	return diags
}

// expectedSQL parses an expected statement, hiding its text near the error
// when it is sensitive. Under match = "result" it is run, so it must only
// read: found now, that costs no request.
func (l *loader) expectedSQL(expr hcl.Expression, sql, match, where string) *hcl.Diagnostic {
	d := l.checkSQL(expr, sql, where, "Invalid expected SQL", "this SQL")
	if d != nil && d.Summary == "Invalid expected SQL" && l.cfg.Sensitive(expr) {
		// The position is enough; the text near it may be secret.
		d.Detail = "TiDB's parser cannot read this SQL, which includes a sensitive value."
	}
	if d == nil && match == MatchResult {
		// The guard that verify runs it behind (sqlmatch.CheckReadOnly).
		var refused *sqlmatch.RefusedError
		if err := sqlmatch.CheckReadOnly(sql); errors.As(err, &refused) && refused.Parse == nil {
			detail := "match = \"result\" runs the expected SQL, so it must be one statement that only reads (SELECT, WITH, SHOW, DESCRIBE or EXPLAIN)"
			if !l.cfg.Sensitive(expr) {
				detail += ": " + refused.Error()
			}
			d = &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Expected SQL that writes",
				Detail:   detail + ".",
				Subject:  expr.Range().Ptr(),
			}
		}
	}
	return d
}

// listElements returns the element expressions of a list written as a
// literal with n elements, so that an error points at the element; else
// expr for each.
func listElements(expr hcl.Expression, n int) []hcl.Expression {
	out := make([]hcl.Expression, n)
	t, ok := unwrapParens(expr).(*hclsyntax.TupleConsExpr)
	for i := range out {
		out[i] = expr
		if ok && len(t.Exprs) == n {
			out[i] = t.Exprs[i]
		}
	}
	return out
}

// stringList returns the strings of a known list of strings; null items
// are skipped.
func stringList(v cty.Value) []string {
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, s := it.Element()
		if !s.IsNull() {
			out = append(out, s.AsString())
		}
	}
	return out
}

// WholeNumber returns v, a known number, as an int64 when it is a whole
// number that is not negative.
func WholeNumber(v cty.Value) (int64, error) {
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if acc != big.Exact || n < 0 {
		return 0, fmt.Errorf("must be a whole number, zero or more, not %s", bf.Text('g', -1))
	}
	return n, nil
}

// ToleranceValue reads expect.tolerance: a number is an absolute
// tolerance; an object may set abs and rel. Both are zero or more. A null
// or unknown value is no tolerance.
func ToleranceValue(v cty.Value) (abs, rel float64, err error) {
	v = unmark(v)
	if v.IsNull() || !v.IsWhollyKnown() {
		return 0, 0, nil
	}
	num := func(v cty.Value, what string) (float64, error) {
		if v.IsNull() || v.Type() != cty.Number {
			return 0, fmt.Errorf("%s must be a number", what)
		}
		f, _ := v.AsBigFloat().Float64()
		if f < 0 {
			return 0, fmt.Errorf("%s must be zero or more, not %g", what, f)
		}
		return f, nil
	}
	ty := v.Type()
	switch {
	case ty == cty.Number:
		abs, err = num(v, "The tolerance")
		return abs, 0, err
	case ty.IsObjectType() || ty.IsMapType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			switch k.AsString() {
			case "abs":
				abs, err = num(e, "abs")
			case "rel":
				rel, err = num(e, "rel")
			default:
				err = fmt.Errorf("the tolerance object takes abs and rel, not %q.%s", k.AsString(), didYouMean(k.AsString(), []string{"abs", "rel"}))
			}
			if err != nil {
				return 0, 0, err
			}
		}
		return abs, rel, nil
	}
	return 0, 0, fmt.Errorf("The tolerance is a %s; write a number (an absolute tolerance, like 0.01) or an object like { abs = 0.01, rel = 1e-6 }", ty.FriendlyName())
}

// RowsShape checks a known value of rows or contains_rows: a list of rows,
// all lists of cells or all objects of cells, each cell a string, number,
// bool or null.
func RowsShape(v cty.Value) error {
	ty := v.Type()
	if !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
		return fmt.Errorf("must be a list of rows, not a %s", ty.FriendlyName())
	}
	named := -1
	var columns []string // of the first row, when rows are objects
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, row := it.Element()
		rt := row.Type()
		var isNamed int
		switch {
		case row.IsNull():
			return fmt.Errorf("row %d is null", i+1)
		case rt.IsObjectType() || rt.IsMapType():
			isNamed = 1
		case rt.IsListType() || rt.IsTupleType():
			isNamed = 0
		default:
			return fmt.Errorf("row %d is a %s; write each row as a list of cells, like [\"AAPL\", 3000], or an object of columns, like { symbol = \"AAPL\" }", i+1, rt.FriendlyName())
		}
		if named >= 0 && isNamed != named {
			return fmt.Errorf("row %d is written differently from row 1: write every row as a list of cells, or every row as an object", i+1)
		}
		named = isNamed
		if isNamed == 1 {
			var cols []string
			for cit := row.ElementIterator(); cit.Next(); {
				k, _ := cit.Element()
				cols = append(cols, k.AsString())
			}
			if columns == nil {
				columns = cols
			} else if !slices.Equal(cols, columns) {
				return fmt.Errorf("row %d has the columns %s, but row 1 has %s: every row must name the same columns", i+1, strings.Join(cols, ", "), strings.Join(columns, ", "))
			}
		}
		for cit := row.ElementIterator(); cit.Next(); {
			k, cell := cit.Element()
			if ct := cell.Type(); !cell.IsNull() && !ct.IsPrimitiveType() {
				where := fmt.Sprintf("cell %s", k.GoString())
				if k.Type() == cty.String {
					where = fmt.Sprintf("column %q", k.AsString())
				} else {
					n, _ := k.AsBigFloat().Int64()
					where = fmt.Sprintf("cell %d", n+1)
				}
				return fmt.Errorf("row %d, %s is a %s; a cell must be a string, a number, a bool or null", i+1, where, ct.FriendlyName())
			}
		}
	}
	return nil
}
