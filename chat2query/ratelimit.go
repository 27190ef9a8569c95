package chat2query

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is the API key's per-minute rate limit as the gateway last
// reported it in the X-Ratelimit-Limit-Minute, X-Ratelimit-Remaining-Minute
// and X-Ratelimit-Reset headers (§4). The daily AI quota is not reported in
// headers; a *RateLimitError with Daily set says when it is spent.
type RateLimit struct {
	Limit     int       // requests allowed per minute; -1 when not reported
	Remaining int       // requests left in the current window; -1 when not reported
	Reset     time.Time // when the window resets; zero when not reported
	Observed  time.Time // when the headers were received; zero if no response had them
}

// RateLimit returns the per-minute rate limit from the last response that
// reported it.
func (c *Client) RateLimit() RateLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

// observeRateLimit records the rate-limit headers of a response, if it has
// any. Kong, the gateway, also sends the IETF-draft RateLimit-* names; they
// are read when the X- ones are missing.
func (c *Client) observeRateLimit(h http.Header) {
	limit, okL := headerInt(h, "X-Ratelimit-Limit-Minute", "RateLimit-Limit")
	remaining, okR := headerInt(h, "X-Ratelimit-Remaining-Minute", "RateLimit-Remaining")
	reset, okS := headerInt(h, "X-Ratelimit-Reset", "RateLimit-Reset")
	if !okL && !okR && !okS {
		return
	}
	now := c.now()
	rl := RateLimit{Limit: -1, Remaining: -1, Observed: now}
	if okL && limit >= 0 {
		rl.Limit = limit
	}
	if okR && remaining >= 0 {
		rl.Remaining = remaining
	}
	if okS && reset >= 0 && reset < 24*3600 {
		rl.Reset = now.Add(time.Duration(reset) * time.Second)
	}
	c.mu.Lock()
	c.rate = rl
	c.mu.Unlock()
}

// exhaustRateLimit records a per-minute 429: nothing remains until the
// reset it gave, or for a whole window when it gave none.
func (c *Client) exhaustRateLimit(retryAfter time.Duration) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rate.Remaining = 0
	c.rate.Observed = now
	if retryAfter > 0 {
		c.rate.Reset = now.Add(retryAfter)
	} else if c.rate.Reset.Before(now) {
		c.rate.Reset = time.Time{}
	}
}

// waitForRateLimit sleeps until the per-minute window resets when the last
// response said that no request remains in it, so that the request is not
// spent on a 429. The wait is bounded by ctx; a reset further away than
// RetryPolicy.MaxWait is not waited for (the request is sent and the
// service's answer returned).
func (c *Client) waitForRateLimit(ctx context.Context, method, path string) error {
	rl := c.RateLimit()
	if rl.Remaining != 0 || rl.Observed.IsZero() {
		return nil
	}
	reset := rl.Reset
	if reset.IsZero() {
		reset = rl.Observed.Add(rateWindow)
	}
	d := reset.Sub(c.now())
	if d <= 0 || d > c.retry.MaxWait {
		return nil
	}
	if err := c.sleep(ctx, d); err != nil {
		return &ContextError{Method: method, Path: path, Waiting: fmt.Sprintf("%s for the API key's per-minute rate limit to reset", d.Round(time.Millisecond)), Err: err}
	}
	return nil
}

// headerInt reads the first of names present in h as an integer.
func headerInt(h http.Header, names ...string) (int, bool) {
	for _, name := range names {
		v := strings.TrimSpace(h.Get(name))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}
