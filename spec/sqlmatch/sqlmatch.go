// Package sqlmatch is c2q's SQL analysis on TiDB's own parser: whether two
// statements are the same query (canonical form, fingerprint, components),
// their structure (Explain), how c2q sql shows them (Show), and the one
// read-only guard (CheckReadOnly) that everything that runs SQL passes
// first: the emulator's answers and MySQL endpoint, and verify.
//
// It is a leaf: spec, the runner and the emulator import it, and it must
// not import any of them, nor know HCL.
//
// Both statements are parsed with TiDB's own parser (default SQL mode, so
// double-quoted text is a string and || is OR, as on TiDB Cloud), normalised
// as an AST, and restored to one line of text with fixed flags. Two statements
// are Equal when those canonical forms are byte-identical. The canonical form
// is valid TiDB SQL and its own canonical form: Canonical checks this by
// canonicalising its result once more, and refuses the statement otherwise.
//
// # Restore flags
//
// TiDB's format.DefaultRestoreFlags (RestoreStringSingleQuotes |
// RestoreKeyWordUppercase | RestoreNameBackQuotes) plus:
//
//   - RestoreStringWithoutDefaultCharset: the parser tags every plain literal
//     with the connection charset utf8mb4 and would print _UTF8MB4'x'. This
//     flag drops only that default introducer; an explicit non-default one
//     such as _latin1'x' is kept because it changes the value's type.
//     RestoreStringWithoutCharset is not used: it would equate _latin1'x'
//     with 'x'.
//   - RestoreStringEscapeBackslash: a backslash in a string value is written
//     as \\, so the canonical form parses back to the same value.
//   - RestoreSpacesAroundBinaryOperation: "a = 1" rather than "a=1", for
//     readable diffs.
//
// # Equivalences (each of these canonicalises equal)
//
//   - Whitespace, line breaks, comments, a trailing semicolon.
//   - Keyword and function-name case (printed upper case; a schema-qualified
//     stored function is printed back-quoted, lower case).
//   - Identifier quoting: `a`, a; names are always printed back-quoted.
//   - Identifier case: column names, column aliases (also in a CTE's or
//     derived table's column list), table and schema names, table aliases
//     and CTE names are printed lower case. TiDB compares columns
//     case-insensitively, and tables too because it only supports
//     lower_case_table_names = 2: Companies, `COMPANIES` and companies are
//     the same table on TiDB Cloud.
//   - String quoting: 'x' and "x" (a string in the default SQL mode), a quote
//     escaped by a backslash or by doubling it, _utf8mb4'x' and 'x'. A line
//     break, tab, NUL, backspace or ^Z in a string is printed as its backslash
//     escape (\n ...), so the canonical form stays on one line.
//   - COUNT(*), COUNT(1), COUNT(0), COUNT('x'), COUNT(2.5): COUNT of any
//     non-NULL literal counts rows; all are printed COUNT(*), also as window
//     functions. COUNT(NULL), COUNT(col) and COUNT(DISTINCT 1) stay distinct.
//   - <> and != (one operator in the AST), && and AND, || and OR, MOD and %.
//   - INNER JOIN, CROSS JOIN, JOIN and a comma join are the same inner join
//     (printed JOIN); LEFT OUTER JOIN is LEFT JOIN. A join chain is printed
//     without parentheses around its left operands ("(a JOIN b ON x) JOIN c
//     ON y" is "a JOIN b ON x JOIN c ON y", as TiDB's grammar groups joins to
//     the left); a parenthesised right operand keeps them, and so does a left
//     operand that ends in one without ON or USING, which would regroup.
//   - Optional AS for column and table aliases (always printed).
//   - The aliases of derived tables (a subquery in FROM or JOIN, "(SELECT
//     ...) AS t"), which are output-invisible: each is printed as _t1, _t2,
//     ... in order of appearance, and the qualifiers that refer to it (t.x,
//     t.*) follow. Qualifiers are resolved scope by scope as TiDB does, so
//     an alias shadowed in a subquery, a correlated reference to an outer
//     derived table and one alias used in two sibling subqueries all keep
//     pointing where they did. No new name is one the statement already
//     uses. An alias is kept as written when two sources of one FROM share
//     it, or when its name is also used where no scope reaches (a hint,
//     DELETE t, FOR UPDATE OF t, a qualifier in ON DUPLICATE KEY UPDATE or
//     out of scope). Aliases of base tables and CTE names are not renamed:
//     they are compared as written.
//   - ASC is the default direction and is not printed; SELECT ALL is SELECT;
//     UNION DISTINCT is UNION.
//   - LIMIT n OFFSET m and LIMIT m, n; LIMIT 0, n and LIMIT n.
//   - Redundant parentheses: around a column, literal, function call,
//     aggregate, CASE or subquery; around a whole WHERE, HAVING, ON, select
//     field, GROUP BY or ORDER BY item, CASE part, IN-list item or ordinary
//     function argument; and around an operand of a binary operator whose
//     operator binds tighter (or equally, on the left: operators are
//     left-associative), e.g. (a = 1) AND (b = 2), (a * b) + c. Parentheses
//     that change the grouping, such as a - (b - c) or a AND (b OR c), stay.
//   - Spellings the parser itself merges: a->'$.x' is JSON_EXTRACT(a, '$.x'),
//     a->>'$.x' is JSON_UNQUOTE(JSON_EXTRACT(a, '$.x')), d + INTERVAL 1 DAY is
//     DATE_ADD(d, INTERVAL 1 DAY), CAST(x AS SIGNED INTEGER) is
//     CAST(x AS SIGNED), .5 is 0.5.
//
// # Components (equal under Components, not under Equal)
//
// Components compares the canonical tree clause by clause, as Spider's
// exact-set match does, after these meaning-preserving rewrites; everything
// Equal equates it equates too:
//
//   - Base-table aliases: each alias is replaced by its table's name, or by
//     "name#k" (k-th occurrence, in order of appearance) when the table
//     appears more than once; qualifiers and t.* follow. FROM t AS x ... x.a
//     is FROM t ... t.a. An alias used twice in the statement is left as
//     written. When the statement has a single table source, a base table,
//     column qualifiers are dropped (t.a is a).
//   - SELECT list: a multiset of expressions; order and field aliases are
//     ignored (AS total vs AS s), duplicates count.
//   - FROM: when every join is an inner join (JOIN, INNER, CROSS, comma)
//     without USING, NATURAL, STRAIGHT_JOIN or LATERAL, a multiset of table
//     sources, with the ON conjuncts moved to WHERE: JOIN order, comma join
//     with WHERE vs JOIN ... ON, and a condition in ON vs WHERE are all equal.
//     Otherwise an ordered join chain with types and conditions.
//   - WHERE (with those ON conjuncts) and HAVING: the set of top-level AND
//     operands. Everywhere in the statement the operands of a chain of AND,
//     or of OR, are sorted and deduplicated (recursively, so (a OR b) AND c
//     is c AND (b OR a)); IN-list items are a set (IN (2, 1, 1) is IN (1,
//     2)); a one-item IN is = (NOT IN is !=); =, <>, <=> put a literal on the
//     right, else their operands in text order; <, <=, >, >= do the same,
//     flipping the operator (5 < price is price > 5).
//   - GROUP BY: a set. ORDER BY: an ordered list of expression and direction.
//     LIMIT and OFFSET compare as values (LIMIT 0, n is LIMIT n already).
//   - WITH, WINDOW, DISTINCT, select options, hints, locking and INTO are
//     compared as written (canonical). A set operation (UNION, EXCEPT,
//     INTERSECT), INSERT, UPDATE, DELETE and any other statement are compared
//     as a whole, after the rewrites above.
//
// Changing a predicate, a join, an ORDER BY direction or a LIMIT is never
// Components-equal. Fingerprint, by design, equates statements that differ
// only in literal values, LIMIT 5 and LIMIT 10 included.
//
// # Known limits (these do NOT canonicalise equal)
//
// The comparison is syntactic. It has no schema and does not execute
// anything, so semantically equal queries that are written differently are
// reported as different, for example:
//
//   - Order of conjuncts, of IN-list items, of join operands, of select fields
//     (a AND b vs b AND a, a = 1 vs 1 = a); a predicate moved between ON and
//     WHERE; a comma join with a WHERE condition vs JOIN ... ON.
//   - Qualified vs unqualified columns (t.a vs a), different base-table
//     aliases (FROM t AS x vs FROM t AS y), schema-qualified vs bare table
//     names.
//   - Rewrites: BETWEEN vs >= AND <=, IN (x) vs = x, IS NULL vs <=> NULL,
//     NOT (a = 1) vs a != 1, DISTINCT vs GROUP BY, IFNULL vs COALESCE,
//     SUBSTR vs SUBSTRING, ORDER BY 1 vs ORDER BY col, a subquery vs a join.
//   - Literal spelling: 1.5 vs 1.50 (different decimal scale), 1 vs '1' vs
//     TRUE, 1e3 vs 1000.
//   - Redundant parentheses around other operands ((a IN (1)) = b,
//     (NOT a) AND b) and a re-association such as a AND (b AND c).
//   - Optimizer hints and select options (SQL_NO_CACHE, STRAIGHT_JOIN,
//     HIGH_PRIORITY) are kept and compared.
//   - An identifier that contains a line break keeps it, so that canonical
//     form is not one line (back-quoted names have no escapes).
//   - A statement that TiDB's printer does not read back identically is an
//     error, not a canonical form: for example "count ()" with a space (the
//     parser takes it as a plain function, the printer writes COUNT(), which
//     does not parse), or a function name that is not valid UTF-8. None of the
//     1,521 corpus statements TiDB parses is refused. Where TiDB's printer
//     loses a distinction yet reads its output back stably, the canonical form
//     inherits the loss: a call to a function whose back-quoted name is
//     empty prints as a parenthesised expression.
//
// # Read-only guard
//
// CheckReadOnly is the one guard that everything in c2q that runs SQL passes
// first: the emulator's HTTP answers and its MySQL endpoint, verify (the
// expected SQL of match = "result", run on a user's database), and the
// read_only and expected-SQL checks of the language. It is an allow-list
// over TiDB's AST, not a deny-list: it walks every node of the statement and
// accepts only node types known to read, so a construct it has never heard
// of (a new statement, a new expression, a function added to some server
// next year) is refused instead of slipping through. Accepted:
//
//   - Exactly one statement: SELECT, with WITH (also RECURSIVE), subqueries
//     at any depth, derived tables, joins, window functions and named
//     windows, DISTINCT, GROUP BY, HAVING, ORDER BY, LIMIT; set operations
//     (UNION, INTERSECT, EXCEPT, nested and parenthesised); TABLE t and
//     VALUES ROW(...); SHOW; DESCRIBE; EXPLAIN and EXPLAIN ANALYZE of an
//     accepted statement (EXPLAIN ANALYZE runs it).
//   - Expressions: columns, literals, ? markers, operators, CASE, CAST,
//     COLLATE, IN, BETWEEN, LIKE, REGEXP, MATCH ... AGAINST, reading a
//     variable (@x, @@sql_mode), the aggregate and window functions, and
//     the built-in functions of an allow-list of pure ones (string, math,
//     date and time, JSON, comparison, control flow, hashing, vector).
//   - Optimizer hints that only choose a plan (HASH_JOIN, USE_INDEX, ...).
//
// Refused, wherever it is (select list, FROM, ON, WHERE, GROUP BY, HAVING,
// ORDER BY, LIMIT, a CTE body, any arm of a set operation, a subquery):
// INTO (OUTFILE, DUMPFILE, variables); every locking clause (FOR UPDATE,
// FOR SHARE, LOCK IN SHARE MODE, NOWAIT, SKIP LOCKED); assigning a variable
// (@x := 1); SET, DO, CALL, HANDLER, LOAD DATA, every DML and DDL
// statement, transactions, LOCK TABLES, GRANT and everything else not
// listed; functions not on the allow-list: LOAD_FILE (reads server files),
// SLEEP and BENCHMARK (a read must not wait or burn CPU on purpose, with the
// timeout as its only bound), GET_LOCK and the other lock functions,
// NEXTVAL/SETVAL/LASTVAL, LAST_INSERT_ID, stored functions (db.f()) and
// every unknown name, which may be a user-defined function that writes;
// hints that change settings (SET_VAR, RESOURCE_GROUP, MEMORY_QUOTA) and a
// hint TiDB cannot read. Text with an executable comment (/*! ... */,
// /*T! ... */, /*M! ... */) is refused anywhere, even in a string literal:
// MySQL, TiDB and go-mysql-server each decide differently which of them
// to run, so the guard could check one statement while the engine runs
// another. SQL that does not parse is refused, since it cannot be checked.
//
// ParseSessionStatement reads USE and SET statements, which the guard
// refuses, for a server that lets MySQL clients set up their connection and
// decides itself which settings to allow.
package sqlmatch

import (
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"

	// The parser needs a value driver for literals; test_driver is the
	// lightweight one meant for parser users.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
)

// restoreFlags are fixed: the canonical form must not depend on anything
// but the statement. See the package comment for why each flag is there.
const restoreFlags = format.DefaultRestoreFlags |
	format.RestoreStringWithoutDefaultCharset |
	format.RestoreStringEscapeBackslash |
	format.RestoreSpacesAroundBinaryOperation

// parsers holds reusable parsers: building one allocates its tables, and a
// *parser.Parser is not safe for concurrent use.
var parsers = sync.Pool{New: func() any { return parser.New() }}

// ParseError is a statement that TiDB's parser rejects, or input that is not
// exactly one statement. Line and Column are 1-based and point into the SQL
// text that was passed in (Column counts characters, not bytes); an error the
// parser reports without a position points at line 1, column 1.
type ParseError struct {
	Line, Column int
	// Msg is short: "syntax error", or the parser's own message.
	Msg string
	// Near is the start of the SQL text at the error position, cut to one
	// short line; empty when there is no position or nothing is left.
	Near string
}

func (e *ParseError) Error() string {
	if e.Near == "" {
		return fmt.Sprintf("line %d column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d column %d: %s near %q", e.Line, e.Column, e.Msg, e.Near)
}

// Canonical returns the one-line canonical form of a single SQL statement.
// The form is itself valid TiDB SQL whose canonical form is the same text:
// a statement that TiDB's printer cannot print in a form it reads back
// identically (the parser accepts a few oddities, such as "count ()" with a
// space, that its printer turns into something else) is an error rather than
// a form that would compare unpredictably.
func Canonical(sql string) (string, error) {
	c, err := canonicalize(sql)
	if err != nil {
		return "", err
	}
	again, err := canonicalize(c)
	if err != nil || again != c {
		return "", fmt.Errorf("sqlmatch: cannot compare this statement: TiDB prints it as %q, which does not read back the same", c)
	}
	return c, nil
}

// canonicalize is one parse, normalise and print pass.
func canonicalize(sql string) (string, error) {
	var out string
	err := withStatement(sql, func(stmt ast.StmtNode) (err error) {
		out, err = restore(stmt)
		return err
	})
	return out, err
}

// restore prints n with the canonical flags; on error, what it printed
// before the error.
func restore(n ast.Node) (string, error) {
	var b strings.Builder
	if err := n.Restore(format.NewRestoreCtx(restoreFlags, &b)); err != nil {
		return b.String(), fmt.Errorf("sqlmatch: cannot print statement: %w", err)
	}
	return b.String(), nil
}

// Equal reports whether a and b have the same canonical form. An error means
// one of them is not a single valid statement; the error names which.
func Equal(a, b string) (bool, error) {
	ca, cb, err := both(a, b, Canonical)
	return err == nil && ca == cb, err
}

// both applies f to statements a and b; an error says which of them it
// came from.
func both[T any](a, b string, f func(string) (T, error)) (x, y T, err error) {
	if x, err = f(a); err != nil {
		return x, y, fmt.Errorf("first statement: %w", err)
	}
	if y, err = f(b); err != nil {
		return x, y, fmt.Errorf("second statement: %w", err)
	}
	return x, y, nil
}

// withStatement parses sql into exactly one normalised, print-ready statement
// and calls fn with it while the parser is still checked out of the pool, so
// nothing the parser owns is reused under fn.
func withStatement(sql string, fn func(ast.StmtNode) error) error {
	return withParsed(sql, func(stmt ast.StmtNode) error {
		normalize(stmt)
		decorate(stmt)
		return fn(stmt)
	})
}

// panicSite names the function that panicked, for the error message: it
// tells a parser limitation (test_driver has unimplemented decimal corners)
// from a bug here. Called from the deferred recover, the panicking frames are
// still on the stack, below the runtime's own.
func panicSite() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return f.Function
		}
		if !more {
			return "unknown function"
		}
	}
}

// secondStatementOffset finds where the second statement starts. The parser
// records no offsets for statements, only their text, and the first text
// runs up to and including its semicolon.
func secondStatementOffset(sql string, stmts []ast.StmtNode) int {
	first := stmts[0].Text()
	off := strings.Index(sql, first)
	if off < 0 {
		return 0
	}
	off += len(first)
	for off < len(sql) && strings.ContainsRune(" \t\r\n;", rune(sql[off])) {
		off++
	}
	if second := strings.TrimSpace(stmts[1].Text()); second != "" {
		if i := strings.Index(sql[off:], second); i >= 0 {
			off += i
		}
	}
	return off
}

// The parser's syntax errors read
//
//	line L column C near "<rest of the input>"<message> [(total length N)]
//
// where C is the end of the offending token. The near text is the input from
// the start of that token (cut at 2048 bytes, with N then the uncut length),
// so it gives the exact offset of the token, which is what a user wants
// pointed at.
var (
	syntaxErrRE   = regexp.MustCompile(`^line (\d+) column (\d+) near "`)
	totalLengthRE = regexp.MustCompile(`\(total length (\d+)\)\s*$`)
)

func newParseError(sql string, err error) *ParseError {
	text := err.Error()
	m := syntaxErrRE.FindStringSubmatch(text)
	if m == nil {
		// Not a syntax error (say, a numeric literal out of range): no position.
		// Drop the "[types:1367]" error-class prefix, it means nothing to a user.
		if strings.HasPrefix(text, "[") {
			if i := strings.Index(text, "]"); i > 0 {
				text = text[i+1:]
			}
		}
		return &ParseError{Line: 1, Column: 1, Msg: strings.TrimSpace(text)}
	}
	rest := text[len(m[0]):]
	off, msg := -1, ""
	if t := totalLengthRE.FindStringSubmatch(rest); t != nil {
		if n, _ := strconv.Atoi(t[1]); n <= len(sql) {
			off = len(sql) - n
			if i := strings.LastIndex(rest, `"`); i >= 0 {
				msg = rest[i+1 : len(rest)-len(t[0])]
			}
		}
	} else {
		// The near text is a suffix of sql followed by a quote and the message;
		// take the longest suffix that fits, as the message may hold quotes.
		for i := len(rest) - 1; i >= 0; i-- {
			if rest[i] == '"' && i <= len(sql) && sql[len(sql)-i:] == rest[:i] {
				off, msg = len(sql)-i, rest[i+1:]
				break
			}
		}
	}
	e := &ParseError{Msg: strings.TrimSpace(msg)}
	if e.Msg == "" {
		e.Msg = "syntax error"
	}
	if off < 0 {
		// Unexpected shape: fall back to the parser's line and column.
		e.Line, _ = strconv.Atoi(m[1])
		e.Column, _ = strconv.Atoi(m[2])
		return e
	}
	e.at(sql, off)
	return e
}

// at sets the position and Near text from a byte offset into sql.
func (e *ParseError) at(sql string, off int) {
	before := sql[:off]
	e.Line = strings.Count(before, "\n") + 1
	e.Column = utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	e.Near = shorten(sql[off:])
}

// shorten keeps the first line of s, at most 40 characters.
func shorten(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "..."
	}
	return strings.TrimSpace(s)
}
