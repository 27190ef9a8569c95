package sqlmatch

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// equalCases pin what counts as the same query. Equal pairs differ only in
// spelling; unequal pairs differ in something a result can depend on, or in
// something this package deliberately does not rewrite (marked "limit").
var equalCases = []struct {
	name string
	a, b string
	want bool
}{
	// Spelling that never matters.
	{"whitespace and keyword case", "SELECT name FROM t WHERE id = 1", "select   name\n\tfrom t\nwhere id=1", true},
	{"backticks", "SELECT `name` FROM `t` WHERE `t`.`id` = 1", "SELECT name FROM t WHERE t.id = 1", true},
	{"column case", "SELECT Name FROM t WHERE ID = 1", "SELECT name FROM t WHERE id = 1", true},
	{"comments and semicolon", "SELECT a FROM t -- all of them\n;", "/* q */ SELECT a FROM t", true},
	{"count star vs one", "SELECT COUNT(*) FROM t", "SELECT COUNT(1) FROM t", true},
	{"count star vs zero", "SELECT COUNT(*) FROM t", "select count(0) from t", true},
	{"count star vs string literal", "SELECT COUNT(*) FROM t", "SELECT COUNT('x') FROM t", true},
	{"count star window", "SELECT COUNT(*) OVER (PARTITION BY a) FROM t", "SELECT COUNT(1) OVER (PARTITION BY a) FROM t", true},
	{"not equal spellings", "SELECT a FROM t WHERE b <> 1", "SELECT a FROM t WHERE b != 1", true},
	{"inner join", "SELECT a FROM t INNER JOIN u ON t.id = u.id", "SELECT a FROM t JOIN u ON t.id = u.id", true},
	{"cross join", "SELECT a FROM t CROSS JOIN u", "SELECT a FROM t JOIN u", true},
	{"comma join", "SELECT a FROM t, u WHERE t.id = u.id", "SELECT a FROM t JOIN u WHERE t.id = u.id", true},
	{"left outer join", "SELECT a FROM t LEFT OUTER JOIN u ON t.id = u.id", "SELECT a FROM t LEFT JOIN u ON t.id = u.id", true},
	{"join chain parentheses", "SELECT * FROM (a JOIN b ON a.x = b.x) JOIN c ON b.y = c.y", "SELECT * FROM a JOIN b ON a.x = b.x JOIN c ON b.y = c.y", true},
	{"optional AS", "SELECT t.a total FROM t s", "SELECT t.a AS total FROM t AS s", true},
	{"alias case", "SELECT SUM(x) AS Total FROM t ORDER BY Total", "SELECT SUM(x) total FROM t ORDER BY TOTAL", true},
	{"ASC is default", "SELECT a FROM t ORDER BY a ASC, b DESC", "SELECT a FROM t ORDER BY a, b DESC", true},
	{"limit offset forms", "SELECT a FROM t LIMIT 10 OFFSET 5", "SELECT a FROM t LIMIT 5, 10", true},
	{"limit zero offset", "SELECT a FROM t LIMIT 0, 3", "SELECT a FROM t LIMIT 3", true},
	{"string quotes", "SELECT a FROM t WHERE s = 'Energy'", `SELECT a FROM t WHERE s = "Energy"`, true},
	{"quote escapes", `SELECT 'it''s'`, `SELECT 'it\'s'`, true},
	{"default charset introducer", "SELECT a FROM t WHERE s = _utf8mb4'x'", "SELECT a FROM t WHERE s = 'x'", true},
	{"CTE formatting", "WITH c AS (SELECT A FROM t) SELECT * FROM c", "with c as (\n  select a from `t`\n)\nselect * from c;", true},
	{"window function", "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b ASC) AS rn FROM t", "select row_number() over (partition by A order by B) rn from t", true},
	{"JSON arrow", "SELECT doc->'$.name' FROM t", "SELECT JSON_EXTRACT(doc, '$.name') FROM t", true},
	{"JSON unquoting arrow", "SELECT doc->>'$.name' FROM t", "SELECT JSON_UNQUOTE(JSON_EXTRACT(doc, '$.name')) FROM t", true},
	{"IN list spacing", "SELECT a FROM t WHERE b IN (1,2,3)", "SELECT a FROM t WHERE b in ( 1 , 2 , 3 )", true},
	{"interval arithmetic", "SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t", "SELECT d + INTERVAL 1 DAY FROM t", true},
	{"date function case", "SELECT YEAR(d) FROM t WHERE DATE_FORMAT(d, '%Y-%m') = '2020-01'", "select year(D) from t where date_format(d, '%Y-%m') = '2020-01'", true},
	{"parenthesised conjuncts", "SELECT a FROM t WHERE (a = 1) AND (b = 2)", "SELECT a FROM t WHERE a = 1 AND b = 2", true},
	{"parenthesised WHERE", "SELECT a FROM t WHERE (a = 1 OR b = 2)", "SELECT a FROM t WHERE a = 1 OR b = 2", true},
	{"parenthesised product", "SELECT (a * b) + c, ((d)) FROM t", "SELECT a * b + c, d FROM t", true},
	{"parenthesised division", "SELECT (CAST(SUM(x) AS FLOAT) / COUNT(y)) * 100 FROM t", "SELECT CAST(SUM(x) AS FLOAT) / COUNT(y) * 100 FROM t", true},
	{"DISTINCT with parentheses", "SELECT DISTINCT(a) FROM t", "SELECT DISTINCT a FROM t", true},
	{"cast spelling", "SELECT CAST(x AS SIGNED INTEGER) FROM t", "SELECT CAST(x AS SIGNED) FROM t", true},
	{"logical operator spelling", "SELECT a FROM t WHERE b = 1 && c = 2 || d = 3", "SELECT a FROM t WHERE b = 1 AND c = 2 OR d = 3", true},
	{"SELECT ALL", "SELECT ALL a FROM t", "SELECT a FROM t", true},
	{"UNION DISTINCT", "SELECT a FROM t UNION DISTINCT SELECT a FROM u", "SELECT a FROM t UNION SELECT a FROM u", true},
	{"subquery formatting", "SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c > 1)", "select a from t where b in(select b from u where c>1)", true},
	{"CASE formatting", "SELECT SUM(CASE WHEN a = 'x' THEN 1 ELSE 0 END) FROM t", "select sum( case when (a = 'x') then 1 else 0 end ) from t", true},
	{"MOD spelling", "SELECT a MOD 2 FROM t", "SELECT a % 2 FROM t", true},
	{"real Chat2Query answer", "SELECT `schools`.`zip` FROM `schools` INNER JOIN `frpm` ON `schools`.`cdscode` = `frpm`.`cdscode` WHERE `frpm`.`charter school (y/n)` = 1 AND `schools`.`district` = 'Fresno County Office of Education'",
		"select schools.Zip from schools join frpm on schools.CDSCode = frpm.CDSCode\nwhere frpm.`Charter School (Y/N)` = 1 and schools.District = \"Fresno County Office of Education\"", true},

	// Real changes.
	{"different column", "SELECT a FROM t", "SELECT b FROM t", false},
	{"different string literal", "SELECT a FROM t WHERE s = 'Energy'", "SELECT a FROM t WHERE s = 'energy'", false},
	{"different number", "SELECT a FROM t WHERE n = 1", "SELECT a FROM t WHERE n = 2", false},
	{"number vs string", "SELECT a FROM t WHERE n = 1", "SELECT a FROM t WHERE n = '1'", false},
	{"direction", "SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a DESC", false},
	{"limit", "SELECT a FROM t LIMIT 5", "SELECT a FROM t LIMIT 6", false},
	{"offset", "SELECT a FROM t LIMIT 1 OFFSET 1", "SELECT a FROM t LIMIT 1", false},
	{"table", "SELECT a FROM t", "SELECT a FROM u", false},
	{"comparison", "SELECT a FROM t WHERE n > 1", "SELECT a FROM t WHERE n >= 1", false},
	{"join type", "SELECT a FROM t LEFT JOIN u ON t.id = u.id", "SELECT a FROM t JOIN u ON t.id = u.id", false},
	{"count column", "SELECT COUNT(*) FROM t", "SELECT COUNT(a) FROM t", false},
	{"count NULL", "SELECT COUNT(*) FROM t", "SELECT COUNT(NULL) FROM t", false},
	{"count distinct", "SELECT COUNT(DISTINCT a) FROM t", "SELECT COUNT(a) FROM t", false},
	{"count distinct literal", "SELECT COUNT(DISTINCT 1) FROM t", "SELECT COUNT(*) FROM t", false},
	{"UNION ALL", "SELECT a FROM t UNION SELECT a FROM u", "SELECT a FROM t UNION ALL SELECT a FROM u", false},
	{"grouping parentheses", "SELECT a FROM t WHERE a = 1 AND (b = 2 OR c = 3)", "SELECT a FROM t WHERE a = 1 AND b = 2 OR c = 3", false},
	{"subtraction grouping", "SELECT a - (b - c) FROM t", "SELECT a - b - c FROM t", false},
	{"DISTINCT", "SELECT DISTINCT a FROM t", "SELECT a FROM t", false},
	{"order by position vs constant", "SELECT a FROM t ORDER BY 1", "SELECT a FROM t ORDER BY (1)", false},
	{"IN list", "SELECT a FROM t WHERE b IN (1, 2)", "SELECT a FROM t WHERE b IN (1, 3)", false},
	{"JSON path", "SELECT doc->'$.a' FROM t", "SELECT doc->'$.b' FROM t", false},
	{"interval unit", "SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t", "SELECT DATE_ADD(d, INTERVAL 1 MONTH) FROM t", false},
	{"window partition", "SELECT RANK() OVER (PARTITION BY a ORDER BY b) FROM t", "SELECT RANK() OVER (PARTITION BY c ORDER BY b) FROM t", false},
	{"CTE body", "WITH c AS (SELECT a FROM t) SELECT * FROM c", "WITH c AS (SELECT b FROM t) SELECT * FROM c", false},
	{"GROUP BY", "SELECT a, COUNT(*) FROM t GROUP BY a", "SELECT a, COUNT(*) FROM t GROUP BY a, b", false},
	{"HAVING", "SELECT a FROM t GROUP BY a HAVING COUNT(*) > 1", "SELECT a FROM t GROUP BY a HAVING COUNT(*) > 2", false},
	{"string whitespace", "SELECT a FROM t WHERE s = 'a b'", "SELECT a FROM t WHERE s = 'a  b'", false},
	{"explicit charset", "SELECT a FROM t WHERE s = _latin1'x'", "SELECT a FROM t WHERE s = 'x'", false},
	{"table name and alias case", "SELECT T1.a FROM Schools AS T1", "SELECT t1.a FROM `schools` t1", true},
	{"CTE name case", "WITH Top AS (SELECT 1) SELECT * FROM Top", "with top as (select 1) select * from TOP", true},
	{"limit: qualified column", "SELECT t.a FROM t", "SELECT a FROM t", false},
	{"limit: conjunct order", "SELECT a FROM t WHERE b = 1 AND c = 2", "SELECT a FROM t WHERE c = 2 AND b = 1", false},
	{"limit: decimal scale", "SELECT a FROM t WHERE n = 1.5", "SELECT a FROM t WHERE n = 1.50", false},
}

func TestEqual(t *testing.T) {
	for _, tc := range equalCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Equal(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				ca, _ := Canonical(tc.a)
				cb, _ := Canonical(tc.b)
				t.Errorf("Equal = %v, want %v\n  a: %s\n  b: %s", got, tc.want, ca, cb)
			}
			checkProperties(t, tc.a)
			checkProperties(t, tc.b)
		})
	}
}

func TestEqualNamesTheBadStatement(t *testing.T) {
	if _, err := Equal("SELECT 1", "SELEC 1"); err == nil || !strings.HasPrefix(err.Error(), "second statement: ") {
		t.Errorf("err = %v, want it to blame the second statement", err)
	}
	var pe *ParseError
	if _, err := Equal("SELECT FROM", "SELECT 1"); !errors.As(err, &pe) {
		t.Errorf("err = %v, want a wrapped *ParseError", err)
	}
}

func TestParseError(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want ParseError
	}{
		{"SELECT FROM t", ParseError{Line: 1, Column: 8, Msg: "syntax error", Near: "FROM t"}},
		{"SELEC 1", ParseError{Line: 1, Column: 1, Msg: "syntax error", Near: "SELEC 1"}},
		{"select a\nfrom t\nwhere x = = 1", ParseError{Line: 3, Column: 11, Msg: "syntax error", Near: "= 1"}},
		{"select é, 'ü' frm t", ParseError{Line: 1, Column: 19, Msg: "syntax error", Near: "t"}},
		{"SELECT a FROM t WHERE name = 'Ancestor's Chosen'", ParseError{Line: 1, Column: 40, Msg: "syntax error", Near: "s Chosen'"}},
		{"SELECT CAST(a AS INTEGER) FROM t", ParseError{Line: 1, Column: 18, Msg: "syntax error", Near: "INTEGER) FROM t"}},
		{"SELECT 'abc", ParseError{Line: 1, Column: 8, Msg: "syntax error", Near: "'abc"}},
		{"SELECT \"unterminated", ParseError{Line: 1, Column: 8, Msg: "syntax error", Near: `"unterminated`}},
		{"SELECT a FROM t WHERE b = 1 AND", ParseError{Line: 1, Column: 32, Msg: "syntax error", Near: ""}},
		{"SELECT 1;\n  SELECT 2", ParseError{Line: 2, Column: 3, Msg: "expected one statement, found 2", Near: "SELECT 2"}},
		{"SELECT 1; SELECT 1", ParseError{Line: 1, Column: 11, Msg: "expected one statement, found 2", Near: "SELECT 1"}},
		{"", ParseError{Line: 1, Column: 1, Msg: "no SQL statement"}},
		{" -- only a comment\n;", ParseError{Line: 1, Column: 1, Msg: "no SQL statement"}},
		{"SELECT 1.5e999", ParseError{Line: 1, Column: 1, Msg: "Illegal double '1.5e999' value found during parsing"}},
		{"SELECT a FROM t WHERE x = '" + strings.Repeat("y", 3000), ParseError{Line: 1, Column: 27, Msg: "syntax error", Near: "'" + strings.Repeat("y", 39) + "..."}},
	} {
		_, err := Canonical(tc.sql)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Canonical(%q) error = %v, want *ParseError", tc.sql, err)
			continue
		}
		if *pe != tc.want {
			t.Errorf("Canonical(%q) error = %+v, want %+v", tc.sql, *pe, tc.want)
		}
		if _, err := Layout(tc.sql); !errors.As(err, &pe) {
			t.Errorf("Layout(%q) error = %v, want *ParseError", tc.sql, err)
		}
	}
}

func TestParseErrorText(t *testing.T) {
	_, err := Canonical("SELECT FROM t")
	if got, want := err.Error(), `line 1 column 8: syntax error near "FROM t"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = Canonical("")
	if got, want := err.Error(), "line 1 column 1: no SQL statement"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestLayout(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{
			"select a, count(*) from t inner join u on t.id = u.id left join v using (k) where b > 1 group by a having count(*) > 2 order by a desc limit 5 offset 10",
			[]string{
				"SELECT `a`,COUNT(*)",
				"FROM `t`",
				"JOIN `u` ON `t`.`id` = `u`.`id`",
				"LEFT JOIN `v` USING (`k`)",
				"WHERE `b` > 1",
				"GROUP BY `a`",
				"HAVING COUNT(*) > 2",
				"ORDER BY `a` DESC",
				"LIMIT 10,5",
			},
		},
		{
			"with a as (select x from t), b as (select y from u) select * from a union all (select y from b order by y limit 1) order by 1",
			[]string{
				"WITH `a` AS (SELECT `x` FROM `t`),",
				"`b` AS (SELECT `y` FROM `u`)",
				"SELECT *",
				"FROM `a`",
				"UNION ALL",
				"(SELECT `y`",
				"FROM `b`",
				"ORDER BY `y`",
				"LIMIT 1)",
				"ORDER BY 1",
			},
		},
		{
			// A parenthesised join without ON cannot be followed bare by
			// another join: TiDB would regroup it, so the left part keeps its
			// parentheses.
			"select x.a from a x, b join c, d",
			[]string{"SELECT `x`.`a`", "FROM (`a` AS `x` JOIN (`b` JOIN `c`))", "JOIN `d`"},
		},
		{
			"select 1 where 1 = 1",
			[]string{"SELECT 1", "FROM DUAL", "WHERE 1 = 1"},
		},
		{
			"select a from t for update",
			[]string{"SELECT `a`", "FROM `t`", "FOR UPDATE"},
		},
		{
			"update t set a = 1 where b = 2",
			[]string{"UPDATE `t` SET `a`=1 WHERE `b` = 2"},
		},
	} {
		got, err := Layout(tc.sql)
		if err != nil {
			t.Errorf("Layout(%q): %v", tc.sql, err)
			continue
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("Layout(%q) =\n  %s\nwant\n  %s", tc.sql, strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
		}
		checkProperties(t, tc.sql)
	}
}

func TestCanonicalOneLine(t *testing.T) {
	got, err := Canonical("SELECT a FROM t WHERE s = 'two\nlines\tand\\\\slash' AND u = _latin1'x\r'")
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT ` + "`a`" + ` FROM ` + "`t`" + ` WHERE ` + "`s`" + ` = 'two\nlines\tand\\slash' AND ` + "`u`" + ` = _LATIN1'x\r'`
	if got != want {
		t.Errorf("Canonical = %s\nwant        %s", got, want)
	}
	checkProperties(t, "SELECT 'a\nb', 'c\x00d\x1a', \"e\bf\"")
}

// TestConcurrent runs Canonical from many goroutines: parsers come from a
// pool and must never be shared (run with -race).
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				sql := fmt.Sprintf("select a%d from t where b = %d order by c limit %d", g, i, i+1)
				want := fmt.Sprintf("SELECT `a%d` FROM `t` WHERE `b` = %d ORDER BY `c` LIMIT %d", g, i, i+1)
				if got, err := Canonical(sql); err != nil || got != want {
					t.Errorf("Canonical(%q) = %q, %v", sql, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestUnprintable: TiDB's parser reads "count ()" (a space before the
// parenthesis makes it a plain function name) but prints COUNT(), which it
// does not read; Canonical refuses rather than compare text that is not SQL.
func TestUnprintable(t *testing.T) {
	_, err := Canonical("SELECT count () FROM t")
	if err == nil || !strings.Contains(err.Error(), "does not read back the same") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		t.Errorf("err is a *ParseError, but the statement parses: %v", err)
	}
	if _, err := Layout("SELECT count () FROM t"); err == nil {
		t.Error("Layout accepted what Canonical refuses")
	}
}
