package chat2query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const ms = time.Millisecond

// fakeClock replaces the client's clock: sleeping records the duration and
// advances time at once.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func useFakeClock(c *Client) *fakeClock {
	f := &fakeClock{t: time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC)}
	c.now = func() time.Time {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.t
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.sleeps = append(f.sleeps, d)
		f.t = f.t.Add(d)
		return nil
	}
	return f
}

// jobReply is one response of the fake jobs endpoint.
type jobReply struct {
	status int // HTTP status; 0 means 200
	body   string
	header map[string]string
}

func jobJSON(status string) jobReply {
	return jobReply{body: fmt.Sprintf(`{"code":200,"msg":"","result":{"job_id":"j1","status":%q,"ended_at":null,"reason":"","result":null}}`, status)}
}

// serveJobs answers GET /v2/jobs/j1 with replies in turn, repeating the last.
func serveJobs(t *testing.T, f *fakeAPI, replies ...jobReply) *int {
	polls := new(int)
	f.mux.HandleFunc("GET /v2/jobs/j1", func(w http.ResponseWriter, r *http.Request) {
		rep := replies[min(*polls, len(replies)-1)]
		*polls++
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		reply(w, max(rep.status, 200), rep.body)
	})
	return polls
}

// noJitter is a WaitOptions.Rand that leaves every wait as scheduled.
func noJitter() float64 { return 0.5 }

// msf is a duration in fractional milliseconds.
func msf(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// roundSleeps rounds to microseconds: schedules multiply floats.
func roundSleeps(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Microsecond)
	}
	return out
}

func TestWaitJob(t *testing.T) {
	failed := jobReply{body: `{"code":200,"msg":"","result":{"job_id":"j1","status":"failed","ended_at":1718785006,"reason":"SQL generation failed","result":null}}`}
	running := func(n int) []jobReply {
		r := make([]jobReply, n)
		for i := range r {
			r[i] = jobJSON("running")
		}
		return r
	}
	tests := []struct {
		name       string
		replies    []jobReply
		opts       WaitOptions
		wantStatus string
		wantSleeps []time.Duration
		wantSeen   []string // statuses passed to Progress
	}{
		{
			// No hint: the first poll at 0.7×4s, then 0.8s growing ×1.2.
			name:       "init running done",
			replies:    []jobReply{jobJSON("init"), jobJSON("running"), {body: fixtureJobDone}},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2800 * ms, 800 * ms, 960 * ms},
			wantSeen:   []string{"init", "running", "done"},
		},
		{
			name:       "failed job is returned",
			replies:    []jobReply{jobJSON("running"), failed},
			wantStatus: JobFailed,
			wantSleeps: []time.Duration{2800 * ms, 800 * ms},
			wantSeen:   []string{"running", "failed"},
		},
		{
			name:       "unknown status keeps polling",
			replies:    []jobReply{jobJSON("queued"), jobJSON("cancelling"), jobJSON("done")},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2800 * ms, 800 * ms, 960 * ms},
			wantSeen:   []string{"queued", "cancelling", "done"},
		},
		{
			name:       "backoff grows and is capped, defaults",
			replies:    append(running(13), jobJSON("done")),
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2800 * ms, 800 * ms, 960 * ms, 1152 * ms, msf(1382.4), msf(1658.88), msf(1990.656), msf(2388.7872), msf(2866.54464),
				msf(3439.853568), msf(4127.8242816), msf(4953.38913792), 5 * time.Second, 5 * time.Second},
		},
		{
			name:       "Typical scales the defaults",
			replies:    append(running(4), jobJSON("done")),
			opts:       WaitOptions{Typical: 40 * ms},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{28 * ms, 8 * ms, msf(9.6), msf(11.52), msf(13.824)},
		},
		{
			name:       "backoff grows and is capped, milliseconds",
			replies:    append(running(5), jobJSON("done")),
			opts:       WaitOptions{FirstPoll: -1, Interval: 10 * ms, Multiplier: 2, MaxInterval: 50 * ms},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{0, 10 * ms, 20 * ms, 40 * ms, 50 * ms, 50 * ms},
		},
		{
			name:       "first poll at once, constant interval",
			replies:    []jobReply{jobJSON("running"), jobJSON("running"), jobJSON("done")},
			opts:       WaitOptions{FirstPoll: -1, Interval: time.Millisecond, Multiplier: 0.5},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{0, time.Millisecond, time.Millisecond},
		},
		{
			// A hint of 1.6s: the first poll at 1.05×1.6s, then steps of
			// 1.6s/16 growing ×1.15 while the job may still be on time.
			name:       "hint",
			replies:    append(running(3), jobJSON("done")),
			opts:       WaitOptions{FirstPoll: 1600 * ms},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{1680 * ms, 100 * ms, 115 * ms, msf(132.25)},
		},
		{
			// Past 1.5×1.6s the hint was wrong: waits go on from Interval.
			name:       "hint was wrong",
			replies:    append(running(9), jobJSON("done")),
			opts:       WaitOptions{FirstPoll: 1600 * ms},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{1680 * ms, 100 * ms, 115 * ms, msf(132.25), msf(152.0875), msf(174.900625), msf(201.13571875),
				800 * ms, 960 * ms, 1152 * ms},
		},
		{
			// After a long hint the short steps are longer than Interval:
			// the backoff goes on from the last one, capped.
			name:       "long hint was wrong",
			replies:    append(running(9), jobJSON("done")),
			opts:       WaitOptions{FirstPoll: 48 * time.Second},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{50400 * ms, 3 * time.Second, 3450 * ms, msf(3967.5), msf(4562.625), 5 * time.Second, 5 * time.Second,
				5 * time.Second, 5 * time.Second, 5 * time.Second},
		},
		{
			name:       "jitter",
			replies:    append(running(3), jobJSON("done")),
			opts:       WaitOptions{FirstPoll: -1, Interval: 100 * ms, Multiplier: 1, Jitter: 0.2, Rand: sequence(0, 0.75, 0.5)},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{0, 80 * ms, 110 * ms, 100 * ms},
		},
		{
			name:       "no jitter",
			replies:    append(running(2), jobJSON("done")),
			opts:       WaitOptions{FirstPoll: -1, Interval: 100 * ms, Multiplier: 1, Jitter: -1, Rand: sequence(0)},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{0, 100 * ms, 100 * ms},
		},
		{
			name: "transient failures are retried",
			opts: WaitOptions{MaxPollErrors: 3},
			replies: []jobReply{{status: 503, body: ""}, {status: 502, body: html502},
				{status: 429, body: fixtureGatewayRPM, header: map[string]string{"X-Ratelimit-Reset": "7"}}, jobJSON("done")},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2800 * ms, 800 * ms, 960 * ms, 7 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			clock := useFakeClock(c)
			polls := serveJobs(t, f, tt.replies...)
			var seen []string
			opts := tt.opts
			if opts.Rand == nil {
				opts.Rand = noJitter
			}
			opts.Progress = func(j *Job) { seen = append(seen, j.Status) }
			job, err := c.WaitJob(context.Background(), "j1", opts)
			if err != nil {
				t.Fatal(err)
			}
			if job.Status != tt.wantStatus {
				t.Errorf("status = %q, want %q", job.Status, tt.wantStatus)
			}
			if diff := cmp.Diff(roundSleeps(tt.wantSleeps), roundSleeps(clock.sleeps)); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if tt.wantSeen != nil {
				if diff := cmp.Diff(tt.wantSeen, seen); diff != "" {
					t.Errorf("Progress saw (-want +got):\n%s", diff)
				}
			}
			// Every poll, and the digest challenge before the first.
			if c.Requests() != int64(*polls)+1 || *polls != len(tt.wantSleeps) {
				t.Errorf("Requests() = %d, polls = %d, want %d+1", c.Requests(), *polls, len(tt.wantSleeps))
			}
		})
	}
}

// sequence returns the numbers in turn, repeating the last.
func sequence(fs ...float64) func() float64 {
	i := 0
	return func() float64 {
		f := fs[min(i, len(fs)-1)]
		i++
		return f
	}
}

// TestWaitJobDefaultJitter: with the default jitter and a seeded Rand, every
// wait after the first is within 10 % of its schedule.
func TestWaitJobDefaultJitter(t *testing.T) {
	c, f := setup(t)
	clock := useFakeClock(c)
	serveJobs(t, f, append(make([]jobReply, 0), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("done"))...)
	rng := rand.New(rand.NewPCG(1, 2))
	if _, err := c.WaitJob(context.Background(), "j1", WaitOptions{Rand: rng.Float64}); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{2800 * ms, 800 * ms, 960 * ms, 1152 * ms, msf(1382.4)}
	if len(clock.sleeps) != len(want) || clock.sleeps[0] != want[0] {
		t.Fatalf("sleeps = %v, want about %v", clock.sleeps, want)
	}
	same := true
	for i := 1; i < len(want); i++ {
		if r := float64(clock.sleeps[i]) / float64(want[i]); r < 0.9 || r > 1.1 {
			t.Errorf("wait %d = %v, not within 10%% of %v", i, clock.sleeps[i], want[i])
		}
		same = same && clock.sleeps[i] == want[i]
	}
	if same {
		t.Error("no jitter")
	}
}

// TestSchedule covers what a fake clock that stands still during polls does
// not: a poll that comes back after the next poll was due.
func TestSchedule(t *testing.T) {
	s := newSchedule(WaitOptions{FirstPoll: -1, Interval: 10 * ms, Multiplier: 1, Rand: noJitter}.withDefaults())
	got := []time.Duration{s.next(0)}
	// When each poll came back.
	for _, elapsed := range []time.Duration{1 * ms, 12 * ms, 35 * ms, 40 * ms} {
		got = append(got, s.next(elapsed))
	}
	// Polls are due at 0, 10, 20, ... from the start, whatever a poll
	// takes; the one back at 35ms skips 30ms rather than poll at once.
	want := []time.Duration{0, 10 * ms, 20 * ms, 40 * ms, 50 * ms}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("poll times (-want +got):\n%s", diff)
	}

	// A hint too large for its window to be computed saturates.
	huge := newSchedule(WaitOptions{FirstPoll: math.MaxInt64 / 2, Rand: noJitter}.withDefaults())
	first := huge.next(0)
	if second := huge.next(first); first <= 0 || second < first {
		t.Errorf("huge hint: poll times %v, %v", first, second)
	}
}

func TestWaitJobFailedReason(t *testing.T) {
	c, f := setup(t)
	useFakeClock(c)
	serveJobs(t, f, jobReply{body: `{"code":200,"msg":"","result":{"job_id":"j1","status":"failed","ended_at":1718785006,"reason":"SQL generation failed","result":null}}`})
	job, err := c.WaitJob(context.Background(), "j1", WaitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Job{JobID: "j1", Status: JobFailed, EndedAt: 1718785006, Reason: "SQL generation failed", Result: json.RawMessage("null")}
	if diff := cmp.Diff(want, job); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
}

func TestWaitJobTimeout(t *testing.T) {
	c, f := setup(t)
	clock := useFakeClock(c)
	serveJobs(t, f, jobJSON("init"), jobJSON("running"))
	_, err := c.WaitJob(context.Background(), "j1", WaitOptions{Timeout: 10 * time.Second, Rand: noJitter})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want a *TimeoutError", err)
	}
	if te.JobID != "j1" || te.Waited != 10*time.Second || te.LastStatus != JobRunning || te.Job == nil {
		t.Errorf("TimeoutError = %+v", te)
	}
	// The last wait is cut so that the final poll happens at the deadline.
	want := []time.Duration{2800 * ms, 800 * ms, 960 * ms, 1152 * ms, msf(1382.4), msf(1658.88), msf(1246.72)}
	if diff := cmp.Diff(roundSleeps(want), roundSleeps(clock.sleeps)); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestWaitJobErrors(t *testing.T) {
	tests := []struct {
		name    string
		replies []jobReply
		opts    WaitOptions
		polls   int
	}{
		{"permanent error is not retried", []jobReply{{status: 404, body: `{"code":404,"msg":"job not found","result":null}`}}, WaitOptions{}, 1},
		{"malformed job is not retried", []jobReply{{body: `{"code":200,"msg":"","result":{"job_id":"j1"}}`}}, WaitOptions{}, 1},
		{"too many transient errors", []jobReply{{status: 502, body: html502}}, WaitOptions{MaxPollErrors: 2}, 3},
		{"no retries", []jobReply{{status: 502, body: html502}}, WaitOptions{MaxPollErrors: -1}, 1},
		{"daily quota is not retried", []jobReply{{status: 429, body: fixtureGatewayDaily}}, WaitOptions{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			useFakeClock(c)
			polls := serveJobs(t, f, tt.replies...)
			_, err := c.WaitJob(context.Background(), "j1", tt.opts)
			var ae *APIError
			var de *DecodeError
			if !errors.As(err, &ae) && !errors.As(err, &de) {
				t.Fatalf("err = %v, want the poll's error", err)
			}
			if *polls != tt.polls {
				t.Errorf("polls = %d, want %d", *polls, tt.polls)
			}
		})
	}

	c, _ := setup(t)
	if _, err := c.WaitJob(context.Background(), "", WaitOptions{}); err == nil {
		t.Error("empty job id: no error")
	}
}

func TestWaitJobCancel(t *testing.T) {
	t.Run("between polls", func(t *testing.T) {
		c, f := setup(t)
		useFakeClock(c)
		polls := serveJobs(t, f, jobJSON("running"))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err := c.WaitJob(ctx, "j1", WaitOptions{Progress: func(*Job) { cancel() }})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if *polls != 1 {
			t.Errorf("polls = %d, want 1", *polls)
		}
	})
	t.Run("real sleep returns promptly", func(t *testing.T) {
		c, f := setup(t)
		c.sleep = sleepCtx
		serveJobs(t, f, jobJSON("running"))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.WaitJob(ctx, "j1", WaitOptions{FirstPoll: time.Hour})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("WaitJob took %s to notice the cancellation", d)
		}
	})
	t.Run("during a poll", func(t *testing.T) {
		c, f := setup(t)
		useFakeClock(c)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f.mux.HandleFunc("GET /v2/jobs/j1", func(w http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done() // hold the response until the client gives up
		})
		_, err := c.WaitJob(ctx, "j1", WaitOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}

func TestSleepCtx(t *testing.T) {
	if err := sleepCtx(context.Background(), time.Millisecond); err != nil {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("sleepCtx(canceled, 0) = %v", err)
	}
}
