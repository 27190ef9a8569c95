package chat2query

import (
	"context"
	"encoding/json"
	"net/http"
)

// Chat2DataRequest is the body of POST /v3/chat2data (§7.1). With ClusterID
// and Database the database's default data summary is used; DataSummaryID
// is used only when both are empty.
type Chat2DataRequest struct {
	ClusterID       string `json:"cluster_id,omitempty"`
	Database        string `json:"database,omitempty"`
	DataSummaryID   Int64  `json:"data_summary_id,omitempty"`
	Question        string `json:"question"`
	SQLGenerateMode Mode   `json:"sql_generate_mode,omitempty"` // default (undocumented): direct
}

// Chat2Data asks a question outside any existing session: POST /v3/chat2data.
// The service still creates a session, returned in JobRef.SessionID, that
// follow-up questions can use. Poll the returned job with WaitJob; its
// result is an Answer. A *NotReadyError means that the data summary has not
// finished. The request is an AI request and is never sent twice.
func (c *Client) Chat2Data(ctx context.Context, req Chat2DataRequest) (*JobRef, error) {
	return c.startJob(ctx, http.MethodPost, "/v3/chat2data", req)
}

// Answer is a chat2data answer: type "data_retrieval", or "breakdown" with
// SubTasks (§7.3). Sub-task ids are hyphen paths from the root "0".
type Answer struct {
	Type          string        `json:"type"`
	TaskID        string        `json:"task_id"`
	Status        string        `json:"status"`
	ClarifiedTask string        `json:"clarified_task"`
	Description   string        `json:"description"`
	SQL           string        `json:"sql"`
	SQLError      *string       `json:"sql_error"`
	Data          *Data         `json:"data"` // null when the SQL failed (§7.3)
	ChartOptions  *ChartOptions `json:"chart_options"`
	Assumptions   []Assumption  `json:"assumptions"`
	SubTasks      []Answer      `json:"sub_tasks,omitempty"`
}

// Answer types (§7.3).
const (
	AnswerDataRetrieval = "data_retrieval"
	AnswerBreakdown     = "breakdown"
)

// UnmarshalJSON keeps numbers in rows and chart options as json.Number, so
// that a BIGINT or DECIMAL value is compared digit for digit rather than
// through float64, and accepts sql_error as a string or any JSON value
// (its type is undocumented; a non-string is kept as its JSON text).
// chart_options and assumptions only describe the answer: a value of an
// unexpected shape is dropped rather than losing the answer.
func (a *Answer) UnmarshalJSON(b []byte) error {
	type answer Answer // without this method
	var v struct {
		answer
		SQLError     json.RawMessage `json:"sql_error"`
		ChartOptions json.RawMessage `json:"chart_options"`
		Assumptions  json.RawMessage `json:"assumptions"`
	}
	if err := unmarshalNumbers(b, &v); err != nil {
		return err
	}
	*a = Answer(v.answer)
	var err error
	if a.SQLError, err = decodeSQLError(v.SQLError); err != nil {
		return err
	}
	a.ChartOptions = descriptive[*ChartOptions](v.ChartOptions)
	a.Assumptions = descriptive[[]Assumption](v.Assumptions)
	return nil
}

// descriptive decodes a field that only describes an answer: absent, or of
// an unexpected shape, it is the zero value rather than losing the answer.
func descriptive[T any](raw json.RawMessage) T {
	var v T
	if len(raw) > 0 && unmarshalNumbers(raw, &v) == nil {
		return v
	}
	var zero T
	return zero
}

// Data is a result set: columns and rows aligned with them. Either may be null.
// Numbers in Rows decode as json.Number (see Answer.UnmarshalJSON).
type Data struct {
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// Column names one result column.
type Column struct {
	Col string `json:"col"`
}

// ChartOptions is how the console would draw the answer; it may be null.
// ChartName is one of Table, BarChart, LineChart, PieChart (observed).
type ChartOptions struct {
	ChartName string         `json:"chart_name"`
	Title     string         `json:"title"`
	Option    map[string]any `json:"option"`
}

// Assumption is a concept the AI assumed while answering.
type Assumption struct {
	Concept        string   `json:"concept"`
	Explanation    string   `json:"explanation"`
	RelatedColumns []string `json:"related_columns,omitempty"`
}
