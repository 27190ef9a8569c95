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
	Wait     chat2query.WaitOptions // polling policy; each question's timeout is its own
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
	Requests    int64 // API requests spent
	AIRequests  int   // of which questions asked: what the daily quota counts
	Duration    time.Duration
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
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return e.Reason }

// Apply runs every session of p, one after another, each question in order
// in one Chat2Query session. A question that errors breaks its session's
// context, so the rest of that session is skipped; other sessions go on,
// unless the error means no request can succeed (bad credentials, quota
// spent) or ctx is done.
func Apply(ctx context.Context, p *Plan, opts Options) *Result {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	start := opts.Now()
	res := &Result{}
	var abort error
	var scopes []*spec.Scope
	for _, sp := range p.Sessions {
		sr := &SessionResult{Plan: sp, scope: p.Config.NewScope(sp.Session)}
		scopes = append(scopes, sr.scope)
		res.Sessions = append(res.Sessions, sr)
		opts.Observer.SessionStarted(sr)
		if abort == nil {
			abort = runSession(ctx, res, sr, opts)
		} else {
			skipRest(sr, opts, abort.Error())
		}
	}
	res.Outputs, res.OutputDiags = p.Config.EvalOutputs(scopes)
	res.Requests = opts.Client.Requests()
	res.Duration = opts.Now().Sub(start)
	return res
}

// runSession runs one session and returns an error when nothing more should
// be attempted in any session.
func runSession(ctx context.Context, res *Result, sr *SessionResult, opts Options) error {
	s := sr.Plan.Session
	sess, err := opts.Client.CreateSession(ctx, chat2query.CreateSessionRequest{
		ClusterID: s.ClusterID, Database: s.Database, Name: s.Name,
	})
	if err != nil {
		first := sr.Plan.Questions[0]
		q := &QuestionResult{Plan: first, Status: Error, Err: fmt.Errorf("creating the Chat2Query session: %w", err)}
		sr.Questions = append(sr.Questions, q)
		opts.Observer.QuestionDone(sr, q)
		skipRest(sr, opts, "the session could not be created")
		return fatal(ctx, err)
	}
	sr.SessionID = sess.SessionID
	for _, qp := range sr.Plan.Questions {
		q := ask(ctx, sr, qp, opts, &res.AIRequests)
		sr.Questions = append(sr.Questions, q)
		opts.Observer.QuestionDone(sr, q)
		// A question whose request or job failed breaks the conversation;
		// one whose check could not be evaluated has its answer, so the
		// session goes on.
		if q.Status == Error && q.Err != nil {
			skipRest(sr, opts, fmt.Sprintf("question %q errored, so this session's context is broken", qp.Question.Label))
			return fatal(ctx, q.Err)
		}
	}
	return nil
}

// skipRest records the questions of sr not yet run as skipped.
func skipRest(sr *SessionResult, opts Options, reason string) {
	for _, qp := range sr.Plan.Questions[len(sr.Questions):] {
		q := &QuestionResult{Plan: qp, Status: Skip, Err: &SkipError{Reason: reason}}
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

	*aiRequests++
	ref, err := opts.Client.SessionChat2Data(ctx, sr.SessionID, chat2query.SessionChat2DataRequest{
		Question: text, SQLGenerateMode: chat2query.Mode(q.Mode),
	})
	if err != nil {
		r.Status, r.Err = Error, fmt.Errorf("asking: %w", err)
		return r
	}
	r.JobID = ref.JobID
	wait := opts.Wait
	wait.Timeout = q.Timeout
	job, err := opts.Client.WaitJob(ctx, ref.JobID, wait)
	if err != nil {
		r.Status, r.Err = Error, fmt.Errorf("waiting for job %s: %w", ref.JobID, err)
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

// fatal returns err when it means that no later request can succeed.
func fatal(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: %w", context.Cause(ctx))
	}
	var apiErr *chat2query.APIError
	if errors.As(err, &apiErr) && (apiErr.Unauthorized() || apiErr.QuotaExhausted()) {
		return err
	}
	return nil
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
