package emulator_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/google/go-cmp/cmp"
)

const top5Question = "Which five companies have the largest market cap?"

// checkUnknown checks that r is exactly what an id never handed out gets.
func checkUnknown(t *testing.T, what string, r, unknown response) {
	t.Helper()
	if r.Status != unknown.Status {
		t.Errorf("%s: status %d, want %d as for an unknown id", what, r.Status, unknown.Status)
	}
	if d := cmp.Diff(unknown.Body, r.Body); d != "" {
		t.Errorf("%s: body differs from an unknown id's (-unknown +got):\n%s", what, d)
	}
}

// TestJobExpiry: a job is forgotten JobTTL after its last use (creation or
// poll) on the injected clock, and then answered exactly like an unknown id.
func TestJobExpiry(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	unknown := e.call("GET", "/v2/jobs/00000000000000000000000000000000", nil)
	if unknown.Status != 404 || unknown.Body["msg"] != "job not found" {
		t.Fatalf("unknown job: %d %v", unknown.Status, unknown.Body)
	}
	s := e.newSession()
	kept, dropped := e.ask(s, top5Question, "direct"), e.ask(s, top5Question, "direct")
	for range 3 { // polls keep a job; each time almost a TTL passes
		e.clock.Advance(emulator.JobTTL - time.Minute)
		if st := e.job(kept)["status"]; st != "done" {
			t.Fatalf("kept job: status %v", st)
		}
	}
	checkUnknown(t, "job not polled for a TTL", e.call("GET", "/v2/jobs/"+dropped, nil), unknown)
	e.clock.Advance(emulator.JobTTL)
	checkUnknown(t, "job polled a TTL ago", e.call("GET", "/v2/jobs/"+kept, nil), unknown)
}

// TestSessionExpiry: a session is forgotten SessionTTL after its last use;
// every endpoint that names it answers as for an unknown id, and the list
// leaves it out. Reading a session uses its jobs too.
func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	unknown := e.call("GET", "/v3/sessions/1", nil)
	if unknown.Status != 404 || unknown.Body["msg"] != "session not found" {
		t.Fatalf("unknown session: %d %v", unknown.Status, unknown.Body)
	}
	idle, used := e.newSession(), e.newSession()
	job := e.ask(used, top5Question, "direct")
	for range 3 {
		e.clock.Advance(emulator.SessionTTL - time.Hour)
		if r := e.call("GET", "/v3/sessions/"+used, nil); r.Status != 200 {
			t.Fatalf("used session: %d %v", r.Status, r.Body)
		}
	}
	if st := e.job(job)["status"]; st != "done" {
		t.Errorf("the job of a session that was read: status %v", st)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/v3/sessions/" + idle},
		{"PUT", "/v3/sessions/" + idle},
		{"PUT", "/v3/sessions/" + idle + "/reset"},
		{"POST", "/v3/sessions/" + idle + "/chat2data"},
	} {
		checkUnknown(t, c.method+" "+c.path, e.call(c.method, c.path, map[string]any{"name": "n", "question": top5Question}), unknown)
	}
	list := e.call("GET", "/v3/sessions", nil)
	got := list.result()["sessions"].([]any)
	if len(got) != 1 || fmt.Sprint(got[0].(map[string]any)["session_id"]) != used {
		t.Errorf("list = %v, want only session %s", got, used)
	}
}

// TestEvictionOrder: beyond the cap the least recently used goes first.
func TestEvictionOrder(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	emulator.SetCapsForTest(e.srv, 3, 100)
	a, b, c := e.newSession(), e.newSession(), e.newSession()
	e.clock.Advance(time.Millisecond)
	e.call("GET", "/v3/sessions/"+a, nil) // a is now the most recently used
	d := e.newSession()                   // evicts b
	for _, tc := range []struct {
		id   string
		want int
	}{{a, 200}, {b, 404}, {c, 200}, {d, 200}} {
		if r := e.call("GET", "/v3/sessions/"+tc.id, nil); r.Status != tc.want {
			t.Errorf("session %s: %d, want %d", tc.id, r.Status, tc.want)
		}
	}

	e = newEnv(t, emulator.Options{})
	emulator.SetCapsForTest(e.srv, 100, 3)
	s := e.newSession()
	// The first question also makes the built-in data summary's job, the
	// oldest of the three (the summary itself stays ready).
	j1, j2 := e.ask(s, top5Question, "direct"), e.ask(s, top5Question, "direct")
	e.job(j1)
	j3, j4 := e.ask(s, top5Question, "direct"), e.ask(s, top5Question, "direct") // evict the summary's job, then j2
	for _, tc := range []struct {
		id   string
		want int
	}{{j1, 200}, {j2, 404}, {j3, 200}, {j4, 200}} {
		if r := e.call("GET", "/v2/jobs/"+tc.id, nil); r.Status != tc.want {
			t.Errorf("job %s: %d, want %d", tc.id, r.Status, tc.want)
		}
	}
}

// TestTablesBounded: after 10,000 conversations over three simulated days
// the server holds no more than its caps, and a day without use empties it.
func TestTablesBounded(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	const sessionCap, jobCap, n = 500, 800, 10000
	emulator.SetCapsForTest(e.srv, sessionCap, jobCap)
	body := fmt.Sprintf(`{"cluster_id":%q,"database":"sp500insight","question":%q}`, emulator.DefaultClusterID, top5Question)
	for i := range n {
		// One request, one session and one job; served in process, for speed.
		req := httptest.NewRequest("POST", e.srv.BasePath()+"/v3/chat2data", strings.NewReader(body))
		req.SetBasicAuth(testPub, testPriv)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("chat2data %d: %d %s", i, rec.Code, rec.Body)
		}
		e.clock.Advance(3 * 24 * time.Hour / n)
		if i%500 == 0 {
			if ss, js := emulator.Sizes(e.srv); ss > sessionCap || js > jobCap {
				t.Fatalf("after %d sessions: %d sessions, %d jobs held; caps %d, %d", i+1, ss, js, sessionCap, jobCap)
			}
		}
	}
	if ss, js := emulator.Sizes(e.srv); ss != sessionCap || js != jobCap {
		t.Errorf("after %d sessions: %d sessions, %d jobs held; want the caps %d, %d", n, ss, js, sessionCap, jobCap)
	}
	e.clock.Advance(emulator.SessionTTL + emulator.JobTTL)
	e.ask(e.newSession(), top5Question, "direct")
	if ss, js := emulator.Sizes(e.srv); ss != 1 || js != 1 {
		t.Errorf("a day later: %d sessions, %d jobs held, want 1 and 1", ss, js)
	}
}
