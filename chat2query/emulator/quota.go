package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/c2q/c2q/chat2query"
)

// The service's documented limits (§4).
const (
	// DefaultDailyQuota is the AI requests a Chat2Query Data App may make a day.
	DefaultDailyQuota = 100
	// DefaultRateLimit is the requests an API key may make a minute.
	DefaultRateLimit = 100
)

// Messages of the two 429s, as documented (§3.2). The daily one names the
// configured quota.
const (
	rateLimitMessage  = "API key rate limit exceeded. The limit can be increased up to 1000 requests per minute per API key in TiDB Cloud console. For an increase in quota beyond 1000 rpm, please contact us: https://tidb.support.pingcap.com/"
	dailyQuotaMessage = "The AI request exceeded the limit of %d times per day. For more quota, please contact us: https://tidb.support.pingcap.com/"
	dailyQuotaType    = "chat2data_endpoint"
)

// Limits are the quotas the emulator enforces. The zero value enforces
// none, so that a Server built for a test or a benchmark is never
// throttled; ServiceLimits returns the real service's.
//
// Which requests count, and when, is undocumented (§15.4); the emulator's
// reading:
//
//   - The per-minute limit counts every authenticated request of the key,
//     whatever its outcome (job polls and CRUD included), in fixed windows
//     aligned to the minutes of the injected clock. Every authenticated
//     response carries X-Ratelimit-Limit-Minute, X-Ratelimit-Remaining-Minute
//     and X-Ratelimit-Reset (seconds until the window ends); a 401 carries
//     none, since the gateway checks the key first. Once none remain, requests
//     get HTTP 429 with gateway code 49900007 and Retry-After, and do not
//     count.
//   - The daily quota counts only AI requests: POST chat2data (/chat2data,
//     /v1, /v2, /v3 and a session's), /v3/refineSql, /v3/suggestQuestions,
//     and /v2 and /v3 dataSummaries. A request the service refuses (4xx or
//     5xx) gives its unit back. Past the quota, AI requests get the
//     documented HTTP 429 of type chat2data_endpoint, without Retry-After.
//     The quota resets at 00:00 UTC of the injected clock.
type Limits struct {
	DailyQuota int // AI requests per UTC day for the app; 0 for no quota
	RateLimit  int // requests per minute per API key; 0 for no limit (and no X-Ratelimit headers)
}

// ServiceLimits returns the real service's default limits: 100 AI requests
// a day and 100 requests a minute.
func ServiceLimits() Limits {
	return Limits{DailyQuota: DefaultDailyQuota, RateLimit: DefaultRateLimit}
}

// limiter is the counting side of Limits. Its counters use whole seconds of
// the injected clock, as the headers do.
type limiter struct {
	lim Limits

	mu      sync.Mutex
	day     int64 // the UTC day (days since the epoch) that used counts
	used    int
	windows map[string]*window // per public key
}

type window struct {
	minute int64 // minutes since the epoch
	count  int
}

func newLimiter(l Limits) (*limiter, error) {
	if l.DailyQuota < 0 || l.RateLimit < 0 {
		return nil, fmt.Errorf("emulator: limits must not be negative, got daily quota %d and rate limit %d", l.DailyQuota, l.RateLimit)
	}
	return &limiter{lim: l, windows: map[string]*window{}}, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// admit applies the limits to an authenticated request of key; ai marks
// the calls that count toward the daily AI quota (the endpoints table). It
// sets the rate-limit headers and, when a limit refuses the request, writes
// the 429 and returns ok false. Otherwise the request must be served through
// the returned writer and done called after it.
func (s *Server) admit(w http.ResponseWriter, key string, ai bool) (_ http.ResponseWriter, done func(), ok bool) {
	l := s.limits
	now := s.opts.Now().Unix()
	if l.lim.RateLimit > 0 {
		minute := floorDiv(now, 60)
		reset := (minute+1)*60 - now // 1..60 seconds
		l.mu.Lock()
		win := l.windows[key]
		if win == nil || win.minute != minute {
			win = &window{minute: minute}
			l.windows[key] = win
		}
		allowed := win.count < l.lim.RateLimit
		if allowed {
			win.count++
		}
		remaining := l.lim.RateLimit - win.count
		l.mu.Unlock()
		h := w.Header()
		h.Set("X-Ratelimit-Limit-Minute", strconv.Itoa(l.lim.RateLimit))
		h.Set("X-Ratelimit-Remaining-Minute", strconv.Itoa(remaining))
		h.Set("X-Ratelimit-Reset", strconv.FormatInt(reset, 10))
		if !allowed {
			h.Set("Retry-After", strconv.FormatInt(reset, 10))
			writeGatewayCode(w, http.StatusTooManyRequests, "", chat2query.CodeKeyRateLimit, rateLimitMessage)
			return nil, nil, false
		}
	}
	if l.lim.DailyQuota <= 0 || !ai {
		return w, func() {}, true
	}
	day := floorDiv(now, 24*3600)
	l.mu.Lock()
	if day != l.day {
		l.day, l.used = day, 0
	}
	allowed := l.used < l.lim.DailyQuota
	if allowed {
		l.used++
	}
	l.mu.Unlock()
	if !allowed {
		writeGatewayCode(w, http.StatusTooManyRequests, dailyQuotaType, http.StatusTooManyRequests,
			fmt.Sprintf(dailyQuotaMessage, l.lim.DailyQuota))
		return nil, nil, false
	}
	sw := &statusWriter{ResponseWriter: w}
	return sw, func() {
		if sw.status < 300 && sw.status != 0 {
			return
		}
		l.mu.Lock()
		if l.day == day && l.used > 0 {
			l.used--
		}
		l.mu.Unlock()
	}, true
}

// UsedAIRequests reports how many AI requests count toward today's quota
// (by the injected clock), for tests and logs.
func (s *Server) UsedAIRequests() int {
	l := s.limits
	day := floorDiv(s.opts.Now().Unix(), 24*3600)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.day != day {
		return 0
	}
	return l.used
}

// statusWriter records the status and the size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// String describes the limits, e.g. "100 AI requests a day, 100 requests a
// minute per key".
func (l Limits) String() string {
	var parts []string
	if l.DailyQuota > 0 {
		parts = append(parts, fmt.Sprintf("%d AI requests a day", l.DailyQuota))
	} else {
		parts = append(parts, "no daily AI quota")
	}
	if l.RateLimit > 0 {
		parts = append(parts, fmt.Sprintf("%d requests a minute per key", l.RateLimit))
	} else {
		parts = append(parts, "no per-minute limit")
	}
	return strings.Join(parts, ", ")
}
