package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A Distribution gives each job its latency, the time from its creation to
// its completion. The Server calls Sample once per job, when the job is
// created, with the question asked, or for a job that answers no question
// with what it does ("data summary sp500insight", "suggest questions
// sp500insight", refineSql's feedback); v1 chat2data draws its ai_latency
// the same way. The data summaries the server starts with are done already
// and draw nothing, nor does a reuse=true summary job, which ends with the
// summary it reuses. Sample must be safe for concurrent use if the
// Distribution is shared by several Servers. A negative latency is taken as
// zero. A Sample that panics fails its request with a 500 (see front).
//
// Fixed, Uniform and LogNormal are the built-in distributions;
// ParseDistribution reads them from text such as a command-line flag.
type Distribution interface {
	Sample(question string) time.Duration
}

// DefaultSigma is the spread of ParseDistribution's "lognormal:MEDIAN": with
// it, half the jobs take between 0.71 and 1.40 times the median, and one in
// ten more than 1.9 times.
const DefaultSigma = 0.5

// Fixed gives every job the latency d.
func Fixed(d time.Duration) Distribution { return fixed(d) }

type fixed time.Duration

func (f fixed) Sample(string) time.Duration { return time.Duration(f) }
func (f fixed) String() string              { return time.Duration(f).String() }

// Uniform draws latencies uniformly from [lo, hi), from a pseudo-random
// sequence determined by seed: the same seed gives the same latencies to the
// same sequence of jobs.
func Uniform(lo, hi time.Duration, seed uint64) Distribution {
	if hi < lo {
		lo, hi = hi, lo
	}
	return &uniform{lo: lo, hi: hi, rng: newRand(seed)}
}

type uniform struct {
	lo, hi time.Duration
	mu     sync.Mutex
	rng    *rand.Rand
}

func (u *uniform) Sample(string) time.Duration {
	n := int64(u.hi - u.lo)
	if n <= 0 { // equal bounds, or a span too wide for a Duration
		return u.lo
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.lo + time.Duration(u.rng.Int64N(n))
}

func (u *uniform) String() string { return "uniform:" + u.lo.String() + "-" + u.hi.String() }

// LogNormal draws latencies whose logarithm is normal: median×e^(sigma×Z)
// with Z standard normal, the usual shape of service latencies (most jobs
// near the median, a long tail of slow ones). The sequence is determined by
// seed, as for Uniform.
func LogNormal(median time.Duration, sigma float64, seed uint64) Distribution {
	return &logNormal{median: median, sigma: sigma, rng: newRand(seed)}
}

type logNormal struct {
	median time.Duration
	sigma  float64
	mu     sync.Mutex
	rng    *rand.Rand
}

func (l *logNormal) Sample(string) time.Duration {
	l.mu.Lock()
	z := l.rng.NormFloat64()
	l.mu.Unlock()
	d := float64(l.median) * math.Exp(l.sigma*z)
	switch {
	case math.IsNaN(d):
		return l.median
	case d >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(d)
}

func (l *logNormal) String() string {
	return "lognormal:" + l.median.String() + "," + strconv.FormatFloat(l.sigma, 'g', -1, 64)
}

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// ParseDistribution reads a latency distribution, seeded with seed:
//
//	2s                  Fixed(2s); also "fixed:2s"
//	uniform:1s-3s       Uniform(1s, 3s, seed)
//	lognormal:4s,0.5    LogNormal(4s, 0.5, seed): median 4s, sigma 0.5
//	lognormal:4s        LogNormal(4s, DefaultSigma, seed)
//
// Durations are Go durations (time.ParseDuration) and must not be
// negative; sigma is a number from 0 to 5. The built-in distributions print
// themselves (fmt.Stringer) in this syntax.
func ParseDistribution(s string, seed uint64) (Distribution, error) {
	kind, args, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		kind, args = "fixed", kind
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("latency %q: %s (want 2s, uniform:1s-3s or lognormal:4s,0.5)", s, fmt.Sprintf(format, a...))
	}
	switch strings.ToLower(kind) {
	case "fixed":
		d, err := parseLatency(args)
		if err != nil {
			return nil, bad("%v", err)
		}
		return Fixed(d), nil
	case "uniform":
		lo, hi, ok := strings.Cut(args, "-")
		if !ok {
			return nil, bad("uniform needs MIN-MAX")
		}
		from, err := parseLatency(lo)
		if err != nil {
			return nil, bad("%v", err)
		}
		to, err := parseLatency(hi)
		if err != nil {
			return nil, bad("%v", err)
		}
		if to < from {
			return nil, bad("the maximum %s is below the minimum %s", to, from)
		}
		return Uniform(from, to, seed), nil
	case "lognormal", "log-normal":
		med, sig, hasSigma := strings.Cut(args, ",")
		median, err := parseLatency(med)
		if err != nil {
			return nil, bad("%v", err)
		}
		sigma := DefaultSigma
		if hasSigma {
			sigma, err = strconv.ParseFloat(strings.TrimSpace(sig), 64)
			if err != nil || !(sigma >= 0 && sigma <= 5) {
				return nil, bad("sigma must be a number from 0 to 5, got %q", strings.TrimSpace(sig))
			}
		}
		return LogNormal(median, sigma, seed), nil
	}
	return nil, bad("unknown distribution %q", kind)
}

func parseLatency(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s is negative", d)
	}
	return d, nil
}
