package sqldb

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/sirupsen/logrus"
)

// DatabaseName is the name of the sample database.
const DatabaseName = "sp500insight"

// MaxRows is the most rows Query returns; like the service's maximum for SQL execution, the
// rest are dropped and Result.Truncated is set.
const MaxRows = 2000

// DefaultTimeout bounds a query whose context has no deadline, like the service's default
// SQL execution timeout.
const DefaultTimeout = 30 * time.Second

//go:embed schema.sql
var schemaSQL string

// DB is the emulated cluster's SQL engine. Its methods are safe for concurrent use.
type DB struct {
	engine   *sqle.Engine
	provider *memory.DbProvider
}

// Result is the outcome of a query: column names and rows whose values are JSON-friendly as a
// MySQL client shows them: int64 for integers, float64 for floating-point numbers, strings for
// everything else (DECIMAL as "123.45", DATE as "2024-01-02", DATETIME as
// "2024-01-02 15:04:05", ...) and nil for NULL.
type Result struct {
	Columns []string
	Rows    [][]any
	// Truncated reports that the query produced more than MaxRows rows and the rest were dropped.
	Truncated bool
}

// quietLogger is the logger of the engine's sessions, the emulator's and
// the MySQL clients': go-mysql-server logs through it, at Debug and Trace
// levels mostly, and an emulator in a CLI must not write to the terminal on
// its own. It discards everything; the process's logrus logger is left as
// it is (see ServeMySQL).
var quietLogger = func() *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetLevel(logrus.PanicLevel)
	return logrus.NewEntry(l)
}()

// engineMu serializes engine construction: go-mysql-server initializes package-level variables
// when an engine is created.
var engineMu sync.Mutex

// Open creates the engine and loads sp500insight.
func Open(ctx context.Context) (*DB, error) {
	engineMu.Lock()
	defer engineMu.Unlock()

	mdb := memory.NewDatabase(DatabaseName)
	pro := memory.NewDBProvider(mdb)
	engine := sqle.NewDefault(pro)
	db := &DB{engine: engine, provider: pro}

	sctx := db.newContext(ctx, DatabaseName)
	if err := db.createSchema(sctx, mdb, schemaSQL); err != nil {
		engine.Close()
		return nil, fmt.Errorf("sqldb: schema: %w", err)
	}
	if err := load(sctx, mdb, generate()); err != nil {
		engine.Close()
		return nil, fmt.Errorf("sqldb: loading %s: %w", DatabaseName, err)
	}
	engine.ReadOnly.Store(true)
	return db, nil
}

// Close releases the engine's resources.
func (db *DB) Close() error {
	// go-mysql-server's Engine.Close returns the context.Canceled of its
	// own background-thread shutdown: that is success.
	if err := db.engine.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// Databases lists the databases of the cluster (without the system schemas), sorted.
func (db *DB) Databases() []string {
	var names []string
	for _, d := range db.provider.AllDatabases(sql.NewEmptyContext()) {
		name := d.Name()
		if strings.EqualFold(name, "information_schema") || strings.EqualFold(name, "mysql") {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Query executes one read-only statement with database as the current database ("" for none).
// The error of a refused statement wraps ErrReadOnly; the text of any other error is the
// engine's message, as the service reports it in sql_error.
func (db *DB) Query(ctx context.Context, database, query string) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil { // the engine is not meant to panic, but a query must not crash the emulator
			res, err = nil, fmt.Errorf("internal error executing the query: %v", r)
		}
	}()
	if err := checkReadOnly(query); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	sctx := db.newContext(ctx, database)
	if database != "" && !db.engine.Analyzer.Catalog.HasDatabase(sctx, database) {
		return nil, sql.ErrDatabaseNotFound.New(database)
	}
	return db.run(sctx, query)
}

// newContext makes a query context with a session of its own, so that queries can run
// concurrently.
func (db *DB) newContext(ctx context.Context, database string) *sql.Context {
	session := memory.NewSession(sql.NewBaseSession(), db.provider)
	session.SetLogger(quietLogger)
	sctx := sql.NewContext(ctx, sql.WithSession(session))
	if database != "" {
		sctx.SetCurrentDatabase(database)
	}
	return sctx
}

// exec executes a statement and discards its result.
func (db *DB) exec(ctx *sql.Context, query string) error {
	_, iter, _, err := db.engine.Query(ctx, query)
	if err != nil {
		return err
	}
	_, err = sql.RowIterToRows(ctx, iter)
	return err
}

func (db *DB) run(ctx *sql.Context, query string) (res *Result, err error) {
	schema, iter, _, err := db.engine.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := iter.Close(ctx); cerr != nil && err == nil {
			res, err = nil, cerr
		}
	}()
	res = &Result{Columns: make([]string, len(schema)), Rows: [][]any{}}
	for i, col := range schema {
		res.Columns[i] = col.Name
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row, err := iter.Next(ctx)
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		if len(res.Rows) == MaxRows {
			res.Truncated = true
			return res, nil
		}
		out := make([]any, len(schema))
		for i, col := range schema {
			if i < len(row) {
				if out[i], err = convert(ctx, col.Type, row[i]); err != nil {
					return nil, fmt.Errorf("column %s: %w", col.Name, err)
				}
			}
		}
		res.Rows = append(res.Rows, out)
	}
}

// convert renders v as a MySQL client shows it (the engine's wire representation) and types it
// for JSON: integers as int64, floating-point numbers as float64, everything else as a string.
func convert(ctx *sql.Context, typ sql.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	val, err := typ.SQL(ctx, nil, v)
	if err != nil {
		return nil, err
	}
	if val.IsNull() {
		return nil, nil
	}
	text := val.ToString()
	switch {
	case val.IsSigned():
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return i, nil
		}
	case val.IsUnsigned():
		if u, err := strconv.ParseUint(text, 10, 64); err == nil && u <= math.MaxInt64 {
			return int64(u), nil
		}
	case val.IsFloat():
		if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, nil
		}
	}
	return text, nil
}

func splitStatements(src string) ([]string, error) {
	var out []string
	pieces, err := splitPieces(src)
	if err != nil {
		return nil, err
	}
	for _, p := range pieces {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no statements")
	}
	return out, nil
}
