package chat2query

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run against handlers that hang until the client gives up (or
// the test ends), with a deadline that passes once the hanging request has
// reached the server (a deadlineCtx), or a request timeout of
// milliseconds. They assert what was returned and how many requests were
// made, never how long anything took: each call returning at all is the
// proof that it was bounded.

// deadlineCtx is a context whose deadline passes when expire is called, so
// that a test can end it at a known point rather than race a timer.
type deadlineCtx struct {
	context.Context // Value
	done            chan struct{}
	once            sync.Once
}

func newDeadlineCtx() *deadlineCtx {
	return &deadlineCtx{Context: context.Background(), done: make(chan struct{})}
}

func (c *deadlineCtx) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *deadlineCtx) Done() <-chan struct{} { return c.done }
func (c *deadlineCtx) Deadline() (deadline time.Time, ok bool) {
	return time.Now().Add(time.Hour), true
}
func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// hang blocks until the client goes away or the test ends; it first
// expires ctx, if given, since the request has now reached the server.
func hang(t *testing.T, ctx *deadlineCtx) http.HandlerFunc {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) }) // runs before the server's Close
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if ctx != nil {
			ctx.expire()
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}
}

// stall sends the headers and the start of a body, then hangs.
func stall(t *testing.T, ctx *deadlineCtx) http.HandlerFunc {
	h := hang(t, ctx)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, `{"code":200,"msg":"","result":{`)
		w.(http.Flusher).Flush()
		h(w, r)
	}
}

// A hung POST, or one whose body stalls, ends with the caller's deadline:
// a *ContextError that says what was going on, the request sent once.
func TestDeadlineEndsHungRequest(t *testing.T) {
	for _, tt := range []struct {
		name    string
		handler func(*testing.T, *deadlineCtx) http.HandlerFunc
	}{{"hung", hang}, {"stalled body", stall}} {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t, WithRetryPolicy(RetryPolicy{}))
			c.sleep = sleepCtx
			ctx := newDeadlineCtx()
			f.mux.HandleFunc("POST /v3/sessions/{id}/chat2data", tt.handler(t, ctx))
			_, err := c.SessionChat2Data(ctx, 305685, SessionChat2DataRequest{Question: "q"})
			var ce *ContextError
			if !errors.As(err, &ce) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want a *ContextError for the deadline", err)
			}
			if got, want := ce.Activity(), "POST /v3/sessions/305685/chat2data got no complete response"; got != want {
				t.Errorf("Activity() = %q, want %q", got, want)
			}
			if f.all.get() != 2 || c.Requests() != 2 { // the challenge, the POST
				t.Errorf("server saw %d requests, Requests() = %d; want 2", f.all.get(), c.Requests())
			}
		})
	}
}

// Without a deadline of the caller's, the request timeout bounds every
// exchange, a stalled body included. A POST that timed out is not sent
// again; a GET is. (Basic authentication, so that no challenge exchange
// shares the request timeout with the hanging request.)
func TestRequestTimeout(t *testing.T) {
	for _, tt := range []struct {
		name    string
		handler func(*testing.T, *deadlineCtx) http.HandlerFunc
	}{{"hung", hang}, {"stalled body", stall}} {
		t.Run("POST "+tt.name, func(t *testing.T) {
			c, f := setup(t, WithRetryPolicy(RetryPolicy{}), WithRequestTimeout(100*time.Millisecond), WithBasicAuth())
			useStepClock(c)
			f.mux.HandleFunc("POST /v3/sessions", tt.handler(t, nil))
			_, err := c.CreateSession(context.Background(), CreateSessionRequest{ClusterID: "1", Database: "d"})
			var ne *NetworkError
			if !errors.As(err, &ne) || !ne.Timeout() || ne.NotSent {
				t.Fatalf("err = %#v, want a timed-out *NetworkError", err)
			}
			if want := "POST /v3/sessions: no complete response within the 100ms request timeout: the request may have reached Chat2Query, so it was not sent again"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error = %q, want prefix %q", err, want)
			}
			if f.all.get() != 1 || c.Requests() != 1 {
				t.Errorf("server saw %d requests, Requests() = %d; want 1", f.all.get(), c.Requests())
			}
		})
		t.Run("GET "+tt.name, func(t *testing.T) {
			c, f := setup(t, WithRetryPolicy(RetryPolicy{}), WithRequestTimeout(100*time.Millisecond), WithBasicAuth())
			clock := useStepClock(c)
			n := 0
			stuck := tt.handler(t, nil)
			f.mux.HandleFunc("GET /v3/sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
				if n++; n == 1 {
					stuck(w, r)
					return
				}
				reply(w, 200, fixtureSession)
			})
			if _, err := c.GetSession(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			if n != 2 || f.all.get() != 2 || c.Requests() != 2 || len(clock.sleeps) != 1 {
				t.Errorf("API saw %d, server %d, Requests() = %d, sleeps %v; want 2, 2, 2 and one backoff", n, f.all.get(), c.Requests(), clock.sleeps)
			}
		})
	}
}

// jobsClient is a client on the real clock whose GET /v2/jobs/j1 answers
// with handlers in turn (repeating the last), counting the polls.
func jobsClient(t *testing.T, handlers ...http.HandlerFunc) (*Client, *fakeAPI, *counter) {
	t.Helper()
	c, f := setup(t)
	c.sleep = sleepCtx
	polls := new(counter)
	f.mux.HandleFunc("GET /v2/jobs/j1", func(w http.ResponseWriter, r *http.Request) {
		handlers[min(polls.next(), len(handlers)-1)](w, r)
	})
	return c, f, polls
}

var (
	jobRunning = status(200, jobJSON(JobRunning).body)
	jobDone    = status(200, `{"code":200,"msg":"","result":{"job_id":"j1","status":"done","ended_at":1718785006,"reason":"","result":{}}}`)
	fastPolls  = WaitOptions{FirstPoll: -1, Interval: time.Millisecond, MaxInterval: time.Millisecond}
)

// A poll that hangs, or whose body stalls, ends with the deadline as a
// *TimeoutError that says where the job stood.
func TestWaitJobDeadlineDuringPoll(t *testing.T) {
	for _, tt := range []struct {
		name    string
		handler func(*testing.T, *deadlineCtx) http.HandlerFunc
	}{{"hung", hang}, {"stalled body", stall}} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newDeadlineCtx()
			c, f, polls := jobsClient(t, jobRunning, tt.handler(t, ctx))
			_, err := c.WaitJob(ctx, "j1", fastPolls)
			var te *TimeoutError
			if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want a *TimeoutError for the deadline", err)
			}
			if want := "job j1 still running after 1 poll; poll 2 got no complete response"; te.State() != want {
				t.Errorf("State() = %q, want %q", te.State(), want)
			}
			if te.Polls != 1 || te.LastStatus != JobRunning || polls.get() != 2 {
				t.Errorf("TimeoutError = %+v after %d polls, want 1 answered of 2", te, polls.get())
			}
			if c.Requests() != int64(f.all.get()) || f.all.get() != 3 {
				t.Errorf("Requests() = %d, server saw %d; want 3", c.Requests(), f.all.get())
			}
		})
	}
}

// A poll that fails and is waiting to be retried when the deadline comes
// says so.
func TestWaitJobDeadlineDuringRetry(t *testing.T) {
	ctx := newDeadlineCtx()
	c, _, polls := jobsClient(t, status(503, ""))
	c.retry = RetryPolicy{MinBackoff: time.Hour}.withDefaults()
	c.sleep = func(ctx2 context.Context, d time.Duration) error {
		if d >= 30*time.Minute { // the hour of backoff, jittered over [d/2, d]
			ctx.expire()
		}
		return sleepCtx(ctx2, d)
	}
	_, err := c.WaitJob(ctx, "j1", fastPolls)
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want a *TimeoutError", err)
	}
	var se *ServerError
	if !strings.HasPrefix(te.State(), "job j1: poll 1 was waiting to retry after 1 attempt (GET /v2/jobs/j1: server error (HTTP 503") || !errors.As(te.Poll, &se) || polls.get() != 1 {
		t.Errorf("State() = %q, Poll = %v after %d polls", te.State(), te.Poll, polls.get())
	}
}

// A job that stays running is polled once more shortly before the deadline
// when the schedule has no poll there, then the deadline ends the wait. The
// clock is simulated: sleeps move it at once, and one that would cross the
// context's deadline (10 s, measured by the wall clock when WaitJob starts)
// returns the deadline's error as sleepCtx would.
func TestWaitJobLastPollBeforeDeadline(t *testing.T) {
	c, _, polls := jobsClient(t, jobRunning)
	clock := useFakeClock(c)
	fake := c.sleep
	var crossed bool
	c.sleep = func(ctx context.Context, d time.Duration) error {
		if clock.sleeps != nil && sum(clock.sleeps)+d >= 10*time.Second {
			crossed = true
			return context.DeadlineExceeded
		}
		return fake(ctx, d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.WaitJob(ctx, "j1", WaitOptions{FirstPoll: time.Hour})
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) || !crossed {
		t.Fatalf("err = %v, want a *TimeoutError for the deadline", err)
	}
	// One poll, 9 s in (the deadline less a tenth of 10 s), not an hour.
	if polls.get() != 1 || len(clock.sleeps) != 1 || clock.sleeps[0] < 8*time.Second || clock.sleeps[0] > 9*time.Second {
		t.Errorf("%d polls after sleeps %v; want 1 after about 9s", polls.get(), clock.sleeps)
	}
	if want := "job j1 still running after 1 poll"; te.State() != want || te.Poll != nil {
		t.Errorf("State() = %q, Poll = %v; want %q", te.State(), te.Poll, want)
	}
}

func sum(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s
}

// A job that finishes is still returned when a deadline is set.
func TestWaitJobDoneBeforeDeadline(t *testing.T) {
	c, _, polls := jobsClient(t, jobRunning, jobDone)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	job, err := c.WaitJob(ctx, "j1", fastPolls)
	if err != nil || job.Status != JobDone || polls.get() != 2 {
		t.Errorf("job %+v, err %v after %d polls", job, err, polls.get())
	}
}

// Cancellation is reported once, whether it comes between polls or during
// one: no "waiting for job j1: waiting for job j1: ...".
func TestWaitJobCancelMessage(t *testing.T) {
	t.Run("between polls", func(t *testing.T) {
		c, _, _ := jobsClient(t, jobRunning)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err := c.WaitJob(ctx, "j1", WaitOptions{FirstPoll: -1, Interval: time.Hour, Progress: func(*Job) { cancel() }})
		if err == nil || err.Error() != "waiting for job j1: context canceled" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("during a poll", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c, _, _ := jobsClient(t, func(w http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done()
		})
		_, err := c.WaitJob(ctx, "j1", fastPolls)
		if err == nil || err.Error() != "waiting for job j1: context canceled" {
			t.Errorf("err = %v", err)
		}
	})
}
