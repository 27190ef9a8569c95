package chat2query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Job statuses (§5). Only Done and Failed are terminal; any other value,
// including one this package does not know, means "not finished yet".
const (
	JobInit    = "init"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// JobRef is what an asynchronous POST returns (§6.1, §7.2, §8.2, §10): the
// job to poll, and for chat2data the session it created or continued.
type JobRef struct {
	ClusterID string `json:"cluster_id,omitempty"`
	Database  string `json:"database,omitempty"`
	JobID     string `json:"job_id"`
	SessionID Int64  `json:"session_id,omitempty"`
}

// UnmarshalJSON accepts cluster_id as a string or a JSON number (§2: older
// responses emitted the uint64 as a bare number), keeping every digit, and
// session_id as a number or a numeric string. A session_id of another
// shape (refineSql's is undocumented, §15.13) is left 0 rather than fail:
// the job has been started and its id must not be lost.
func (r *JobRef) UnmarshalJSON(b []byte) error {
	type jobRef JobRef // without this method
	var v struct {
		jobRef
		ClusterID String          `json:"cluster_id"`
		JobID     String          `json:"job_id"`
		SessionID json.RawMessage `json:"session_id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = JobRef(v.jobRef)
	r.ClusterID = string(v.ClusterID)
	r.JobID = string(v.JobID)
	var sid Int64
	if len(v.SessionID) > 0 && json.Unmarshal(v.SessionID, &sid) == nil {
		r.SessionID = sid
	}
	return nil
}

// startJob sends a request (a POST, or the v2 summary update's PUT) whose
// result is the asynchronous job it started.
func (c *Client) startJob(ctx context.Context, method, path string, body any) (*JobRef, error) {
	return call(ctx, c, method, path, body, "job_id", func(r *JobRef) bool { return r.JobID != "" })
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

// GetJob fetches the state of an asynchronous job once: GET /v2/jobs/{job_id}
// (v3 endpoints use the v2 jobs endpoint). Like every GET it is retried on
// temporary failures (see the package documentation). The job's Result can
// be decoded with the method for its kind: Answer, DataSummary,
// DataSummaryV2, Chat2DataV2, RefinedSQL or SuggestedQuestions; it may
// already hold a partial result while the job is running.
func (c *Client) GetJob(ctx context.Context, jobID string) (*Job, error) {
	path, err := childPath("/v2", nil, "jobs", jobID, "job id")
	if err != nil {
		return nil, err
	}
	j, err := get[Job](ctx, c, path)
	if err == nil && j.Status == "" {
		// Without a status WaitJob could only spin until its timeout.
		return nil, &DecodeError{What: "GET " + path + " response", Err: errors.New("no status in the job")}
	}
	return j, err
}

// UnmarshalJSON accepts job_id as a string or a number and ignores a reason
// that is not a string (its type is documented only as text).
func (j *Job) UnmarshalJSON(b []byte) error {
	type job Job // without this method
	var v struct {
		job
		JobID  String          `json:"job_id"`
		Reason json.RawMessage `json:"reason"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*j = Job(v.job)
	j.JobID = string(v.JobID)
	if r, _ := decodeSQLError(v.Reason); r != nil {
		j.Reason = *r
	}
	return nil
}

// hasResult reports whether the job carries a result (not absent or null).
func (j *Job) hasResult() bool {
	r := bytes.TrimSpace(j.Result)
	return len(r) > 0 && !bytes.Equal(r, []byte("null"))
}

// jobResult decodes the job's result as a T, whose kind names it in errors.
func jobResult[T any](j *Job, kind string) (*T, error) {
	what := "job " + j.JobID + " result"
	if !j.hasResult() {
		return nil, &DecodeError{What: what, Err: fmt.Errorf("no %s in a %q job", kind, j.Status)}
	}
	var v T
	if err := unmarshalNumbers(j.Result, &v); err != nil {
		return nil, &DecodeError{What: what, Err: err, Excerpt: truncate(sanitize(string(j.Result)), 300)}
	}
	return &v, nil
}

// Answer decodes the job result of a chat2data call (§7.3), POST
// /v3/chat2data or POST /v3/sessions/{id}/chat2data. While an
// auto_breakdown job is running the answer may be partial: each sub-task has
// its own Status.
func (j *Job) Answer() (*Answer, error) {
	return jobResult[Answer](j, "answer")
}

// DataSummary decodes the job result of POST /v3/dataSummaries (§6.2).
func (j *Job) DataSummary() (*DataSummary, error) {
	return jobResult[DataSummary](j, "data summary")
}

// DataSummaryV2 decodes the job result of POST /v2/dataSummaries (§11.2).
func (j *Job) DataSummaryV2() (*DataSummaryV2, error) {
	return jobResult[DataSummaryV2](j, "v2 data summary")
}

// Chat2DataV2 decodes the job result of POST /v2/chat2data (§11.3).
func (j *Job) Chat2DataV2() (*Chat2DataV2Result, error) {
	return jobResult[Chat2DataV2Result](j, "v2 answer")
}

// RefinedSQL decodes the job result of POST /v3/refineSql (§10.1).
func (j *Job) RefinedSQL() (*RefineSQLResult, error) {
	return jobResult[RefineSQLResult](j, "refined SQL")
}

// SuggestedQuestions decodes the job result of POST /v3/suggestQuestions
// (§10.2): an array of question strings. An object holding the array (under
// "questions" or as its only array) is accepted too.
func (j *Job) SuggestedQuestions() ([]string, error) {
	what := "job " + j.JobID + " result"
	if !j.hasResult() {
		return nil, &DecodeError{What: what, Err: fmt.Errorf("no suggested questions in a %q job", j.Status)}
	}
	qs, err := decodeList[string](j.Result, "questions", "suggestions")
	if err != nil {
		return nil, &DecodeError{What: what, Err: err, Excerpt: truncate(sanitize(string(j.Result)), 300)}
	}
	return qs, nil
}
