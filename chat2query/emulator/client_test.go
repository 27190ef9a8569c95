package emulator_test

import (
	"context"
	"errors"
	"testing"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
)

// TestClientInterop drives the emulator with c2q's own API client, over
// both auth schemes, so the two sides of the shared wire types agree.
func TestClientInterop(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	for _, tc := range []struct {
		name string
		opts []chat2query.Option
	}{
		{"digest", nil},
		{"basic", []chat2query.Option{chat2query.WithBasicAuth()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c, err := chat2query.New(e.base, testPub, testPriv, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight", Name: tc.name})
			if err != nil {
				t.Fatal(err)
			}
			if s.Meta.Name != tc.name || s.Meta.OrgID != "1" || s.Messages == nil {
				t.Errorf("session = %+v", s)
			}
			wait := chat2query.WaitOptions{FirstPoll: -1}
			for _, q := range []struct {
				question string
				mode     chat2query.Mode
			}{
				{"Which five companies have the largest market cap?", chat2query.ModeDirect},
				{"Which sectors are they in?", chat2query.ModeAutoBreakdown},
			} {
				ref, err := c.SessionChat2Data(ctx, s.SessionID, chat2query.SessionChat2DataRequest{Question: q.question, SQLGenerateMode: q.mode})
				if err != nil {
					t.Fatal(err)
				}
				job, err := c.WaitJob(ctx, ref.JobID, wait)
				if err != nil {
					t.Fatal(err)
				}
				a, err := job.Answer()
				if err != nil {
					t.Fatal(err)
				}
				if q.mode == chat2query.ModeAutoBreakdown {
					if a.Type != "breakdown" || len(a.SubTasks) != 1 {
						t.Fatalf("breakdown answer = %+v", a)
					}
					a = &a.SubTasks[0]
				}
				if a.Data == nil || len(a.Data.Rows) != 2 || a.SQLError != nil {
					t.Errorf("%q: answer = %+v", q.question, a)
				}
			}

			ref, err := c.Chat2Data(ctx, chat2query.Chat2DataRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight", Question: "a broken question"})
			if err != nil {
				t.Fatal(err)
			}
			if ref.ClusterID != emulator.DefaultClusterID || ref.SessionID == 0 {
				t.Errorf("chat2data ref = %+v", ref)
			}
			job, err := c.WaitJob(ctx, ref.JobID, wait)
			if err != nil {
				t.Fatal(err)
			}
			if a, err := job.Answer(); err != nil || a.SQLError == nil || a.Data != nil {
				t.Errorf("SQL error answer = %+v, %v", a, err)
			}

			_, err = c.SessionChat2Data(ctx, 1, chat2query.SessionChat2DataRequest{Question: "q"})
			var ae *chat2query.APIError
			if !errors.As(err, &ae) || !ae.NotFound() {
				t.Errorf("unknown session: %v", err)
			}
		})
	}

	bad, err := chat2query.New(e.base, testPub, "wrong")
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.GetJob(context.Background(), "x")
	var ae *chat2query.APIError
	if !errors.As(err, &ae) || !ae.Unauthorized() {
		t.Errorf("wrong key: %v", err)
	}
}
