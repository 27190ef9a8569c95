package sqlmatch

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// guardCases are statements with what CheckReadOnly must say: "" for
// accepted, otherwise a substring of the refusal's message.
var guardCases = []struct{ sql, refused string }{
	// Plain reads, in the style of the Chat2Query corpus.
	{"SELECT name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5", ""},
	{"select `a`.`x`, b.y from a join b on a.id = b.id where b.y > 10 group by a.x, b.y having count(*) > 1 order by 1 desc limit 3, 4;", ""},
	{"SELECT CAST(SUM(CASE WHEN gender = 'F' THEN 1 ELSE 0 END) AS REAL) * 100 / COUNT(*) FROM patient", ""},
	{"SELECT sector, AVG(pe), MIN(pe), MAX(pe), STDDEV(pe), VARIANCE(pe), GROUP_CONCAT(DISTINCT name ORDER BY name SEPARATOR ', ') FROM companies GROUP BY sector WITH ROLLUP", ""},
	{"SELECT name, RANK() OVER (PARTITION BY sector ORDER BY market_cap DESC) AS r, LAG(close, 1) OVER w, SUM(volume) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY day)", ""},
	{"SELECT JSON_EXTRACT(doc, '$.a'), doc->>'$.b', JSON_ARRAYAGG(id), JSON_OBJECT('k', v), JSON_CONTAINS(doc, '1') FROM j GROUP BY doc", ""},
	{"SELECT DATE_FORMAT(d, '%Y-%m'), YEAR(d), DATEDIFF(NOW(), d), d + INTERVAL 1 DAY, TIMESTAMPDIFF(MONTH, d, CURDATE()), STR_TO_DATE('01/02/2020', '%m/%d/%Y'), EXTRACT(YEAR FROM d), DATE '2020-01-01', LAST_DAY(d) FROM t", ""},
	{"SELECT CONCAT(first, ' ', last), UPPER(a), SUBSTRING(a, 1, 3), TRIM(LEADING 'x' FROM a), REPLACE(a, 'b', 'c'), LPAD(a, 5, '0'), CHAR_LENGTH(a), LOCATE('x', a), CONVERT(a USING utf8mb4), CHAR(65 USING utf8mb4) FROM t", ""},
	{"SELECT ROUND(AVG(x), 2), ABS(y), CEIL(z), FLOOR(z), POWER(2, 3), MOD(a, 3), a DIV 2, LOG(10), SQRT(4), GREATEST(a, b), LEAST(a, b), IFNULL(a, 0), COALESCE(a, b, 0), NULLIF(a, 0), IF(a > 0, 'p', 'n') FROM t", ""},
	{"SELECT COUNT(DISTINCT a), COUNT(*), SUM(a) / NULLIF(COUNT(a), 0) FROM t WHERE a BETWEEN 1 AND 10 AND b LIKE 'x%' AND c IN (1, 2, 3) AND d IS NOT NULL AND e REGEXP '^a' AND NOT f", ""},
	{"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10) SELECT n FROM seq", ""},
	{"WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b", ""},
	{"SELECT * FROM t WHERE a = (SELECT MAX(a) FROM t) AND EXISTS (SELECT 1 FROM u WHERE u.id = t.id) AND b IN (SELECT b FROM v) AND c > ALL (SELECT c FROM w)", ""},
	{"SELECT d.x FROM (SELECT x FROM (SELECT 1 AS x) AS e) AS d", ""},
	{"SELECT 1 UNION SELECT 2 UNION ALL SELECT 3", ""},
	{"(SELECT a FROM t ORDER BY a LIMIT 1) UNION (SELECT b FROM u) ORDER BY 1 LIMIT 5", ""},
	{"SELECT a FROM t INTERSECT SELECT a FROM u EXCEPT (SELECT a FROM v UNION SELECT a FROM w)", ""},
	{"TABLE companies", ""},
	{"VALUES ROW(1, 'a'), ROW(2, 'b')", ""},
	{"SHOW TABLES", ""},
	{"SHOW FULL COLUMNS FROM t LIKE 'a%'", ""},
	{"SHOW CREATE TABLE companies", ""},
	{"SHOW VARIABLES WHERE variable_name = 'version'", ""},
	{"DESCRIBE companies", ""},
	{"DESC companies name", ""},
	{"EXPLAIN SELECT * FROM t WHERE a = 1", ""},
	{"EXPLAIN FORMAT = 'brief' SELECT 1 UNION SELECT 2", ""},
	{"EXPLAIN ANALYZE SELECT COUNT(*) FROM t", ""},
	{"SELECT @@version, @@session.sql_mode, @x", ""},
	{"SELECT /*+ HASH_JOIN(a, b) */ a.x FROM a JOIN b ON a.id = b.id", ""},
	{"SELECT * FROM t USE INDEX (i) WHERE a = ?", ""},
	{"SELECT a COLLATE utf8mb4_bin, MD5(a), UUID(), RAND(), CURRENT_USER(), DATABASE() FROM t", ""},
	{"SELECT CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' END, CAST(a AS DECIMAL(10, 2)), CAST(a AS CHAR) FROM t", ""},
	{"/* a comment */ SELECT 1 -- and another\n", ""},
	{"SELECT 'text with /* an ordinary comment */ inside'", ""},
	{"SELECT * FROM t AS OF TIMESTAMP '2024-01-01 00:00:00'", ""},

	// INTO, in every position TiDB's parser reads it (INTO DUMPFILE and INTO
	// @var do not parse in TiDB: refused because they cannot be checked).
	{"SELECT * FROM t INTO OUTFILE '/tmp/x'", "INTO OUTFILE"},
	{"SELECT 1 UNION SELECT 2 INTO OUTFILE '/tmp/x'", "INTO OUTFILE"},
	{"(SELECT 1 INTO OUTFILE '/tmp/x') UNION SELECT 2", "INTO OUTFILE"},
	{"SELECT 1 INTERSECT SELECT 2 INTO OUTFILE '/tmp/x'", "INTO OUTFILE"},
	{"WITH c AS (SELECT 1) SELECT * FROM c INTO OUTFILE '/tmp/x'", "INTO OUTFILE"},
	{"TABLE t INTO OUTFILE '/tmp/x'", "INTO OUTFILE"},
	{"SELECT 1 INTO DUMPFILE '/tmp/x'", "cannot be checked"},
	{"SELECT COUNT(*) INTO @n FROM t", "cannot be checked"},
	{"SELECT * FROM (SELECT 1 INTO OUTFILE '/tmp/x') AS d", "INTO OUTFILE"},
	{"EXPLAIN SELECT * FROM t INTO OUTFILE '/tmp/x'", "INTO OUTFILE"},

	// Locking, every form and position.
	{"SELECT * FROM t FOR UPDATE", "FOR UPDATE"},
	{"SELECT * FROM t FOR SHARE", "FOR SHARE"},
	{"SELECT * FROM t LOCK IN SHARE MODE", "LOCK IN SHARE MODE"},
	{"SELECT * FROM t FOR UPDATE NOWAIT", "NOWAIT"},
	{"SELECT * FROM t FOR UPDATE WAIT 5", "WAIT"},
	{"SELECT * FROM t FOR UPDATE SKIP LOCKED", "SKIP LOCKED"},
	{"SELECT * FROM t FOR SHARE SKIP LOCKED", "SKIP LOCKED"},
	{"SELECT * FROM t FOR UPDATE OF t", "FOR UPDATE"},
	{"SELECT 1 UNION SELECT a FROM t FOR UPDATE", "FOR UPDATE"},
	{"SELECT * FROM (SELECT a FROM t FOR UPDATE) AS d", "FOR UPDATE"},
	{"WITH c AS (SELECT a FROM t FOR UPDATE) SELECT * FROM c", "FOR UPDATE"},
	{"SELECT * FROM t WHERE a IN (SELECT a FROM u FOR SHARE)", "FOR SHARE"},
	{"(SELECT a FROM t FOR UPDATE) UNION (SELECT b FROM u)", "FOR UPDATE"},
	{"EXPLAIN ANALYZE SELECT * FROM t FOR UPDATE", "FOR UPDATE"},

	// Refused functions and assignments in every clause position.
	{"SELECT LOAD_FILE('/etc/passwd')", "LOAD_FILE()"},
	{"SELECT a FROM (SELECT LOAD_FILE('/etc/hostname') AS a) AS d", "LOAD_FILE()"},
	{"SELECT * FROM t JOIN u ON t.a = SLEEP(1)", "SLEEP()"},
	{"SELECT * FROM t WHERE a = BENCHMARK(1000000, MD5('x'))", "BENCHMARK()"},
	{"SELECT a FROM t GROUP BY GET_LOCK('l', 10)", "GET_LOCK()"},
	{"SELECT a FROM t GROUP BY a HAVING RELEASE_LOCK('l') = 1", "RELEASE_LOCK()"},
	{"SELECT a FROM t ORDER BY IS_FREE_LOCK('l')", "IS_FREE_LOCK()"},
	{"SELECT a FROM t LIMIT 1 UNION SELECT RELEASE_ALL_LOCKS()", "RELEASE_ALL_LOCKS()"},
	{"WITH c AS (SELECT NEXTVAL(s) AS v) SELECT v FROM c", "NEXTVAL()"},
	{"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + SETVAL(s, 9) FROM c WHERE n < 3) SELECT n FROM c", "SETVAL()"},
	{"SELECT 1 UNION SELECT sys_eval('id')", "SYS_EVAL()"},
	{"SELECT 1 INTERSECT SELECT 2 EXCEPT SELECT mydb.f(1)", "stored function mydb.f()"},
	{"(SELECT 1) UNION ((SELECT 2) UNION (SELECT LOAD_FILE('/x')))", "LOAD_FILE()"},
	{"SELECT (SELECT SLEEP(1))", "SLEEP()"},
	{"SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = GET_LOCK('x', 1))", "GET_LOCK()"},
	{"SELECT * FROM t WHERE a IN (SELECT LOAD_FILE(b) FROM u)", "LOAD_FILE()"},
	{"SELECT ROW_NUMBER() OVER (PARTITION BY SLEEP(1) ORDER BY a) FROM t", "SLEEP()"},
	{"SELECT SUM(a) OVER (ORDER BY BENCHMARK(10, 1)) FROM t", "BENCHMARK()"},
	{"SELECT ROW_NUMBER() OVER w FROM t WINDOW w AS (ORDER BY LOAD_FILE('/x'))", "LOAD_FILE()"},
	{"SELECT CASE WHEN a > 0 THEN SLEEP(1) ELSE 0 END FROM t", "SLEEP()"},
	{"SELECT CONCAT('x', UPPER(LOAD_FILE('/etc/passwd')))", "LOAD_FILE()"},
	{"SELECT CAST(LOAD_FILE('/x') AS CHAR)", "LOAD_FILE()"},
	{"SELECT COUNT(SLEEP(1)) FROM t", "SLEEP()"},
	{"SELECT @x := 1", "@x := "},
	{"SELECT a FROM t WHERE (@n := @n + 1) > 0", "@n := "},
	{"SELECT * FROM t ORDER BY (@o := a)", "@o := "},
	{"SELECT LAST_INSERT_ID(5)", "LAST_INSERT_ID()"},
	{"SELECT DEFAULT(a) FROM t", "DEFAULT()"},
	{"SELECT /*+ SET_VAR(sql_mode = '') */ 1", "SET_VAR"},
	{"SELECT /*+ RESOURCE_GROUP(rg) */ 1", "RESOURCE_GROUP"},
	{"SELECT UNKNOWN_FN(a) FROM t", "UNKNOWN_FN()"},

	// Statements.
	{"INSERT INTO t VALUES (1)", "an INSERT statement"},
	{"REPLACE INTO t VALUES (1)", "a REPLACE statement"},
	{"UPDATE t SET a = 1", "an UPDATE statement"},
	{"DELETE FROM t", "a DELETE statement"},
	{"WITH c AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM c)", "a DELETE statement"},
	{"INSERT INTO t SELECT * FROM u", "an INSERT statement"},
	{"CREATE TABLE t (a INT)", "a CREATE TABLE statement"},
	{"CREATE TABLE t AS SELECT 1", "a CREATE TABLE statement"},
	{"DROP TABLE t", "a DROP TABLE statement"},
	{"ALTER TABLE t ADD b INT", "an ALTER TABLE statement"},
	{"TRUNCATE TABLE t", "TRUNCATE"},
	{"CREATE VIEW v AS SELECT 1", "a CREATE VIEW statement"},
	{"SET @a = 1", "a SET statement"},
	{"SET GLOBAL read_only = 0", "a SET statement"},
	{"SET NAMES utf8mb4", "a SET statement"},
	{"USE db", "a USE statement"},
	{"DO SLEEP(1)", "a DO statement"},
	{"CALL p()", "a CALL statement"},
	{"HANDLER t OPEN", "cannot be checked"},
	{"LOAD DATA INFILE '/tmp/x' INTO TABLE t", "a LOAD DATA statement"},
	{"START TRANSACTION", "a START TRANSACTION statement"},
	{"COMMIT", "COMMIT"},
	{"LOCK TABLES t READ", "LOCK TABLES"},
	{"GRANT SELECT ON *.* TO 'u'@'%'", "a GRANT statement"},
	{"ANALYZE TABLE t", "ANALYZE TABLE"},
	{"PREPARE s FROM 'DELETE FROM t'", "PREPARE"},
	{"EXECUTE s", "EXECUTE"},
	{"EXPLAIN DELETE FROM t", "EXPLAIN of a DELETE statement"},
	{"EXPLAIN ANALYZE INSERT INTO t VALUES (1)", "EXPLAIN ANALYZE of an INSERT statement"},
	{"EXPLAIN ANALYZE UPDATE t SET a = 1", "EXPLAIN ANALYZE of an UPDATE statement"},
	{"DESCRIBE DELETE FROM t", "EXPLAIN of a DELETE statement"},

	// Several statements, executable comments, nothing, garbage.
	{"SELECT 1; SELECT 2", "several statements"},
	{"SELECT 1; DELETE FROM t", "several statements"},
	{"SELECT 1 /*! UNION SELECT LOAD_FILE('/x') */", "executable comment /*!"},
	{"SELECT 1 /*!50000 , 2 */", "executable comment /*!"},
	{"SELECT /*T![auto_rand] 1 */ 2", "executable comment /*T!"},
	{"SELECT /*M! 1 */ 2", "executable comment /*M!"},
	{"SELECT '/*!' AS s", "executable comment"},
	{"", "empty statement"},
	{"SELEC 1", "cannot be checked"},
}

func TestCheckReadOnly(t *testing.T) {
	refused := 0
	for _, tc := range guardCases {
		err := CheckReadOnly(tc.sql)
		if tc.refused == "" {
			if err != nil {
				t.Errorf("CheckReadOnly(%q) = %v, want nil", tc.sql, err)
			}
			continue
		}
		refused++
		var re *RefusedError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.refused) {
			t.Errorf("CheckReadOnly(%q) = %v, want a *RefusedError containing %q", tc.sql, err, tc.refused)
		}
	}
	if len(guardCases) < 90 || refused*2 < len(guardCases) {
		t.Errorf("%d cases, %d refused: want at least 90, half refused", len(guardCases), refused)
	}
}

// TestCheckReadOnlyParseError: a statement that does not parse is refused,
// and the *ParseError with its position is there for errors.As.
func TestCheckReadOnlyParseError(t *testing.T) {
	err := CheckReadOnly("SELECT 1 INTO DUMPFILE '/tmp/x'")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || pe.Column != 15 {
		t.Fatalf("err = %v, want a *ParseError at 1:15", err)
	}
	if ro, err := ReadOnly("SELECT 1 INTO DUMPFILE '/tmp/x'"); ro || !errors.As(err, &pe) {
		t.Errorf("ReadOnly = %v, %v; want false and the *ParseError", ro, err)
	}
	if ro, err := ReadOnly("SELECT 1 UNION SELECT 2 FOR UPDATE"); ro || err != nil {
		t.Errorf("ReadOnly of a locking union = %v, %v; want false, nil", ro, err)
	}
}

func TestParseSessionStatement(t *testing.T) {
	for sql, want := range map[string]string{
		"USE `sp500insight`":                                     "use sp500insight",
		"SET NAMES utf8mb4":                                      "names=utf8mb4",
		"SET NAMES 'utf8mb4' COLLATE 'utf8mb4_bin'":              "names=utf8mb4 collate utf8mb4_bin",
		"SET CHARACTER SET latin1":                               "character set=latin1",
		"SET autocommit = 1, time_zone = '+00:00'":               "autocommit=1 time_zone=+00:00",
		"set @@session.autocommit = ON":                          "autocommit=on",
		"SET GLOBAL read_only = 0":                               "global read_only=0",
		"SET @@global.read_only = OFF":                           "global read_only=off",
		"SET @a = 1":                                             "@a=1",
		"SET sql_select_limit = DEFAULT":                         "sql_select_limit=default",
		"SET x = -1":                                             "x=-1",
		"SET x = 1 + 1":                                          "x=(expression)",
		"SET x = (SELECT LOAD_FILE('/x'))":                       "x=(expression)",
		"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED": "tx_isolation=read-committed",
		"START TRANSACTION":                                      "begin",
		"BEGIN":                                                  "begin",
		"START TRANSACTION READ ONLY":                            "begin read only",
		"COMMIT":                                                 "commit",
		"ROLLBACK":                                               "rollback",
	} {
		s, err := ParseSessionStatement(sql)
		if err != nil {
			t.Errorf("ParseSessionStatement(%q): %v", sql, err)
			continue
		}
		var parts []string
		if s.Transaction != "" {
			parts = append(parts, s.Transaction)
		}
		if s.Use != "" {
			parts = append(parts, "use "+s.Use)
		}
		for _, set := range s.Settings {
			p := set.Name + "=" + strings.ToLower(set.Value)
			if !set.Constant {
				p = set.Name + "=(expression)"
			}
			if set.Global {
				p = "global " + p
			}
			if set.Collate != "" {
				p += " collate " + set.Collate
			}
			parts = append(parts, p)
		}
		if got := strings.Join(parts, " "); got != want {
			t.Errorf("ParseSessionStatement(%q) = %q, want %q", sql, got, want)
		}
	}
	for _, sql := range []string{"SELECT 1", "DELETE FROM t", "SET a = 1; SET b = 2", "/*!40101 SET NAMES utf8 */", "SET",
		"ROLLBACK TO SAVEPOINT s", "COMMIT AND CHAIN", "BEGIN PESSIMISTIC", "START TRANSACTION READ ONLY AS OF TIMESTAMP NOW()"} {
		if s, err := ParseSessionStatement(sql); err == nil {
			t.Errorf("ParseSessionStatement(%q) = %+v, want an error", sql, s)
		}
	}
}

// corpusRefusals are the functions that Chat2Query wrote for BIRD's SQLite
// databases and that neither TiDB nor MySQL has. On a MySQL server such a
// name can only be a user-defined function, so the guard refuses it.
var corpusRefusals = map[string]bool{"STRFTIME()": true, "JULIANDAY()": true}

// TestGuardCorpus runs the guard over every statement Chat2Query really
// wrote: analytic SQL must pass, except for functions that are not MySQL's.
func TestGuardCorpus(t *testing.T) {
	entries := loadCorpus(t)
	counts := map[string]int{}
	passed, unparsed := 0, 0
	for _, e := range entries {
		err := CheckReadOnly(e.SQL)
		var re *RefusedError
		switch {
		case err == nil:
			passed++
		case errors.As(err, &re) && re.Parse != nil:
			unparsed++ // TestCorpus checks these
		case re != nil && corpusRefusals[re.What]:
			counts[re.What]++
		default:
			t.Errorf("%s: %v\n%s", e.ID, err, e.SQL)
		}
	}
	var names []string
	for n, c := range counts {
		names = append(names, fmt.Sprintf("%s %d", n, c))
	}
	sort.Strings(names)
	t.Logf("%d statements: %d pass, %d do not parse, refused for non-MySQL functions: %s", len(entries), passed, unparsed, strings.Join(names, ", "))
	if passed+unparsed+len(names) > 0 && passed < 1400 {
		t.Errorf("only %d corpus statements pass the guard, want at least 1400", passed)
	}
}

// Refused constructs for FuzzGuardNested: expressions, and suffixes of a
// SELECT.
var (
	refusedExprs = []string{
		"LOAD_FILE('/etc/passwd')", "SLEEP(1)", "BENCHMARK(1000, MD5('x'))", "GET_LOCK('l', 1)",
		"RELEASE_LOCK('l')", "IS_FREE_LOCK('l')", "RELEASE_ALL_LOCKS()", "NEXTVAL(s)", "SETVAL(s, 1)",
		"@x := 1", "sys_eval('id')", "mydb.f(1)", "LAST_INSERT_ID(1)", "DEFAULT(a)",
		"(SELECT a FROM t FOR UPDATE)", "(SELECT a FROM t LOCK IN SHARE MODE)",
		"(SELECT 1 UNION SELECT 2 FOR SHARE)", "(SELECT LOAD_FILE('/x'))",
		"(WITH c AS (SELECT SLEEP(1)) SELECT * FROM c)",
	}
	refusedSuffixes = []string{
		" FOR UPDATE", " FOR SHARE", " LOCK IN SHARE MODE", " FOR UPDATE NOWAIT",
		" FOR SHARE SKIP LOCKED", " INTO OUTFILE '/tmp/x'", " INTO DUMPFILE '/tmp/x'",
	}
	// exprPlaces hold an expression at %[1]s; the base statement is %[2]s.
	exprPlaces = []string{
		"SELECT %[1]s",
		"SELECT a FROM t WHERE a = %[1]s",
		"SELECT a FROM (SELECT %[1]s AS a) AS d",
		"SELECT a FROM t JOIN u ON t.a = %[1]s",
		"SELECT a FROM t GROUP BY %[1]s",
		"SELECT a FROM t GROUP BY a HAVING COUNT(*) > %[1]s",
		"SELECT a FROM t ORDER BY %[1]s",
		"SELECT a FROM t LIMIT 1 UNION SELECT %[1]s",
		"WITH c AS (SELECT %[1]s AS x) SELECT x FROM c",
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + %[1]s FROM c WHERE n < 3) SELECT n FROM c",
		"SELECT 1 UNION SELECT %[1]s",
		"(SELECT 1) UNION (SELECT %[1]s)",
		"SELECT 1 INTERSECT (SELECT 2 EXCEPT SELECT %[1]s)",
		"SELECT a FROM t WHERE EXISTS (SELECT %[1]s)",
		"SELECT a FROM t WHERE a IN (SELECT %[1]s)",
		"SELECT a FROM t WHERE a > ANY (SELECT %[1]s)",
		"SELECT (SELECT (SELECT %[1]s))",
		"SELECT ROW_NUMBER() OVER (PARTITION BY %[1]s ORDER BY a) FROM t",
		"SELECT a FROM t WINDOW w AS (ORDER BY %[1]s)",
		"SELECT CASE WHEN a > 0 THEN %[1]s ELSE 0 END FROM t",
		"SELECT CONCAT('x', UPPER(%[1]s)) FROM t",
		"SELECT MAX(%[1]s) FROM t",
		"SELECT a FROM t WHERE a BETWEEN %[1]s AND 2",
		"SHOW TABLES WHERE %[1]s",
		"EXPLAIN ANALYZE SELECT %[1]s",
		"SELECT %[1]s FROM (%[2]s) AS g",
		"SELECT * FROM (%[2]s) AS g WHERE %[1]s",
		"WITH g AS (%[2]s) SELECT * FROM g ORDER BY %[1]s",
		"SELECT * FROM (%[2]s) AS g UNION SELECT %[1]s",
		"SELECT * FROM (SELECT * FROM (%[2]s) AS g1 WHERE %[1]s) AS g2",
	}
	// suffixPlaces hold a SELECT that ends in %[1]s; the base is %[2]s.
	suffixPlaces = []string{
		"SELECT a FROM t%[1]s",
		"SELECT 1 UNION SELECT a FROM t%[1]s",
		"SELECT * FROM (SELECT a FROM t%[1]s) AS d",
		"WITH c AS (SELECT a FROM t%[1]s) SELECT * FROM c",
		"SELECT * FROM t WHERE a IN (SELECT a FROM u%[1]s)",
		"(SELECT a FROM t%[1]s) UNION (SELECT b FROM u)",
		"%[2]s%[1]s",
		"SELECT * FROM (%[2]s) AS g%[1]s",
		"WITH g AS (%[2]s) SELECT * FROM g%[1]s",
	}
)

// FuzzGuardNested nests a refused construct into a read-only statement at a
// position the fuzzer picks and checks that the guard refuses the result.
// Any input, read-only or not, must not make the guard panic.
func FuzzGuardNested(f *testing.F) {
	for i, tc := range guardCases {
		if tc.refused == "" {
			f.Add(tc.sql, uint8(i), uint8(i*7))
		}
	}
	for _, tc := range guardCases[len(guardCases)-20:] {
		f.Add(tc.sql, uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, base string, construct, place uint8) {
		err := CheckReadOnly(base) // arbitrary input: must not panic
		if err != nil && strings.Contains(err.Error(), "internal error in github.com/c2q/") {
			t.Fatalf("panic in sqlmatch on %q: %v", base, err)
		}
		if err != nil {
			return // only a read-only base is a seed for nesting
		}
		base = strings.TrimRight(strings.TrimSpace(base), ";")
		var sql string
		if n := len(refusedExprs) * len(exprPlaces); int(construct)%(n+len(refusedSuffixes)*len(suffixPlaces)) < n {
			i := int(construct) % len(refusedExprs)
			sql = fmt.Sprintf(exprPlaces[int(place)%len(exprPlaces)], refusedExprs[i], base)
		} else {
			i := int(construct) % len(refusedSuffixes)
			sql = fmt.Sprintf(suffixPlaces[int(place)%len(suffixPlaces)], refusedSuffixes[i], base)
		}
		if err := CheckReadOnly(sql); err == nil {
			t.Fatalf("CheckReadOnly(%q) = nil, want a refusal", sql)
		} else if strings.Contains(err.Error(), "internal error in github.com/c2q/") {
			t.Fatalf("panic in sqlmatch on %q: %v", sql, err)
		}
	})
}

// TestGuardNestedAll runs every construct in every position over a few
// bases; most of the results must parse, so that the refusals come from
// the walk and not from the parser.
func TestGuardNestedAll(t *testing.T) {
	bases := []string{"SELECT a FROM t", "SELECT 1 UNION SELECT 2", "WITH c AS (SELECT 1 AS a) SELECT a FROM c ORDER BY a"}
	total, parsed := 0, 0
	check := func(sql string) {
		total++
		err := CheckReadOnly(sql)
		var re *RefusedError
		if !errors.As(err, &re) {
			t.Errorf("CheckReadOnly(%q) = %v, want a refusal", sql, err)
			return
		}
		if re.Parse == nil {
			parsed++
		}
	}
	for _, base := range bases {
		for _, e := range refusedExprs {
			for _, p := range exprPlaces {
				check(fmt.Sprintf(p, e, base))
			}
		}
		for _, s := range refusedSuffixes {
			for _, p := range suffixPlaces {
				check(fmt.Sprintf(p, s, base))
			}
		}
	}
	if parsed*10 < total*8 {
		t.Errorf("%d of %d nested statements parse, want 80%%", parsed, total)
	}
	t.Logf("%d nested statements, %d refused by the walk, %d by the parser", total, parsed, total-parsed)
}
