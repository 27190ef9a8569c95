package sqlmatch

import "testing"

// derivedCases pin how Canonical renames derived tables: positional names
// in print order, references resolved per scope, and the aliases it must keep
// because a rename could change what a name refers to.
var derivedCases = []struct{ sql, want string }{
	// Numbered in print order, qualifiers and t.* follow.
	{"SELECT d.*, (SELECT MAX(x.v) FROM (SELECT v FROM u) x) FROM (SELECT id FROM t) D",
		"SELECT `_t2`.*,(SELECT MAX(`_t1`.`v`) FROM (SELECT `v` FROM `u`) AS `_t1`) FROM (SELECT `id` FROM `t`) AS `_t2`"},
	// Shadowed in a subquery; correlated to the outer one.
	{"SELECT x.a FROM (SELECT a FROM t) x WHERE EXISTS (SELECT 1 FROM (SELECT a FROM u) x WHERE x.a = 1) AND x.a IN (SELECT u.a FROM u WHERE u.b = x.a)",
		"SELECT `_t1`.`a` FROM (SELECT `a` FROM `t`) AS `_t1` WHERE EXISTS (SELECT 1 FROM (SELECT `a` FROM `u`) AS `_t2` WHERE `_t2`.`a` = 1) AND `_t1`.`a` IN (SELECT `u`.`a` FROM `u` WHERE `u`.`b` = `_t1`.`a`)"},
	// A derived table's body may see the enclosing query's FROM only as LATERAL.
	{"SELECT * FROM (SELECT 1 a) x, LATERAL (SELECT x.a) y",
		"SELECT * FROM (SELECT 1 AS `a`) AS `_t1` JOIN LATERAL (SELECT `_t1`.`a`) AS `_t2`"},
	{"SELECT * FROM (SELECT 1 a) x, (SELECT x.a) y",
		"SELECT * FROM (SELECT 1 AS `a`) AS `x` JOIN (SELECT `x`.`a`) AS `_t1`"},
	// A CTE body does not see its statement's FROM.
	{"WITH c AS (SELECT x.a FROM u) SELECT x.a FROM (SELECT 1 a) x JOIN c",
		"WITH `c` AS (SELECT `x`.`a` FROM `u`) SELECT `x`.`a` FROM (SELECT 1 AS `a`) AS `x` JOIN `c`"},
	// CTE names and base-table aliases stay; the CTE inside is not shadowed.
	{"WITH x AS (SELECT 1 a) SELECT x.a, b.k FROM (SELECT a FROM x) x JOIN t AS b",
		"WITH `x` AS (SELECT 1 AS `a`) SELECT `_t1`.`a`,`b`.`k` FROM (SELECT `a` FROM `x`) AS `_t1` JOIN `t` AS `b`"},
	// No new name is one already in use.
	{"SELECT x.a FROM _t1, (SELECT 1 a) x", "SELECT `_t2`.`a` FROM `_t1` JOIN (SELECT 1 AS `a`) AS `_t2`"},
	{"SELECT `_T1`.a FROM (SELECT 1 a) x", "SELECT `_t1`.`a` FROM (SELECT 1 AS `a`) AS `_t2`"},
	// Kept: the same alias twice in one FROM (an error a rename would hide).
	{"SELECT * FROM (SELECT 1 a) x JOIN (SELECT 2 a) X", "SELECT * FROM (SELECT 1 AS `a`) AS `x` JOIN (SELECT 2 AS `a`) AS `x`"},
	// Kept: referred to where scopes do not reach.
	{"SELECT /*+ HASH_JOIN(x) */ x.a FROM (SELECT a FROM t) x JOIN u",
		"SELECT /*+ HASH_JOIN(`x`)*/ `x`.`a` FROM (SELECT `a` FROM `t`) AS `x` JOIN `u`"},
	{"SELECT x.a FROM (SELECT 1 a) x FOR UPDATE OF x", "SELECT `x`.`a` FROM (SELECT 1 AS `a`) AS `x` FOR UPDATE OF `x`"},
	{"DELETE x FROM t JOIN (SELECT 1 id) x ON t.id = x.id", "DELETE `x` FROM `t` JOIN (SELECT 1 AS `id`) AS `x` ON `t`.`id` = `x`.`id`"},
	{"SELECT x.a FROM (SELECT 1 a) x UNION SELECT 2 ORDER BY x.a", "SELECT `x`.`a` FROM (SELECT 1 AS `a`) AS `x` UNION SELECT 2 ORDER BY `x`.`a`"},
	{"INSERT INTO t SELECT * FROM (SELECT 1 a) AS x ON DUPLICATE KEY UPDATE b = x.a",
		"INSERT INTO `t` SELECT * FROM (SELECT 1 AS `a`) AS `x` ON DUPLICATE KEY UPDATE `b`=`x`.`a`"},
	// UPDATE and DELETE are scopes too.
	{"UPDATE t JOIN (SELECT id, MAX(v) m FROM u GROUP BY id) x ON t.id = x.id SET t.v = x.m",
		"UPDATE `t` JOIN (SELECT `id`,MAX(`v`) AS `m` FROM `u` GROUP BY `id`) AS `_t1` ON `t`.`id` = `_t1`.`id` SET `t`.`v`=`_t1`.`m`"},
	{"DELETE t FROM t JOIN (SELECT id FROM u) x ON t.id = x.id WHERE x.id > 1",
		"DELETE `t` FROM `t` JOIN (SELECT `id` FROM `u`) AS `_t1` ON `t`.`id` = `_t1`.`id` WHERE `_t1`.`id` > 1"},
}

func TestDerivedAliases(t *testing.T) {
	for _, tc := range derivedCases {
		c, ok := checkProperties(t, tc.sql)
		if !ok {
			_, err := Canonical(tc.sql)
			t.Errorf("Canonical(%q): %v", tc.sql, err)
			continue
		}
		if c != tc.want {
			t.Errorf("Canonical(%q)\n got %s\nwant %s", tc.sql, c, tc.want)
		}
		if eq, diffs, err := Components(tc.sql, c); err != nil || !eq {
			t.Errorf("Components(%q, its canonical form) = %v, %q, %v", tc.sql, eq, diffs, err)
		}
	}
}
