package sqlmatch

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/canonical.golden")

// goldenStatements cover the shapes Chat2Query writes (taken or adapted from
// the BIRD corpus) and the TiDB syntax the canonical form has to carry.
var goldenStatements = []string{
	"SELECT MAX(`percent (%) eligible free (k-12)`) FROM `frpm` WHERE `county name` = 'Alameda'",
	"select `Percent (%) Eligible Free (Ages 5-17)` from frpm where `Educational Option Type` = 'Continuation' order by `Percent (%) Eligible Free (Ages 5-17)` asc limit 3",
	"SELECT COUNT(*) FROM `schools` INNER JOIN `satscores` ON `schools`.`cdscode` = `satscores`.`cds` WHERE `schools`.`virtual` = 'F' AND `satscores`.`avgscrmath` < 400",
	"SELECT T1.Phone FROM schools AS T1 INNER JOIN frpm AS T2 ON T1.CDSCode = T2.CDSCode WHERE T1.FundingType = 'Directly funded' AND T2.`Charter School (Y/N)` = 1 AND T1.OpenDate > '2000-01-01'",
	"SELECT (CAST(SUM(CASE WHEN `label` = '+' THEN 1 ELSE 0 END) AS FLOAT) / COUNT(`molecule_id`)) * 100 AS `percentage` FROM `molecule`",
	"SELECT a.name, b.name FROM atom a JOIN connected c ON a.atom_id = c.atom_id JOIN atom b ON b.atom_id = c.atom_id2 LEFT OUTER JOIN bond d ON d.bond_id = c.bond_id WHERE d.bond_type = '#'",
	"select count(1), count(distinct client_id), avg(amount) from loan where date between '1995-01-01' and '1997-12-31' and status in ('A', 'B')",
	"SELECT district_id, COUNT(*) AS n FROM account GROUP BY district_id HAVING COUNT(*) > 10 ORDER BY n DESC, district_id LIMIT 5 OFFSET 10",
	"SELECT a FROM t LIMIT 20, 10",
	"WITH ranked AS (SELECT name, ROW_NUMBER() OVER (PARTITION BY team ORDER BY score DESC) AS rn FROM players) SELECT name FROM ranked WHERE rn <= 3",
	"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10) SELECT SUM(n) FROM seq",
	"SELECT name, SUM(amount) OVER (PARTITION BY account_id ORDER BY date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM trans",
	"SELECT doc->'$.name', doc->>'$.tags[0]', JSON_LENGTH(doc, '$.tags') FROM items WHERE JSON_CONTAINS(doc, '\"x\"', '$.tags')",
	"SELECT DATE_FORMAT(date, '%Y-%m') AS month, DATEDIFF(NOW(), date), date + INTERVAL 1 MONTH FROM trans WHERE YEAR(date) = 1997",
	"SELECT TIMESTAMPDIFF(YEAR, birthday, CURDATE()) AS age FROM patient WHERE EXTRACT(YEAR FROM birthday) < 1950",
	"SELECT name FROM card WHERE name LIKE 'A%' AND rarity NOT IN ('common', 'uncommon') AND power IS NOT NULL",
	"SELECT id FROM t WHERE (a = 1 OR b = 2) AND NOT (c = 3) AND d - (e - f) > 0 AND ((g))",
	"SELECT a FROM t WHERE b = (SELECT MAX(b) FROM t) AND EXISTS (SELECT 1 FROM u WHERE u.id = t.id)",
	"SELECT s.name FROM (SELECT name, score FROM players WHERE active = TRUE) AS s ORDER BY s.score DESC LIMIT 1",
	"SELECT name FROM a UNION SELECT name FROM b UNION ALL SELECT name FROM c ORDER BY name",
	"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM u ORDER BY a DESC LIMIT 1)",
	"SELECT a FROM t1, t2 JOIN t3 ON t2.x = t3.x WHERE t1.y = t2.y",
	"SELECT IFNULL(a, 0), COALESCE(b, c, 'none'), IF(d > 0, 'pos', 'neg'), CASE e WHEN 1 THEN 'one' ELSE 'other' END FROM t",
	"SELECT GROUP_CONCAT(DISTINCT name ORDER BY name SEPARATOR ', ') FROM t GROUP BY team",
	"SELECT CONCAT(first_name, ' ', last_name) AS full_name, SUBSTRING(code, 1, 3), UPPER(`Name`) FROM people",
	"SELECT 'it''s', \"double\", _utf8mb4'plain', _latin1'latin', 'back\\\\slash', 'line\nbreak', 0x41, b'101', 1.50, .5, 1e3, NULL, TRUE",
	"select `Schools`.`School Name` from `Schools` where `Schools`.`County` = 'Los Angeles'; ",
	"SELECT a FROM t WHERE a <> 1 AND b != 2 AND c && d || e",
	"SELECT /*+ HASH_JOIN(t, u) */ a FROM t STRAIGHT_JOIN u ON t.id = u.id",
	"INSERT INTO t (A, b) VALUES (1, 'x'), (2, 'y')",
	"UPDATE account SET Balance = balance + 10 WHERE (id = 5)",
	"EXPLAIN SELECT * FROM t WHERE a = 1",
	"SELECT d.id, (SELECT MAX(x.v) FROM (SELECT v FROM u WHERE u.id = d.id) AS x) FROM (SELECT id FROM t) d WHERE EXISTS (SELECT 1 FROM (SELECT id FROM v) d WHERE d.id = 1)",
}

func TestGolden(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Canonical forms and layouts; regenerate with: go test ./spec/sqlmatch/ -run TestGolden -update\n")
	for i, sql := range goldenStatements {
		c, ok := checkProperties(t, sql)
		if !ok {
			_, err := Canonical(sql)
			t.Fatalf("statement %d does not canonicalise: %v", i+1, err)
		}
		lines, _ := Layout(sql)
		fmt.Fprintf(&b, "\n== %d\n%s\n-- canonical\n%s\n-- layout\n%s\n", i+1, sql, c, strings.Join(lines, "\n"))
	}
	path := filepath.Join("testdata", "canonical.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("%s mismatch (-want +got), run with -update if the change is intended:\n%s", path, diff)
	}
}
