package emulator

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/c2q/c2q/chat2query"
)

// FaultKind is what a scripted fault does to a request.
type FaultKind string

// The scripted faults. Each happens in front of the gateway, as a proxy or
// load balancer failure would: the request is not authenticated and counts
// toward no limit.
const (
	// FaultInternal answers HTTP 500 in the gateway envelope,
	// "internal error! ...".
	FaultInternal FaultKind = "500"
	// FaultRateLimit answers the per-key HTTP 429 (code 49900007) with
	// Retry-After: 1.
	FaultRateLimit FaultKind = "429"
	// FaultBadGateway answers HTTP 502 with an HTML page, as a proxy does.
	FaultBadGateway FaultKind = "502"
	// FaultTruncate serves the request, then cuts the response body off
	// half way and closes the connection: the request took effect.
	FaultTruncate FaultKind = "truncate"
	// FaultReset resets the connection (TCP RST where possible) without
	// reading the request: it takes no effect.
	FaultReset FaultKind = "reset"
	// FaultHang never answers: the request waits until the client gives up
	// or the server closes, then the connection is dropped.
	FaultHang FaultKind = "hang"
)

var faultKinds = []FaultKind{FaultInternal, FaultRateLimit, FaultBadGateway, FaultTruncate, FaultReset, FaultHang}

// Fault is a scripted fault: the N-th request the server receives (counting
// from 1, every request, in arrival order) meets Kind.
type Fault struct {
	N    int
	Kind FaultKind
}

func (f Fault) String() string { return fmt.Sprintf("n=%d:%s", f.N, f.Kind) }

// Faults configures fault injection. The zero value injects none.
type Faults struct {
	// FailRate is the probability, from 0 to 1, that a chat2data job (v2,
	// v3 or a session's) ends "failed" with an injected reason. Data
	// summary, refineSql and suggestQuestions jobs are not affected.
	FailRate float64
	// Seed seeds FailRate's draws: the same seed fails the same jobs of the
	// same sequence of questions.
	Seed uint64
	// Script lists the requests that meet a fault.
	Script []Fault
}

// String describes the faults, e.g. "fail rate 0.1 (seed 1), n=3:500";
// "" for none.
func (f Faults) String() string {
	var parts []string
	if f.FailRate > 0 {
		parts = append(parts, fmt.Sprintf("fail rate %v (seed %d)", f.FailRate, f.Seed))
	}
	for _, sf := range f.Script {
		parts = append(parts, sf.String())
	}
	return strings.Join(parts, ", ")
}

// ParseFaults reads a fault script: a comma-separated list of n=N:KIND,
// where N counts requests from 1 and KIND is 500, 429, 502, truncate,
// reset or hang; e.g. "n=3:500,n=5:hang".
func ParseFaults(s string) ([]Fault, error) {
	var out []Fault
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		bad := func(why string) error {
			return fmt.Errorf("fault %q: %s (want n=N:KIND, KIND one of %s)", item, why, kindList())
		}
		spec, kind, ok := strings.Cut(item, ":")
		if !ok {
			return nil, bad("missing :KIND")
		}
		num, ok := strings.CutPrefix(strings.TrimSpace(spec), "n=")
		if !ok {
			return nil, bad("missing n=")
		}
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || n < 1 {
			return nil, bad("N must be a request number from 1")
		}
		k := FaultKind(strings.ToLower(strings.TrimSpace(kind)))
		if !slices.Contains(faultKinds, k) {
			return nil, bad(fmt.Sprintf("unknown kind %q", kind))
		}
		out = append(out, Fault{N: n, Kind: k})
	}
	return out, nil
}

func kindList() string {
	var s []string
	for _, k := range faultKinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// faulter is the running side of Faults, and the request log.
type faulter struct {
	failRate float64
	script   map[int64]FaultKind
	n        atomic.Int64 // requests received

	mu  sync.Mutex
	rng *rand.Rand

	closed    chan struct{} // closed by release: hanging requests end
	closeOnce sync.Once

	logMu sync.Mutex
	log   io.Writer
}

func newFaulter(f Faults, log io.Writer) (*faulter, error) {
	if !(f.FailRate >= 0 && f.FailRate <= 1) {
		return nil, fmt.Errorf("emulator: FailRate must be from 0 to 1, got %v", f.FailRate)
	}
	fl := &faulter{failRate: f.FailRate, script: map[int64]FaultKind{}, rng: newRand(f.Seed),
		closed: make(chan struct{}), log: log}
	for _, sf := range f.Script {
		if sf.N < 1 || !slices.Contains(faultKinds, sf.Kind) {
			return nil, fmt.Errorf("emulator: bad scripted fault %v", sf)
		}
		if k, dup := fl.script[int64(sf.N)]; dup && k != sf.Kind {
			return nil, fmt.Errorf("emulator: request %d has two faults, %s and %s", sf.N, k, sf.Kind)
		}
		fl.script[int64(sf.N)] = sf.Kind
	}
	return fl, nil
}

// release ends hanging requests; the Server is closing.
func (f *faulter) release() { f.closeOnce.Do(func() { close(f.closed) }) }

// failJob draws whether a job that would succeed fails instead.
func (f *faulter) failJob() bool {
	if f.failRate <= 0 {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.Float64() < f.failRate
}

// injectedFailure is the reason of a job failed by Faults.FailRate.
const injectedFailure = "internal error! Chat2Query could not complete the job (injected by the emulator's fail rate)"

// front is the outermost layer of ServeHTTP: it numbers the request, logs
// it, and injects its scripted fault, if any; otherwise next serves it.
//
// A panic in next (a bug, or one in a caller-supplied Answerer,
// Distribution or Querier) is recovered here: it is logged to Options.Log
// (or the standard logger when Log is nil) with its stack, and the client
// gets HTTP 500 in the v3 error envelope, {"code":500,"msg":"internal
// error! ...","result":{}}, or, when the response had already begun, a
// dropped connection so that it cannot take half an answer for a whole one.
// Locks are released by their deferred Unlocks, so the next request is
// served as usual. http.ErrAbortHandler, which the aborting faults panic
// with on purpose, is passed on to net/http.
func (s *Server) front(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	f := s.faults
	n := f.n.Add(1)
	kind := f.script[n]
	sw := &statusWriter{ResponseWriter: w}
	start := time.Now()
	defer func() {
		v := recover()
		if v != nil && v != http.ErrAbortHandler { // net/http compares it by identity too
			f.logPanic(s.opts.Now(), n, r, v, debug.Stack())
			if sw.status == 0 {
				writeError(sw, http.StatusInternalServerError, fmt.Sprintf(
					"internal error! the emulator failed while serving request %d (its log has the details)", n))
				v = nil
			} else {
				v = http.ErrAbortHandler
			}
		}
		// Logged after the recovery, so that the aborting faults and the
		// recovered panics get their line too.
		if f.log != nil {
			f.logRequest(s.opts.Now(), n, r, sw, time.Since(start), kind)
		}
		if v != nil {
			panic(v)
		}
	}()
	switch kind {
	case "":
		next(sw, r)
	case FaultInternal:
		writeGateway(sw, http.StatusInternalServerError, fmt.Sprintf("internal error! emulator fault injection: request %d", n))
	case FaultRateLimit:
		h := sw.Header()
		h.Set("Retry-After", "1")
		h.Set("X-Ratelimit-Remaining-Minute", "0")
		h.Set("X-Ratelimit-Reset", "1")
		writeGatewayCode(sw, http.StatusTooManyRequests, "", chat2query.CodeKeyRateLimit, rateLimitMessage)
	case FaultBadGateway:
		sw.Header().Set("Content-Type", "text/html")
		sw.WriteHeader(http.StatusBadGateway)
		io.WriteString(sw, badGatewayPage)
	case FaultTruncate:
		rec := &bufferWriter{header: http.Header{}}
		next(rec, r)
		for k, v := range rec.header {
			sw.Header()[k] = v
		}
		sw.Header().Set("Content-Length", strconv.Itoa(rec.body.Len()))
		sw.WriteHeader(rec.statusOr200())
		sw.Write(rec.body.Bytes()[:rec.body.Len()/2])
		http.NewResponseController(sw).Flush()
		panic(http.ErrAbortHandler) // the server drops the connection
	case FaultReset:
		resetConnection(sw)
	case FaultHang:
		// net/http notices a client hanging up only once the body is read.
		io.Copy(io.Discard, http.MaxBytesReader(sw, r.Body, maxBody))
		select {
		case <-r.Context().Done():
		case <-f.closed:
		}
		panic(http.ErrAbortHandler)
	}
}

// resetConnection drops the connection: with a TCP RST when the connection
// can be taken over, else as net/http aborts a handler.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST instead of FIN
	}
	conn.Close()
}

const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// logRequest writes one line per request: never headers or bodies, so no
// credentials; the path carries none.
func (f *faulter) logRequest(now time.Time, n int64, r *http.Request, w *statusWriter, took time.Duration, kind FaultKind) {
	status := "-"
	if w.status != 0 {
		status = strconv.Itoa(w.status)
	}
	line := fmt.Sprintf("%s #%d %s %s %s %dB %s", now.UTC().Format(time.RFC3339), n, r.Method,
		r.URL.EscapedPath(), status, w.bytes, took.Round(time.Microsecond))
	if kind != "" {
		line += " fault=" + string(kind)
	}
	f.logMu.Lock()
	defer f.logMu.Unlock()
	fmt.Fprintln(f.log, line)
}

// logPanic reports a panic recovered by front, with its stack, to the log,
// or to the standard logger when there is none: a bug must not pass
// silently. The request's headers and body are not logged.
func (f *faulter) logPanic(now time.Time, n int64, r *http.Request, v any, stack []byte) {
	msg := fmt.Sprintf("%s #%d %s %s panic: %v\n%s", now.UTC().Format(time.RFC3339), n, r.Method,
		r.URL.EscapedPath(), v, stack)
	if f.log == nil {
		log.Print("emulator: " + msg)
		return
	}
	f.logMu.Lock()
	defer f.logMu.Unlock()
	fmt.Fprintln(f.log, strings.TrimRight(msg, "\n"))
}

// bufferWriter holds a response in memory.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferWriter) statusOr200() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}
