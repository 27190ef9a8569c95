package sqlmatch

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// OrderBy parses ORDER BY items as a user writes them ("market_cap DESC",
// "`c`.`name`", "SUM(x) desc") and returns them printed as Explain prints
// Structure.OrderBy. A *ParseError for an item that is not an expression;
// the error names the item (counting from 1) and wraps the *ParseError,
// whose position is in the item's own text. "a, b" is an error: each item is
// one list element.
func OrderBy(items []string) ([]OrderItem, error) {
	out := make([]OrderItem, len(items))
	for i, item := range items {
		it, err := userItem("ORDER BY", item)
		if err != nil {
			return nil, fmt.Errorf("item %d %q: %w", i+1, item, err)
		}
		out[i] = OrderItem{Expr: it.expr, Desc: it.desc}
	}
	return out, nil
}

// Exprs parses expressions (e.g. GROUP BY items) and prints each as Explain
// does. Errors are as OrderBy's; ASC or DESC is one too.
func Exprs(items []string) ([]string, error) {
	out := make([]string, len(items))
	for i, item := range items {
		it, err := userItem("GROUP BY", item)
		if err == nil && it.direction {
			err = &ParseError{Line: 1, Column: 1, Msg: "ASC or DESC is not part of an expression", Near: shorten(item)}
		}
		if err != nil {
			return nil, fmt.Errorf("item %d %q: %w", i+1, item, err)
		}
		out[i] = it.expr
	}
	return out, nil
}

// SameExpr reports whether want, an expression the user wrote (as printed by
// Exprs), stands for got, one Explain printed: equal, or equal once got's
// table qualifier is dropped when want has none ("`sector`" matches
// "`c`.`sector`"). Qualifiers are dropped only when want has none at all:
// a user who qualifies one column means the qualifiers as written.
func SameExpr(want, got string) bool {
	if want == got {
		return true
	}
	w, err := parseItem("ORDER BY", want, false)
	if err != nil || w.qualified {
		return false
	}
	g, err := parseItem("ORDER BY", got, true)
	return err == nil && g.expr == w.expr
}

// clauseItem is one parsed clause item.
type clauseItem struct {
	expr      string
	desc      bool
	direction bool // ASC or DESC is written
	qualified bool // some column has a table qualifier
}

// userItem parses an item the user wrote, refusing what Canonical refuses,
// with error positions in the item's own text.
func userItem(clause, text string) (clauseItem, error) {
	if strings.TrimSpace(text) == "" {
		return clauseItem{}, &ParseError{Line: 1, Column: 1, Msg: "empty item"}
	}
	prefix := itemPrefix(clause)
	_, err := Canonical(prefix + text)
	if err == nil {
		var it clauseItem
		it, err = parseItem(clause, text, false)
		if err == nil {
			return it, nil
		}
	}
	var pe *ParseError
	if errors.As(err, &pe) && pe.Line == 1 {
		pe.Column = max(pe.Column-len(prefix), 1) // the prefix is ASCII
	}
	return clauseItem{}, err
}

func itemPrefix(clause string) string { return "SELECT 1 " + clause + " " }

// parseItem parses text as the only item of clause ("ORDER BY" or "GROUP
// BY") of "SELECT 1", with the normalisation of Canonical, and prints it as
// Explain does; bare drops column qualifiers first.
func parseItem(clause, text string, bare bool) (clauseItem, error) {
	var it clauseItem
	err := withParsed(itemPrefix(clause)+text, func(stmt ast.StmtNode) error {
		normalize(stmt)
		var items []*ast.ByItem
		if sel, ok := stmt.(*ast.SelectStmt); ok {
			switch {
			case clause == "ORDER BY" && sel.OrderBy != nil:
				items = sel.OrderBy.Items
			case clause == "GROUP BY" && sel.GroupBy != nil:
				items = sel.GroupBy.Items
			}
		}
		if len(items) > 1 {
			return &ParseError{Line: 1, Column: 1, Msg: fmt.Sprintf("%d items in one: give one list element per item", len(items)), Near: shorten(text)}
		}
		if len(items) == 0 {
			return &ParseError{Line: 1, Column: 1, Msg: "not a " + clause + " item", Near: shorten(text)}
		}
		q := &qualifiers{bare: bare}
		items[0].Accept(q)
		decorate(stmt) // last: a walk after it would undo its wrappers
		p := &printer{}
		// Whatever follows the item (LIMIT 5, FOR UPDATE, ...) prints too.
		if p.text(stmt) != itemPrefix(clause)+p.text(items[0]) {
			return &ParseError{Line: 1, Column: 1, Msg: "unexpected text after the item", Near: shorten(text)}
		}
		it = clauseItem{expr: p.text(items[0].Expr), desc: items[0].Desc, direction: !items[0].NullOrder, qualified: q.found}
		return p.err
	})
	return it, err
}

// qualifiers notes whether any column is qualified and, with bare, drops
// the qualifiers.
type qualifiers struct{ bare, found bool }

func (q *qualifiers) Enter(n ast.Node) (ast.Node, bool) {
	if c, ok := n.(*ast.ColumnName); ok && c.Table.L != "" {
		q.found = true
		if q.bare {
			c.Table, c.Schema = ast.CIStr{}, ast.CIStr{}
		}
	}
	return n, false
}

func (q *qualifiers) Leave(n ast.Node) (ast.Node, bool) { return n, true }
