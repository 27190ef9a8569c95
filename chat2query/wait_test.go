package chat2query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

func TestWaitJob(t *testing.T) {
	failed := jobReply{body: `{"code":200,"msg":"","result":{"job_id":"j1","status":"failed","ended_at":1718785006,"reason":"SQL generation failed","result":null}}`}
	tests := []struct {
		name       string
		replies    []jobReply
		opts       WaitOptions
		wantStatus string
		wantSleeps []time.Duration
		wantSeen   []string // statuses passed to Progress
	}{
		{
			name:       "init running done",
			replies:    []jobReply{jobJSON("init"), jobJSON("running"), {body: fixtureJobDone}},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2 * time.Second, time.Second, 1500 * time.Millisecond},
			wantSeen:   []string{"init", "running", "done"},
		},
		{
			name:       "failed job is returned",
			replies:    []jobReply{jobJSON("running"), failed},
			wantStatus: JobFailed,
			wantSleeps: []time.Duration{2 * time.Second, time.Second},
			wantSeen:   []string{"running", "failed"},
		},
		{
			name:       "unknown status keeps polling",
			replies:    []jobReply{jobJSON("queued"), jobJSON("cancelling"), jobJSON("done")},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2 * time.Second, time.Second, 1500 * time.Millisecond},
			wantSeen:   []string{"queued", "cancelling", "done"},
		},
		{
			name:       "backoff grows and is capped, defaults",
			replies:    []jobReply{jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("done")},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2 * time.Second, time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond, 3375 * time.Millisecond, 5 * time.Second, 5 * time.Second},
		},
		{
			name:       "backoff grows and is capped, milliseconds",
			replies:    []jobReply{jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("running"), jobJSON("done")},
			opts:       WaitOptions{FirstPoll: 5 * time.Millisecond, Interval: 10 * time.Millisecond, Multiplier: 2, MaxInterval: 50 * time.Millisecond},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 50 * ms, 50 * ms},
		},
		{
			name:       "first poll at once, constant interval",
			replies:    []jobReply{jobJSON("running"), jobJSON("running"), jobJSON("done")},
			opts:       WaitOptions{FirstPoll: -1, Interval: time.Millisecond, Multiplier: 0.5},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{0, time.Millisecond, time.Millisecond},
		},
		{
			name: "transient failures are retried",
			replies: []jobReply{{status: 503, body: ""}, {status: 502, body: html502},
				{status: 429, body: fixtureGatewayRPM, header: map[string]string{"X-Ratelimit-Reset": "7"}}, jobJSON("done")},
			wantStatus: JobDone,
			wantSleeps: []time.Duration{2 * time.Second, time.Second, 1500 * time.Millisecond, 7 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			clock := useFakeClock(c)
			polls := serveJobs(t, f, tt.replies...)
			var seen []string
			opts := tt.opts
			opts.Progress = func(j *Job) { seen = append(seen, j.Status) }
			job, err := c.WaitJob(context.Background(), "j1", opts)
			if err != nil {
				t.Fatal(err)
			}
			if job.Status != tt.wantStatus {
				t.Errorf("status = %q, want %q", job.Status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantSleeps, clock.sleeps); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if tt.wantSeen != nil {
				if diff := cmp.Diff(tt.wantSeen, seen); diff != "" {
					t.Errorf("Progress saw (-want +got):\n%s", diff)
				}
			}
			if c.Requests() != int64(*polls) || *polls != len(tt.wantSleeps) {
				t.Errorf("Requests() = %d, polls = %d, want %d", c.Requests(), *polls, len(tt.wantSleeps))
			}
		})
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
	_, err := c.WaitJob(context.Background(), "j1", WaitOptions{Timeout: 10 * time.Second})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want a *TimeoutError", err)
	}
	if te.JobID != "j1" || te.Waited != 10*time.Second || te.LastStatus != JobRunning || te.Job == nil {
		t.Errorf("TimeoutError = %+v", te)
	}
	// The last wait is cut so that the final poll happens at the deadline.
	want := []time.Duration{2 * time.Second, time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond, 3250 * time.Millisecond}
	if diff := cmp.Diff(want, clock.sleeps); diff != "" {
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
