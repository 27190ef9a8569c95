package chat2query

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func limits(limit, remaining, reset string) []string {
	var h []string
	for _, kv := range [][2]string{{"X-Ratelimit-Limit-Minute", limit}, {"X-Ratelimit-Remaining-Minute", remaining}, {"X-Ratelimit-Reset", reset}} {
		if kv[1] != "" {
			h = append(h, kv[0], kv[1])
		}
	}
	return h
}

func TestRateLimitObserved(t *testing.T) {
	c, clock, _ := retrying(t,
		status(200, fixtureSession, limits("100", "42", "17")...),
		status(200, fixtureSession),                                                                  // no headers: the last values stay
		status(200, fixtureSession, "RateLimit-Remaining", "9", "RateLimit-Reset", "3"),              // the IETF draft names
		status(404, `{"code":404,"msg":"session not found","result":{}}`, limits("100", "8", "")...), // errors report them too
	)
	if got, want := c.RateLimit(), (RateLimit{Limit: -1, Remaining: -1}); got != want {
		t.Errorf("before any request: RateLimit() = %+v, want %+v", got, want)
	}
	ctx := context.Background()
	t0 := clock.start
	want := []RateLimit{
		{Limit: 100, Remaining: 42, Reset: t0.Add(17 * time.Second), Observed: t0},
		{Limit: 100, Remaining: 42, Reset: t0.Add(17 * time.Second), Observed: t0},
		{Limit: -1, Remaining: 9, Reset: t0.Add(3 * time.Second), Observed: t0},
		{Limit: 100, Remaining: 8, Observed: t0},
	}
	for i, w := range want {
		c.GetSession(ctx, 1)
		if got := c.RateLimit(); got != w {
			t.Errorf("after response %d: RateLimit() = %+v, want %+v", i+1, got, w)
		}
	}
	if len(clock.sleeps) != 0 {
		t.Errorf("slept %v with requests remaining", clock.sleeps)
	}
}

// When the last response said that nothing remains, the next request waits
// for the reset instead of provoking a 429.
func TestRateLimitWaitsBeforeSending(t *testing.T) {
	tests := []struct {
		name   string
		first  []string // headers of the first response
		events []string
	}{
		{"reset given", limits("100", "0", "5"),
			[]string{"GET /v3/sessions/1", "sleep 5s", "GET /v3/sessions/1", "GET /v3/sessions/1"}},
		{"no reset: a whole window", limits("100", "0", ""),
			[]string{"GET /v3/sessions/1", "sleep 1m0s", "GET /v3/sessions/1", "GET /v3/sessions/1"}},
		{"requests remain", limits("100", "1", "5"),
			[]string{"GET /v3/sessions/1", "GET /v3/sessions/1", "GET /v3/sessions/1"}},
		{"reset further than MaxWait", limits("100", "0", "3600"),
			[]string{"GET /v3/sessions/1", "GET /v3/sessions/1", "GET /v3/sessions/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clock, _ := retrying(t, status(200, fixtureSession, tt.first...), status(200, fixtureSession, limits("100", "99", "60")...))
			for range 3 {
				if _, err := c.GetSession(context.Background(), 1); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.events, *clock.events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// A 429 that is not retried (here a POST the gateway did not mark as its
// own) still makes the next request wait for the reset.
func TestRateLimitAfter429(t *testing.T) {
	c, clock, _ := retrying(t,
		status(429, `{"code":429,"msg":"too many requests","result":{}}`, "X-Ratelimit-Reset", "4"),
		status(200, fixtureSession))
	ctx := context.Background()
	if _, err := c.SessionChat2Data(ctx, 1, SessionChat2DataRequest{Question: "q"}); kindOf(err) != "rate limit" {
		t.Fatalf("err = %v, want a rate limit", err)
	}
	if rl := c.RateLimit(); rl.Remaining != 0 || !rl.Reset.Equal(clock.start.Add(4*time.Second)) {
		t.Errorf("RateLimit() = %+v", rl)
	}
	if _, err := c.GetSession(ctx, 1); err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /v3/sessions/1/chat2data", "sleep 4s", "GET /v3/sessions/1"}
	if diff := cmp.Diff(want, *clock.events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// The wait is bounded by ctx, and a request is not sent when ctx ends first.
func TestRateLimitWaitCanceled(t *testing.T) {
	c, _, n := retrying(t, status(200, fixtureSession, limits("100", "0", "30")...))
	ctx := context.Background()
	if _, err := c.GetSession(ctx, 1); err != nil {
		t.Fatal(err)
	}
	c.sleep = sleepCtx // the real one
	ctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetSession(ctx, 1)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "GET /v3/sessions/1: waiting 30s for the API key's per-minute rate limit to reset") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s to notice the deadline", d)
	}
	if n.get() != 1 {
		t.Errorf("server saw %d requests, want 1", n.get())
	}
}

// Requests counts every request that reached the server: retries and the
// digest challenge included.
func TestRequestCounting(t *testing.T) {
	c, _, n := retrying(t, status(503, ""), status(502, html502), sessionOK)
	if _, err := c.GetSession(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSession(context.Background(), CreateSessionRequest{ClusterID: "1", Database: "d"}); err != nil {
		t.Fatal(err)
	}
	if c.Requests() != 5 || n.get() != 4 || n.all.get() != 5 || c.RoundTrips() != 5 {
		t.Errorf("Requests() = %d, the API saw %d, the server %d, RoundTrips() = %d; want 5, 4, 5, 5", c.Requests(), n.get(), n.all.get(), c.RoundTrips())
	}
}
