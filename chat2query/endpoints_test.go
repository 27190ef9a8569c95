package chat2query

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rawEqual compares raw JSON by value; two empty values are equal.
var rawEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && cmp.Equal(x, y)
})

func ok(result string) string { return `{"code":200,"msg":"","result":` + result + `}` }

// TestEndpoints calls every method once against a fake server and checks the
// exact request (method, escaped path, headers, JSON body) and the decoded
// response.
func TestEndpoints(t *testing.T) {
	const cluster = "10140100115280519574"
	summary := &DataSummary{
		ClusterID: cluster, DataSummaryID: 304823, Database: "sp500insight", Status: SummaryDone,
		Description: SummaryDescription{System: "A database of S&P 500 companies.", User: "Data summary for SP500 Insight"},
		Keywords:    []string{"User_Stock_Selection", "Index_Composition"},
		Summary:     "Financial data source for stock market analysis",
		Relationships: RelationshipMap{
			"companies": {{ReferencingTable: "index_compositions", ReferencingTableColumn: "stock_symbol", ReferencedTable: "companies", ReferencedTableColumn: "stock_symbol"}},
			"users":     {{ReferencingTable: "user_stock_selections", ReferencingTableColumn: "user_id", ReferencedTable: "users", ReferencedTableColumn: "id"}},
		},
		Tables: map[string]TableSummary{"companies": {Name: "companies", Description: "This table provides ...",
			Columns: map[string]ColumnSummary{"city": {Name: "city", Description: "The city where ..."}}}},
	}
	session := &Session{SessionID: 305685, Messages: []json.RawMessage{},
		Meta: SessionMeta{CreatedAt: 1718948875, UpdatedAt: 1718948875, Creator: "<Your email>", Name: "<Your session name>", OrgID: "1"}}
	summaryV2 := &DataSummaryV2Record{ID: 481235, Name: "data-context", Type: "data", Creator: "you@example.com", OrgID: "1",
		CreatedAt: 1701234567, UpdatedAt: 1701234999,
		Data: &DataSummaryV2{ClusterID: cluster, DBName: "sp500insight", OrgID: "1", ProjectID: "1372813089454543369",
			ShortSummary: "S&P 500 data", Status: "done", Summary: "Stock market data", SummaryKeywords: []string{"stocks"},
			DBSchema: map[string]TableSchemaV2{"users": {TableName: "users", Description: "The users.", KeyAttributes: []string{"id"},
				PrimaryKey: json.RawMessage(`"id"`), Status: "done", Columns: map[string]ColumnSchemaV2{
					"id":    {Name: "id", Type: "int", Description: "The id.", Default: json.RawMessage("null")},
					"email": {Name: "email", Type: "varchar(255)", Nullable: true, Description: "The email."}}}},
			Entity:            map[string]EntityV2{"user": {Name: "user", Summary: "A user.", Attributes: []string{"email"}, InvolvedTables: []string{"users"}}},
			TableRelationship: RelationshipMap{}}}
	fewShot := KnowledgeDataRequest{Type: KnowledgeFewShot, RawData: FewShot{Question: "How many users?", Answer: "SELECT COUNT(*) FROM users"}}
	const fewShotBody = `{"type":"few-shot","meta_data":{},"raw_data":{"question":"How many users?","answer":"SELECT COUNT(*) FROM users"}}`
	knowledgeItem := `{"knowledge_data_id":7,"type":"few-shot","meta_data":{},"raw_data":{"question":"How many users?","answer":"SELECT COUNT(*) FROM users"}}`
	wantItem := KnowledgeData{KnowledgeDataID: "7", Type: KnowledgeFewShot, MetaData: json.RawMessage(`{}`),
		RawData: json.RawMessage(`{"question":"How many users?","answer":"SELECT COUNT(*) FROM users"}`)}

	tests := []struct {
		name         string
		method, path string // the request expected, path escaped
		body         string // its exact body; "" for none
		reply        string // the response body (HTTP 200)
		call         func(context.Context, *Client) (any, error)
		want         any
	}{
		// §6 data summaries.
		{
			name: "CreateDataSummary", method: "POST", path: "/v3/dataSummaries",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","description":"Data summary for SP500 Insight","reuse":false}`,
			reply: fixtureCreateSummary,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateDataSummary(ctx, CreateDataSummaryRequest{ClusterID: cluster, Database: "sp500insight", Description: "Data summary for SP500 Insight"})
			},
			want: &DataSummaryRef{DataSummaryID: 304823, JobID: "fb99ef785da640ab87bf69afed60903d"},
		},
		{
			name: "CreateDataSummary reuse default", method: "POST", path: "/v3/dataSummaries",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","reuse":true,"default":true}`,
			reply: fixtureCreateSummary,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateDataSummary(ctx, CreateDataSummaryRequest{ClusterID: cluster, Database: "sp500insight", Reuse: true, Default: ptr(true)})
			},
			want: &DataSummaryRef{DataSummaryID: 304823, JobID: "fb99ef785da640ab87bf69afed60903d"},
		},
		{
			name: "ListDataSummaries array", method: "GET", path: "/v3/dataSummaries",
			reply: ok("[" + fixtureDataSummary + "]"),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListDataSummaries(ctx) },
			want:  []DataSummary{*summary},
		},
		{
			name: "ListDataSummaries object", method: "GET", path: "/v3/dataSummaries",
			reply: ok(`{"total":1,"data_summaries":[` + fixtureDataSummary + `]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListDataSummaries(ctx) },
			want:  []DataSummary{*summary},
		},
		{
			name: "GetDataSummary", method: "GET", path: "/v3/dataSummaries/304823",
			reply: ok(fixtureDataSummary),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetDataSummary(ctx, 304823) },
			want:  summary,
		},
		{
			name: "UpdateDataSummary", method: "PUT", path: "/v3/dataSummaries/304823",
			body:  `{"description":"Stocks","tables":{"users":{"description":"People","columns":{"id":"The user id"}}}}`,
			reply: ok(`{"job_id":"0123456789abcdef0123456789abcdef"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateDataSummary(ctx, 304823, UpdateDataSummaryRequest{Description: "Stocks",
					Tables: map[string]TableUpdate{"users": {Description: "People", Columns: map[string]string{"id": "The user id"}}}})
			},
			want: &Ack{JobID: "0123456789abcdef0123456789abcdef", Result: json.RawMessage(`{"job_id":"0123456789abcdef0123456789abcdef"}`)},
		},
		{
			name: "UpdateTableDescription", method: "PUT", path: "/v3/dataSummaries/304823/tables/stock%20prices%2F2024",
			body:  `{"description":"Daily prices"}`,
			reply: ok(`{}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateTableDescription(ctx, 304823, "stock prices/2024", "Daily prices")
			},
			want: &Ack{Result: json.RawMessage(`{}`)},
		},
		{
			name: "UpdateColumnDescriptions", method: "PUT", path: "/v3/dataSummaries/304823/tables/companies/columns",
			body:  `{"columns":{"city":"Headquarters city","sector":"GICS sector"}}`,
			reply: ok(`null`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateColumnDescriptions(ctx, 304823, "companies", map[string]string{"sector": "GICS sector", "city": "Headquarters city"})
			},
			want: &Ack{Result: json.RawMessage(`null`)},
		},
		// §7 chat2data.
		{
			name: "Chat2Data", method: "POST", path: "/v3/chat2data",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","question":"How many users?","sql_generate_mode":"direct"}`,
			reply: fixtureChat2Data,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chat2Data(ctx, Chat2DataRequest{ClusterID: cluster, Database: "sp500insight", Question: "How many users?", SQLGenerateMode: ModeDirect})
			},
			want: &JobRef{ClusterID: cluster, Database: "sp500insight", JobID: "20f7577088154d7889964f1a5b12cb26", SessionID: 304832},
		},
		// §8 sessions.
		{
			name: "CreateSession", method: "POST", path: "/v3/sessions",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","name":"demo"}`,
			reply: fixtureSession,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateSession(ctx, CreateSessionRequest{ClusterID: cluster, Database: "sp500insight", Name: "demo"})
			},
			want: session,
		},
		{
			name: "ListSessions", method: "GET", path: "/v3/sessions",
			reply: ok(`{"sessions":[{"session_id":305685,"meta":{"created_at":1718948875,"name":"demo","updated_at":1718948900}},{"session_id":"305686"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListSessions(ctx) },
			want: []Session{{SessionID: 305685, Meta: SessionMeta{CreatedAt: 1718948875, UpdatedAt: 1718948900, Name: "demo"}},
				{SessionID: 305686}},
		},
		{
			name: "GetSession", method: "GET", path: "/v3/sessions/305685",
			reply: fixtureSession,
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetSession(ctx, 305685) },
			want:  session,
		},
		{
			name: "UpdateSession", method: "PUT", path: "/v3/sessions/305685",
			body:  `{"name":"renamed"}`,
			reply: fixtureSession,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateSession(ctx, 305685, UpdateSessionRequest{Name: "renamed"})
			},
			want: &Ack{Result: json.RawMessage(strings.TrimSuffix(strings.TrimPrefix(fixtureSession, `{ "code": 200, "msg": "",
  "result": `), ` }`))},
		},
		{
			name: "ResetSession", method: "PUT", path: "/v3/sessions/305685/reset",
			body:  `{}`,
			reply: `{"code":200,"msg":""}`,
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ResetSession(ctx, 305685) },
			want:  &Ack{},
		},
		{
			name: "SessionChat2Data", method: "POST", path: "/v3/sessions/305685/chat2data",
			body:  `{"question":"Which sectors are they in?","feedback_answer_id":"","feedback_task_id":"","sql_generate_mode":"auto_breakdown"}`,
			reply: fixtureSessionChat2Data,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SessionChat2Data(ctx, 305685, SessionChat2DataRequest{Question: "Which sectors are they in?", SQLGenerateMode: ModeAutoBreakdown})
			},
			want: &JobRef{JobID: "d96b6fd23c5f445787eb5fd067c14c0b", SessionID: 305685},
		},
		// §9 knowledge bases.
		{
			name: "CreateKnowledgeBase", method: "POST", path: "/v3/knowledgeBases",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","description":""}`,
			reply: fixtureKnowledgeBase,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateKnowledgeBase(ctx, CreateKnowledgeBaseRequest{ClusterID: cluster, Database: "sp500insight"})
			},
			want: &KnowledgeBase{KnowledgeBaseID: 2, Default: true},
		},
		{
			name: "ListKnowledgeBases", method: "GET", path: "/v3/knowledgeBases",
			reply: ok(`[{"default":true,"description":"main","knowledge_base_id":"2","cluster_id":10140100115280519574,"database":"sp500insight"}]`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListKnowledgeBases(ctx) },
			want:  []KnowledgeBase{{KnowledgeBaseID: 2, Default: true, Description: "main", ClusterID: cluster, Database: "sp500insight"}},
		},
		{
			name: "GetKnowledgeBase", method: "GET", path: "/v3/knowledgeBases/2",
			reply: fixtureKnowledgeBase,
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetKnowledgeBase(ctx, 2) },
			want:  &KnowledgeBase{KnowledgeBaseID: 2, Default: true},
		},
		{
			name: "UpdateKnowledgeBase", method: "PUT", path: "/v3/knowledgeBases/2",
			body:  `{"description":"S&P 500 terms"}`,
			reply: fixtureKnowledgeBase,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateKnowledgeBase(ctx, 2, UpdateKnowledgeBaseRequest{Description: "S&P 500 terms"})
			},
			want: &Ack{Result: json.RawMessage(`{"default": true, "description": "", "knowledge_base_id": 2}`)},
		},
		{
			name: "AddKnowledgeData", method: "POST", path: "/v3/knowledgeBases/2/data",
			body:  fewShotBody,
			reply: ok(knowledgeItem),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.AddKnowledgeData(ctx, 2, fewShot) },
			want:  &wantItem,
		},
		{
			name: "AddKnowledgeData term sheet, empty answer", method: "POST", path: "/v3/knowledgeBases/2/data",
			body:  `{"type":"term-sheet","meta_data":{"source":"glossary"},"raw_data":{"term":["OSS"],"description":"Open source software"}}`,
			reply: ok(`{}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddKnowledgeData(ctx, 2, KnowledgeDataRequest{Type: KnowledgeTermSheet, MetaData: map[string]any{"source": "glossary"},
					RawData: TermSheet{Term: []string{"OSS"}, Description: "Open source software"}})
			},
			want: &KnowledgeData{},
		},
		{
			name: "ListKnowledgeData", method: "GET", path: "/v3/knowledgeBases/2/data",
			reply: ok(`{"knowledge_data":[` + knowledgeItem + `]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListKnowledgeData(ctx, 2) },
			want:  []KnowledgeData{wantItem},
		},
		{
			name: "UpdateKnowledgeData", method: "PUT", path: "/v3/knowledgeBases/2/data/7",
			body:  `{"type":"instruction","meta_data":{},"raw_data":{"instruction":"Always use LIMIT 100."}}`,
			reply: ok(`{}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateKnowledgeData(ctx, 2, "7", KnowledgeDataRequest{Type: KnowledgeInstruction, RawData: Instruction{"Always use LIMIT 100."}})
			},
			want: &Ack{Result: json.RawMessage(`{}`)},
		},
		{
			name: "DeleteKnowledgeData", method: "DELETE", path: "/v3/knowledgeBases/2/data/a%2Fb",
			reply: ok(`null`),
			call:  func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteKnowledgeData(ctx, 2, "a/b") },
		},
		// §10.
		{
			name: "RefineSQL", method: "POST", path: "/v3/refineSql",
			body:  `{"cluster_id":"10140100115280519574","database":"game","sql":"SELECT * FROM games LIMIT 20;","feedback":"limit 10"}`,
			reply: fixtureRefineSQL,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RefineSQL(ctx, RefineSQLRequest{ClusterID: cluster, Database: "game", SQL: "SELECT * FROM games LIMIT 20;", Feedback: "limit 10"})
			},
			want: &JobRef{JobID: "xxx"},
		},
		{
			name: "SuggestQuestions", method: "POST", path: "/v3/suggestQuestions",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight"}`,
			reply: ok(`{"job_id":"5b0c3e6f6a8e4a0f9d1e2c3b4a5f6e7d"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SuggestQuestions(ctx, SuggestQuestionsRequest{ClusterID: cluster, Database: "sp500insight"})
			},
			want: &JobRef{JobID: "5b0c3e6f6a8e4a0f9d1e2c3b4a5f6e7d"},
		},
		// §5 jobs.
		{
			name: "GetJob", method: "GET", path: "/v2/jobs/20f7577088154d7889964f1a5b12cb26",
			reply: fixtureJobDone,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetJob(ctx, "20f7577088154d7889964f1a5b12cb26")
			},
			want: &Job{JobID: "20f7577088154d7889964f1a5b12cb26", Status: JobDone, EndedAt: 1718785006, Result: json.RawMessage(fixtureAnswerDirect)},
		},
		// §11 v2.
		{
			name: "CreateDataSummaryV2", method: "POST", path: "/v2/dataSummaries",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight"}`,
			reply: fixtureCreateSummaryV2,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateDataSummaryV2(ctx, CreateDataSummaryV2Request{ClusterID: cluster, Database: "sp500insight"})
			},
			want: &DataSummaryRef{DataSummaryID: 481235, JobID: "79c2b3d36c074943ab06a29e45dd5887"},
		},
		{
			name: "ListDataSummariesV2", method: "GET", path: "/v2/dataSummaries",
			reply: ok(`[` + fixtureSummaryV2Record[len(`{"code":200,"msg":"","result":`):len(fixtureSummaryV2Record)-1] + `]`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListDataSummariesV2(ctx) },
			want:  []DataSummaryV2Record{*summaryV2},
		},
		{
			name: "GetDataSummaryV2", method: "GET", path: "/v2/dataSummaries/481235",
			reply: fixtureSummaryV2Record,
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetDataSummaryV2(ctx, 481235) },
			want:  summaryV2,
		},
		{
			name: "UpdateDataSummaryV2", method: "PUT", path: "/v2/dataSummaries/481235",
			body:  `{"tables":{"users":{"description":"The users.","columns":{"email":"Where to write"}}}}`,
			reply: ok(`{"job_id":"79c2b3d36c074943ab06a29e45dd5888"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateDataSummaryV2(ctx, 481235, UpdateDataSummaryV2Request{Tables: map[string]TableUpdate{
					"users": {Description: "The users.", Columns: map[string]string{"email": "Where to write"}}}})
			},
			want: &JobRef{JobID: "79c2b3d36c074943ab06a29e45dd5888"},
		},
		{
			name: "Chat2DataV2", method: "POST", path: "/v2/chat2data",
			body:  `{"data_summary_id":481235,"raw_question":"count the users","evidence":"users are rows of users"}`,
			reply: ok(`{"job_id":"79c2b3d36c074943ab06a29e45dd5889"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chat2DataV2(ctx, Chat2DataV2Request{DataSummaryID: 481235, RawQuestion: "count the users", Evidence: "users are rows of users"})
			},
			want: &JobRef{JobID: "79c2b3d36c074943ab06a29e45dd5889"},
		},
		// §12 v1.
		{
			name: "Chat2DataV1", method: "POST", path: "/v1/chat2data",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","tables":["users"],"instruction":"count the users"}`,
			reply: fixtureV1Answer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chat2DataV1(ctx, Chat2DataV1Request{ClusterID: cluster, Database: "sp500insight", Tables: []string{"users"}, Instruction: "count the users"})
			},
			want: &V1Answer{Type: "chat2data_endpoint",
				Columns: []V1Column{{Col: "COUNT(`user_id`)", DataType: "BIGINT"}},
				Rows:    []map[string]any{{"COUNT(`user_id`)": "1"}},
				Result: V1Result{Code: 200, Message: "Query OK!", StartMs: 1699529488292, EndMs: 1699529491901, Latency: "3.609656403s",
					RowCount: 1, Limit: 1000, SQL: "SELECT COUNT(`user_id`) FROM `users`;", AILatency: "3.054822491s"}},
		},
		{
			name: "Chat2DataV1 SQL error is an answer", method: "POST", path: "/v1/chat2data",
			body:  `{"cluster_id":"10140100115280519574","database":"sp500insight","instruction":"list the user table"}`,
			reply: fixtureV1SQLError,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chat2DataV1(ctx, Chat2DataV1Request{ClusterID: cluster, Database: "sp500insight", Instruction: "list the user table"})
			},
			want: &V1Answer{Type: "chat2data_endpoint", Columns: []V1Column{},
				Result: V1Result{Code: 1146, Message: "Table 'sp500insight.user' doesn't exist", SQL: "SELECT * FROM user;"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := setup(t)
			calls := 0
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				calls++
				checkRequest(t, r, tt.method, tt.path, tt.body)
				reply(w, 200, tt.reply)
			})
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got, rawEqual); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			}
			// One call, after the digest challenge exchange.
			if calls != 1 || c.Requests() != 2 || f.all.get() != 2 {
				t.Errorf("the API saw %d requests, the server %d, Requests() = %d; want 1, 2, 2", calls, f.all.get(), c.Requests())
			}
		})
	}
}

// TestEndpointArguments: invalid ids and bodies are refused before any
// request is spent.
func TestEndpointArguments(t *testing.T) {
	c, f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL) })
	ctx := context.Background()
	long := KnowledgeDataRequest{Type: KnowledgeInstruction, RawData: Instruction{strings.Repeat("é", MaxInstructionLength+1)}}
	calls := map[string]func() error{
		"GetSession 0":               func() error { _, err := c.GetSession(ctx, 0); return err },
		"UpdateSession -1":           func() error { _, err := c.UpdateSession(ctx, -1, UpdateSessionRequest{}); return err },
		"ResetSession 0":             func() error { _, err := c.ResetSession(ctx, 0); return err },
		"SessionChat2Data 0":         func() error { _, err := c.SessionChat2Data(ctx, 0, SessionChat2DataRequest{Question: "q"}); return err },
		"GetDataSummary 0":           func() error { _, err := c.GetDataSummary(ctx, 0); return err },
		"UpdateDataSummary 0":        func() error { _, err := c.UpdateDataSummary(ctx, 0, UpdateDataSummaryRequest{}); return err },
		"UpdateTableDescription ''":  func() error { _, err := c.UpdateTableDescription(ctx, 1, "", "d"); return err },
		"UpdateColumnDescriptions 0": func() error { _, err := c.UpdateColumnDescriptions(ctx, 1, "t", nil); return err },
		"GetKnowledgeBase 0":         func() error { _, err := c.GetKnowledgeBase(ctx, 0); return err },
		"UpdateKnowledgeBase 0":      func() error { _, err := c.UpdateKnowledgeBase(ctx, 0, UpdateKnowledgeBaseRequest{}); return err },
		"AddKnowledgeData no type": func() error {
			_, err := c.AddKnowledgeData(ctx, 2, KnowledgeDataRequest{RawData: FewShot{}})
			return err
		},
		"AddKnowledgeData no data": func() error {
			_, err := c.AddKnowledgeData(ctx, 2, KnowledgeDataRequest{Type: KnowledgeFewShot})
			return err
		},
		"AddKnowledgeData too long": func() error { _, err := c.AddKnowledgeData(ctx, 2, long); return err },
		"ListKnowledgeData 0":       func() error { _, err := c.ListKnowledgeData(ctx, 0); return err },
		"UpdateKnowledgeData ''":    func() error { _, err := c.UpdateKnowledgeData(ctx, 2, "", KnowledgeDataRequest{}); return err },
		"DeleteKnowledgeData ''":    func() error { return c.DeleteKnowledgeData(ctx, 2, "") },
		"GetDataSummaryV2 0":        func() error { _, err := c.GetDataSummaryV2(ctx, 0); return err },
		"UpdateDataSummaryV2 0":     func() error { _, err := c.UpdateDataSummaryV2(ctx, 0, UpdateDataSummaryV2Request{}); return err },
		"GetJob ''":                 func() error { _, err := c.GetJob(ctx, ""); return err },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.HasPrefix(err.Error(), "chat2query: ") {
			t.Errorf("%s: error %q does not say where it comes from", name, err)
		}
	}
	if c.Requests() != 0 {
		t.Errorf("Requests() = %d, want 0", c.Requests())
	}
}

// TestChat2DataV1LegacyPath: a 404 "endpoint not found" at /v1/chat2data
// falls back to /chat2data once, and later calls go there directly.
func TestChat2DataV1LegacyPath(t *testing.T) {
	c, f := setup(t)
	var paths []string
	f.mux.HandleFunc("POST /v1/chat2data", func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		reply(w, 404, fixtureGateway404)
	})
	f.mux.HandleFunc("POST /chat2data", func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		checkRequest(t, r, "POST", "/chat2data", `{"cluster_id":"1","database":"d","instruction":"count the users"}`)
		reply(w, 200, fixtureV1Answer)
	})
	req := Chat2DataV1Request{ClusterID: "1", Database: "d", Instruction: "count the users"}
	for range 2 {
		a, err := c.Chat2DataV1(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !a.OK() || a.Result.SQL == "" {
			t.Errorf("answer = %+v", a)
		}
	}
	if want := []string{"/v1/chat2data", "/chat2data", "/chat2data"}; !cmp.Equal(paths, want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}

	// A 404 from the service itself (not the gateway's routing) is not a
	// reason to ask again elsewhere.
	c2, f2 := setup(t)
	n := 0
	f2.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n++
		reply(w, 404, `{"code":404,"msg":"cluster not found","result":{}}`)
	})
	_, err := c2.Chat2DataV1(context.Background(), req)
	var nf *NotFoundError
	if !errors.As(err, &nf) || n != 1 {
		t.Errorf("err = %v after %d requests, want a *NotFoundError after 1", err, n)
	}
}

// TestJobResults decodes the result of every kind of job.
func TestJobResults(t *testing.T) {
	job := func(result string) *Job { return &Job{JobID: "j", Status: JobDone, Result: json.RawMessage(result)} }

	s, err := job(fixtureDataSummary).DataSummary()
	if err != nil || s.ClusterID != "10140100115280519574" || !s.Ready() || len(s.Relationships["users"]) != 1 {
		t.Errorf("DataSummary() = %+v, %v", s, err)
	}

	var rec struct {
		Result DataSummaryV2Record `json:"result"`
	}
	if err := json.Unmarshal([]byte(fixtureSummaryV2Record), &rec); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(map[string]any{"cluster_id": json.Number("10140100115280519574"), "db_name": "d", "table_relationship": map[string]any{
		"orders": []map[string]string{{"referencing_table": "orders", "referenced_table": "users", "relationship": "N:1", "foreign_key_column": "user_id", "primary_key_column": "id"}}}})
	v2, err := job(string(data)).DataSummaryV2()
	want := &DataSummaryV2{ClusterID: "10140100115280519574", DBName: "d", TableRelationship: RelationshipMap{"orders": {{ReferencingTable: "orders",
		ReferencedTable: "users", Relationship: "N:1", ForeignKeyColumn: "user_id", PrimaryKeyColumn: "id"}}}}
	if err != nil || !cmp.Equal(want, v2, rawEqual) {
		t.Errorf("DataSummaryV2() = %v (-want +got):\n%s", err, cmp.Diff(want, v2, rawEqual))
	}

	r, err := job(fixtureChat2DataV2Result).Chat2DataV2()
	wantV2 := &Chat2DataV2Result{QuestionID: "8c4c15cf-a808-45b8-bff7-2ca819a1b6d5", RawQuestion: "count the users", TimeElapsed: 3.854671001434326,
		TaskTree: map[string]TaskNode{"0": {TaskID: "0", Task: "count the users", ClarifiedTask: "count the users",
			Columns: []Column{{"user_count"}}, Rows: [][]any{{"1"}}, SQL: "SELECT COUNT(`user_id`) AS `user_count` FROM `users`;"}}}
	if diff := cmp.Diff(wantV2, r); err != nil || diff != "" {
		t.Errorf("Chat2DataV2() = %v (-want +got):\n%s", err, diff)
	}

	var refine struct {
		Result Job `json:"result"`
	}
	if err := json.Unmarshal([]byte(fixtureRefineJob), &refine); err != nil {
		t.Fatal(err)
	}
	rs, err := refine.Result.RefinedSQL()
	if err != nil || *rs != (RefineSQLResult{RewrittenSQL: "SELECT * FROM games LIMIT 10;", Solution: "Changed the limit to 10."}) {
		t.Errorf("RefinedSQL() = %+v, %v", rs, err)
	}

	for _, in := range []string{`["Which sector is largest?","Who holds AAPL?"]`, `{"questions":["Which sector is largest?","Who holds AAPL?"]}`} {
		qs, err := job(in).SuggestedQuestions()
		if err != nil || !cmp.Equal(qs, []string{"Which sector is largest?", "Who holds AAPL?"}) {
			t.Errorf("SuggestedQuestions(%s) = %q, %v", in, qs, err)
		}
	}

	failed := &Job{JobID: "j", Status: JobFailed, Reason: "no summary", Result: json.RawMessage("null")}
	for name, decode := range map[string]func() error{
		"DataSummary":        func() error { _, err := failed.DataSummary(); return err },
		"DataSummaryV2":      func() error { _, err := failed.DataSummaryV2(); return err },
		"Chat2DataV2":        func() error { _, err := failed.Chat2DataV2(); return err },
		"RefinedSQL":         func() error { _, err := failed.RefinedSQL(); return err },
		"SuggestedQuestions": func() error { _, err := failed.SuggestedQuestions(); return err },
		"bad questions":      func() error { _, err := job(`[1,2]`).SuggestedQuestions(); return err },
		"bad refine":         func() error { _, err := job(`[]`).RefinedSQL(); return err },
	} {
		var de *DecodeError
		if err := decode(); !errors.As(err, &de) {
			t.Errorf("%s: err = %v, want a *DecodeError", name, err)
		}
	}
}
