package sqldb

import (
	"context"
	"errors"
	"hash/fnv"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/types"
	"github.com/shopspring/decimal"
)

// shared is one DB for the tests that only read.
var shared = sync.OnceValues(func() (*DB, error) { return Open(context.Background()) })

func openShared(t testing.TB) *DB {
	t.Helper()
	db, err := shared()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

// testContext bounds test queries generously: under -race on a busy machine a scan of
// stock_prices can take longer than DefaultTimeout.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func query(t testing.TB, db *DB, q string) *Result {
	t.Helper()
	res, err := db.Query(testContext(t), DatabaseName, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

// one returns the single value of a one-row, one-column result.
func one(t testing.TB, db *DB, q string) any {
	t.Helper()
	res := query(t, db, q)
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", q, res.Rows)
	}
	return res.Rows[0][0]
}

// checksumQueries fingerprint every table.
var checksumQueries = []string{
	"SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('|', `stock_symbol`, `company_name`, `exchange_symbol`, `sector`, `industry`, `city`, IFNULL(`state`, '-'), `country`, `founded`, `employees`, `current_price`, `market_cap`, `revenue`, `net_income`, IFNULL(`dividend_yield`, '-')))) FROM `companies`",
	"SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('|', `index_symbol`, `stock_symbol`, `weight`, `added_date`))) FROM `index_compositions`",
	"SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('|', `record_date`, `stock_symbol`, `open`, `high`, `low`, `close`, `adj_close`, `volume`))) FROM `stock_prices`",
	"SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('|', `user_id`, `name`, `email`, `country`, `created_at`))) FROM `users`",
	"SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('|', `user_id`, `stock_symbol`, `selected_at`, IFNULL(`note`, '-')))) FROM `user_stock_selections`",
}

func TestOpenIsDeterministic(t *testing.T) {
	a := openShared(t)
	b, err := Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, q := range checksumQueries {
		ra, rb := query(t, a, q), query(t, b, q)
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("%s:\n first Open  %v\n second Open %v", q, ra.Rows, rb.Rows)
		}
	}
}

// goldenDataHash is the FNV-1a hash of the generated data. It changes only when the generator,
// its seed or the company list change (update it then), or if generation stopped being
// identical on every machine — which is what this test guards.
const goldenDataHash = 0xa638fb02630276c3

func TestGeneratedDataIsStable(t *testing.T) {
	h := fnv.New64a()
	ds := generate()
	var buf []byte
	for _, table := range []string{"companies", "index_compositions", "stock_prices", "users", "user_stock_selections"} {
		buf = append(buf[:0], table...)
		for _, row := range ds[table] {
			for _, v := range row {
				switch v := v.(type) {
				case nil:
					buf = append(buf, "NULL"...)
				case string:
					buf = append(buf, v...)
				case int64:
					buf = strconv.AppendInt(buf, v, 10)
				case time.Time:
					buf = v.AppendFormat(buf, time.RFC3339)
				case decimal.Decimal:
					buf = append(buf, v.String()...)
				default:
					t.Fatalf("unexpected generated value %T", v)
				}
				buf = append(buf, '|')
			}
			buf = append(buf, '\n')
			h.Write(buf)
			buf = buf[:0]
		}
	}
	if got := h.Sum64(); got != goldenDataHash {
		t.Errorf("generated data hash = %#x, want %#x", got, uint64(goldenDataHash))
	}
}

func TestRowCounts(t *testing.T) {
	db := openShared(t)
	weekdays := int64(len(tradingDays()))
	if weekdays != 262 {
		t.Errorf("2024 has %d weekdays, want 262", weekdays)
	}
	for q, want := range map[string]int64{
		"SELECT COUNT(*) FROM `companies`":                                                                                       int64(len(companyList)),
		"SELECT COUNT(*) FROM `stock_prices`":                                                                                    int64(len(companyList)) * weekdays,
		"SELECT COUNT(DISTINCT `record_date`) FROM `stock_prices`":                                                               weekdays,
		"SELECT COUNT(*) FROM `users`":                                                                                           numUsers,
		"SELECT COUNT(*) FROM `index_compositions` WHERE `index_symbol` = 'SPX'":                                                 int64(len(companyList)),
		"SELECT COUNT(*) FROM `index_compositions` WHERE `index_symbol` = 'DJI'":                                                 30,
		"SELECT COUNT(DISTINCT `sector`) FROM `companies`":                                                                       11,
		"SELECT COUNT(*) FROM `stock_prices` WHERE DAYOFWEEK(`record_date`) IN (1, 7)":                                           0,
		"SELECT COUNT(*) FROM `stock_prices` WHERE YEAR(`record_date`) <> 2024":                                                  0,
		"SELECT COUNT(DISTINCT `exchange_symbol`) FROM `companies`":                                                              2,
		"SELECT COUNT(*) FROM (SELECT `stock_symbol` FROM `stock_prices` GROUP BY `stock_symbol` HAVING COUNT(*) <> 262) AS `t`": 0,
	} {
		if got := one(t, db, q); got != want {
			t.Errorf("%s = %v, want %d", q, got, want)
		}
	}
	if n := one(t, db, "SELECT COUNT(*) FROM `index_compositions` WHERE `index_symbol` = 'NDX'").(int64); n < 40 || n > 100 {
		t.Errorf("NDX has %d members, want 40..100", n)
	}
	if n := one(t, db, "SELECT COUNT(*) FROM `user_stock_selections`").(int64); n < 2000 || n > 5000 {
		t.Errorf("%d selections, want a few thousand", n)
	}
}

func TestReferentialIntegrity(t *testing.T) {
	db := openShared(t)
	for _, q := range []string{
		"SELECT COUNT(*) FROM `user_stock_selections` AS `s` LEFT JOIN `companies` AS `c` ON `s`.`stock_symbol` = `c`.`stock_symbol` WHERE `c`.`stock_symbol` IS NULL",
		"SELECT COUNT(*) FROM `user_stock_selections` AS `s` LEFT JOIN `users` AS `u` ON `s`.`user_id` = `u`.`user_id` WHERE `u`.`user_id` IS NULL",
		"SELECT COUNT(*) FROM `stock_prices` AS `p` LEFT JOIN `companies` AS `c` ON `p`.`stock_symbol` = `c`.`stock_symbol` WHERE `c`.`stock_symbol` IS NULL",
		"SELECT COUNT(*) FROM `index_compositions` AS `i` LEFT JOIN `companies` AS `c` ON `i`.`stock_symbol` = `c`.`stock_symbol` WHERE `c`.`stock_symbol` IS NULL",
		// consistency of the generated values
		"SELECT COUNT(*) FROM `stock_prices` WHERE `low` > `open` OR `low` > `close` OR `high` < `open` OR `high` < `close` OR `low` <= 0 OR `volume` <= 0",
		"SELECT COUNT(*) FROM `companies` AS `c` JOIN `stock_prices` AS `p` ON `p`.`stock_symbol` = `c`.`stock_symbol` AND `p`.`record_date` = '2024-12-31' WHERE `p`.`close` <> `c`.`current_price`",
		"SELECT COUNT(*) FROM `user_stock_selections` AS `s` JOIN `users` AS `u` ON `s`.`user_id` = `u`.`user_id` WHERE `s`.`selected_at` < `u`.`created_at`",
		"SELECT COUNT(*) FROM `companies` WHERE (`state` IS NULL) <> (`country` <> 'United States')",
		"SELECT COUNT(*) FROM (SELECT `index_symbol` FROM `index_compositions` GROUP BY `index_symbol` HAVING ABS(SUM(`weight`) - 100) > 0.1) AS `t`",
	} {
		if got := one(t, db, q); got != int64(0) {
			t.Errorf("%s = %v, want 0", q, got)
		}
	}
}

func TestPopularStocksHaveAClearAnswer(t *testing.T) {
	db := openShared(t)
	res := query(t, db, "SELECT `stock_symbol`, COUNT(*) AS `n` FROM `user_stock_selections` GROUP BY `stock_symbol` ORDER BY `n` DESC LIMIT 3")
	if res.Rows[0][0] != "NVDA" || res.Rows[0][1].(int64) < res.Rows[1][1].(int64)+10 {
		t.Errorf("most popular stocks = %v, want NVDA clearly first", res.Rows)
	}
	if n := one(t, db, "SELECT COUNT(*) FROM `users` WHERE `user_id` NOT IN (SELECT `user_id` FROM `user_stock_selections`)").(int64); n == 0 {
		t.Error("every user has selections; some should have none")
	}
}

func TestSchemaIsDescribed(t *testing.T) {
	db := openShared(t)
	if got := one(t, db, "SELECT COUNT(*) FROM `information_schema`.`columns` WHERE `table_schema` = 'sp500insight' AND `column_comment` = ''"); got != int64(0) {
		t.Errorf("%v columns without a comment", got)
	}
	if got := one(t, db, "SELECT COUNT(*) FROM `information_schema`.`tables` WHERE `table_schema` = 'sp500insight' AND `table_comment` <> ''"); got != int64(5) {
		t.Errorf("%v tables with a comment, want 5", got)
	}
	res := query(t, db, "SELECT `table_name`, `referenced_table_name` FROM `information_schema`.`referential_constraints` WHERE `constraint_schema` = 'sp500insight' ORDER BY `table_name`, `referenced_table_name`")
	want := [][]any{
		{"index_compositions", "companies"}, {"stock_prices", "companies"},
		{"user_stock_selections", "companies"}, {"user_stock_selections", "users"},
	}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("foreign keys = %v, want %v", res.Rows, want)
	}
	if got, want := db.Databases(), []string{"sp500insight"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Databases() = %v, want %v", got, want)
	}
}

func TestValueConversion(t *testing.T) {
	db := openShared(t)
	res := query(t, db, "SELECT `current_price`, `market_cap`, `founded`, `state`, `dividend_yield`, `company_name` FROM `companies` WHERE `stock_symbol` = 'ACN'")
	row := res.Rows[0]
	if _, ok := row[0].(string); !ok || !strings.Contains(row[0].(string), ".") {
		t.Errorf("DECIMAL current_price = %#v, want a string like \"123.45\"", row[0])
	}
	if row[1] != "" && !strings.HasSuffix(row[1].(string), ".00") {
		t.Errorf("DECIMAL(20,2) market_cap = %#v, want two decimals", row[1])
	}
	if row[2] != int64(1989) || row[3] != nil || row[5] != "Accenture plc" {
		t.Errorf("founded, state, name = %#v, %#v, %#v; want int64 1989, nil, \"Accenture plc\"", row[2], row[3], row[5])
	}
	cases := []struct {
		query string
		want  any
	}{
		{"SELECT `close` FROM `stock_prices` WHERE `stock_symbol` = 'AAPL' AND `record_date` = '2024-12-31'", "250.42"},
		{"SELECT `record_date` FROM `stock_prices` WHERE `stock_symbol` = 'AAPL' ORDER BY `record_date` LIMIT 1 OFFSET 1", "2024-01-02"},
		{"SELECT MAX(`record_date`) FROM `stock_prices`", "2024-12-31"},
		{"SELECT `dividend_yield` FROM `companies` WHERE `stock_symbol` = 'NVDA'", "0.03"},
		{"SELECT `dividend_yield` FROM `companies` WHERE `stock_symbol` = 'TSLA'", nil},
		{"SELECT COUNT(*) FROM `companies`", int64(150)},
		{"SELECT CAST('2024-01-02 03:04:05' AS DATETIME)", "2024-01-02 03:04:05"},
		{"SELECT CAST(7 AS UNSIGNED)", int64(7)},
		{"SELECT 1.5e0", 1.5},
		{"SELECT 10 / 4", "2.5000"},
		{"SELECT NULL", nil},
		{"SELECT 'x'", "x"},
		{"SELECT TRUE", int64(1)},
	}
	for _, c := range cases {
		if got := one(t, db, c.query); got != c.want {
			t.Errorf("%s = %#v, want %#v", c.query, got, c.want)
		}
	}
	if got := one(t, db, "SELECT `created_at` FROM `users` WHERE `user_id` = 1").(string); len(got) != len("2006-01-02 15:04:05") {
		t.Errorf("DATETIME created_at = %q, want YYYY-MM-DD hh:mm:ss", got)
	}
}

func TestReadOnly(t *testing.T) {
	db := openShared(t)
	refused := []string{
		"INSERT INTO `users` VALUES (1000, 'x', 'x@example.com', 'France', NOW())",
		"UPDATE `companies` SET `market_cap` = 0",
		"DELETE FROM `users`",
		"REPLACE INTO `users` VALUES (1, 'x', 'x@example.com', 'France', NOW())",
		"TRUNCATE TABLE `users`",
		"DROP TABLE `users`",
		"CREATE TABLE `t` (`a` INT PRIMARY KEY)",
		"ALTER TABLE `users` ADD COLUMN `b` INT",
		"CREATE DATABASE `other`",
		"DROP DATABASE `sp500insight`",
		"CREATE VIEW `v` AS SELECT 1",
		"SET @a = 1",
		"USE `sp500insight`",
		"LOCK TABLES `users` READ",
		"SELECT * FROM `users` INTO OUTFILE '/tmp/users.txt'",
		"SELECT COUNT(*) INTO @n FROM `users`",
		"SELECT LOAD_FILE('/etc/passwd')",
		"SELECT `company_name` FROM `companies` WHERE `company_name` = LOAD_FILE('/etc/hostname')",
		"SELECT 1 UNION SELECT 2 INTO OUTFILE '/tmp/union.txt'",
		"SELECT 1 INTO DUMPFILE '/tmp/dump.txt'",
		"SELECT 1 UNION SELECT `user_id` FROM `users` FOR UPDATE",
		"SELECT * FROM (SELECT `user_id` FROM `users` LOCK IN SHARE MODE) AS `d`",
		"WITH `c` AS (SELECT SLEEP(1)) SELECT * FROM `c`",
		"SELECT GET_LOCK('x', 0)",
		"SELECT @n := 1",
		"DO SLEEP(1)",
		"SELECT 1 /*! , LOAD_FILE('/etc/passwd') */",
		"SELECT 1; DELETE FROM `users`",
		"WITH `x` AS (SELECT 1) DELETE FROM `users`",
		"EXPLAIN DELETE FROM `users`",
		"CALL `p`()",
		"START TRANSACTION",
		"GRANT SELECT ON *.* TO 'u'@'%'",
	}
	for _, q := range refused {
		_, err := db.Query(testContext(t), DatabaseName, q)
		var re *sqlmatch.RefusedError
		if !errors.Is(err, ErrReadOnly) || !errors.As(err, &re) {
			t.Errorf("%s: err = %v, want ErrReadOnly and the guard's *sqlmatch.RefusedError", q, err)
		}
	}
	// The message names what was refused.
	if _, err := db.Query(testContext(t), DatabaseName, "SELECT 1 UNION SELECT 2 INTO OUTFILE '/tmp/x'"); err == nil ||
		!strings.HasPrefix(err.Error(), "SELECT ... INTO OUTFILE is refused: ") || !strings.Contains(err.Error(), ErrReadOnly.Error()) {
		t.Errorf("UNION ... INTO OUTFILE: %v", err)
	}
	allowed := []string{
		"SELECT 1",
		"  select `company_name` from `companies` limit 1;",
		"WITH `t` AS (SELECT `stock_symbol` FROM `companies`) SELECT COUNT(*) FROM `t`",
		"(SELECT 1) UNION (SELECT 2)",
		"SHOW TABLES",
		"SHOW CREATE TABLE `companies`",
		"DESCRIBE `companies`",
		"DESC `stock_prices`",
		"EXPLAIN SELECT * FROM `companies`",
		"/* comment */ SELECT 1",
		"SELECT `sector`, COUNT(*) FROM `companies` GROUP BY `sector` HAVING COUNT(*) > 1 ORDER BY 2 DESC",
		"SELECT `company_name`, RANK() OVER (PARTITION BY `sector` ORDER BY `market_cap` DESC) FROM `companies`",
		"SELECT c.`company_name` FROM `companies` c JOIN `index_compositions` i ON i.`stock_symbol` = c.`stock_symbol` WHERE c.`market_cap` > (SELECT AVG(`market_cap`) FROM `companies`)",
	}
	for _, q := range allowed {
		if _, err := db.Query(testContext(t), DatabaseName, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	for q, want := range map[string]int64{"SELECT COUNT(*) FROM `users`": numUsers, "SELECT COUNT(*) FROM `companies`": int64(len(companyList))} {
		if got := one(t, db, q); got != want {
			t.Errorf("after the refused statements %s = %v, want %d", q, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	db := openShared(t)
	cases := []struct{ database, query, want string }{
		{DatabaseName, "SELECT * FROM `nope`", "table not found: nope"},
		{DatabaseName, "SELEC 1", "syntax error"},
		{DatabaseName, "SELECT `nope` FROM `companies`", "column \"nope\" could not be found"},
		{"nope", "SELECT 1", "database not found: nope"},
		{"", "SELECT * FROM `companies`", "no database selected"},
	}
	for _, c := range cases {
		_, err := db.Query(testContext(t), c.database, c.query)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (database %q): err = %v, want it to contain %q", c.query, c.database, err, c.want)
		}
	}
	if res, err := db.Query(testContext(t), "", "SELECT COUNT(*) FROM `sp500insight`.`companies`"); err != nil || res.Rows[0][0] != int64(150) {
		t.Errorf("qualified query without a database = %v, %v", res, err)
	}
	if res, err := db.Query(testContext(t), "information_schema", "SELECT COUNT(*) FROM `tables` WHERE `table_schema` = 'sp500insight'"); err != nil || res.Rows[0][0] != int64(5) {
		t.Errorf("query in information_schema = %v, %v", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Query(ctx, DatabaseName, "SELECT * FROM `stock_prices`"); err == nil {
		t.Error("query with a cancelled context succeeded")
	}
}

func TestMaxRows(t *testing.T) {
	db := openShared(t)
	res := query(t, db, "SELECT * FROM `stock_prices`")
	if len(res.Rows) != MaxRows || !res.Truncated {
		t.Errorf("got %d rows, truncated %v; want %d, true", len(res.Rows), res.Truncated, MaxRows)
	}
	if len(res.Columns) != 8 || res.Columns[0] != "record_date" {
		t.Errorf("columns = %v", res.Columns)
	}
	res = query(t, db, "SELECT * FROM `companies`")
	if len(res.Rows) != len(companyList) || res.Truncated {
		t.Errorf("got %d rows, truncated %v; want %d, false", len(res.Rows), res.Truncated, len(companyList))
	}
	res = query(t, db, "SELECT * FROM `companies` WHERE 1 = 0")
	if res.Rows == nil || len(res.Rows) != 0 || len(res.Columns) != 15 {
		t.Errorf("empty result = %#v, want columns and an empty, non-nil row list", res)
	}
}

func TestConcurrentQueries(t *testing.T) {
	db := openShared(t)
	queries := []string{
		"SELECT `c`.`sector`, ROUND(AVG(`p`.`close`), 2) AS `avg_close` FROM `stock_prices` AS `p` JOIN `companies` AS `c` ON `p`.`stock_symbol` = `c`.`stock_symbol` WHERE `p`.`record_date` = '2024-06-28' GROUP BY `c`.`sector` ORDER BY `c`.`sector`",
		"SELECT `stock_symbol`, `close`, LAG(`close`) OVER (PARTITION BY `stock_symbol` ORDER BY `record_date`) AS `prev` FROM `stock_prices` WHERE `stock_symbol` = 'MSFT' ORDER BY `record_date` DESC LIMIT 5",
		"SELECT `u`.`country`, COUNT(*) AS `n` FROM `user_stock_selections` AS `s` JOIN `users` AS `u` ON `s`.`user_id` = `u`.`user_id` GROUP BY `u`.`country` ORDER BY `n` DESC, `u`.`country`",
		"SHOW TABLES",
		checksumQueries[0],
		checksumQueries[1],
	}
	want := make([]*Result, len(queries))
	for i, q := range queries {
		want[i] = query(t, db, q)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range len(queries) {
				k := (g + i) % len(queries)
				got, err := db.Query(testContext(t), DatabaseName, queries[k])
				if err != nil {
					t.Errorf("%s: %v", queries[k], err)
					return
				}
				if !reflect.DeepEqual(got, want[k]) {
					t.Errorf("%s: concurrent result differs", queries[k])
				}
			}
		})
	}
	wg.Wait()
}

// TestBulkFill checks bulkFill's assumptions about the memory package: a failure means an
// upgrade of go-mysql-server changed them, and Open falls back to the quadratic inserter.
func TestBulkFill(t *testing.T) {
	mdb := memory.NewDatabase("d")
	mdb.EnablePrimaryKeyIndexes()
	pro := memory.NewDBProvider(mdb)
	ctx := sql.NewContext(context.Background(), sql.WithSession(memory.NewSession(sql.NewBaseSession(), pro)))
	schema := sql.NewPrimaryKeySchema(sql.Schema{
		{Name: "k", Type: types.Int64, PrimaryKey: true, Source: "t"},
		{Name: "v", Type: types.Text, Source: "t", Nullable: true},
	})
	tbl := memory.NewTable(mdb, "t", schema, mdb.GetForeignKeyCollection())
	mdb.AddTable("t", tbl)
	if !bulkFillable(ctx, tbl) {
		t.Fatal("a table without indexes is not bulkFillable")
	}
	if !bulkFill(tbl, []sql.Row{{int64(1), "a"}, {int64(2), nil}}) {
		t.Fatal("bulkFill declined: the layout of memory.TableData changed")
	}
	if bulkFill(tbl, []sql.Row{{int64(3), "c"}}) {
		t.Error("bulkFill filled a table that is not empty")
	}
	got, _, err := mdb.GetTableInsensitive(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sql.RowIterToRows(ctx, mustRows(t, ctx, got))
	if err != nil || len(rows) != 2 {
		t.Errorf("rows = %v, %v; want the 2 filled rows", rows, err)
	}
}

func mustRows(t *testing.T, ctx *sql.Context, tbl sql.Table) sql.RowIter {
	t.Helper()
	parts, err := tbl.Partitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sql.NewTableRowIter(ctx, tbl, parts)
}

func BenchmarkOpen(b *testing.B) {
	for b.Loop() {
		db, err := Open(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

func BenchmarkQueryJoinGroupBy(b *testing.B) {
	db := openShared(b)
	q := "SELECT `c`.`sector`, SUM(`p`.`volume`) AS `total_volume` FROM `stock_prices` AS `p` JOIN `companies` AS `c` ON `p`.`stock_symbol` = `c`.`stock_symbol` GROUP BY `c`.`sector`"
	for b.Loop() {
		if _, err := db.Query(testContext(b), DatabaseName, q); err != nil {
			b.Fatal(err)
		}
	}
}
