package sqlmatch

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	"github.com/pingcap/tidb/pkg/parser/mysql"
)

// decorate swaps a few normalised nodes for wrappers that print differently
// from TiDB's Restore, where no flag gives the wanted text:
//
//   - COUNT(1) prints as COUNT(*), what users write;
//   - a join chain prints without TiDB's parentheses around every left
//     operand: "a JOIN b ON x JOIN c ON y", not "(a JOIN b ON x) JOIN c ON y";
//   - a string with a line break or other control character prints it as an
//     escape (\n), so the canonical form stays on one line.
//
// It runs after normalize, only for printing: walking the tree again would
// unwrap the wrappers.
func decorate(stmt ast.StmtNode) {
	stmt.Accept(decorator{})
}

type decorator struct{}

func (decorator) Enter(n ast.Node) (ast.Node, bool) { return n, false }

func (decorator) Leave(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.AggregateFuncExpr:
		if countsRows(x.F, x.Distinct, x.Args) {
			x.Args[0] = countStar{x.Args[0].(ast.ValueExpr)}
		}
	case *ast.WindowFuncExpr:
		if countsRows(x.Name, x.Distinct, x.Args) {
			x.Args[0] = countStar{x.Args[0].(ast.ValueExpr)}
		}
	case *ast.SelectStmt:
		if x.From != nil {
			chainFrom(x.From)
		}
	case ast.ValueExpr:
		if s, ok := x.GetValue().(string); ok && strings.IndexFunc(s, needsEscape) >= 0 {
			return escapedString{x}, true
		}
	}
	return n, true
}

// chainFrom makes the FROM clause print through restoreChain. The clause's
// root is a *ast.Join whose Restore is TiDB's; with no right operand it just
// prints its left one, so the chain goes there.
func chainFrom(from *ast.TableRefsClause) {
	root := from.TableRefs
	if root.Right != nil {
		from.TableRefs = &ast.Join{Left: chainJoin{root}}
		return
	}
	if j, ok := root.Left.(*ast.Join); ok && j.Right != nil {
		root.Left = chainJoin{j}
	}
}

// countStar prints a row-counting COUNT argument as *.
type countStar struct{ ast.ValueExpr }

func (countStar) Restore(ctx *format.RestoreCtx) error {
	ctx.WritePlain("*")
	return nil
}

// chainJoin prints a join tree as a flat chain; see restoreChain.
type chainJoin struct{ *ast.Join }

func (c chainJoin) Restore(ctx *format.RestoreCtx) error {
	base, steps := flattenJoin(c.Join)
	if err := restoreJoinOperand(ctx, base); err != nil {
		return err
	}
	for _, s := range steps {
		ctx.WritePlain(" ")
		if err := restoreJoinStep(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// flattenJoin splits a left-deep join tree into its first operand and the
// joins applied to it in order. TiDB's grammar is left-associative even for a
// join without ON ("a JOIN b JOIN c ON x" is "(a JOIN b) JOIN c ON x"), so
// the chain mostly needs no parentheses to parse back to the same tree. The
// exception is a parenthesised join on the right without ON or USING:
// "a JOIN (b JOIN c) JOIN d" reads as "((a JOIN b) JOIN c) JOIN d", so such a
// step ends the chain and everything up to it becomes a parenthesised first
// operand.
func flattenJoin(j *ast.Join) (ast.ResultSetNode, []*ast.Join) {
	var steps []*ast.Join
	var rs ast.ResultSetNode = j
	for {
		cur, ok := rs.(*ast.Join)
		if !ok {
			break
		}
		if cur.Right == nil {
			rs = cur.Left
			continue
		}
		if _, nested := cur.Right.(*ast.Join); nested && len(steps) > 0 && cur.On == nil && len(cur.Using) == 0 {
			break
		}
		steps = append(steps, cur)
		rs = cur.Left
	}
	for i, k := 0, len(steps)-1; i < k; i, k = i+1, k-1 {
		steps[i], steps[k] = steps[k], steps[i]
	}
	return rs, steps
}

// restoreJoinOperand prints a table source, or a nested (right-hand) join
// in parentheses, which it needs.
func restoreJoinOperand(ctx *format.RestoreCtx, rs ast.ResultSetNode) error {
	if j, ok := rs.(*ast.Join); ok {
		ctx.WritePlain("(")
		if err := (chainJoin{j}).Restore(ctx); err != nil {
			return err
		}
		ctx.WritePlain(")")
		return nil
	}
	return rs.Restore(ctx)
}

// restoreJoinStep prints "[NATURAL] [LEFT|RIGHT] JOIN right [ON ...|USING (...)]"
// with the keywords of TiDB's Join.Restore.
func restoreJoinStep(ctx *format.RestoreCtx, j *ast.Join) error {
	ctx.WriteKeyWord(joinType(j) + " ")
	if err := restoreJoinOperand(ctx, j.Right); err != nil {
		return err
	}
	if j.On != nil {
		ctx.WritePlain(" ")
		if err := j.On.Restore(ctx); err != nil {
			return err
		}
	}
	if len(j.Using) != 0 {
		ctx.WriteKeyWord(" USING ")
		ctx.WritePlain("(")
		for i, c := range j.Using {
			if i != 0 {
				ctx.WritePlain(",")
			}
			if err := c.Restore(ctx); err != nil {
				return err
			}
		}
		ctx.WritePlain(")")
	}
	return nil
}

// needsEscape is true for the characters MySQL has a backslash escape for
// that would otherwise print raw: line breaks, tab, NUL, backspace, ^Z.
func needsEscape(r rune) bool {
	switch r {
	case '\n', '\r', '\t', 0, '\b', 0x1a:
		return true
	}
	return false
}

var stringEscaper = strings.NewReplacer(
	`\`, `\\`, `'`, `''`, "\n", `\n`, "\r", `\r`, "\t", `\t`, "\x00", `\0`, "\b", `\b`, "\x1a", `\Z`,
)

// escapedString prints a string literal like TiDB's test_driver does under
// restoreFlags, but with control characters escaped.
type escapedString struct{ ast.ValueExpr }

func (s escapedString) Restore(ctx *format.RestoreCtx) error {
	if cs := s.GetType().GetCharset(); cs != "" && cs != mysql.DefaultCharset {
		ctx.WritePlain("_")
		ctx.WriteKeyWord(cs)
	}
	ctx.WritePlain("'")
	ctx.WritePlain(stringEscaper.Replace(s.GetValue().(string)))
	ctx.WritePlain("'")
	return nil
}
