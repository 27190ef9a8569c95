package emulator_test

import (
	"context"
	gosql "database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	_ "github.com/go-sql-driver/mysql"
)

// TestStartWithEverything starts the emulator as `c2q serve` does: the
// sample database with a user's data, the MySQL endpoint, limits, faults
// and the request log.
func TestStartWithEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample database")
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.ExecScript(ctx, "CREATE DATABASE shop; USE shop; CREATE TABLE items (id INT PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'pen');"); err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	pub, priv := emulator.NewKeys()
	run, err := emulator.Start(ctx, "127.0.0.1:0", emulator.Options{
		PublicKey: pub, PrivateKey: priv, DB: db, Book: testBook(),
		Limits:    emulator.ServiceLimits(),
		Faults:    emulator.Faults{Script: []emulator.Fault{{N: 1, Kind: emulator.FaultHang}}, FailRate: 0.5, Seed: 1},
		Log:       &log,
		MySQLAddr: "127.0.0.1:0",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()

	// The DSN reaches the sample tables and the user's.
	if run.MySQLAddr == "" || !strings.Contains(run.DSN, "@tcp("+run.MySQLAddr+")/sp500insight") {
		t.Fatalf("MySQLAddr %q, DSN %q", run.MySQLAddr, run.DSN)
	}
	conn, err := gosql.Open("mysql", run.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var companies int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM companies").Scan(&companies); err != nil || companies == 0 {
		t.Errorf("companies: %d, %v", companies, err)
	}
	var item string
	if err := conn.QueryRowContext(ctx, "SELECT name FROM shop.items").Scan(&item); err != nil || item != "pen" {
		t.Errorf("shop.items: %q, %v", item, err)
	}

	// Request 1 hangs; Close ends it promptly rather than after the grace period.
	hung := make(chan error, 1)
	go func() {
		res, err := http.Get(run.URL + "/v2/jobs/x")
		if err == nil {
			res.Body.Close()
		}
		hung <- err
	}()
	time.Sleep(50 * time.Millisecond) // let request 1 arrive
	start := time.Now()
	if err := run.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Close took %v with a hanging request", took)
	}
	if err := <-hung; err == nil {
		t.Error("the hanging request got a response")
	}
	if !strings.Contains(log.String(), "#1 GET /api/v1beta/app/chat2query-emulator/endpoint/v2/jobs/x - 0B") || !strings.Contains(log.String(), "fault=hang") {
		t.Errorf("log:\n%s", log.String())
	}
	if err := conn.PingContext(ctx); err == nil {
		t.Error("the MySQL endpoint still answers after Close")
	}
}

// TestLimitsUnderConcurrency sends many requests at once from parallel
// sessions: exactly the limits' worth get through.
func TestLimitsUnderConcurrency(t *testing.T) {
	const rate, daily = 150, 40
	var log syncBuffer
	e := newEnv(t, emulator.Options{Limits: emulator.Limits{DailyQuota: daily, RateLimit: rate}, Log: &log})
	const workers, each = 16, 12 // 192 requests, more than the rate limit
	var ok, minute, day atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			sid := ""
			for i := range each {
				var r response
				switch {
				case sid == "":
					r = e.call("POST", "/v3/sessions", map[string]any{"cluster_id": emulator.DefaultClusterID, "database": "sp500insight", "name": fmt.Sprint(w)})
					if r.Status == 200 {
						sid = r.result()["session_id"].(json.Number).String()
					}
				case i%2 == 0:
					r = e.call("POST", "/v3/sessions/"+sid+"/chat2data", askBody("Which companies have the largest market cap?"))
				default:
					r = e.call("GET", "/v3/sessions/"+sid, nil)
				}
				switch {
				case r.Status == 200:
					ok.Add(1)
				case r.Status == 429 && r.Header.Get("Retry-After") != "":
					minute.Add(1)
				case r.Status == 429:
					day.Add(1)
				default:
					t.Errorf("status %d: %v", r.Status, r.Body)
				}
			}
		})
	}
	wg.Wait()
	// Daily 429s count toward the minute: the gateway let them through.
	if ok.Load()+day.Load() != rate || minute.Load() != workers*each-rate {
		t.Errorf("%d OK, %d daily and %d per-minute 429s; want %d through the gateway and %d refused", ok.Load(), day.Load(), minute.Load(), rate, workers*each-rate)
	}
	if day.Load() == 0 || e.srv.UsedAIRequests() != daily {
		t.Errorf("%d daily 429s; %d AI requests used, want %d", day.Load(), e.srv.UsedAIRequests(), daily)
	}
	if n := strings.Count(log.String(), "\n"); n != workers*each {
		t.Errorf("%d log lines for %d requests", n, workers*each)
	}
}

// BenchmarkServeHTTP measures requests per second through the whole
// handler (auth, limits, routing, JSON) over HTTP on loopback, from parallel
// clients: session creation, a question, and polls of its job.
func BenchmarkServeHTTP(b *testing.B) {
	clock := &fakeClock{now: t0}
	srv, err := emulator.New(emulator.Options{PublicKey: testPub, PrivateKey: testPriv, Now: clock.Now, DB: testDB(), Book: testBook(),
		Limits: emulator.Limits{RateLimit: 1 << 30, DailyQuota: 1 << 30}})
	if err != nil {
		b.Fatal(err)
	}
	run := httptestServer(b, srv)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		e := &env{t: nil, srv: srv, base: run + srv.BasePath()}
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		var sid, job string
		for pb.Next() {
			i := n.Add(1)
			var req *http.Request
			switch {
			case sid == "" || i%50 == 0:
				req, _ = http.NewRequest("POST", e.base+"/v3/sessions", strings.NewReader(`{"cluster_id":"10140100115280519574","database":"sp500insight","name":"b"}`))
			case job == "" || i%10 == 0:
				req, _ = http.NewRequest("POST", e.base+"/v3/sessions/"+sid+"/chat2data", strings.NewReader(`{"question":"Which five companies have the largest market cap?"}`))
			default:
				req, _ = http.NewRequest("GET", e.base+"/v2/jobs/"+job, nil)
			}
			req.Header.Set("Content-Type", "application/json")
			req.SetBasicAuth(testPub, testPriv)
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			var body struct {
				Result struct {
					SessionID json.Number `json:"session_id"`
					JobID     string      `json:"job_id"`
				} `json:"result"`
			}
			decodeInto(res, &body)
			if res.StatusCode != 200 {
				b.Errorf("%s %s: %d", req.Method, req.URL.Path, res.StatusCode)
				return
			}
			if s := string(body.Result.SessionID); s != "" {
				sid, job = s, ""
			}
			if body.Result.JobID != "" && req.Method == "POST" {
				job = body.Result.JobID
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func httptestServer(b *testing.B, h http.Handler) string {
	ts := httptest.NewServer(h)
	b.Cleanup(ts.Close)
	return ts.URL
}

func decodeInto(res *http.Response, v any) {
	defer res.Body.Close()
	json.NewDecoder(res.Body).Decode(v)
	io.Copy(io.Discard, res.Body)
}
