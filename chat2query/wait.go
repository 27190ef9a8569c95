package chat2query

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Polling defaults. A chat2data answer takes a few seconds (the docs' example
// reports 3.85 s), so the first poll waits 2 s and later ones back off from
// 1 s to 5 s: few polls, since polls may count against the daily quota.
const (
	defaultFirstPoll     = 2 * time.Second
	defaultInterval      = time.Second
	defaultMaxInterval   = 5 * time.Second
	defaultMultiplier    = 1.5
	defaultMaxPollErrors = 3
)

// WaitOptions tunes WaitJob. Zero fields take the defaults given.
type WaitOptions struct {
	// FirstPoll is the expected latency before the job can be done: WaitJob
	// waits this long before its first poll (default 2s; negative polls at once).
	FirstPoll time.Duration
	// Interval is the wait after the first poll (default 1s); each later
	// wait is Multiplier times the previous one (default 1.5, at least 1),
	// up to MaxInterval (default 5s).
	Interval    time.Duration
	MaxInterval time.Duration
	Multiplier  float64
	// Timeout bounds the whole wait; 0 means only ctx bounds it. It is
	// checked between polls (the last wait is shortened to end at the
	// deadline); a poll in flight is bounded by ctx and the HTTP client.
	Timeout time.Duration
	// MaxPollErrors is how many consecutive polls may fail with a network
	// error or a temporary API error (5xx, 408, per-minute 429) before
	// WaitJob gives up (default 3; negative: give up on the first).
	MaxPollErrors int
	// Progress, if set, is called with every successfully polled job,
	// including the final one.
	Progress func(*Job)
}

func (o WaitOptions) withDefaults() WaitOptions {
	switch {
	case o.FirstPoll == 0:
		o.FirstPoll = defaultFirstPoll
	case o.FirstPoll < 0:
		o.FirstPoll = 0
	}
	if o.Interval <= 0 {
		o.Interval = defaultInterval
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = defaultMaxInterval
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
	case o.MaxPollErrors == 0:
		o.MaxPollErrors = defaultMaxPollErrors
	case o.MaxPollErrors < 0:
		o.MaxPollErrors = 0
	}
	return o
}

// WaitJob polls GET /v2/jobs/{job_id} until the job is done or failed, and
// returns it. A job that ended "failed" is returned with a nil error: its
// Reason says why, and the caller decides what a failure means. Statuses
// other than done and failed, including unknown ones, mean "not yet".
//
// Errors: a *TimeoutError when opts.Timeout passes; ctx's error (wrapped)
// as soon as ctx is done; the poll's error when a poll fails with anything
// but a transient failure, or when more than opts.MaxPollErrors consecutive
// polls fail.
func (c *Client) WaitJob(ctx context.Context, jobID string, opts WaitOptions) (*Job, error) {
	if jobID == "" {
		return nil, errors.New("chat2query: empty job id")
	}
	o := opts.withDefaults()
	start := c.now()
	wait, interval := o.FirstPoll, o.Interval
	var last *Job
	pollErrors := 0
	for {
		if o.Timeout > 0 {
			remaining := o.Timeout - c.now().Sub(start)
			if remaining <= 0 {
				te := &TimeoutError{JobID: jobID, Waited: c.now().Sub(start), Job: last}
				if last != nil {
					te.LastStatus = last.Status
				}
				return nil, te
			}
			// Poll once more exactly at the deadline rather than sleep past it.
			wait = min(wait, remaining)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("waiting for job %s: %w", jobID, err)
		}

		job, err := c.GetJob(ctx, jobID)
		next := interval
		interval = backoff(interval, o.Multiplier, o.MaxInterval)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("waiting for job %s: %w", jobID, ctx.Err())
			}
			pollErrors++
			if !transient(err) || pollErrors > o.MaxPollErrors {
				return nil, err
			}
			var ae *APIError
			if errors.As(err, &ae) {
				next = max(next, ae.RetryAfter) // honour the rate limiter's reset time
			}
			wait = next
			continue
		}
		pollErrors = 0
		last = job
		if o.Progress != nil {
			o.Progress(job)
		}
		if job.Finished() {
			return job, nil
		}
		wait = next
	}
}

func backoff(d time.Duration, mult float64, limit time.Duration) time.Duration {
	f := float64(d) * mult
	if f >= float64(limit) {
		return limit
	}
	return time.Duration(f)
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
