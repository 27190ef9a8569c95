package sqldb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const smallScript = `
-- A user's own schema and data.
CREATE DATABASE shop;
USE shop;
CREATE TABLE products (
  id INT PRIMARY KEY,
  name VARCHAR(64) NOT NULL COMMENT 'the product name',
  price DECIMAL(10,2)
);
/* two rows */
INSERT INTO products VALUES (1, 'Widget', 2.50), (2, 'Gadget; deluxe', 10.00);
`

func TestLoadFile(t *testing.T) {
	db, err := Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	path := filepath.Join(t.TempDir(), "shop.sql")
	if err := os.WriteFile(path, []byte(smallScript), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := db.LoadFile(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	if got, want := db.Databases(), []string{"shop", DatabaseName}; !reflect.DeepEqual(got, want) {
		t.Errorf("Databases() = %v, want %v", got, want)
	}
	res := query(t, db, "SELECT name, price FROM shop.products ORDER BY id")
	if want := [][]any{{"Widget", "2.50"}, {"Gadget; deluxe", "10.00"}}; !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("rows = %v, want %v", res.Rows, want)
	}
	// The sample database is still there, and the engine is read-only again.
	if res := query(t, db, "SELECT COUNT(*) FROM sp500insight.companies"); res.Rows[0][0].(int64) == 0 {
		t.Error("the sample database is empty")
	}
	if _, err := db.Query(context.Background(), "shop", "DELETE FROM products"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("DELETE after the script: err = %v, want ErrReadOnly", err)
	}
}

func TestExecScriptErrors(t *testing.T) {
	db, err := Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.ExecScript(context.Background(), "CREATE TABLE t (a INT);\n\nINSERT INTO nope VALUES (1);\n")
	if err == nil || !strings.Contains(err.Error(), "statement 2 (line 3)") || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v, want statement 2 (line 3) about nope", err)
	}
	if err := db.ExecScript(context.Background(), "-- nothing\n"); err == nil {
		t.Error("a script without statements loaded")
	}
	if err := db.LoadFile(context.Background(), filepath.Join(t.TempDir(), "missing.sql")); err == nil {
		t.Error("a missing file loaded")
	}
}
