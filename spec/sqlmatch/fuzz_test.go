package sqlmatch

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCanonical checks that Canonical never panics, that every error is a
// positioned *ParseError or a restore error, and that every accepted
// statement satisfies checkProperties (idempotent, same grouping, Layout
// consistent, Equal(x, x)).
func FuzzCanonical(f *testing.F) {
	for _, s := range goldenStatements {
		f.Add(s)
	}
	for _, tc := range equalCases {
		f.Add(tc.a)
		f.Add(tc.b)
	}
	for _, tc := range derivedCases {
		f.Add(tc.sql)
	}
	for _, s := range []string{
		"SELECT - -1, -(-1), a - (-1), !(a), NOT (a), ~(b), (a = 1) IS NULL, (a IN (1)) = b FROM t",
		"SELECT a FROM t WHERE a = (b = c) AND (a = b) = c AND a < (b << 2) | 1 ^ (2 ^ 3)",
		"SELECT POSITION((a) IN b), TRIM(LEADING (x) FROM y), CONVERT((a) USING utf8mb4), CAST((a + 1) AS CHAR) FROM t",
		"SELECT a FROM t ORDER BY (1), ((2)), (a) LIMIT 0, 1",
		"SELECT * FROM a NATURAL JOIN b JOIN c ON b.x = c.x RIGHT JOIN (d JOIN e ON d.y = e.y) ON c.z = d.z",
		"SELECT a FROM t WHERE a IN ((SELECT b FROM u)) AND c IN ((1), (2))",
		"SELECT 0 FROM a x, b JOIN c, d",
		"SELECT * FROM a JOIN (b JOIN c ON x) ON y JOIN d LEFT JOIN (e, f) USING (k)",
		"SELECT @v := (1 + 2), (@v) FROM t",
		"SELECT a FROM t; SELECT b FROM u",
		"SELECT 'unterminated",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		c, ok := checkProperties(t, sql)
		if ok {
			// Back-quoted names have no escapes, so only they may hold a line break.
			if strings.ContainsAny(withoutNames(c), "\n\r") {
				t.Fatalf("canonical form spans lines: %q", c)
			}
			return
		}
		_, err := Canonical(sql)
		var pe *ParseError
		if !errors.As(err, &pe) {
			// A panic inside TiDB's parser or test_driver is theirs, and
			// Canonical reports it as an error; one in this package is a bug.
			if strings.Contains(err.Error(), "internal error in github.com/c2q/") {
				t.Fatalf("panic in sqlmatch on %q: %v", sql, err)
			}
			return // a restore error, reported as such
		}
		lines := strings.Split(sql, "\n")
		if pe.Line < 1 || pe.Line > len(lines) || pe.Column < 1 || pe.Column > utf8.RuneCountInString(lines[pe.Line-1])+1 {
			t.Fatalf("error position %d:%d outside the input %q", pe.Line, pe.Column, sql)
		}
	})
}

// withoutNames drops the back-quoted names from a canonical form, skipping
// over string literals (quote-delimited, with backslash escapes) on the way;
// a doubled quote inside one reads as two adjacent literals, which is as good.
func withoutNames(c string) string {
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		switch c[i] {
		case '`':
			for i++; i < len(c) && c[i] != '`'; i++ {
			}
		case '\'':
			b.WriteByte(c[i])
			for i++; i < len(c) && c[i] != '\''; i++ {
				if c[i] == '\\' && i+1 < len(c) {
					b.WriteByte(c[i])
					i++
				}
				b.WriteByte(c[i])
			}
			if i < len(c) {
				b.WriteByte(c[i])
			}
		default:
			b.WriteByte(c[i])
		}
	}
	return b.String()
}

// FuzzSelfMatch checks that a statement matches itself under every mode, as
// the gold SQL of an expect check must: for any statement Canonical accepts,
// Equal(s, s), Fingerprint(s) is stable and equals Fingerprint(Canonical(s)),
// Components(s, s) and Components(s, Canonical(s)) are equal, and
// Equal(s, Canonical(s)).
func FuzzSelfMatch(f *testing.F) {
	for _, s := range goldenStatements {
		f.Add(s)
	}
	for _, tc := range verdictCases {
		f.Add(tc.a)
		f.Add(tc.b)
	}
	for _, tc := range derivedCases {
		f.Add(tc.sql)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		c, err := Canonical(sql)
		if err != nil {
			return
		}
		if eq, err := Equal(sql, sql); err != nil || !eq {
			t.Fatalf("Equal(s, s) = %v, %v for %q", eq, err, sql)
		}
		if eq, err := Equal(sql, c); err != nil || !eq {
			t.Fatalf("Equal(s, Canonical(s)) = %v, %v for %q\ncanonical: %q", eq, err, sql, c)
		}
		fp, err := Fingerprint(sql)
		if err != nil {
			t.Fatalf("Fingerprint fails where Canonical works on %q: %v", sql, err)
		}
		if again, err := Fingerprint(sql); err != nil || again != fp {
			t.Fatalf("Fingerprint(s) unstable for %q: %q then %q, %v", sql, fp, again, err)
		}
		if fc, err := Fingerprint(c); err != nil || fc != fp {
			t.Fatalf("Fingerprint(Canonical(s)) = %q, %v; Fingerprint(s) = %q\ninput:     %q\ncanonical: %q", fc, err, fp, sql, c)
		}
		for _, other := range []string{sql, c} {
			if eq, diffs, err := Components(sql, other); err != nil || !eq {
				t.Fatalf("Components(s, %q) = %v, %q, %v for %q", other, eq, diffs, err, sql)
			}
		}
	})
}

// FuzzItems checks that ORDER BY and GROUP BY items as users write them
// never panic, and that an item read once reads back to itself, so that
// what plan shows is what is compared.
func FuzzItems(f *testing.F) {
	for _, s := range []string{"market_cap DESC", "`c`.`Name`", "SUM(x) desc", "a, b", "sector", "YEAR(`date`)", "a LIMIT 5", "", "(a + 1) * 2 ASC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, item string) {
		if got, err := OrderBy([]string{item}); err == nil {
			text := got[0].Expr
			if got[0].Desc {
				text += " DESC"
			}
			again, err := OrderBy([]string{text})
			if err != nil || again[0] != got[0] {
				t.Fatalf("OrderBy(%q) = %+v, which reads back as %+v, %v", item, got[0], again, err)
			}
		}
		if got, err := Exprs([]string{item}); err == nil {
			again, err := Exprs(got)
			if err != nil || again[0] != got[0] || !SameExpr(got[0], got[0]) {
				t.Fatalf("Exprs(%q) = %q, which reads back as %q, %v", item, got[0], again, err)
			}
		}
	})
}
