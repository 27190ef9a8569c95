package hclsource

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestCheck covers what Check refuses and what it lets through: a NUL
// byte, nesting over MaxNesting of each kind, and ordinary files.
func TestCheck(t *testing.T) {
	deep := func(open, close string) string {
		return "x = " + strings.Repeat(open, MaxNesting+1) + "1" + strings.Repeat(close, MaxNesting+1)
	}
	for _, c := range []struct {
		name, src, want string // want: the summary, "" for none
	}{
		{"ordinary", "a { b = [1, (2 + 3) * 4] }\n", ""},
		{"NUL", "a = 1\n\x00", "Binary file"},
		{"parentheses", deep("(", ")"), "Nesting too deep"},
		{"lists", deep("[", "]"), "Nesting too deep"},
		{"negations", "x = " + strings.Repeat("!", MaxNesting+1) + "true", "Nesting too deep"},
		{"at the limit", "x = " + strings.Repeat("(", MaxNesting-4) + "1" + strings.Repeat(")", MaxNesting-4), ""},
	} {
		diags := Check([]byte(c.src), "f.hcl")
		switch {
		case c.want == "" && len(diags) > 0:
			t.Errorf("%s: %v", c.name, diags)
		case c.want != "" && (len(diags) != 1 || diags[0].Summary != c.want || diags[0].Subject == nil):
			t.Errorf("%s: %v, want one %q with a subject", c.name, diags, c.want)
		}
	}
}

// FuzzNesting checks that Nesting, which refuses files before HCL parses
// them, bounds the depth of the syntax tree the parser builds: what it
// lets through cannot exhaust the stack, whatever the file.
func FuzzNesting(f *testing.F) {
	for _, seed := range []string{
		"x = ((1))", "a { b { c = [1, [2, [3]]] } }", `x = "${"${1}"}"`, "x = !!!true",
		"x = a[b[c[d]]]", "x = 1 + 2 * 3 - 4", "x = a ? b : c ? d : e", `x = "%{if a}%{for x in y}${x}%{endfor}%{endif}"`,
		"x = <<EOT\n${a}\nEOT\n", "x = [for a in b : [for c in d : c] if a]", "x = {a = {b = {c = 1}}}",
		"x = f(g(h(1)))", "x = a[*].b[*].c", "x = a.*.b", "x = -(-(-1))",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		tokens, _ := hclsyntax.LexConfig(src, "f.hcl", hcl.InitialPos)
		estimate, _ := Nesting(tokens, 1<<30)
		file, _ := hclsyntax.ParseConfig(src, "f.hcl", hcl.InitialPos)
		if file == nil {
			return
		}
		if depth := treeDepth(file.Body.(*hclsyntax.Body)); depth > 4*estimate+8 {
			t.Errorf("the syntax tree is %d deep, but nesting estimated %d", depth, estimate)
		}
	})
}

// treeDepth is the depth of the syntax tree under n.
func treeDepth(n hclsyntax.Node) int {
	w := &depthWalker{}
	hclsyntax.Walk(n, w)
	return w.max
}

type depthWalker struct{ depth, max int }

func (w *depthWalker) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.depth++
	w.max = max(w.max, w.depth)
	return nil
}

func (w *depthWalker) Exit(hclsyntax.Node) hcl.Diagnostics {
	w.depth--
	return nil
}
