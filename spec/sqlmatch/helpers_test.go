package sqlmatch

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
)

// structure prints the tree that Canonical starts from (normalised, before
// decorate) with every operator bracketed, every join in TiDB's fully
// parenthesised form, and no ParenthesesExpr left. Two statements with the
// same structure group every operand the same way, so
// structure(x) == structure(Canonical(x)) shows that dropping parentheses
// (normalize) and printing join chains bare (decorate) lost no grouping.
func structure(t testing.TB, sql string) string {
	t.Helper()
	s, err := structureOf(sql)
	if err != nil {
		t.Fatalf("structure of %q: %v", sql, err)
	}
	return s
}

func structureOf(sql string) (string, error) {
	stmts, _, err := parser.New().Parse(sql, "", "")
	if err != nil {
		return "", err
	}
	if len(stmts) != 1 {
		return "", fmt.Errorf("%d statements", len(stmts))
	}
	normalize(stmts[0])
	stmts[0].Accept(parenStripper{})
	var b strings.Builder
	flags := restoreFlags | format.RestoreBracketAroundBinaryOperation | format.RestoreBracketAroundBetweenExpr
	if err := stmts[0].Restore(format.NewRestoreCtx(flags, &b)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// tidbRoundTrips reports whether TiDB's own printer, without this package's
// rewrites, prints sql in a form that parses back to the same structure.
// Where it does, Canonical has no excuse to refuse the statement.
func tidbRoundTrips(sql string) bool {
	stmts, _, err := parser.New().Parse(sql, "", "")
	if err != nil || len(stmts) != 1 {
		return false
	}
	var b strings.Builder
	if err := stmts[0].Restore(format.NewRestoreCtx(restoreFlags, &b)); err != nil {
		return false
	}
	s1, err1 := structureOf(sql)
	s2, err2 := structureOf(b.String())
	return err1 == nil && err2 == nil && s1 == s2
}

type parenStripper struct{}

func (parenStripper) Enter(n ast.Node) (ast.Node, bool) {
	// ORDER BY (1) is a constant, ORDER BY 1 a position: keep one level there.
	if b, ok := n.(*ast.ByItem); ok {
		e := b.Expr
		for {
			p, ok := e.(*ast.ParenthesesExpr)
			if !ok {
				break
			}
			e = p.Expr
		}
		if _, isValue := e.(ast.ValueExpr); isValue && e != b.Expr {
			b.Expr = &ast.ParenthesesExpr{Expr: e}
			return n, true
		}
	}
	return n, false
}

func (parenStripper) Leave(n ast.Node) (ast.Node, bool) {
	if p, ok := n.(*ast.ParenthesesExpr); ok {
		return p.Expr, true
	}
	return n, true
}

// corpusDir is the shared corpus of real Chat2Query SQL: $C2Q_CORPUS, else
// the "shared" directory beside the repository (tests run in the package
// directory, three levels below the repository's parent).
func corpusDir() string {
	if d := os.Getenv("C2Q_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
}

// corpusFile is the corpus's JSON file.
func corpusFile() string {
	return filepath.Join(corpusDir(), "chat2query-bird-dev", "predict_dev.json")
}

// TestCorpusPresent fails in CI (CI=true or C2Q_CORPUS set) when the corpus
// is missing, so that its tests cannot pass by skipping there; elsewhere, a
// fresh clone without ../shared, they skip and say where to put it.
func TestCorpusPresent(t *testing.T) {
	if _, err := os.Stat(corpusFile()); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("C2Q_CORPUS") != "" {
			t.Fatalf("the corpus tests need %s: %v (set C2Q_CORPUS to the corpus directory)", corpusFile(), err)
		}
		t.Skipf("corpus not found at %s: the corpus tests skip (set C2Q_CORPUS to the corpus directory)", corpusFile())
	}
}

type corpusEntry struct {
	ID  string
	SQL string
}

// loadCorpus returns the Chat2Query answers to the BIRD dev questions in
// question order, or skips the test when the corpus is absent.
func loadCorpus(t testing.TB) []corpusEntry {
	t.Helper()
	path := corpusFile()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("corpus not found at %s (set C2Q_CORPUS; TestCorpusPresent fails in CI)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]string
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := make([]corpusEntry, 0, len(raw))
	for id, v := range raw {
		// "<SQL>\t----- bird -----\t<db_id>"
		sql, _, _ := strings.Cut(v, "\t----- bird -----\t")
		out = append(out, corpusEntry{ID: id, SQL: sql})
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i].ID)
		b, _ := strconv.Atoi(out[j].ID)
		return a < b
	})
	return out
}

// checkProperties asserts what must hold for any statement Canonical
// accepts, and returns its canonical form.
func checkProperties(t testing.TB, sql string) (string, bool) {
	t.Helper()
	c, err := Canonical(sql)
	if err != nil {
		if _, perr := canonicalize(sql); perr == nil && tidbRoundTrips(sql) {
			t.Fatalf("Canonical refuses a statement TiDB prints and reads back: %v\ninput: %q", err, sql)
		}
		return "", false
	}
	again, err := Canonical(c)
	if err != nil {
		t.Fatalf("canonical form does not parse: %v\ninput:     %q\ncanonical: %q", err, sql, c)
	}
	if again != c {
		t.Fatalf("not idempotent\ninput:  %q\nfirst:  %q\nsecond: %q", sql, c, again)
	}
	// Where TiDB's own printer already regroups (a function with an empty
	// name prints as a parenthesis), the canonical form cannot do better.
	if s1, s2 := structure(t, sql), structure(t, c); s1 != s2 && tidbRoundTrips(sql) {
		t.Fatalf("canonical form groups differently\ninput:     %q\ncanonical: %q\nstructure: %q\n       vs: %q", sql, c, s1, s2)
	}
	lines, err := layoutLines(sql)
	if err != nil {
		t.Fatalf("Layout fails where Canonical works: %v\ninput: %q", err, sql)
	}
	if j := strings.Join(lines, " "); j != c {
		t.Fatalf("Layout joined differs from Canonical\ninput:     %q\ncanonical: %q\nlayout:    %q", sql, c, j)
	}
	if eq, err := Equal(sql, sql); err != nil || !eq {
		t.Fatalf("Equal(x, x) = %v, %v for %q", eq, err, sql)
	}
	return c, true
}
