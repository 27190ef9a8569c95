package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/c2q/c2q/chat2query"
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
	Now      func() time.Time       // nil: time.Now
}

// Result is the record of one apply.
type Result struct {
	Sessions   []*SessionResult
	Requests   int64 // API requests spent
	AIRequests int   // of which questions asked: what the daily quota counts
	Duration   time.Duration
}

// SessionResult is the record of one session.
type SessionResult struct {
	Plan      *SessionPlan
	SessionID chat2query.Int64 // 0 when it could not be created
	Questions []*QuestionResult
}

// QuestionResult is the record of one question.
type QuestionResult struct {
	Plan     *QuestionPlan
	Status   Status
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
	for _, sp := range p.Sessions {
		sr := &SessionResult{Plan: sp}
		res.Sessions = append(res.Sessions, sr)
		opts.Observer.SessionStarted(sr)
		if abort == nil {
			abort = runSession(ctx, res, sr, opts)
		} else {
			skipRest(sr, opts, abort.Error())
		}
	}
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
		q := ask(ctx, sr.SessionID, qp, opts, &res.AIRequests)
		sr.Questions = append(sr.Questions, q)
		opts.Observer.QuestionDone(sr, q)
		if q.Status == Error {
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

func ask(ctx context.Context, sessionID chat2query.Int64, qp *QuestionPlan, opts Options, aiRequests *int) *QuestionResult {
	q := qp.Question
	r := &QuestionResult{Plan: qp}
	start := opts.Now()
	defer func() { r.Duration = opts.Now().Sub(start) }()

	*aiRequests++
	ref, err := opts.Client.SessionChat2Data(ctx, sessionID, chat2query.SessionChat2DataRequest{
		Question: q.Ask, SQLGenerateMode: chat2query.Mode(q.Mode),
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
	if job.Status == chat2query.JobFailed {
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
	r.Status = Pass
	for _, c := range qp.Checks {
		cr := c.eval(r.Answer)
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
