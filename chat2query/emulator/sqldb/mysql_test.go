package sqldb

import (
	"context"
	gosql "database/sql"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/sirupsen/logrus"
)

func TestServeMySQL(t *testing.T) {
	db := openShared(t)
	level := logrus.GetLevel()
	srv, err := db.ServeMySQL("127.0.0.1:0", "TESTPUB1", "secret-key")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = "TESTPUB1", "secret-key", "tcp", srv.Addr, DatabaseName
	conn, err := gosql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := testContext(t)

	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM companies").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 150 {
		t.Errorf("companies: %d rows, want 150", n)
	}
	rows, err := conn.QueryContext(ctx, "SHOW TABLES")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tables, ","); !strings.Contains(got, "stock_prices") {
		t.Errorf("SHOW TABLES = %s, want stock_prices among them", got)
	}

	// Parallel connections share the engine.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var name string
			if err := conn.QueryRowContext(ctx, "SELECT company_name FROM companies ORDER BY market_cap DESC LIMIT 1").Scan(&name); err != nil || name == "" {
				t.Errorf("parallel query: %q, %v", name, err)
			}
		})
	}
	wg.Wait()

	// The data is read-only over the wire too (TestMySQLGuard has the rest).
	for _, stmt := range []string{"DELETE FROM user_stock_selections", "CREATE TABLE t (a INT)", "INSERT INTO users (user_id) VALUES (999999)"} {
		if _, err := conn.ExecContext(ctx, stmt); mysqlErrno(err) != 1290 {
			t.Errorf("%s over the MySQL protocol: err = %v, want error 1290", stmt, err)
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM user_stock_selections").Scan(&n); err != nil || n == 0 {
		t.Errorf("user_stock_selections after DELETE: %d rows, %v", n, err)
	}

	// A wrong password is refused.
	cfg.Passwd = "wrong"
	bad, err := gosql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if err := bad.PingContext(context.Background()); err == nil {
		t.Error("a wrong password was accepted")
	}

	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// The process's logger is the program's to configure, not the emulator's.
	if got := logrus.GetLevel(); got != level {
		t.Errorf("serving MySQL changed logrus's global level from %v to %v", level, got)
	}
}
