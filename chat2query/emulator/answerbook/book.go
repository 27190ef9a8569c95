package answerbook

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/c2q/c2q/spec/hclsource"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Book is a parsed answer book: its entries in file order. A Book is immutable and safe for
// concurrent use.
type Book struct {
	entries []*Entry
	byLabel map[string]*Entry
}

// Entry is one answer: the questions it answers and what the emulator returns for them.
type Entry struct {
	Label string
	// Match holds the compiled `match` patterns; any of them may match the question.
	Match []*regexp.Regexp
	// After lists the labels of the answers this entry follows up; empty for an entry that
	// answers a question on its own.
	After []string

	SQL           string
	ClarifiedTask string
	Description   string
	Assumptions   []Assumption
	// Chart is the chart block, nil when there is none (the answer is shown as a table of all
	// columns; see ChartFor).
	Chart *Chart

	// DeclRange is the range of the answer block's header.
	DeclRange hcl.Range
}

// Assumption is one of the assumptions an answer states.
type Assumption struct {
	Concept     string `json:"concept"`
	Explanation string `json:"explanation"`
}

// Chart is how the answer's data is charted, in the shape of the service's chart_options.
// Its JSON encoding is the service's chart_options object.
type Chart struct {
	// Name is Table, BarChart, LineChart or PieChart.
	Name  string `json:"chart_name"`
	Title string `json:"title"`
	// Option holds the chart's options, each a string or a []string: columns (Table); x, y,
	// pivot_column (BarChart, LineChart); label, value (PieChart).
	Option map[string]any `json:"option"`
}

// Chart names.
const (
	ChartTable = "Table"
	ChartBar   = "BarChart"
	ChartLine  = "LineChart"
	ChartPie   = "PieChart"
)

// chartOptions lists, per chart name, its options and whether each is required and may be a
// list.
var chartOptions = map[string]map[string]struct{ required, list bool }{
	ChartTable: {"columns": {false, true}},
	ChartBar:   {"x": {true, false}, "y": {true, true}, "pivot_column": {false, false}},
	ChartLine:  {"x": {true, false}, "y": {true, true}, "pivot_column": {false, false}},
	ChartPie:   {"label": {true, false}, "value": {true, false}},
}

// Entries returns the entries in file order.
func (b *Book) Entries() []*Entry { return slices.Clone(b.entries) }

// Lookup returns the entry with the given label.
func (b *Book) Lookup(label string) (*Entry, bool) {
	e, ok := b.byLabel[label]
	return e, ok
}

// Match returns the entry that answers question when the previous answer of the session had the
// label previous ("" for the first question of a session); see the package documentation for
// the rule.
func (b *Book) Match(question, previous string) (*Entry, bool) {
	if c := b.Candidates(question, previous); len(c) > 0 {
		return c[0], true
	}
	return nil, false
}

// Candidates returns every entry that may answer question after previous, best first: the
// follow-ups of previous in file order, then the entries without `after` in file order. Match
// returns the first; more than one candidate of the winning kind means the book is ambiguous
// for this question.
func (b *Book) Candidates(question, previous string) []*Entry {
	q := normalize(question)
	var followUps, others []*Entry
	for _, e := range b.entries {
		if !e.matches(q) {
			continue
		}
		switch {
		case len(e.After) == 0:
			others = append(others, e)
		case previous != "" && slices.Contains(e.After, previous):
			followUps = append(followUps, e)
		}
	}
	return append(followUps, others...)
}

// IsFollowUp reports whether the entry only answers in the context of a previous answer.
func (e *Entry) IsFollowUp() bool { return len(e.After) > 0 }

func (e *Entry) matches(normalized string) bool {
	for _, re := range e.Match {
		if re.MatchString(normalized) {
			return true
		}
	}
	return false
}

// ChartFor returns the entry's chart for a result with the given columns: a Table of all
// columns when the entry has no chart or its Table chart lists no columns.
func (e *Entry) ChartFor(columns []string) Chart {
	if e.Chart == nil {
		return Chart{Name: ChartTable, Title: e.ClarifiedTask, Option: map[string]any{"columns": slices.Clone(columns)}}
	}
	c := *e.Chart
	c.Option = make(map[string]any, len(e.Chart.Option))
	for k, v := range e.Chart.Option {
		if l, ok := v.([]string); ok {
			v = slices.Clone(l)
		}
		c.Option[k] = v
	}
	if c.Name == ChartTable && c.Option["columns"] == nil {
		c.Option["columns"] = slices.Clone(columns)
	}
	return c
}

// normalize trims the question and collapses its runs of white space into single spaces.
func normalize(question string) string { return strings.Join(strings.Fields(question), " ") }

//go:embed builtin.hcl
var builtinSrc []byte

var builtin = sync.OnceValue(func() *Book {
	b, diags := Parse(builtinSrc, "builtin.hcl")
	if diags.HasErrors() {
		panic("answerbook: the built-in book is invalid: " + diags.Error())
	}
	return b
})

// Builtin returns the built-in answer book for the sp500insight sample database.
func Builtin() *Book { return builtin() }

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "answer", LabelNames: []string{"label"}}},
}

var answerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "match", Required: true},
		{Name: "after"},
		{Name: "sql", Required: true},
		{Name: "clarified_task", Required: true},
		{Name: "description"},
		{Name: "assumptions"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "chart"}},
}

// Parse parses an answer book. Every problem is reported as a diagnostic with the range it
// concerns; the Book is nil when there are errors.
func Parse(src []byte, filename string) (*Book, hcl.Diagnostics) {
	if diags := hclsource.Check(src, filename); diags.HasErrors() {
		return nil, diags // a binary file, or nesting that would exhaust the parser's stack
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, moreDiags := file.Body.Content(rootSchema)
	diags = append(diags, moreDiags...)

	b := &Book{byLabel: map[string]*Entry{}}
	afterExprs := map[*Entry][]hcl.Expression{}
	for _, block := range content.Blocks {
		e, exprs, blockDiags := decodeAnswer(block)
		diags = append(diags, blockDiags...)
		if e == nil {
			continue
		}
		if first, dup := b.byLabel[e.Label]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate answer label",
				Detail:   fmt.Sprintf("An answer labeled %q was already defined at %s. Labels must be unique.", e.Label, first.DeclRange),
				Subject:  block.LabelRanges[0].Ptr(),
				Context:  block.DefRange.Ptr(),
			})
			continue
		}
		b.byLabel[e.Label] = e
		b.entries = append(b.entries, e)
		afterExprs[e] = exprs
	}
	for _, e := range b.entries {
		for i, label := range e.After {
			if _, ok := b.byLabel[label]; !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown answer label",
					Detail:   fmt.Sprintf("The answer %q follows up %q, but no answer has that label.%s", e.Label, label, suggestion(label, b.byLabel)),
					Subject:  afterExprs[e][i].Range().Ptr(),
				})
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return b, diags
}

func suggestion(label string, known map[string]*Entry) string {
	names := make([]string, 0, len(known))
	for k := range known {
		names = append(names, k)
	}
	slices.Sort(names)
	if s := nameSuggestion(label, names); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// decodeAnswer decodes one answer block; it also returns the expressions of the `after` items,
// whose labels are checked once every label is known.
func decodeAnswer(block *hcl.Block) (*Entry, []hcl.Expression, hcl.Diagnostics) {
	content, diags := block.Body.Content(answerSchema)
	label := block.Labels[0]
	if !hclsyntax.ValidIdentifier(label) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid answer label",
			Detail:   "A label must start with a letter or underscore and contain only letters, digits, underscores and dashes.",
			Subject:  block.LabelRanges[0].Ptr(),
		})
	}
	e := &Entry{Label: label, DeclRange: block.DefRange}
	attrs := content.Attributes

	if attr, ok := attrs["match"]; ok {
		patterns, exprs, d := stringList(attr)
		diags = append(diags, d...)
		if !d.HasErrors() && len(patterns) == 0 {
			diags = append(diags, attrError(attr, "Missing question pattern", "An answer needs at least one regular expression in match."))
		}
		for i, p := range patterns {
			re, err := regexp.Compile(p)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid regular expression",
					Detail:   fmt.Sprintf("The pattern %q is not a valid regular expression (Go RE2 syntax): %s.", p, strings.TrimPrefix(err.Error(), "error parsing regexp: ")),
					Subject:  exprs[i].Range().Ptr(),
				})
				continue
			}
			e.Match = append(e.Match, re)
		}
	}
	var afterExprs []hcl.Expression
	if attr, ok := attrs["after"]; ok {
		after, exprs, d := stringList(attr)
		diags = append(diags, d...)
		for i, a := range after {
			if slices.Contains(e.After, a) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate label in after",
					Detail:   fmt.Sprintf("The label %q is listed twice.", a),
					Subject:  exprs[i].Range().Ptr(),
				})
				continue
			}
			e.After = append(e.After, a)
			afterExprs = append(afterExprs, exprs[i])
		}
	}
	if attr, ok := attrs["sql"]; ok {
		s, d := stringValue(attr)
		diags = append(diags, d...)
		e.SQL = strings.TrimSpace(s)
		if !d.HasErrors() && e.SQL == "" {
			diags = append(diags, attrError(attr, "Empty SQL", "An answer must have the SQL statement that the emulator executes."))
		}
	}
	if attr, ok := attrs["clarified_task"]; ok {
		s, d := stringValue(attr)
		diags = append(diags, d...)
		e.ClarifiedTask = strings.TrimSpace(s)
		if !d.HasErrors() && e.ClarifiedTask == "" {
			diags = append(diags, attrError(attr, "Empty clarified task", "An answer must restate the question it answers in clarified_task."))
		}
	}
	if attr, ok := attrs["description"]; ok {
		s, d := stringValue(attr)
		diags = append(diags, d...)
		e.Description = s
	}
	if attr, ok := attrs["assumptions"]; ok {
		a, d := assumptions(attr)
		diags = append(diags, d...)
		e.Assumptions = a
	}
	for i, cb := range content.Blocks {
		if i > 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate chart block",
				Detail:   "An answer has at most one chart.",
				Subject:  cb.DefRange.Ptr(),
			})
			continue
		}
		c, d := decodeChart(cb, e.ClarifiedTask)
		diags = append(diags, d...)
		e.Chart = c
	}
	if diags.HasErrors() {
		return nil, nil, diags
	}
	return e, afterExprs, diags
}

func decodeChart(block *hcl.Block, defaultTitle string) (*Chart, hcl.Diagnostics) {
	attrs, diags := block.Body.JustAttributes()
	c := &Chart{Title: defaultTitle, Option: map[string]any{}}
	nameAttr, ok := attrs["name"]
	if !ok {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing chart name",
			Detail:   "A chart block needs name = \"Table\", \"BarChart\", \"LineChart\" or \"PieChart\".",
			Subject:  block.DefRange.Ptr(),
		})
	}
	name, d := stringValue(nameAttr)
	diags = append(diags, d...)
	options, known := chartOptions[name]
	if !d.HasErrors() && !known {
		diags = append(diags, attrError(nameAttr, "Unknown chart name", fmt.Sprintf("The chart %q is not one of Table, BarChart, LineChart and PieChart.", name)))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	c.Name = name
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return attrs[a].Range.Start.Byte - attrs[b].Range.Start.Byte })
	for _, n := range names {
		attr := attrs[n]
		switch n {
		case "name":
			continue
		case "title":
			s, d := stringValue(attr)
			diags = append(diags, d...)
			if s != "" {
				c.Title = s
			}
			continue
		}
		opt, ok := options[n]
		if !ok {
			allowed := make([]string, 0, len(options))
			for o := range options {
				allowed = append(allowed, o)
			}
			slices.Sort(allowed)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported chart option",
				Detail:   fmt.Sprintf("A %s takes title and %s, not %s.", name, strings.Join(allowed, ", "), n),
				Subject:  attr.NameRange.Ptr(),
			})
			continue
		}
		val, d := attr.Expr.Value(nil)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if s, err := convert.Convert(val, cty.String); err == nil && !s.IsNull() && !val.Type().IsTupleType() && !val.Type().IsListType() {
			c.Option[n] = s.AsString()
			continue
		}
		list, _, d := stringList(attr)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if !opt.list {
			diags = append(diags, attrError(attr, "Invalid chart option", fmt.Sprintf("The option %s of a %s is one column name, not a list.", n, name)))
			continue
		}
		c.Option[n] = list
	}
	for n, opt := range options {
		if _, ok := c.Option[n]; opt.required && !ok && !diags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing chart option",
				Detail:   fmt.Sprintf("A %s needs the option %s.", name, n),
				Subject:  block.DefRange.Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return c, diags
}

func attrError(attr *hcl.Attribute, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  attr.Expr.Range().Ptr(),
		Context:  attr.Range.Ptr(),
	}
}

// stringValue evaluates attr as a constant string; null is "".
func stringValue(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	val, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	s, err := convert.Convert(val, cty.String)
	if err != nil || !s.IsKnown() {
		return "", append(diags, attrError(attr, "Incorrect attribute value type", fmt.Sprintf("%s must be a string.", attr.Name)))
	}
	if s.IsNull() {
		return "", diags
	}
	return s.AsString(), diags
}

// stringList evaluates attr as a constant list of strings and returns the expressions of its
// items, for diagnostics that concern one item.
func stringList(attr *hcl.Attribute) ([]string, []hcl.Expression, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, nil, hcl.Diagnostics{attrError(attr, "Incorrect attribute value type", fmt.Sprintf("%s must be a list of strings, like [\"a\", \"b\"].", attr.Name))}
	}
	out := make([]string, 0, len(exprs))
	for _, expr := range exprs {
		val, d := expr.Value(nil)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		s, err := convert.Convert(val, cty.String)
		if err != nil || s.IsNull() || !s.IsKnown() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Incorrect attribute value type",
				Detail:   fmt.Sprintf("The items of %s must be strings.", attr.Name),
				Subject:  expr.Range().Ptr(),
				Context:  attr.Range.Ptr(),
			})
			continue
		}
		out = append(out, s.AsString())
	}
	if diags.HasErrors() {
		return nil, nil, diags
	}
	return out, exprs, diags
}

// assumptions decodes a list of {concept, explanation} objects.
func assumptions(attr *hcl.Attribute) ([]Assumption, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{attrError(attr, "Incorrect attribute value type", "assumptions must be a list of objects like { concept = \"...\", explanation = \"...\" }.")}
	}
	var out []Assumption
	for _, expr := range exprs {
		items, d := hcl.ExprMap(expr)
		if d.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid assumption",
				Detail:   "An assumption is an object like { concept = \"...\", explanation = \"...\" }.",
				Subject:  expr.Range().Ptr(),
			})
			continue
		}
		var a Assumption
		seen := map[string]bool{}
		bad := false
		for _, item := range items {
			key := hcl.ExprAsKeyword(item.Key)
			if key == "" {
				if kv, kd := item.Key.Value(nil); !kd.HasErrors() && kv.Type() == cty.String && kv.IsKnown() && !kv.IsNull() {
					key = kv.AsString()
				}
			}
			if key != "concept" && key != "explanation" {
				bad = true
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unsupported assumption attribute",
					Detail:   "An assumption has only concept and explanation.",
					Subject:  item.Key.Range().Ptr(),
				})
				continue
			}
			val, vd := item.Value.Value(nil)
			diags = append(diags, vd...)
			if vd.HasErrors() {
				bad = true
				continue
			}
			s, err := convert.Convert(val, cty.String)
			if err != nil || s.IsNull() || !s.IsKnown() {
				bad = true
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Incorrect attribute value type",
					Detail:   fmt.Sprintf("The %s of an assumption must be a string.", key),
					Subject:  item.Value.Range().Ptr(),
				})
				continue
			}
			if key == "concept" {
				a.Concept = s.AsString()
			} else {
				a.Explanation = s.AsString()
			}
			seen[key] = true
		}
		if !bad && (!seen["concept"] || !seen["explanation"]) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Incomplete assumption",
				Detail:   "An assumption needs both concept and explanation.",
				Subject:  expr.Range().Ptr(),
			})
		}
		out = append(out, a)
	}
	return out, diags
}

// nameSuggestion returns the candidate closest to given (edit distance below 3), or "".
func nameSuggestion(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(given, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
