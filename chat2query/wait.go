package chat2query

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// The polling policy. Polls may count against a Data App's 100 requests a
// day, so WaitJob spends few of them and still notices a finished job soon
// after it finishes. Poll times are fixed in advance, from the call of
// WaitJob, with T = Typical, I = Interval, M = MaxInterval, m = Multiplier
// and every wait after the first poll multiplied by a jitter factor j
// uniform in [1-Jitter, 1+Jitter]:
//
//	no hint:  t1 = 0.7 T                  (T = 4 s: the docs' answers took 3.05 s and 3.85 s)
//	          t(k+1) = t(k) + min(I m^(k-1), M) j      (I = T/5, m = 1.2, M = 1.25 T)
//	hint h:   t1 = 1.05 h
//	          t(k+1) = t(k) + min(h/16 × 1.15^(k-1), M) j   while t(k) < 1.5 h,
//	          then as without a hint, from max(I, the last step)
//
// Without a hint a job's duration is taken to be log-normal around T: the
// first poll comes before the median, so that short jobs are not noticed
// too late, and the waits grow by about a fifth of the time waited. A hint
// (the duration of the same question's last run, which varies by about
// ±30 % between runs) is trusted: the first poll comes just after it, where
// most jobs are done, and short steps cover the rest of its window. A job
// still running past 1.5 h was mispredicted, and is waited for as without a
// hint. BenchmarkWaitJob measures the policy; its figures are in the README.
const (
	defaultTypical        = 4 * time.Second
	firstPollShare        = 0.7  // first poll without a hint, × Typical
	intervalShare         = 0.2  // default Interval, × Typical
	maxIntervalShare      = 1.25 // default MaxInterval, × Typical
	defaultMultiplier     = 1.2
	defaultJitter         = 0.1
	defaultMaxPollErrors  = 1
	hintFirst             = 1.05     // first poll with a hint, × the hint
	hintStep              = 1.0 / 16 // first step after it, × the hint
	hintGrowth            = 1.15     // each later step, × the previous one
	hintWindow            = 1.5      // steps stay short until this, × the hint
	minWait               = time.Microsecond
	maxLastCallMargin     = time.Second // the last poll before a deadline comes at most this early
	maxScheduledPollsSkip = 1 << 16     // bounds the catch-up loop of a schedule
)

// WaitOptions tunes WaitJob. Zero fields take the defaults given.
type WaitOptions struct {
	// FirstPoll is a hint: how long this job is expected to take, such as
	// the duration of the same question's last run. With a hint the first
	// poll comes at 1.05×FirstPoll (a little late costs less than a second
	// poll), the next ones at steps of FirstPoll/16 growing ×1.15 until
	// 1.5×FirstPoll; a job still running then was mispredicted, and the
	// waits go on growing from Interval (or the last step, if longer) as
	// without a hint.
	//
	// Zero means no hint: the first poll comes at 0.7×Typical. Negative
	// polls at once. Either way the next waits start at Interval.
	FirstPoll time.Duration
	// Typical is how long a job typically takes when there is no hint
	// (default 4s). It scales the defaults of the no-hint policy.
	Typical time.Duration
	// Interval is the wait after the first poll without a hint (default
	// Typical/5, 0.8s); each later wait is Multiplier times the previous one
	// (default 1.2, at least 1), up to MaxInterval (default 1.25×Typical,
	// 5s), which also caps the short steps after a hint.
	Interval    time.Duration
	MaxInterval time.Duration
	Multiplier  float64
	// Jitter spreads every wait after the first poll by a random factor in
	// [1-Jitter, 1+Jitter] (default 0.1, at most 1; negative: none), so that
	// clients started together do not poll together.
	Jitter float64
	// Rand returns the uniform numbers in [0, 1) that Jitter uses (default
	// math/rand/v2's Float64). Set it, for instance to a seeded
	// rand.Rand's Float64, to make the schedule reproducible; it must be
	// safe for concurrent use if the options are shared between goroutines.
	Rand func() float64
	// Timeout bounds the whole wait; 0 means only ctx bounds it. It is
	// checked between polls (the last wait is shortened to end at the
	// deadline); a poll in flight is bounded by ctx and the request timeout
	// (see WithRequestTimeout). Give ctx a deadline to bound the polls too.
	Timeout time.Duration
	// MaxPollErrors is how many consecutive polls may fail with a network
	// error or a temporary API error (5xx, 408, per-minute 429) before
	// WaitJob gives up (default 1; negative: give up on the first). Each
	// poll is a GET that the client already retries, so a larger value
	// multiplies the requests a failing service costs.
	MaxPollErrors int
	// Progress, if set, is called with every successfully polled job,
	// including the final one.
	Progress func(*Job)
}

func (o WaitOptions) withDefaults() WaitOptions {
	if o.Typical <= 0 {
		o.Typical = defaultTypical
	}
	if o.Interval <= 0 {
		o.Interval = max(scale(o.Typical, intervalShare), minWait)
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = max(scale(o.Typical, maxIntervalShare), minWait)
	}
	if o.MaxInterval < o.Interval {
		o.MaxInterval = o.Interval
	}
	switch {
	case o.Multiplier == 0:
		o.Multiplier = defaultMultiplier
	case o.Multiplier < 1:
		o.Multiplier = 1 // a shrinking interval would hammer the quota
	}
	switch {
	case o.Jitter == 0:
		o.Jitter = defaultJitter
	case o.Jitter < 0:
		o.Jitter = 0
	case o.Jitter > 1:
		o.Jitter = 1
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	switch {
	case o.MaxPollErrors == 0:
		o.MaxPollErrors = defaultMaxPollErrors
	case o.MaxPollErrors < 0:
		o.MaxPollErrors = 0
	}
	return o
}

// schedule is the sequence of poll times of one wait, as durations since
// the wait began. Times are fixed in advance, so the time a poll takes does
// not push the later ones back; a poll that comes back after its successor
// was due skips the missed times rather than polling in a burst.
type schedule struct {
	o       WaitOptions
	started bool
	at      time.Duration // the latest poll time handed out
	fine    bool          // in a hint's window of short steps
	end     time.Duration // the end of that window
	step    float64       // the next short step, in nanoseconds
	wait    float64       // the next wait of the backoff, in nanoseconds
}

// newSchedule expects o with its defaults set.
func newSchedule(o WaitOptions) *schedule {
	return &schedule{o: o, wait: float64(o.Interval)}
}

// next returns the first poll time after elapsed (the first one whatever
// elapsed is).
func (s *schedule) next(elapsed time.Duration) time.Duration {
	if !s.started {
		s.started = true
		h := s.o.FirstPoll
		switch {
		case h > 0:
			s.at = scale(h, hintFirst)
			s.fine, s.end, s.step = true, scale(h, hintWindow), float64(h)*hintStep
		case h == 0:
			s.at = scale(s.o.Typical, firstPollShare)
		default:
			s.at = 0
		}
		return s.at
	}
	for i := 0; i < maxScheduledPollsSkip && s.at < math.MaxInt64; i++ {
		s.at += min(s.advance(), math.MaxInt64-s.at)
		if s.at > elapsed {
			break
		}
	}
	return s.at
}

// advance returns the wait from one poll time to the next.
func (s *schedule) advance() time.Duration {
	var w float64
	if s.fine && s.at >= s.end {
		s.fine = false
		s.wait = max(s.wait, s.step/hintGrowth) // the last short step taken
	}
	if s.fine {
		w = s.step
		s.step *= hintGrowth
	} else {
		w = s.wait
		s.wait = min(s.wait*s.o.Multiplier, float64(s.o.MaxInterval))
	}
	w = min(w, float64(s.o.MaxInterval))
	if s.o.Jitter > 0 {
		w *= 1 + s.o.Jitter*(2*s.o.Rand()-1)
	}
	return max(scale(1, w), minWait)
}

// scale returns d×f, saturating rather than overflowing for huge hints.
func scale(d time.Duration, f float64) time.Duration {
	if x := math.Round(float64(d) * f); x < math.MaxInt64 {
		return time.Duration(x)
	}
	return math.MaxInt64
}

// WaitJob polls GET /v2/jobs/{job_id} until the job is done or failed, and
// returns it. A job that ended "failed" is returned with a nil error: its
// Reason says why, and the caller decides what a failure means. Statuses
// other than done and failed, including unknown ones, mean "not yet".
// WaitOptions describes when it polls.
//
// ctx bounds everything: the waits between polls, every poll in flight (its
// retries and a body that stalls half way included). When ctx has a
// deadline, one last poll is made shortly before it (a tenth of the time
// left when WaitJob is called, at most a second) if the schedule has none
// there, so that a job done just before the deadline is not missed.
//
// Errors: a *TimeoutError when opts.Timeout or ctx's deadline passes (then
// errors.Is(err, context.DeadlineExceeded) holds); when ctx is canceled,
// "waiting for job ID: context canceled"; the poll's error when a poll
// fails with anything but a transient failure, or when more than
// opts.MaxPollErrors consecutive polls fail.
func (c *Client) WaitJob(ctx context.Context, jobID string, opts WaitOptions) (*Job, error) {
	if jobID == "" {
		return nil, errors.New("chat2query: empty job id")
	}
	o := opts.withDefaults()
	sched := newSchedule(o)
	start := c.now()
	// lastCall is when, since start, the last poll before ctx's deadline
	// is due; negative without a deadline. The deadline is on the wall
	// clock, the schedule on c.now: they are the same clock but in tests.
	lastCall := time.Duration(-1)
	if dl, ok := ctx.Deadline(); ok {
		left := max(time.Until(dl), 0)
		lastCall = left - min(left/10, maxLastCallMargin)
	}
	due := sched.next(0)
	var last *Job
	polls, pollErrors := 0, 0
	timedOut := func(ctxErr, poll error) error {
		te := &TimeoutError{JobID: jobID, Waited: c.now().Sub(start), Job: last, Polls: polls, Poll: poll, Err: ctxErr}
		if last != nil {
			te.LastStatus = last.Status
		}
		return te
	}
	// ended is the error of a wait that ctx ended, between polls (poll nil)
	// or during one.
	ended := func(err, poll error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return timedOut(err, poll)
		}
		return fmt.Errorf("waiting for job %s: %w", jobID, err)
	}
	for {
		elapsed := c.now().Sub(start)
		if o.Timeout > 0 {
			if elapsed >= o.Timeout {
				return nil, timedOut(nil, nil)
			}
			// Poll once more exactly at the deadline rather than sleep past it.
			due = min(due, o.Timeout)
		}
		if lastCall >= 0 && due > lastCall {
			due = max(lastCall, elapsed)
			lastCall = -1 // once: after it, the wait runs into the deadline
		}
		if err := c.sleep(ctx, due-elapsed); err != nil {
			return nil, ended(err, nil)
		}

		job, err := c.GetJob(ctx, jobID)
		elapsed = c.now().Sub(start)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ended(ctx.Err(), err)
			}
			pollErrors++
			if !transient(err) || pollErrors > o.MaxPollErrors {
				return nil, err
			}
			due = sched.next(elapsed)
			var ae *APIError
			if errors.As(err, &ae) && ae.RetryAfter > 0 {
				due = max(due, elapsed+ae.RetryAfter) // honour the rate limiter's reset time
			}
			continue
		}
		polls++
		pollErrors = 0
		last = job
		if o.Progress != nil {
			o.Progress(job)
		}
		if job.Finished() {
			return job, nil
		}
		due = sched.next(elapsed)
	}
}

// transient reports a poll failure worth retrying: GET is idempotent, so a
// network error or a temporary API error is retried; a malformed response
// or a permanent API error is not.
func transient(err error) bool {
	var ne *NetworkError
	var ae *APIError
	switch {
	case errors.As(err, &ne):
		return true
	case errors.As(err, &ae):
		return ae.Temporary()
	}
	return false
}
