package sqldb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/dolthub/vitess/go/vt/sqlparser"
)

// LoadFile executes the SQL script in the file at path with ExecScript.
func (db *DB) LoadFile(ctx context.Context, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("sqldb: %w", err)
	}
	if err := db.ExecScript(ctx, string(src)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ExecScript executes a script of SQL statements separated by semicolons, with writes allowed:
// a user's own schema and data, loaded next to (or, with DROP DATABASE, instead of) the sample
// database. Statements run in order in one session whose current database is sp500insight until
// a USE statement changes it, so a script usually starts with CREATE DATABASE and USE. Comments
// are allowed; DELIMITER (and so stored programs) is not. Tables with a primary key load in
// quadratic time in go-mysql-server: fine for thousands of rows, slow for hundreds of thousands.
//
// The first failing statement stops the script; the error names it by number and line. Call
// ExecScript before the DB is shared: it makes the engine writable while it runs.
func (db *DB) ExecScript(ctx context.Context, script string) error {
	pieces, err := splitPieces(script)
	if err != nil {
		return fmt.Errorf("sqldb: splitting the script into statements: %w", err)
	}
	engineMu.Lock()
	defer engineMu.Unlock()
	db.engine.ReadOnly.Store(false)
	defer db.engine.ReadOnly.Store(true)

	current := ""
	if db.hasDatabase(DatabaseName) {
		current = DatabaseName
	}
	sctx := db.newContext(ctx, current)
	line, n := 1, 0
	for _, p := range pieces {
		startLine := line + strings.Count(p[:len(p)-len(strings.TrimLeft(p, " \t\r\n"))], "\n")
		line += strings.Count(p, "\n")
		stmt := strings.TrimSpace(p)
		if stmt == "" || onlyComments(stmt) {
			continue
		}
		n++
		if err := db.exec(sctx, stmt); err != nil {
			return fmt.Errorf("statement %d (line %d) %s: %w", n, startLine, excerpt(stmt), err)
		}
	}
	if n == 0 {
		return errors.New("the script has no statements")
	}
	return nil
}

func (db *DB) hasDatabase(name string) bool {
	for _, d := range db.Databases() {
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}

// onlyComments reports a piece that holds comments and no statement.
func onlyComments(s string) bool {
	_, err := sqlparser.Parse(s)
	return errors.Is(err, sqlparser.ErrEmpty)
}

// splitPieces splits a script into statements at top-level semicolons.
func splitPieces(src string) ([]string, error) { return sqlparser.SplitStatementToPieces(src) }

// excerpt is the start of a statement, for error messages.
func excerpt(stmt string) string {
	stmt = strings.Join(strings.Fields(stmt), " ")
	if len(stmt) > 60 {
		stmt = stmt[:60] + "..."
	}
	return fmt.Sprintf("%q", stmt)
}
