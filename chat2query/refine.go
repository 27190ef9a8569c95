package chat2query

import (
	"context"
	"net/http"
)

// RefineSQLRequest is the body of POST /v3/refineSql, as PingCAP's
// tisqleditor sends it (§10.1; the endpoint is documented only by name):
// the SQL to change and, in Feedback, how to change it.
type RefineSQLRequest struct {
	ClusterID string `json:"cluster_id"`
	Database  string `json:"database"`
	SQL       string `json:"sql"`
	Feedback  string `json:"feedback"`
}

// RefineSQLResult is the job result of POST /v3/refineSql (§10.1).
type RefineSQLResult struct {
	RewrittenSQL string `json:"rewritten_sql"`
	Solution     string `json:"solution"` // the AI's explanation
}

// RefineSQL asks the AI to rewrite SQL following feedback: POST
// /v3/refineSql. Poll the returned job with WaitJob; its result decodes with
// Job.RefinedSQL. The type of the session_id returned is undocumented
// (§15.13): a non-numeric one leaves JobRef.SessionID 0. The request is an
// AI request and is never sent twice.
func (c *Client) RefineSQL(ctx context.Context, req RefineSQLRequest) (*JobRef, error) {
	return c.startJob(ctx, http.MethodPost, "/v3/refineSql", req)
}

// SuggestQuestionsRequest is the body of POST /v3/suggestQuestions, as
// PingCAP's TiInsight sends it (§10.2): a database, or the undocumented
// database_uri instead.
type SuggestQuestionsRequest struct {
	ClusterID   string `json:"cluster_id,omitempty"`
	Database    string `json:"database,omitempty"`
	DatabaseURI string `json:"database_uri,omitempty"`
}

// SuggestQuestions asks the AI for questions the database's data summary
// can answer: POST /v3/suggestQuestions. Poll the returned job with WaitJob;
// its result decodes with Job.SuggestedQuestions. The request is an AI
// request and is never sent twice.
func (c *Client) SuggestQuestions(ctx context.Context, req SuggestQuestionsRequest) (*JobRef, error) {
	return c.startJob(ctx, http.MethodPost, "/v3/suggestQuestions", req)
}
