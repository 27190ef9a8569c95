package sqlmatch

import (
	"errors"
	"testing"
	"time"
)

// TestCorpus runs every statement Chat2Query really wrote through the
// properties of checkProperties; the statements TiDB cannot parse must fail
// with a positioned *ParseError.
func TestCorpus(t *testing.T) {
	entries := loadCorpus(t)
	parsed := 0
	for _, e := range entries {
		if _, ok := checkProperties(t, e.SQL); ok {
			parsed++
			continue
		}
		_, err := Canonical(e.SQL)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error is %T, want *ParseError: %v", e.ID, err, err)
			continue
		}
		if pe.Line < 1 || pe.Column < 1 || pe.Msg == "" {
			t.Errorf("%s: bad position or message: %+v", e.ID, pe)
		}
	}
	// The corpus README: TiDB's parser reads 1,521 of the 1,534 as they are.
	if parsed < 1521 {
		t.Errorf("parsed %d of %d corpus statements, want at least 1521", parsed, len(entries))
	}
	t.Logf("%d of %d corpus statements parse", parsed, len(entries))
}

// BenchmarkCanonical measures Canonical over the corpus statements that
// parse, reported as statements per second.
func BenchmarkCanonical(b *testing.B) {
	benchCorpus(b, func(sql string) error { _, err := Canonical(sql); return err })
}

// benchCorpus runs f over the corpus statements that parse, reporting
// statements per second.
func benchCorpus(b *testing.B, f func(sql string) error) {
	var stmts []string
	for _, e := range loadCorpus(b) {
		if _, err := Canonical(e.SQL); err == nil {
			stmts = append(stmts, e.SQL)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		if err := f(stmts[n%len(stmts)]); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "stmts/s")
}
