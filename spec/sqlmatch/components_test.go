package sqlmatch

import (
	"strings"
	"testing"
)

// verdictCases pin each pair's verdict under the three comparisons:
// canonical (Equal), fingerprint (Fingerprint equal) and components
// (Components). Groups: spelling only and derived-table aliases (equal
// everywhere); other alias names and operand order (equal only as
// components, or also as fingerprints when the reordered operands are
// literals); literal values (equal only as fingerprints); structure (equal
// nowhere).
var verdictCases = []struct {
	a, b              string
	canon, fp, compon bool
}{
	// Spelling only: equal under every comparison.
	{"SELECT name FROM companies WHERE id = 1", "select   name\n\tfrom companies\nwhere id=1", true, true, true},
	{"SELECT `name` FROM `companies` WHERE `companies`.`id` = 1", "SELECT name FROM companies WHERE companies.id = 1", true, true, true},
	{"SELECT Company_Name FROM companies WHERE ID = 1", "SELECT company_name FROM companies WHERE id = 1", true, true, true},
	{"SELECT a FROM t -- all\n;", "/* q */ SELECT a FROM t", true, true, true},
	{"SELECT COUNT(*) FROM companies", "SELECT COUNT(1) FROM companies", true, true, true},
	{"SELECT COUNT(*) FROM companies", "select count(0) from companies", true, true, true},
	{"SELECT a FROM t WHERE b <> 1", "SELECT a FROM t WHERE b != 1", true, true, true},
	{"SELECT a FROM t INNER JOIN u ON t.id = u.id", "SELECT a FROM t JOIN u ON t.id = u.id", true, true, true},
	{"SELECT a FROM t LEFT OUTER JOIN u ON t.id = u.id", "SELECT a FROM t LEFT JOIN u ON t.id = u.id", true, true, true},
	{"SELECT t.a total FROM t s", "SELECT t.a AS total FROM t AS s", true, true, true},
	{"SELECT a FROM t ORDER BY a ASC, b DESC", "SELECT a FROM t ORDER BY a, b DESC", true, true, true},
	{"SELECT a FROM t LIMIT 10 OFFSET 5", "SELECT a FROM t LIMIT 5, 10", true, true, true},
	{"SELECT a FROM t LIMIT 0, 5", "SELECT a FROM t LIMIT 5", true, true, true},
	{"SELECT a FROM t LIMIT 5 OFFSET 0", "SELECT a FROM t LIMIT 5", true, true, true},
	{"SELECT a FROM t WHERE sector = 'Energy'", `SELECT a FROM t WHERE sector = "Energy"`, true, true, true},
	{"WITH c AS (SELECT A FROM t) SELECT * FROM c", "with c as (\n  select a from `t`\n)\nselect * from c;", true, true, true},
	{"SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b ASC) AS rn FROM t", "select row_number() over (partition by A order by B) rn from t", true, true, true},
	{"SELECT doc->'$.name' FROM t", "SELECT JSON_EXTRACT(doc, '$.name') FROM t", true, true, true},
	{"SELECT doc->>'$.name' FROM t", "SELECT JSON_UNQUOTE(JSON_EXTRACT(doc, '$.name')) FROM t", true, true, true},
	{"SELECT a FROM t WHERE b IN (1,2,3)", "SELECT a FROM t WHERE b in ( 1 , 2 , 3 )", true, true, true},
	{"SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t", "SELECT d + INTERVAL 1 DAY FROM t", true, true, true},
	{"SELECT a FROM t WHERE (a = 1) AND (b = 2)", "SELECT a FROM t WHERE a = 1 AND b = 2", true, true, true},
	{"SELECT ALL a FROM t", "SELECT a FROM t", true, true, true},
	{"SELECT a FROM t UNION DISTINCT SELECT a FROM u", "SELECT a FROM t UNION SELECT a FROM u", true, true, true},
	{"SELECT a FROM t WHERE b = 1 && c = 2", "SELECT a FROM t WHERE b = 1 AND c = 2", true, true, true},
	{"SELECT DISTINCT(a) FROM t", "SELECT DISTINCT a FROM t", true, true, true},
	{"SELECT a MOD 2 FROM t", "SELECT a % 2 FROM t", true, true, true},
	{"SELECT CAST(x AS SIGNED INTEGER) FROM t", "SELECT CAST(x AS SIGNED) FROM t", true, true, true},
	{"SELECT a FROM `Companies`", "SELECT a FROM companies", true, true, true},
	{"SELECT COUNT(*) OVER (PARTITION BY a) FROM t", "SELECT COUNT(1) OVER (PARTITION BY a) FROM t", true, true, true},
	{"SELECT YEAR(d) FROM t WHERE DATE_FORMAT(d, '%Y-%m') = '2020-01'", "select year(D) from t where date_format(d, '%Y-%m') = '2020-01'", true, true, true},
	{"SELECT json_extract(doc, '$.a') FROM t", "SELECT JSON_EXTRACT(doc, '$.a') FROM t", true, true, true},
	{"SELECT `sector`, COUNT(*) FROM `companies` GROUP BY `sector`", "select sector, count(*) from companies group by sector", true, true, true},
	{"SELECT a FROM t GROUP BY a HAVING COUNT(1) > 2", "SELECT a FROM t GROUP BY a HAVING COUNT(*) > 2", true, true, true},
	{"SELECT a FROM t ORDER BY `market_cap` DESC", "SELECT a FROM t ORDER BY market_cap desc", true, true, true},
	{"SELECT a FROM t CROSS JOIN u", "SELECT a FROM t, u", true, true, true},
	{"WITH Top AS (SELECT 1) SELECT * FROM Top", "with top as (select 1) select * from TOP", true, true, true},
	{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r", "with recursive r (n) as (select 1 union all select n+1 from r where n<5) select n from r", true, true, true},
	{"EXPLAIN SELECT a FROM t", "explain select a from `t`", true, true, true},
	{"SHOW TABLES", "show tables", true, true, true},
	{"INSERT INTO t (a, b) VALUES (1, 'x')", "insert into t(a,b) values(1,\"x\")", true, true, true},
	{"UPDATE t SET a = 1 WHERE id = 2", "update `t` set a=1 where id=2", true, true, true},
	{"DELETE FROM t WHERE id = 2", "delete from T where ID = 2", true, true, true},
	{"SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c > 1)", "select a from t where b in(select b from u where c>1)", true, true, true},
	{"SELECT SUM(CASE WHEN a = 'x' THEN 1 ELSE 0 END) FROM t", "select sum( case when (a = 'x') then 1 else 0 end ) from t", true, true, true},
	{"SELECT GROUP_CONCAT(a SEPARATOR ',') FROM t", "select group_concat(a separator ',') from t", true, true, true},
	{"SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY COUNT(1) DESC", "SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY COUNT(*) DESC", true, true, true},
	{"SELECT JSON_CONTAINS(tags, '\"x\"') FROM t", "select json_contains(TAGS, '\"x\"') from t", true, true, true},
	{"SELECT * FROM (a JOIN b ON a.x = b.x) JOIN c ON b.y = c.y", "SELECT * FROM a JOIN b ON a.x = b.x JOIN c ON b.y = c.y", true, true, true},
	{"SELECT T1.a FROM Schools AS T1", "SELECT t1.a FROM `schools` t1", true, true, true},

	// Derived-table aliases (output-invisible): positional, so equal under
	// every comparison, in every scope.
	{"SELECT d.a FROM (SELECT a FROM t) d", "SELECT q.a FROM (SELECT a FROM t) AS q", true, true, true},
	{"SELECT t.name, s.c FROM t JOIN (SELECT id, COUNT(*) c FROM u GROUP BY id) AS s ON t.id = s.id", "SELECT t.name, z.c FROM t JOIN (SELECT id, COUNT(1) c FROM u GROUP BY id) z ON t.id = z.id", true, true, true},
	{"SELECT j.v FROM (SELECT JSON_EXTRACT(doc, '$.v') AS v FROM t) j WHERE j.v > 1", "SELECT k.v FROM (SELECT doc->'$.v' AS v FROM t) k WHERE k.v > 1", true, true, true},
	{"SELECT d.n FROM (SELECT COUNT(*) n FROM t) d", "SELECT e.n FROM (SELECT COUNT(*) n FROM t) e", true, true, true},
	{"SELECT D.a FROM (SELECT a FROM t) AS D", "SELECT d.a FROM (SELECT a FROM t) d", true, true, true},
	{"SELECT d.* FROM (SELECT a FROM t) d", "SELECT e.* FROM (SELECT a FROM t) AS e", true, true, true},
	{"SELECT a.n, b.m FROM (SELECT id, n FROM t) a JOIN (SELECT id, m FROM u) b ON a.id = b.id", "SELECT x.n, y.m FROM (SELECT id, n FROM t) x JOIN (SELECT id, m FROM u) y ON x.id = y.id", true, true, true},
	{"SELECT s.x FROM (SELECT t.x FROM (SELECT x FROM u) t) s", "SELECT a.x FROM (SELECT b.x FROM (SELECT x FROM u) AS b) AS a", true, true, true},
	{"SELECT (SELECT MAX(u.b) FROM u WHERE u.id = d.id) FROM (SELECT id FROM t) d", "SELECT (SELECT MAX(u.b) FROM u WHERE u.id = e.id) FROM (SELECT id FROM t) e", true, true, true},
	{"SELECT d.a FROM (SELECT a FROM t) d WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) e WHERE e.a = d.a)", "SELECT p.a FROM (SELECT a FROM t) p WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) q WHERE q.a = p.a)", true, true, true},
	{"SELECT x.a FROM (SELECT a FROM t) x WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) x WHERE x.a = 1)", "SELECT p.a FROM (SELECT a FROM t) p WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) q WHERE q.a = 1)", true, true, true},
	{"SELECT a FROM t WHERE a IN (SELECT d.a FROM (SELECT a FROM u) d) AND b IN (SELECT d.b FROM (SELECT b FROM v) d)", "SELECT a FROM t WHERE a IN (SELECT d1.a FROM (SELECT a FROM u) d1) AND b IN (SELECT d2.b FROM (SELECT b FROM v) d2)", true, true, true},
	{"WITH c AS (SELECT d.a FROM (SELECT a FROM t) d) SELECT a FROM c", "WITH c AS (SELECT z.a FROM (SELECT a FROM t) AS z) SELECT a FROM c", true, true, true},
	{"SELECT x.a FROM (SELECT a FROM t) x UNION SELECT x.a FROM (SELECT a FROM u) x", "SELECT p.a FROM (SELECT a FROM t) p UNION SELECT q.a FROM (SELECT a FROM u) q", true, true, true},
	{"SELECT x.v FROM (SELECT a AS v FROM t UNION ALL SELECT b FROM u) x ORDER BY x.v", "SELECT y.v FROM (SELECT a AS v FROM t UNION ALL SELECT b FROM u) y ORDER BY y.v", true, true, true},
	{"SELECT * FROM (SELECT 1 a) x, LATERAL (SELECT x.a + 1 AS b) y", "SELECT * FROM (SELECT 1 a) p, LATERAL (SELECT p.a + 1 AS b) q", true, true, true},
	{"UPDATE t JOIN (SELECT id, MAX(v) m FROM u GROUP BY id) x ON t.id = x.id SET t.v = x.m", "UPDATE t JOIN (SELECT id, MAX(v) m FROM u GROUP BY id) y ON t.id = y.id SET t.v = y.m", true, true, true},

	// Alias names: equal only as components.
	{"SELECT T1.a FROM t AS T1", "SELECT x.a FROM t x", false, false, true},
	{"SELECT T1.a FROM t AS T1", "SELECT t.a FROM t", false, false, true},
	{"SELECT t.a FROM t WHERE t.b = 1", "SELECT a FROM t WHERE b = 1", false, false, true},
	{"SELECT a.name FROM emp a JOIN emp b ON a.boss = b.id WHERE b.name = 'Ann'", "SELECT x.name FROM emp x JOIN emp y ON x.boss = y.id WHERE y.name = 'Ann'", false, false, true},
	{"WITH c AS (SELECT a FROM t) SELECT x.a FROM c x", "WITH c AS (SELECT a FROM t) SELECT c.a FROM c", false, false, true},
	{"SELECT SUM(x) AS total FROM t", "SELECT SUM(x) AS s FROM t", false, false, true},
	{"SELECT o.a FROM t AS o WHERE EXISTS (SELECT 1 FROM u AS i WHERE i.id = o.id)", "SELECT p.a FROM t AS p WHERE EXISTS (SELECT 1 FROM u AS q WHERE q.id = p.id)", false, false, true},
	{"SELECT x.a, ROW_NUMBER() OVER (ORDER BY x.b DESC) FROM t x", "SELECT y.a, ROW_NUMBER() OVER (ORDER BY y.b DESC) FROM t y", false, false, true},
	{"SELECT T1.name FROM companies T1 JOIN prices T2 ON T1.id = T2.cid WHERE T2.close > 100", "SELECT c.name FROM companies AS c JOIN prices AS p ON c.id = p.cid WHERE p.close > 100", false, false, true},
	{"SELECT `c`.`sector` FROM `companies` `c` GROUP BY `c`.`sector`", "SELECT sector FROM companies GROUP BY sector", false, false, true},
	{"SELECT x.name FROM emp x JOIN dept y ON x.did = y.id", "SELECT y.name FROM emp y JOIN dept x ON y.did = x.id", false, false, true},
	{"SELECT x.* FROM t AS X", "SELECT t.* FROM t", false, false, true},

	// Operand order: equal only as components.
	{"SELECT a FROM t WHERE b = 1 AND c = 2", "SELECT a FROM t WHERE c = 2 AND b = 1", false, false, true},
	{"SELECT a FROM t WHERE b = 1 OR c = 2", "SELECT a FROM t WHERE c = 2 OR b = 1", false, false, true},
	{"SELECT a FROM t WHERE x = 1 AND (b = 1 OR c = 2)", "SELECT a FROM t WHERE (c = 2 OR b = 1) AND x = 1", false, false, true},
	{"SELECT a FROM t WHERE b = 1 OR c = 2 OR d = 3", "SELECT a FROM t WHERE d = 3 OR b = 1 OR c = 2", false, false, true},
	{"SELECT a FROM t WHERE sector IN ('Energy', 'Utilities')", "SELECT a FROM t WHERE sector IN ('Utilities', 'Energy')", false, true, true},
	{"SELECT a FROM t WHERE b IN (1, 1, 2)", "SELECT a FROM t WHERE b IN (1, 2)", false, false, true},
	{"SELECT a, b FROM t", "SELECT b, a FROM t", false, false, true},
	{"SELECT a, b, COUNT(*) FROM t GROUP BY a, b", "SELECT a, b, COUNT(*) FROM t GROUP BY b, a", false, false, true},
	{"SELECT a FROM t WHERE b = 1", "SELECT a FROM t WHERE 1 = b", false, false, true},
	{"SELECT a FROM t WHERE price > 5", "SELECT a FROM t WHERE 5 < price", false, false, true},
	{"SELECT a FROM t WHERE price <= 5", "SELECT a FROM t WHERE 5 >= price", false, false, true},
	{"SELECT a FROM t JOIN u ON t.id = u.id", "SELECT a FROM u JOIN t ON u.id = t.id", false, false, true},
	{"SELECT a FROM t JOIN u ON t.id = u.id", "SELECT a FROM t, u WHERE t.id = u.id", false, false, true},
	{"SELECT a FROM t JOIN u ON t.id = u.id WHERE t.x = 1", "SELECT a FROM t JOIN u ON t.id = u.id AND t.x = 1", false, false, true},
	{"SELECT a FROM t GROUP BY a HAVING SUM(b) > 1 AND COUNT(*) > 2", "SELECT a FROM t GROUP BY a HAVING COUNT(*) > 2 AND SUM(b) > 1", false, false, true},
	{"SELECT a FROM t WHERE b IN (1)", "SELECT a FROM t WHERE b = 1", false, false, true},
	{"SELECT a FROM t WHERE b NOT IN ('x')", "SELECT a FROM t WHERE b != 'x'", false, false, true},
	{"SELECT a FROM t WHERE b = 1 AND b = 1", "SELECT a FROM t WHERE b = 1", false, false, true},
	{"SELECT a FROM t JOIN u ON t.a = u.b", "SELECT a FROM t JOIN u ON u.b = t.a", false, false, true},
	{"SELECT a FROM t WHERE JSON_EXTRACT(doc, '$.k') = 'x' AND y = 1", "SELECT a FROM t WHERE y = 1 AND doc->'$.k' = 'x'", false, false, true},
	{"SELECT a FROM t JOIN u ON t.id = u.id AND t.k = u.k", "SELECT a FROM t JOIN u ON u.k = t.k AND u.id = t.id", false, false, true},
	{"SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c IN (3, 1, 2))", "SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c IN (1, 2, 3))", false, true, true},
	{"UPDATE t SET a = 1 WHERE b = 2 AND c = 3", "UPDATE t SET a = 1 WHERE c = 3 AND b = 2", false, false, true},
	{"SELECT YEAR(d), MONTH(d) FROM t", "SELECT MONTH(d), YEAR(d) FROM t", false, false, true},
	{"SELECT a FROM t WHERE b <> 1", "SELECT a FROM t WHERE 1 != b", false, false, true},
	{"SELECT x.a FROM t x WHERE x.b = 1 AND x.c = 2", "SELECT y.a FROM t y WHERE y.c = 2 AND y.b = 1", false, false, true},
	{"SELECT a FROM t WHERE d >= '2020-01-01' AND d < '2021-01-01'", "SELECT a FROM t WHERE '2021-01-01' > d AND d >= '2020-01-01'", false, false, true},

	// Literal values: equal only as fingerprints.
	{"SELECT a FROM t WHERE sector = 'Energy'", "SELECT a FROM t WHERE sector = 'Utilities'", false, true, false},
	{"SELECT a FROM t LIMIT 5", "SELECT a FROM t LIMIT 10", false, true, false},
	{"SELECT a FROM t LIMIT 5, 10", "SELECT a FROM t LIMIT 10, 10", false, true, false},
	{"SELECT a FROM t WHERE b IN (1, 2)", "SELECT a FROM t WHERE b IN (1, 3)", false, true, false},
	{"SELECT a FROM t WHERE n = 1", "SELECT a FROM t WHERE n = 2", false, true, false},
	{"SELECT a FROM t WHERE d > '2020-01-01'", "SELECT a FROM t WHERE d > '2021-01-01'", false, true, false},
	{"SELECT DATE_SUB(d, INTERVAL 1 DAY) FROM t", "SELECT DATE_SUB(d, INTERVAL 2 DAY) FROM t", false, true, false},
	{"SELECT doc->'$.a' FROM t", "SELECT doc->'$.b' FROM t", false, true, false},
	{"SELECT a FROM t GROUP BY a HAVING COUNT(*) > 1", "SELECT a FROM t GROUP BY a HAVING COUNT(*) > 2", false, true, false},
	{"SELECT a FROM t WHERE s = 'Energy'", "SELECT a FROM t WHERE s = 'energy'", false, true, false},
	{"SELECT a FROM t WHERE n = 1", "SELECT a FROM t WHERE n = '1'", false, true, false},
	{"SELECT a FROM t WHERE n = 1.5", "SELECT a FROM t WHERE n = 1.50", false, true, false},
	{"SELECT a FROM t WHERE name LIKE '%oil%'", "SELECT a FROM t WHERE name LIKE '%gas%'", false, true, false},
	{"UPDATE t SET a = 1 WHERE id = 1", "UPDATE t SET a = 1 WHERE id = 2", false, true, false},
	{"DELETE FROM t WHERE id = 1", "DELETE FROM t WHERE id = 3", false, true, false},
	{"INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)", false, true, false},
	{"SELECT DATE_FORMAT(d, '%Y') FROM t", "SELECT DATE_FORMAT(d, '%Y-%m') FROM t", false, true, false},
	{"SELECT a FROM t WHERE d BETWEEN '2020-01-01' AND '2020-12-31'", "SELECT a FROM t WHERE d BETWEEN '2021-01-01' AND '2021-12-31'", false, true, false},
	{"SELECT a FROM t WHERE JSON_CONTAINS(tags, '\"a\"')", "SELECT a FROM t WHERE JSON_CONTAINS(tags, '\"b\"')", false, true, false},
	{"SELECT a FROM t ORDER BY b DESC LIMIT 3", "SELECT a FROM t ORDER BY b DESC LIMIT 30", false, true, false},

	// Structure: equal nowhere.
	{"SELECT company_name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5", "SELECT company_name, market_cap FROM companies ORDER BY market_cap LIMIT 5", false, false, false},
	{"SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY b", false, false, false},
	{"SELECT a FROM t ORDER BY a, b", "SELECT a FROM t ORDER BY b, a", false, false, false},
	{"SELECT a FROM t ORDER BY a, b DESC", "SELECT a FROM t ORDER BY a, b", false, false, false},
	{"SELECT a FROM t LEFT JOIN u ON t.id = u.id", "SELECT a FROM t JOIN u ON t.id = u.id", false, false, false},
	{"SELECT a FROM t LEFT JOIN u ON t.id = u.id", "SELECT a FROM t RIGHT JOIN u ON t.id = u.id", false, false, false},
	{"SELECT a FROM t LEFT JOIN u ON t.id = u.id", "SELECT a FROM u LEFT JOIN t ON t.id = u.id", false, false, false},
	{"SELECT a FROM t JOIN u ON t.id = u.id", "SELECT a FROM t JOIN v ON t.id = v.id", false, false, false},
	{"SELECT a FROM t JOIN u ON t.id = u.id", "SELECT a FROM t JOIN u ON t.id = u.tid", false, false, false},
	{"SELECT a FROM t JOIN u USING (id)", "SELECT a FROM t JOIN u ON t.id = u.id", false, false, false},
	{"SELECT a FROM t NATURAL JOIN u", "SELECT a FROM t JOIN u", false, false, false},
	{"SELECT a FROM t WHERE n > 1", "SELECT a FROM t WHERE n >= 1", false, false, false},
	{"SELECT a FROM t WHERE n < 5", "SELECT a FROM t WHERE 5 < n", false, false, false},
	{"SELECT a FROM t WHERE b = 1", "SELECT a FROM t WHERE b = 1 AND c = 2", false, false, false},
	{"SELECT a FROM t WHERE b = 1 AND c = 2", "SELECT a FROM t WHERE b = 1 OR c = 2", false, false, false},
	{"SELECT a FROM t WHERE b IN (1, 2)", "SELECT a FROM t WHERE b NOT IN (1, 2)", false, false, false},
	{"SELECT a FROM t", "SELECT a FROM t LIMIT 5", false, false, false},
	{"SELECT a FROM t LIMIT 5", "SELECT a FROM t LIMIT 5 OFFSET 5", false, false, false},
	{"SELECT a FROM t LIMIT 0, 5", "SELECT a FROM t LIMIT 1, 5", false, false, false},
	{"SELECT DISTINCT a FROM t", "SELECT a FROM t", false, false, false},
	{"SELECT COUNT(*) FROM t", "SELECT COUNT(a) FROM t", false, false, false},
	{"SELECT COUNT(DISTINCT a) FROM t", "SELECT COUNT(a) FROM t", false, false, false},
	{"SELECT SUM(DISTINCT x) FROM t", "SELECT SUM(x) FROM t", false, false, false},
	{"SELECT SUM(x) FROM t", "SELECT AVG(x) FROM t", false, false, false},
	{"SELECT MAX(x) FROM t", "SELECT MIN(x) FROM t", false, false, false},
	{"SELECT a, COUNT(*) FROM t GROUP BY a", "SELECT a, COUNT(*) FROM t GROUP BY a, b", false, false, false},
	{"SELECT a, COUNT(*) FROM t GROUP BY a", "SELECT a, COUNT(*) FROM t GROUP BY a WITH ROLLUP", false, false, false},
	{"SELECT a FROM t GROUP BY a HAVING COUNT(*) > 1", "SELECT a FROM t GROUP BY a HAVING COUNT(*) < 1", false, false, false},
	{"SELECT a FROM t UNION SELECT a FROM u", "SELECT a FROM t UNION ALL SELECT a FROM u", false, false, false},
	{"SELECT a FROM t UNION SELECT a FROM u", "SELECT a FROM t EXCEPT SELECT a FROM u", false, false, false},
	{"SELECT a FROM t", "SELECT a FROM t UNION SELECT a FROM u", false, false, false},
	{"SELECT a FROM t", "SELECT a FROM u", false, false, false},
	{"SELECT a FROM t", "SELECT b FROM t", false, false, false},
	{"SELECT a FROM t", "SELECT a, b FROM t", false, false, false},
	{"SELECT * FROM t", "SELECT a FROM t", false, false, false},
	{"SELECT RANK() OVER (PARTITION BY a ORDER BY b) FROM t", "SELECT RANK() OVER (PARTITION BY c ORDER BY b) FROM t", false, false, false},
	{"SELECT RANK() OVER (ORDER BY b DESC) FROM t", "SELECT RANK() OVER (ORDER BY b) FROM t", false, false, false},
	{"SELECT ROW_NUMBER() OVER (ORDER BY b) FROM t", "SELECT RANK() OVER (ORDER BY b) FROM t", false, false, false},
	{"WITH c AS (SELECT a FROM t) SELECT * FROM c", "WITH c AS (SELECT b FROM t) SELECT * FROM c", false, false, false},
	{"SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c > 1)", "SELECT a FROM t WHERE b IN (SELECT b FROM u WHERE c >= 1)", false, false, false},
	{"SELECT a FROM t WHERE b IS NULL", "SELECT a FROM t WHERE b IS NOT NULL", false, false, false},
	{"SELECT a FROM t WHERE b BETWEEN 1 AND 5", "SELECT a FROM t WHERE b >= 1 AND b <= 5", false, false, false},
	{"SELECT JSON_EXTRACT(doc, '$.a') FROM t", "SELECT JSON_UNQUOTE(JSON_EXTRACT(doc, '$.a')) FROM t", false, false, false},
	{"SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t", "SELECT DATE_SUB(d, INTERVAL 1 DAY) FROM t", false, false, false},
	{"SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t", "SELECT DATE_ADD(d, INTERVAL 1 MONTH) FROM t", false, false, false},
	{"SELECT YEAR(d) FROM t", "SELECT MONTH(d) FROM t", false, false, false},
	{"SELECT a FROM t WHERE a = 1 AND (b = 2 OR c = 3)", "SELECT a FROM t WHERE a = 1 AND b = 2 OR c = 3", false, false, false},
	{"SELECT a FROM t WHERE NOT (a = 1)", "SELECT a FROM t WHERE a != 1", false, false, false},
	{"SELECT a - (b - c) FROM t", "SELECT a - b - c FROM t", false, false, false},
	{"SELECT a.name FROM emp a JOIN emp b ON a.boss = b.id WHERE a.name = 'Ann'", "SELECT a.name FROM emp a JOIN emp b ON a.boss = b.id WHERE b.name = 'Ann'", false, false, false},
	{"SELECT t.x FROM t JOIN u ON t.id = u.id", "SELECT u.x FROM t JOIN u ON t.id = u.id", false, false, false},
	{"SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY COUNT(*) DESC LIMIT 3", "SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY COUNT(*) LIMIT 3", false, false, false},
	{"SELECT CAST(x AS CHAR) FROM t", "SELECT CAST(x AS SIGNED) FROM t", false, false, false},
	{"SELECT d.a FROM (SELECT a FROM t WHERE b = 1) d", "SELECT d.a FROM (SELECT a FROM t WHERE c = 1) d", false, false, false},
	{"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)", "SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.id = t.id)", false, false, false},
	{"UPDATE t SET a = 1 WHERE id = 1", "UPDATE t SET b = 1 WHERE id = 1", false, false, false},
	{"DELETE FROM t WHERE id = 1", "DELETE FROM t WHERE id > 1", false, false, false},
	{"SELECT a FROM t", "DELETE FROM t", false, false, false},
	{"SELECT a FROM t WHERE b = 1 OR c = 2", "SELECT a FROM t WHERE b = 1 OR c = 2 OR d = 3", false, false, false},
	{"SELECT a FROM t WHERE b IN (1, 2)", "SELECT a FROM t WHERE b IN (1, 2, 3)", false, false, false},
	{"SELECT a FROM t JOIN u ON t.id = u.id JOIN v ON u.id = v.id", "SELECT a FROM t JOIN u ON t.id = u.id", false, false, false},

	// Derived and base-table aliases that change what is referred to.
	{"SELECT d.a FROM (SELECT a FROM t WHERE b > 1) d", "SELECT e.a FROM (SELECT a FROM t WHERE b >= 1) e", false, false, false},
	{"SELECT d.a FROM (SELECT a FROM t WHERE b = 1) d", "SELECT e.a FROM (SELECT a FROM t WHERE b = 2) e", false, true, false},
	{"SELECT p.v FROM (SELECT a AS v FROM t) p, (SELECT b AS v FROM u) q", "SELECT p.v FROM (SELECT a AS v FROM t) q, (SELECT b AS v FROM u) p", false, false, false},
	{"SELECT p.v FROM (SELECT a AS v FROM t) p, (SELECT b AS v FROM u) q", "SELECT q.v FROM (SELECT a AS v FROM t) p, (SELECT b AS v FROM u) q", false, false, false},
	{"SELECT d.a FROM (SELECT a FROM t) d WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) e WHERE e.a = d.a)", "SELECT d.a FROM (SELECT a FROM t) d WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) d WHERE d.a = d.a)", false, false, false},
	{"SELECT x.name FROM emp x JOIN dept y ON x.did = y.id", "SELECT x.name FROM emp y JOIN dept x ON y.did = x.id", false, false, false},
	{"WITH c AS (SELECT a FROM t) SELECT c.a FROM c", "WITH d AS (SELECT a FROM t) SELECT d.a FROM d", false, false, false},
}

func TestVerdicts(t *testing.T) {
	if len(verdictCases) < 150 {
		t.Fatalf("%d cases, want at least 150", len(verdictCases))
	}
	for _, tc := range verdictCases {
		canon, err := Equal(tc.a, tc.b)
		if err != nil {
			t.Errorf("Equal(%q, %q): %v", tc.a, tc.b, err)
			continue
		}
		fa, err1 := Fingerprint(tc.a)
		fb, err2 := Fingerprint(tc.b)
		if err1 != nil || err2 != nil {
			t.Errorf("Fingerprint: %v, %v", err1, err2)
			continue
		}
		comp, diffs, err := Components(tc.a, tc.b)
		if err != nil {
			t.Errorf("Components(%q, %q): %v", tc.a, tc.b, err)
			continue
		}
		if canon != tc.canon || (fa == fb) != tc.fp || comp != tc.compon {
			t.Errorf("%q vs %q\n got canonical=%v fingerprint=%v components=%v %q\nwant canonical=%v fingerprint=%v components=%v",
				tc.a, tc.b, canon, fa == fb, comp, diffs, tc.canon, tc.fp, tc.compon)
		}
		if comp != (len(diffs) == 0) {
			t.Errorf("Components(%q, %q) = %v with diffs %q", tc.a, tc.b, comp, diffs)
		}
		// Components is symmetric.
		if back, _, err := Components(tc.b, tc.a); err != nil || back != comp {
			t.Errorf("Components not symmetric on %q, %q", tc.a, tc.b)
		}
		// Canonical equality implies the other two.
		if canon && (fa != fb || !comp) {
			t.Errorf("canonical-equal pair not equal under fingerprint or components: %q, %q", tc.a, tc.b)
		}
	}
}

func TestComponentsDiffs(t *testing.T) {
	for _, tc := range []struct {
		a, b    string
		diffs   []string
		summary string
	}{
		{"SELECT company_name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 5",
			"SELECT company_name, market_cap FROM companies ORDER BY market_cap LIMIT 10",
			[]string{"ORDER BY market_cap DESC → market_cap ASC", "LIMIT 5 → 10"},
			"ORDER BY market_cap DESC → ASC; LIMIT 5 → 10"},
		{"SELECT name FROM companies WHERE sector = 'Energy' AND cap > 1",
			"SELECT name FROM companies WHERE 1 < cap AND sector = 'Utilities'",
			[]string{"WHERE: missing sector = 'Energy'; extra sector = 'Utilities'"},
			"WHERE: missing sector = 'Energy'; extra sector = 'Utilities'"},
		{"SELECT a FROM t", "SELECT a FROM t LIMIT 3 OFFSET 2",
			[]string{"LIMIT (none) → 3", "OFFSET (none) → 2"}, "LIMIT (none) → 3; OFFSET (none) → 2"},
		{"SELECT a, b FROM t", "SELECT DISTINCT a, c FROM t",
			[]string{"DISTINCT (none) → DISTINCT", "SELECT: missing b; extra c"}, "DISTINCT (none) → DISTINCT; SELECT: missing b; extra c"},
		{"SELECT a FROM t ORDER BY a, b DESC", "SELECT a FROM t ORDER BY a",
			[]string{"ORDER BY a ASC, b DESC → a ASC"}, "ORDER BY a ASC, b DESC → a ASC"},
		{"SELECT a FROM t LEFT JOIN u ON t.id = u.id", "SELECT a FROM t LEFT JOIN u ON t.id = u.tid",
			[]string{"FROM: t LEFT JOIN u ON t.id = u.id → t LEFT JOIN u ON t.id = u.tid"},
			"FROM: t LEFT JOIN u ON t.id = u.id → t LEFT JOIN u ON t.id = u.tid"},
		{"SELECT a FROM t JOIN u ON t.id = u.id", "SELECT a FROM t JOIN v ON t.id = v.id",
			[]string{"FROM: missing u; extra v", "ON/WHERE: missing t.id = u.id; extra t.id = v.id"},
			"FROM: missing u; extra v; ON/WHERE: missing t.id = u.id; extra t.id = v.id"},
		{"SELECT a, COUNT(*) FROM t GROUP BY a", "SELECT a, COUNT(*) FROM t GROUP BY a, b HAVING COUNT(*) > 1",
			[]string{"GROUP BY: extra b", "HAVING: extra COUNT(*) > 1"}, "GROUP BY: extra b; HAVING: extra COUNT(*) > 1"},
		{"SELECT a FROM t", "SELECT a FROM t UNION SELECT a FROM u",
			[]string{"statement: SELECT → UNION"}, "statement: SELECT → UNION"},
		{"SELECT `county name` FROM t", "SELECT `city name` FROM t",
			[]string{"SELECT: missing `county name`; extra `city name`"}, "SELECT: missing `county name`; extra `city name`"},
		{"SELECT a FROM t", "select A from T", nil, ""},
	} {
		eq, diffs, err := Components(tc.a, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if eq != (len(tc.diffs) == 0) || strings.Join(diffs, "\n") != strings.Join(tc.diffs, "\n") {
			t.Errorf("Components(%q, %q)\n got %v %q\nwant %q", tc.a, tc.b, eq, diffs, tc.diffs)
		}
		s, err := Summary(tc.a, tc.b)
		if err != nil || s != tc.summary {
			t.Errorf("Summary(%q, %q) = %q, %v; want %q", tc.a, tc.b, s, err, tc.summary)
		}
	}
}

func TestComponentsErrors(t *testing.T) {
	if _, _, err := Components("SELECT", "SELECT a FROM t"); err == nil || !strings.HasPrefix(err.Error(), "first statement: ") {
		t.Errorf("bad first statement: %v", err)
	}
	if _, err := Summary("SELECT a FROM t", "SELECT a FROM t; SELECT 1"); err == nil || !strings.HasPrefix(err.Error(), "second statement: ") {
		t.Errorf("bad second statement: %v", err)
	}
}

// FuzzComponents checks that any statement Canonical accepts is
// Components-equal to itself with an empty Summary, and that Explain and
// Components never panic (a panic in this package surfaces as an "internal
// error in github.com/c2q/..." error).
func FuzzComponents(f *testing.F) {
	for _, tc := range verdictCases {
		f.Add(tc.a)
		f.Add(tc.b)
	}
	for _, s := range goldenStatements {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		_, cerr := Canonical(sql)
		_, eerr := Explain(sql)
		eq, diffs, err := Components(sql, sql)
		for _, e := range []error{eerr, err} {
			if e != nil && strings.Contains(e.Error(), "internal error in github.com/c2q/") {
				t.Fatalf("panic in sqlmatch on %q: %v", sql, e)
			}
		}
		if cerr != nil {
			return
		}
		if eerr != nil {
			t.Fatalf("Explain fails where Canonical works on %q: %v", sql, eerr)
		}
		if err != nil || !eq {
			t.Fatalf("Components(x, x) = %v, %q, %v for %q", eq, diffs, err, sql)
		}
		if s, err := Summary(sql, sql); err != nil || s != "" {
			t.Fatalf("Summary(x, x) = %q, %v for %q", s, err, sql)
		}
	})
}
