package emulator_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
)

// TestClientEveryMethod calls every method of c2q's client against the
// emulator: each returns without error and its result decodes.
func TestClientEveryMethod(t *testing.T) {
	e := realEnv(t, time.Second)
	ctx := context.Background()
	c, err := chat2query.New(e.base, testPub, testPriv)
	if err != nil {
		t.Fatal(err)
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// wait lets the job's latency pass on the emulator's clock, then waits.
	wait := func(id string) *chat2query.Job {
		t.Helper()
		e.clock.Advance(time.Second)
		j, err := c.WaitJob(ctx, id, chat2query.WaitOptions{FirstPoll: -1})
		must("WaitJob "+id, err)
		if j.Status != chat2query.JobDone {
			t.Fatalf("job %s: %+v", id, j)
		}
		return j
	}
	const cluster, database = emulator.DefaultClusterID, "sp500insight"

	// Data summaries (v3).
	yes := true
	ref, err := c.CreateDataSummary(ctx, chat2query.CreateDataSummaryRequest{ClusterID: cluster, Database: database, Description: "d", Default: &yes})
	must("CreateDataSummary", err)
	_, err = c.Chat2Data(ctx, chat2query.Chat2DataRequest{ClusterID: cluster, Database: database, Question: "How many companies are there?"})
	var nr *chat2query.NotReadyError
	if !errors.As(err, &nr) {
		t.Errorf("Chat2Data before the summary is done: %v, want a NotReadyError", err)
	}
	sum, err := wait(ref.JobID).DataSummary()
	must("Job.DataSummary", err)
	if !sum.Ready() || !bool(sum.Default) || len(sum.Tables) != 5 || len(sum.Relationships["user_stock_selections"]) != 2 {
		t.Errorf("summary = %+v", sum)
	}
	sums, err := c.ListDataSummaries(ctx)
	must("ListDataSummaries", err)
	got, err := c.GetDataSummary(ctx, ref.DataSummaryID)
	must("GetDataSummary", err)
	if len(sums) != 2 || got.DataSummaryID != ref.DataSummaryID || string(got.ClusterID) != cluster {
		t.Errorf("list %d, get %+v", len(sums), got)
	}
	_, err = c.UpdateDataSummary(ctx, ref.DataSummaryID, chat2query.UpdateDataSummaryRequest{Summary: "Stocks"})
	must("UpdateDataSummary", err)
	_, err = c.UpdateTableDescription(ctx, ref.DataSummaryID, "users", "People")
	must("UpdateTableDescription", err)
	_, err = c.UpdateColumnDescriptions(ctx, ref.DataSummaryID, "users", map[string]string{"name": "Full name"})
	must("UpdateColumnDescriptions", err)

	// chat2data and sessions.
	jr, err := c.Chat2Data(ctx, chat2query.Chat2DataRequest{ClusterID: cluster, Database: database, Question: "Which company has the largest market cap?"})
	must("Chat2Data", err)
	a, err := wait(jr.JobID).Answer()
	must("Job.Answer", err)
	if a.Data == nil || len(a.Data.Rows) != 1 {
		t.Errorf("answer = %+v", a)
	}
	s, err := c.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: cluster, Database: database, Name: "n"})
	must("CreateSession", err)
	jr, err = c.SessionChat2Data(ctx, s.SessionID, chat2query.SessionChat2DataRequest{Question: "Which five companies have the largest market cap?", SQLGenerateMode: chat2query.ModeAutoBreakdown})
	must("SessionChat2Data", err)
	if a, err := wait(jr.JobID).Answer(); err != nil || a.Type != chat2query.AnswerBreakdown || len(a.SubTasks) != 1 || a.SubTasks[0].TaskID != "0-0" {
		t.Errorf("breakdown answer = %+v, %v", a, err)
	}
	sessions, err := c.ListSessions(ctx)
	must("ListSessions", err)
	gs, err := c.GetSession(ctx, s.SessionID)
	must("GetSession", err)
	if len(sessions) != 2 || len(gs.Messages) != 1 {
		t.Errorf("sessions %d, messages %d", len(sessions), len(gs.Messages))
	}
	_, err = c.UpdateSession(ctx, s.SessionID, chat2query.UpdateSessionRequest{Name: "m"})
	must("UpdateSession", err)
	_, err = c.ResetSession(ctx, s.SessionID)
	must("ResetSession", err)

	// Knowledge bases.
	kb, err := c.CreateKnowledgeBase(ctx, chat2query.CreateKnowledgeBaseRequest{ClusterID: cluster, Database: database, Description: "kb"})
	must("CreateKnowledgeBase", err)
	kbs, err := c.ListKnowledgeBases(ctx)
	must("ListKnowledgeBases", err)
	gkb, err := c.GetKnowledgeBase(ctx, kb.KnowledgeBaseID)
	must("GetKnowledgeBase", err)
	if len(kbs) != 1 || !bool(gkb.Default) || gkb.Database != database {
		t.Errorf("knowledge bases %+v, %+v", kbs, gkb)
	}
	_, err = c.UpdateKnowledgeBase(ctx, kb.KnowledgeBaseID, chat2query.UpdateKnowledgeBaseRequest{Description: "kb2"})
	must("UpdateKnowledgeBase", err)
	item, err := c.AddKnowledgeData(ctx, kb.KnowledgeBaseID, chat2query.KnowledgeDataRequest{Type: chat2query.KnowledgeFewShot,
		RawData: chat2query.FewShot{Question: "How many users are there in total?", Answer: "SELECT COUNT(*) AS n FROM users;"}})
	must("AddKnowledgeData", err)
	items, err := c.ListKnowledgeData(ctx, kb.KnowledgeBaseID)
	must("ListKnowledgeData", err)
	var fs chat2query.FewShot
	if len(items) != 1 || items[0].Decode(&fs) != nil || fs.Answer != "SELECT COUNT(*) AS n FROM users;" {
		t.Errorf("items %+v", items)
	}
	_, err = c.UpdateKnowledgeData(ctx, kb.KnowledgeBaseID, string(item.KnowledgeDataID), chat2query.KnowledgeDataRequest{Type: chat2query.KnowledgeInstruction,
		RawData: chat2query.Instruction{Instruction: "Always quote names."}})
	must("UpdateKnowledgeData", err)
	must("DeleteKnowledgeData", c.DeleteKnowledgeData(ctx, kb.KnowledgeBaseID, string(item.KnowledgeDataID)))

	// refineSql and suggestQuestions.
	jr, err = c.RefineSQL(ctx, chat2query.RefineSQLRequest{ClusterID: cluster, Database: database, SQL: "SELECT name FROM users ORDER BY name LIMIT 5", Feedback: "limit 2"})
	must("RefineSQL", err)
	rs, err := wait(jr.JobID).RefinedSQL()
	must("Job.RefinedSQL", err)
	if rs.RewrittenSQL != "SELECT `name` FROM `users` ORDER BY `name` LIMIT 2" {
		t.Errorf("refined = %+v", rs)
	}
	jr, err = c.SuggestQuestions(ctx, chat2query.SuggestQuestionsRequest{ClusterID: cluster, Database: database})
	must("SuggestQuestions", err)
	qs, err := wait(jr.JobID).SuggestedQuestions()
	must("Job.SuggestedQuestions", err)
	if len(qs) == 0 {
		t.Error("no suggestions")
	}
	if _, err := c.GetJob(ctx, jr.JobID); err != nil {
		t.Errorf("GetJob: %v", err)
	}

	// Legacy v2 and v1.
	ref2, err := c.CreateDataSummaryV2(ctx, chat2query.CreateDataSummaryV2Request{ClusterID: cluster, Database: database})
	must("CreateDataSummaryV2", err)
	v2, err := wait(ref2.JobID).DataSummaryV2()
	must("Job.DataSummaryV2", err)
	if string(v2.ClusterID) != cluster || len(v2.DBSchema) != 5 || v2.Statistics == nil || v2.Statistics.TablesCount != 5 {
		t.Errorf("v2 summary = %+v", v2)
	}
	recs, err := c.ListDataSummariesV2(ctx)
	must("ListDataSummariesV2", err)
	rec, err := c.GetDataSummaryV2(ctx, ref2.DataSummaryID)
	must("GetDataSummaryV2", err)
	if len(recs) != 3 || rec.Data == nil || rec.Name != "data-context" {
		t.Errorf("v2 records %d, %+v", len(recs), rec)
	}
	upd, err := c.UpdateDataSummaryV2(ctx, ref2.DataSummaryID, chat2query.UpdateDataSummaryV2Request{Tables: map[string]chat2query.TableUpdate{"users": {Description: "People"}}})
	must("UpdateDataSummaryV2", err)
	wait(upd.JobID)
	jr, err = c.Chat2DataV2(ctx, chat2query.Chat2DataV2Request{ClusterID: cluster, Database: database, RawQuestion: "How many companies are there?"})
	must("Chat2DataV2", err)
	tree, err := wait(jr.JobID).Chat2DataV2()
	must("Job.Chat2DataV2", err)
	if n := tree.TaskTree["0"]; n.SQL == "" || len(n.Rows) != 1 {
		t.Errorf("v2 answer = %+v", tree)
	}
	v1, err := c.Chat2DataV1(ctx, chat2query.Chat2DataV1Request{ClusterID: cluster, Database: database, Instruction: "How many companies are there?"})
	must("Chat2DataV1", err)
	if !v1.OK() || len(v1.Rows) != 1 || v1.Rows[0]["total_companies"] != "150" || v1.Columns[0].DataType != "BIGINT" {
		t.Errorf("v1 answer = %+v", v1)
	}
}
