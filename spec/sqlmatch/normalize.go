package sqlmatch

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// normalize rewrites stmt in place into its canonical shape where restore
// flags cannot: identifier case, COUNT(literal), LIMIT 0, n, singleton joins,
// redundant parentheses and derived tables' aliases (renameDerived, once
// names are lower case). Every rewrite keeps the statement's meaning; the
// tree it leaves is still a plain parser AST, so TiDB's own Restore can print
// it (see decorate for the printing-only changes).
func normalize(stmt ast.StmtNode) {
	n := &normalizer{}
	stmt.Accept(n)
	if n.derived { // most statements have none: spare them a walk
		renameDerived(stmt)
	}
}

// normalizer keeps the path from the root so that Leave knows the parent of
// a parenthesised expression: whether parentheses are redundant depends on
// where they stand.
type normalizer struct {
	stack   []ast.Node
	derived bool // a derived table was seen
}

func (v *normalizer) Enter(n ast.Node) (ast.Node, bool) {
	v.stack = append(v.stack, n)
	switch x := n.(type) {
	case *ast.ColumnName:
		// Identifiers are case-insensitive in TiDB: columns always, tables,
		// schemas and aliases too, because TiDB only supports
		// lower_case_table_names = 2 (compared in lower case).
		x.Name = lowerCI(x.Name)
		x.Table = lowerCI(x.Table)
		x.Schema = lowerCI(x.Schema)
	case *ast.TableName:
		x.Name = lowerCI(x.Name)
		x.Schema = lowerCI(x.Schema)
	case *ast.SelectField:
		// Column aliases are case-insensitive too, and ORDER BY Total refers to
		// AS total through a ColumnName, which is lowered above.
		x.AsName = lowerCI(x.AsName)
		if w := x.WildCard; w != nil { // t.*, which no visitor walks into
			w.Table = lowerCI(w.Table)
			w.Schema = lowerCI(w.Schema)
		}
	case *ast.TableSource:
		switch x.Source.(type) {
		case *ast.SelectStmt, *ast.SetOprStmt:
			v.derived = true
		}
		x.AsName = lowerCI(x.AsName)
		for i := range x.ColumnNames {
			x.ColumnNames[i] = lowerCI(x.ColumnNames[i])
		}
	case *ast.CommonTableExpression:
		x.Name = lowerCI(x.Name)
		for i := range x.ColNameList {
			x.ColNameList[i] = lowerCI(x.ColNameList[i])
		}
	case *ast.FuncCallExpr:
		// Function names are case-insensitive; built-ins print upper case
		// anyway, generic (user or unknown) ones print as written.
		x.FnName = lowerCI(x.FnName)
	case *ast.SelectStmt:
		if x.SelectStmtOpts != nil {
			x.SelectStmtOpts.ExplicitAll = false // SELECT ALL is SELECT
		}
	}
	return n, false
}

func (v *normalizer) Leave(n ast.Node) (ast.Node, bool) {
	v.stack = v.stack[:len(v.stack)-1]
	var parent ast.Node
	if len(v.stack) > 0 {
		parent = v.stack[len(v.stack)-1]
	}
	switch x := n.(type) {
	case *ast.ParenthesesExpr:
		// Children are done, so x.Expr is already normalised.
		if redundantParens(parent, x) {
			return x.Expr, true
		}
	case *ast.AggregateFuncExpr:
		if countsRows(x.F, x.Distinct, x.Args) {
			x.Args[0] = ast.NewValueExpr(1, "", "")
		}
	case *ast.WindowFuncExpr:
		if countsRows(x.Name, x.Distinct, x.Args) {
			x.Args[0] = ast.NewValueExpr(1, "", "")
		}
	case *ast.Limit:
		if isZeroLiteral(x.Offset) {
			x.Offset = nil // LIMIT 0, n is LIMIT n
		}
	case *ast.Join:
		// "a, b" parses as Join(Join(a), b): the inner one-table join is only
		// grouping. Dropping it makes a comma join the cross join it means.
		x.Left = unwrapSingleton(x.Left)
		if x.Right != nil {
			x.Right = unwrapSingleton(x.Right)
		}
	}
	return n, true
}

func lowerCI(s ast.CIStr) ast.CIStr {
	if s.O == s.L {
		return s
	}
	return ast.NewCIStr(s.L)
}

// countsRows reports whether a COUNT call counts every row: COUNT of a
// non-NULL literal, which is what COUNT(*) parses to (COUNT(1)).
func countsRows(name string, distinct bool, args []ast.ExprNode) bool {
	if distinct || len(args) != 1 || !strings.EqualFold(name, ast.AggFuncCount) {
		return false
	}
	v, ok := args[0].(ast.ValueExpr)
	return ok && v.GetValue() != nil // a ParamMarker has no value yet
}

func isZeroLiteral(e ast.ExprNode) bool {
	v, ok := e.(ast.ValueExpr)
	if !ok {
		return false
	}
	switch x := v.GetValue().(type) {
	case uint64:
		return x == 0
	case int64:
		return x == 0
	}
	return false
}

func unwrapSingleton(rs ast.ResultSetNode) ast.ResultSetNode {
	for {
		j, ok := rs.(*ast.Join)
		if !ok || j.Right != nil {
			return rs
		}
		rs = j.Left
	}
}

// redundantParens reports whether dropping p, which stands under parent,
// leaves a statement that parses back to the same tree.
func redundantParens(parent ast.Node, p *ast.ParenthesesExpr) bool {
	inner := p.Expr
	if _, ok := parent.(*ast.ByItem); ok {
		// ORDER BY 1 is a column position, ORDER BY (1) is a constant.
		if _, isValue := inner.(ast.ValueExpr); isValue {
			return false
		}
		return true
	}
	if isAtom(inner) {
		return true
	}
	me := ast.ExprNode(p)
	switch x := parent.(type) {
	case *ast.BinaryOperationExpr:
		in, ok := inner.(*ast.BinaryOperationExpr)
		if !ok {
			return false
		}
		outer, own := precedence(x.Op), precedence(in.Op)
		if outer == 0 || own == 0 {
			return false
		}
		if x.L == me {
			return own >= outer // operators are left-associative
		}
		return own > outer
	case *ast.ParenthesesExpr, *ast.SelectField, *ast.HavingClause, *ast.OnCondition,
		*ast.WhenClause, *ast.AggregateFuncExpr, *ast.WindowFuncExpr, *ast.Assignment:
		// Every expression child of these stands in a delimited slot.
		return true
	case *ast.SelectStmt:
		return x.Where == me
	case *ast.UpdateStmt:
		return x.Where == me
	case *ast.DeleteStmt:
		return x.Where == me
	case *ast.CaseExpr:
		return x.Value == me || x.ElseClause == me
	case *ast.PatternInExpr:
		return x.Expr != me // an IN-list item
	case *ast.FuncCallExpr:
		return plainArgs(x.FnName.L)
	case *ast.FuncCastExpr:
		return x.FunctionType == ast.CastFunction || x.FunctionType == ast.CastConvertFunction
	}
	return false
}

// isAtom reports whether e prints as one self-delimited token or call, so
// parentheses around it never group anything.
func isAtom(e ast.ExprNode) bool {
	switch x := e.(type) {
	case *ast.ColumnNameExpr, *ast.AggregateFuncExpr, *ast.WindowFuncExpr, *ast.CaseExpr,
		*ast.SubqueryExpr, *ast.ParenthesesExpr, *ast.DefaultExpr:
		return true
	case *ast.FuncCallExpr:
		return x.FnName.L != ast.JSONMemberOf // a MEMBER OF (b) is infix
	case *ast.FuncCastExpr:
		return x.FunctionType != ast.CastBinaryOperator // BINARY a is prefix
	case *ast.VariableExpr:
		return x.Value == nil // @a := 1 is an assignment
	case ast.ValueExpr:
		// A negative literal would print as "-1": not an atom next to an
		// operator (a - -1, or -(-1) becoming the comment --1).
		s, err := restore(x)
		return err == nil && !strings.HasPrefix(s, "-")
	}
	return false
}

// plainArgs reports whether a function's arguments print as a plain comma
// list; the others have keyword syntax (POSITION(a IN b), DATE_ADD(d,
// INTERVAL n DAY), TRIM(x FROM y) ...) where an argument may need its
// parentheses.
func plainArgs(fn string) bool {
	switch fn {
	case ast.Convert, ast.AddDate, ast.SubDate, ast.DateAdd, ast.DateSub, ast.Extract,
		ast.Position, ast.Trim, ast.WeightString, ast.DateLiteral, ast.TimeLiteral,
		ast.TimestampLiteral, ast.JSONMemberOf:
		return false
	}
	return true
}

// precedence is TiDB's grammar precedence of a binary operator (parser.y),
// higher binds tighter; 0 for an operator not handled here.
func precedence(op opcode.Op) int {
	switch op {
	case opcode.LogicOr:
		return 1
	case opcode.LogicXor:
		return 2
	case opcode.LogicAnd:
		return 3
	case opcode.EQ, opcode.NE, opcode.LT, opcode.LE, opcode.GT, opcode.GE, opcode.NullEQ:
		return 5
	case opcode.Or:
		return 6
	case opcode.And:
		return 7
	case opcode.LeftShift, opcode.RightShift:
		return 8
	case opcode.Plus, opcode.Minus:
		return 9
	case opcode.Mul, opcode.Div, opcode.Mod, opcode.IntDiv:
		return 10
	case opcode.Xor:
		return 11
	}
	return 0
}
