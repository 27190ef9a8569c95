package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/google/go-cmp/cmp"
)

// dailyQuotaBody is the documented 429 of the daily AI quota (§3.2).
const dailyQuotaBody = `{"type":"chat2data_endpoint","data":{"columns":[],"rows":[],"result":{"code":429,
 "message":"The AI request exceeded the limit of 100 times per day. For more quota, please contact us: https://tidb.support.pingcap.com/",
 "start_ms":"","end_ms":"","latency":"","row_count":0,"row_affect":0,"limit":0}}}`

// rateLimitBody is the documented 429 of the per-key limit (§3.2).
const rateLimitBody = `{"type":"","data":{"columns":[],"rows":[],"result":{"code":49900007,
 "message":"API key rate limit exceeded. The limit can be increased up to 1000 requests per minute per API key in TiDB Cloud console. For an increase in quota beyond 1000 rpm, please contact us: https://tidb.support.pingcap.com/",
 "start_ms":"","end_ms":"","latency":"","row_count":0,"row_affect":0,"limit":0}}}`

func askBody(q string) map[string]any {
	return map[string]any{"question": q, "sql_generate_mode": "direct"}
}

func TestDailyQuota(t *testing.T) {
	e := newEnv(t, emulator.Options{Limits: emulator.ServiceLimits()})
	setClock(e.clock, time.Date(2024, 6, 21, 23, 0, 0, 0, time.UTC))
	s := e.newSession()
	var job string
	for i := 1; i <= 100; i++ {
		if i%50 == 0 {
			e.clock.Advance(time.Minute) // stay under the per-minute limit
		}
		r := e.call("POST", "/v3/sessions/"+s+"/chat2data", askBody("Which 5 companies have the largest market cap?"))
		if r.Status != 200 {
			t.Fatalf("AI request %d: %d %v", i, r.Status, r.Body)
		}
		job = r.result()["job_id"].(string)
		// A refused AI request does not use up the quota.
		if i == 10 {
			if r := e.call("POST", "/v3/sessions/"+s+"/chat2data", askBody("")); r.Status != 400 {
				t.Fatalf("empty question: %d %v", r.Status, r.Body)
			}
		}
	}
	if got := e.srv.UsedAIRequests(); got != 100 {
		t.Errorf("UsedAIRequests = %d, want 100", got)
	}
	r := e.call("POST", "/v3/sessions/"+s+"/chat2data", askBody("Which 5 companies have the largest market cap?"))
	if r.Status != 429 {
		t.Fatalf("101st AI request: %d %v", r.Status, r.Body)
	}
	if diff := cmp.Diff(decodeDoc(t, dailyQuotaBody), r.Body); diff != "" {
		t.Errorf("101st AI request body (-documented +got):\n%s", diff)
	}
	if ra := r.Header.Get("Retry-After"); ra != "" {
		t.Errorf("Retry-After %q on the daily 429: the service does not document one", ra)
	}
	// Polls and CRUD do not count toward the daily quota.
	if r := e.call("GET", "/v2/jobs/"+job, nil); r.Status != 200 {
		t.Errorf("poll after the quota: %d %v", r.Status, r.Body)
	}
	if r := e.call("GET", "/v3/sessions/"+s, nil); r.Status != 200 {
		t.Errorf("GET session after the quota: %d %v", r.Status, r.Body)
	}

	// The client sees a daily *RateLimitError, not worth retrying.
	c, err := chat2query.New(e.base, testPub, testPriv, chat2query.WithBasicAuth())
	if err != nil {
		t.Fatal(err)
	}
	sid, _ := strconv.ParseInt(s, 10, 64)
	_, err = c.SessionChat2Data(context.Background(), chat2query.Int64(sid), chat2query.SessionChat2DataRequest{Question: "Which 5 companies have the largest market cap?"})
	var rl *chat2query.RateLimitError
	if !errors.As(err, &rl) || !rl.Daily || !rl.QuotaExhausted() || rl.Temporary() {
		t.Errorf("client error = %#v, want a daily *RateLimitError", err)
	}

	// The quota resets at 00:00 UTC.
	setClock(e.clock, time.Date(2024, 6, 22, 0, 0, 0, 0, time.UTC))
	if r := e.call("POST", "/v3/sessions/"+s+"/chat2data", askBody("Which 5 companies have the largest market cap?")); r.Status != 200 {
		t.Errorf("first AI request of the next day: %d %v", r.Status, r.Body)
	}
	if got := e.srv.UsedAIRequests(); got != 1 {
		t.Errorf("UsedAIRequests after midnight = %d, want 1", got)
	}
}

func TestDailyQuotaConfigurable(t *testing.T) {
	e := newEnv(t, emulator.Options{Limits: emulator.Limits{DailyQuota: 2}})
	s := e.newSession()
	for i := range 3 {
		r := e.call("POST", "/v3/sessions/"+s+"/chat2data", askBody("Which 5 companies have the largest market cap?"))
		if want := map[bool]int{true: 200, false: 429}[i < 2]; r.Status != want {
			t.Fatalf("AI request %d: %d, want %d", i+1, r.Status, want)
		}
		if i == 2 {
			msg := r.Body["data"].(map[string]any)["result"].(map[string]any)["message"]
			if want := "The AI request exceeded the limit of 2 times per day. For more quota, please contact us: https://tidb.support.pingcap.com/"; msg != want {
				t.Errorf("message %q, want %q", msg, want)
			}
		}
		// Without a per-minute limit there are no rate-limit headers.
		if h := r.Header.Get("X-Ratelimit-Limit-Minute"); h != "" {
			t.Errorf("X-Ratelimit-Limit-Minute %q without a per-minute limit", h)
		}
	}
}

func TestRateLimitHeaders(t *testing.T) {
	e := newEnv(t, emulator.Options{Limits: emulator.ServiceLimits()})
	setClock(e.clock, time.Date(2024, 6, 21, 12, 30, 0, 0, time.UTC))
	headers := func(r response) (limit, remaining, reset string) {
		return r.Header.Get("X-Ratelimit-Limit-Minute"), r.Header.Get("X-Ratelimit-Remaining-Minute"), r.Header.Get("X-Ratelimit-Reset")
	}
	s := e.newSession() // request 1 of the minute
	for i := 2; i <= 100; i++ {
		if i == 50 {
			e.clock.Advance(20 * time.Second)
		}
		// Any authenticated request counts: a poll of an unknown job (404) too.
		r := e.call("GET", "/v2/jobs/0123456789abcdef0123456789abcdef", nil)
		if r.Status != 404 {
			t.Fatalf("request %d: %d %v", i, r.Status, r.Body)
		}
		wantReset := "60"
		if i >= 50 {
			wantReset = "40"
		}
		if l, rem, rs := headers(r); l != "100" || rem != strconv.Itoa(100-i) || rs != wantReset {
			t.Fatalf("request %d: limit %s, remaining %s, reset %s; want 100, %d, %s", i, l, rem, rs, 100-i, wantReset)
		}
	}
	e.clock.Advance(30 * time.Second) // 10 s before the window ends
	r := e.call("GET", "/v3/sessions/"+s, nil)
	if r.Status != 429 {
		t.Fatalf("101st request of the minute: %d %v", r.Status, r.Body)
	}
	if diff := cmp.Diff(decodeDoc(t, rateLimitBody), r.Body); diff != "" {
		t.Errorf("per-minute 429 body (-documented +got):\n%s", diff)
	}
	if l, rem, rs := headers(r); l != "100" || rem != "0" || rs != "10" || r.Header.Get("Retry-After") != "10" {
		t.Errorf("429 headers: limit %s, remaining %s, reset %s, retry-after %s", l, rem, rs, r.Header.Get("Retry-After"))
	}

	// The client sees a per-minute *RateLimitError that passes.
	c, err := chat2query.New(e.base, testPub, testPriv, chat2query.WithBasicAuth(),
		chat2query.WithRetryPolicy(chat2query.RetryPolicy{MaxRetries: -1, MaxWait: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	sid, _ := strconv.ParseInt(s, 10, 64)
	_, err = c.GetSession(context.Background(), chat2query.Int64(sid))
	var rl *chat2query.RateLimitError
	if !errors.As(err, &rl) || rl.Daily || rl.Code != chat2query.CodeKeyRateLimit || !rl.Temporary() || rl.RetryAfter != 10*time.Second {
		t.Errorf("client error = %#v, want a per-minute *RateLimitError with RetryAfter 10s", err)
	}

	// A 401 carries no rate-limit headers: the key is unknown.
	r = e.send("GET", e.base+"/v3/sessions/"+s, nil, nil)
	if r.Status != 401 || r.Header.Get("X-Ratelimit-Remaining-Minute") != "" {
		t.Errorf("unauthenticated: %d, remaining %q", r.Status, r.Header.Get("X-Ratelimit-Remaining-Minute"))
	}

	// The next minute starts a new window.
	e.clock.Advance(10 * time.Second)
	r = e.call("GET", "/v3/sessions/"+s, nil)
	if l, rem, rs := headers(r); r.Status != 200 || l != "100" || rem != "99" || rs != "60" {
		t.Errorf("next minute: %d, limit %s, remaining %s, reset %s", r.Status, l, rem, rs)
	}
}

func TestLimitsValidation(t *testing.T) {
	_, err := emulator.New(emulator.Options{PublicKey: "p", PrivateKey: "k", DB: testDB(), Book: testBook(), Limits: emulator.Limits{DailyQuota: -1}})
	if err == nil {
		t.Error("a negative quota was accepted")
	}
	if got, want := fmt.Sprint(emulator.ServiceLimits()), "100 AI requests a day, 100 requests a minute per key"; got != want {
		t.Errorf("ServiceLimits() = %q, want %q", got, want)
	}
}

// setClock moves the injected clock to now.
func setClock(c *fakeClock, now time.Time) {
	c.mu.Lock()
	c.now = now
	c.mu.Unlock()
}
