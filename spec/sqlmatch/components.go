package sqlmatch

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// Components compares a (expected) and b (actual) clause by clause, in the
// manner of Spider's exact-set match, and goes further where the meaning
// allows; the package comment lists what it equates. diffs name each clause
// that differs, in clause order, e.g. "LIMIT 5 → 10" or "WHERE: missing
// `sector` = 'Energy'; extra `sector` = 'Utilities'" ("missing" is in a
// only, "extra" in b only). Simple names are printed without back quotes. An
// error means one of the statements is not a single valid statement; the
// error names which.
func Components(a, b string) (equal bool, diffs []string, err error) {
	ds, err := componentDiffs(a, b)
	if err != nil {
		return false, nil, err
	}
	for _, d := range ds {
		diffs = append(diffs, d.long)
	}
	return len(ds) == 0, diffs, nil
}

// Summary is a one-line account of what changed from a to b, the diffs of
// Components joined by "; ", with a direction-only ORDER BY change shortened
// to "ORDER BY market_cap DESC → ASC". It is "" when the components are
// equal.
func Summary(a, b string) (string, error) {
	ds, err := componentDiffs(a, b)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.short
	}
	return strings.Join(parts, "; "), nil
}

type diff struct{ long, short string }

func componentDiffs(a, b string) ([]diff, error) {
	sa, sb, err := both(a, b, shapeOf)
	if err != nil {
		return nil, err
	}
	return compareShapes(sa, sb), nil
}

// clauseKind says how a clause's values compare.
type clauseKind int

const (
	scalarClause clauseKind = iota // one value or none
	listClause                     // ordered
	setClause                      // order and duplicates ignored
	bagClause                      // order ignored, duplicates count
)

type clause struct {
	name string
	kind clauseKind
	vals []string
}

// shape is the clauses of a statement in a fixed order; two statements of
// the same kind have clauses of the same names in the same order.
type shape []clause

func shapeOf(sql string) (shape, error) {
	var sh shape
	err := withParsed(sql, func(stmt ast.StmtNode) error {
		normalize(stmt)
		renameTables(stmt)
		stmt.Accept(&commuter{})
		decorate(stmt)
		p := &printer{}
		sh = buildShape(p, stmt)
		return p.err
	})
	return sh, err
}

func buildShape(p *printer, stmt ast.StmtNode) shape {
	kind := stmtKind(stmt)
	sh := shape{{name: "statement", kind: scalarClause, vals: []string{kind}}}
	x, ok := stmt.(*ast.SelectStmt)
	if !ok || x.Kind != ast.SelectStmtKindSelect {
		return append(sh, clause{name: "statement text", kind: scalarClause, vals: []string{p.text(stmt)}})
	}
	var with []string
	if x.With != nil {
		if x.With.IsRecursive {
			with = append(with, "RECURSIVE")
		}
		for _, c := range x.With.CTEs {
			with = append(with, p.text(c))
		}
	}
	var distinct []string
	if x.Distinct {
		distinct = []string{"DISTINCT"}
	}
	var fields []string
	if x.Fields != nil {
		for _, f := range x.Fields.Fields {
			fc := *f
			fc.AsName = ast.CIStr{}
			fields = append(fields, p.text(&fc))
		}
	}
	from, fromKind, on := fromClause(p, x.From)
	where := append(on, p.texts(conjuncts(x.Where))...)
	whereName := "WHERE"
	if len(on) > 0 {
		whereName = "ON/WHERE"
	}
	var group, having, window, order []string
	if x.GroupBy != nil {
		for _, it := range x.GroupBy.Items {
			group = append(group, p.text(it))
		}
		if x.GroupBy.Rollup {
			group = append(group, "WITH ROLLUP")
		}
	}
	if x.Having != nil {
		having = p.texts(conjuncts(x.Having.Expr))
	}
	for _, w := range x.WindowSpecs {
		window = append(window, p.text(&w))
	}
	if x.OrderBy != nil {
		for _, it := range x.OrderBy.Items {
			dir := " ASC"
			if it.Desc {
				dir = " DESC"
			}
			order = append(order, p.text(it.Expr)+dir)
		}
	}
	var limit, offset []string
	if x.Limit != nil {
		limit = []string{p.text(x.Limit.Count)}
		if x.Limit.Offset != nil {
			offset = []string{p.text(x.Limit.Offset)}
		}
	}
	return append(sh,
		clause{"WITH", listClause, with},
		clause{"options", setClause, selectOptions(p, x)},
		clause{"DISTINCT", scalarClause, distinct},
		clause{"SELECT", bagClause, fields},
		clause{"FROM", fromKind, from},
		clause{whereName, setClause, where},
		clause{"GROUP BY", setClause, group},
		clause{"HAVING", setClause, having},
		clause{"WINDOW", listClause, window},
		clause{"ORDER BY", listClause, order},
		clause{"LIMIT", scalarClause, limit},
		clause{"OFFSET", scalarClause, offset},
	)
}

// fromClause describes FROM. When every join is an inner join (JOIN, INNER,
// CROSS, comma) without USING, NATURAL, STRAIGHT_JOIN or LATERAL, it is the
// bag of operands and the ON conjuncts, which join WHERE. Otherwise it is the
// ordered chain of joins, ON conditions included.
func fromClause(p *printer, from *ast.TableRefsClause) (vals []string, kind clauseKind, on []string) {
	if from == nil {
		return nil, bagClause, nil
	}
	first, steps := fromSteps(from.TableRefs)
	inner := !isLateral(first)
	for _, s := range steps {
		if s.Tp != ast.CrossJoin || s.NaturalJoin || s.StraightJoin || len(s.Using) > 0 || isLateral(s.Right) {
			inner = false
		}
	}
	if inner {
		vals = append(vals, p.operand(first))
		for _, s := range steps {
			vals = append(vals, p.operand(s.Right))
			if s.On != nil {
				on = append(on, p.texts(conjuncts(s.On.Expr))...)
			}
		}
		return vals, bagClause, on
	}
	vals = append(vals, p.operand(first))
	for _, s := range steps {
		v := joinType(s) + " " + p.operand(s.Right)
		if c := p.joinCond(s); c != "" {
			if s.On != nil {
				c = "ON " + c
			}
			v += " " + c
		}
		vals = append(vals, v)
	}
	return vals, listClause, nil
}

func isLateral(rs ast.ResultSetNode) bool {
	ts, ok := rs.(*ast.TableSource)
	return ok && ts.Lateral
}

// selectOptions lists the select options, hints, locking and INTO that are
// set: they are compared, not interpreted.
func selectOptions(p *printer, x *ast.SelectStmt) []string {
	var out []string
	if o := x.SelectStmtOpts; o != nil {
		for _, f := range []struct {
			on   bool
			name string
		}{
			{o.SQLBigResult, "SQL_BIG_RESULT"}, {o.SQLBufferResult, "SQL_BUFFER_RESULT"},
			{!o.SQLCache, "SQL_NO_CACHE"}, {o.SQLSmallResult, "SQL_SMALL_RESULT"},
			{o.CalcFoundRows, "SQL_CALC_FOUND_ROWS"}, {o.StraightJoin, "STRAIGHT_JOIN"},
			{o.Priority != mysql.NoPriority, mysql.Priority2Str[o.Priority]},
		} {
			if f.on {
				out = append(out, f.name)
			}
		}
		for _, h := range o.TableHints {
			out = append(out, "/*+ "+p.text(h)+" */")
		}
	}
	for _, h := range x.TableHints {
		out = append(out, "/*+ "+p.text(h)+" */")
	}
	if x.LockInfo != nil && x.LockInfo.LockType != ast.SelectLockNone {
		out = append(out, x.LockInfo.LockType.String())
	}
	if x.SelectIntoOpt != nil {
		out = append(out, p.text(x.SelectIntoOpt))
	}
	return out
}

func compareShapes(a, b shape) []diff {
	if a[0].vals[0] != b[0].vals[0] {
		d := "statement: " + a[0].vals[0] + " → " + b[0].vals[0]
		return []diff{{d, d}}
	}
	var out []diff
	for i := 1; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		name := ca.name
		if cb.name != name {
			name = "ON/WHERE" // the only clause whose name varies
		}
		if ca.kind != cb.kind {
			// FROM: a chain with outer joins against inner joins only.
			d := name + " " + clauseText(ca) + " → " + clauseText(cb)
			out = append(out, diff{d, d})
			continue
		}
		if d, ok := compareClause(name, ca.kind, ca.vals, cb.vals); !ok {
			out = append(out, d)
		}
	}
	return out
}

func compareClause(name string, kind clauseKind, a, b []string) (diff, bool) {
	switch kind {
	case setClause, bagClause:
		if kind == setClause {
			a, b = uniqueSorted(a), uniqueSorted(b)
		} else {
			a, b = sortedCopy(a), sortedCopy(b)
		}
		missing, extra := bagMinus(a, b), bagMinus(b, a)
		if len(missing) == 0 && len(extra) == 0 {
			return diff{}, true
		}
		var parts []string
		if len(missing) > 0 {
			parts = append(parts, "missing "+display(strings.Join(missing, ", ")))
		}
		if len(extra) > 0 {
			parts = append(parts, "extra "+display(strings.Join(extra, ", ")))
		}
		d := name + ": " + strings.Join(parts, "; ")
		return diff{d, d}, false
	}
	if slices.Equal(a, b) {
		return diff{}, true
	}
	sep := " "
	if kind == listClause && name != "ORDER BY" {
		sep = ": "
	}
	join := ", "
	if name == "FROM" {
		join = " "
	}
	long := name + sep + listText(a, join) + " → " + listText(b, join)
	short := long
	if name == "ORDER BY" && len(a) == 1 && len(b) == 1 {
		ea, da := cutDirection(a[0])
		eb, db := cutDirection(b[0])
		if ea == eb {
			short = name + " " + display(ea) + " " + da + " → " + db
		}
	}
	return diff{long, short}, false
}

func listText(vals []string, sep string) string {
	if len(vals) == 0 {
		return "(none)"
	}
	return display(strings.Join(vals, sep))
}

// clauseText prints a FROM clause: a join chain, or the bag of operands.
func clauseText(c clause) string {
	if c.kind == listClause {
		return listText(c.vals, " ")
	}
	return listText(c.vals, ", ")
}

func cutDirection(item string) (expr, dir string) {
	i := strings.LastIndexByte(item, ' ')
	return item[:i], item[i+1:]
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func uniqueSorted(s []string) []string {
	return slices.Compact(sortedCopy(s))
}

// bagMinus is a - b for sorted multisets.
func bagMinus(a, b []string) []string {
	var out []string
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}

var simpleName = regexp.MustCompile("`([a-z_][a-z0-9_$]*)`")

// display drops the back quotes around simple lower-case names, for a
// readable diff; the comparison itself is on the quoted text.
func display(s string) string {
	return simpleName.ReplaceAllString(s, "$1")
}

// renameTables makes table references independent of alias names: every
// table alias becomes the table's name, or "name#k" (k counts from 1 in
// order of appearance) when the table appears more than once; qualifiers and
// t.* follow. Derived tables already have their positional aliases
// (renameDerived, run by normalize). A reference name used by two table
// sources (the same alias in different scopes) is left alone, and so is one
// whose new name would clash with it. When the whole statement has a single
// table source, a base table, column qualifiers are dropped.
func renameTables(stmt ast.StmtNode) {
	c := &sourceCollector{}
	stmt.Accept(c)
	tableCount, refCount := map[string]int{}, map[string]int{}
	for _, ts := range c.sources {
		if tn, ok := ts.Source.(*ast.TableName); ok {
			tableCount[tableKey(tn)]++
		}
		refCount[refName(ts)]++
	}
	rename := map[string]string{}
	seen := map[string]int{}
	for _, ts := range c.sources {
		tn, ok := ts.Source.(*ast.TableName)
		if !ok {
			continue
		}
		key := tableKey(tn)
		seen[key]++
		name := tn.Name.L
		if tableCount[key] > 1 {
			name += "#" + strconv.Itoa(seen[key])
		}
		ref := refName(ts)
		if refCount[ref] != 1 || refCount[name] > 1 {
			continue
		}
		rename[ref] = name
		if name == tn.Name.L {
			ts.AsName = ast.CIStr{}
		} else {
			ts.AsName = ast.NewCIStr(name)
		}
	}
	strip := ""
	if len(c.sources) == 1 {
		if _, ok := c.sources[0].Source.(*ast.TableName); ok {
			strip = refName(c.sources[0])
		}
	}
	stmt.Accept(&qualifierRenamer{rename: rename, strip: strip})
}

func tableKey(tn *ast.TableName) string {
	if tn.Schema.L != "" {
		return tn.Schema.L + "." + tn.Name.L
	}
	return tn.Name.L
}

// refName is the name a table source is referred to by.
func refName(ts *ast.TableSource) string {
	if ts.AsName.L != "" {
		return ts.AsName.L
	}
	if tn, ok := ts.Source.(*ast.TableName); ok {
		return tn.Name.L
	}
	return ""
}

type sourceCollector struct{ sources []*ast.TableSource }

func (c *sourceCollector) Enter(n ast.Node) (ast.Node, bool) {
	if ts, ok := n.(*ast.TableSource); ok {
		switch ts.Source.(type) {
		case *ast.TableName, *ast.SelectStmt, *ast.SetOprStmt:
			c.sources = append(c.sources, ts)
		}
	}
	return n, false
}

func (c *sourceCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }

type qualifierRenamer struct {
	rename map[string]string
	strip  string
}

func (r *qualifierRenamer) qualifier(schema, table *ast.CIStr) {
	if schema.L != "" || table.L == "" {
		return
	}
	if n, ok := r.rename[table.L]; ok {
		*table = ast.NewCIStr(n)
	}
	if table.L == r.strip {
		*table = ast.CIStr{}
	}
}

func (r *qualifierRenamer) Enter(n ast.Node) (ast.Node, bool) {
	columnQualifiers(n, r.qualifier)
	return n, false
}

// columnQualifiers calls f with the qualifier of n when n is a column reference:
// a column, t.* or DEFAULT(t.x), the last two of which no visitor walks
// into.
func columnQualifiers(n ast.Node, f func(schema, table *ast.CIStr)) {
	switch x := n.(type) {
	case *ast.ColumnName:
		f(&x.Schema, &x.Table)
	case *ast.SelectField:
		if w := x.WildCard; w != nil {
			f(&w.Schema, &w.Table)
		}
	case *ast.DefaultExpr:
		if x.Name != nil {
			f(&x.Name.Schema, &x.Name.Table)
		}
	}
}

func (r *qualifierRenamer) Leave(n ast.Node) (ast.Node, bool) { return n, true }

// commuter puts commutative operands in a fixed order, bottom-up: the
// operands of a chain of AND (or of OR) are sorted by their text and
// duplicates dropped; an IN list is sorted and deduplicated, and a
// one-item IN list becomes = (NOT IN, !=); a comparison gets a literal on
// the right, else its operands in text order (flipping < and >).
type commuter struct {
	p     printer
	stack []ast.Node
}

func (c *commuter) Enter(n ast.Node) (ast.Node, bool) {
	c.stack = append(c.stack, n)
	return n, false
}

func (c *commuter) Leave(n ast.Node) (ast.Node, bool) {
	c.stack = c.stack[:len(c.stack)-1]
	switch x := n.(type) {
	case *ast.BinaryOperationExpr:
		switch x.Op {
		case opcode.LogicAnd, opcode.LogicOr:
			// Only the top of a chain is sorted, once: sorting every link
			// would print the chain's operands quadratically often.
			if len(c.stack) > 0 {
				if parent, ok := c.stack[len(c.stack)-1].(*ast.BinaryOperationExpr); ok && parent.Op == x.Op {
					break
				}
			}
			return c.sortChain(x), true
		default:
			c.orient(x)
		}
	case *ast.PatternInExpr:
		if x.Sel != nil || len(x.List) == 0 {
			break
		}
		x.List = c.sortUnique(x.List)
		if len(x.List) == 1 && !isBinary(x.Expr) && !isBinary(x.List[0]) {
			op := opcode.EQ
			if x.Not {
				op = opcode.NE
			}
			b := &ast.BinaryOperationExpr{Op: op, L: x.Expr, R: x.List[0]}
			c.orient(b)
			return b, true
		}
	}
	return n, true
}

func isBinary(e ast.ExprNode) bool {
	_, ok := e.(*ast.BinaryOperationExpr)
	return ok
}

func (c *commuter) sortUnique(es []ast.ExprNode) []ast.ExprNode {
	type keyed struct {
		key string
		e   ast.ExprNode
	}
	ks := make([]keyed, len(es))
	for i, e := range es {
		ks[i] = keyed{c.p.text(e), e}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := make([]ast.ExprNode, 0, len(ks))
	for i, k := range ks {
		if i > 0 && k.key == ks[i-1].key {
			continue
		}
		out = append(out, k.e)
	}
	return out
}

func (c *commuter) sortChain(x *ast.BinaryOperationExpr) ast.ExprNode {
	ops := c.sortUnique(flattenOp(x, x.Op, nil))
	acc := ops[0]
	for _, e := range ops[1:] {
		acc = &ast.BinaryOperationExpr{Op: x.Op, L: acc, R: e}
	}
	return acc
}

var flipped = map[opcode.Op]opcode.Op{
	opcode.EQ: opcode.EQ, opcode.NE: opcode.NE, opcode.NullEQ: opcode.NullEQ,
	opcode.LT: opcode.GT, opcode.GT: opcode.LT, opcode.LE: opcode.GE, opcode.GE: opcode.LE,
}

func (c *commuter) orient(x *ast.BinaryOperationExpr) {
	f, ok := flipped[x.Op]
	if !ok || isBinary(x.L) || isBinary(x.R) {
		return
	}
	_, litL := x.L.(ast.ValueExpr)
	_, litR := x.R.(ast.ValueExpr)
	swap := litL && !litR
	if litL == litR {
		swap = c.p.text(x.L) > c.p.text(x.R)
	}
	if swap {
		x.L, x.R, x.Op = x.R, x.L, f
	}
}
