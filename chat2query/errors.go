package chat2query

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/c2q/c2q/spec/plural"
)

// Gateway codes of the TiDB Cloud Data Service (chat2query-api.md §3.2).
const (
	CodeKeyExpired   = 49900002             // HTTP 401: "API Key is no longer valid"
	CodeKeyRateLimit = 49900007             // HTTP 429: per-key requests-per-minute limit
	dailyQuotaType   = "chat2data_endpoint" // gateway type of the daily AI quota's 429
	notReadyMessage  = "not ready"
)

// DecodeError reports a response that could not be understood: not JSON,
// HTML from a proxy, truncated, or of an unexpected shape.
type DecodeError struct {
	What    string // what was being decoded, e.g. "POST /v3/sessions response"
	Err     error
	Excerpt string // the start of the offending body, sanitized; may be empty
}

func (e *DecodeError) Error() string {
	if e.Excerpt != "" {
		return fmt.Sprintf("cannot decode %s: %v (body: %q)", e.What, e.Err, e.Excerpt)
	}
	return fmt.Sprintf("cannot decode %s: %v", e.What, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// APIError is a request the service (or a proxy in front of it) refused: an
// HTTP status outside 2xx, or a 2xx body whose envelope code is not 200.
// Both envelopes are decoded: {code,msg,result} and the gateway's
// {type,data:{result:{code,message}}}. Text from the server is sanitized and
// never contains the API keys.
type APIError struct {
	Method     string
	Path       string // API path below the endpoint base, e.g. /v3/chat2data
	StatusCode int    // HTTP status
	Code       int    // code from the body; 0 when the body had none
	Msg        string // message from the body, or an excerpt of a body that was not an envelope
	Type       string // gateway envelope type, e.g. "chat2data_endpoint"

	// RetryAfter is how long the server asked to wait (Retry-After or
	// X-Ratelimit-Reset); 0 when it did not say.
	RetryAfter time.Duration
	// TraceID is the gateway's x-debug-trace-id, for TiDB Cloud support.
	TraceID string
}

// status is the HTTP status the error amounts to: a 2xx response carrying an
// error code is classified by that code.
func (e *APIError) status() int {
	switch {
	case e.StatusCode >= 300:
		return e.StatusCode
	case e.Code == CodeKeyExpired:
		return http.StatusUnauthorized
	case e.Code == CodeKeyRateLimit:
		return http.StatusTooManyRequests
	case e.Code >= 100 && e.Code < 600:
		return e.Code
	}
	return e.StatusCode
}

// Unauthorized reports a missing, wrong or expired API key.
func (e *APIError) Unauthorized() bool { return e.status() == http.StatusUnauthorized }

// KeyExpired reports an API key that is no longer valid (code 49900002).
func (e *APIError) KeyExpired() bool { return e.Code == CodeKeyExpired }

// Forbidden reports a key whose role does not allow the call.
func (e *APIError) Forbidden() bool { return e.status() == http.StatusForbidden }

// NotFound reports an unknown path or job (HTTP 404).
func (e *APIError) NotFound() bool { return e.status() == http.StatusNotFound }

// RateLimited reports HTTP 429: either the per-key per-minute limit (which
// passes) or the Data App's daily AI quota (see QuotaExhausted).
func (e *APIError) RateLimited() bool { return e.status() == http.StatusTooManyRequests }

// QuotaExhausted reports the Data App's daily AI request quota (100 a day by
// default); retrying before it resets only fails again.
func (e *APIError) QuotaExhausted() bool {
	if !e.RateLimited() || e.Code == CodeKeyRateLimit {
		return false
	}
	return e.Type == dailyQuotaType || strings.Contains(strings.ToLower(e.Msg), "per day")
}

// NotReady reports the 400 "Data summary is not ready" of chat2data: the
// database's data summary job has not finished yet.
func (e *APIError) NotReady() bool {
	return e.status() == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Msg), notReadyMessage)
}

// Temporary reports a failure that the same request may not meet again
// later: a timeout (408), the per-minute rate limit, or a server-side error
// (5xx except 501 Not Implemented).
func (e *APIError) Temporary() bool {
	switch s := e.status(); {
	case s == http.StatusRequestTimeout:
		return true
	case s == http.StatusTooManyRequests:
		return !e.QuotaExhausted()
	case s >= 500 && s < 600:
		return s != http.StatusNotImplemented
	}
	return false
}

// Error says what failed, what the server said, and what to do about it.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s (HTTP %d", e.Method, e.Path, e.what(), e.StatusCode)
	if e.Code != 0 && e.Code != e.StatusCode {
		fmt.Fprintf(&b, ", code %d", e.Code)
	}
	if e.Msg != "" {
		fmt.Fprintf(&b, ": %s)", e.Msg)
	} else {
		b.WriteString(", empty message)")
	}
	if h := e.hint(); h != "" {
		b.WriteString(": ")
		b.WriteString(h)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " [trace id %s]", e.TraceID)
	}
	return b.String()
}

func (e *APIError) what() string {
	s := e.status()
	switch {
	case e.KeyExpired():
		return "API key is no longer valid"
	case e.Unauthorized():
		return "authentication failed"
	case e.Forbidden():
		return "permission denied"
	case e.QuotaExhausted():
		return "daily AI request quota exhausted"
	case e.RateLimited():
		return "rate limited"
	case e.NotReady():
		return "data summary is not ready"
	case e.NotFound() && e.isJobPath():
		return "job not found"
	case e.NotFound() && e.isResourcePath():
		return "not found"
	case e.NotFound():
		return "endpoint not found"
	case s == http.StatusBadRequest:
		return "request rejected"
	case s == http.StatusRequestTimeout:
		return "request timed out"
	case s >= 300 && s < 400:
		return "unexpected redirect"
	case s >= 500:
		return "server error"
	}
	return "request failed"
}

func (e *APIError) hint() string {
	s := e.status()
	switch {
	case e.KeyExpired():
		return "create a new API key for the Data App in the TiDB Cloud console and use its public and private key"
	case e.Unauthorized():
		return "check the public and private key"
	case e.Forbidden():
		return "check that the API key's role allows this call (Chat2Query SQL ReadOnly, ReadWrite or Admin)"
	case e.QuotaExhausted() && e.RetryAfter > 0:
		return fmt.Sprintf("the daily quota resets in %s; ask TiDB Cloud support for more", e.RetryAfter)
	case e.QuotaExhausted():
		return "wait for the daily quota to reset (the service did not say when), or ask TiDB Cloud support for more"
	case e.RateLimited() && e.RetryAfter > 0:
		return fmt.Sprintf("retry in %s, or raise the API key's rate limit in the TiDB Cloud console", e.RetryAfter)
	case e.RateLimited():
		return "retry in a minute, or raise the API key's rate limit in the TiDB Cloud console"
	case e.NotReady():
		return "wait for the database's data summary job to finish, then retry"
	case e.NotFound() && e.isJobPath():
		return "the job id is unknown or the job has expired"
	case e.NotFound() && e.isResourcePath():
		return "check the id: the service does not know it"
	case e.NotFound():
		return "check that the endpoint URL is the Data App endpoint base, https://<region>.data.tidbcloud.com/api/v1beta/app/chat2query-<ID>/endpoint"
	case s >= 300 && s < 400:
		return "check the scheme and host of the endpoint URL"
	case e.Temporary():
		return "the service may be temporarily unavailable; retry later"
	}
	return ""
}

func (e *APIError) isJobPath() bool { return strings.HasPrefix(e.Path, "/v2/jobs/") }

// isResourcePath reports a path that names a resource by id (a session, a
// data summary, a knowledge base), whose 404 most likely means an unknown id
// rather than a wrong endpoint URL (unless the gateway says "endpoint not
// found").
func (e *APIError) isResourcePath() bool {
	if strings.Contains(strings.ToLower(e.Msg), "endpoint") {
		return false
	}
	for _, p := range []string{"/v3/sessions/", "/v3/dataSummaries/", "/v3/knowledgeBases/", "/v2/dataSummaries/"} {
		if strings.HasPrefix(e.Path, p) {
			return true
		}
	}
	return false
}

// ErrAuth matches every authentication failure: errors.Is(err, ErrAuth)
// holds for an *AuthError.
var ErrAuth = errors.New("authentication failed")

// AuthError is a request refused for its credentials (HTTP 401): a missing
// or wrong API key, an expired one (KeyExpired, code 49900002), or a server
// that asked for no digest authentication. No other request with the same
// keys can succeed, so none is retried: a request costs at most the digest
// challenge exchange and one answer to it.
type AuthError struct {
	*APIError
	// Challenge says, with Digest authentication, why the 401 could not be
	// answered, e.g. "the server answered 401 without a digest challenge";
	// "" when a digest challenge was answered and the key was refused, and
	// with Basic authentication.
	Challenge string
}

func (e *AuthError) Error() string {
	if e.Challenge == "" {
		return e.APIError.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: authentication failed: %s; check the public and private key (HTTP %d", e.Method, e.Path, e.Challenge, e.StatusCode)
	if e.Code != 0 && e.Code != e.StatusCode {
		fmt.Fprintf(&b, ", code %d", e.Code)
	}
	if e.Msg != "" {
		fmt.Fprintf(&b, ": %s", e.Msg)
	}
	b.WriteString(")")
	if e.TraceID != "" {
		fmt.Fprintf(&b, " [trace id %s]", e.TraceID)
	}
	return b.String()
}

// Is reports ErrAuth.
func (e *AuthError) Is(target error) bool { return target == ErrAuth }

func (e *AuthError) Unwrap() error { return e.APIError }

// RateLimitError is a request refused by a rate limit (HTTP 429): the API
// key's per-minute limit (code 49900007), which passes within a minute, or,
// when Daily is set, the Data App's daily AI request quota (100 a day by
// default), which no retry before Reset can pass.
type RateLimitError struct {
	*APIError
	Daily bool
	// Reset is when the limit resets, from Retry-After (and, for the
	// per-minute limit, X-Ratelimit-Reset); zero when the service did not
	// say. The daily quota's reset time is undocumented.
	Reset time.Time
}

func (e *RateLimitError) Unwrap() error { return e.APIError }

// NotReadyError is the HTTP 400 "Data summary is not ready" of chat2data:
// the database's data summary job has not finished. Retry after it has.
type NotReadyError struct{ *APIError }

func (e *NotReadyError) Unwrap() error { return e.APIError }

// NotFoundError is an HTTP 404: an unknown endpoint (a wrong URL), or an
// unknown job, session, data summary or knowledge base id.
type NotFoundError struct{ *APIError }

func (e *NotFoundError) Unwrap() error { return e.APIError }

// ServerError is a failure of the service rather than of the request: HTTP
// 5xx (except 501) or 408 request timeout, possibly an HTML page from a
// proxy (Msg then holds its text). A request that reached the service may
// have been processed before it failed.
type ServerError struct{ *APIError }

func (e *ServerError) Unwrap() error { return e.APIError }

// NetworkError is a request that got no complete HTTP response: DNS,
// connection, TLS, a client timeout, or a body cut off while reading.
type NetworkError struct {
	Method string
	Path   string
	Err    error
	// NotSent reports that the request certainly did not reach the server
	// (name resolution or the connection failed), so sending it again cannot
	// duplicate it.
	NotSent bool
}

func (e *NetworkError) Error() string {
	what := e.Err.Error()
	if e.Timeout() && !strings.Contains(strings.ToLower(what), "timeout") {
		what = "timed out: " + what // rather than a bare "context deadline exceeded"
	}
	switch {
	case certificateError(e.Err):
		return fmt.Sprintf("%s %s: %s: the server's TLS certificate cannot be verified; check the host of the endpoint URL and the system's CA certificates", e.Method, e.Path, what)
	case !e.NotSent && e.Method != http.MethodGet:
		return fmt.Sprintf("%s %s: %s: the request may have reached Chat2Query, so it was not sent again; check the network connection before repeating it", e.Method, e.Path, what)
	}
	return fmt.Sprintf("%s %s: %s: check the endpoint URL and the network connection", e.Method, e.Path, what)
}

// Timeout reports a request that timed out (the HTTP client's timeout, or
// a dial or TLS handshake timeout); the caller's context did not end.
func (e *NetworkError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

func (e *NetworkError) Unwrap() error { return e.Err }

// TimeoutError is returned by WaitJob when WaitOptions.Timeout passes, or
// the deadline of its context, before the job finishes. The job may still
// finish on the server.
type TimeoutError struct {
	JobID      string
	Waited     time.Duration
	LastStatus string // status of the last successful poll; "" if none succeeded
	Job        *Job   // the last polled job (auto_breakdown may hold partial results); nil if none
	// Polls is how many polls were answered.
	Polls int
	// Poll is the error of the poll that was in progress when the deadline
	// came (a hung server, a stalled body, a wait to retry), a
	// *ContextError; nil when the deadline came between polls.
	Poll error
	// Err is the context's error when its deadline ended the wait
	// (context.DeadlineExceeded); nil when WaitOptions.Timeout did.
	Err error
}

func (e *TimeoutError) Error() string {
	last := "no status yet"
	if e.LastStatus != "" {
		last = fmt.Sprintf("last status %q", e.LastStatus)
	}
	if e.Polls > 0 {
		last += " after " + plural.Count(e.Polls, "poll")
	}
	if e.Poll != nil {
		last += "; " + e.pollState()
	}
	return fmt.Sprintf("job %s did not finish within %s (%s): raise the timeout, or check the job later", e.JobID, e.Waited.Round(time.Millisecond), last)
}

// Unwrap returns Err.
func (e *TimeoutError) Unwrap() error { return e.Err }

// State says where the job stood, for a message that gives the timeout
// itself: "job j1 still running after 12 polls", "job j1 still running
// after 2 polls; poll 3 got no complete response", "job j1: poll 1 got no
// complete response".
func (e *TimeoutError) State() string {
	var s string
	switch st := e.LastStatus; {
	case e.Polls == 0:
		s = "job " + e.JobID + ":"
		if e.Poll == nil {
			return s + " not polled yet"
		}
	case st == JobInit || st == JobRunning:
		s = fmt.Sprintf("job %s still %s after %s", e.JobID, st, plural.Count(e.Polls, "poll"))
	default:
		s = fmt.Sprintf("job %s still %q after %s", e.JobID, truncate(sanitize(st), 40), plural.Count(e.Polls, "poll"))
	}
	if e.Poll != nil {
		if e.Polls > 0 {
			s += ";"
		}
		s += " " + e.pollState()
	}
	return s
}

// pollState says what became of the poll in progress.
func (e *TimeoutError) pollState() string {
	n := e.Polls + 1
	var ce *ContextError
	switch {
	case !errors.As(e.Poll, &ce):
		return fmt.Sprintf("poll %d failed (%v)", n, e.Poll)
	case ce.Last != nil:
		return fmt.Sprintf("poll %d was waiting to retry after %s (%v)", n, plural.Count(ce.Attempts, "attempt"), ce.Last)
	case ce.Waiting != "":
		return fmt.Sprintf("poll %d was waiting %s", n, ce.Waiting)
	}
	return fmt.Sprintf("poll %d got no complete response", n)
}

// ContextError is a call that its context ended, canceled or past its
// deadline, while a request was in flight or while the client waited to
// send one. errors.Is(err, context.Canceled) and errors.Is(err,
// context.DeadlineExceeded) tell which; errors.As reaches the failure that
// was about to be retried, if any.
type ContextError struct {
	Method string
	Path   string
	// Waiting is what the client waited for before sending, e.g. "30s for
	// the API key's per-minute rate limit to reset"; "" when a request was
	// in flight or the client waited to retry Last.
	Waiting  string
	Attempts int   // requests sent (or tried) before the context ended
	Last     error // the failure of the last attempt, when waiting to retry it
	Err      error // the context's error
}

func (e *ContextError) Error() string {
	switch {
	case e.Last != nil:
		return fmt.Sprintf("%v (stopped retrying after %s: %v)", e.Last, plural.Count(e.Attempts, "attempt"), e.Err)
	case e.Waiting != "":
		return fmt.Sprintf("%s %s: waiting %s: %v", e.Method, e.Path, e.Waiting, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the context's error and the failure being retried.
func (e *ContextError) Unwrap() []error {
	if e.Last != nil {
		return []error{e.Err, e.Last}
	}
	return []error{e.Err}
}

// Activity says what the call was doing when its context ended, for a
// message that says why it ended: "POST /v3/sessions got no complete
// response", "GET /v2/jobs/j1 was waiting 30s for the API key's per-minute
// rate limit to reset", "GET /v2/jobs/j1 was waiting to retry after 2
// attempts (…)".
func (e *ContextError) Activity() string {
	switch {
	case e.Last != nil:
		return fmt.Sprintf("%s %s was waiting to retry after %s (%v)", e.Method, e.Path, plural.Count(e.Attempts, "attempt"), e.Last)
	case e.Waiting != "":
		return fmt.Sprintf("%s %s was waiting %s", e.Method, e.Path, e.Waiting)
	}
	return fmt.Sprintf("%s %s got no complete response", e.Method, e.Path)
}

// sanitize turns server-sent text (JSON messages, HTML error pages) into one
// printable line: tags dropped, entities decoded, control characters and
// invalid UTF-8 removed, whitespace collapsed.
func sanitize(s string) string {
	if strings.Contains(s, "<") && strings.Contains(s, ">") {
		s = stripTags(s)
	}
	s = html.UnescapeString(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// stripTags drops <...> markup, leaving a space so that words do not merge.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
