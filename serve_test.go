package main

import (
	"bytes"
	"context"
	gosql "database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	_ "github.com/go-sql-driver/mysql"
)

// lockedBuffer is a bytes.Buffer that serve's goroutines may write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const shopSQL = `CREATE DATABASE shop;
USE shop;
CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20));
INSERT INTO items VALUES (1, 'pen'), (2, 'ink');
`

const shopBook = `answer "items" {
  match          = ["(?i)which items"]
  sql            = "SELECT name FROM items ORDER BY id"
  clarified_task = "List the items."
}
`

// TestServe runs c2q serve with every option, talks to it as a user would
// (API client and MySQL driver), and stops it as Ctrl-C does.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample database")
	}
	dir := t.TempDir()
	data, answers := filepath.Join(dir, "shop.sql"), filepath.Join(dir, "shop.hcl")
	os.WriteFile(data, []byte(shopSQL), 0o644)
	os.WriteFile(answers, []byte(shopBook), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-mysql-addr", "127.0.0.1:0", "-latency", "0s",
			"-daily-quota", "2", "-log", "-data", data, "-answers", answers, "-fail-rate", "0"}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "Press Ctrl-C") {
		select {
		case c := <-code:
			t.Fatalf("serve exited with %d:\n%s\n%s", c, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	out := stdout.String()
	find := func(re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no %s in:\n%s", re, out)
		}
		return m[1]
	}
	url, pub, priv := find(`export C2Q_URL=(\S+)`), find(`export C2Q_PUBLIC_KEY=(\S+)`), find(`export C2Q_PRIVATE_KEY=(\S+)`)
	dsn := find(`DSN: (\S+)`)
	if !strings.Contains(out, "serving shop, sp500insight on cluster") || !strings.Contains(out, "2 AI requests a day, 100 requests a minute per key") ||
		!strings.Contains(out, "mysql --host 127.0.0.1 --port ") {
		t.Errorf("banner:\n%s", out)
	}

	// The user's answer book answers from the user's data.
	c, err := chat2query.New(url, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	ask := func() (*chat2query.JobRef, error) {
		return c.SessionChat2Data(ctx, s.SessionID, chat2query.SessionChat2DataRequest{Question: "Which items are there?"})
	}
	ref, err := ask()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.WaitJob(ctx, ref.JobID, chat2query.WaitOptions{FirstPoll: -1})
	if err != nil {
		t.Fatal(err)
	}
	ans, err := job.Answer()
	if err != nil {
		t.Fatal(err)
	}
	if ans.Data == nil || len(ans.Data.Rows) != 2 || ans.Data.Rows[0][0] != "pen" {
		t.Errorf("answer data = %+v", ans.Data)
	}
	// -daily-quota 2: the third AI request gets the documented 429.
	if _, err := ask(); err != nil {
		t.Fatal(err)
	}
	_, err = ask()
	var rl *chat2query.RateLimitError
	if !errors.As(err, &rl) || !rl.Daily {
		t.Errorf("third AI request: %v, want the daily quota's 429", err)
	}

	// The MySQL endpoint serves the same data.
	db, err := gosql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM shop.items").Scan(&n); err != nil || n != 2 {
		t.Errorf("shop.items over MySQL: %d, %v", n, err)
	}

	cancel() // Ctrl-C
	select {
	case c := <-code:
		if c != exitOK {
			t.Errorf("exit code %d after Ctrl-C; stderr:\n%s", c, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.HasSuffix(stdout.String(), "Stopped.\n") {
		t.Errorf("stdout does not end with Stopped.:\n%s", stdout.String())
	}
	log := stderr.String()
	if !strings.Contains(log, "POST /api/v1beta/app/chat2query-emulator/endpoint/v3/sessions/") || !strings.Contains(log, " 429 ") {
		t.Errorf("request log:\n%s", log)
	}
	if strings.Contains(log, priv) {
		t.Error("the request log shows the private key")
	}
}

func TestServeUsageErrors(t *testing.T) {
	dir := t.TempDir()
	badBook := filepath.Join(dir, "bad.hcl")
	os.WriteFile(badBook, []byte("answer \"x\" {\n  match = [\"(\"]\n}\n"), 0o644)
	badSQL := filepath.Join(dir, "bad.sql")
	os.WriteFile(badSQL, []byte("CREATE TABLE t (a INT);\nINSERT INTO nope VALUES (1);\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:0"}, "-addr 0.0.0.0:0 is not a loopback address"},
		{[]string{"-addr", "127.0.0.1:0", "-mysql-addr", ":0"}, "-mysql-addr :0 is not a loopback address"},
		{[]string{"-fault", "n=3:404"}, `unknown kind "404"`},
		{[]string{"-latency", "uniform:3s"}, "uniform needs MIN-MAX"},
		{[]string{"-fail-rate", "2"}, "-fail-rate must be from 0 to 1"},
		{[]string{"-daily-quota", "-1"}, "must not be negative"},
		{[]string{"-addr", "127.0.0.1:0", "-mysql-addr", "off", "-answers", badBook}, "the answer book has errors"},
		{[]string{"-addr", "127.0.0.1:0", "-mysql-addr", "off", "-data", badSQL}, "statement 2 (line 2)"},
	} {
		var stdout, stderr lockedBuffer
		if code := run(context.Background(), append([]string{"serve"}, tc.args...), &stdout, &stderr); code != exitUsage {
			t.Errorf("serve %q: exit %d, want %d; stderr:\n%s", tc.args, code, exitUsage, stderr.String())
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("serve %q: stderr %q, want %q", tc.args, stderr.String(), tc.want)
		}
	}
}

func TestEmulatorInputsNeedEmulator(t *testing.T) {
	var stdout, stderr lockedBuffer
	if code := run(context.Background(), []string{"plan", "-data", "x.sql", "examples/sp500"}, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "add -emulator") {
		t.Errorf("plan -data without -emulator: exit %d, stderr %q", code, stderr.String())
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "shop.sql")
	os.WriteFile(data, []byte(shopSQL), 0o644)
	stdout, stderr = lockedBuffer{}, lockedBuffer{}
	if code := run(context.Background(), []string{"plan", "-emulator", "-data", data, "examples/sp500"}, &stdout, &stderr); code != exitOK ||
		!strings.Contains(stdout.String(), "with data "+data) {
		t.Errorf("plan -emulator -data: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}
