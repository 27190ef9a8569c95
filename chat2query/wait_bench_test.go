package chat2query_test

// The polling benchmarks: how many polls a job costs and how late its
// completion is noticed, for WaitJob's policy and for fixed 1 s and 5 s
// polling, against the emulator with log-normal job latencies.
//
//	go test -run '^$' -bench BenchmarkWaitJob -benchtime 1x ./chat2query/
//
// BenchmarkWaitJob runs in real time with the time scale shrunk 100×
// (median 40 ms); BenchmarkWaitJobSimulated runs the same jobs at full
// scale (median 4 s) on a simulated clock shared by the emulator and the
// client, so its figures are exact and noise-free.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
)

const (
	benchMedian = 4 * time.Second // the docs' example answers took 3.05 s and 3.85 s
	benchSigma  = 0.5             // half the jobs within 0.71–1.40× the median
	benchSeed   = 2024
	// benchSpread is how much a question's duration varies between runs:
	// a hint is the job's latency times a factor uniform in [1-s, 1+s].
	benchSpread = 0.3
)

// A benchPolicy is a way of waiting for a job.
type benchPolicy struct {
	name  string
	every time.Duration // fixed polling every this long (at full scale); 0: WaitJob
	hint  bool          // WaitJob with a hint
}

var benchPolicies = []benchPolicy{
	{name: "fixed-1s", every: time.Second},
	{name: "fixed-5s", every: 5 * time.Second},
	{name: "adaptive-no-hint"},
	{name: "adaptive-hint", hint: true},
}

// benchJobs are the jobs of one run: their latencies, drawn from the
// emulator's own log-normal distribution, and the hints an earlier run would
// give. As an emulator Distribution it gives job i (question "job i") its
// latency and records when the job was created.
type benchJobs struct {
	latency, hint []time.Duration
	now           func() time.Time

	mu      sync.Mutex
	created []time.Time
}

func newBenchJobs(n int, scale time.Duration, now func() time.Time) *benchJobs {
	dist := emulator.LogNormal(benchMedian/scale, benchSigma, benchSeed)
	rng := rand.New(rand.NewPCG(benchSeed, 1))
	j := &benchJobs{latency: make([]time.Duration, n), hint: make([]time.Duration, n), created: make([]time.Time, n), now: now}
	for i := range n {
		j.latency[i] = dist.Sample("")
		f := 1 - benchSpread + 2*benchSpread*rng.Float64()
		j.hint[i] = time.Duration(float64(j.latency[i]) * f)
	}
	return j
}

func (j *benchJobs) Sample(question string) time.Duration {
	i, err := strconv.Atoi(strings.TrimPrefix(question, "job "))
	if err != nil {
		panic("benchJobs: unexpected question " + question)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.created[i] = j.now()
	return j.latency[i]
}

// done is when job i completed, on the emulator's clock.
func (j *benchJobs) done(i int) time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.created[i].Add(j.latency[i])
}

// benchBook answers every question with one cheap query, so that the
// answer's SQL does not delay the poll that sees the job done.
type benchBook struct{}

func (benchBook) Match(string, string) (*answerbook.Entry, bool) {
	return &answerbook.Entry{Label: "one", SQL: "SELECT 1"}, true
}

type benchDB struct{}

func (benchDB) Query(context.Context, string, string) (*sqldb.Result, error) {
	return &sqldb.Result{Columns: []string{"1"}, Rows: [][]any{{int64(1)}}}, nil
}

func (benchDB) Databases() []string { return []string{"sp500insight"} }

// benchClock is the time the jobs are waited on: the real one, or a
// simulated one that sleeping advances.
type benchClock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(max(d, 0))
	return ctx.Err()
}

// benchEnv is an emulator behind a real HTTP server, and a client of it.
type benchEnv struct {
	jobs   *benchJobs
	client *chat2query.Client
	clock  benchClock
	scale  time.Duration
}

func newBenchEnv(b *testing.B, n int, scale time.Duration, clock benchClock) *benchEnv {
	b.Helper()
	jobs := newBenchJobs(n, scale, clock.Now)
	pub, priv := emulator.NewKeys()
	srv, err := emulator.New(emulator.Options{PublicKey: pub, PrivateKey: priv, LatencyDist: jobs, Now: clock.Now, DB: benchDB{}, Book: benchBook{}})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}
	c, err := chat2query.New(ts.URL+srv.BasePath(), pub, priv, chat2query.WithBasicAuth(), chat2query.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	if _, ok := clock.(*simClock); ok {
		chat2query.SetClockForTest(c, clock.Now, clock.Sleep)
	}
	return &benchEnv{jobs: jobs, client: c, clock: clock, scale: scale}
}

// run asks job i in session sid and waits for it with policy p; it returns
// the number of polls and when the client saw the job finished.
func (e *benchEnv) run(ctx context.Context, sid chat2query.Int64, i int, p benchPolicy) (int, time.Time, error) {
	ref, err := e.client.SessionChat2Data(ctx, sid, chat2query.SessionChat2DataRequest{Question: fmt.Sprintf("job %d", i)})
	if err != nil {
		return 0, time.Time{}, err
	}
	polls := 0
	if p.every > 0 {
		// Fixed polling, on a fixed grid from the start like WaitJob's
		// schedule, so that the time a poll takes does not count against it.
		every := p.every / e.scale
		start := e.clock.Now()
		for k := 1; ; k++ {
			if err := e.clock.Sleep(ctx, start.Add(time.Duration(k)*every).Sub(e.clock.Now())); err != nil {
				return polls, time.Time{}, err
			}
			job, err := e.client.GetJob(ctx, ref.JobID)
			polls++
			if err != nil {
				return polls, time.Time{}, err
			}
			if job.Finished() {
				return polls, e.clock.Now(), nil
			}
		}
	}
	var seen time.Time
	opts := chat2query.WaitOptions{
		Typical: benchMedian / e.scale,
		Rand:    rand.New(rand.NewPCG(benchSeed, uint64(i))).Float64,
		Progress: func(j *chat2query.Job) {
			polls++
			if j.Finished() {
				seen = e.clock.Now()
			}
		},
	}
	if p.hint {
		opts.FirstPoll = e.jobs.hint[i]
	}
	_, err = e.client.WaitJob(ctx, ref.JobID, opts)
	return polls, seen, err
}

// benchResult collects the figures of one policy.
type benchResult struct {
	mu     sync.Mutex
	polls  int
	delays []float64 // detection delay as a share of the job's latency
}

func (r *benchResult) add(e *benchEnv, i, polls int, seen time.Time) {
	d := float64(seen.Sub(e.jobs.done(i))) / float64(e.jobs.latency[i])
	r.mu.Lock()
	defer r.mu.Unlock()
	r.polls += polls
	r.delays = append(r.delays, d)
}

func (r *benchResult) report(b *testing.B) {
	slices.Sort(r.delays)
	n := len(r.delays)
	quantile := func(q float64) float64 { return 100 * r.delays[int(q*float64(n-1)+0.5)] }
	b.ReportMetric(float64(r.polls)/float64(n), "polls/job")
	b.ReportMetric(quantile(0.5), "p50-delay-%")
	b.ReportMetric(quantile(0.9), "p90-delay-%")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWaitJob waits for 400 jobs per policy in real time, 20 at a
// time, against the emulator over HTTP, with every duration shrunk 100×.
// The detection delay runs from the completion time the emulator gave the
// job to the moment the client has the poll's answer, so it includes the
// poll's round trip and the timer's lateness on a busy machine.
func BenchmarkWaitJob(b *testing.B) {
	const jobs, workers, scale = 400, 20, 100
	for _, p := range benchPolicies {
		b.Run(p.name, func(b *testing.B) {
			var r benchResult
			for range b.N {
				e := newBenchEnv(b, jobs, scale, realClock{})
				ctx := context.Background()
				next := make(chan int)
				var (
					wg       sync.WaitGroup
					errOnce  sync.Once
					firstErr error
				)
				fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
				for range workers {
					wg.Go(func() {
						s, err := e.client.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight", Name: "bench"})
						if err != nil {
							fail(err)
						}
						for i := range next {
							if err != nil {
								continue // drain
							}
							polls, seen, err := e.run(ctx, s.SessionID, i, p)
							if err != nil {
								fail(err)
								continue
							}
							r.add(e, i, polls, seen)
						}
					})
				}
				for i := range jobs {
					next <- i
				}
				close(next)
				wg.Wait()
				if firstErr != nil {
					b.Fatal(firstErr)
				}
			}
			r.report(b)
		})
	}
}

// BenchmarkWaitJobSimulated waits for 1,000 jobs per policy, one after
// another, at full scale on a simulated clock: the emulator and the client
// share it and sleeping advances it, so polls happen exactly when the
// policy says and the figures are those of the policy alone.
func BenchmarkWaitJobSimulated(b *testing.B) {
	const jobs = 1000
	for _, p := range benchPolicies {
		b.Run(p.name, func(b *testing.B) {
			var r benchResult
			for range b.N {
				e := newBenchEnv(b, jobs, 1, &simClock{t: time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC)})
				ctx := context.Background()
				s, err := e.client.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight", Name: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				for i := range jobs {
					polls, seen, err := e.run(ctx, s.SessionID, i, p)
					if err != nil {
						b.Fatal(err)
					}
					r.add(e, i, polls, seen)
				}
			}
			r.report(b)
		})
	}
}
