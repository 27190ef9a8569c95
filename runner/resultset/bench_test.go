package resultset

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchTables returns a 2,000-row × 5-column table as the Chat2Query API sends it (numbers as
// decimal strings) and an answer with the same rows shuffled, typed as a database driver would
// type them, and with every float off by nudge.
func benchTables(nudge float64) (want, got Table) {
	const n = 2000
	cols := []string{"id", "company", "sector", "price", "volume"}
	want, got = Table{Columns: cols}, Table{Columns: cols}
	for i := range n {
		price := float64(i%997) + 0.25
		want.Rows = append(want.Rows, []any{fmt.Sprint(i), fmt.Sprintf("Company %d", i), fmt.Sprintf("sector %d", i%11), fmt.Sprint(price), fmt.Sprint(i * 1000)})
		got.Rows = append(got.Rows, []any{int64(i), fmt.Sprintf("Company %d", i), fmt.Sprintf("sector %d", i%11), price + nudge, int64(i * 1000)})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(n, func(i, j int) { got.Rows[i], got.Rows[j] = got.Rows[j], got.Rows[i] })
	return want, got
}

func BenchmarkCompare(b *testing.B) {
	exactWant, exactGot := benchTables(0)
	nudgedWant, nudgedGot := benchTables(1e-7)
	ordered := Table{Columns: exactWant.Columns, Rows: append([][]any(nil), exactWant.Rows...)}
	for _, bc := range []struct {
		name      string
		want, got Table
		rules     Rules
	}{
		{"unordered_exact", exactWant, exactGot, Rules{}},
		{"unordered_tolerance", nudgedWant, nudgedGot, Rules{Abs: 1e-6}},
		{"ordered", exactWant, ordered, Rules{Ordered: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if v := Compare(bc.want, bc.got, bc.rules); !v.Equal {
					b.Fatal(v.Reason)
				}
			}
			b.ReportMetric(float64(len(bc.want.Rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
