package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
)

// queryTimeout bounds one answer's SQL. Only v1 documents a timeout (30 s
// by default, §4); the emulator borrows it for v3.
const queryTimeout = 30 * time.Second

// jobKind says what a job computes when it is done.
type jobKind int

const (
	kindAnswer   jobKind = iota // v3 chat2data: a §7.3 answer from entry
	kindAnswerV2                // v2 chat2data: a §11.3 task tree from entry
	kindProduce                 // anything else: the result of produce
)

// job is one asynchronous request. Everything but the result is fixed at
// creation; the status is a function of the clock.
type job struct {
	id       string
	kind     jobKind
	database string
	question string
	mode     chat2query.Mode
	created  time.Time
	latency  time.Duration // drawn from Options.LatencyDist at creation
	// entry is what the answer book chose for a chat2data job; nil means
	// the book had no answer and the job ends "failed".
	entry *answerbook.Entry
	// produce computes a kindProduce job's result; a nil value is JSON null.
	produce func(ctx context.Context) (any, error)
	// failure, when set, makes the job end "failed" with it as the reason.
	failure string

	once      sync.Once       // computes the result the first time the job is seen done
	answer    json.RawMessage // the result, set by once
	answerErr error
}

// newJob registers a job created now that takes latency. key is the
// question, or what the job does ("data summary sp500insight"). Callers
// hold s.mu.
func (s *Server) newJob(kind jobKind, database, key string, latency time.Duration) *job {
	j := &job{id: newJobID(), kind: kind, database: database, question: key, created: s.opts.Now(),
		latency: max(latency, 0)}
	if kind != kindProduce && s.faults.failJob() { // chat2data only: Options.Faults.FailRate (faults.go)
		j.failure = injectedFailure
	}
	s.jobs.put(j.id, j, j.created)
	return j
}

// ask matches question in the session's context and records a job and a
// turn. The match happens now, not at completion, because it decides the
// context of the session's next question. Callers hold s.mu.
func (s *Server) ask(ss *session, question string, mode chat2query.Mode, fbAnswer, fbTask string) *job {
	now := s.opts.Now()
	j := s.newJob(kindAnswer, ss.database, question, s.sample(question))
	j.mode = mode
	if e := s.match(ss.database, question, ss.previous); e != nil {
		j.entry = e
		// An unanswerable question leaves the context as it was, so the
		// user can rephrase and still follow up on the last real answer.
		ss.previous = e.Label
	}
	ss.messages = append(ss.messages, message{
		JobID:            j.id,
		Question:         question,
		SQLGenerateMode:  string(mode),
		FeedbackAnswerID: fbAnswer,
		FeedbackTaskID:   fbTask,
		CreatedAt:        now.Unix(),
	})
	ss.updated = now
	return j
}

// sample draws the latency of a job for key from Options.LatencyDist; only
// jobs that take the configured latency call it, once each, so that a
// seeded distribution gives the same latencies to the same requests.
func (s *Server) sample(key string) time.Duration {
	return max(s.opts.LatencyDist.Sample(key), 0)
}

// newJobID returns 32 lowercase hex characters, the shape of real job ids (§2).
func newJobID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// status is the job's status at now: "init" for the first tenth of its
// latency, "running" for the rest, then "done" or "failed".
func (j *job) status(now time.Time) string {
	elapsed, latency := now.Sub(j.created), j.latency
	switch {
	case elapsed >= latency:
		if j.reason() != "" {
			return chat2query.JobFailed
		}
		return chat2query.JobDone
	case elapsed < latency/10:
		return chat2query.JobInit
	default:
		return chat2query.JobRunning
	}
}

// reason is why the job fails, "" when it does not.
func (j *job) reason() string {
	switch {
	case j.failure != "":
		return j.failure
	case j.kind != kindProduce && j.entry == nil:
		return fmt.Sprintf("Chat2Query could not generate SQL for this question: "+
			"the emulator's answer book has no entry matching %q", j.question)
	}
	return ""
}

// GET /v2/jobs/{job_id} (§5).
func (s *Server) getJob(r *http.Request) (any, error) {
	var j *job
	var ok bool
	s.locked(func() { j, ok = s.jobs.get(r.PathValue("id"), s.opts.Now()) })
	if !ok {
		// Undocumented (§15.8); 404 in the v3 envelope, like a session.
		// An expired or evicted job is answered the same way.
		return nil, errJobNotFound
	}
	out := chat2query.Job{JobID: j.id, Status: j.status(s.opts.Now())}
	switch out.Status {
	case chat2query.JobDone:
		out.EndedAt = chat2query.Int64(j.created.Add(j.latency).Unix())
		// The SQL runs outside s.mu and without the request's cancellation:
		// its outcome is cached for every later poll, so one impatient
		// client must not turn it into a permanent "context canceled".
		ans, err := j.result(context.WithoutCancel(r.Context()), s.opts.DB)
		if err != nil {
			return nil, err
		}
		out.Result = ans
	case chat2query.JobFailed:
		out.EndedAt = chat2query.Int64(j.created.Add(j.latency).Unix())
		out.Reason = j.reason()
	}
	return out, nil
}

// result computes the job's result once, at the first poll that sees the
// job done, and caches it encoded: a job nobody polls costs nothing, and
// every poll after that sees the same rows.
func (j *job) result(ctx context.Context, db Querier) (json.RawMessage, error) {
	j.once.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, queryTimeout)
		defer cancel()
		defer func() {
			// A panic (in the Querier, say) would otherwise leave the
			// job "done" with no result for every later poll: it fails
			// them all with a 500 instead, and front reports this one.
			if v := recover(); v != nil {
				j.answer, j.answerErr = nil, fmt.Errorf("computing the result of job %s panicked: %v", j.id, v)
				panic(v)
			}
		}()
		var v any
		switch j.kind {
		case kindAnswer:
			a := retrieval(ctx, db, j.database, j.question, j.entry)
			if j.mode == chat2query.ModeAutoBreakdown {
				v = breakdown(j.question, j.entry, a)
			} else {
				v = a
			}
		case kindAnswerV2:
			v = taskTree(j, retrieval(ctx, db, j.database, j.question, j.entry))
		case kindProduce:
			if v, j.answerErr = j.produce(ctx); j.answerErr != nil {
				return
			}
		}
		j.answer, j.answerErr = marshal(v)
	})
	return j.answer, j.answerErr
}

// retrieval runs the entry's SQL and builds a data_retrieval answer (§7.3).
// An SQL error keeps the job "done": the service generated SQL, it just did
// not run, which real answers report in sql_error with data and
// chart_options null (nothing to draw).
func retrieval(ctx context.Context, db Querier, database, question string, e *answerbook.Entry) chat2query.Answer {
	a := chat2query.Answer{
		Type:          "data_retrieval",
		TaskID:        "0",
		Status:        chat2query.JobDone,
		ClarifiedTask: e.ClarifiedTask,
		Description:   e.Description,
		SQL:           e.SQL,
		Assumptions:   assumptions(e),
	}
	if a.ClarifiedTask == "" {
		a.ClarifiedTask = question
	}
	res, err := db.Query(ctx, database, e.SQL)
	if err != nil {
		msg := err.Error()
		a.SQLError = &msg
		return a
	}
	data := &chat2query.Data{Columns: make([]chat2query.Column, 0, len(res.Columns)), Rows: make([][]any, 0, len(res.Rows))}
	for _, c := range res.Columns {
		data.Columns = append(data.Columns, chat2query.Column{Col: c})
	}
	for _, row := range res.Rows {
		out := make([]any, len(row))
		for i, v := range row {
			out[i] = cell(v)
		}
		data.Rows = append(data.Rows, out)
	}
	a.Data = data
	// Without a chart block the book draws a Table of every column, like
	// the docs' example answer.
	c := e.ChartFor(res.Columns)
	if c.Title == "" {
		c.Title = a.ClarifiedTask
	}
	a.ChartOptions = &chat2query.ChartOptions{ChartName: c.Name, Title: c.Title, Option: c.Option}
	return a
}

// breakdownAnswer is the root of an auto_breakdown answer (§7.3): unlike a
// data_retrieval answer it has no SQL, data or chart of its own.
type breakdownAnswer struct {
	Type          string                  `json:"type"`
	TaskID        string                  `json:"task_id"`
	Status        string                  `json:"status"`
	ClarifiedTask string                  `json:"clarified_task"`
	Description   string                  `json:"description"`
	Assumptions   []chat2query.Assumption `json:"assumptions"`
	SubTasks      []chat2query.Answer     `json:"sub_tasks"`
}

// breakdown wraps a data_retrieval answer as the single sub-task "0-0" of a
// "breakdown" root, the auto_breakdown shape TiInsight renders (§7.3).
func breakdown(question string, e *answerbook.Entry, sub chat2query.Answer) breakdownAnswer {
	sub.TaskID = "0-0"
	root := breakdownAnswer{
		Type:          "breakdown",
		TaskID:        "0",
		Status:        chat2query.JobDone,
		ClarifiedTask: sub.ClarifiedTask,
		Description:   e.Description,
		Assumptions:   assumptions(e),
		SubTasks:      []chat2query.Answer{sub},
	}
	if root.ClarifiedTask == "" {
		root.ClarifiedTask = question
	}
	return root
}

// assumptions never returns nil: the docs show [] for none, not null.
func assumptions(e *answerbook.Entry) []chat2query.Assumption {
	out := make([]chat2query.Assumption, 0, len(e.Assumptions))
	for _, a := range e.Assumptions {
		out = append(out, chat2query.Assumption{Concept: a.Concept, Explanation: a.Explanation})
	}
	return out
}

// cell renders one result value as text, like the docs' example rows
// ([["1"]]) and the MySQL text protocol; NULL stays JSON null. Row value
// typing is an open question (§15.7); strings never lose precision.
func cell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int:
		return strconv.FormatInt(int64(x), 10)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case uint8:
		return strconv.FormatUint(uint64(x), 10)
	case uint16:
		return strconv.FormatUint(uint64(x), 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float32:
		return formatFloat(float64(x), 32)
	case float64:
		return formatFloat(x, 64)
	case time.Time:
		if x.Nanosecond() != 0 {
			return x.Format("2006-01-02 15:04:05.999999")
		}
		return x.Format(time.DateTime)
	case fmt.Stringer: // decimal.Decimal and friends
		return x.String()
	}
	return fmt.Sprint(v)
}

// formatFloat prints plain decimals (123.45, not 1.2345e+02) in the range
// people read, and exponents only beyond it, as MySQL does.
func formatFloat(f float64, bits int) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e15) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}
