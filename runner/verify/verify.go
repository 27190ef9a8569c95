// Package verify runs the expected SQL of a `match = "result"` check (execution accuracy) in a
// database and returns its result, to be compared with the data of Chat2Query's answer.
//
// The expected SQL comes from a spec file and the database may be a production cluster, so MySQL
// runs every query behind guards, each for a reason:
//
//   - One read-only statement, checked before anything is sent by c2q's one read-only guard
//     (sqlmatch.CheckReadOnly, an allow-list over TiDB's AST): SELECT, WITH, set operations,
//     TABLE, VALUES, SHOW, DESCRIBE and EXPLAIN of those, with no INTO or locking clause at any
//     depth, no variable assignment and only pure built-in functions (no LOAD_FILE, SLEEP,
//     GET_LOCK or stored function). A mistyped or hostile spec must not change data, and the
//     server cannot be relied on to refuse writes: TiDB parses START TRANSACTION READ ONLY but
//     does not enforce it (see below). Text that does not parse is refused too, since it cannot
//     be checked. The error wraps the guard's *sqlmatch.RefusedError.
//   - A READ ONLY transaction, always rolled back. MySQL refuses writes inside it, and the
//     rollback undoes any DML that still slipped through (DDL commits implicitly, which is why
//     the statement check comes first). TiDB refuses the syntax with error 1235 ("function READ
//     ONLY has only noop implementation") unless tidb_enable_noop_functions is set, and then
//     ignores it; servers older than MySQL 5.6.5 reject it as a syntax error. In those two cases
//     only, Query falls back to a plain transaction. For a hard guarantee, give the DSN's user
//     read-only privileges.
//   - No multi-statements: the driver's multiStatements is forced off whatever the DSN says,
//     so the server parses one statement ("SELECT 1; DROP TABLE t" is a syntax error) even if
//     the statement check were bypassed.
//   - A timeout per query (Options.Timeout): a runaway query (a forgotten join condition) must
//     not hang the run or load the cluster; on expiry the driver closes the connection, which
//     makes the server abandon the query.
//   - A row cap (Options.MaxRows): the result is held in memory and compared cell by cell. A
//     result over the cap is an error, not truncated, since a cut result would compare as a
//     wrong answer.
//
// Cells are strings, NULL is nil. DECIMAL, date and string cells are the server's text exactly.
// The pinned driver (go-sql-driver/mysql v1.7.2-0.20231213112541-0004702b931d) parses integer
// and floating-point columns of the text protocol itself; scanned back into strings, integers
// keep their text (ZEROFILL padding aside) and FLOAT/DOUBLE values come back as Go's shortest
// round-trip form: the same number, possibly in another notation ("1e+06" for MySQL's "1e6").
// Error messages never contain the DSN's password.
package verify

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/go-sql-driver/mysql"
)

// Defaults of Options.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxRows = 10000
)

// Querier runs a read-only query in a database and returns its result.
type Querier interface {
	Query(ctx context.Context, database, query string) (resultset.Table, error)
}

// RowsFunc runs a read-only query in an in-process engine, such as the
// emulator's, and returns the result's columns and rows; truncated reports
// rows the engine dropped past a cap of its own.
type RowsFunc func(ctx context.Context, database, query string) (columns []string, rows [][]any, truncated bool, err error)

// Engine is a Querier over an in-process engine, bounded by opts' timeout
// and row cap as MySQL is. The engine guards what it runs itself (the
// emulator's passes sqlmatch.CheckReadOnly first).
func Engine(run RowsFunc, opts Options) Querier { return engine{run: run, opts: opts.OrDefaults()} }

type engine struct {
	run  RowsFunc
	opts Options
}

func (e engine) Query(ctx context.Context, database, query string) (resultset.Table, error) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	columns, rows, truncated, err := e.run(ctx, database, query)
	switch {
	case err != nil:
		return resultset.Table{}, err
	case truncated:
		return resultset.Table{}, fmt.Errorf("the expected SQL returned more than %d rows, the most the engine returns", len(rows))
	case len(rows) > e.opts.MaxRows:
		return resultset.Table{}, fmt.Errorf("the expected SQL returned more than %d rows (max_rows)", e.opts.MaxRows)
	}
	return resultset.Table{Columns: columns, Rows: rows}, nil
}

// Options bound every query.
type Options struct {
	Timeout time.Duration // per query; 0 means DefaultTimeout (30s)
	MaxRows int           // 0 means DefaultMaxRows (10,000); a result with more rows is an error, not silently truncated
}

// OrDefaults returns o with the defaults in place of zero values.
func (o Options) OrDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	return o
}

// MySQL runs queries on a MySQL-protocol server (TiDB) named by a go-sql-driver DSN,
// e.g. "user:pass@tcp(host:4000)/?tls=true". It is safe for concurrent use.
type MySQL struct {
	cfg     *mysql.Config
	opts    Options
	withDB  *sql.DB // connections that always get a USE before the query
	plainDB *sql.DB // connections that never get a USE: for queries without a database
}

// Open parses dsn and prepares a connection pool without connecting.
func Open(dsn string, opts Options) (*MySQL, error) {
	opts = opts.OrDefaults()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		// The driver's message may quote part of the DSN, and a DSN that does not parse has no
		// reliable password to redact: say what is wrong in words of our own, without the DSN.
		return nil, fmt.Errorf("verify: invalid MySQL DSN: %s (the form is [user[:password]@][net[(addr)]]/dbname[?param=value&...])", dsnProblem(err))
	}
	cfg.MultiStatements = false   // one statement per query
	cfg.InterpolateParams = false // no client-side SQL rewriting
	cfg.ParseTime = false         // dates as the server's text
	cfg.ColumnsWithAlias = false  // plain column names, as the answer has them
	cfg.AllowAllFiles = false     // no LOAD DATA LOCAL INFILE on a server's request
	cfg.Logger = log.New(io.Discard, "", 0)
	if cfg.Timeout == 0 {
		cfg.Timeout = opts.Timeout
	}
	// I/O deadlines back up the context for what runs without one (the rollback); the slack
	// lets the context expire first, so that a slow query reports the verify timeout.
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = opts.Timeout + 5*time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = opts.Timeout + 5*time.Second
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("verify: MySQL DSN: %s", scrub(err.Error(), cfg.Passwd))
	}
	return &MySQL{cfg: cfg, opts: opts, withDB: sql.OpenDB(conn), plainDB: sql.OpenDB(conn)}, nil
}

// dsnProblem returns the reason of a DSN parse error if it is one of the driver's fixed
// messages, which quote nothing; otherwise a generic reason.
func dsnProblem(err error) string {
	msg := err.Error()
	for _, fixed := range []string{
		"missing the slash separating the database name",
		"network address not terminated (missing closing brace)",
		"did you forget to escape a param value?",
		"interpolateParams can not be used with unsafe collations",
	} {
		if msg == "invalid DSN: "+fixed {
			return fixed
		}
	}
	return "a parameter or the database name is invalid"
}

// Ping connects and logs in, so that a DSN that cannot work is found
// before any question is asked: a wrong password must not cost the AI
// requests of the questions that need it.
func (m *MySQL) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, m.opts.Timeout)
	defer cancel()
	if err := m.plainDB.PingContext(ctx); err != nil {
		return m.errorf(m.cfg.Addr, err, "cannot connect: %v", err)
	}
	return nil
}

// Close closes the connections.
func (m *MySQL) Close() error {
	return errors.Join(m.withDB.Close(), m.plainDB.Close())
}

// Query runs query in database (the DSN's database when ""), under the guards described in the
// package documentation.
func (m *MySQL) Query(ctx context.Context, database, query string) (resultset.Table, error) {
	if database == "" {
		database = m.cfg.DBName
	}
	where := m.cfg.Addr + "/" + database
	if err := sqlmatch.CheckReadOnly(query); err != nil {
		return resultset.Table{}, m.errorf(where, err, "the expected SQL is not run: %v", err)
	}
	qctx, cancel := context.WithTimeout(ctx, m.opts.Timeout)
	defer cancel()
	t, err := m.query(qctx, database, query)
	if err != nil {
		if ctx.Err() == nil && errors.Is(qctx.Err(), context.DeadlineExceeded) {
			return resultset.Table{}, m.errorf(where, context.DeadlineExceeded, "timed out after %s (verify timeout)", m.opts.Timeout)
		}
		if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) {
			err = fmt.Errorf("the server closed the connection (%w)", err)
		}
		return resultset.Table{}, m.errorf(where, err, "%v", err)
	}
	return t, nil
}

func (m *MySQL) query(ctx context.Context, database, query string) (t resultset.Table, err error) {
	// Cancelling closes the connection: on leaving early (row cap), rows.Close must not read
	// the rest of a result that may be huge.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	db := m.plainDB
	if database != "" {
		db = m.withDB
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return t, err
	}
	defer conn.Close()
	if database != "" {
		if _, err := conn.ExecContext(ctx, "USE `"+strings.ReplaceAll(database, "`", "``")+"`"); err != nil {
			return t, err
		}
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if readOnlyUnsupported(err) {
		tx, err = conn.BeginTx(ctx, nil)
	}
	if err != nil {
		return t, err
	}
	defer tx.Rollback() // always: nothing the query did may stay
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	if t.Columns, err = rows.Columns(); err != nil {
		return t, err
	}
	t.Rows = [][]any{}
	cells := make([]sql.NullString, len(t.Columns))
	dest := make([]any, len(cells))
	for i := range cells {
		dest[i] = &cells[i]
	}
	for rows.Next() {
		if len(t.Rows) == m.opts.MaxRows {
			stop()
			return resultset.Table{}, fmt.Errorf("the expected SQL returned more than %d rows (max_rows)", m.opts.MaxRows)
		}
		if err := rows.Scan(dest...); err != nil {
			return resultset.Table{}, err
		}
		row := make([]any, len(cells))
		for i, c := range cells {
			if c.Valid {
				row[i] = c.String
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return resultset.Table{}, err
	}
	return t, nil
}

// readOnlyUnsupported reports whether err is a server's refusal of START TRANSACTION READ ONLY
// itself: TiDB's error 1235 (a "noop implementation" it enables only with
// tidb_enable_noop_functions, and then does not enforce), or a syntax error 1064 at READ ONLY
// from a server that predates it (MySQL < 5.6.5).
func readOnlyUnsupported(err error) bool {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	msg := strings.ToUpper(me.Message)
	return (me.Number == 1235 || me.Number == 1064) && strings.Contains(msg, "READ ONLY")
}

// errorf makes the error of a query on where, wrapping cause (which may be nil), with the
// password scrubbed from the text.
func (m *MySQL) errorf(where string, cause error, format string, args ...any) error {
	msg := where + ": " + fmt.Sprintf(format, args...)
	return &queryError{msg: scrub(msg, m.cfg.Passwd), cause: cause}
}

type queryError struct {
	msg   string
	cause error
}

func (e *queryError) Error() string { return e.msg }
func (e *queryError) Unwrap() error { return e.cause }

// Redact returns dsn with its password replaced by "***" (for messages); "" stays "". The
// password is found as mysql.ParseDSN finds it (between the first ':' and the last '@' before
// the last '/'), also in a DSN that does not parse. Other occurrences of a password of 4 or
// more characters are replaced too, even where they are not the password (a user named like
// it); shorter ones would match ordinary text.
func Redact(dsn string) string {
	end := strings.LastIndexByte(dsn, '/')
	if end < 0 {
		end = len(dsn)
	}
	at := strings.LastIndexByte(dsn[:end], '@')
	if at < 0 {
		return dsn
	}
	colon := strings.IndexByte(dsn[:at], ':')
	if colon < 0 || colon+1 == at {
		return dsn
	}
	return scrub(dsn[:colon+1]+"***"+dsn[at:], dsn[colon+1:at])
}

// scrub replaces every occurrence of a password of at least 4 characters in s by "***". It
// repeats until none is left: a replacement can form a new occurrence ("a***" in "aa***").
// Each round shortens s, so it ends.
func scrub(s, password string) string {
	if len(password) < 4 {
		return s
	}
	for strings.Contains(s, password) {
		s = strings.ReplaceAll(s, password, "***")
	}
	return s
}
