package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/spec"
	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// finding is what a check found in an answer: whether the answer is as the
// check describes it, and why, in a line that is true either way, so that
// it explains a pass, a failure and, under not, the opposite verdict.
type finding struct {
	ok  bool
	why string
	// want is what the check expected, when why does not say it: it is
	// shown after a failure ("…, want LIMIT 3") and, under not, after a pass
	// ("…, not LIMIT 3").
	want string
	// err: the check could not judge (what it needs is missing), so it
	// errors; final: the answer cannot be judged (its SQL does not parse),
	// which fails the check with or without not.
	err, final bool
	// Expected and Actual are SQL layouts to diff; Table is a table diff and
	// Rule how rows were compared.
	expected, actual []string
	table            []string
	rule             string
}

// judge finds whether an answer is as want describes it. A judge of a list
// checked item by item gets the whole list and not, since "not" means none
// of the items; every other judge's finding is flipped under not.
type judge func(j *judging, want cty.Value) finding

// judging is one check's evaluation against one answer.
type judging struct {
	*env
	x   *spec.Expect
	not bool
}

// expectCheck compiles one check argument of an expect block.
func expectCheck(cfg *spec.Config, scope *spec.Scope, q *spec.Question, c spec.ExpectCheck) (*Check, hcl.Diagnostics) {
	x := q.Expect
	check := &Check{Name: c.Address(), Range: c.Expr.Range(), Sensitive: cfg.Sensitive(c.Expr)}
	v, diags := scope.Eval(q, c.Expr, nil)
	if diags.HasErrors() {
		return nil, diags
	}
	var known cty.Value
	if v.IsWhollyKnown() {
		var err error
		if known, err = convert.Convert(v, c.Type); err != nil || known.IsNull() {
			return nil, nil // spec reported it
		}
		if !check.Sensitive {
			check.Expected = planText(c.Name, known)
		}
	} else {
		check.After = spec.KnownAfter(q, c.Expr)
	}
	judge := judges[c.Name]
	itemwise := c.Name == "sql_any_of" || c.Name == "sql_contains" || c.Name == "contains_rows"
	check.eval = func(e *env) CheckResult {
		want := known
		if want == cty.NilVal {
			v, err := e.eval(c.Expr)
			if err == nil {
				want, err = convert.Convert(v, c.Type)
			}
			if err == nil && (want.IsNull() || !want.IsWhollyKnown()) {
				err = fmt.Errorf("the value is not known")
			}
			if err != nil {
				return CheckResult{Status: Error, Message: fmt.Sprintf("evaluating %s: %v", check.Name, err)}
			}
		}
		f := judge(&judging{env: e, x: x, not: c.Not}, want)
		return result(f, c.Not, !itemwise, check.Sensitive)
	}
	return check, nil
}

// result turns a finding into a verdict: flipped under not (unless the
// judge handled not itself), with the message a reader needs and nothing
// of a sensitive expectation.
func result(f finding, not, flip, sensitive bool) CheckResult {
	if f.err {
		if sensitive {
			return CheckResult{Status: Error, Message: "the check could not be evaluated; what it expects is sensitive, so the details are not shown"}
		}
		return CheckResult{Status: Error, Message: f.why}
	}
	ok := f.ok
	if not && flip && !f.final {
		ok = !ok
	}
	r := CheckResult{Status: Pass, Message: f.why}
	switch {
	case sensitive && !f.final: // a final finding is about the answer alone
		// What it expects derives from a secret: say only the verdict.
		r.Message = "the answer does not match the expected value, which is sensitive and not shown"
		if ok != not {
			r.Message = "the answer matches the expected value, which is sensitive and not shown"
		}
		f.expected, f.actual, f.table = nil, nil, nil
	case f.want != "" && ok && not:
		r.Message += ", not " + f.want
	case f.want != "" && !ok && !not:
		r.Message += ", want " + f.want
	}
	r.Rule = f.rule
	if !ok {
		r.Status, r.Expected, r.Actual, r.Table = Fail, f.expected, f.actual, f.table
	}
	return r
}

// errorFinding makes a check error rather than fail: what it needs is
// missing, which says nothing about the answer.
func errorFinding(format string, args ...any) finding {
	return finding{why: fmt.Sprintf(format, args...), err: true}
}

var judges = map[string]judge{
	"sql": func(j *judging, want cty.Value) finding {
		return j.sameSQL(want.AsString())
	},
	"sql_any_of": func(j *judging, want cty.Value) finding {
		sqls := strs(want)
		var closest finding
		for i, sql := range sqls {
			f := j.sameSQL(sql)
			if f.err {
				return f
			}
			if f.ok {
				f.ok = !j.not
				f.why = fmt.Sprintf("statement %d of %d: %s", i+1, len(sqls), f.why)
				return f
			}
			if i == 0 || distance(f) < distance(closest) {
				closest = f
				closest.why = fmt.Sprintf("none of the %d statements; the closest, statement %d: %s", len(sqls), i+1, f.why)
			}
		}
		closest.ok = j.not
		return closest
	},
	"sql_contains": func(j *judging, want cty.Value) finding {
		sql := strings.ToLower(answerSQL(j.answer))
		var in, out []string
		for _, s := range strs(want) {
			if strings.Contains(sql, strings.ToLower(s)) {
				in = append(in, strconv.Quote(s))
			} else {
				out = append(out, strconv.Quote(s))
			}
		}
		switch {
		case j.not && len(in) > 0:
			return finding{why: "the answer's SQL contains " + strings.Join(in, ", ")}
		case j.not:
			return finding{ok: true, why: "the answer's SQL contains none of " + strings.Join(out, ", ")}
		case len(out) > 0:
			return finding{why: "the answer's SQL does not contain " + strings.Join(out, ", ")}
		}
		return finding{ok: true, why: "the answer's SQL contains " + strings.Join(in, ", ")}
	},
	"sql_matches": func(j *judging, want cty.Value) finding {
		return matches("the answer's SQL", answerSQL(j.answer), want.AsString())
	},
	"clarified_task": func(j *judging, want cty.Value) finding {
		return matches("the clarified task", j.self.ClarifiedTask, want.AsString())
	},
	"description": func(j *judging, want cty.Value) finding {
		return matches("the description", j.self.Description, want.AsString())
	},
	"tables": func(j *judging, want cty.Value) finding {
		got, err := sqlmatch.Tables(answerSQL(j.answer))
		if err != nil {
			return unparsable(err)
		}
		w := strs(want)
		for i := range w {
			w[i] = strings.ToLower(w[i])
		}
		slices.Sort(w)
		w = slices.Compact(w)
		return finding{ok: slices.Equal(w, got), why: "the answer's SQL reads " + listText(got), want: listText(w)}
	},
	"read_only": func(j *judging, want cty.Value) finding {
		// The same guard that verify and the emulator run SQL behind.
		err := sqlmatch.CheckReadOnly(answerSQL(j.answer))
		var refused *sqlmatch.RefusedError
		if err != nil && !errors.As(err, &refused) {
			return unparsable(err)
		}
		if refused != nil && refused.Parse != nil {
			return unparsable(refused.Parse)
		}
		ro := err == nil
		f := finding{ok: ro == want.True(), why: "the answer's SQL only reads", want: "a statement that writes"}
		if !ro {
			f.why, f.want = "the answer's SQL is not read-only: "+refused.Error(), "a read-only one"
		}
		return f
	},
	"order_by": func(j *judging, want cty.Value) finding {
		w, err := sqlmatch.OrderBy(strs(want))
		if err != nil {
			return errorFinding("order_by: %v", err)
		}
		s, err := j.explain()
		if err != nil {
			return unparsable(err)
		}
		ok := len(w) == len(s.OrderBy)
		for i := 0; ok && i < len(w); i++ {
			ok = w[i].Desc == s.OrderBy[i].Desc && sqlmatch.SameExpr(w[i].Expr, s.OrderBy[i].Expr)
		}
		return finding{ok: ok, why: "the answer's SQL orders by " + orderText(s.OrderBy), want: orderText(w)}
	},
	"group_by": func(j *judging, want cty.Value) finding {
		w, err := sqlmatch.Exprs(strs(want))
		if err != nil {
			return errorFinding("group_by: %v", err)
		}
		s, err := j.explain()
		if err != nil {
			return unparsable(err)
		}
		// GROUP BY items are a set: their order does not change the groups.
		ok := len(w) == len(s.GroupBy)
		for _, item := range w {
			ok = ok && slices.ContainsFunc(s.GroupBy, func(g string) bool { return sqlmatch.SameExpr(item, g) })
		}
		got := "nothing"
		if len(s.GroupBy) > 0 {
			got = strings.Join(s.GroupBy, ", ")
		}
		return finding{ok: ok, why: "the answer's SQL groups by " + got, want: strings.Join(w, ", ") + " (in any order)"}
	},
	"limit": func(j *judging, want cty.Value) finding {
		n, _ := spec.WholeNumber(want)
		s, err := j.explain()
		if err != nil {
			return unparsable(err)
		}
		f := finding{why: "the answer's SQL has no constant LIMIT", want: fmt.Sprintf("LIMIT %d", n)}
		if s.Limit != nil {
			f.ok, f.why = int64(*s.Limit) == n, fmt.Sprintf("the answer's SQL has LIMIT %d", *s.Limit)
		}
		return f
	},
	"columns": func(j *judging, want cty.Value) finding {
		// Column names are case-insensitive in TiDB, as in rows matched by name.
		w, got := strs(want), j.self.Columns
		lower := func(l []string) []string {
			out := make([]string, len(l))
			for i, s := range l {
				out[i] = strings.ToLower(s)
			}
			return out
		}
		return finding{ok: sameSet(lower(w), lower(got)), why: "the answer's columns are " + listText(got), want: listText(w) + " (in any order)"}
	},
	"row_count": func(j *judging, want cty.Value) finding {
		n, _ := spec.WholeNumber(want)
		got := int64(len(j.self.Rows))
		return finding{ok: got == n, why: fmt.Sprintf("the answer has %d rows", got), want: strconv.FormatInt(n, 10)}
	},
	"rows": func(j *judging, want cty.Value) finding {
		return j.compareRows(want, false)
	},
	"contains_rows": func(j *judging, want cty.Value) finding {
		if !j.not {
			return j.compareRows(want, true)
		}
		// None of the rows: each is looked for on its own.
		var found []string
		var rule string
		for it := want.ElementIterator(); it.Next(); {
			_, row := it.Element()
			f := j.compareRows(cty.TupleVal([]cty.Value{row}), true)
			if f.err {
				return f
			}
			rule = f.rule
			if f.ok {
				found = append(found, strings.TrimSpace(rowText(row)))
			}
		}
		if len(found) > 0 {
			return finding{why: fmt.Sprintf("the answer has %d of the rows: %s", len(found), strings.Join(found, "; ")), rule: rule}
		}
		return finding{ok: true, why: "the answer has none of the rows", rule: rule}
	},
	"chart": func(j *judging, want cty.Value) finding {
		got := j.self.Chart
		f := finding{ok: strings.EqualFold(got, want.AsString()), why: fmt.Sprintf("the answer's chart is %q", got), want: strconv.Quote(want.AsString())}
		if got == "" {
			f.why = "the answer has no chart"
		}
		return f
	},
	"max_duration": func(j *judging, want cty.Value) finding {
		limit, _ := time.ParseDuration(want.AsString())
		got := j.self.Duration.Round(time.Millisecond)
		if j.self.Duration > limit {
			return finding{why: fmt.Sprintf("the answer took %s, more than %s", got, limit)}
		}
		return finding{ok: true, why: fmt.Sprintf("the answer took %s, within %s", got, limit)}
	},
}

// sameSQL compares the answer's SQL with want under the block's match mode.
func (j *judging) sameSQL(want string) finding {
	mode := j.x.Match
	wantLines, err := sqlmatch.Layout(want)
	if err != nil {
		return errorFinding("the expected SQL cannot be parsed: %v", err)
	}
	if mode == spec.MatchResult {
		return j.sameResult(want)
	}
	got := answerSQL(j.answer)
	gotLines, err := sqlmatch.Layout(got)
	if err != nil {
		f := unparsable(err)
		f.expected, f.actual = wantLines, []string{got}
		return f
	}
	equal, err := SameSQL(mode, want, got)
	if err != nil {
		return unparsable(err)
	}
	why := "the same canonical form"
	switch mode {
	case spec.MatchExact:
		why = "the same text"
	case spec.MatchFingerprint:
		fp, _ := sqlmatch.Fingerprint(want)
		why = "the same fingerprint, " + fp
	case spec.MatchComponents:
		why = "every clause matches"
	}
	if equal {
		return finding{ok: true, why: fmt.Sprintf("the answer's SQL is the expected SQL (match = %q): %s", mode, why)}
	}
	why = fmt.Sprintf("the answer's SQL differs from the expected SQL (match = %q)", mode)
	if sum, _ := sqlmatch.Summary(want, got); sum != "" {
		why += ": " + sum
	}
	return finding{why: why, expected: wantLines, actual: gotLines}
}

// SameSQL compares two statements under a match mode of expect other than
// "result".
func SameSQL(mode, want, got string) (bool, error) {
	switch mode {
	case spec.MatchExact:
		return strings.TrimSpace(want) == strings.TrimSpace(got), nil
	case spec.MatchFingerprint:
		fw, err := sqlmatch.Fingerprint(want)
		if err != nil {
			return false, err
		}
		fg, err := sqlmatch.Fingerprint(got)
		return fw == fg, err
	case spec.MatchComponents:
		equal, _, err := sqlmatch.Components(want, got)
		return equal, err
	case spec.MatchCanonical:
		return sqlmatch.Equal(want, got)
	}
	return false, fmt.Errorf("unknown match mode %q", mode)
}

// sameResult is execution accuracy: want is run on the verify database and
// its result compared with the answer's data.
func (j *judging) sameResult(want string) finding {
	if j.verify == nil {
		return errorFinding("match = \"result\" needs a database to run the expected SQL on: set verify { dsn = ... } or %s, or run with -emulator", spec.EnvVerifyDSN)
	}
	expected, err := j.verify.Query(j.ctx, j.database, want)
	if err != nil {
		return errorFinding("running the expected SQL: %v", err)
	}
	rules, err := j.rules(want)
	if err != nil {
		return errorFinding("%v", err)
	}
	v := resultset.Compare(expected, answerTable(j.answer), rules)
	return finding{ok: v.Equal, why: "the answer's data against the expected SQL's result: " + v.Reason, table: v.Diff, rule: v.Rule}
}

// compareRows compares the answer's data with rows written in the block.
func (j *judging) compareRows(want cty.Value, contains bool) finding {
	wantTable, byName := rowsTable(want)
	sql := ""
	if j.x.SQL != nil {
		v, err := j.eval(j.x.SQL)
		if err != nil {
			return errorFinding("evaluating the expected SQL for its ORDER BY: %v", err)
		}
		sql = v.AsString()
	}
	rules, err := j.rules(sql)
	if err != nil {
		return errorFinding("%v", err)
	}
	rules.ByName, rules.Contains = byName, contains
	v := resultset.Compare(wantTable, answerTable(j.answer), rules)
	return finding{ok: v.Equal, why: "the answer's data: " + v.Reason, table: v.Diff, rule: v.Rule}
}

// rules are the block's ordered and tolerance; unless ordered says, order
// matters when sql, the expected SQL, has an ORDER BY, as test-suite
// accuracy has it.
func (j *judging) rules(sql string) (resultset.Rules, error) {
	var r resultset.Rules
	if j.x.Ordered != nil {
		v, err := j.eval(j.x.Ordered)
		if err == nil {
			v, err = convert.Convert(v, cty.Bool)
		}
		if err != nil || v.IsNull() || !v.IsKnown() {
			return r, fmt.Errorf("evaluating expect.ordered: the value is not a known bool")
		}
		r.Ordered = v.True()
	} else if sql != "" {
		var err error
		if r.Ordered, err = OrderMatters(sql); err != nil {
			return r, err
		}
	}
	if j.x.Tolerance != nil {
		v, err := j.eval(j.x.Tolerance)
		if err != nil {
			return r, fmt.Errorf("evaluating expect.tolerance: %v", err)
		}
		if r.Abs, r.Rel, err = spec.ToleranceValue(v); err != nil {
			return r, err
		}
	}
	return r, nil
}

// OrderMatters reports whether row order matters when results are compared
// with those of the expected SQL: when it has an ORDER BY of its own (not
// only in a subquery), as test-suite accuracy has it.
func OrderMatters(expectedSQL string) (bool, error) {
	s, err := sqlmatch.Explain(expectedSQL)
	if err != nil {
		return false, fmt.Errorf("the expected SQL cannot be parsed: %v", err)
	}
	return len(s.OrderBy) > 0, nil
}

// answerTable is the answer's data as a result set.
func answerTable(a *chat2query.Answer) resultset.Table {
	var t resultset.Table
	if d := answerStep(a).Data; d != nil {
		for _, c := range d.Columns {
			t.Columns = append(t.Columns, c.Col)
		}
		t.Rows = d.Rows
	}
	return t
}

// rowsTable converts rows as written (spec.RowsShape has checked them): a
// list of lists is matched by position, a list of objects by column name.
func rowsTable(v cty.Value) (t resultset.Table, byName bool) {
	t.Rows = [][]any{}
	for it := v.ElementIterator(); it.Next(); {
		_, row := it.Element()
		if ty := row.Type(); ty.IsObjectType() || ty.IsMapType() {
			byName = true
			if t.Columns == nil {
				for cit := row.ElementIterator(); cit.Next(); {
					k, _ := cit.Element()
					t.Columns = append(t.Columns, k.AsString())
				}
			}
			cells := make([]any, len(t.Columns))
			for i, c := range t.Columns {
				if ty.IsObjectType() {
					cells[i] = cell(row.GetAttr(c))
				} else {
					cells[i] = cell(row.Index(cty.StringVal(c)))
				}
			}
			t.Rows = append(t.Rows, cells)
			continue
		}
		var cells []any
		for cit := row.ElementIterator(); cit.Next(); {
			_, c := cit.Element()
			cells = append(cells, cell(c))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, byName
}

func cell(v cty.Value) any {
	switch {
	case v.IsNull():
		return nil
	case v.Type() == cty.Number:
		// As written: a big.Float would print as 3.40721941e+12.
		return json.Number(v.AsBigFloat().Text('f', -1))
	case v.Type() == cty.Bool:
		return v.True()
	case v.Type() == cty.String:
		return v.AsString()
	}
	return fmt.Sprint(v.GoString())
}

// matches is a regular-expression check on a text of the answer.
func matches(what, text, pattern string) finding {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return errorFinding("the pattern is not a valid regular expression (RE2 syntax): %v", err)
	}
	shown := text
	if len(shown) > 120 {
		shown = shown[:117] + "..."
	}
	if re.MatchString(text) {
		return finding{ok: true, why: fmt.Sprintf("%s matches /%s/: %q", what, pattern, shown)}
	}
	return finding{why: fmt.Sprintf("%s does not match /%s/: %q", what, pattern, shown)}
}

func unparsable(err error) finding {
	return finding{why: "the answer's SQL cannot be parsed: " + err.Error(), final: true}
}

// distance is how far a failed SQL finding is from passing: the lines of
// its SQL or table diff that differ.
func distance(f finding) int {
	n := 0
	for _, l := range f.table {
		if strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "+ ") {
			n++
		}
	}
	count := map[string]int{}
	for _, l := range f.expected {
		count[l]++
	}
	for _, l := range f.actual {
		count[l]--
	}
	for _, c := range count {
		n += max(c, -c)
	}
	return n
}

func orderText(items []sqlmatch.OrderItem) string {
	if len(items) == 0 {
		return "nothing"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Expr
		if it.Desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

// planText is how plan shows what a check expects.
func planText(name string, v cty.Value) []string {
	v = unmarkDeep(v)
	switch name {
	case "sql":
		lines, _ := sqlmatch.Layout(v.AsString())
		return lines
	case "sql_any_of":
		var out []string
		for i, s := range strs(v) {
			c, _ := sqlmatch.Canonical(s)
			out = append(out, fmt.Sprintf("%d. %s", i+1, c))
		}
		return out
	case "rows", "contains_rows":
		n := v.LengthInt()
		if n == 1 {
			return []string{"1 row"}
		}
		return []string{fmt.Sprintf("%d rows", n)}
	case "sql_contains", "tables", "order_by", "group_by", "columns":
		return []string{listText(strs(v))}
	}
	switch v.Type() {
	case cty.String:
		return []string{strconv.Quote(v.AsString())}
	case cty.Number:
		return []string{v.AsBigFloat().Text('g', -1)}
	case cty.Bool:
		return []string{strconv.FormatBool(v.True())}
	}
	return nil
}

func rowText(row cty.Value) string {
	var parts []string
	for it := row.ElementIterator(); it.Next(); {
		k, c := it.Element()
		s := "NULL"
		if !c.IsNull() {
			s = fmt.Sprint(cell(c))
		}
		if k.Type() == cty.String {
			s = k.AsString() + " = " + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func strs(v cty.Value) []string {
	var out []string
	for _, s := range v.AsValueSlice() {
		out = append(out, s.AsString())
	}
	return out
}

func unmarkDeep(v cty.Value) cty.Value {
	v, _ = v.UnmarkDeep()
	return v
}
