package sqlmatch

import (
	"maps"
	"slices"
	"strconv"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// renameDerived gives every derived table (a subquery in FROM or JOIN) the
// alias _t1, _t2, ... in order of appearance, and makes the qualifiers that
// refer to it (t.x, t.*) follow. Its alias never shows in the result, so
// statements that differ only in those names are the same query.
//
// A qualifier is resolved as TiDB does: in the FROM of its own SELECT (or
// UPDATE, DELETE), then outwards through the enclosing statements; a derived
// table's body and a CTE body do not see the FROM they belong to (unless
// LATERAL). A rename must leave every reference pointing where it did, so
//
//   - a new alias is never a name used elsewhere in the statement (a table,
//     a base-table alias, a CTE, a qualifier that resolves nowhere);
//   - a derived table keeps its alias when two sources of one FROM share it
//     (an error in TiDB that renaming would hide), or when the alias is also
//     used where this resolution does not reach it (a qualifier that resolves
//     nowhere, a hint, DELETE t or FOR UPDATE OF t).
//
// The names kept do not depend on the aliases renamed, so renaming twice
// gives the same names.
func renameDerived(stmt ast.StmtNode) {
	r := &derivedRenamer{
		byNode: map[*ast.TableSource]*derivedTable{},
		taken:  map[string]bool{},
		loose:  map[string]bool{},
	}
	stmt.Accept(r)
	for _, d := range r.derived {
		if d.keep || r.loose[d.ts.AsName.L] {
			d.keep = true
			r.taken[d.ts.AsName.L] = true
		}
	}
	maps.Copy(r.taken, r.loose)
	k := 0
	for _, d := range r.derived {
		if d.keep {
			continue
		}
		name := ""
		for name == "" || r.taken[name] {
			k++
			name = "_t" + strconv.Itoa(k)
		}
		d.ts.AsName = ast.NewCIStr(name)
		for _, ref := range d.refs {
			*ref = d.ts.AsName
		}
	}
}

type derivedTable struct {
	ts    *ast.TableSource
	scope *aliasScope  // the scope whose FROM holds it
	refs  []*ast.CIStr // qualifiers that name it
	keep  bool
}

// aliasScope holds the names that one statement's FROM declares.
type aliasScope struct {
	// names maps each name to its derived table, or to nil for a base table,
	// a CTE or a name declared twice, which are never renamed.
	names map[string]*derivedTable
	// hidden counts the bodies being walked (of a derived table, of a CTE of
	// this statement's WITH) that cannot see names.
	hidden int
}

type derivedRenamer struct {
	stack   []ast.Node
	scopes  []*aliasScope // innermost last
	derived []*derivedTable
	byNode  map[*ast.TableSource]*derivedTable
	taken   map[string]bool // names other than derived tables' aliases
	loose   map[string]bool // references that resolve to no table source
	// ctes are the scopes hidden by the CTE bodies being walked, nil where the
	// WITH's statement has no scope (a set operation).
	ctes []*aliasScope
}

func (r *derivedRenamer) Enter(n ast.Node) (ast.Node, bool) {
	r.stack = append(r.stack, n)
	switch x := n.(type) {
	case *ast.SelectStmt:
		r.push(x.From, x.TableHints)
	case *ast.UpdateStmt:
		r.push(x.TableRefs, x.TableHints)
	case *ast.DeleteStmt:
		r.push(x.TableRefs, x.TableHints)
	case *ast.TableSource:
		if d := r.byNode[x]; d != nil {
			r.derived = append(r.derived, d)
			if !x.Lateral {
				d.scope.hidden++
			}
		}
	case *ast.CommonTableExpression:
		r.taken[x.Name.L] = true
		// The stack ends owner, WithClause, x; a CTE does not see its
		// owner's FROM.
		var s *aliasScope
		if len(r.stack) >= 3 && opensScope(r.stack[len(r.stack)-3]) {
			s = r.scopes[len(r.scopes)-1]
			s.hidden++
		}
		r.ctes = append(r.ctes, s)
	case *ast.TableName:
		r.taken[x.Name.L] = true
		if len(r.stack) < 2 {
			break
		}
		if _, inFrom := r.stack[len(r.stack)-2].(*ast.TableSource); !inFrom {
			r.loose[x.Name.L] = true // DELETE t, FOR UPDATE OF t: may name an alias
		}
	default:
		columnQualifiers(n, r.ref)
	}
	return n, false
}

func (r *derivedRenamer) Leave(n ast.Node) (ast.Node, bool) {
	r.stack = r.stack[:len(r.stack)-1]
	switch x := n.(type) {
	case *ast.SelectStmt, *ast.UpdateStmt, *ast.DeleteStmt:
		r.scopes = r.scopes[:len(r.scopes)-1]
	case *ast.TableSource:
		if d := r.byNode[x]; d != nil && !x.Lateral {
			d.scope.hidden--
		}
	case *ast.CommonTableExpression:
		if s := r.ctes[len(r.ctes)-1]; s != nil {
			s.hidden--
		}
		r.ctes = r.ctes[:len(r.ctes)-1]
	}
	return n, true
}

// opensScope reports whether Enter pushes a scope for n. A WITH is walked
// first, so when its statement opens a scope, that is the innermost one.
func opensScope(n ast.Node) bool {
	switch n.(type) {
	case *ast.SelectStmt, *ast.UpdateStmt, *ast.DeleteStmt:
		return true
	}
	return false
}

// push opens the scope of a statement, declaring its FROM before any of its
// clauses is walked: the select list, which comes first, refers to it.
func (r *derivedRenamer) push(from *ast.TableRefsClause, hints []*ast.TableOptimizerHint) {
	s := &aliasScope{names: map[string]*derivedTable{}}
	if from != nil {
		r.declare(s, from.TableRefs)
	}
	r.scopes = append(r.scopes, s)
	for _, h := range hints {
		l, _ := h.HintData.(*ast.LeadingList) // LEADING keeps its tables there
		for _, t := range slices.Concat(h.Tables, ast.FlattenLeadingList(l)) {
			r.loose[t.TableName.L] = true
		}
	}
}

func (r *derivedRenamer) declare(s *aliasScope, rs ast.ResultSetNode) {
	switch x := rs.(type) {
	case *ast.Join:
		r.declare(s, x.Left)
		r.declare(s, x.Right)
	case *ast.TableSource:
		var d *derivedTable
		switch src := x.Source.(type) {
		case *ast.Join:
			r.declare(s, src)
			return
		case *ast.SelectStmt, *ast.SetOprStmt:
			// Without an alias (an error in TiDB) there is nothing to rename.
			d = &derivedTable{ts: x, scope: s, keep: x.AsName.L == ""}
			r.byNode[x] = d
			if d.keep {
				return
			}
		default:
			r.taken[refName(x)] = true
		}
		name := refName(x)
		if prev, dup := s.names[name]; dup {
			for _, e := range []*derivedTable{prev, d} {
				if e != nil {
					e.keep = true
				}
			}
			d = nil
		}
		s.names[name] = d
	}
}

// ref resolves a qualifier, innermost visible scope first.
func (r *derivedRenamer) ref(schema, table *ast.CIStr) {
	if schema.L != "" || table.L == "" {
		return
	}
	for i := len(r.scopes) - 1; i >= 0; i-- {
		s := r.scopes[i]
		if s.hidden > 0 {
			continue
		}
		if d, ok := s.names[table.L]; ok {
			if d != nil {
				d.refs = append(d.refs, table)
			}
			return
		}
	}
	r.loose[table.L] = true
}
