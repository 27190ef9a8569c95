package chat2query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Data summary statuses (§6.4, observed). Like job statuses, any other value
// means "not finished yet".
const (
	SummaryInited = "inited"
	SummaryDone   = "done"
	SummaryFailed = "failed"
)

// CreateDataSummaryRequest is the body of POST /v3/dataSummaries (§6.1).
// ClusterID, Database, Description and Reuse are documented (Reuse is
// always sent: false asks for a new analysis, true reuses an existing one);
// Default, Creator and DatabaseURI are undocumented fields that PingCAP's own
// clients send, and are sent only when set.
type CreateDataSummaryRequest struct {
	ClusterID   string `json:"cluster_id,omitempty"`
	Database    string `json:"database,omitempty"`
	Description string `json:"description,omitempty"`
	Reuse       bool   `json:"reuse"`
	Default     *bool  `json:"default,omitempty"`
	Creator     string `json:"creator,omitempty"`
	DatabaseURI string `json:"database_uri,omitempty"`
}

// DataSummaryRef is what POST /v3/dataSummaries and POST /v2/dataSummaries
// return: the summary's id and the analysis job to wait for (§6.1, §11.1).
type DataSummaryRef struct {
	DataSummaryID Int64  `json:"data_summary_id"`
	JobID         string `json:"job_id"`
}

// UnmarshalJSON accepts job_id as a string or a number.
func (r *DataSummaryRef) UnmarshalJSON(b []byte) error {
	var v struct {
		DataSummaryID Int64  `json:"data_summary_id"`
		JobID         String `json:"job_id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = DataSummaryRef{DataSummaryID: v.DataSummaryID, JobID: string(v.JobID)}
	return nil
}

// DataSummary is the v3 DataSummaryObject (§6.4): the AI's analysis of one
// database. Unknown fields are ignored.
type DataSummary struct {
	ClusterID     String                  `json:"cluster_id"` // a uint64, kept digit for digit whether sent as a string or a number
	DataSummaryID Int64                   `json:"data_summary_id"`
	Database      string                  `json:"database"`
	Default       Bool                    `json:"default"`
	Status        string                  `json:"status"` // inited, done, failed
	Description   SummaryDescription      `json:"description"`
	Keywords      []string                `json:"keywords"`
	Summary       string                  `json:"summary"`
	Relationships RelationshipMap         `json:"relationships"`
	Tables        map[string]TableSummary `json:"tables"`
}

// Ready reports whether the summary's analysis has finished successfully,
// so that chat2data can use it.
func (s *DataSummary) Ready() bool { return s.Status == SummaryDone }

// SummaryDescription is a data summary's description: the AI's and the
// one given when it was created. A plain string (not observed) is read as
// the AI's.
type SummaryDescription struct {
	System string `json:"system"`
	User   string `json:"user"`
}

func (d *SummaryDescription) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '"' {
		*d = SummaryDescription{}
		return json.Unmarshal(b, &d.System)
	}
	type desc SummaryDescription
	return json.Unmarshal(b, (*desc)(d))
}

// TableSummary describes one table of a data summary.
type TableSummary struct {
	Name        string                   `json:"name"`
	Description string                   `json:"description"`
	Columns     map[string]ColumnSummary `json:"columns"`
}

// ColumnSummary describes one column of a data summary.
type ColumnSummary struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Relationship is a foreign-key-like link between two tables. The v3 keys
// (§6.4) are the Referencing/Referenced table and column; the v2 object
// (§11.2) names the columns ForeignKeyColumn and PrimaryKeyColumn and adds
// the cardinality ("1:N", "N:1").
type Relationship struct {
	ReferencingTable       string `json:"referencing_table,omitempty"`
	ReferencingTableColumn string `json:"referencing_table_column,omitempty"`
	ReferencedTable        string `json:"referenced_table,omitempty"`
	ReferencedTableColumn  string `json:"referenced_table_column,omitempty"`
	Relationship           string `json:"relationship,omitempty"`
	ForeignKeyColumn       string `json:"foreign_key_column,omitempty"`
	PrimaryKeyColumn       string `json:"primary_key_column,omitempty"`
}

// Relationships are one table's relationships. The docs show one object per
// table, PingCAP's clients an array (§6.4, §15.5): both decode, as do null
// and {}.
type Relationships []Relationship

func (r *Relationships) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*r = nil
	case b[0] == '[':
		var v []Relationship
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*r = v
	case b[0] == '{':
		var v Relationship
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*r = nil
		if v != (Relationship{}) {
			*r = Relationships{v}
		}
	default:
		return fmt.Errorf("not a relationship or a list of them: %.40s", b)
	}
	return nil
}

// RelationshipMap holds relationships by table. Besides the documented
// object keyed by table, a flat array of relationships is accepted and
// keyed by referencing table.
type RelationshipMap map[string]Relationships

func (m *RelationshipMap) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var all []Relationship
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
		*m = RelationshipMap{}
		for _, r := range all {
			(*m)[r.ReferencingTable] = append((*m)[r.ReferencingTable], r)
		}
		return nil
	}
	var v map[string]Relationships
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = v
	return nil
}

// UpdateDataSummaryRequest is the body of PUT
// /v3/dataSummaries/{data_summary_id}. The v3 body is undocumented (§6.3):
// these are the data summary's editable fields as the object names them,
// with Description the user description, and Tables in the shape of the
// documented v2 update body (§11.1). Only fields that are set are sent.
type UpdateDataSummaryRequest struct {
	Description string                 `json:"description,omitempty"`
	Keywords    []string               `json:"keywords,omitempty"`
	Summary     string                 `json:"summary,omitempty"`
	Tables      map[string]TableUpdate `json:"tables,omitempty"`
}

// TableUpdate is a table's new description and column descriptions, keyed
// by column name (the v2 update body, §11.1).
type TableUpdate struct {
	Description string            `json:"description,omitempty"`
	Columns     map[string]string `json:"columns,omitempty"`
}

func summaryPath(version string, id Int64) (string, error) {
	return idPath("/"+version+"/dataSummaries", id, "data summary")
}

func tablePath(id Int64, table string) (string, error) {
	path, err := summaryPath("v3", id)
	return childPath(path, err, "tables", table, "table name")
}

// CreateDataSummary starts the AI analysis of a database: POST
// /v3/dataSummaries. Wait for the returned job with WaitJob (it may take
// minutes); its result decodes with Job.DataSummary. The request starts an
// AI job and is never sent twice.
func (c *Client) CreateDataSummary(ctx context.Context, req CreateDataSummaryRequest) (*DataSummaryRef, error) {
	return c.createSummary(ctx, "/v3/dataSummaries", req)
}

func (c *Client) createSummary(ctx context.Context, path string, body any) (*DataSummaryRef, error) {
	return call(ctx, c, http.MethodPost, path, body, "data_summary_id or job_id",
		func(r *DataSummaryRef) bool { return r.JobID != "" || r.DataSummaryID != 0 })
}

// ListDataSummaries lists the data summaries: GET /v3/dataSummaries. Query
// parameters and the response shape are undocumented (§6.3); a bare array
// and an object holding the array are both read.
func (c *Client) ListDataSummaries(ctx context.Context) ([]DataSummary, error) {
	return getList[DataSummary](ctx, c, "/v3/dataSummaries", "data_summaries", "dataSummaries", "summaries", "items", "list")
}

// GetDataSummary fetches one data summary, including its Status:
// GET /v3/dataSummaries/{data_summary_id}.
func (c *Client) GetDataSummary(ctx context.Context, id Int64) (*DataSummary, error) {
	path, err := summaryPath("v3", id)
	if err != nil {
		return nil, err
	}
	return get[DataSummary](ctx, c, path)
}

// UpdateDataSummary changes a data summary: PUT
// /v3/dataSummaries/{data_summary_id}. Whether v3 applies it at once or
// through a job is undocumented (§6.3): Ack.JobID is set in the second case.
func (c *Client) UpdateDataSummary(ctx context.Context, id Int64, req UpdateDataSummaryRequest) (*Ack, error) {
	path, err := summaryPath("v3", id)
	if err != nil {
		return nil, err
	}
	return c.ack(ctx, http.MethodPut, path, req)
}

// UpdateTableDescription sets one table's description: PUT
// /v3/dataSummaries/{data_summary_id}/tables/{table_name}. The body is
// undocumented (§6.3); {"description": ...} is sent, as in the v2 update
// body's table object.
func (c *Client) UpdateTableDescription(ctx context.Context, id Int64, table, description string) (*Ack, error) {
	path, err := tablePath(id, table)
	if err != nil {
		return nil, err
	}
	return c.ack(ctx, http.MethodPut, path, struct {
		Description string `json:"description"`
	}{description})
}

// UpdateColumnDescriptions sets the descriptions of columns of one table,
// keyed by column name: PUT
// /v3/dataSummaries/{data_summary_id}/tables/{table_name}/columns. The body
// is undocumented (§6.3); {"columns": {"<column>": "<description>"}} is
// sent, as in the v2 update body's table object.
func (c *Client) UpdateColumnDescriptions(ctx context.Context, id Int64, table string, columns map[string]string) (*Ack, error) {
	path, err := tablePath(id, table)
	if err != nil {
		return nil, err
	}
	if len(columns) == 0 {
		return nil, errors.New("chat2query: no column descriptions to update")
	}
	return c.ack(ctx, http.MethodPut, path+"/columns", struct {
		Columns map[string]string `json:"columns"`
	}{columns})
}
