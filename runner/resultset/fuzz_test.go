package resultset

import (
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
)

// byteReader hands out the bytes of a fuzz input, then zeros.
type byteReader []byte

func (r *byteReader) next() byte {
	if len(*r) == 0 {
		return 0
	}
	b := (*r)[0]
	*r = (*r)[1:]
	return b
}

// text is a short string over an alphabet that makes numbers, near-numbers and words.
func (r *byteReader) text() string {
	const alphabet = "01.-eE aA5"
	var b strings.Builder
	for n := r.next() % 5; n > 0; n-- {
		b.WriteByte(alphabet[int(r.next())%len(alphabet)])
	}
	return b.String()
}

var (
	fuzzFloats  = []float64{0.1, math.Copysign(0, -1), 1.5, math.NaN(), math.Inf(1), math.Inf(-1), 1e21, 3, 0.30000000000000004, 5e-324}
	fuzzStrings = []string{"1.50", "1.5", "15e-1", "NULL", "", "0", "-0.0", "1e999999", "1", "true", "NaN", "+Inf", "a b", "1e99999999999"}
	fuzzNames   = []string{"a", "A", "b", " b", "c", "id", "id"}
)

func (r *byteReader) value() any {
	switch b := r.next(); b % 9 {
	case 0:
		return nil
	case 1, 8:
		return r.text()
	case 2:
		return b&16 != 0
	case 3:
		return int64(int8(r.next()))
	case 4:
		return fuzzFloats[int(r.next())%len(fuzzFloats)]
	case 5:
		return json.Number(r.text())
	case 6:
		return big.NewFloat(float64(int8(r.next())) / 4)
	default:
		return fuzzStrings[int(r.next())%len(fuzzStrings)]
	}
}

// fuzzTable decodes a table of 1-4 columns and 0-7 rows; rows may be ragged when ragged is set.
func fuzzTable(data []byte, ragged bool) Table {
	r := byteReader(data)
	h := r.next()
	ncols := int(h%4) + 1
	var t Table
	if h&4 == 0 {
		for range ncols {
			t.Columns = append(t.Columns, fuzzNames[int(r.next())%len(fuzzNames)])
		}
	}
	for n := int(r.next() % 8); n > 0; n-- {
		width := ncols
		if b := r.next(); ragged && b%16 == 0 {
			width = ncols + int(b>>4)%3 - 1
		}
		row := make([]any, width)
		for j := range row {
			row[j] = r.value()
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func allRules(tol bool) []Rules {
	var rs []Rules
	for m := range 8 {
		r := Rules{Ordered: m&1 != 0, Contains: m&2 != 0, ByName: m&4 != 0}
		if tol {
			r.Abs, r.Rel = 0.5, 0.01
		}
		rs = append(rs, r)
	}
	return rs
}

var fuzzSeeds = [][]byte{
	{},
	{0, 1, 3, 0, 1, 0, 1, 2, 0, 1, 0, 1, 1, 1, 1},
	{1, 2, 3, 5, 9, 7, 3, 4, 2, 4, 9, 1, 0, 0, 4, 4, 7, 8, 1, 2, 3},
	[]byte("a fairly long seed with many bytes to make several rows 0123456789"),
	{7, 0, 6, 0, 4, 3, 4, 3, 16, 7, 1, 7, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
}

// FuzzCompareSelf: every table equals itself under every rule, and a row-shuffled copy of itself
// when order is ignored.
func FuzzCompareSelf(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, shift uint8) {
		tbl := fuzzTable(data, false)
		shuffled := Table{Columns: tbl.Columns}
		n := len(tbl.Rows)
		for i := range n { // reversed, then rotated
			shuffled.Rows = append(shuffled.Rows, tbl.Rows[(n-1-i+int(shift))%n])
		}
		for _, r := range append(allRules(false), allRules(true)...) {
			if v := Compare(tbl, tbl, r); !v.Equal {
				t.Fatalf("%+v: table differs from itself: %s\n%s", r, v.Reason, strings.Join(v.Diff, "\n"))
			}
			if v := Compare(tbl, shuffled, r); !r.Ordered && !v.Equal {
				t.Fatalf("%+v: table differs from its shuffled copy: %s\n%s", r, v.Reason, strings.Join(v.Diff, "\n"))
			}
		}
	})
}

// FuzzCompare: Compare never panics, its verdict is well formed, exact equality is symmetric, and
// the rules weaken as documented (ordered ⇒ unordered ⇒ contains).
func FuzzCompare(f *testing.F) {
	for i, a := range fuzzSeeds {
		f.Add(a, fuzzSeeds[(i+1)%len(fuzzSeeds)], uint8(i))
	}
	f.Fuzz(func(t *testing.T, a, b []byte, flags uint8) {
		ta, tb := fuzzTable(a, true), fuzzTable(b, true)
		for _, tol := range []bool{false, true} {
			for _, r := range allRules(tol) {
				r.MaxDiff = int(flags % 4)
				v := Compare(ta, tb, r)
				if v.Reason == "" || v.Rule == "" || v.Equal != (len(v.Diff) == 0) {
					t.Fatalf("%+v: malformed verdict %+v", r, v)
				}
				if tol {
					continue
				}
				if !r.Contains {
					if w := Compare(tb, ta, r); w.Equal != v.Equal {
						t.Fatalf("%+v: Compare(a, b) = %v (%s) but Compare(b, a) = %v (%s)", r, v.Equal, v.Reason, w.Equal, w.Reason)
					}
				}
				weaker := r
				if r.Ordered {
					weaker.Ordered = false
				} else {
					weaker.Contains = true
				}
				if w := Compare(ta, tb, weaker); v.Equal && !w.Equal {
					t.Fatalf("%+v passes but %+v fails: %s", r, weaker, w.Reason)
				}
			}
		}
	})
}
