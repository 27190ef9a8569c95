package emulator

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/c2q/c2q/chat2query"
	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"

	// The parser needs a value driver for literals.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
)

// POST /v3/refineSql (§10.1): {cluster_id, database, sql, feedback} ->
// {job_id, session_id}. The job rewrites the SQL following the feedback
// (see refine); feedback it does not understand, or SQL it cannot parse,
// ends the job "failed" with the reason. Like chat2data, the call opens a
// session, named after the feedback.
func (s *Server) refineSQL(r *http.Request) (any, error) {
	req, db, err := decodeFor[chat2query.RefineSQLRequest](s, r)
	switch {
	case err != nil:
		return nil, err
	case strings.TrimSpace(req.SQL) == "":
		return nil, paramError("sql is required")
	case strings.TrimSpace(req.Feedback) == "":
		return nil, paramError("feedback is required")
	}
	res, failure := refine(req.SQL, req.Feedback)
	var ref chat2query.JobRef
	s.locked(func() {
		ss := s.newSession(db, "Refine SQL: "+req.Feedback)
		j := s.newJob(kindProduce, db, req.Feedback, s.sample(req.Feedback))
		j.failure = failure
		j.produce = func(context.Context) (any, error) { return res, nil }
		ref = chat2query.JobRef{JobID: j.id, SessionID: chat2query.Int64(ss.id)}
	})
	return ref, nil
}

var (
	// feedbackLimit finds a row count: "limit 10", "limit it to 10",
	// "only 3 rows", "top 20", "show the first 5".
	feedbackLimit = regexp.MustCompile(`(?i)\b(?:limit|top|first|only)\b\D{0,20}?\b(\d+)\b`)
	feedbackAsc   = regexp.MustCompile(`(?i)\b(?:asc|ascending|increasing|(?:smallest|lowest|least|oldest) first|from (?:the )?(?:smallest|lowest|least|oldest))\b`)
	feedbackDesc  = regexp.MustCompile(`(?i)\b(?:desc|descending|decreasing|(?:largest|highest|biggest|greatest|most|newest) first|from (?:the )?(?:largest|highest|biggest|greatest|most|newest))\b`)
	feedbackFlip  = regexp.MustCompile(`(?i)\b(?:reverse|flip|invert|opposite)\b.*\border\b`)
)

// refine applies feedback to sql with TiDB's parser: a new LIMIT, or the
// ORDER BY direction (ascending, descending, reversed), or both. It returns
// the job result, or the reason the job fails.
func refine(sql, feedback string) (chat2query.RefineSQLResult, string) {
	p := parser.New()
	stmts, _, err := p.Parse(sql, "", "")
	if err != nil {
		return chat2query.RefineSQLResult{}, "Chat2Query could not refine the SQL: it does not parse: " + err.Error()
	}
	if len(stmts) != 1 {
		return chat2query.RefineSQLResult{}, fmt.Sprintf("Chat2Query could not refine the SQL: it holds %d statements; give one", len(stmts))
	}
	var limit **ast.Limit
	var order *ast.OrderByClause
	switch st := stmts[0].(type) {
	case *ast.SelectStmt:
		limit, order = &st.Limit, st.OrderBy
	case *ast.SetOprStmt:
		limit, order = &st.Limit, st.OrderBy
	default:
		return chat2query.RefineSQLResult{}, "Chat2Query could not refine the SQL: the emulator refines only SELECT statements"
	}

	var changes []string
	if m := feedbackLimit.FindStringSubmatch(feedback); m != nil {
		n, err := strconv.ParseUint(m[1], 10, 64)
		if err != nil || n == 0 {
			return chat2query.RefineSQLResult{}, fmt.Sprintf("Chat2Query could not refine the SQL: %q is not a usable row limit", m[1])
		}
		count := ast.NewValueExpr(n, "", "")
		if *limit == nil {
			*limit = &ast.Limit{Count: count}
			changes = append(changes, fmt.Sprintf("Added LIMIT %d so that at most %d rows are returned.", n, n))
		} else {
			old := restore((*limit).Count)
			(*limit).Count = count
			changes = append(changes, fmt.Sprintf("Changed the LIMIT from %s to %d.", old, n))
		}
	}
	asc, desc, flip := feedbackAsc.MatchString(feedback), feedbackDesc.MatchString(feedback), feedbackFlip.MatchString(feedback)
	if asc || desc || flip {
		switch {
		case asc && desc:
			return chat2query.RefineSQLResult{}, "Chat2Query could not refine the SQL: the feedback asks for both ascending and descending order"
		case order == nil || len(order.Items) == 0:
			return chat2query.RefineSQLResult{}, "Chat2Query could not refine the SQL: it has no ORDER BY whose direction could change; say which column to sort by"
		}
		for _, it := range order.Items {
			switch {
			case asc:
				it.Desc = false
			case desc:
				it.Desc = true
			default:
				it.Desc = !it.Desc
			}
		}
		dir := "ascending"
		switch {
		case desc:
			dir = "descending"
		case flip:
			dir = "reversed"
		}
		cols := make([]string, 0, len(order.Items))
		for _, it := range order.Items {
			cols = append(cols, restore(it.Expr))
		}
		changes = append(changes, fmt.Sprintf("Sorted by %s in %s order.", strings.Join(cols, ", "), dir))
		if flip && !asc && !desc {
			changes[len(changes)-1] = fmt.Sprintf("Reversed the order by %s.", strings.Join(cols, ", "))
		}
	}
	if len(changes) == 0 {
		return chat2query.RefineSQLResult{}, fmt.Sprintf("Chat2Query could not refine the SQL with the feedback %q: the emulator understands only a row limit "+
			"(\"limit 10\", \"top 3\") and the sort direction (\"ascending\", \"descending\", \"reverse the order\")", feedback)
	}
	out := restore(stmts[0])
	if strings.HasSuffix(strings.TrimSpace(sql), ";") {
		out += ";"
	}
	return chat2query.RefineSQLResult{RewrittenSQL: out, Solution: strings.Join(changes, " ")}, ""
}

// restore prints a node as TiDB does: upper-case keywords, back-quoted names.
func restore(n ast.Node) string {
	var b strings.Builder
	if err := n.Restore(format.NewRestoreCtx(format.DefaultRestoreFlags, &b)); err != nil {
		return fmt.Sprint(n)
	}
	return b.String()
}

// POST /v3/suggestQuestions (§10.2): {cluster_id, database} -> {job_id};
// the job's result is the array of Options.Suggestions (questions the
// built-in answer book answers, by default). Suggestions come from the data
// summary, so the call answers "not ready" like chat2data until the
// database's default summary is done.
func (s *Server) suggestQuestions(r *http.Request) (any, error) {
	_, db, err := decodeFor[chat2query.SuggestQuestionsRequest](s, r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(*catalog) (any, error) {
		if !s.summaryReady(db) {
			return nil, errNotReady
		}
		qs := slices.Clone(s.opts.Suggestions)
		if qs == nil {
			qs = []string{}
		}
		key := "suggest questions " + db
		j := s.newJob(kindProduce, db, key, s.sample(key))
		j.produce = func(context.Context) (any, error) { return qs, nil }
		return chat2query.JobRef{JobID: j.id}, nil
	})
}
