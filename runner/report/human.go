// Package report renders plans, results and SQL comparisons for people:
// Terraform-like text with diffs (Human, SQLComparison, ResultComparison,
// EndpointHint). Everything it prints from the service or the files is
// escaped and has sensitive values masked (see safe).
//
// It decides nothing: exit codes are main's, verdicts the runner's.
package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/spec"
	"github.com/c2q/c2q/spec/plural"
	"github.com/fatih/color"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Human writes Terraform-like text: a line per question as it finishes, the
// reasons and diffs of failures, and a summary line.
type Human struct {
	// Verbose also shows the checks that passed, each with why.
	Verbose bool

	w     io.Writer
	pal   palette
	width int // of the current session's longest question label, to align lines
}

// NewHuman returns a Human writing to w, in colour when useColor is set.
func NewHuman(w io.Writer, useColor bool) *Human {
	return &Human{w: w, pal: newPalette(useColor)}
}

type palette struct {
	pass, fail, err, skip, bold, faint, add, del, hunk func(a ...any) string
}

func newPalette(on bool) palette {
	c := func(attrs ...color.Attribute) func(a ...any) string {
		col := color.New(attrs...)
		if on {
			col.EnableColor()
		} else {
			col.DisableColor()
		}
		return col.SprintFunc()
	}
	return palette{
		pass: c(color.FgGreen), fail: c(color.FgRed, color.Bold), err: c(color.FgRed, color.Bold),
		skip: c(color.FgYellow), bold: c(color.Bold), faint: c(color.Faint),
		add: c(color.FgGreen), del: c(color.FgRed), hunk: c(color.FgCyan),
	}
}

// Plan describes what apply would do, offline.
func (h *Human) Plan(p *runner.Plan) {
	fmt.Fprintf(h.w, "c2q will ask %s in %s:\n", plural.Count(p.Questions(), "question"), plural.Count(len(p.Sessions), "session"))
	for _, sp := range p.Sessions {
		s := sp.Session
		fmt.Fprintf(h.w, "\n  %s %s\n", h.pal.add("+"), h.pal.bold(s.Address))
		fmt.Fprintf(h.w, "      cluster %s, database %s, name %s\n",
			sessionArg(s, "cluster_id", s.ClusterID, false), sessionArg(s, "database", s.Database, false), sessionArg(s, "name", s.Name, true))
		for i, qp := range sp.Questions {
			q := qp.Question
			fmt.Fprintf(h.w, "    %s %d. question %q %s\n", h.pal.add("+"), i+1, q.Label, h.pal.faint(fmt.Sprintf("(%s, timeout %s)", q.Mode, q.Timeout)))
			if qp.AskSensitive {
				fmt.Fprintf(h.w, "         ask: %s\n", sensitive)
			} else if qp.AskAfter != nil {
				fmt.Fprintf(h.w, "         ask: %s\n", h.pal.faint(knownAfter(qp.AskAfter)))
			} else {
				fmt.Fprintf(h.w, "         ask: %q\n", qp.Ask)
			}
			for _, c := range qp.Checks {
				switch {
				case c.Sensitive:
					fmt.Fprintf(h.w, "         %s: %s\n", c.Name, sensitive)
				case c.After != nil:
					fmt.Fprintf(h.w, "         %s: %s\n", c.Name, h.pal.faint(knownAfter(c.After)))
				case c.Name == "assert":
					fmt.Fprintf(h.w, "         assert at %s:%d\n", safe(s, c.Range.Filename), c.Range.Start.Line)
				case len(c.Expected) == 1 && !strings.HasSuffix(c.Name, "sql"):
					fmt.Fprintf(h.w, "         %s: %s\n", c.Name, safe(s, c.Expected[0]))
				case len(c.Expected) > 0:
					fmt.Fprintf(h.w, "         %s:\n", c.Name)
					for _, l := range c.Expected {
						fmt.Fprintf(h.w, "           %s\n", safe(s, l))
					}
				}
			}
		}
	}
	total, ai := p.MinRequests()
	fmt.Fprintf(h.w, "\nPlan: %s, %s; at least %s, %d of them AI requests.\n",
		plural.Count(len(p.Sessions), "session"), plural.Count(p.Questions(), "question"), plural.Count(total, "API request"), ai)
}

// SessionStarted implements runner.Observer.
func (h *Human) SessionStarted(sr *runner.SessionResult) {
	h.width = 0
	for _, qp := range sr.Plan.Questions {
		h.width = max(h.width, len(qp.Question.Label))
	}
	fmt.Fprintf(h.w, "%s\n", h.pal.bold(sr.Plan.Session.Address))
}

// QuestionDone implements runner.Observer: one line, then why it did not pass.
func (h *Human) QuestionDone(sr *runner.SessionResult, q *runner.QuestionResult) {
	s := sr.Plan.Session
	label := q.Plan.Question.Label
	var word string
	switch q.Status {
	case runner.Pass:
		word = h.pal.pass("pass ")
	case runner.Fail:
		word = h.pal.fail("FAIL ")
	case runner.Error:
		word = h.pal.err("ERROR")
	default:
		word = h.pal.skip("skip ")
	}
	line := fmt.Sprintf("  %s %-*s", word, h.width, label)
	if q.Status != runner.Skip {
		line += h.pal.faint(fmt.Sprintf("  %s", q.Duration.Round(time.Millisecond)))
	}
	if q.JobID != "" {
		line += h.pal.faint("  job " + safe(s, q.JobID))
	}
	fmt.Fprintln(h.w, strings.TrimRight(line, " "))

	if q.Plan.AskAfter != nil && q.Ask != "" && !q.Plan.AskSensitive {
		fmt.Fprintf(h.w, "        asked: %q\n", s.Redact(q.Ask))
	}
	if q.Err != nil {
		fmt.Fprintf(h.w, "        %s\n", safe(s, q.Err.Error()))
	}
	for _, c := range q.Checks {
		r := c.Check.Range
		if c.Status == runner.Pass {
			if h.Verbose {
				why := c.Message
				if c.Rule != "" {
					why += "; rule: " + c.Rule
				}
				fmt.Fprintf(h.w, "        %s %s: %s\n", h.pal.pass("✓"), c.Check.Name, h.pal.faint(safe(s, why)))
			}
			continue
		}
		fmt.Fprintf(h.w, "        %s at %s:%d: %s\n", c.Check.Name, safe(s, r.Filename), r.Start.Line, safe(s, c.Message))
		if c.Expected != nil || c.Actual != nil {
			h.diff(s, UnifiedDiff(c.Expected, c.Actual))
		}
		if c.Table != nil {
			h.diff(s, c.Table)
		}
		if c.Rule != "" {
			fmt.Fprintf(h.w, "          %s\n", h.pal.faint("rule: "+safe(s, c.Rule)))
		}
	}
}

// diff writes diff lines, coloured by their prefix.
func (h *Human) diff(s *spec.Session, lines []string) {
	for _, l := range lines {
		l = safe(s, l)
		switch {
		case strings.HasPrefix(l, "---") || strings.HasPrefix(l, "+++"):
			l = h.pal.bold(l)
		case strings.HasPrefix(l, "@@"):
			l = h.pal.hunk(l)
		case strings.HasPrefix(l, "-"):
			l = h.pal.del(l)
		case strings.HasPrefix(l, "+"):
			l = h.pal.add(l)
		}
		fmt.Fprintf(h.w, "          %s\n", l)
	}
}

// Summary writes the outputs, then the closing line: counts by status and
// requests spent.
func (h *Human) Summary(r *runner.Result) {
	if len(r.Outputs) > 0 {
		fmt.Fprintf(h.w, "\n%s\n", h.pal.bold("Outputs:"))
		for _, o := range r.Outputs {
			fmt.Fprintf(h.w, "  %s = %s\n", o.Output.Name, safe(nil, outputText(o)))
		}
	}
	for _, d := range r.OutputDiags {
		fmt.Fprintf(h.w, "%s %s: %s\n", h.pal.err("Error:"), safe(nil, d.Summary), safe(nil, d.Detail))
	}
	n := r.Counts()
	fmt.Fprintf(h.w, "\n%d passed, %d failed, %d errored, %d skipped; %s (%d AI) in %s.\n",
		n[runner.Pass], n[runner.Fail], n[runner.Error], n[runner.Skip],
		plural.Count(int(r.Requests), "API request"), r.AIRequests, r.Duration.Round(time.Millisecond))
}

// sensitive stands for what derives from a sensitive value.
const sensitive = "(sensitive value)"

// safe is how every text that comes from the service (SQL, reasons,
// descriptions, clarified tasks, column names and cells, error messages),
// or from the configuration, reaches the output: the texts of the
// configuration's sensitive values replaced by (sensitive value) (the
// service may repeat a sensitive ask), and control characters escaped
// (ESC as \x1b, a newline as \n, NUL as \x00; tabs stay), so that an
// answer cannot drive the terminal. s may be nil for text outside a
// session.
func safe(s *spec.Session, text string) string {
	return spec.EscapeText(s.Redact(text), false)
}

// sessionArg is a session's cluster_id, database or name as the plan
// shows it: (sensitive value) when it derives from one, else the text,
// quoted when quote is set.
func sessionArg(s *spec.Session, arg, value string, quote bool) string {
	switch {
	case s.Sensitive(arg):
		return sensitive
	case quote:
		return strconv.Quote(s.Redact(value))
	}
	return safe(s, value)
}

func knownAfter(questions []string) string {
	return "(known after " + strings.Join(questions, ", ") + ")"
}

// outputText renders an output value as HCL, hiding what must not be shown.
func outputText(o spec.OutputValue) string {
	switch {
	case o.Output.Sensitive:
		return sensitive
	case !o.Value.IsWhollyKnown():
		return "(not known: it needs an answer that did not come)"
	}
	return strings.TrimSpace(string(hclwrite.TokensForValue(o.Value).Bytes()))
}
