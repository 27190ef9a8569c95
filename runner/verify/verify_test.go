package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/go-sql-driver/mysql"
	"github.com/sirupsen/logrus"
)

const (
	testUser     = "verify"
	testPassword = "s3cret-Pw-7781"
)

// The emulator's engine and its MySQL server, shared by the tests of the package.
var (
	emu     *sqldb.DB
	emuAddr string
)

func TestMain(m *testing.M) {
	// go-mysql-server logs dropped connections (the timeout and row-cap tests drop theirs)
	// through the global logrus logger at Error level.
	logrus.SetLevel(logrus.FatalLevel)
	os.Exit(func() int {
		var err error
		if emu, err = sqldb.Open(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer emu.Close()
		srv, err := emu.ServeMySQL("127.0.0.1:0", testUser, testPassword)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer srv.Close()
		emuAddr = srv.Addr
		return m.Run()
	}())
}

func dsn(password, database string) string {
	return fmt.Sprintf("%s:%s@tcp(%s)/%s", testUser, password, emuAddr, database)
}

func open(t *testing.T, opts Options) *MySQL {
	t.Helper()
	m, err := Open(dsn(testPassword, ""), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// queryErr runs a query that must fail and returns its error, checking that the text never
// shows the password.
func queryErr(t *testing.T, m *MySQL, database, query string) error {
	t.Helper()
	res, err := m.Query(testContext(t), database, query)
	if err == nil {
		t.Fatalf("%s: no error, result %v", query, res)
	}
	if strings.Contains(err.Error(), testPassword) {
		t.Fatalf("%s: the error shows the password: %v", query, err)
	}
	return err
}

func TestQuerySelect(t *testing.T) {
	m := open(t, Options{})
	ctx := testContext(t)
	const q = "SELECT stock_symbol, market_cap, employees FROM companies ORDER BY stock_symbol LIMIT 3"
	got, err := m.Query(ctx, sqldb.DatabaseName, q)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"stock_symbol", "market_cap", "employees"}; strings.Join(got.Columns, ",") != strings.Join(want, ",") {
		t.Errorf("columns %q, want %q", got.Columns, want)
	}
	// The cells are the text the server printed: what the engine renders for a MySQL client.
	want, err := emu.Query(ctx, sqldb.DatabaseName, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 3 || len(want.Rows) != 3 {
		t.Fatalf("%d rows, want 3 (engine: %d)", len(got.Rows), len(want.Rows))
	}
	for i, row := range got.Rows {
		for j, cell := range row {
			s, ok := cell.(string)
			if !ok || s != fmt.Sprint(want.Rows[i][j]) {
				t.Errorf("row %d column %d = %#v, want the text %q", i, j, cell, fmt.Sprint(want.Rows[i][j]))
			}
		}
	}
	if s := got.Rows[0][1].(string); !strings.HasSuffix(s, ".00") && !strings.Contains(s, ".") {
		t.Errorf("market_cap %q: DECIMAL(20,2) should keep its two decimals", s)
	}
}

func TestQueryNullAndEmpty(t *testing.T) {
	m := open(t, Options{})
	got, err := m.Query(testContext(t), "", "SELECT NULL AS n, '' AS e, CAST(1.50 AS DECIMAL(10,3)) AS d, 'NULL' AS s")
	if err != nil {
		t.Fatal(err)
	}
	want := resultset.Table{Columns: []string{"n", "e", "d", "s"}, Rows: [][]any{{nil, "", "1.500", "NULL"}}}
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}

	// The driver parses integer and floating-point columns itself (see the package doc); scanned
	// back to text, integers are unchanged, a FLOAT keeps its float32 shortest form and a DOUBLE
	// takes Go's shortest form, the same number in a notation of Go's.
	got, err = m.Query(testContext(t), "", "SELECT 42 AS i, -7 AS n, 18446744073709551615 AS u, 0.5e0 AS f, CAST(0.1 AS FLOAT) AS f32, 1e6 AS big, DATE '2024-01-02' AS d")
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{"42", "-7", "18446744073709551615", "0.5", "0.1", "1e+06", "2024-01-02"}; fmt.Sprintf("%#v", got.Rows) != fmt.Sprintf("%#v", [][]any{want}) {
		t.Errorf("typed cells %#v, want %#v", got.Rows, want)
	}

	got, err = m.Query(testContext(t), sqldb.DatabaseName, "SELECT dividend_yield FROM companies WHERE dividend_yield IS NULL LIMIT 2")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) == 0 {
		t.Fatal("no company without a dividend")
	}
	for _, row := range got.Rows {
		if row[0] != nil {
			t.Errorf("NULL dividend_yield read as %#v", row[0])
		}
	}

	got, err = m.Query(testContext(t), sqldb.DatabaseName, "SELECT stock_symbol FROM companies WHERE 1 = 0")
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows == nil || len(got.Rows) != 0 || len(got.Columns) != 1 {
		t.Errorf("empty result = %#v, want one column and no rows (non-nil)", got)
	}
}

func TestMaxRows(t *testing.T) {
	// The timeout only turns a regression (reading the whole result) into a wrong error
	// instead of a hang; nothing here measures time.
	m := open(t, Options{MaxRows: 5, Timeout: time.Minute})
	if got, err := m.Query(testContext(t), sqldb.DatabaseName, "SELECT stock_symbol FROM companies LIMIT 5"); err != nil || len(got.Rows) != 5 {
		t.Errorf("exactly MaxRows rows: %d rows, %v", len(got.Rows), err)
	}
	err := queryErr(t, m, sqldb.DatabaseName, "SELECT stock_symbol FROM companies")
	if !strings.Contains(err.Error(), "the expected SQL returned more than 5 rows (max_rows)") {
		t.Errorf("error %q, want the row cap", err)
	}
	// Stopping early drops the connection instead of reading the rest of a huge result (1.4
	// billion rows here): the error is the row cap, not the timeout, and the connection is
	// closed, not returned to the pool.
	err = queryErr(t, m, sqldb.DatabaseName, "SELECT a.volume FROM stock_prices a, stock_prices b")
	if !strings.Contains(err.Error(), "more than 5 rows") || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %q, want the row cap", err)
	}
	if n := m.withDB.Stats().OpenConnections; n != 0 {
		t.Errorf("%d connections open after the row cap, want the one used dropped", n)
	}
	// The pool recovers from the dropped connection.
	if _, err := m.Query(testContext(t), sqldb.DatabaseName, "SELECT 1"); err != nil {
		t.Errorf("after the row cap: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	m := open(t, Options{Timeout: 50 * time.Millisecond})
	// The query would take minutes; that it ends is shown by the error (no duration is
	// asserted: a busy machine must not fail the test).
	err := queryErr(t, m, sqldb.DatabaseName, "SELECT COUNT(*) FROM stock_prices a, stock_prices b")
	if !strings.Contains(err.Error(), "timed out after 50ms (verify timeout)") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %q, want the verify timeout wrapping DeadlineExceeded", err)
	}
	if !strings.HasPrefix(err.Error(), emuAddr+"/"+sqldb.DatabaseName+": ") {
		t.Errorf("error %q, want the server and database named", err)
	}

	// A caller's cancellation is not reported as the verify timeout.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Query(ctx, sqldb.DatabaseName, "SELECT 1"); err == nil || strings.Contains(err.Error(), "verify timeout") {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestDatabase(t *testing.T) {
	m := open(t, Options{})
	err := queryErr(t, m, "nosuch", "SELECT 1")
	if !strings.Contains(err.Error(), "nosuch") || !strings.Contains(err.Error(), "1049") {
		t.Errorf("unknown database: %v", err)
	}
	// The name is quoted, not spliced: a backtick is part of the name.
	err = queryErr(t, m, "x` ; DROP TABLE companies; --", "SELECT 1")
	if !strings.Contains(err.Error(), "1049") {
		t.Errorf("database with a backtick: %v, want database not found", err)
	}

	// A query without a database runs on a connection that never had a USE.
	for range 3 {
		if _, err := m.Query(testContext(t), sqldb.DatabaseName, "SELECT 1"); err != nil {
			t.Fatal(err)
		}
		got, err := m.Query(testContext(t), "", "SELECT DATABASE()")
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows[0][0] == sqldb.DatabaseName {
			t.Fatalf("DATABASE() = %v after an earlier query's USE", got.Rows[0][0])
		}
	}

	// Without a database, the DSN's applies.
	withDB, err := Open(dsn(testPassword, sqldb.DatabaseName), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer withDB.Close()
	if got, err := withDB.Query(testContext(t), "", "SELECT COUNT(*) FROM companies"); err != nil || len(got.Rows) != 1 {
		t.Errorf("DSN database: %v, %v", got, err)
	}
}

func TestRefused(t *testing.T) {
	m := open(t, Options{})
	before, err := m.Query(testContext(t), sqldb.DatabaseName, "SELECT COUNT(*) FROM companies")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DELETE FROM companies",
		"UPDATE companies SET employees = 0",
		"INSERT INTO users (user_id) VALUES (999999)",
		"DROP TABLE companies",
		"CREATE TABLE t (a INT)",
		"SELECT * FROM companies FOR UPDATE",
		"EXPLAIN ANALYZE DELETE FROM companies",
		"SELECT 1; DELETE FROM companies",
		"SELECT 1; SELECT 2",
		"SELEC 1",
		"",
		"SELECT 1 UNION SELECT 2 INTO OUTFILE '/tmp/x'",
		"SELECT 1 UNION SELECT 2 FOR UPDATE",
		"SELECT LOAD_FILE('/etc/hostname')",
	} {
		err := queryErr(t, m, sqldb.DatabaseName, q)
		var re *sqlmatch.RefusedError
		if !strings.Contains(err.Error(), "the expected SQL is not run") || !errors.As(err, &re) {
			t.Errorf("%q: %v, want a refusal before sending", q, err)
		}
	}
	after, err := m.Query(testContext(t), sqldb.DatabaseName, "SELECT COUNT(*) FROM companies")
	if err != nil || fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("companies after the refused writes: %v (%v), before %v", after, err, before)
	}
	for _, q := range []string{"SHOW TABLES", "DESCRIBE companies", "SELECT 1 UNION SELECT 2", "WITH c AS (SELECT 1 AS x) SELECT x FROM c"} {
		if _, err := m.Query(testContext(t), sqldb.DatabaseName, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestRefusedBeforeSending points verify at a server that counts its connections: a refused
// statement never opens one.
func TestRefusedBeforeSending(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	m, err := Open(fmt.Sprintf("%s:%s@tcp(%s)/db", testUser, testPassword, ln.Addr()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for q, what := range map[string]string{
		"SELECT 1 UNION SELECT 2 INTO OUTFILE '/tmp/x'":                "SELECT ... INTO OUTFILE is refused",
		"SELECT a FROM t UNION SELECT b FROM u FOR UPDATE":             "FOR UPDATE is refused",
		"(SELECT 1) UNION (SELECT a FROM t LOCK IN SHARE MODE)":        "FOR SHARE (LOCK IN SHARE MODE) is refused",
		"WITH c AS (SELECT SLEEP(5)) SELECT * FROM c":                  "SLEEP() is refused",
		"SELECT * FROM t WHERE a IN (SELECT LOAD_FILE('/etc/passwd'))": "LOAD_FILE() is refused",
	} {
		err := queryErr(t, m, "", q)
		var re *sqlmatch.RefusedError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "the expected SQL is not run: "+what) {
			t.Errorf("%s: %v, want %q", q, err, what)
		}
	}
	ln.Close()
	if n := accepted.Load(); n != 0 {
		t.Errorf("%d connections to the server, want none", n)
	}
}

func TestOpenForcesDriverConfig(t *testing.T) {
	m, err := Open(dsn(testPassword, "")+"?multiStatements=true&interpolateParams=true&parseTime=true&readTimeout=7s", Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := m.cfg
	if c.MultiStatements || c.InterpolateParams || c.ParseTime || c.AllowAllFiles {
		t.Errorf("config not forced: %+v", c)
	}
	if c.Timeout != time.Second || c.ReadTimeout != 7*time.Second || c.WriteTimeout <= time.Second {
		t.Errorf("timeouts: dial %v read %v write %v", c.Timeout, c.ReadTimeout, c.WriteTimeout)
	}
	if m.opts.MaxRows != DefaultMaxRows {
		t.Errorf("MaxRows %d, want the default", m.opts.MaxRows)
	}
}

func TestReadOnlyUnsupported(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&mysql.MySQLError{Number: 1235, Message: "function READ ONLY has only noop implementation in tidb now, use tidb_enable_noop_functions to enable these functions"}, true},
		{&mysql.MySQLError{Number: 1064, Message: "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'READ ONLY' at line 1"}, true},
		{fmt.Errorf("begin: %w", &mysql.MySQLError{Number: 1235, Message: "function READ ONLY has only noop implementation"}), true},
		{&mysql.MySQLError{Number: 1235, Message: "function LOCK IN SHARE MODE has only noop implementation"}, false},
		{&mysql.MySQLError{Number: 1792, Message: "Cannot execute statement in a READ ONLY transaction."}, false},
		{&mysql.MySQLError{Number: 1045, Message: "Access denied"}, false},
		{mysql.ErrInvalidConn, false},
		{nil, false},
	} {
		if got := readOnlyUnsupported(c.err); got != c.want {
			t.Errorf("readOnlyUnsupported(%v) = %v", c.err, got)
		}
	}
}

func TestWrongPassword(t *testing.T) {
	const wrong = "wrong-Password-4242"
	m, err := Open(dsn(wrong, sqldb.DatabaseName), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	_, err = m.Query(testContext(t), "", "SELECT 1")
	if err == nil {
		t.Fatal("no error with a wrong password")
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), testPassword) {
		t.Errorf("the error shows a password: %v", err)
	}
	if !strings.Contains(err.Error(), "1045") {
		t.Errorf("error %q, want access denied", err)
	}
}

func TestScrubbedServerMessage(t *testing.T) {
	// A server message that happens to quote the password (here: a database named like it)
	// is scrubbed.
	m := open(t, Options{})
	err := queryErr(t, m, "db-"+testPassword, "SELECT 1")
	if !strings.Contains(err.Error(), "db-***") {
		t.Errorf("error %q, want the password replaced by ***", err)
	}
}

func TestOpenMalformed(t *testing.T) {
	const pw = "p4ssw0rd-secret"
	for _, d := range []string{
		"user:" + pw + "@tcp(host:4000",
		"user:" + pw + "@tcp(host:4000/db",
		"user:" + pw + "@tcp(host:4000)/db?tls=" + pw,
		"user:" + pw + "@tcp(host:4000)/db?parseTime=" + pw,
		"user:" + pw + "@tcp(host:4000)/db?readTimeout=" + pw,
		"user:" + pw + "@tcp(host:4000)/%zz" + pw,
		"user:" + pw + "@tcp(host:4000)/db?serverPubKey=" + pw,
	} {
		m, err := Open(d, Options{})
		if err == nil {
			m.Close()
			t.Errorf("Open(%q): no error", d)
			continue
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("Open(%q) error shows the password: %v", d, err)
		}
		if !strings.Contains(err.Error(), "invalid MySQL DSN") {
			t.Errorf("Open(%q) error %q", d, err)
		}
	}
	if _, err := Open("user:"+pw+"@tcp(host:4000", Options{}); !strings.Contains(err.Error(), "missing the slash") {
		t.Errorf("missing slash: %v", err)
	}
}

func TestConcurrent(t *testing.T) {
	m := open(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			db := sqldb.DatabaseName
			if i%2 == 1 {
				db = ""
			}
			got, err := m.Query(testContext(t), db, fmt.Sprintf("SELECT %d AS i", i))
			if err != nil || len(got.Rows) != 1 || got.Rows[0][0] != fmt.Sprint(i) {
				t.Errorf("query %d: %v, %v", i, got, err)
			}
		})
	}
	wg.Wait()
}

// TestEngine checks the bounds Engine puts on an in-process engine: the
// result as given, the engine's own truncation and max_rows are errors, and
// the query runs under the timeout.
func TestEngine(t *testing.T) {
	rows := func(n int) [][]any { return make([][]any, n) }
	for _, c := range []struct {
		name      string
		rows      [][]any
		truncated bool
		err       error
		want      string // "" for no error
	}{
		{name: "result", rows: rows(2)},
		{name: "at max_rows", rows: rows(3)},
		{name: "over max_rows", rows: rows(4), want: "more than 3 rows (max_rows)"},
		{name: "truncated by the engine", rows: rows(2), truncated: true, want: "more than 2 rows, the most the engine returns"},
		{name: "engine error", err: errors.New("no such table"), want: "no such table"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var gotDeadline bool
			q := Engine(func(ctx context.Context, database, query string) ([]string, [][]any, bool, error) {
				_, gotDeadline = ctx.Deadline()
				return []string{database + ":" + query}, c.rows, c.truncated, c.err
			}, Options{MaxRows: 3})
			got, err := q.Query(context.Background(), "db", "SELECT 1")
			if !gotDeadline {
				t.Error("the engine ran without the timeout")
			}
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %v, want %q", err, c.want)
				}
				return
			}
			if err != nil || got.Columns[0] != "db:SELECT 1" || len(got.Rows) != len(c.rows) {
				t.Errorf("Query = %v, %v", got, err)
			}
		})
	}
	var _ Querier = (*MySQL)(nil)
}

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"user:pass@tcp(host:4000)/?tls=true", "user:***@tcp(host:4000)/?tls=true"},
		{"user:pass@tcp(host:4000)/db", "user:***@tcp(host:4000)/db"},
		{"user@tcp(host:4000)/db", "user@tcp(host:4000)/db"},
		{"user:@tcp(host:4000)/db", "user:@tcp(host:4000)/db"},
		{"/db", "/db"},
		{"tcp(host:4000)/db", "tcp(host:4000)/db"},
		{"u:p@ss:w/rd@tcp(h:1)/db", "u:***@tcp(h:1)/db"}, // the password runs to the last '@' before the last '/'
		{"u.root:x@y@tcp(gateway01.prod.aws.tidbcloud.com:4000)/test?tls=true", "u.root:***@tcp(gateway01.prod.aws.tidbcloud.com:4000)/test?tls=true"},
		{"root:root@tcp(h)/root", "***:***@tcp(h)/***"},   // other occurrences go too
		{"u:secret@tcp(host:4000", "u:***@tcp(host:4000"}, // does not parse: redacted all the same
		{"u:a***@tcp(h)/aa***", "u:***@tcp(h)/***"},       // no occurrence re-forms
		{"u:abc@tcp(h)/abc", "u:***@tcp(h)/abc"},          // short: only where it is the password
	} {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"", "/", "user:pass@tcp(host:4000)/?tls=true", "u:p@ss@tcp(h)/db", "u:a***@tcp(h)/aa***",
		"root:root@unix(/tmp/mysql.sock)/root?x=root", "u:pw:pw@/", "@:@/", "u:secret@tcp(host:4000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		out := Redact(dsn)
		if dsn == "" && out != "" {
			t.Fatalf("Redact(\"\") = %q", out)
		}
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil || len(cfg.Passwd) < 4 {
			return
		}
		if strings.Contains(out, cfg.Passwd) {
			t.Fatalf("Redact(%q) = %q still contains the password %q", dsn, out, cfg.Passwd)
		}
	})
}
