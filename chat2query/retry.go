package chat2query

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// Retry defaults: three retries after 1 s, 2 s and 4 s (each spread by
// jitter), and server-requested waits of up to a minute, the length of the
// per-minute rate-limit window.
const (
	defaultMaxRetries = 3
	defaultMinBackoff = time.Second
	defaultMaxBackoff = 30 * time.Second
	defaultMaxWait    = time.Minute
	// rateWindow is how long a per-minute window lasts at most: the wait
	// when the gateway says nothing remains but not when it resets.
	rateWindow = time.Minute
)

// RetryPolicy says how often and how long the client retries a failed
// request. Which failures are retried is not configurable; see the package
// documentation. Zero fields take the defaults given.
type RetryPolicy struct {
	// MaxRetries is how many times a request is retried after its first
	// attempt (default 3; negative: never).
	MaxRetries int
	// MinBackoff is the wait before the first retry when the server does
	// not say how long to wait (default 1s); it doubles with every retry, up
	// to MaxBackoff (default 30s). Each wait is spread at random over
	// [backoff/2, backoff] so that clients do not retry in step.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxWait is the longest wait the client accepts from the server
	// (Retry-After, X-Ratelimit-Reset) before a retry, and the longest it
	// waits for the per-minute rate limit before sending (default 1m). A
	// longer requested wait returns the error instead.
	MaxWait time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = defaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = defaultMinBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = defaultMaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	if p.MaxWait <= 0 {
		p.MaxWait = defaultMaxWait
	}
	return p
}

// retryDelay decides whether the attempt-th attempt of a request, which
// failed with err, is sent again, and after how long.
//
// A request that may have reached the service is retried only when it is a
// GET: reading twice is harmless, while a POST asked twice is a second
// question (and a second AI request), and even PUT and DELETE are held to
// the same rule because the reference does not say whether the service
// treats them as idempotent (a v2 data summary update started an AI job).
func (c *Client) retryDelay(ctx context.Context, method string, attempt int, err error) (time.Duration, bool) {
	if attempt > c.retry.MaxRetries || ctx.Err() != nil {
		return 0, false
	}
	safe := method == http.MethodGet
	var ne *NetworkError
	if errors.As(err, &ne) {
		if certificateError(ne.Err) || !(safe || ne.NotSent) {
			return 0, false
		}
		return c.backoff(attempt), true
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return 0, false // a malformed response, an encoding error
	}
	switch {
	case ae.QuotaExhausted():
		return 0, false // only the day's end helps
	case ae.RateLimited():
		// The gateway enforces the per-key limit before forwarding, so its
		// 49900007 means that the service never saw the request.
		if !safe && ae.Code != CodeKeyRateLimit {
			return 0, false
		}
		if ae.RetryAfter == 0 {
			// No reset time: wait out a whole window rather than spend
			// retries inside it.
			return rateWindow, rateWindow <= c.retry.MaxWait
		}
	case ae.Temporary():
		if !safe {
			return 0, false
		}
	default:
		return 0, false
	}
	if ae.RetryAfter > 0 {
		return ae.RetryAfter, ae.RetryAfter <= c.retry.MaxWait
	}
	return c.backoff(attempt), true
}

// backoff is the jittered exponential backoff before retry number attempt.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.MinBackoff
	for i := 1; i < attempt && d < c.retry.MaxBackoff; i++ {
		d *= 2
	}
	return c.jitter(min(d, c.retry.MaxBackoff))
}

// equalJitter returns a random duration in [d/2, d].
func equalJitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}
