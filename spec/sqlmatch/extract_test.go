package sqlmatch

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFingerprint(t *testing.T) {
	tests := []struct {
		sql, want string
	}{
		{"SELECT name FROM companies WHERE sector = 'Energy' LIMIT 5",
			"SELECT `name` FROM `companies` WHERE `sector` = ? LIMIT ?"},
		{"SELECT COUNT(*) FROM t WHERE a IN (1, 2, 3) AND b <> -2.5",
			"SELECT COUNT(*) FROM `t` WHERE `a` IN (?,?,?) AND `b` != -?"},
		{"SELECT COUNT(1) OVER (), COUNT(DISTINCT 1) FROM t",
			"SELECT COUNT(*) OVER (),COUNT(DISTINCT ?) FROM `t`"},
		{"SELECT a FROM t WHERE b = NULL OR c IS NULL",
			"SELECT `a` FROM `t` WHERE `b` = NULL OR `c` IS NULL"},
		{"SELECT GROUP_CONCAT(a SEPARATOR ';'), CONVERT(b USING latin1) FROM t WHERE d > DATE_ADD(e, INTERVAL 3 DAY)",
			"SELECT GROUP_CONCAT(`a` SEPARATOR ';'),CONVERT(`b` USING 'latin1') FROM `t` WHERE `d` > DATE_ADD(`e`, INTERVAL ? DAY)"},
		{"SELECT a FROM t ORDER BY 1",
			"SELECT `a` FROM `t` ORDER BY 1"},
		{"SELECT 'a\nb' AS x",
			"SELECT ? AS `x`"},
	}
	for _, tt := range tests {
		got, err := Fingerprint(tt.sql)
		if err != nil {
			t.Errorf("Fingerprint(%q): %v", tt.sql, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Fingerprint(%q)\n got %s\nwant %s", tt.sql, got, tt.want)
		}
	}
}

// Spellings that Canonical ignores never change a fingerprint, and
// different literals do not either; other differences do.
func TestFingerprintEquivalences(t *testing.T) {
	same := [][2]string{
		{"SELECT name FROM companies WHERE sector = 'Energy'", `select NAME from Companies where SECTOR = "Technology"`},
		{"SELECT a FROM t WHERE b <> 1", "SELECT `a` FROM `t` WHERE b != 99"},
		{"SELECT a FROM t LIMIT 5", "SELECT a FROM t LIMIT 10"},
		{"SELECT COUNT(*) FROM t", "SELECT count(1) FROM t"},
		{"SELECT a FROM t WHERE s = _utf8mb4'x'", "SELECT a FROM t WHERE s = 'yy'"},
	}
	for _, p := range same {
		a, errA := Fingerprint(p[0])
		b, errB := Fingerprint(p[1])
		if errA != nil || errB != nil || a != b {
			t.Errorf("fingerprints differ:\n%s -> %s (%v)\n%s -> %s (%v)", p[0], a, errA, p[1], b, errB)
		}
	}
	different := [][2]string{
		{"SELECT a FROM t WHERE b = 1", "SELECT a FROM t WHERE c = 1"},
		{"SELECT a FROM t WHERE b IN (1, 2)", "SELECT a FROM t WHERE b IN (1, 2, 3)"},
		{"SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a DESC"},
	}
	for _, p := range different {
		a, _ := Fingerprint(p[0])
		b, _ := Fingerprint(p[1])
		if a == b {
			t.Errorf("fingerprints of %q and %q are both %s", p[0], p[1], a)
		}
	}
}

func TestFingerprintRefusesWhatCanonicalRefuses(t *testing.T) {
	for _, sql := range []string{"SELECT FROM", "", "SELECT 1; SELECT 2"} {
		_, err := Fingerprint(sql)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Fingerprint(%q) error = %v, want a *ParseError", sql, err)
		}
	}
}

func TestTables(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{"SELECT 1", []string{}},
		{"SELECT name FROM Companies", []string{"companies"}},
		{"SELECT c.name FROM companies c JOIN `Stock_Prices` p ON c.symbol = p.symbol, users",
			[]string{"companies", "stock_prices", "users"}},
		{"SELECT a FROM sp500insight.companies WHERE x IN (SELECT y FROM watch)",
			[]string{"sp500insight.companies", "watch"}},
		{"WITH top AS (SELECT * FROM companies), t2 AS (SELECT * FROM top) SELECT * FROM t2 JOIN users",
			[]string{"companies", "users"}},
		// A non-recursive CTE cannot see itself: its own name in its query is
		// the real table.
		{"WITH companies AS (SELECT * FROM companies) SELECT * FROM companies", []string{"companies"}},
		{"WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT * FROM n", []string{}},
		// The CTE is out of scope outside the statement that defines it.
		{"SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) d JOIN x", []string{"x"}},
		{"SELECT a FROM t UNION SELECT a FROM u ORDER BY a", []string{"t", "u"}},
	}
	for _, tt := range tests {
		got, err := Tables(tt.sql)
		if err != nil {
			t.Errorf("Tables(%q): %v", tt.sql, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Tables(%q) (-want +got):\n%s", tt.sql, diff)
		}
	}
	if _, err := Tables("SELEC 1"); err == nil {
		t.Error("Tables of bad SQL: no error")
	}
}

// Over the corpus, a fingerprint exists for every statement Canonical reads,
// and is stable: the fingerprint of a canonical form is the same.
func TestFingerprintCorpus(t *testing.T) {
	for _, e := range loadCorpus(t) {
		c, err := Canonical(e.SQL)
		if err != nil {
			continue
		}
		f, err := Fingerprint(e.SQL)
		if err != nil {
			t.Errorf("%s: Fingerprint: %v", e.ID, err)
			continue
		}
		if f2, err := Fingerprint(c); err != nil || f2 != f {
			t.Errorf("%s: fingerprint of the canonical form differs:\n%s\n%s (%v)", e.ID, f, f2, err)
		}
		if _, err := Tables(e.SQL); err != nil {
			t.Errorf("%s: Tables: %v", e.ID, err)
		}
	}
}
