package resultset

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// companies returns n rows of (company, sector, market_cap) as the Chat2Query API sends them:
// numbers as decimal strings.
func companies(n int) [][]any {
	sectors := []string{"Technology", "Health Care", "Financials", "Energy"}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{fmt.Sprintf("Company %02d", i+1), sectors[i%len(sectors)], fmt.Sprintf("%d.%02d", 3000-i*37, i)}
	}
	return rows
}

func without(rows [][]any, drop ...int) [][]any {
	var out [][]any
	for i, row := range rows {
		if !containsInt(drop, i) {
			out = append(out, row)
		}
	}
	return out
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// goldenCases are the diffs shown to users; testdata/diff.golden holds their rendering.
var goldenCases = []struct {
	name      string
	want, got Table
	rules     Rules
}{
	{
		name:  "bag, one row missing",
		want:  Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: companies(5)},
		got:   Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: without(companies(5), 2)},
		rules: Rules{},
	},
	{
		name:  "bag, one value changed, got columns in another order",
		want:  Table{Columns: []string{"company_name", "market_cap"}, Rows: [][]any{{"Apple", "3000.50"}, {"Microsoft", "2800.00"}, {"NVIDIA", "2200.10"}}},
		got:   Table{Columns: []string{"MARKET_CAP", "COMPANY_NAME"}, Rows: [][]any{{2800.0, "Microsoft"}, {3000.5, "Apple"}, {2200.2, "NVIDIA"}}},
		rules: Rules{ByName: true, Abs: 0.01},
	},
	{
		name:  "ordered, one row missing among many",
		want:  Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: companies(30)},
		got:   Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: without(companies(30), 14)},
		rules: Rules{Ordered: true},
	},
	{
		name:  "ordered, two rows swapped",
		want:  Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: companies(8)},
		got:   Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: swap(companies(8), 2, 5)},
		rules: Rules{Ordered: true},
	},
	{
		name:  "ordered contains, one row missing",
		want:  Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: without(companies(12), 0, 1, 2, 3, 9, 10, 11)},
		got:   Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: without(companies(12), 6)},
		rules: Rules{Ordered: true, Contains: true},
	},
	{
		name:  "cap, many rows differ",
		want:  Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: companies(40)},
		got:   Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: append(without(companies(40), 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), companies(55)[40:]...)},
		rules: Rules{MaxDiff: 10},
	},
	{
		name:  "columns differ",
		want:  Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: companies(3)},
		got:   Table{Columns: []string{"company_name", "industry", "market_cap"}, Rows: companies(3)},
		rules: Rules{ByName: true},
	},
	{
		name:  "column count",
		want:  Table{Columns: []string{"company_name", "market_cap"}, Rows: [][]any{{"Apple", "3000.50"}}},
		got:   Table{Columns: []string{"company_name", "sector", "market_cap"}, Rows: companies(1)},
		rules: Rules{},
	},
	{
		name:  "strings, NULLs and empty strings",
		want:  Table{Columns: []string{"name", "note"}, Rows: [][]any{{"New York", nil}, {"", "NULL"}, {"tab\there", true}}},
		got:   Table{Columns: []string{"name", "note"}, Rows: [][]any{{"New York", "NULL"}, {nil, nil}, {"tab\there", int64(1)}}},
		rules: Rules{},
	},
	{
		name:  "ragged",
		want:  Table{Columns: []string{"a", "b"}, Rows: [][]any{{1, 2}}},
		got:   Table{Columns: []string{"a", "b"}, Rows: [][]any{{1, 2}, {3}}},
		rules: Rules{},
	},
}

func swap(rows [][]any, i, j int) [][]any {
	rows[i], rows[j] = rows[j], rows[i]
	return rows
}

func TestGolden(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Compare verdicts and diffs; regenerate with: go test ./runner/resultset/ -run TestGolden -update\n")
	for _, tc := range goldenCases {
		v := Compare(tc.want, tc.got, tc.rules)
		fmt.Fprintf(&b, "\n== %s\nequal:  %v\nreason: %s\nrule:   %s\n", tc.name, v.Equal, v.Reason, v.Rule)
		for _, l := range v.Diff {
			b.WriteString(l + "\n")
		}
	}
	path := filepath.Join("testdata", "diff.golden")
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
