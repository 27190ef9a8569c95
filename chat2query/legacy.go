package chat2query

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// This file holds the legacy calls: the v2 data summaries and chat2data
// (§11), superseded by v3 but still served, and the deprecated synchronous
// v1 chat2data (§12).

// CreateDataSummaryV2Request is the body of POST /v2/dataSummaries (§11.1):
// a database, or the undocumented database_uri instead.
type CreateDataSummaryV2Request struct {
	ClusterID   string `json:"cluster_id,omitempty"`
	Database    string `json:"database,omitempty"`
	DatabaseURI string `json:"database_uri,omitempty"`
}

// CreateDataSummaryV2 starts a v2 analysis of a database: POST
// /v2/dataSummaries. Its job's result decodes with Job.DataSummaryV2. The
// request starts an AI job and is never sent twice.
func (c *Client) CreateDataSummaryV2(ctx context.Context, req CreateDataSummaryV2Request) (*DataSummaryRef, error) {
	return c.createSummary(ctx, "/v2/dataSummaries", req)
}

// DataSummaryV2Record is a v2 data summary as GET /v2/dataSummaries/{id}
// returned it in older docs (§11.1): the summary in Data, with its metadata.
// The list's item shape is undocumented and read as the same record.
type DataSummaryV2Record struct {
	ID        Int64          `json:"id"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Creator   string         `json:"creator"`
	OrgID     String         `json:"org_id"`
	CreatedAt Int64          `json:"created_at"`
	UpdatedAt Int64          `json:"updated_at"`
	Data      *DataSummaryV2 `json:"data"`
}

// DataSummaryV2 is the v2 DataSummaryObject (§11.2). cluster_id came as a
// bare JSON number here, so it is kept as text, digit for digit. Fields
// whose shape is unknown are kept verbatim.
type DataSummaryV2 struct {
	ClusterID         String                   `json:"cluster_id"`
	AppID             String                   `json:"app_id"`
	OrgID             String                   `json:"org_id"`
	ProjectID         String                   `json:"project_id"`
	DBName            string                   `json:"db_name"`
	Status            string                   `json:"status"`
	Summary           string                   `json:"summary"`
	ShortSummary      string                   `json:"short_summary"`
	SummaryKeywords   []string                 `json:"summary_keywords"`
	DBSchema          map[string]TableSchemaV2 `json:"db_schema"`
	Entity            map[string]EntityV2      `json:"entity"`
	TableRelationship RelationshipMap          `json:"table_relationship"`
	TablesSampleData  json.RawMessage          `json:"tables_sample_data,omitempty"`
	Statistics        *struct {
		ColumnsCount Int64 `json:"columns_count"`
		TablesCount  Int64 `json:"tables_count"`
	} `json:"statistics,omitempty"`
}

// TableSchemaV2 is one table of a v2 data summary.
type TableSchemaV2 struct {
	TableName     string                    `json:"table_name"`
	Description   string                    `json:"description"`
	Status        string                    `json:"status"`
	Type          string                    `json:"type"`
	Entity        string                    `json:"entity"`
	KeyAttributes []string                  `json:"key_attributes"`
	PrimaryKey    json.RawMessage           `json:"primary_key,omitempty"` // a column or a list of them: undocumented
	Columns       map[string]ColumnSchemaV2 `json:"columns"`
}

// ColumnSchemaV2 is one column of a v2 data summary. Statistics is, as
// observed, a JSON string encoding {count, unique, mean, ...}; it and the
// sample data are kept verbatim.
type ColumnSchemaV2 struct {
	Name          string          `json:"name"`
	Type          string          `json:"type"`
	Description   string          `json:"description"`
	Comment       string          `json:"comment"`
	Nullable      Bool            `json:"nullable"`
	Autoincrement Bool            `json:"autoincrement"`
	Default       json.RawMessage `json:"default,omitempty"`
	Statistics    json.RawMessage `json:"statistics,omitempty"`
	SampleData    json.RawMessage `json:"sample_data,omitempty"`
}

// EntityV2 is an entity of a v2 data summary: a concept and the tables
// and attributes that hold it.
type EntityV2 struct {
	Name           string   `json:"name"`
	Summary        string   `json:"summary"`
	Attributes     []string `json:"attributes"`
	InvolvedTables []string `json:"involved_tables"`
}

// ListDataSummariesV2 lists the v2 data summaries: GET /v2/dataSummaries.
// The response shape is undocumented; a bare array and an object holding
// the array are both read.
func (c *Client) ListDataSummariesV2(ctx context.Context) ([]DataSummaryV2Record, error) {
	return getList[DataSummaryV2Record](ctx, c, "/v2/dataSummaries", "data_summaries", "dataSummaries", "items", "list")
}

// GetDataSummaryV2 fetches one v2 data summary: GET
// /v2/dataSummaries/{data_summary_id} (in older docs only).
func (c *Client) GetDataSummaryV2(ctx context.Context, id Int64) (*DataSummaryV2Record, error) {
	path, err := summaryPath("v2", id)
	if err != nil {
		return nil, err
	}
	return get[DataSummaryV2Record](ctx, c, path)
}

// UpdateDataSummaryV2Request is the body of PUT
// /v2/dataSummaries/{data_summary_id} (§11.1): new descriptions by table.
type UpdateDataSummaryV2Request struct {
	Tables map[string]TableUpdate `json:"tables"`
}

// UpdateDataSummaryV2 changes table and column descriptions of a v2 data
// summary: PUT /v2/dataSummaries/{data_summary_id} (in older docs only). It
// returns the job that applies the change; its result is null when done.
func (c *Client) UpdateDataSummaryV2(ctx context.Context, id Int64, req UpdateDataSummaryV2Request) (*JobRef, error) {
	path, err := summaryPath("v2", id)
	if err != nil {
		return nil, err
	}
	return c.startJob(ctx, http.MethodPut, path, req)
}

// Chat2DataV2Request is the body of POST /v2/chat2data (§11.3), which
// changed over time: a database (ClusterID and Database) or a DataSummaryID,
// the question as RawQuestion, and the optional Evidence (a hint PingCAP's
// BIRD benchmark sends).
type Chat2DataV2Request struct {
	ClusterID     string `json:"cluster_id,omitempty"`
	Database      string `json:"database,omitempty"`
	DataSummaryID Int64  `json:"data_summary_id,omitempty"`
	RawQuestion   string `json:"raw_question"`
	Evidence      string `json:"evidence,omitempty"`
}

// Chat2DataV2 asks a question with the v2 API: POST /v2/chat2data. Its
// job's result decodes with Job.Chat2DataV2. The request is an AI request
// and is never sent twice.
func (c *Client) Chat2DataV2(ctx context.Context, req Chat2DataV2Request) (*JobRef, error) {
	return c.startJob(ctx, http.MethodPost, "/v2/chat2data", req)
}

// Chat2DataV2Result is the job result of POST /v2/chat2data (§11.3): a tree
// of tasks keyed by task id.
type Chat2DataV2Result struct {
	QuestionID  string              `json:"question_id"`
	RawQuestion string              `json:"raw_question"`
	TaskTree    map[string]TaskNode `json:"task_tree"`
	TimeElapsed float64             `json:"time_elapsed"` // seconds
}

// TaskNode is one task of a v2 answer. Beyond the documented keys, it holds
// those seen in PingCAP's clients; chart options, recommendations and
// possible explanations are kept verbatim.
type TaskNode struct {
	TaskID               string          `json:"task_id"`
	Task                 string          `json:"task"`
	ClarifiedTask        string          `json:"clarified_task"`
	Description          string          `json:"description"`
	SequenceNo           Int64           `json:"sequence_no"`
	Columns              []Column        `json:"columns"`
	Rows                 [][]any         `json:"rows"` // numbers as json.Number
	SQL                  string          `json:"sql"`
	SQLError             *string         `json:"sql_error"`
	RawGeneratedSQL      string          `json:"raw_generated_sql,omitempty"`
	RefineNote           string          `json:"refine_note,omitempty"`
	BreakdownType        string          `json:"breakdown_type,omitempty"` // Resolve or Breakdown
	Level                Int64           `json:"level,omitempty"`
	ParentTask           string          `json:"parent_task,omitempty"`
	ParentTaskID         string          `json:"parent_task_id,omitempty"`
	SubTaskList          []string        `json:"sub_task_list,omitempty"`
	Reason               string          `json:"reason,omitempty"`
	QuestionID           string          `json:"question_id,omitempty"`
	SessionContextID     String          `json:"session_context_id,omitempty"`
	Assumptions          []Assumption    `json:"assumptions,omitempty"`
	ChartOptions         json.RawMessage `json:"chartOptions,omitempty"`
	Recommendations      json.RawMessage `json:"recommendations,omitempty"`
	PossibleExplanations json.RawMessage `json:"possibleExplanations,omitempty"`
}

// UnmarshalJSON reads sql_error as Answer does, and keeps row numbers as
// json.Number.
func (n *TaskNode) UnmarshalJSON(b []byte) error {
	type node TaskNode // without this method
	var v struct {
		node
		SQLError    json.RawMessage `json:"sql_error"`
		Assumptions json.RawMessage `json:"assumptions"`
	}
	if err := unmarshalNumbers(b, &v); err != nil {
		return err
	}
	*n = TaskNode(v.node)
	var err error
	if n.SQLError, err = decodeSQLError(v.SQLError); err != nil {
		return err
	}
	n.Assumptions = descriptive[[]Assumption](v.Assumptions)
	return nil
}

// Chat2DataV1Request is the body of the deprecated POST /v1/chat2data
// (§12): the question is the Instruction; Tables limits the tables used
// (all when empty).
type Chat2DataV1Request struct {
	ClusterID   string   `json:"cluster_id"`
	Database    string   `json:"database"`
	Tables      []string `json:"tables,omitempty"`
	Instruction string   `json:"instruction"`
}

// V1Answer is the synchronous answer of v1 chat2data (§12): the whole
// Data Service gateway envelope, with the generated SQL in Result.SQL. A SQL
// that failed on the cluster is an answer too, with the MySQL error in
// Result.Code and Result.Message (see OK).
type V1Answer struct {
	Type    string           `json:"type"`
	Columns []V1Column       `json:"columns"`
	Rows    []map[string]any `json:"rows"` // values by column name; numbers as json.Number
	Result  V1Result         `json:"result"`
}

func (*V1Answer) gatewayBody() {}

// OK reports whether the SQL ran: the result's code is 200.
func (a *V1Answer) OK() bool { return a.Result.Code == 200 }

// UnmarshalJSON reads the gateway envelope {type, data: {columns, rows,
// result}}. Rows given as arrays (not observed) are keyed by column name.
func (a *V1Answer) UnmarshalJSON(b []byte) error {
	var v struct {
		Type String `json:"type"`
		Data struct {
			Columns []V1Column        `json:"columns"`
			Rows    []json.RawMessage `json:"rows"`
			Result  V1Result          `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = V1Answer{Type: string(v.Type), Columns: v.Data.Columns, Result: v.Data.Result}
	for _, raw := range v.Data.Rows {
		row := map[string]any{}
		if r := trimNull(raw); len(r) > 0 && r[0] == '[' {
			var cells []any
			if err := unmarshalNumbers(r, &cells); err != nil {
				return err
			}
			for i, cell := range cells {
				if i < len(a.Columns) {
					row[a.Columns[i].Col] = cell
				}
			}
		} else if len(r) > 0 {
			if err := unmarshalNumbers(r, &row); err != nil {
				return err
			}
		}
		a.Rows = append(a.Rows, row)
	}
	return nil
}

// V1Column is a column of a v1 answer.
type V1Column struct {
	Col      string `json:"col"`
	DataType string `json:"data_type"`
	Nullable Bool   `json:"nullable"`
}

// V1Result is the gateway's data.result of a v1 answer. Times are empty
// strings in errors, read as 0.
type V1Result struct {
	Code      Int64  `json:"code"`
	Message   string `json:"message"`
	StartMs   Int64  `json:"start_ms"`
	EndMs     Int64  `json:"end_ms"`
	Latency   string `json:"latency"` // e.g. "3.609656403s"
	RowCount  Int64  `json:"row_count"`
	RowAffect Int64  `json:"row_affect"`
	Limit     Int64  `json:"limit"`
	SQL       string `json:"sql"`
	AILatency string `json:"ai_latency"`
}

// Chat2DataV1 asks a question with the deprecated synchronous v1 API and
// returns the executed answer: POST /v1/chat2data. The path was plain
// /chat2data before (§12): if /v1/chat2data answers the gateway's 404
// "endpoint not found" (the request was not routed, so nothing ran), the
// call is sent once to /chat2data, and later calls go there directly. The
// request is an AI request and is otherwise never sent twice.
func (c *Client) Chat2DataV1(ctx context.Context, req Chat2DataV1Request) (*V1Answer, error) {
	var a V1Answer
	if c.v1Root.Load() {
		if err := c.call(ctx, http.MethodPost, "/chat2data", req, &a, c.v1Timeout()); err != nil {
			return nil, err
		}
		return &a, nil
	}
	err := c.call(ctx, http.MethodPost, "/v1/chat2data", req, &a, c.v1Timeout())
	if err == nil {
		return &a, nil
	}
	var nf *NotFoundError
	if !errors.As(err, &nf) || !unrouted(nf.APIError) {
		return nil, err
	}
	a = V1Answer{}
	err2 := c.call(ctx, http.MethodPost, "/chat2data", req, &a, c.v1Timeout())
	switch {
	case err2 == nil:
		c.v1Root.Store(true)
		return &a, nil
	case errors.As(err2, &nf):
		return nil, err // neither path exists: the documented one's error
	}
	return nil, err2
}

// v1Timeout is the request timeout of a synchronous v1 call: the endpoint
// may run a question for up to 120 s before it answers (§4).
func (c *Client) v1Timeout() time.Duration { return max(c.reqTimeout, v1RequestTimeout) }

// unrouted reports a 404 that the gateway (or a proxy) gave because no
// endpoint has the path, rather than one from the service about its data.
func unrouted(e *APIError) bool {
	return e.Code == 0 || strings.Contains(strings.ToLower(e.Msg), "endpoint")
}
