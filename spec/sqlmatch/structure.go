package sqlmatch

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// Structure is what Explain finds in a statement. Every text is canonical
// (the same printing as Canonical: back-quoted lower-case names, COUNT(*),
// derived tables' aliases _t1, _t2, ...). The clause fields describe the
// outermost SELECT only; subqueries are only counted. For a set operation
// (UNION, EXCEPT, INTERSECT) Kind names the first operator and only Tables,
// OrderBy, Limit, Offset, Subqueries and CTEs are filled: the per-branch
// fields are left out. For UPDATE and DELETE, Tables, Where, OrderBy, Limit,
// Subqueries and CTEs are filled; for any other statement Kind, Tables and
// Subqueries.
type Structure struct {
	// Kind is SELECT, UNION, EXCEPT, INTERSECT, INSERT, REPLACE, UPDATE,
	// DELETE, DDL, SHOW, EXPLAIN, SET, USE or OTHER.
	Kind string `json:"kind"`
	// Tables are the base tables read or written anywhere in the statement,
	// as Tables returns them (sorted, lower case, CTE names left out).
	Tables []string `json:"tables,omitempty"`
	// Columns are the select fields, each with its alias ("`a` AS `x`");
	// "*" for a wildcard.
	Columns []string `json:"columns,omitempty"`
	// Joins are the join steps of FROM in order, after its first operand.
	Joins []Join `json:"joins,omitempty"`
	// Where and Having are the top-level AND operands of their clause.
	Where   []string    `json:"where,omitempty"`
	GroupBy []string    `json:"group_by,omitempty"`
	Having  []string    `json:"having,omitempty"`
	OrderBy []OrderItem `json:"order_by,omitempty"`
	// Limit and Offset are nil when absent or not a constant; LIMIT 0, n
	// has no offset (it is LIMIT n).
	Limit  *uint64 `json:"limit,omitempty"`
	Offset *uint64 `json:"offset,omitempty"`
	// Aggregates are the aggregate calls of the select fields, HAVING and
	// ORDER BY of the outermost SELECT (not of its subqueries), in order of
	// appearance, without duplicates.
	Aggregates []string `json:"aggregates,omitempty"`
	// Subqueries counts every subquery and derived table anywhere in the
	// statement; CTE bodies are not counted (see CTEs).
	Subqueries int `json:"subqueries,omitempty"`
	// CTEs are the names of the outermost WITH clause, in order.
	CTEs     []string `json:"ctes,omitempty"`
	Distinct bool     `json:"distinct,omitempty"`
}

// Join is one join step: Type is JOIN, LEFT JOIN, RIGHT JOIN, NATURAL JOIN,
// NATURAL LEFT JOIN, NATURAL RIGHT JOIN or STRAIGHT_JOIN (INNER, CROSS and
// comma joins are all JOIN); Table is the right operand with its alias; On is
// the ON condition, or "USING (...)", or empty.
type Join struct {
	Type  string `json:"type"`
	Table string `json:"table"`
	On    string `json:"on,omitempty"`
}

// OrderItem is one ORDER BY item.
type OrderItem struct {
	Expr string `json:"expr"`
	Desc bool   `json:"desc,omitempty"`
}

// Explain parses a single statement and describes its outermost query; the
// statement is parsed once. Errors are those of Canonical's parse (a
// *ParseError) or a printing error.
func Explain(sql string) (*Structure, error) {
	var s *Structure
	err := withParsed(sql, func(stmt ast.StmtNode) error {
		normalize(stmt)
		s = &Structure{Kind: stmtKind(stmt)}
		// Everything found by walking the tree is found before decorate,
		// whose wrappers a second walk would undo.
		tc := &tableCollector{seen: map[string]bool{}}
		stmt.Accept(tc)
		s.Tables = sortedKeys(tc.seen)
		sc := &subqueryCounter{cte: map[ast.Node]bool{}}
		stmt.Accept(sc)
		s.Subqueries = sc.n
		var aggs []*ast.AggregateFuncExpr
		if sel, ok := stmt.(*ast.SelectStmt); ok && sel.Kind == ast.SelectStmtKindSelect {
			ac := &aggregateCollector{}
			if sel.Fields != nil {
				sel.Fields.Accept(ac)
			}
			if sel.Having != nil {
				sel.Having.Accept(ac)
			}
			if sel.OrderBy != nil {
				sel.OrderBy.Accept(ac)
			}
			aggs = ac.found
		}
		decorate(stmt)

		p := &printer{}
		switch x := stmt.(type) {
		case *ast.SelectStmt:
			explainSelect(p, s, x)
			for _, a := range aggs {
				s.Aggregates = appendUnique(s.Aggregates, p.text(a))
			}
		case *ast.SetOprStmt:
			s.CTEs = cteNames(x.With)
			s.OrderBy = orderItems(p, x.OrderBy)
			s.Limit, s.Offset = limitValues(x.Limit)
		case *ast.UpdateStmt:
			s.Where = p.texts(conjuncts(x.Where))
			s.OrderBy = orderItems(p, x.Order)
			s.Limit, s.Offset = limitValues(x.Limit)
			s.CTEs = cteNames(x.With)
		case *ast.DeleteStmt:
			s.Where = p.texts(conjuncts(x.Where))
			s.OrderBy = orderItems(p, x.Order)
			s.Limit, s.Offset = limitValues(x.Limit)
			s.CTEs = cteNames(x.With)
		}
		return p.err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ReadOnly reports whether CheckReadOnly accepts sql. The error is the
// *ParseError of text that does not parse (or holds no statement); a refused
// statement that parses is (false, nil). Callers that show why a statement
// is refused use CheckReadOnly.
func ReadOnly(sql string) (bool, error) {
	err := CheckReadOnly(sql)
	if err == nil {
		return true, nil
	}
	var re *RefusedError
	if errors.As(err, &re) {
		if re.Parse != nil {
			return false, re.Parse
		}
		return false, nil
	}
	return false, err
}

func stmtKind(stmt ast.StmtNode) string {
	switch x := stmt.(type) {
	case *ast.SelectStmt:
		return "SELECT"
	case *ast.SetOprStmt:
		if x.SelectList != nil && len(x.SelectList.Selects) > 1 {
			var op *ast.SetOprType
			switch s := x.SelectList.Selects[1].(type) {
			case *ast.SelectStmt:
				op = s.AfterSetOperator
			case *ast.SetOprSelectList:
				op = s.AfterSetOperator
			}
			if op != nil {
				kind, _, _ := strings.Cut(op.String(), " ")
				return kind
			}
		}
		return "UNION"
	case *ast.InsertStmt:
		if x.IsReplace {
			return "REPLACE"
		}
		return "INSERT"
	case *ast.UpdateStmt:
		return "UPDATE"
	case *ast.DeleteStmt:
		return "DELETE"
	case ast.DDLNode:
		return "DDL"
	case *ast.ShowStmt:
		return "SHOW"
	case *ast.ExplainStmt:
		return "EXPLAIN"
	case *ast.SetStmt:
		return "SET"
	case *ast.UseStmt:
		return "USE"
	}
	return "OTHER"
}

func explainSelect(p *printer, s *Structure, x *ast.SelectStmt) {
	s.CTEs = cteNames(x.With)
	s.Distinct = x.Distinct
	if x.Fields != nil {
		for _, f := range x.Fields.Fields {
			s.Columns = append(s.Columns, p.text(f))
		}
	}
	if x.From != nil {
		_, steps := fromSteps(x.From.TableRefs)
		for _, j := range steps {
			s.Joins = append(s.Joins, Join{Type: joinType(j), Table: p.operand(j.Right), On: p.joinCond(j)})
		}
	}
	s.Where = p.texts(conjuncts(x.Where))
	if x.GroupBy != nil {
		for _, it := range x.GroupBy.Items {
			s.GroupBy = append(s.GroupBy, p.text(it))
		}
	}
	if x.Having != nil {
		s.Having = p.texts(conjuncts(x.Having.Expr))
	}
	s.OrderBy = orderItems(p, x.OrderBy)
	s.Limit, s.Offset = limitValues(x.Limit)
}

// fromSteps flattens a FROM clause, printed or not yet decorated, into its
// first operand and its join steps (see flattenJoin).
func fromSteps(rs ast.ResultSetNode) (ast.ResultSetNode, []*ast.Join) {
	for {
		switch x := rs.(type) {
		case chainJoin:
			return flattenJoin(x.Join)
		case *ast.Join:
			if x.Right == nil {
				rs = x.Left
				continue
			}
			return flattenJoin(x)
		default:
			return rs, nil
		}
	}
}

// joinType is the keywords of a join as TiDB's Join.Restore writes them:
// "[NATURAL] [LEFT|RIGHT] JOIN|STRAIGHT_JOIN".
func joinType(j *ast.Join) string {
	var b strings.Builder
	if j.NaturalJoin {
		b.WriteString("NATURAL ")
	}
	switch j.Tp {
	case ast.LeftJoin:
		b.WriteString("LEFT ")
	case ast.RightJoin:
		b.WriteString("RIGHT ")
	}
	if j.StraightJoin {
		b.WriteString("STRAIGHT_JOIN")
	} else {
		b.WriteString("JOIN")
	}
	return b.String()
}

func cteNames(w *ast.WithClause) []string {
	if w == nil {
		return nil
	}
	var names []string
	for _, c := range w.CTEs {
		names = append(names, c.Name.L)
	}
	return names
}

func orderItems(p *printer, o *ast.OrderByClause) []OrderItem {
	if o == nil {
		return nil
	}
	var items []OrderItem
	for _, it := range o.Items {
		items = append(items, OrderItem{Expr: p.text(it.Expr), Desc: it.Desc})
	}
	return items
}

func limitValues(l *ast.Limit) (count, offset *uint64) {
	if l == nil {
		return nil, nil
	}
	return constUint(l.Count), constUint(l.Offset)
}

func constUint(e ast.ExprNode) *uint64 {
	v, ok := e.(ast.ValueExpr)
	if !ok {
		return nil
	}
	switch x := v.GetValue().(type) {
	case uint64:
		return &x
	case int64:
		if x >= 0 {
			u := uint64(x)
			return &u
		}
	}
	return nil
}

// conjuncts splits e into its top-level AND operands, looking through
// parentheses around a nested AND; nil for no expression.
func conjuncts(e ast.ExprNode) []ast.ExprNode {
	cs := flattenOp(e, opcode.LogicAnd, nil)
	for i, c := range cs {
		// Parentheses that grouped an operand under AND group nothing alone.
		for {
			p, ok := c.(*ast.ParenthesesExpr)
			if !ok {
				break
			}
			c = p.Expr
		}
		cs[i] = c
	}
	return cs
}

func flattenOp(e ast.ExprNode, op opcode.Op, out []ast.ExprNode) []ast.ExprNode {
	switch x := e.(type) {
	case nil:
		return out
	case *ast.BinaryOperationExpr:
		if x.Op == op {
			return flattenOp(x.R, op, flattenOp(x.L, op, out))
		}
	case *ast.ParenthesesExpr:
		if b, ok := x.Expr.(*ast.BinaryOperationExpr); ok && b.Op == op {
			return flattenOp(b, op, out)
		}
	}
	return append(out, e)
}

// printer restores nodes with the canonical flags and keeps the first error.
type printer struct {
	err error
}

func (p *printer) text(n ast.Node) string {
	s, err := restore(n)
	if p.err == nil {
		p.err = err
	}
	return s
}

func (p *printer) texts(es []ast.ExprNode) []string {
	var out []string
	for _, e := range es {
		out = append(out, p.text(e))
	}
	return out
}

// operand prints a join operand, a nested join in parentheses.
func (p *printer) operand(rs ast.ResultSetNode) string {
	var b strings.Builder
	if err := restoreJoinOperand(format.NewRestoreCtx(restoreFlags, &b), rs); err != nil && p.err == nil {
		p.err = fmt.Errorf("sqlmatch: cannot print statement: %w", err)
	}
	return b.String()
}

// joinCond prints the ON condition (without ON) or USING (...) of a step.
func (p *printer) joinCond(j *ast.Join) string {
	if j.On != nil {
		return p.text(j.On.Expr)
	}
	if len(j.Using) == 0 {
		return ""
	}
	cols := make([]string, len(j.Using))
	for i, c := range j.Using {
		cols[i] = p.text(c)
	}
	return "USING (" + strings.Join(cols, ",") + ")"
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// subqueryCounter counts subqueries and derived tables, not CTE bodies.
type subqueryCounter struct {
	n   int
	cte map[ast.Node]bool
}

func (c *subqueryCounter) Enter(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.CommonTableExpression:
		if x.Query != nil {
			c.cte[x.Query] = true
		}
	case *ast.SubqueryExpr:
		if !c.cte[x] {
			c.n++
		}
	case *ast.TableSource:
		switch x.Source.(type) {
		case *ast.SelectStmt, *ast.SetOprStmt:
			c.n++
		}
	}
	return n, false
}

func (c *subqueryCounter) Leave(n ast.Node) (ast.Node, bool) { return n, true }

// aggregateCollector finds aggregate calls outside subqueries.
type aggregateCollector struct {
	found []*ast.AggregateFuncExpr
}

func (c *aggregateCollector) Enter(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.SubqueryExpr:
		return n, true
	case *ast.AggregateFuncExpr:
		c.found = append(c.found, x)
	}
	return n, false
}

func (c *aggregateCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
