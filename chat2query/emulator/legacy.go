package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
)

// This file serves the legacy calls: the v2 data summaries and chat2data
// (§11) and the synchronous v1 chat2data (§12).

// summaryV2 is the v2 DataSummaryObject (§11.2). cluster_id is a bare JSON
// number, as the v2 docs show it (the precision hazard the client guards
// against), unless the configured cluster id is not numeric.
type summaryV2 struct {
	ClusterID         any                                  `json:"cluster_id"`
	DBName            string                               `json:"db_name"`
	DBSchema          map[string]chat2query.TableSchemaV2  `json:"db_schema"`
	Entity            map[string]chat2query.EntityV2       `json:"entity"`
	OrgID             string                               `json:"org_id"`
	ProjectID         string                               `json:"project_id"`
	ShortSummary      string                               `json:"short_summary"`
	Status            string                               `json:"status"`
	Summary           string                               `json:"summary"`
	SummaryKeywords   []string                             `json:"summary_keywords"`
	TableRelationship map[string][]chat2query.Relationship `json:"table_relationship"`
	Statistics        struct {
		ColumnsCount int `json:"columns_count"`
		TablesCount  int `json:"tables_count"`
	} `json:"statistics"`
}

// recordV2 is a v2 summary as GET /v2/dataSummaries/{id} returned it (§11.1).
type recordV2 struct {
	CreatedAt int64      `json:"created_at"`
	Creator   string     `json:"creator"`
	Data      *summaryV2 `json:"data"`
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	OrgID     string     `json:"org_id"`
	Type      string     `json:"type"`
	UpdatedAt int64      `json:"updated_at"`
}

var digits = regexp.MustCompile(`^[0-9]+$`)

// renderV2 builds the v2 object from the same content as the v3 one.
func (s *Server) renderV2(ctx context.Context, v summaryView) (*summaryV2, error) {
	v3, err := s.render(ctx, v)
	if err != nil {
		return nil, err
	}
	d, err := s.schema(ctx, v.database)
	if err != nil {
		return nil, err
	}
	out := &summaryV2{
		ClusterID: s.opts.ClusterID, DBName: v.database, OrgID: orgID, ProjectID: orgID,
		DBSchema: map[string]chat2query.TableSchemaV2{}, Entity: map[string]chat2query.EntityV2{},
		ShortSummary: v3.Summary, Status: v.status, Summary: v3.Description.System,
		SummaryKeywords: v3.Keywords, TableRelationship: map[string][]chat2query.Relationship{},
	}
	if digits.MatchString(s.opts.ClusterID) {
		out.ClusterID = json.Number(s.opts.ClusterID)
	}
	for _, t := range d.tables {
		ts := chat2query.TableSchemaV2{
			TableName: t.name, Description: v3.Tables[t.name].Description, Status: chat2query.SummaryDone,
			Type: "table", Entity: entityName(t.name), KeyAttributes: []string{},
			Columns: map[string]chat2query.ColumnSchemaV2{},
		}
		attrs := make([]string, 0, len(t.columns))
		for _, c := range t.columns {
			def := json.RawMessage("null")
			if c.def != nil {
				def = marshalMust(text(c.def))
			}
			ts.Columns[c.name] = chat2query.ColumnSchemaV2{
				Name: c.name, Type: c.typ, Description: v3.Tables[t.name].Columns[c.name].Description,
				Comment: c.comment, Nullable: chat2query.Bool(c.nullable),
				Autoincrement: chat2query.Bool(c.autoincrement), Default: def,
			}
			if c.primary {
				ts.KeyAttributes = append(ts.KeyAttributes, c.name)
			}
			attrs = append(attrs, c.name)
		}
		// One key column as a string, a composite key as a list
		// (undocumented either way).
		switch len(ts.KeyAttributes) {
		case 0:
			ts.PrimaryKey = json.RawMessage("null")
		case 1:
			ts.PrimaryKey = marshalMust(ts.KeyAttributes[0])
		default:
			ts.PrimaryKey = marshalMust(ts.KeyAttributes)
		}
		out.DBSchema[t.name] = ts
		out.Entity[ts.Entity] = chat2query.EntityV2{Name: ts.Entity, Summary: ts.Description, Attributes: attrs, InvolvedTables: []string{t.name}}
		out.Statistics.ColumnsCount += len(t.columns)
		for _, fk := range t.fks {
			rel := chat2query.Relationship{ReferencingTable: t.name, ReferencedTable: fk.refTable,
				Relationship: "N:1", ForeignKeyColumn: fk.column, PrimaryKeyColumn: fk.refColumn}
			out.TableRelationship[t.name] = append(out.TableRelationship[t.name], rel)
			rel.Relationship = "1:N"
			out.TableRelationship[fk.refTable] = append(out.TableRelationship[fk.refTable], rel)
		}
	}
	out.Statistics.TablesCount = len(d.tables)
	return out, nil
}

func marshalMust(v any) json.RawMessage {
	raw, err := marshal(v)
	if err != nil {
		panic(err) // strings and lists of strings only
	}
	return raw
}

func (s *Server) recordV2(ctx context.Context, v summaryView) (*recordV2, error) {
	data, err := s.renderV2(ctx, v)
	if err != nil {
		return nil, err
	}
	return &recordV2{CreatedAt: v.created.Unix(), Creator: v.creator, Data: data, ID: v.id,
		Name: "data-context", OrgID: orgID, Type: "data", UpdatedAt: v.updated.Unix()}, nil
}

// POST /v2/dataSummaries (§11.1): a new analysis of the database, which
// becomes its default summary at once (v2 knew one summary per database),
// so chat2data answers "not ready" until the job is done.
func (s *Server) createSummaryV2(r *http.Request) (any, error) {
	_, db, err := decodeFor[chat2query.CreateDataSummaryV2Request](s, r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(c *catalog) (any, error) {
		sum := s.newSummary(db, "", Creator, s.sample("data summary "+db))
		sum.job.produce = func(ctx context.Context) (any, error) {
			var v summaryView
			s.locked(func() { v = s.view(sum) })
			return s.renderV2(ctx, v)
		}
		c.defaults[db] = sum.id
		return chat2query.DataSummaryRef{DataSummaryID: chat2query.Int64(sum.id), JobID: sum.job.id}, nil
	})
}

// GET /v2/dataSummaries: every summary as a v2 record, under "data_summaries".
func (s *Server) listSummariesV2(r *http.Request) (any, error) {
	return listSummaries(s, r, s.recordV2)
}

// GET /v2/dataSummaries/{id} (§11.1, older docs).
func (s *Server) getSummaryV2(r *http.Request) (any, error) { return summaryByID(s, r, s.recordV2) }

// PUT /v2/dataSummaries/{id} (§11.1): the descriptions are applied at once
// and the returned job, whose result is null, is done after the job
// latency, as the docs' asynchronous update.
func (s *Server) updateSummaryV2(r *http.Request) (any, error) {
	req, err := decode[chat2query.UpdateDataSummaryV2Request](r)
	switch {
	case err != nil:
		return nil, err
	case len(req.Tables) == 0:
		return nil, paramError("tables is required: an object of table names to {description, columns}")
	}
	v, err := s.editSummary(r.Context(), r.PathValue("id"), req.Tables, nil)
	if err != nil {
		return nil, err
	}
	var j *job
	s.locked(func() {
		key := "data summary update " + v.database
		j = s.newJob(kindProduce, v.database, key, s.sample(key))
		j.produce = func(context.Context) (any, error) { return nil, nil }
	})
	return chat2query.JobRef{JobID: j.id}, nil
}

// chat2DataTarget resolves the database a chat2data call is about: cluster_id
// and database when given (their default summary), else data_summary_id
// (§7.1). That summary must be done: errNotReady when it is not. Callers
// hold s.mu.
func (s *Server) chat2DataTarget(cluster, database string, summaryID int64) (string, error) {
	c := s.catalog()
	var sum *summary
	if cluster == "" && database == "" && summaryID != 0 {
		if sum = c.summaries[summaryID]; sum == nil {
			return "", paramError(fmt.Sprintf("data summary %d not found", summaryID))
		}
	} else {
		db, err := s.resolveDatabase(cluster, database)
		if err != nil {
			return "", err
		}
		sum = c.summaries[c.defaults[db]]
	}
	if sum == nil || sum.status(s.opts.Now()) != chat2query.SummaryDone {
		return "", errNotReady
	}
	return sum.database, nil
}

// POST /v2/chat2data (§11.3). No session: v2 had none.
func (s *Server) chat2DataV2(r *http.Request) (any, error) {
	req, err := decode[chat2query.Chat2DataV2Request](r)
	switch {
	case err != nil:
		return nil, err
	case strings.TrimSpace(req.RawQuestion) == "":
		return nil, paramError("raw_question is required")
	}
	return inCatalog(s, func(*catalog) (any, error) {
		db, err := s.chat2DataTarget(req.ClusterID, req.Database, int64(req.DataSummaryID))
		if err != nil {
			return nil, err
		}
		j := s.newJob(kindAnswerV2, db, req.RawQuestion, s.sample(req.RawQuestion))
		j.entry = s.match(db, req.RawQuestion, "")
		return chat2query.JobRef{JobID: j.id}, nil
	})
}

// taskTree renders a v2 answer (§11.3): one root task holding the answer.
func taskTree(j *job, a chat2query.Answer) chat2query.Chat2DataV2Result {
	node := chat2query.TaskNode{
		TaskID: "0", Task: j.question, ClarifiedTask: a.ClarifiedTask, Description: a.Description,
		SQL: a.SQL, SQLError: a.SQLError, Assumptions: a.Assumptions,
	}
	if a.Data != nil {
		node.Columns, node.Rows = a.Data.Columns, a.Data.Rows
	}
	id := j.id
	return chat2query.Chat2DataV2Result{
		QuestionID:  id[0:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32],
		RawQuestion: j.question,
		TaskTree:    map[string]chat2query.TaskNode{"0": node},
		TimeElapsed: j.latency.Seconds(),
	}
}

// v1MaxRows is the documented default Max Rows of the v1 endpoint (§4).
const v1MaxRows = 50

// writeV1Error answers a v1 failure in the gateway envelope of type
// chat2data_endpoint (§3.2, §12).
func writeV1Error(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, gatewayEnvelope{Type: "chat2data_endpoint", Data: gatewayData{
		Columns: []any{}, Rows: []any{}, Result: gatewayResult{Code: status, Message: msg}}})
}

// v1Answer is the §12 success body: the gateway envelope with typed
// columns, rows as objects of strings, and times as numbers.
type v1Answer struct {
	Type string `json:"type"`
	Data struct {
		Columns []chat2query.V1Column `json:"columns"`
		Rows    []map[string]any      `json:"rows"`
		Result  v1Result              `json:"result"`
	} `json:"data"`
}

type v1Result struct {
	Code      int    `json:"code"`
	Message   string `json:"message"`
	StartMS   int64  `json:"start_ms"`
	EndMS     int64  `json:"end_ms"`
	Latency   string `json:"latency"`
	RowCount  int    `json:"row_count"`
	RowAffect int    `json:"row_affect"`
	Limit     int    `json:"limit"`
	SQL       string `json:"sql"`
	AILatency string `json:"ai_latency"`
}

var mysqlErrno = regexp.MustCompile(`\bError (\d{4,6})\b`)

// POST /v1/chat2data and /chat2data (§12): synchronous. The emulator does
// not sleep for the job latency: it answers at once and reports the drawn
// latency as ai_latency. Errors use the gateway envelope: 400 "param check
// failed!" for a bad body and for an instruction the answer book cannot
// answer; an SQL failure is HTTP 200 with the MySQL error number as code.
func (s *Server) chat2DataV1(w http.ResponseWriter, r *http.Request) {
	req, db, err := decodeFor[chat2query.Chat2DataV1Request](s, r)
	if err == nil && strings.TrimSpace(req.Instruction) == "" {
		err = paramError("instruction is required")
	}
	if err == nil && len(req.Tables) > 0 {
		var d *dbSchema
		if d, err = s.schema(r.Context(), db); err == nil {
			for _, t := range req.Tables {
				if d.table(t) == nil {
					err = paramError(fmt.Sprintf("table %q not found in database %s", t, db))
					break
				}
			}
		}
	}
	var se *statusError
	switch {
	case errors.As(err, &se):
		writeV1Error(w, se.status, se.msg)
		return
	case err != nil:
		writeV1Error(w, http.StatusInternalServerError, "internal error! "+err.Error())
		return
	}
	var (
		entry     *answerbook.Entry
		aiLatency time.Duration
	)
	s.locked(func() {
		entry = s.match(db, req.Instruction, "")
		aiLatency = s.sample(req.Instruction)
	})
	if entry == nil {
		writeV1Error(w, http.StatusBadRequest, fmt.Sprintf("param check failed! Chat2Query could not generate SQL for this instruction: "+
			"the emulator's answer book has no entry matching %q", req.Instruction))
		return
	}
	start := s.opts.Now()
	ctx, cancel := context.WithTimeout(r.Context(), queryTimeout)
	defer cancel()
	res, qerr := s.opts.DB.Query(ctx, db, entry.SQL)
	var out v1Answer
	out.Type = "chat2data_endpoint"
	out.Data.Columns, out.Data.Rows = []chat2query.V1Column{}, []map[string]any{}
	elapsed := aiLatency + s.opts.Now().Sub(start)
	out.Data.Result = v1Result{Code: 200, Message: "Query OK!", StartMS: start.UnixMilli(), EndMS: start.Add(elapsed).UnixMilli(),
		Latency: elapsed.String(), Limit: v1MaxRows, SQL: entry.SQL, AILatency: aiLatency.String()}
	if qerr != nil {
		out.Data.Result.Code, out.Data.Result.Message = 1105, qerr.Error() // ER_UNKNOWN_ERROR unless the message names one
		if m := mysqlErrno.FindStringSubmatch(qerr.Error()); m != nil {
			out.Data.Result.Code, _ = strconv.Atoi(m[1])
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	rows := res.Rows[:min(len(res.Rows), v1MaxRows)]
	for i, name := range res.Columns {
		out.Data.Columns = append(out.Data.Columns, chat2query.V1Column{Col: name, DataType: dataType(res.Rows, i), Nullable: chat2query.Bool(hasNull(res.Rows, i))})
	}
	for _, row := range rows {
		obj := make(map[string]any, len(res.Columns))
		for i, name := range res.Columns {
			obj[name] = cell(row[i])
		}
		out.Data.Rows = append(out.Data.Rows, obj)
	}
	out.Data.Result.RowCount = len(rows)
	writeJSON(w, http.StatusOK, out)
}

var (
	decimalText  = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)
	dateText     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	datetimeText = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}`)
)

// dataType names column i's MySQL type from its values (the Querier reports
// no types): BIGINT, DOUBLE, DECIMAL, DATE, DATETIME or VARCHAR.
func dataType(rows [][]any, i int) string {
	for _, row := range rows {
		switch v := row[i].(type) {
		case nil:
			continue
		case int64, int32, int, uint64, uint32:
			return "BIGINT"
		case float64, float32:
			return "DOUBLE"
		case time.Time:
			return "DATETIME"
		case string:
			switch {
			case decimalText.MatchString(v):
				return "DECIMAL"
			case dateText.MatchString(v):
				return "DATE"
			case datetimeText.MatchString(v):
				return "DATETIME"
			}
			return "VARCHAR"
		}
		return "VARCHAR"
	}
	return "VARCHAR"
}

func hasNull(rows [][]any, i int) bool {
	for _, row := range rows {
		if row[i] == nil {
			return true
		}
	}
	return false
}
