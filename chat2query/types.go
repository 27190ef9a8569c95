package chat2query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Envelope is the v2/v3 response body: {"code":200,"msg":"","result":{...}}
// (chat2query-api.md §3.1).
type Envelope struct {
	Code   int             `json:"code"`
	Msg    string          `json:"msg"`
	Result json.RawMessage `json:"result"`
}

// Mode is a chat2data sql_generate_mode.
type Mode string

const (
	ModeDirect        Mode = "direct"
	ModeAutoBreakdown Mode = "auto_breakdown"
)

// Job statuses (§5). Only Done and Failed are terminal; any other value,
// including one this package does not know, means "not finished yet".
const (
	JobInit    = "init"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// CreateSessionRequest is the body of POST /v3/sessions (§8.1).
type CreateSessionRequest struct {
	ClusterID string `json:"cluster_id"`
	Database  string `json:"database"`
	Name      string `json:"name,omitempty"`
}

// Session is a Chat2Query session (§8.1).
type Session struct {
	SessionID Int64             `json:"session_id"`
	Messages  []json.RawMessage `json:"messages"`
	Meta      SessionMeta       `json:"meta"`
}

// SessionMeta describes a session (§8.1). org_id is a string in the docs.
type SessionMeta struct {
	CreatedAt Int64  `json:"created_at"`
	UpdatedAt Int64  `json:"updated_at"`
	Creator   string `json:"creator"`
	Name      string `json:"name"`
	OrgID     String `json:"org_id"`
}

// SessionChat2DataRequest is the body of POST /v3/sessions/{id}/chat2data (§8.2).
type SessionChat2DataRequest struct {
	Question         string `json:"question"`
	FeedbackAnswerID string `json:"feedback_answer_id"`
	FeedbackTaskID   string `json:"feedback_task_id"`
	SQLGenerateMode  Mode   `json:"sql_generate_mode,omitempty"`
}

// Chat2DataRequest is the body of POST /v3/chat2data (§7.1).
type Chat2DataRequest struct {
	ClusterID       string `json:"cluster_id,omitempty"`
	Database        string `json:"database,omitempty"`
	DataSummaryID   Int64  `json:"data_summary_id,omitempty"`
	Question        string `json:"question"`
	SQLGenerateMode Mode   `json:"sql_generate_mode,omitempty"`
}

// JobRef is what an asynchronous POST returns (§7.2, §8.2).
type JobRef struct {
	ClusterID string `json:"cluster_id,omitempty"`
	Database  string `json:"database,omitempty"`
	JobID     string `json:"job_id"`
	SessionID Int64  `json:"session_id,omitempty"`
}

// UnmarshalJSON accepts cluster_id as a string or a JSON number (§2: older
// responses emitted the uint64 as a bare number), keeping every digit.
func (r *JobRef) UnmarshalJSON(b []byte) error {
	type jobRef JobRef // without this method
	var v struct {
		jobRef
		ClusterID String `json:"cluster_id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = JobRef(v.jobRef)
	r.ClusterID = string(v.ClusterID)
	return nil
}

// Job is the result of GET /v2/jobs/{job_id} (§5).
type Job struct {
	JobID   string          `json:"job_id"`
	Status  string          `json:"status"`
	EndedAt Int64           `json:"ended_at"`
	Reason  string          `json:"reason"`
	Result  json.RawMessage `json:"result"`
}

// Finished reports whether the job reached a terminal status.
func (j *Job) Finished() bool { return j.Status == JobDone || j.Status == JobFailed }

// Answer decodes the job result of a chat2data call (§7.3).
func (j *Job) Answer() (*Answer, error) {
	if len(j.Result) == 0 || bytes.Equal(j.Result, []byte("null")) {
		return nil, &DecodeError{What: "job " + j.JobID + " result", Err: fmt.Errorf("no answer in a %q job", j.Status)}
	}
	var a Answer
	if err := json.Unmarshal(j.Result, &a); err != nil {
		return nil, &DecodeError{What: "job " + j.JobID + " result", Err: err}
	}
	return &a, nil
}

// Answer is a chat2data answer: type "data_retrieval", or "breakdown" with SubTasks (§7.3).
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

// UnmarshalJSON keeps numbers in rows and chart options as json.Number, so
// that a BIGINT or DECIMAL value is compared digit for digit rather than
// through float64, and accepts sql_error as a string or any JSON value
// (its type is undocumented; a non-string is kept as its JSON text).
func (a *Answer) UnmarshalJSON(b []byte) error {
	type answer Answer // without this method
	var v struct {
		answer
		SQLError json.RawMessage `json:"sql_error"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*a = Answer(v.answer)
	a.SQLError = nil
	switch raw := bytes.TrimSpace(v.SQLError); {
	case len(raw) == 0, string(raw) == "null", string(raw) == `""`:
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		a.SQLError = &s
	default:
		s := string(raw)
		a.SQLError = &s
	}
	return nil
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

// Int64 is an integer that the service may send as a JSON number or a string.
// It is encoded as a number.
type Int64 int64

func (n *Int64) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int64(v)
		return nil
	}
	// Timestamps may come as 1.718785006e9 or with a fraction; an integer
	// never passes through this float path, so IDs stay exact.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < math.MinInt64 || f >= math.MaxInt64 {
		return fmt.Errorf("not an integer: %s", b)
	}
	*n = Int64(f)
	return nil
}

func (n Int64) String() string { return strconv.FormatInt(int64(n), 10) }

// String is a string that the service may send as a JSON number; numbers are
// kept digit for digit (a cluster_id is a uint64 and must never pass through float64).
type String string

func (s *String) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("not a string or number: %s", b)
	}
	*s = String(num)
	return nil
}
