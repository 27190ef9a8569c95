package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner/verify"
	"github.com/c2q/c2q/spec"
	"github.com/hashicorp/hcl/v2"
)

// Client is what the runner needs of Chat2Query; *chat2query.Client has it.
type Client interface {
	CreateSession(ctx context.Context, req chat2query.CreateSessionRequest) (*chat2query.Session, error)
	SessionChat2Data(ctx context.Context, sessionID chat2query.Int64, req chat2query.SessionChat2DataRequest) (*chat2query.JobRef, error)
	WaitJob(ctx context.Context, jobID string, opts chat2query.WaitOptions) (*chat2query.Job, error)
	Requests() int64
}

// Observer hears of progress as it happens; the runner never prints.
type Observer interface {
	SessionStarted(*SessionResult)
	QuestionDone(*SessionResult, *QuestionResult)
}

// Options configure Apply.
type Options struct {
	Client   Client
	Observer Observer               // nil: nobody listens
	Wait     chat2query.WaitOptions // polling policy; each question's timeout is its own (see Apply)
	// Verify runs expected SQL for match = "result"; nil when there is no
	// database, which errors those checks.
	Verify verify.Querier
	Now    func() time.Time // nil: time.Now
}

// Result is the record of one apply.
type Result struct {
	Sessions []*SessionResult
	// Outputs are the configuration's outputs, evaluated after the run; a
	// value that needs an unanswered question is unknown.
	Outputs     []spec.OutputValue
	OutputDiags hcl.Diagnostics
	// Requests is Client.Requests() at the end: with *chat2query.Client,
	// every HTTP request that reached the service (retries, polls, digest
	// challenges and the HTTP transport's own resends included).
	Requests   int64
	AIRequests int // of which questions asked: what the daily quota counts
	Duration   time.Duration
	// Interrupted reports a run whose context was canceled (Ctrl-C): the
	// question in flight errored with ErrInterrupted, and the questions
	// not asked are skipped as interrupted.
	Interrupted bool
}

// SessionResult is the record of one session.
type SessionResult struct {
	Plan      *SessionPlan
	SessionID chat2query.Int64 // 0 when it could not be created
	Questions []*QuestionResult
	scope     *spec.Scope // the answers so far, for references to them
}

// QuestionResult is the record of one question.
type QuestionResult struct {
	Plan     *QuestionPlan
	Status   Status
	Ask      string // the text asked
	JobID    string
	Duration time.Duration // from asking to noticing the answer
	Answer   *chat2query.Answer
	Checks   []CheckResult
	Err      error // why it errored or was skipped
}

// Status is the merged status of every question of r.
func (r *Result) Status() Status {
	s := Pending
	for _, sr := range r.Sessions {
		for _, q := range sr.Questions {
			s = s.Merge(q.Status)
		}
	}
	return s
}

// Counts returns how many questions ended in each status.
func (r *Result) Counts() map[Status]int {
	n := map[Status]int{}
	for _, sr := range r.Sessions {
		for _, q := range sr.Questions {
			n[q.Status]++
		}
	}
	return n
}

// SkipError explains why a question was not asked.
type SkipError struct {
	Reason string
	// Cause is what stopped the run, when something did: ErrInterrupted,
	// or the error that no request can succeed after (bad credentials,
	// the daily quota); nil when only the session's context broke.
	Cause error
}

func (e *SkipError) Error() string { return e.Reason }

// Unwrap returns Cause.
func (e *SkipError) Unwrap() error { return e.Cause }

// ErrInterrupted marks what a canceled run did not finish: the question
// in flight errors with it ("interrupted while waiting for job X"), and the
// questions not asked are skipped with it as their SkipError's Cause.
var ErrInterrupted = errors.New("interrupted")

// QuestionTimeoutError is a question that reached its timeout, which
// bounds everything the question does through the API: asking (the POST,
// its retries and waits) and every poll of its job. Creating a session is
// bounded by the timeout of its first question.
type QuestionTimeoutError struct {
	Question string        // the question's label
	Timeout  time.Duration // the question's timeout
	// Doing says what the question was doing when the timeout came, e.g.
	// "job abc still running after 12 polls", "POST
	// /v3/sessions/1/chat2data got no complete response".
	Doing   string
	Session bool  // the timeout came while creating the session
	Err     error // the client's error
}

func (e *QuestionTimeoutError) Error() string {
	if e.Session {
		return fmt.Sprintf("creating the Chat2Query session: no answer within the %s timeout of question %s (%s)", e.Timeout, e.Question, e.Doing)
	}
	return fmt.Sprintf("question %s: no answer within the %s timeout (%s)", e.Question, e.Timeout, e.Doing)
}

// Unwrap returns the client's error.
func (e *QuestionTimeoutError) Unwrap() error { return e.Err }

// Apply runs every session of p, one after another, each question in order
// in one Chat2Query session. A question that errors breaks its session's
// context, so the rest of that session is skipped; other sessions go on,
// unless the error means no request can succeed (bad credentials, quota
// spent: nothing more is asked) or ctx is done (the rest is skipped as
// interrupted).
//
// Each question's timeout is a deadline over all it does through the API:
// the POST that asks it, its retries and waits, and every poll of its job,
// a poll in flight or a response body that stalls included. Past it the
// question errors with a *QuestionTimeoutError, never passes. Creating a
// session is bounded by its first question's timeout, and every request by
// the client's own request timeout besides.
func Apply(ctx context.Context, p *Plan, opts Options) *Result {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	start := opts.Now()
	res := &Result{}
	var abort *SkipError
	var scopes []*spec.Scope
	for _, sp := range p.Sessions {
		sr := &SessionResult{Plan: sp, scope: p.Config.NewScope(sp.Session)}
		scopes = append(scopes, sr.scope)
		res.Sessions = append(res.Sessions, sr)
		opts.Observer.SessionStarted(sr)
		if abort == nil && ctx.Err() != nil {
			abort = interrupted()
		}
		if abort == nil {
			abort = runSession(ctx, res, sr, opts)
		} else {
			skipRest(sr, opts, abort)
		}
	}
	res.Interrupted = ctx.Err() != nil
	res.Outputs, res.OutputDiags = p.Config.EvalOutputs(scopes)
	res.Requests = opts.Client.Requests()
	res.Duration = opts.Now().Sub(start)
	return res
}

// interrupted is the skip of a question that a canceled run did not ask.
func interrupted() *SkipError {
	return &SkipError{Reason: "interrupted", Cause: ErrInterrupted}
}

// runSession runs one session and returns why nothing more should be
// attempted in any session, or nil.
func runSession(ctx context.Context, res *Result, sr *SessionResult, opts Options) *SkipError {
	s := sr.Plan.Session
	first := sr.Plan.Questions[0]
	sctx, cancel := context.WithTimeout(ctx, first.Question.Timeout)
	sess, err := opts.Client.CreateSession(sctx, chat2query.CreateSessionRequest{
		ClusterID: s.ClusterID, Database: s.Database, Name: s.Name,
	})
	cancel()
	if err != nil {
		q := &QuestionResult{Plan: first, Status: Error}
		switch {
		case ctx.Err() != nil:
			q.Err = fmt.Errorf("%w while creating the Chat2Query session", ErrInterrupted)
		case isTimeout(err):
			q.Err = &QuestionTimeoutError{Question: first.Question.Label, Timeout: first.Question.Timeout, Doing: activity(err), Session: true, Err: err}
		default:
			q.Err = fmt.Errorf("creating the Chat2Query session: %w", err)
		}
		sr.Questions = append(sr.Questions, q)
		opts.Observer.QuestionDone(sr, q)
		stop := fatal(ctx, err)
		if stop != nil {
			skipRest(sr, opts, stop)
		} else {
			skipRest(sr, opts, &SkipError{Reason: "the session could not be created"})
		}
		return stop
	}
	sr.SessionID = sess.SessionID
	for _, qp := range sr.Plan.Questions {
		if ctx.Err() != nil {
			skipRest(sr, opts, interrupted())
			return interrupted()
		}
		q := ask(ctx, sr, qp, opts, &res.AIRequests)
		sr.Questions = append(sr.Questions, q)
		opts.Observer.QuestionDone(sr, q)
		// A question whose request or job failed breaks the conversation;
		// one whose check could not be evaluated has its answer, so the
		// session goes on.
		if q.Status == Error && q.Err != nil {
			if stop := fatal(ctx, q.Err); stop != nil {
				skipRest(sr, opts, stop)
				return stop
			}
			skipRest(sr, opts, &SkipError{Reason: fmt.Sprintf("question %q errored, so this session's context is broken", qp.Question.Label)})
			return nil
		}
	}
	return nil
}

// skipRest records the questions of sr not yet run as skipped.
func skipRest(sr *SessionResult, opts Options, why *SkipError) {
	for _, qp := range sr.Plan.Questions[len(sr.Questions):] {
		q := &QuestionResult{Plan: qp, Status: Skip, Err: why}
		sr.Questions = append(sr.Questions, q)
		opts.Observer.QuestionDone(sr, q)
	}
}

func ask(ctx context.Context, sr *SessionResult, qp *QuestionPlan, opts Options, aiRequests *int) *QuestionResult {
	q := qp.Question
	r := &QuestionResult{Plan: qp}
	text, err := askText(sr.scope, qp)
	if err != nil {
		r.Status, r.Err = Error, err
		return r
	}
	r.Ask = text
	start := opts.Now()
	defer func() { r.Duration = opts.Now().Sub(start) }()

	// The question's deadline: the API calls below use qctx; the checks
	// (and verify's queries, with their own timeout) use ctx.
	qctx, cancel := context.WithTimeout(ctx, q.Timeout)
	defer cancel()
	timeout := func(err error) error {
		return &QuestionTimeoutError{Question: q.Label, Timeout: q.Timeout, Doing: activity(err), Err: err}
	}

	*aiRequests++
	ref, err := opts.Client.SessionChat2Data(qctx, sr.SessionID, chat2query.SessionChat2DataRequest{
		Question: text, SQLGenerateMode: chat2query.Mode(q.Mode),
	})
	if err != nil {
		r.Status = Error
		switch {
		case ctx.Err() != nil:
			r.Err = fmt.Errorf("%w while asking", ErrInterrupted)
		case isTimeout(err):
			r.Err = timeout(err)
		default:
			r.Err = fmt.Errorf("asking: %w", err)
		}
		return r
	}
	r.JobID = ref.JobID
	wait := opts.Wait
	wait.Timeout = q.Timeout
	job, err := opts.Client.WaitJob(qctx, ref.JobID, wait)
	if err != nil {
		r.Status = Error
		switch {
		case ctx.Err() != nil:
			r.Err = fmt.Errorf("%w while waiting for job %s", ErrInterrupted, ref.JobID)
		case isTimeout(err):
			r.Err = timeout(err)
		default:
			// WaitJob's own errors name the poll, not the job.
			r.Err = fmt.Errorf("waiting for job %s: %w", ref.JobID, err)
		}
		return r
	}
	if expectFailed := q.Expect != nil && q.Expect.Status == chat2query.JobFailed; expectFailed || job.Status == chat2query.JobFailed {
		// expect { status = "failed" }: the failure is the expected answer
		// and an answer is a failed check; nothing else is checked.
		if expectFailed {
			r.Status = Fail
			msg := "the job answered, want it to fail"
			if job.Status == chat2query.JobFailed {
				r.Status, msg = Pass, "the job failed, as expected"
			}
			r.Checks = append(r.Checks, CheckResult{Check: &Check{Name: "expect.status", Range: q.Expect.DeclRange}, Status: r.Status, Message: msg})
			return r
		}
		reason := job.Reason
		if reason == "" {
			reason = "no reason given"
		}
		r.Status, r.Err = Error, &JobFailedError{JobID: job.JobID, Reason: reason}
		return r
	}
	if r.Answer, err = job.Answer(); err != nil {
		r.Status, r.Err = Error, err
		return r
	}
	self := specAnswer(r.Answer, job, opts.Now().Sub(start))
	sr.scope.SetAnswer(q.Label, self)
	e := &env{ctx: ctx, q: q, scope: sr.scope, answer: r.Answer, self: self, verify: opts.Verify, database: sr.Plan.Session.Database}
	r.Status = Pass
	for _, c := range qp.Checks {
		cr := c.eval(e)
		cr.Check = c
		r.Checks = append(r.Checks, cr)
		r.Status = r.Status.Merge(cr.Status)
	}
	return r
}

// JobFailedError is a Chat2Query job that ended "failed".
type JobFailedError struct{ JobID, Reason string }

func (e *JobFailedError) Error() string {
	return fmt.Sprintf("Chat2Query job %s failed: %s", e.JobID, e.Reason)
}

// fatal returns why nothing more should be asked after err: the run was
// interrupted, or no later request can succeed (bad credentials, the daily
// quota spent); nil otherwise.
func fatal(ctx context.Context, err error) *SkipError {
	if ctx.Err() != nil {
		return interrupted()
	}
	var apiErr *chat2query.APIError
	switch {
	case errors.Is(err, chat2query.ErrAuth), errors.As(err, &apiErr) && apiErr.Unauthorized():
		return &SkipError{Reason: "not asked: authentication failed (see the first error)", Cause: err}
	case errors.As(err, &apiErr) && apiErr.QuotaExhausted():
		return &SkipError{Reason: "not asked: the daily AI request quota is exhausted", Cause: err}
	}
	return nil
}

// isTimeout reports a call that a deadline ended: its context's (the
// question's timeout), or WaitOptions.Timeout. The client's own request
// timeout is not one: it is reported as the network error it is.
func isTimeout(err error) bool {
	var te *chat2query.TimeoutError
	var ce *chat2query.ContextError
	return errors.As(err, &te) || errors.As(err, &ce) && errors.Is(ce.Err, context.DeadlineExceeded)
}

// activity says what a call that its deadline ended was doing.
func activity(err error) string {
	var te *chat2query.TimeoutError
	if errors.As(err, &te) {
		return te.State()
	}
	var ce *chat2query.ContextError
	if errors.As(err, &ce) {
		return ce.Activity()
	}
	return err.Error()
}

type nopObserver struct{}

func (nopObserver) SessionStarted(*SessionResult)                {}
func (nopObserver) QuestionDone(*SessionResult, *QuestionResult) {}

// askText is the question's text: known at plan time, or evaluated now that
// the answers it refers to are in.
func askText(scope *spec.Scope, qp *QuestionPlan) (string, error) {
	if qp.AskAfter == nil {
		return qp.Ask, nil
	}
	text, known, diags := scope.AskText(qp.Question)
	if diags.HasErrors() {
		return "", fmt.Errorf("evaluating ask: %w", diagsError(diags))
	}
	if !known {
		return "", fmt.Errorf("evaluating ask: it needs %s, which has no answer", strings.Join(qp.AskAfter, ", "))
	}
	return text, nil
}

// specAnswer is what references to the answer see.
func specAnswer(a *chat2query.Answer, job *chat2query.Job, d time.Duration) *spec.Answer {
	sa := &spec.Answer{
		SQL:           answerSQL(a),
		ClarifiedTask: a.ClarifiedTask,
		Description:   a.Description,
		Chart:         chartName(answerStep(a).ChartOptions),
		JobID:         job.JobID,
		Status:        job.Status,
		Duration:      d,
	}
	if data := answerStep(a).Data; data != nil {
		for _, c := range data.Columns {
			sa.Columns = append(sa.Columns, c.Col)
		}
		sa.Rows = data.Rows
	}
	return sa
}

func chartName(c *chat2query.ChartOptions) string {
	if c == nil {
		return ""
	}
	return c.ChartName
}
