package sqlmatch

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
)

// Layout returns the canonical form of sql split into lines for a readable
// diff. A SELECT (also under UNION/EXCEPT/INTERSECT or WITH) gets one line per
// top-level clause: each CTE, SELECT with its fields, FROM with the first
// table, each JOIN, WHERE, GROUP BY, HAVING, WINDOW, ORDER BY, LIMIT, each set
// operator. Subqueries stay inside their clause's line. Any other statement
// is one line. strings.Join(lines, " ") equals Canonical(sql).
func Layout(sql string) ([]string, error) {
	c, err := Canonical(sql)
	if err != nil {
		return nil, err
	}
	lines, err := layoutLines(sql)
	if err != nil || strings.Join(lines, " ") != c {
		// The clauses are printed one by one, mirroring TiDB's Restore; should
		// a construct print differently in pieces, one correct line is better
		// than lines that disagree with Canonical. Tests hold this unreachable.
		return []string{c}, nil
	}
	return lines, nil
}

// layoutLines is Layout without the consistency guard.
func layoutLines(sql string) ([]string, error) {
	var lines []string
	err := withStatement(sql, func(stmt ast.StmtNode) error {
		l := &layouter{}
		l.ctx = format.NewRestoreCtx(restoreFlags, &l.buf)
		var err error
		switch x := stmt.(type) {
		case *ast.SelectStmt:
			err = l.selectStmt(x)
		case *ast.SetOprStmt:
			err = l.setOprStmt(x)
		default:
			err = l.line(stmt.Restore)
		}
		if err != nil {
			return fmt.Errorf("sqlmatch: cannot print statement: %w", err)
		}
		lines = l.lines
		return nil
	})
	return lines, err
}

// layouter restores the clauses of a statement one at a time, mirroring the
// order and separators of TiDB's SelectStmt/SetOprStmt Restore. It keeps one
// RestoreCtx for the whole statement, as a single Restore would, so state such
// as the CTE names recorded by WITH carries over between clauses.
type layouter struct {
	buf   strings.Builder
	ctx   *format.RestoreCtx
	lines []string
	open  string // "(" to put before the next line
}

// line adds the text that restore writes as a line of its own.
func (l *layouter) line(restore func(*format.RestoreCtx) error) error {
	l.buf.Reset()
	l.buf.WriteString(l.open)
	l.open = ""
	if err := restore(l.ctx); err != nil {
		return err
	}
	l.lines = append(l.lines, l.buf.String())
	return nil
}

// clause adds a line of keyword followed by node.
func (l *layouter) clause(keyword string, node ast.Node) error {
	return l.line(func(ctx *format.RestoreCtx) error {
		ctx.WriteKeyWord(keyword)
		return node.Restore(ctx)
	})
}

func (l *layouter) closeParen() {
	l.lines[len(l.lines)-1] += ")"
}

// with adds one line per common table expression; the commas stay at the
// ends of lines, and "WITH [RECURSIVE]" starts the first.
func (l *layouter) with(w *ast.WithClause) error {
	for i, cte := range w.CTEs {
		err := l.line(func(ctx *format.RestoreCtx) error {
			if i == 0 {
				ctx.WriteKeyWord("WITH ")
				if w.IsRecursive {
					ctx.WriteKeyWord("RECURSIVE ")
				}
			}
			if err := cte.Restore(ctx); err != nil {
				return err
			}
			if i != len(w.CTEs)-1 {
				ctx.WritePlain(",")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *layouter) selectStmt(n *ast.SelectStmt) error {
	if n.WithBeforeBraces {
		defer l.ctx.RestoreCTEFunc()()
		if err := l.with(n.With); err != nil {
			return err
		}
	}
	if n.IsInBraces {
		l.open += "("
		defer l.closeParen()
	}
	if !n.WithBeforeBraces && n.With != nil {
		defer l.ctx.RestoreCTEFunc()()
		if err := l.with(n.With); err != nil {
			return err
		}
	}

	// The head is the statement without its clauses: SELECT, options, hints,
	// DISTINCT and the fields (or TABLE t, or VALUES ...).
	head := *n
	head.With, head.WithBeforeBraces, head.IsInBraces = nil, false, false
	head.Where, head.GroupBy, head.Having, head.WindowSpecs = nil, nil, nil, nil
	head.OrderBy, head.Limit, head.LockInfo, head.SelectIntoOpt = nil, nil, nil, nil
	if n.Kind == ast.SelectStmtKindSelect {
		head.From = nil
	}
	if err := l.line(head.Restore); err != nil {
		return err
	}

	if n.Kind == ast.SelectStmtKindSelect {
		if n.From != nil {
			if err := l.from(n.From); err != nil {
				return err
			}
		} else if n.Where != nil {
			if err := l.line(func(ctx *format.RestoreCtx) error { ctx.WriteKeyWord("FROM DUAL"); return nil }); err != nil {
				return err
			}
		}
		if n.Where != nil {
			if err := l.clause("WHERE ", n.Where); err != nil {
				return err
			}
		}
		if n.GroupBy != nil {
			if err := l.line(n.GroupBy.Restore); err != nil {
				return err
			}
		}
		if n.Having != nil {
			if err := l.line(n.Having.Restore); err != nil {
				return err
			}
		}
		if n.WindowSpecs != nil {
			err := l.line(func(ctx *format.RestoreCtx) error {
				ctx.WriteKeyWord("WINDOW ")
				for i := range n.WindowSpecs {
					if i != 0 {
						ctx.WritePlain(",")
					}
					if err := n.WindowSpecs[i].Restore(ctx); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	if err := l.orderLimit(n.OrderBy, n.Limit); err != nil {
		return err
	}
	if n.LockInfo != nil || n.SelectIntoOpt != nil {
		// FOR UPDATE / INTO OUTFILE: restored by TiDB behind an empty SELECT,
		// whose "SELECT " prefix is then dropped.
		tail := &ast.SelectStmt{
			Kind:           ast.SelectStmtKindSelect,
			SelectStmtOpts: &ast.SelectStmtOpts{SQLCache: true},
			LockInfo:       n.LockInfo,
			SelectIntoOpt:  n.SelectIntoOpt,
		}
		return l.line(func(ctx *format.RestoreCtx) error {
			start := l.buf.Len()
			if err := tail.Restore(ctx); err != nil {
				return err
			}
			text := l.buf.String()
			l.buf.Reset()
			l.buf.WriteString(text[:start])
			l.buf.WriteString(strings.TrimLeft(strings.TrimPrefix(text[start:], "SELECT "), " "))
			return nil
		})
	}
	return nil
}

// from adds FROM with the first table, then one line per join.
func (l *layouter) from(f *ast.TableRefsClause) error {
	if cj, ok := f.TableRefs.Left.(chainJoin); ok && f.TableRefs.Right == nil {
		base, steps := flattenJoin(cj.Join)
		err := l.line(func(ctx *format.RestoreCtx) error {
			ctx.WriteKeyWord("FROM ")
			return restoreJoinOperand(ctx, base)
		})
		if err != nil {
			return err
		}
		for _, s := range steps {
			if err := l.line(func(ctx *format.RestoreCtx) error { return restoreJoinStep(ctx, s) }); err != nil {
				return err
			}
		}
		return nil
	}
	return l.clause("FROM ", f)
}

func (l *layouter) orderLimit(o *ast.OrderByClause, lim *ast.Limit) error {
	if o != nil {
		if err := l.line(o.Restore); err != nil {
			return err
		}
	}
	if lim != nil {
		return l.line(lim.Restore)
	}
	return nil
}

func (l *layouter) setOprStmt(n *ast.SetOprStmt) error {
	if n.With != nil {
		defer l.ctx.RestoreCTEFunc()()
		if err := l.with(n.With); err != nil {
			return err
		}
	}
	if n.IsInBraces {
		l.open += "("
		defer l.closeParen()
	}
	if err := l.selectList(n.SelectList); err != nil {
		return err
	}
	return l.orderLimit(n.OrderBy, n.Limit)
}

// selectList adds the operands of a set operation, each set operator
// (UNION ALL, EXCEPT ...) on a line of its own.
func (l *layouter) selectList(n *ast.SetOprSelectList) error {
	if n.With != nil {
		defer l.ctx.RestoreCTEFunc()()
		if err := l.with(n.With); err != nil {
			return err
		}
	}
	for i, s := range n.Selects {
		var op *ast.SetOprType
		switch x := s.(type) {
		case *ast.SelectStmt:
			op = x.AfterSetOperator
		case *ast.SetOprSelectList:
			op = x.AfterSetOperator
		default:
			return fmt.Errorf("unexpected %T in a set operation", s)
		}
		if i != 0 && op != nil {
			if err := l.line(func(ctx *format.RestoreCtx) error { ctx.WriteKeyWord(op.String()); return nil }); err != nil {
				return err
			}
		}
		switch x := s.(type) {
		case *ast.SelectStmt:
			if err := l.selectStmt(x); err != nil {
				return err
			}
		case *ast.SetOprSelectList:
			l.open += "("
			if err := l.selectList(x); err != nil {
				return err
			}
			l.closeParen()
		}
	}
	return l.orderLimit(n.OrderBy, n.Limit)
}
