package emulator

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/c2q/c2q/chat2query"
)

// firstSummaryID is the first data summary id handed out: the docs' example (§6.1).
const firstSummaryID = 304823

// notReadyMsg is the documented 400 of chat2data while the data summary is
// being generated (§3.1, §7.2).
const notReadyMsg = "Data summary is not ready, please wait for a while and retry"

// catalog holds what the emulator keeps besides sessions and jobs: data
// summaries and knowledge bases. It lives in Server.cat, guarded by s.mu,
// and is set up by Server.catalog on first use.
type catalog struct {
	summaries   map[int64]*summary
	defaults    map[string]int64 // database -> its default summary
	nextSummary int64

	kbs      map[int64]*knowledgeBase
	nextKB   int64
	nextData int64
}

// summary is one data summary (§6). Its content is derived from the
// database's schema when it is read, with the user's edits on top; its
// status is that of its analysis job.
type summary struct {
	id       int64
	database string
	userDesc string
	creator  string
	created  time.Time
	updated  time.Time
	job      *job // the analysis: the summary is "done" when it is

	// Edits made through the update endpoints.
	tableDesc  map[string]string            // table -> description
	columnDesc map[string]map[string]string // table -> column -> description
	keywords   []string
	text       string // the short summary
}

// catalog returns the catalog, creating on first use a data summary, ready
// and default, for every database the emulator serves: the built-in
// database is usable at once, as a Data App whose summary was generated
// long ago. Callers hold s.mu.
func (s *Server) catalog() *catalog {
	c := &s.cat
	if c.summaries != nil {
		return c
	}
	c.summaries, c.defaults, c.nextSummary = map[int64]*summary{}, map[string]int64{}, firstSummaryID
	c.kbs, c.nextKB, c.nextData = map[int64]*knowledgeBase{}, 1, 1
	for _, db := range s.opts.DB.Databases() {
		sum := s.newSummary(db, "", Creator, 0)
		c.defaults[db] = sum.id
	}
	return c
}

// newSummary registers a summary whose analysis takes latency. Callers hold s.mu.
func (s *Server) newSummary(database, userDesc, creator string, latency time.Duration) *summary {
	c := &s.cat
	now := s.opts.Now()
	sum := &summary{id: c.nextSummary, database: database, userDesc: userDesc, creator: creator, created: now, updated: now}
	c.nextSummary++
	j := s.newJob(kindProduce, database, "data summary "+database, latency)
	j.produce = s.v3Producer(sum)
	sum.job = j
	c.summaries[sum.id] = sum
	return sum
}

// status is the summary's status at now: "inited" until its analysis job
// is done (§6.4).
func (sum *summary) status(now time.Time) string {
	switch sum.job.status(now) {
	case chat2query.JobDone:
		return chat2query.SummaryDone
	case chat2query.JobFailed:
		return chat2query.SummaryFailed
	}
	return chat2query.SummaryInited
}

// summaryReady reports whether database's default summary is done; when it
// is not, chat2data answers the documented 400. Callers hold s.mu.
func (s *Server) summaryReady(database string) bool {
	c := s.catalog()
	sum, ok := c.summaries[c.defaults[database]]
	return ok && sum.status(s.opts.Now()) == chat2query.SummaryDone
}

// summaryView is a consistent copy of a summary for rendering outside s.mu.
type summaryView struct {
	summary
	isDefault bool
	status    string
}

// view copies sum. Callers hold s.mu.
func (s *Server) view(sum *summary) summaryView {
	v := summaryView{summary: *sum, isDefault: s.cat.defaults[sum.database] == sum.id, status: sum.status(s.opts.Now())}
	v.tableDesc = maps.Clone(sum.tableDesc)
	v.columnDesc = map[string]map[string]string{}
	for t, cols := range sum.columnDesc {
		v.columnDesc[t] = maps.Clone(cols)
	}
	v.keywords = slices.Clone(sum.keywords)
	return v
}

// viewByID copies the summary named by a path parameter.
func (s *Server) viewByID(param string) (summaryView, error) {
	return inCatalog(s, func(c *catalog) (summaryView, error) {
		id, err := strconv.ParseInt(param, 10, 64)
		if sum, ok := c.summaries[id]; err == nil && ok {
			return s.view(sum), nil
		}
		return summaryView{}, errSummaryNotFound
	})
}

// render builds the v3 DataSummaryObject (§6.4) from the schema: table and
// column descriptions are their COMMENTs (unless edited), keywords the
// tables' entities, relationships the foreign keys, keyed by referencing
// table, each an array (a table may reference several others, which the
// docs' one-object-per-table cannot express; the client reads both).
func (s *Server) render(ctx context.Context, v summaryView) (*chat2query.DataSummary, error) {
	d, err := s.schema(ctx, v.database)
	if err != nil {
		return nil, err
	}
	out := &chat2query.DataSummary{
		ClusterID:     chat2query.String(s.opts.ClusterID),
		DataSummaryID: chat2query.Int64(v.id),
		Database:      v.database,
		Default:       chat2query.Bool(v.isDefault),
		Status:        v.status,
		Description:   chat2query.SummaryDescription{System: systemDescription(v.database, d), User: v.userDesc},
		Keywords:      v.keywords,
		Summary:       v.text,
		Relationships: chat2query.RelationshipMap{},
		Tables:        map[string]chat2query.TableSummary{},
	}
	if out.Keywords == nil {
		out.Keywords = make([]string, 0, len(d.tables))
		for _, t := range d.tables {
			out.Keywords = append(out.Keywords, entityName(t.name))
		}
	}
	if out.Summary == "" {
		out.Summary = shortSummary(d)
	}
	for _, t := range d.tables {
		ts := chat2query.TableSummary{Name: t.name, Description: t.comment, Columns: map[string]chat2query.ColumnSummary{}}
		if desc, ok := v.tableDesc[t.name]; ok {
			ts.Description = desc
		}
		for _, c := range t.columns {
			cs := chat2query.ColumnSummary{Name: c.name, Description: c.comment}
			if desc, ok := v.columnDesc[t.name][c.name]; ok {
				cs.Description = desc
			}
			ts.Columns[c.name] = cs
		}
		out.Tables[t.name] = ts
		for _, fk := range t.fks {
			out.Relationships[t.name] = append(out.Relationships[t.name], chat2query.Relationship{
				ReferencingTable: t.name, ReferencingTableColumn: fk.column,
				ReferencedTable: fk.refTable, ReferencedTableColumn: fk.refColumn,
			})
		}
	}
	return out, nil
}

// systemDescription is the "AI-written" description of a database: what its
// tables hold, from their comments.
func systemDescription(database string, d *dbSchema) string {
	parts := make([]string, 0, len(d.tables))
	for _, t := range d.tables {
		if t.comment != "" {
			parts = append(parts, t.name+" ("+strings.TrimSuffix(t.comment, ".")+")")
		} else {
			parts = append(parts, t.name)
		}
	}
	return fmt.Sprintf("The %s database has %d tables: %s.", database, len(d.tables), strings.Join(parts, "; "))
}

// shortSummary is the one-line summary of a database.
func shortSummary(d *dbSchema) string {
	names := make([]string, 0, len(d.tables))
	for _, t := range d.tables {
		names = append(names, strings.ReplaceAll(t.name, "_", " "))
	}
	return "Data about " + strings.Join(names, ", ")
}

// entityName turns a table name into a keyword in the docs' style:
// user_stock_selections -> User_Stock_Selection.
func entityName(table string) string {
	words := strings.Split(table, "_")
	for i, w := range words {
		if i == len(words)-1 {
			switch {
			case strings.HasSuffix(w, "ies") && len(w) > 3:
				w = w[:len(w)-3] + "y"
			case strings.HasSuffix(w, "ss"):
			case strings.HasSuffix(w, "s") && len(w) > 1:
				w = w[:len(w)-1]
			}
		}
		if w != "" {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		words[i] = w
	}
	return strings.Join(words, "_")
}

// createSummaryRequest is the v3 create body (§6.1); default is a pointer so
// that its absence can be told apart.
type createSummaryRequest struct {
	ClusterID   string `json:"cluster_id"`
	Database    string `json:"database"`
	Description string `json:"description"`
	Reuse       bool   `json:"reuse"`
	Default     *bool  `json:"default"`
	Creator     string `json:"creator"`
	DatabaseURI string `json:"database_uri"`
}

// POST /v3/dataSummaries (§6.1). reuse=true returns the database's default
// summary with a job that ends when that summary is done (at once when it
// already is). Otherwise a new summary is analysed for the configured job
// latency; it becomes the database's default when "default" is true, or
// when the database has none, so that chat2data answers "not ready" until
// it is done.
func (s *Server) createSummary(r *http.Request) (any, error) {
	req, db, err := decodeFor[createSummaryRequest](s, r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(c *catalog) (any, error) {
		if cur, ok := c.summaries[c.defaults[db]]; ok && req.Reuse {
			// The reuse job finishes with the summary it reuses.
			j := s.newJob(kindProduce, db, "data summary "+db, cur.job.created.Add(cur.job.latency).Sub(s.opts.Now()))
			j.produce = s.v3Producer(cur)
			return chat2query.DataSummaryRef{DataSummaryID: chat2query.Int64(cur.id), JobID: j.id}, nil
		}
		creator := req.Creator
		if creator == "" {
			creator = Creator
		}
		sum := s.newSummary(db, req.Description, creator, s.sample("data summary "+db))
		if _, has := c.summaries[c.defaults[db]]; (req.Default != nil && *req.Default) || !has {
			c.defaults[db] = sum.id
		}
		return chat2query.DataSummaryRef{DataSummaryID: chat2query.Int64(sum.id), JobID: sum.job.id}, nil
	})
}

// v3Producer renders sum as the job result of POST /v3/dataSummaries.
func (s *Server) v3Producer(sum *summary) func(context.Context) (any, error) {
	return func(ctx context.Context) (any, error) {
		var v summaryView
		s.locked(func() { v = s.view(sum) })
		return s.render(ctx, v)
	}
}

// GET /v3/dataSummaries: every summary, oldest first, under
// "data_summaries" (the list's shape is undocumented, §6.3).
func (s *Server) listSummaries(r *http.Request) (any, error) { return listSummaries(s, r, s.render) }

// listSummaries answers {"data_summaries": [...]}, every summary rendered
// by render, in id order. render runs outside the lock: it queries the
// database.
func listSummaries[T any](s *Server, r *http.Request, render func(context.Context, summaryView) (T, error)) (any, error) {
	views, _ := inCatalog(s, func(c *catalog) ([]summaryView, error) {
		views := make([]summaryView, 0, len(c.summaries))
		for _, id := range slices.Sorted(maps.Keys(c.summaries)) {
			views = append(views, s.view(c.summaries[id]))
		}
		return views, nil
	})
	out := make([]T, 0, len(views))
	for _, v := range views {
		obj, err := render(r.Context(), v)
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	return map[string]any{"data_summaries": out}, nil
}

// GET /v3/dataSummaries/{id}: the DataSummaryObject itself, status included
// (§6.3, as TiInsight reads it).
func (s *Server) getSummary(r *http.Request) (any, error) { return summaryByID(s, r, s.render) }

// summaryByID answers the summary of the {id} parameter, rendered by render.
func summaryByID[T any](s *Server, r *http.Request, render func(context.Context, summaryView) (T, error)) (any, error) {
	v, err := s.viewByID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return render(r.Context(), v)
}

// editSummary applies the table and column descriptions of tables, and
// edit, to the summary named by the path parameter, after checking table
// and column names against the schema, and returns the updated summary.
func (s *Server) editSummary(ctx context.Context, param string, tables map[string]chat2query.TableUpdate, edit func(*summary)) (summaryView, error) {
	v, err := s.viewByID(param)
	if err != nil {
		return v, err
	}
	d, err := s.schema(ctx, v.database)
	if err != nil {
		return v, err
	}
	canon := map[string]chat2query.TableUpdate{}
	for name, tu := range tables {
		t := d.table(name)
		if t == nil {
			return v, paramError(fmt.Sprintf("table %q not found in database %s", name, v.database))
		}
		cols := map[string]string{}
		for cname, desc := range tu.Columns {
			c := t.column(cname)
			if c == nil {
				return v, paramError(fmt.Sprintf("column %q not found in table %s", cname, t.name))
			}
			cols[c.name] = desc
		}
		canon[t.name] = chat2query.TableUpdate{Description: tu.Description, Columns: cols}
	}
	return inCatalog(s, func(c *catalog) (summaryView, error) {
		sum := c.summaries[v.id]
		for t, tu := range canon {
			if tu.Description != "" {
				if sum.tableDesc == nil {
					sum.tableDesc = map[string]string{}
				}
				sum.tableDesc[t] = tu.Description
			}
			for col, desc := range tu.Columns {
				if sum.columnDesc == nil {
					sum.columnDesc = map[string]map[string]string{}
				}
				if sum.columnDesc[t] == nil {
					sum.columnDesc[t] = map[string]string{}
				}
				sum.columnDesc[t][col] = desc
			}
		}
		if edit != nil {
			edit(sum)
		}
		sum.updated = s.opts.Now()
		return s.view(sum), nil
	})
}

// edited answers a v3 update: the updated DataSummaryObject. The v3
// updates are synchronous in the emulator (their response is undocumented,
// §6.3).
func (s *Server) edited(r *http.Request, v summaryView, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return s.render(r.Context(), v)
}

// PUT /v3/dataSummaries/{id}: the user description, keywords, summary and
// table/column descriptions (chat2query.UpdateDataSummaryRequest).
func (s *Server) updateSummary(r *http.Request) (any, error) {
	req, err := decode[chat2query.UpdateDataSummaryRequest](r)
	switch {
	case err != nil:
		return nil, err
	case req.Description == "" && req.Keywords == nil && req.Summary == "" && len(req.Tables) == 0:
		return nil, paramError("nothing to update: give description, keywords, summary or tables")
	}
	v, err := s.editSummary(r.Context(), r.PathValue("id"), req.Tables, func(sum *summary) {
		if req.Description != "" {
			sum.userDesc = req.Description
		}
		if req.Keywords != nil {
			sum.keywords = slices.Clone(req.Keywords)
		}
		if req.Summary != "" {
			sum.text = req.Summary
		}
	})
	return s.edited(r, v, err)
}

// PUT /v3/dataSummaries/{id}/tables/{table}: {"description": "..."}.
func (s *Server) updateTable(r *http.Request) (any, error) {
	req, err := decode[struct {
		Description string `json:"description"`
	}](r)
	switch {
	case err != nil:
		return nil, err
	case strings.TrimSpace(req.Description) == "":
		return nil, paramError("description is required")
	}
	v, err := s.editSummary(r.Context(), r.PathValue("id"), map[string]chat2query.TableUpdate{r.PathValue("table"): {Description: req.Description}}, nil)
	return s.edited(r, v, err)
}

// PUT /v3/dataSummaries/{id}/tables/{table}/columns: {"columns": {"<column>": "<description>"}}.
func (s *Server) updateColumns(r *http.Request) (any, error) {
	req, err := decode[struct {
		Columns map[string]string `json:"columns"`
	}](r)
	switch {
	case err != nil:
		return nil, err
	case len(req.Columns) == 0:
		return nil, paramError("columns is required: an object of column names to descriptions")
	}
	v, err := s.editSummary(r.Context(), r.PathValue("id"), map[string]chat2query.TableUpdate{r.PathValue("table"): {Columns: req.Columns}}, nil)
	return s.edited(r, v, err)
}
