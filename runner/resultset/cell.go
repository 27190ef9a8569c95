package resultset

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a cell compares as. The order (NULL < number < string) is the order of rows in an
// unordered diff.
type kind uint8

const (
	kNull kind = iota
	kNum
	kStr
)

// cell is a normalised value: two cells are exactly equal when their kinds and keys are equal.
type cell struct {
	kind kind
	key  string  // kNum: canonical decimal (see decimalKey); kStr: the string itself
	f    float64 // kNum: the value as a float64 (±Inf when out of range), for tolerance and sorting
	num  string  // kNum: the number as written ("true" and "false" for booleans)
}

// String prints the cell as a diff shows it: NULL, a number as written, a string as sqlString.
func (c *cell) String() string {
	switch c.kind {
	case kNull:
		return "NULL"
	case kNum:
		return c.num
	}
	return sqlString(c.key)
}

// newCell normalises one value of a Table. Types beyond the documented ones are accepted leniently:
// other integer and float types as numbers, []byte as a string, anything else via fmt.Sprint.
func newCell(v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{kind: kNull}
	case string:
		return textCell(x)
	case []byte:
		return textCell(string(x))
	case json.Number:
		return textCell(string(x))
	case bool:
		if x {
			return cell{kind: kNum, key: "1e0", f: 1, num: "true"}
		}
		return cell{kind: kNum, key: "0", f: 0, num: "false"}
	case int64:
		return textCell(strconv.FormatInt(x, 10))
	case int:
		return textCell(strconv.Itoa(x))
	case int32:
		return textCell(strconv.FormatInt(int64(x), 10))
	case uint64:
		return textCell(strconv.FormatUint(x, 10))
	case float64:
		return floatCell(x, strconv.FormatFloat(x, 'g', -1, 64))
	case float32:
		return floatCell(float64(x), strconv.FormatFloat(float64(x), 'g', -1, 32))
	case *big.Float:
		if x == nil {
			return cell{kind: kNull}
		}
		if x.IsInf() {
			return floatCell(math.Inf(x.Sign()), "")
		}
		return textCell(x.Text('g', -1))
	default:
		return textCell(fmt.Sprint(x))
	}
}

// floatCell is a float64 compared through its shortest decimal form s; NaN and ±Inf are strings.
func floatCell(f float64, s string) cell {
	switch {
	case math.IsNaN(f):
		return cell{kind: kStr, key: "NaN"}
	case math.IsInf(f, 1):
		return cell{kind: kStr, key: "+Inf"}
	case math.IsInf(f, -1):
		return cell{kind: kStr, key: "-Inf"}
	}
	c := textCell(s)
	c.f = f
	return c
}

// textCell is a number when s reads as a decimal number, otherwise a string.
func textCell(s string) cell {
	if key, ok := decimalKey(s); ok {
		f, _ := strconv.ParseFloat(s, 64) // ±Inf or 0 when out of range: exact keys still decide
		return cell{kind: kNum, key: key, f: f, num: s}
	}
	return cell{kind: kStr, key: s}
}

// maxExp bounds the exponent of a decimal number; "1e9999999999" is compared as a string.
const maxExp = 1_000_000_000

// decimalKey reports whether s is a decimal number ([+-]digits[.digits][e[+-]digits], with digits
// on at least one side of the point) and returns its canonical form: sign, significant digits
// without leading or trailing zeros, "e", exponent. "1.50", "15e-1" and "0.15E1" all give "15e-1";
// every zero gives "0".
func decimalKey(s string) (string, bool) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var buf [32]byte
	digits := buf[:0]
	exp, seen := 0, 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		seen++
		if len(digits) > 0 || s[i] != '0' {
			digits = append(digits, s[i])
		}
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			seen++
			exp--
			if len(digits) > 0 || s[i] != '0' {
				digits = append(digits, s[i])
			}
		}
	}
	if seen == 0 {
		return "", false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		start, e := i, 0
		for ; i < len(s) && isDigit(s[i]); i++ {
			if e = e*10 + int(s[i]-'0'); e > maxExp {
				return "", false
			}
		}
		if i == start {
			return "", false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(s) {
		return "", false
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if len(digits) == 0 {
		return "0", true
	}
	var out [48]byte
	key := out[:0]
	if neg {
		key = append(key, '-')
	}
	key = append(append(key, digits...), 'e')
	return string(strconv.AppendInt(key, int64(exp), 10)), true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// sqlString prints a string cell unquoted unless that would be ambiguous or invisible: empty, the
// word NULL, starting with a quote, or containing spaces or non-printable characters.
func sqlString(s string) string {
	if s == "" || strings.EqualFold(s, "NULL") || s[0] == '"' || !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// tolerance is the numeric tolerance of Rules, sanitised (negative or NaN is 0), with exact
// rational copies for comparisons at the bound.
type tolerance struct {
	abs, rel   float64
	absR, relR *big.Rat
}

func newTolerance(abs, rel float64) *tolerance {
	clean := func(f float64) float64 {
		if math.IsNaN(f) || f < 0 {
			return 0
		}
		return f
	}
	t := &tolerance{abs: clean(abs), rel: clean(rel)}
	if t.abs == 0 && t.rel == 0 {
		return nil
	}
	rat := func(f float64) *big.Rat {
		r, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
		if !ok { // +Inf: never reached, infinite bounds are decided in floating point
			return new(big.Rat)
		}
		return r
	}
	t.absR, t.relR = rat(t.abs), rat(t.rel)
	return t
}

// cellEq reports whether two cells are equal: same kind and key, or numbers within tolerance t
// (nil: exact).
func cellEq(a, b *cell, t *tolerance) bool {
	if a.kind != b.kind {
		return false
	}
	if a.key == b.key {
		return true
	}
	return a.kind == kNum && t != nil && t.within(a, b)
}

// within reports |a-b| <= abs or |a-b| <= rel*max(|a|,|b|). Floating point decides when the
// difference is clearly inside or outside the bound (by more than float64 rounding can account
// for); otherwise exact rational arithmetic decides, so that 1.01 and 1.00 are within abs 0.01
// although 1.01-1.00 is 0.010000000000000009 in float64.
func (t *tolerance) within(a, b *cell) bool {
	if math.IsInf(a.f, 0) || math.IsInf(b.f, 0) {
		return false
	}
	d := math.Abs(a.f - b.f)
	bound := max(t.abs, t.rel*max(math.Abs(a.f), math.Abs(b.f)))
	if math.IsInf(bound, 1) {
		return true
	}
	slack := 1e-15*(math.Abs(a.f)+math.Abs(b.f)+bound) + 1e-300 // rounding of parsing and arithmetic
	switch {
	case d+slack < bound:
		return true
	case d-slack > bound:
		return false
	}
	x, okA := keyRat(a.key)
	y, okB := keyRat(b.key)
	if !okA || !okB {
		return d <= bound
	}
	diff := new(big.Rat).Sub(x, y)
	diff.Abs(diff)
	if diff.Cmp(t.absR) <= 0 {
		return true
	}
	m := new(big.Rat).Abs(x)
	if ay := new(big.Rat).Abs(y); ay.Cmp(m) > 0 {
		m = ay
	}
	return diff.Cmp(m.Mul(m, t.relR)) <= 0
}

// keyRat turns a canonical decimal key into an exact rational, unless its exponent is so large
// that the rational would be huge.
func keyRat(key string) (*big.Rat, bool) {
	if e := strings.IndexByte(key, 'e'); e >= 0 {
		if n, err := strconv.Atoi(key[e+1:]); err != nil || n > 400 || n < -400-e {
			return nil, false
		}
	}
	return new(big.Rat).SetString(key)
}

// appendKey appends an unambiguous encoding of c to a row key. When coarse, numbers contribute
// only their kind: rows equal within a tolerance have equal coarse keys.
func appendKey(b []byte, c *cell, coarse bool) []byte {
	b = append(b, byte(c.kind))
	if coarse && c.kind == kNum {
		return b
	}
	b = binary.AppendUvarint(b, uint64(len(c.key)))
	return append(b, c.key...)
}

// compareCells orders cells for an unordered diff: NULL, then numbers by value, then strings.
func compareCells(a, b *cell) int {
	if a.kind != b.kind {
		return int(a.kind) - int(b.kind)
	}
	if a.kind == kNum {
		if a.f < b.f {
			return -1
		}
		if a.f > b.f {
			return 1
		}
	}
	return strings.Compare(a.key, b.key)
}
