package sqlmatch

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// Fingerprint returns the canonical form of a single SQL statement with its
// literals replaced by ?, so that two statements that differ only in the
// values they use (a limit, a name in a WHERE clause, the items of an IN
// list) have the same fingerprint. It is computed on the same normalised
// tree as Canonical, so nothing that Canonical ignores (quoting, case, <>
// against !=, COUNT(1) against COUNT(*), ...) changes it.
//
// NULL is kept, since x = NULL and x = 1 are different queries. Literals
// that are syntax rather than values are kept too: the character set of
// CONVERT(x USING cs) and WEIGHT_STRING(x AS CHAR(n)), and the SEPARATOR of
// GROUP_CONCAT. Each literal gets its own ?: IN (1, 2) and IN (1, 2, 3)
// differ.
func Fingerprint(sql string) (string, error) {
	// Canonical first: it refuses what cannot be compared, and Fingerprint
	// must refuse the same statements.
	if _, err := Canonical(sql); err != nil {
		return "", err
	}
	var out string
	err := withParsed(sql, func(stmt ast.StmtNode) (err error) {
		normalize(stmt)
		stmt.Accept(&literalMarker{keep: map[ast.Node]bool{}})
		decorate(stmt)
		out, err = restore(stmt)
		return err
	})
	return out, err
}

// Tables returns the base tables that a single SQL statement refers to (for
// a query, the tables it reads), lower case, sorted and without duplicates.
// The names of common table expressions are not tables and are left out
// where they are in scope. A schema-qualified table is written
// schema.table.
func Tables(sql string) ([]string, error) {
	var tables []string
	err := withParsed(sql, func(stmt ast.StmtNode) error {
		c := &tableCollector{seen: map[string]bool{}}
		stmt.Accept(c)
		tables = make([]string, 0, len(c.seen))
		for t := range c.seen {
			tables = append(tables, t)
		}
		sort.Strings(tables)
		return nil
	})
	return tables, err
}

// withParsed parses sql into exactly one statement, without normalising it,
// and calls fn with it while the parser is checked out of the pool (see
// withStatements). It reports the same errors as Canonical.
func withParsed(sql string, fn func(ast.StmtNode) error) error {
	return withStatements(sql, func(stmts []ast.StmtNode, _ []error) error {
		switch len(stmts) {
		case 0:
			return &ParseError{Line: 1, Column: 1, Msg: "no SQL statement"}
		case 1:
		default:
			e := &ParseError{Msg: fmt.Sprintf("expected one statement, found %d", len(stmts))}
			e.at(sql, secondStatementOffset(sql, stmts))
			return e
		}
		return fn(stmts[0])
	})
}

// literalMarker replaces value literals by parameter markers, which print
// as ?. It runs after normalize and before decorate, which must see the
// COUNT(1) that normalize leaves to print it as COUNT(*).
type literalMarker struct {
	keep map[ast.Node]bool // literals that are syntax, not values
}

func (v *literalMarker) Enter(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.AggregateFuncExpr:
		if countsRows(x.F, x.Distinct, x.Args) {
			v.keep[x.Args[0]] = true
		}
		if strings.EqualFold(x.F, ast.AggFuncGroupConcat) && len(x.Args) > 0 {
			v.keep[x.Args[len(x.Args)-1]] = true
		}
	case *ast.WindowFuncExpr:
		if countsRows(x.Name, x.Distinct, x.Args) {
			v.keep[x.Args[0]] = true
		}
	case *ast.FuncCallExpr:
		switch x.FnName.L {
		case ast.Convert, ast.WeightString:
			if len(x.Args) > 1 {
				v.keep[x.Args[1]] = true
			}
		}
	}
	return n, false
}

func (v *literalMarker) Leave(n ast.Node) (ast.Node, bool) {
	x, ok := n.(ast.ValueExpr)
	if !ok || v.keep[n] || x.GetValue() == nil {
		return n, true
	}
	if _, isMarker := n.(ast.ParamMarkerExpr); isMarker {
		return n, true
	}
	return ast.NewParamMarkerExpr(0), true
}

// tableCollector gathers table names, skipping the names of the common table
// expressions in scope. A WITH clause is walked by hand, so that each CTE's
// query sees the CTEs defined before it (and itself, when recursive), and
// the statement that owns the clause sees them all until it is left.
type tableCollector struct {
	seen   map[string]bool
	stack  []ast.Node
	scopes []cteScope
}

type cteScope struct {
	owner ast.Node // the statement whose WITH clause defines names
	names []string
}

func (c *tableCollector) Enter(n ast.Node) (ast.Node, bool) {
	var parent ast.Node
	if len(c.stack) > 0 {
		parent = c.stack[len(c.stack)-1]
	}
	c.stack = append(c.stack, n)
	switch x := n.(type) {
	case *ast.WithClause:
		scope := cteScope{owner: parent}
		c.scopes = append(c.scopes, scope)
		for _, cte := range x.CTEs {
			if x.IsRecursive {
				scope.names = append(scope.names, cte.Name.L)
			}
			c.scopes[len(c.scopes)-1] = scope
			if cte.Query != nil {
				cte.Query.Accept(c)
			}
			if !x.IsRecursive {
				scope.names = append(scope.names, cte.Name.L)
			}
		}
		c.scopes[len(c.scopes)-1] = scope
		return n, true
	case *ast.TableName:
		if x.Schema.L == "" && c.isCTE(x.Name.L) {
			return n, true
		}
		name := x.Name.L
		if x.Schema.L != "" {
			name = x.Schema.L + "." + name
		}
		if name != "" {
			c.seen[name] = true
		}
	}
	return n, false
}

func (c *tableCollector) Leave(n ast.Node) (ast.Node, bool) {
	c.stack = c.stack[:len(c.stack)-1]
	for len(c.scopes) > 0 && c.scopes[len(c.scopes)-1].owner == n {
		c.scopes = c.scopes[:len(c.scopes)-1]
	}
	return n, true
}

func (c *tableCollector) isCTE(name string) bool {
	for _, s := range c.scopes {
		for _, n := range s.names {
			if n == name {
				return true
			}
		}
	}
	return false
}
