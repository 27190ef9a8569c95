package sqlmatch

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// RefusedError is the error of CheckReadOnly: the statement must not run.
type RefusedError struct {
	// What names what was refused, as a user wrote it: "SELECT ... INTO
	// OUTFILE", "FOR UPDATE", "LOAD_FILE()", "an INSERT statement",
	// "several statements", "an executable comment /*! ... */", or "SQL
	// that TiDB's parser cannot read".
	What string
	// Why says why, as a clause: "it writes a file on the database server".
	Why string
	// Parse is the parser's error when the text does not parse (or holds
	// no statement); Unwrap returns it, so errors.As finds a *ParseError.
	Parse *ParseError
}

func (e *RefusedError) Error() string {
	verb := " is refused: "
	if strings.HasPrefix(e.What, "several ") {
		verb = " are refused: "
	}
	if e.Parse != nil {
		return fmt.Sprintf("%v (%s%s%s)", e.Parse, e.What, verb, e.Why)
	}
	return e.What + verb + e.Why
}

// Unwrap returns the parse error of SQL that does not parse, else nil.
func (e *RefusedError) Unwrap() error {
	if e.Parse == nil {
		return nil
	}
	return e.Parse
}

// CheckReadOnly is the read-only guard: it returns nil when sql is exactly
// one statement that only reads, and otherwise a *RefusedError naming the
// first construct that is not on the guard's allow-list (see the package
// comment, "Read-only guard"). Text that does not parse is refused too, with
// the *ParseError in RefusedError.Parse: what cannot be parsed cannot be
// checked.
func CheckReadOnly(sql string) error {
	return withOneStatement(sql, func(stmt ast.StmtNode) error {
		g := &guard{}
		stmt.Accept(g)
		if g.refused != nil {
			return g.refused
		}
		return nil
	})
}

// withOneStatement refuses what CheckReadOnly refuses before looking at the
// statement (an executable comment, text that does not parse, no statement
// or several, an optimizer hint TiDB cannot read), and otherwise calls fn
// with the one statement.
func withOneStatement(sql string, fn func(ast.StmtNode) error) error {
	if loc := executableComment.FindStringIndex(sql); loc != nil {
		return &RefusedError{
			What: "an executable comment " + sql[loc[0]:loc[1]] + " ... */",
			Why: "MySQL and TiDB run the text inside /*! ... */ and /*T! ... */ as SQL, and the guard's parser " +
				"and the engines do not agree on which of them they run, so a statement holding one is refused " +
				"(one inside a string literal too)",
		}
	}
	err := withStatements(sql, func(stmts []ast.StmtNode, warns []error) error {
		switch len(stmts) {
		case 0:
			return &RefusedError{What: "an empty statement", Why: "there is nothing to run",
				Parse: &ParseError{Line: 1, Column: 1, Msg: "no SQL statement"}}
		case 1:
		default:
			return &RefusedError{What: "several statements",
				Why: fmt.Sprintf("exactly one statement may run, this text holds %d", len(stmts))}
		}
		if len(warns) > 0 && strings.Contains(sql, "/*+") {
			// TiDB drops an optimizer hint it cannot read, with a warning;
			// MySQL may read it differently.
			return &RefusedError{What: "an optimizer hint that TiDB's parser cannot read",
				Why: "an unchecked hint may change how the statement runs (" + hintWarning(warns[0]) + ")"}
		}
		return fn(stmts[0])
	})
	if pe, ok := err.(*ParseError); ok {
		return &RefusedError{What: "SQL that TiDB's parser cannot read", Why: "what cannot be parsed cannot be checked", Parse: pe}
	}
	return err
}

// executableComment matches the opening of a comment whose text MySQL
// (/*!, /*!50000), TiDB (/*T![feature]) or MariaDB (/*M!) executes.
var executableComment = regexp.MustCompile(`/\*[A-Za-z]?!`)

// withStatements parses sql and calls fn with every statement and the
// parser's warnings while the parser is checked out of the pool. A syntax
// error is a *ParseError.
func withStatements(sql string, fn func([]ast.StmtNode, []error) error) (err error) {
	p := parsers.Get().(*parser.Parser)
	defer func() {
		// The parser is third-party code fed user input; a bug there must
		// surface as an error, not a crash. A parser that panicked may be in
		// any state, so it is not put back.
		if r := recover(); r != nil {
			err = fmt.Errorf("sqlmatch: internal error in %s: %v", panicSite(), r)
			return
		}
		parsers.Put(p)
	}()
	stmts, warns, err := p.Parse(sql, "", "")
	if err != nil {
		return newParseError(sql, err)
	}
	return fn(stmts, warns)
}

// guard is the allow-list visitor: every node it enters must be of a type
// known to only read; the first other node is recorded in refused and the
// walk skips everything after it.
type guard struct {
	refused *RefusedError
	explain string // "EXPLAIN" or "EXPLAIN ANALYZE" under an ExplainStmt
}

const statementWhy = "only SELECT (with WITH, set operations and subqueries), TABLE, VALUES, SHOW, DESCRIBE and EXPLAIN of those may run"

func (g *guard) refuse(what, why string) {
	if g.refused == nil {
		g.refused = &RefusedError{What: what, Why: why}
	}
}

func (g *guard) Enter(n ast.Node) (ast.Node, bool) {
	if g.refused != nil {
		return n, true
	}
	switch x := n.(type) {
	case *ast.SelectStmt:
		if x.SelectIntoOpt != nil {
			g.refuse(selectInto(x.SelectIntoOpt), "it writes a file on the database server (or sets variables)")
		} else if x.LockInfo != nil && x.LockInfo.LockType != ast.SelectLockNone {
			what := strings.ToUpper(x.LockInfo.LockType.String())
			if x.LockInfo.LockType == ast.SelectLockForShare {
				what = "FOR SHARE (LOCK IN SHARE MODE)" // TiDB's parser reads both as one
			}
			g.refuse(what,
				"a locking read takes row locks (and FOR UPDATE is a write intent); a read-only query must not lock")
		}
	case *ast.ExplainStmt:
		if x.Stmt == nil {
			g.refuse("EXPLAIN of a plan or SQL digest", "the statement it would explain (or run) cannot be checked")
			break
		}
		g.explain = "EXPLAIN"
		if x.Analyze {
			g.explain = "EXPLAIN ANALYZE"
		}
	case *ast.SetOprStmt, *ast.SetOprSelectList, *ast.WithClause, *ast.CommonTableExpression,
		*ast.FieldList, *ast.SelectField, *ast.WildCardField, *ast.TableRefsClause, *ast.Join,
		*ast.TableSource, *ast.TableName, *ast.OnCondition, *ast.GroupByClause, *ast.HavingClause,
		*ast.OrderByClause, *ast.ByItem, *ast.Limit, *ast.WindowSpec, *ast.PartitionByClause,
		*ast.FrameClause, *ast.FrameBound, *ast.AsOfClause, *ast.TableSample, *ast.ShowStmt:
	case *ast.BetweenExpr, *ast.BinaryOperationExpr, *ast.CaseExpr, *ast.WhenClause,
		*ast.SubqueryExpr, *ast.CompareSubqueryExpr, *ast.ExistsSubqueryExpr, *ast.PatternInExpr,
		*ast.ColumnNameExpr, *ast.ColumnName, *ast.IsNullExpr, *ast.IsTruthExpr,
		*ast.PatternLikeOrIlikeExpr, *ast.PatternRegexpExpr, *ast.ParenthesesExpr, *ast.PositionExpr,
		*ast.RowExpr, *ast.UnaryOperationExpr, *ast.MatchAgainst, *ast.SetCollationExpr,
		*ast.FuncCastExpr, *ast.TimeUnitExpr, *ast.TrimDirectionExpr, *ast.GetFormatSelectorExpr:
	case ast.ParamMarkerExpr, ast.ValueExpr:
		// A literal, or a ? of a prepared statement: its value is data.
	case *ast.VariableExpr:
		if x.Value != nil {
			g.refuse(fmt.Sprintf("the assignment @%s := ...", x.Name), "it changes session state; a read may read a variable but not set one")
		}
	case *ast.FuncCallExpr:
		g.function(x)
	case *ast.AggregateFuncExpr:
		if !aggregateFuncs[strings.ToLower(x.F)] {
			g.refuse(strings.ToUpper(x.F)+"()", "it is not an aggregate function on the guard's allow-list")
		}
	case *ast.WindowFuncExpr:
		if name := strings.ToLower(x.Name); !windowFuncs[name] && !aggregateFuncs[name] {
			g.refuse(strings.ToUpper(x.Name)+"()", "it is not a window function on the guard's allow-list")
		}
	case *ast.TableOptimizerHint:
		if !planHints[x.HintName.L] {
			g.refuse("the optimizer hint "+strings.ToUpper(x.HintName.O)+"()",
				"only hints that choose a plan (join, index, aggregation, storage) may be given; SET_VAR, RESOURCE_GROUP, MEMORY_QUOTA and the like change settings")
		}
	default:
		what := describe(n)
		why := "it is not on the guard's allow-list of read-only expressions"
		if _, ok := n.(ast.StmtNode); ok {
			why = statementWhy
			if g.explain != "" {
				what = g.explain + " of " + what
				why = "EXPLAIN is allowed only of a statement that is allowed itself (EXPLAIN ANALYZE runs it)"
			}
		}
		g.refuse(what, why)
	}
	return n, g.refused != nil
}

func (g *guard) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func selectInto(o *ast.SelectIntoOption) string {
	switch o.Tp {
	case ast.SelectIntoOutfile:
		return "SELECT ... INTO OUTFILE"
	case ast.SelectIntoDumpfile:
		return "SELECT ... INTO DUMPFILE"
	}
	return "SELECT ... INTO variables"
}

// function checks a call against the allow-list of pure built-in functions.
func (g *guard) function(x *ast.FuncCallExpr) {
	name := x.FnName.L
	if x.Schema.L != "" {
		g.refuse(fmt.Sprintf("the stored function %s.%s()", x.Schema.O, x.FnName.O),
			"only built-in functions on the guard's allow-list may be called; a stored function can write")
		return
	}
	if pureFuncs[name] {
		return
	}
	what := strings.ToUpper(x.FnName.O) + "()"
	switch name {
	case ast.LoadFile:
		g.refuse(what, "it reads a file on the database server")
	case ast.Sleep, ast.Benchmark:
		g.refuse(what, "a read must not wait or burn CPU on purpose; the query timeout would be its only bound")
	case ast.GetLock, ast.ReleaseLock, ast.ReleaseAllLocks, ast.IsFreeLock, ast.IsUsedLock:
		g.refuse(what, "it takes, releases or inspects a named lock, which outlives the query")
	case ast.NextVal, ast.SetVal, ast.LastVal:
		g.refuse(what, "it advances or reads a sequence's session state")
	case ast.LastInsertId, ast.SetVar, ast.GetVar:
		g.refuse(what, "it sets or reads session state through a function")
	case ast.Values, ast.DefaultFunc:
		g.refuse(what, "it belongs to INSERT and UPDATE")
	default:
		g.refuse(what, "only built-in functions on the guard's allow-list of pure functions may be called; "+
			"an unknown name may be a user-defined function, which can write")
	}
}

// describe names a node for a refusal: a statement by its keywords ("an
// INSERT statement", "a CREATE TABLE statement"), anything else by its type.
func describe(n ast.Node) string {
	switch x := n.(type) {
	case *ast.InsertStmt:
		if x.IsReplace {
			return "a REPLACE statement"
		}
		return "an INSERT statement"
	case *ast.SetStmt:
		return "a SET statement"
	case *ast.BeginStmt:
		return "a START TRANSACTION statement"
	case *ast.DefaultExpr:
		return "DEFAULT()"
	case *ast.ValuesExpr:
		return "VALUES()"
	case *ast.TableNameExpr:
		return "a sequence reference"
	}
	name := reflect.TypeOf(n).String()
	name = strings.TrimPrefix(name[strings.LastIndexByte(name, '.')+1:], "*")
	stmt := strings.HasSuffix(name, "Stmt")
	name = strings.TrimSuffix(name, "Stmt")
	var words []string
	start := 0
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) && !unicode.IsUpper(rune(name[i-1])) {
			words = append(words, name[start:i])
			start = i
		}
	}
	words = append(words, name[start:])
	text := strings.ToUpper(strings.Join(words, " "))
	if !stmt {
		return "the construct " + text
	}
	article := "a "
	if strings.ContainsRune("AEIO", rune(text[0])) || text[0] == 'U' && !strings.HasPrefix(text, "USE") {
		article = "an "
	}
	return article + text + " statement"
}

func set(names string) map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(names) {
		m[n] = true
	}
	return m
}

// pureFuncs are the built-in functions a read may call: each computes a
// value from its arguments (and, for NOW(), RAND(), UUID() and the like, the
// clock, a random source or the connection) and changes nothing. The names
// are TiDB's (its parser turns some syntax into calls: char_func for CHAR(),
// insert_func for INSERT(), json_memberof for MEMBER OF, the date/time
// literals). Left out on purpose: LOAD_FILE, SLEEP, BENCHMARK, the lock
// functions, sequences, LAST_INSERT_ID, VALUES, DEFAULT, PASSWORD, TiDB's
// key and MVCC internals, and every name TiDB does not know.
var pureFuncs = set(ast.DateLiteral + " " + ast.TimeLiteral + " " + ast.TimestampLiteral + `
	interval coalesce greatest least if ifnull nullif isnull
	regexp_like regexp_substr regexp_instr regexp_replace
	abs acos asin atan atan2 ceil ceiling conv cos cot crc32 degrees exp floor ln log log2 log10 pi
	pow power radians rand round sign sin sqrt tan truncate bit_count
	adddate addtime convert_tz curdate current_date current_time current_timestamp curtime date
	date_add date_format date_sub datediff day dayname dayofmonth dayofweek dayofyear extract
	from_days from_unixtime get_format hour localtime localtimestamp makedate maketime microsecond
	minute month monthname now period_add period_diff quarter sec_to_time second str_to_date subdate
	subtime sysdate time time_format time_to_sec timediff timestamp timestampadd timestampdiff
	to_days to_seconds unix_timestamp utc_date utc_time utc_timestamp week weekday weekofyear year
	yearweek last_day
	ascii bin concat concat_ws convert elt export_set field format from_base64 insert_func instr
	lcase left length locate lower lpad ltrim make_set mid oct octet_length ord position quote
	repeat replace reverse right rtrim space strcmp substring substr substring_index to_base64 trim
	translate upper ucase hex unhex rpad bit_length char_func char_length character_length
	find_in_set weight_string soundex
	charset coercibility collation connection_id current_user current_role database found_rows
	row_count schema session_user system_user user version tidb_version format_bytes
	format_nano_time current_resource_group tidb_parse_tso tidb_parse_tso_logical
	tidb_current_tso tidb_bounded_staleness
	any_value inet_aton inet_ntoa inet6_aton inet6_ntoa is_ipv4 is_ipv4_compat is_ipv4_mapped
	is_ipv6 is_uuid name_const uuid uuid_v4 uuid_v7 uuid_version uuid_timestamp uuid_short
	uuid_to_bin bin_to_uuid grouping
	aes_decrypt aes_encrypt compress decode encode md5 random_bytes sha1 sha sha2 sm3 uncompress
	uncompressed_length
	json_type json_extract json_unquote json_array json_object json_merge json_set json_insert
	json_replace json_remove json_overlaps json_contains json_memberof json_contains_path
	json_valid json_array_append json_array_insert json_merge_patch json_merge_preserve
	json_pretty json_quote json_schema_valid json_search json_storage_free json_storage_size
	json_depth json_keys json_length
	vec_dims vec_l1_distance vec_l2_distance vec_negative_inner_product vec_cosine_distance
	vec_l2_norm vec_from_text vec_as_text fts_match_word
	mask_full mask_partial mask_null mask_date
`)

var aggregateFuncs = set(`
	count sum avg max min group_concat bit_and bit_or bit_xor std stddev stddev_pop stddev_samp
	variance var_pop var_samp json_arrayagg json_objectagg approx_count_distinct approx_percentile
`)

var windowFuncs = set(`
	row_number rank dense_rank cume_dist percent_rank ntile lead lag first_value last_value nth_value
`)

// planHints are the optimizer hints that only choose a plan.
var planHints = set(`
	hash_join merge_join inl_join inl_hash_join inl_merge_join broadcast_join shuffle_join
	hash_join_build hash_join_probe no_hash_join no_merge_join no_index_join no_index_hash_join
	no_index_merge_join leading straight_join use_index ignore_index force_index order_index
	no_order_index use_index_merge no_index_merge index_lookup_pushdown hash_agg stream_agg
	mpp_1phase_agg mpp_2phase_agg agg_to_cop limit_to_cop read_from_storage use_toja
	semi_join_rewrite no_decorrelate merge qb_name max_execution_time
`)

// Setting is one assignment of a SET statement, as ParseSessionStatement
// returns it.
type Setting struct {
	// Name is the variable in lower case: a system variable ("autocommit"),
	// a user variable with its @ ("@x"), "names" for SET NAMES or
	// "character set" for SET CHARACTER SET. SET TRANSACTION sets
	// tx_isolation or tx_read_only, as TiDB's parser reads it.
	Name string
	// Global is set for a change to every connection: SET GLOBAL,
	// @@global.x, SET INSTANCE.
	Global bool
	// Constant reports that the value is a constant, whose text is Value: a
	// literal (a string without its quotes), a bare word such as ON or
	// utf8mb4 (lower case), or "default". An expression is not evaluated by
	// a setting a server allows, so it leaves Constant false and Value empty.
	Constant bool
	Value    string
	// Collate is the collation of SET NAMES ... COLLATE, lower case.
	Collate string
}

// SessionStatement is a statement that sets up a connection and reads no
// data: USE db (Use), SET (Settings), or a plain transaction statement
// (Transaction: "begin", "begin read only", "commit" or "rollback").
type SessionStatement struct {
	Use         string
	Settings    []Setting
	Transaction string
}

// ParseSessionStatement parses sql as one USE, SET (SET NAMES, SET
// CHARACTER SET, SET of variables, SET TRANSACTION), START TRANSACTION
// [READ ONLY], BEGIN, COMMIT or ROLLBACK statement. CheckReadOnly refuses
// all of them; a server that lets MySQL clients set up their connections
// (the emulator's MySQL endpoint) decides from the result which to allow.
// Any other text is an error: a transaction statement with options (TiDB's
// PESSIMISTIC, AS OF, AND CHAIN, a savepoint), any other statement, or
// what CheckReadOnly refuses for its own reasons (an executable comment,
// several statements, a parse error).
func ParseSessionStatement(sql string) (*SessionStatement, error) {
	var out *SessionStatement
	err := withOneStatement(sql, func(stmt ast.StmtNode) error {
		switch x := stmt.(type) {
		case *ast.UseStmt:
			out = &SessionStatement{Use: x.DBName}
		case *ast.SetStmt:
			out = &SessionStatement{}
			for _, a := range x.Variables {
				s := Setting{Name: strings.ToLower(a.Name), Global: a.IsGlobal || a.IsInstance}
				switch {
				case a.Name == ast.SetNames:
					s.Name = "names"
				case a.Name == ast.SetCharset:
					s.Name = "character set"
				case !a.IsSystem:
					s.Name = "@" + s.Name
				}
				s.Value, s.Constant = constantText(a.Value)
				if a.ExtendValue != nil {
					s.Collate, _ = constantText(a.ExtendValue)
				}
				out.Settings = append(out.Settings, s)
			}
		case *ast.BeginStmt:
			if x.Mode == "" && x.AsOf == nil && !x.CausalConsistencyOnly {
				out = &SessionStatement{Transaction: "begin"}
				if x.ReadOnly {
					out.Transaction = "begin read only"
				}
			}
		case *ast.CommitStmt:
			if x.CompletionType == ast.CompletionTypeDefault {
				out = &SessionStatement{Transaction: "commit"}
			}
		case *ast.RollbackStmt:
			if x.CompletionType == ast.CompletionTypeDefault && x.SavepointName == "" {
				out = &SessionStatement{Transaction: "rollback"}
			}
		}
		if out == nil {
			return &RefusedError{What: describe(stmt), Why: "it is not a USE, SET or plain transaction statement"}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// constantText returns the text of a constant value: a literal, a bare
// word, DEFAULT or a negative number.
func constantText(e ast.ExprNode) (string, bool) {
	switch x := e.(type) {
	case nil:
		return "default", true
	case *ast.DefaultExpr:
		if x.Name == nil {
			return "default", true
		}
	case *ast.ColumnNameExpr:
		if x.Name.Table.L == "" && x.Name.Schema.L == "" {
			return x.Name.Name.L, true
		}
	case ast.ParamMarkerExpr:
	case ast.ValueExpr:
		if v := x.GetValue(); v != nil {
			return fmt.Sprint(v), true
		}
		return "null", true
	case *ast.UnaryOperationExpr:
		if t, ok := constantText(x.V); ok && x.Op == opcode.Minus {
			if _, isValue := x.V.(ast.ValueExpr); isValue {
				return "-" + t, true
			}
		}
	}
	return "", false
}

// hintWarning is a parser warning without its "[parser:1064]" class.
func hintWarning(err error) string {
	text := err.Error()
	if strings.HasPrefix(text, "[") {
		if i := strings.Index(text, "]"); i > 0 {
			text = text[i+1:]
		}
	}
	return strings.TrimSpace(text)
}
