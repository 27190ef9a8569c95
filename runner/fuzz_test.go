package runner

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/spec"
	"github.com/c2q/c2q/spec/sqlmatch"
)

// FuzzGoldSelfMatch checks that the gold matches itself: every statement
// sqlmatch.Canonical accepts is the same as itself under each SQL match
// mode and as its canonical form under each but exact, can be laid out for
// a diff and explained for its ORDER BY (what a check needs of its expected
// SQL), and a result set compares equal to itself under every combination
// of rules.
func FuzzGoldSelfMatch(f *testing.F) {
	for _, s := range []string{
		"WITH cap AS (SELECT sector, SUM(market_cap) AS total FROM companies GROUP BY sector) SELECT sector, total FROM cap ORDER BY total DESC LIMIT 5",
		"WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n",
		"SELECT name, RANK() OVER (PARTITION BY sector ORDER BY market_cap DESC) AS r FROM companies",
		"SELECT symbol, close, LAG(close, 1) OVER w AS prev FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY date)",
		"SELECT JSON_EXTRACT(profile, '$.ceo.name') AS ceo FROM companies WHERE JSON_EXTRACT(profile, '$.founded') > 1990",
		"SELECT profile->>'$.hq' FROM companies WHERE JSON_CONTAINS(tags, '\"ai\"')",
		"SELECT name FROM companies WHERE sector IN ('Tech', 'Energy', 'Utilities') AND market_cap > 1e9",
		"SELECT name FROM companies ORDER BY market_cap DESC LIMIT 10, 5",
		"SELECT COUNT(*) FROM trades WHERE trade_date >= DATE_SUB(CURDATE(), INTERVAL 30 DAY)",
		"SELECT s.sector, AVG(p.close) FROM prices p JOIN companies s ON p.symbol = s.symbol GROUP BY s.sector HAVING AVG(p.close) > 100",
		"SELECT name FROM companies c WHERE EXISTS (SELECT 1 FROM prices p WHERE p.symbol = c.symbol AND p.close > 500)",
		"SELECT sector, SUM(CASE WHEN market_cap > 1000 THEN 1 ELSE 0 END) AS big FROM companies GROUP BY sector",
		"SELECT name FROM companies UNION ALL SELECT name FROM delisted ORDER BY name LIMIT 20",
		"SELECT DATE_FORMAT(date, '%Y-%m') AS month, MAX(close) FROM prices WHERE date BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY month",
		"select `name`, market_cap / 1e9 as cap_b from Companies where name like 'A%' order by 2 desc;",
	} {
		f.Add(s, "name,market_cap\nApple,3000.50\nNVIDIA,2900\nApple,3000.5\n,NULL\nNaN,1e400\n-0,0.0", uint8(2))
	}
	f.Add("SELECT 1", "a,A,a\n1,true,x\n\"q\",  ,\n", uint8(3))
	f.Add("SELECT a FROM t", "", uint8(0))
	f.Fuzz(func(t *testing.T, sql, cells string, width uint8) {
		if canonical, err := sqlmatch.Canonical(sql); err == nil {
			for _, mode := range spec.Matches {
				if mode == spec.MatchResult {
					continue
				}
				if same, err := SameSQL(mode, sql, sql); err != nil || !same {
					t.Errorf("SameSQL(%q, s, s) = %v, %v; want true for s = %q", mode, same, err, sql)
				}
				// An answer written as the gold's canonical form is the
				// gold under every mode but exact, either way round.
				if mode == spec.MatchExact {
					continue
				}
				for _, pair := range [][2]string{{sql, canonical}, {canonical, sql}} {
					if same, err := SameSQL(mode, pair[0], pair[1]); err != nil || !same {
						t.Errorf("SameSQL(%q, %q, %q) = %v, %v; want true (one is the other's canonical form)", mode, pair[0], pair[1], same, err)
					}
				}
			}
			if _, err := sqlmatch.Layout(sql); err != nil {
				t.Errorf("Layout fails on a statement Canonical accepts: %v\n%q", err, sql)
			}
			if _, err := sqlmatch.Explain(sql); err != nil {
				t.Errorf("Explain fails on a statement Canonical accepts: %v\n%q", err, sql)
			}
		}

		table := fuzzTable(cells, 1+int(width%4))
		for _, r := range fuzzRules() {
			if v := resultset.Compare(table, table, r); !v.Equal {
				t.Errorf("a table differs from itself under %+v: %s (%s)\n%q\n%s", r, v.Reason, v.Rule, table, strings.Join(v.Diff, "\n"))
			}
		}
	})
}

// fuzzTable builds a table of width columns from text: the first line
// names the columns, each later line is a row of comma-separated cells,
// padded or cut to width. A cell reads as NULL, a bool, an int64, a
// float64 (NaN and ±Inf included) or a json.Number by turns, else a string.
func fuzzTable(text string, width int) resultset.Table {
	lines := strings.Split(text, "\n")
	if len(lines) > 50 {
		lines = lines[:50]
	}
	fields := func(l string) []string {
		f := strings.Split(l, ",")
		for len(f) < width {
			f = append(f, "")
		}
		return f[:width]
	}
	t := resultset.Table{Columns: fields(lines[0]), Rows: [][]any{}}
	for i, l := range lines[1:] {
		var row []any
		for j, c := range fields(l) {
			row = append(row, fuzzCell(c, i+j))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func fuzzCell(s string, turn int) any {
	if s == "NULL" {
		return nil
	}
	if b, err := strconv.ParseBool(s); err == nil && turn%2 == 0 {
		return b
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && turn%3 == 0 {
		return n
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil && turn%3 == 1 {
		return x
	}
	if turn%3 == 2 {
		return json.Number(s)
	}
	return s
}

// fuzzRules are every combination of Ordered, ByName and Contains, each
// exact and with a tolerance.
func fuzzRules() []resultset.Rules {
	var out []resultset.Rules
	for _, ordered := range []bool{false, true} {
		for _, byName := range []bool{false, true} {
			for _, contains := range []bool{false, true} {
				for _, tol := range [][2]float64{{0, 0}, {0.5, 0}, {0, 0.1}} {
					out = append(out, resultset.Rules{Ordered: ordered, ByName: byName, Contains: contains, Abs: tol[0], Rel: tol[1]})
				}
			}
		}
	}
	return out
}
