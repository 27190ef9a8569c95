package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/dolthub/vitess/go/mysql"
	"github.com/dolthub/vitess/go/sqltypes"
	querypb "github.com/dolthub/vitess/go/vt/proto/query"
)

// guardedHandler wraps go-mysql-server's connection handler so that every statement a MySQL
// client sends passes the read-only guard before the engine sees it: COM_QUERY (and
// COM_FIELD_LIST, which the protocol layer turns into a query), a multi-statement COM_QUERY,
// COM_STMT_PREPARE and COM_STMT_EXECUTE. The last one is checked again because the protocol
// layer keeps a statement's text even when its preparation failed, and a client can ask to
// execute it anyway. Only the methods of mysql.Handler are passed on: the optional binlog
// replication interface of the wrapped handler is not offered.
type guardedHandler struct {
	mysql.Handler
}

// connectionIDs numbers the connections of every endpoint of the process. Each vitess
// listener counts from 1, but the endpoints of one DB share the engine's process list, where
// two connections 1 of two endpoints (a test's, say, and the next test's) would collide: the
// first to close unregisters the other.
var connectionIDs atomic.Uint32

// NewConnection renumbers the connection before the engine registers it (the handshake,
// which tells the client its id, comes after).
func (h guardedHandler) NewConnection(c *mysql.Conn) {
	c.ConnectionID = connectionIDs.Add(1)
	h.Handler.NewConnection(c)
}

func (h guardedHandler) ComQuery(ctx context.Context, c *mysql.Conn, query string, callback mysql.ResultSpoolFn) error {
	if err := checkEndpoint(query); err != nil {
		return err
	}
	return h.Handler.ComQuery(ctx, c, query, callback)
}

// ComMultiQuery runs the text as one statement: the guard accepts only one, and the engine
// must not find a second one where the guard's parser saw none.
func (h guardedHandler) ComMultiQuery(ctx context.Context, c *mysql.Conn, query string, callback mysql.ResultSpoolFn) (string, error) {
	if err := checkEndpoint(query); err != nil {
		return "", err
	}
	return "", h.Handler.ComQuery(ctx, c, query, callback)
}

func (h guardedHandler) ComPrepare(ctx context.Context, c *mysql.Conn, query string, prepare *mysql.PrepareData) ([]*querypb.Field, error) {
	if err := checkEndpoint(query); err != nil {
		return nil, err
	}
	return h.Handler.ComPrepare(ctx, c, query, prepare)
}

func (h guardedHandler) ComStmtExecute(ctx context.Context, c *mysql.Conn, prepare *mysql.PrepareData, callback func(*sqltypes.Result) error) error {
	if prepare == nil {
		return mysql.NewSQLError(mysql.ERUnknownComError, mysql.SSUnknownComError, "unknown prepared statement")
	}
	if err := checkEndpoint(prepare.PrepareStmt); err != nil {
		return err
	}
	return h.Handler.ComStmtExecute(ctx, c, prepare, callback)
}

// checkEndpoint is the guard of the MySQL endpoint: sqlmatch.CheckReadOnly, plus the
// statements a MySQL client needs to set up its connection (allowedSession). A refusal is a
// MySQL error: 1064 for text TiDB's parser cannot read, 1290 (ER_OPTION_PREVENTS_STATEMENT,
// as a --read-only server answers) for anything else, with the guard's message.
func checkEndpoint(query string) error {
	err := sqlmatch.CheckReadOnly(query)
	if err == nil {
		return nil
	}
	if s, serr := sqlmatch.ParseSessionStatement(query); serr == nil {
		if err = allowedSession(s); err == nil {
			return nil
		}
	}
	var re *sqlmatch.RefusedError
	if errors.As(err, &re) && re.Parse != nil {
		return mysql.NewSQLError(mysql.ERParseError, mysql.SSClientError, "%s", err.Error())
	}
	return mysql.NewSQLError(mysql.EROptionPreventsStatement, mysql.SSUnknownSQLState,
		"the c2q emulator is read-only and runs only read-only statements: %s", err.Error())
}

// settable are the session variables a client may set on the MySQL endpoint, each with the
// values it may take (nil: any constant). They are what drivers set on connecting (character
// sets, autocommit, time zone, isolation level, timeouts) and change nothing about what a
// statement can do. Everything else is refused, in particular sql_mode (ANSI_QUOTES,
// NO_BACKSLASH_ESCAPES and PIPES_AS_CONCAT change how the engine reads a statement that the
// guard read in the default mode), read_only and transaction_read_only, secure_file_priv,
// max_execution_time, and any user variable.
var settable = map[string]func(string) bool{
	"names":                    safeCharset,
	"character set":            safeCharset,
	"character_set_client":     safeCharset,
	"character_set_connection": safeCharset,
	"character_set_results":    func(v string) bool { return v == "null" || v == "" || safeCharset(v) },
	"collation_connection":     safeCollation,
	"autocommit":               oneOf("0", "1", "on", "off", "true", "false", "default"),
	"time_zone":                nil,
	"transaction_isolation":    nil,
	"tx_isolation":             nil,
	"sql_select_limit":         nil,
	"net_read_timeout":         nil,
	"net_write_timeout":        nil,
	"wait_timeout":             nil,
	"interactive_timeout":      nil,
}

// allowedSession decides whether a USE, SET or transaction statement may run on the endpoint:
// USE, a plain transaction (it can only ever hold reads), and SET of session variables on the
// settable list to constant values.
func allowedSession(s *sqlmatch.SessionStatement) error {
	if s.Use != "" || s.Transaction != "" {
		return nil
	}
	for _, set := range s.Settings {
		name := set.Name
		if name == "names" {
			name = "SET NAMES"
		} else if name == "character set" {
			name = "SET CHARACTER SET"
		}
		allow, ok := settable[set.Name]
		switch {
		case set.Global:
			return fmt.Errorf("SET GLOBAL %s is refused: a client may change only its own session", set.Name)
		case !ok:
			return fmt.Errorf("setting %s is refused: the MySQL endpoint lets a client set only %s", name, settableNames())
		case !set.Constant:
			return fmt.Errorf("setting %s to an expression is refused: the value must be a constant", name)
		case allow != nil && !allow(strings.ToLower(set.Value)):
			return fmt.Errorf("setting %s to %q is refused: the value is not one the endpoint allows", name, set.Value)
		case set.Collate != "" && !safeCollation(strings.ToLower(set.Collate)):
			return fmt.Errorf("SET NAMES ... COLLATE %q is refused: the collation is not one the endpoint allows", set.Collate)
		}
	}
	return nil
}

// safeCharset are the character sets in which a backslash or quote byte is always that
// character: a multi-byte set such as GBK or SJIS can hide one inside another character, so
// the engine would not read the statement the guard read.
func safeCharset(v string) bool {
	return oneOf("utf8mb4", "utf8", "utf8mb3", "latin1", "ascii", "binary", "default")(v)
}

func safeCollation(v string) bool {
	if v == "binary" || v == "default" {
		return true
	}
	cs, _, ok := strings.Cut(v, "_")
	return ok && safeCharset(cs)
}

func oneOf(values ...string) func(string) bool {
	return func(v string) bool {
		for _, x := range values {
			if v == x {
				return true
			}
		}
		return false
	}
}

func settableNames() string {
	return "SET NAMES, SET CHARACTER SET, character_set_client, character_set_connection, character_set_results, " +
		"collation_connection, autocommit, time_zone, transaction_isolation, sql_select_limit and the net and wait timeouts"
}
