package chat2query

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const html502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>`

type predicates struct {
	Unauthorized, KeyExpired, Forbidden, NotFound, RateLimited, QuotaExhausted, NotReady, Temporary bool
}

func predicatesOf(e *APIError) predicates {
	return predicates{e.Unauthorized(), e.KeyExpired(), e.Forbidden(), e.NotFound(), e.RateLimited(),
		e.QuotaExhausted(), e.NotReady(), e.Temporary()}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name    string
		kind    string // what kindOf says
		get     bool   // call GetJob("j1") instead of Chat2Data
		status  int
		header  map[string]string
		body    string
		want    *APIError // nil: want a *DecodeError
		is      predicates
		message string // substring of Error()
	}{
		{
			name: "400 data summary not ready", kind: "not ready", status: 400, body: fixtureNotReady,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 400, Code: 400,
				Msg: "Data summary is not ready, please wait for a while and retry"},
			is:      predicates{NotReady: true},
			message: "data summary is not ready (HTTP 400: Data summary is not ready, please wait for a while and retry): wait for",
		},
		{
			name: "401 gateway envelope", kind: "auth", status: 401, body: fixtureGateway401,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 401, Code: 401, Msg: "auth failed"},
			is:      predicates{Unauthorized: true},
			message: "POST /v3/chat2data: authentication failed (HTTP 401: auth failed): check the public and private key",
		},
		{
			name: "401 expired key", kind: "auth", status: 401, body: fixtureGatewayExpired,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 401, Code: CodeKeyExpired, Msg: "API Key is no longer valid"},
			is:      predicates{Unauthorized: true, KeyExpired: true},
			message: "API key is no longer valid (HTTP 401, code 49900002: API Key is no longer valid): create a new API key",
		},
		{
			name: "401 code envelope", kind: "auth", status: 401, body: `{"code":401,"msg":"auth failed","result":null}`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 401, Code: 401, Msg: "auth failed"},
			is:   predicates{Unauthorized: true},
		},
		{
			name: "403 role", kind: "api", status: 403, body: `{"code":403,"msg":"permission denied","result":{}}`,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 403, Code: 403, Msg: "permission denied"},
			is:      predicates{Forbidden: true},
			message: "role",
		},
		{
			name: "429 per-minute rate limit", kind: "rate limit", status: 429, body: fixtureGatewayRPM,
			header: map[string]string{"X-Ratelimit-Reset": "12", "X-Ratelimit-Remaining-Minute": "0", "X-Debug-Trace-Id": "abc123"},
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 429, Code: CodeKeyRateLimit,
				Msg:        "API key rate limit exceeded. The limit can be increased up to 1000 requests per minute per API key in TiDB Cloud console. For an increase in quota beyond 1000 rpm, please contact us: https://tidb.support.pingcap.com/",
				RetryAfter: 12 * time.Second, TraceID: "abc123"},
			is:      predicates{RateLimited: true, Temporary: true},
			message: "retry in 12s, or raise the API key's rate limit in the TiDB Cloud console [trace id abc123]",
		},
		{
			name: "429 daily quota", kind: "daily quota", status: 429, body: fixtureGatewayDaily,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 429, Code: 429, Type: "chat2data_endpoint",
				Msg: "The AI request exceeded the limit of 100 times per day. For more quota, please contact us: https://tidb.support.pingcap.com/"},
			is:      predicates{RateLimited: true, QuotaExhausted: true},
			message: "daily AI request quota exhausted",
		},
		{
			name: "429 daily quota in a code envelope", kind: "daily quota", status: 429, header: map[string]string{"Retry-After": "3600"},
			body: `{"code":429,"msg":"The AI request exceeded the limit of 100 times per day.","result":{}}`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 429, Code: 429,
				Msg: "The AI request exceeded the limit of 100 times per day.", RetryAfter: time.Hour},
			is: predicates{RateLimited: true, QuotaExhausted: true},
		},
		{
			name: "404 endpoint", kind: "not found", status: 404, body: fixtureGateway404,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 404, Code: 404, Msg: "endpoint not found"},
			is:      predicates{NotFound: true},
			message: "endpoint not found (HTTP 404: endpoint not found): check that the endpoint URL",
		},
		{
			name: "404 job", kind: "not found", get: true, status: 404, body: `{"code":404,"msg":"job not found","result":null}`,
			want:    &APIError{Method: "GET", Path: "/v2/jobs/j1", StatusCode: 404, Code: 404, Msg: "job not found"},
			is:      predicates{NotFound: true},
			message: "the job id is unknown or the job has expired",
		},
		{
			name: "500 code envelope", kind: "server", status: 500,
			body: `{"code":500,"msg":"internal error! defaultPermissionHelper: rpc error: code = DeadlineExceeded desc = context deadline exceeded"}`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 500, Code: 500,
				Msg: "internal error! defaultPermissionHelper: rpc error: code = DeadlineExceeded desc = context deadline exceeded"},
			is:      predicates{Temporary: true},
			message: "server error",
		},
		{
			name: "500 gateway envelope", kind: "server", status: 500, body: fixtureGateway500,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 500, Code: 500, Type: "sql_endpoint",
				Msg: "internal error! defaultPermissionHelper: rpc error: code = DeadlineExceeded desc = context deadline exceeded"},
			is: predicates{Temporary: true},
		},
		{
			name: "502 HTML from a proxy", kind: "server", status: 502, body: html502,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 502, Msg: "502 Bad Gateway 502 Bad Gateway nginx"},
			is:      predicates{Temporary: true},
			message: "server error (HTTP 502: 502 Bad Gateway 502 Bad Gateway nginx): the service may be temporarily unavailable; retry later",
		},
		{
			name: "500 truncated JSON", kind: "server", status: 500, body: `{"code":500,"msg":"internal`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 500, Msg: `{"code":500,"msg":"internal`},
			is:   predicates{Temporary: true},
		},
		{
			name: "503 empty body", kind: "server", status: 503, body: "",
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 503},
			is:      predicates{Temporary: true},
			message: "(HTTP 503, empty message)",
		},
		{
			name: "200 with an error code", kind: "server", status: 200, body: `{"code":500,"msg":"boom","result":null}`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 200, Code: 500, Msg: "boom"},
			is:   predicates{Temporary: true},
		},
		{
			name: "200 with a gateway error", kind: "auth", status: 200, body: fixtureGatewayExpired,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 200, Code: CodeKeyExpired, Msg: "API Key is no longer valid"},
			is:   predicates{Unauthorized: true, KeyExpired: true},
		},
		{
			name: "terminal escapes and keys are removed", kind: "server", status: 500,
			body: `{"code":500,"msg":"\u001b[31mbad key ` + testPub + `:` + testPriv + `\u001b[0m\n\tsee log","result":{}}`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 500, Code: 500, Msg: "[31mbad key [redacted]:[redacted] [0m see log"},
			is:   predicates{Temporary: true},
		},
		{name: "200 truncated JSON", kind: "decode", status: 200, body: `{"code":200,"msg":"","result":{"job_id":"ab`, message: "cannot decode POST /v3/chat2data response: unexpected end of JSON input"},
		{name: "200 empty body", kind: "decode", status: 200, body: "", message: "cannot decode POST /v3/chat2data response"},
		{name: "200 HTML", kind: "decode", status: 200, body: "<html><body>Sign in to the captive portal</body></html>", message: `(body: "Sign in to the captive portal")`},
		{name: "200 null result", kind: "decode", status: 200, body: `{"code":200,"msg":"","result":null}`, message: "no result"},
		{name: "200 no job id", kind: "decode", status: 200, body: `{"code":200,"msg":"","result":{}}`, message: "no job_id"},
		{name: "200 wrong shape", kind: "decode", status: 200, body: `{"code":200,"msg":"","result":[1,2]}`, message: "cannot decode"},
		{name: "200 no envelope", kind: "decode", status: 200, body: `{"job_id":"x"}`, message: "not a Chat2Query response envelope"},
		{name: "200 job without status", kind: "decode", get: true, status: 200, body: `{"code":200,"msg":"","result":{"job_id":"j1"}}`, message: "no status"},
		{name: "200 gateway success where a result was expected", kind: "decode", status: 200, body: fixtureV1Answer, message: "not a Chat2Query response envelope"},
		{name: "200 JSON array", kind: "decode", status: 200, body: `[1,2]`, message: "cannot decode"},
		{
			name: "408 gateway timeout", kind: "server", status: 408,
			body: `{"type":"","data":{"columns":[],"rows":[],"result":{"code":408,"message":"request timeout.","start_ms":"","end_ms":"","latency":"","row_count":0,"row_affect":0,"limit":0}}}`,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 408, Code: 408, Msg: "request timeout."},
			is:   predicates{Temporary: true}, message: "request timed out (HTTP 408: request timeout.)",
		},
		{
			name: "405 method not allowed", kind: "api", status: 405, body: `{"type":"","data":{"result":{"code":405,"message":"method not allowed"}}}`,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 405, Code: 405, Msg: "method not allowed"},
			message: "request failed (HTTP 405: method not allowed)",
		},
		{
			name: "501 is not temporary", kind: "api", status: 501, body: `{"code":501,"msg":"not implemented","result":{}}`,
			want:    &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 501, Code: 501, Msg: "not implemented"},
			message: "server error (HTTP 501: not implemented)",
		},
		{
			name: "429 daily quota says when it resets", kind: "daily quota", status: 429,
			header: map[string]string{"Retry-After": "7200", "X-Ratelimit-Reset": "12"},
			body:   fixtureGatewayDaily,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 429, Code: 429, Type: "chat2data_endpoint",
				Msg: "The AI request exceeded the limit of 100 times per day. For more quota, please contact us: https://tidb.support.pingcap.com/", RetryAfter: 2 * time.Hour},
			is:      predicates{RateLimited: true, QuotaExhausted: true},
			message: "the daily quota resets in 2h0m0s",
		},
		{
			name: "429 daily quota ignores the per-minute reset", kind: "daily quota", status: 429,
			header: map[string]string{"X-Ratelimit-Reset": "12"},
			body:   fixtureGatewayDaily,
			want: &APIError{Method: "POST", Path: "/v3/chat2data", StatusCode: 429, Code: 429, Type: "chat2data_endpoint",
				Msg: "The AI request exceeded the limit of 100 times per day. For more quota, please contact us: https://tidb.support.pingcap.com/"},
			is:      predicates{RateLimited: true, QuotaExhausted: true},
			message: "(the service did not say when)",
		},
		{
			name: "404 unknown session", kind: "not found", get: true, status: 404, body: `{"code":404,"msg":"session not found","result":{}}`,
			want:    &APIError{Method: "GET", Path: "/v2/jobs/j1", StatusCode: 404, Code: 404, Msg: "session not found"},
			is:      predicates{NotFound: true},
			message: "job not found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			var err error
			if tt.get {
				_, err = c.GetJob(context.Background(), "j1")
			} else {
				_, err = c.Chat2Data(context.Background(), Chat2DataRequest{Question: "q"})
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil {
				var ae *APIError
				if !errors.As(err, &ae) {
					t.Fatalf("err = %#v, want an *APIError", err)
				}
				if diff := cmp.Diff(tt.want, ae); diff != "" {
					t.Errorf("APIError (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.is, predicatesOf(ae)); diff != "" {
					t.Errorf("predicates (-want +got):\n%s", diff)
				}
			} else {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("err = %#v, want a *DecodeError", err)
				}
			}
			if got := kindOf(err); got != tt.kind {
				t.Errorf("kindOf = %q, want %q", got, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("Error() = %q\nwant it to contain %q", err, tt.message)
			}
			assertNoKeys(t, err.Error(), testPub, testPriv)
			if strings.ContainsAny(err.Error(), "\x1b\n\t") {
				t.Errorf("Error() has control characters: %q", err)
			}
		})
	}
}

// kindOf names the typed error a caller finds with errors.As.
func kindOf(err error) string {
	var (
		auth     *AuthError
		rate     *RateLimitError
		notReady *NotReadyError
		notFound *NotFoundError
		server   *ServerError
		api      *APIError
		decode   *DecodeError
		network  *NetworkError
	)
	switch {
	case errors.As(err, &auth):
		return "auth"
	case errors.As(err, &rate) && rate.Daily:
		return "daily quota"
	case errors.As(err, &rate):
		return "rate limit"
	case errors.As(err, &notReady):
		return "not ready"
	case errors.As(err, &notFound):
		return "not found"
	case errors.As(err, &server):
		return "server"
	case errors.As(err, &api):
		return "api"
	case errors.As(err, &decode):
		return "decode"
	case errors.As(err, &network):
		return "network"
	}
	return "other"
}

// TestDistinctErrors is the acceptance case: a 401 in the gateway's shape,
// an HTML 502 page and a truncated JSON body give three different, readable
// errors of three different types.
func TestDistinctErrors(t *testing.T) {
	tests := []struct {
		status int
		body   string
		kind   string
		want   string
	}{
		{401, fixtureGateway401, "auth",
			"GET /v3/sessions/1: authentication failed (HTTP 401: auth failed): check the public and private key"},
		{502, html502, "server",
			"GET /v3/sessions/1: server error (HTTP 502: 502 Bad Gateway 502 Bad Gateway nginx): the service may be temporarily unavailable; retry later"},
		{200, `{"code":200,"msg":"","result":{"session_id":1,"meta":{"na`, "decode",
			`cannot decode GET /v3/sessions/1 response: unexpected end of JSON input (body: "{\"code\":200,\"msg\":\"\",\"result\":{\"session_id\":1,\"meta\":{\"na")`},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		c, f := setup(t)
		f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { reply(w, tt.status, tt.body) })
		_, err := c.GetSession(context.Background(), 1)
		if got := kindOf(err); got != tt.kind {
			t.Errorf("HTTP %d: kind %q, want %q (%v)", tt.status, got, tt.kind, err)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("HTTP %d: error\n%v\nwant\n%s", tt.status, err, tt.want)
		}
		if err != nil {
			seen[err.Error()] = true
		}
	}
	if len(seen) != len(tests) {
		t.Errorf("the errors are not distinct: %v", seen)
	}
}

func TestRateLimitErrorReset(t *testing.T) {
	c, f := setup(t)
	clock := useStepClock(c)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		reply(w, 429, fixtureGatewayDaily)
	})
	_, err := c.Chat2Data(context.Background(), Chat2DataRequest{Question: "q"})
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Daily || !rl.Reset.Equal(clock.start.Add(time.Hour)) || !rl.QuotaExhausted() {
		t.Fatalf("err = %#v, want a daily *RateLimitError resetting in an hour", err)
	}
	if c.Requests() != 2 || f.all.get() != 2 { // the challenge, the request
		t.Errorf("the daily quota was retried: Requests() = %d, the server saw %d", c.Requests(), f.all.get())
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"  many \n\t spaces  ", "many spaces"},
		{"<p>a&amp;b</p>", "a&b"},
		{"a < b", "a < b"},
		{"bad \xff utf8", "bad utf8"},
		{"\x1b]0;title\x07x", "]0;title x"},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := truncate(strings.Repeat("é", 400), 300); len([]rune(got)) != 301 {
		t.Errorf("truncate kept %d runes, want 300 and a mark", len([]rune(got)))
	}
}

func TestTimeoutErrorMessage(t *testing.T) {
	e := &TimeoutError{JobID: "j1", Waited: 90 * time.Second, LastStatus: "running"}
	if want := `job j1 did not finish within 1m30s (last status "running")`; !strings.HasPrefix(e.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", e, want)
	}
}
