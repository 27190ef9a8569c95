package sqlmatch

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func u64(n uint64) *uint64 { return &n }

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want Structure
	}{
		{"select c.Name, count(1) as N from Companies as c join sectors s on c.sid = s.id where c.cap > 5 and (s.x = 1 or s.y = 2) group by c.name having count(*) > 1 order by n desc limit 5, 10",
			Structure{Kind: "SELECT", Tables: []string{"companies", "sectors"},
				Columns: []string{"`c`.`name`", "COUNT(*) AS `n`"},
				Joins:   []Join{{Type: "JOIN", Table: "`sectors` AS `s`", On: "`c`.`sid` = `s`.`id`"}},
				Where:   []string{"`c`.`cap` > 5", "`s`.`x` = 1 OR `s`.`y` = 2"},
				GroupBy: []string{"`c`.`name`"}, Having: []string{"COUNT(*) > 1"},
				OrderBy: []OrderItem{{Expr: "`n`", Desc: true}}, Limit: u64(10), Offset: u64(5),
				Aggregates: []string{"COUNT(*)"}}},
		{"WITH a AS (SELECT id FROM u) SELECT DISTINCT x FROM (SELECT * FROM t) d LEFT JOIN a USING (id) WHERE x IN (SELECT 1) LIMIT 0, 3",
			Structure{Kind: "SELECT", Tables: []string{"t", "u"}, Columns: []string{"`x`"},
				Joins:      []Join{{Type: "LEFT JOIN", Table: "`a`", On: "USING (`id`)"}},
				Where:      []string{"`x` IN (SELECT 1)"},
				Limit:      u64(3),
				Subqueries: 2, CTEs: []string{"a"}, Distinct: true}},
		{"SELECT sector, SUM(cap), MAX(cap), SUM(cap) FROM companies GROUP BY sector ORDER BY AVG(cap)",
			Structure{Kind: "SELECT", Tables: []string{"companies"},
				Columns: []string{"`sector`", "SUM(`cap`)", "MAX(`cap`)", "SUM(`cap`)"},
				GroupBy: []string{"`sector`"}, OrderBy: []OrderItem{{Expr: "AVG(`cap`)"}},
				Aggregates: []string{"SUM(`cap`)", "MAX(`cap`)", "AVG(`cap`)"}}},
		{"SELECT a, RANK() OVER (ORDER BY b DESC) FROM t WHERE a = (SELECT MAX(a) FROM t) LIMIT ?",
			Structure{Kind: "SELECT", Tables: []string{"t"},
				Columns: []string{"`a`", "RANK() OVER (ORDER BY `b` DESC)"},
				Where:   []string{"`a` = (SELECT MAX(`a`) FROM `t`)"}, Subqueries: 1}},
		{"SELECT * FROM a CROSS JOIN b INNER JOIN c RIGHT JOIN d ON c.k = d.k NATURAL JOIN e",
			Structure{Kind: "SELECT", Tables: []string{"a", "b", "c", "d", "e"}, Columns: []string{"*"},
				Joins: []Join{{Type: "JOIN", Table: "`b`"}, {Type: "JOIN", Table: "`c`"},
					{Type: "RIGHT JOIN", Table: "`d`", On: "`c`.`k` = `d`.`k`"}, {Type: "NATURAL JOIN", Table: "`e`"}}}},
		// A comma binds looser than JOIN: this is a, (b JOIN c ...).
		{"SELECT * FROM a, b JOIN c ON b.k = c.k",
			Structure{Kind: "SELECT", Tables: []string{"a", "b", "c"}, Columns: []string{"*"},
				Joins: []Join{{Type: "JOIN", Table: "(`b` JOIN `c` ON `b`.`k` = `c`.`k`)"}}}},
		{"SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY a DESC LIMIT 3",
			Structure{Kind: "UNION", Tables: []string{"t", "u"}, OrderBy: []OrderItem{{Expr: "`a`", Desc: true}}, Limit: u64(3)}},
		{"SELECT a FROM t EXCEPT SELECT a FROM u", Structure{Kind: "EXCEPT", Tables: []string{"t", "u"}}},
		{"UPDATE t SET a = 1 WHERE b = 2 AND c IN (SELECT c FROM u) ORDER BY d LIMIT 1",
			Structure{Kind: "UPDATE", Tables: []string{"t", "u"}, Where: []string{"`b` = 2", "`c` IN (SELECT `c` FROM `u`)"},
				OrderBy: []OrderItem{{Expr: "`d`"}}, Limit: u64(1), Subqueries: 1}},
		{"DELETE FROM t WHERE id = 3", Structure{Kind: "DELETE", Tables: []string{"t"}, Where: []string{"`id` = 3"}}},
		{"INSERT INTO t SELECT * FROM u", Structure{Kind: "INSERT", Tables: []string{"t", "u"}}},
		{"REPLACE INTO t VALUES (1)", Structure{Kind: "REPLACE", Tables: []string{"t"}}},
		{"CREATE TABLE t (a INT)", Structure{Kind: "DDL", Tables: []string{"t"}}},
		{"SHOW TABLES", Structure{Kind: "SHOW"}},
		{"EXPLAIN SELECT a FROM t", Structure{Kind: "EXPLAIN", Tables: []string{"t"}}},
		{"SET @a = 1", Structure{Kind: "SET"}},
		{"SELECT 1", Structure{Kind: "SELECT", Columns: []string{"1"}}},
	} {
		got, err := Explain(tc.sql)
		if err != nil {
			t.Errorf("Explain(%q): %v", tc.sql, err)
			continue
		}
		if d := cmp.Diff(&tc.want, got); d != "" {
			t.Errorf("Explain(%q) (-want +got):\n%s", tc.sql, d)
		}
	}
}

func TestExplainJSON(t *testing.T) {
	s, err := Explain("SELECT name FROM companies ORDER BY cap DESC LIMIT 5")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"SELECT","tables":["companies"],"columns":["` + "`name`" + `"],"order_by":[{"expr":"` + "`cap`" + `","desc":true}],"limit":5}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
}

func TestExplainError(t *testing.T) {
	if _, err := Explain("SELEC a"); err == nil {
		t.Error("no error for a syntax error")
	}
	if _, err := Explain("SELECT 1; SELECT 2"); err == nil {
		t.Error("no error for two statements")
	}
}

func TestReadOnly(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT a FROM t":                       true,
		"WITH c AS (SELECT 1) SELECT * FROM c":  true,
		"SELECT a FROM t UNION SELECT b FROM u": true,
		"SHOW DATABASES":                        true,
		"EXPLAIN SELECT a FROM t":               true,
		"EXPLAIN DELETE FROM t":                 false,
		"EXPLAIN ANALYZE DELETE FROM t":         false,
		"EXPLAIN ANALYZE SELECT a FROM t":       true,
		"SELECT a FROM t FOR UPDATE":            false,
		"SELECT a FROM t INTO OUTFILE '/tmp/x'": false,
		"INSERT INTO t VALUES (1)":              false,
		"UPDATE t SET a = 1":                    false,
		"DELETE FROM t":                         false,
		"DROP TABLE t":                          false,
		"WITH c AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM c)": false,
		"SET @a = 1": false,
	} {
		got, err := ReadOnly(sql)
		if err != nil || got != want {
			t.Errorf("ReadOnly(%q) = %v, %v; want %v", sql, got, err, want)
		}
	}
	if _, err := ReadOnly("SELEC"); err == nil {
		t.Error("no error for a syntax error")
	}
}

// TestStructureCorpus runs Explain and Components(x, x) on every corpus
// statement that parses.
func TestStructureCorpus(t *testing.T) {
	for _, e := range loadCorpus(t) {
		if _, err := Canonical(e.SQL); err != nil {
			continue
		}
		if _, err := Explain(e.SQL); err != nil {
			t.Errorf("%s: Explain: %v", e.ID, err)
		}
		eq, diffs, err := Components(e.SQL, e.SQL)
		if err != nil || !eq {
			t.Errorf("%s: Components(x, x) = %v, %q, %v", e.ID, eq, diffs, err)
		}
	}
}

// BenchmarkExplain measures Explain over the corpus statements that parse,
// reported as statements per second.
func BenchmarkExplain(b *testing.B) {
	benchCorpus(b, func(sql string) error { _, err := Explain(sql); return err })
}

// TestShow checks that every view prints what its function gives.
func TestShow(t *testing.T) {
	const q = "select a from t where b = 1 order by a limit 5"
	for _, c := range []struct{ view, want string }{
		{"canonical", "SELECT `a` FROM `t` WHERE `b` = 1 ORDER BY `a` LIMIT 5"},
		{"layout", "SELECT `a`\nFROM `t`\nWHERE `b` = 1\nORDER BY `a`\nLIMIT 5"},
		{"fingerprint", "SELECT `a` FROM `t` WHERE `b` = ? ORDER BY `a` LIMIT ?"},
	} {
		if got, err := Show(c.view, q); err != nil || got != c.want {
			t.Errorf("Show(%s) = %q, %v; want %q", c.view, got, err, c.want)
		}
	}
	if got, err := Show("explain", q); err != nil || !strings.Contains(got, `"kind": "SELECT"`) {
		t.Errorf("Show(explain) = %q, %v", got, err)
	}
	if _, err := Show("canonical", "SELEC a"); err == nil {
		t.Error("Show of a syntax error: no error")
	}
	if _, err := Show("nope", q); err == nil {
		t.Error("Show of an unknown view: no error")
	}
}
