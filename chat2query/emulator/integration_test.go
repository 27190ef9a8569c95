package emulator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
)

// TestIntegration runs the emulator as the CLI does: Start with the default
// (real) sample database and built-in answer book, spoken to over digest
// auth by c2q's own client. It is the one test that loads the database.
func TestIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample database")
	}
	ctx := context.Background()
	pub, priv := emulator.NewKeys()
	run, err := emulator.Start(ctx, "127.0.0.1:0", emulator.Options{PublicKey: pub, PrivateKey: priv})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := run.Close(); err != nil {
			t.Error(err)
		}
	}()
	c, err := chat2query.New(run.URL, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	wait := chat2query.WaitOptions{FirstPoll: -1}
	ask := func(sid chat2query.Int64, q string) *chat2query.Job {
		t.Helper()
		ref, err := c.SessionChat2Data(ctx, sid, chat2query.SessionChat2DataRequest{Question: q, SQLGenerateMode: chat2query.ModeDirect})
		if err != nil {
			t.Fatal(err)
		}
		job, err := c.WaitJob(ctx, ref.JobID, wait)
		if err != nil {
			t.Fatal(err)
		}
		return job
	}
	newSession := func() chat2query.Int64 {
		t.Helper()
		s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight"})
		if err != nil {
			t.Fatal(err)
		}
		return s.SessionID
	}
	top, ok := answerbook.Builtin().Lookup("top_market_cap")
	if !ok {
		t.Fatal("the built-in book has no top_market_cap entry")
	}

	sid := newSession()
	job := ask(sid, "Which five companies have the largest market cap?")
	a, err := job.Answer()
	if err != nil {
		t.Fatalf("%v (job %+v)", err, job)
	}
	if a.SQL != top.SQL || a.SQLError != nil || a.Data == nil {
		t.Fatalf("answer = %+v", a)
	}
	if len(a.Data.Columns) != 2 || a.Data.Columns[0].Col != "company_name" || a.Data.Columns[1].Col != "market_cap" || len(a.Data.Rows) != 5 {
		t.Fatalf("data = %+v", a.Data)
	}
	for _, row := range a.Data.Rows {
		// DECIMAL(20,2) as MySQL prints it, a string like the docs' rows.
		if s, ok := row[1].(string); !ok || !strings.Contains(s, ".") {
			t.Errorf("market_cap %#v is not a decimal string", row[1])
		}
	}
	if a.ChartOptions == nil || a.ChartOptions.ChartName != "BarChart" || len(a.Assumptions) != 1 {
		t.Errorf("chart %+v, assumptions %+v", a.ChartOptions, a.Assumptions)
	}

	follow, err := ask(sid, "Which sectors are they in?").Answer()
	if err != nil {
		t.Fatal(err)
	}
	if follow.Data == nil || len(follow.Data.Rows) != 5 || follow.Data.Rows[0][0] != a.Data.Rows[0][0] {
		t.Errorf("follow-up answer = %+v", follow)
	}

	if job := ask(newSession(), "Which sectors are they in?"); job.Status != chat2query.JobFailed || job.Reason == "" {
		t.Errorf("follow-up without context: %+v", job)
	}
}
