package emulator_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
)

func TestParseDistribution(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want: the distribution's String, or the error's text
		err      bool
	}{
		{in: "2s", want: "2s"},
		{in: " 1m30s ", want: "1m30s"},
		{in: "0", want: "0s"},
		{in: "fixed:250ms", want: "250ms"},
		{in: "uniform:1s-3s", want: "uniform:1s-3s"},
		{in: "Uniform: 1s - 1s", want: "uniform:1s-1s"},
		{in: "lognormal:4s,0.5", want: "lognormal:4s,0.5"},
		{in: "lognormal:40ms, 1.25", want: "lognormal:40ms,1.25"},
		{in: "lognormal:4s", want: "lognormal:4s,0.5"},
		{in: "log-normal:4s,0", want: "lognormal:4s,0"},

		{in: "", err: true, want: `"" is not a duration`},
		{in: "2", err: true, want: "is not a duration"},
		{in: "-1s", err: true, want: "-1s is negative"},
		{in: "uniform:1s", err: true, want: "uniform needs MIN-MAX"},
		{in: "uniform:3s-1s", err: true, want: "the maximum 1s is below the minimum 3s"},
		{in: "uniform:1s-x", err: true, want: `"x" is not a duration`},
		{in: "lognormal:4s,-1", err: true, want: "sigma must be a number from 0 to 5"},
		{in: "lognormal:4s,NaN", err: true, want: "sigma must be a number from 0 to 5"},
		{in: "lognormal:4s,9", err: true, want: "sigma must be a number from 0 to 5"},
		{in: "lognormal:,0.5", err: true, want: "is not a duration"},
		{in: "pareto:1s", err: true, want: `unknown distribution "pareto"`},
	} {
		d, err := emulator.ParseDistribution(tc.in, 1)
		if tc.err {
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "want 2s, uniform:1s-3s or lognormal:4s,0.5") {
				t.Errorf("%q: err = %v, want one containing %q", tc.in, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := fmt.Sprint(d); got != tc.want {
			t.Errorf("%q: parsed as %s, want %s", tc.in, got, tc.want)
		}
		// What a distribution prints parses back to the same thing.
		again, err := emulator.ParseDistribution(fmt.Sprint(d), 1)
		if err != nil || fmt.Sprint(again) != tc.want {
			t.Errorf("%q: round trip gave %v, %v", tc.in, again, err)
		}
	}
}

func samples(d emulator.Distribution, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d.Sample("q")
	}
	return out
}

func TestDistributionsAreSeeded(t *testing.T) {
	for _, mk := range []func(seed uint64) emulator.Distribution{
		func(seed uint64) emulator.Distribution { return emulator.Uniform(time.Second, 3*time.Second, seed) },
		func(seed uint64) emulator.Distribution { return emulator.LogNormal(4*time.Second, 0.5, seed) },
	} {
		a, b, c := samples(mk(7), 100), samples(mk(7), 100), samples(mk(8), 100)
		if !slices.Equal(a, b) {
			t.Errorf("%v: the same seed gave different latencies", mk(7))
		}
		if slices.Equal(a, c) {
			t.Errorf("%v: different seeds gave the same latencies", mk(7))
		}
	}
}

func TestFixed(t *testing.T) {
	if got := samples(emulator.Fixed(2*time.Second), 3); !slices.Equal(got, []time.Duration{2 * time.Second, 2 * time.Second, 2 * time.Second}) {
		t.Errorf("Fixed(2s) gave %v", got)
	}
}

func TestUniform(t *testing.T) {
	got := samples(emulator.Uniform(time.Second, 3*time.Second, 1), 10000)
	var sum time.Duration
	for _, d := range got {
		if d < time.Second || d >= 3*time.Second {
			t.Fatalf("latency %v outside [1s, 3s)", d)
		}
		sum += d
	}
	if mean := sum / time.Duration(len(got)); mean < 1950*time.Millisecond || mean > 2050*time.Millisecond {
		t.Errorf("mean %v, want about 2s", mean)
	}
	if got := samples(emulator.Uniform(3*time.Second, 3*time.Second, 1), 2); got[0] != 3*time.Second || got[1] != 3*time.Second {
		t.Errorf("Uniform(3s, 3s) gave %v", got)
	}
}

func TestLogNormal(t *testing.T) {
	const median = 4 * time.Second
	got := samples(emulator.LogNormal(median, 0.5, 1), 20000)
	slices.Sort(got)
	quantile := func(q float64) float64 { return float64(got[int(q*float64(len(got)))]) / float64(median) }
	// Quantiles of e^(0.5 Z): 0.25 → e^(-0.337), 0.5 → 1, 0.9 → e^(0.641).
	for _, c := range []struct{ q, want float64 }{{0.25, math.Exp(-0.5 * 0.6745)}, {0.5, 1}, {0.9, math.Exp(0.5 * 1.2816)}} {
		if g := quantile(c.q); math.Abs(g-c.want) > 0.03*c.want {
			t.Errorf("quantile %.2f = %.3f×median, want %.3f", c.q, g, c.want)
		}
	}
	if got := samples(emulator.LogNormal(median, 0, 1), 2); got[0] != median || got[1] != median {
		t.Errorf("sigma 0 gave %v", got)
	}
	if got := emulator.LogNormal(time.Hour, 5, 1); slices.Min(samples(got, 1000)) < 0 {
		t.Error("a huge sigma gave a negative latency")
	}
}

// byQuestion gives each question the latency its text names.
type byQuestion map[string]time.Duration

func (b byQuestion) Sample(q string) time.Duration {
	return b[strings.TrimSuffix(strings.Fields(q)[0], ":")]
}

// TestJobLatencyIsPerJob: every job keeps the latency drawn when it was
// created, for its status and its ended_at.
func TestJobLatencyIsPerJob(t *testing.T) {
	e := newEnv(t, emulator.Options{LatencyDist: byQuestion{"fast": time.Second, "slow": 3 * time.Second, "negative": -time.Second}})
	sid := e.newSession()
	slow := e.ask(sid, "slow: Which five companies have the largest market cap?", "direct")
	fast := e.ask(sid, "fast: Which five companies have the largest market cap?", "direct")
	negative := e.ask(sid, "negative: Which five companies have the largest market cap?", "direct")
	status := func(id string) string { return e.job(id)["status"].(string) }
	if s := status(negative); s != "done" {
		t.Errorf("a negative latency: status %q, want done at once", s)
	}
	e.clock.Advance(time.Second)
	if s, f := status(slow), status(fast); s != "running" || f != "done" {
		t.Errorf("after 1s: slow %q, fast %q; want running, done", s, f)
	}
	if got := e.job(fast)["ended_at"]; fmt.Sprint(got) != fmt.Sprint(t0.Unix()+1) {
		t.Errorf("fast ended_at = %v, want %d", got, t0.Unix()+1)
	}
	e.clock.Advance(2 * time.Second)
	if s := status(slow); s != "done" {
		t.Errorf("after 3s: slow %q, want done", s)
	}
	if got := e.job(slow)["ended_at"]; fmt.Sprint(got) != fmt.Sprint(t0.Unix()+3) {
		t.Errorf("slow ended_at = %v, want %d", got, t0.Unix()+3)
	}
}

func TestLatencyAndLatencyDist(t *testing.T) {
	_, err := emulator.New(emulator.Options{PublicKey: "p", PrivateKey: "k", Latency: time.Second, LatencyDist: emulator.Fixed(time.Second), DB: testDB(), Book: testBook()})
	if err == nil || !strings.Contains(err.Error(), "set Latency or LatencyDist, not both") {
		t.Errorf("err = %v", err)
	}
}
