package emulator

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/c2q/c2q/chat2query"
)

// maxBody bounds request bodies; real requests are a few hundred bytes.
const maxBody = 1 << 20

// session is one multi-turn conversation (§8).
type session struct {
	id       int64
	database string
	name     string
	created  time.Time
	updated  time.Time
	// previous is the label of the last entry the book answered in this
	// session; it is the follow-up context handed to Answerer.Match.
	previous string
	messages []message
}

// message is one turn of a session as GET /v3/sessions/{id} reports it. The
// real schema is undocumented (§15.6); this records what the emulator knows.
type message struct {
	JobID            string `json:"job_id"`
	Question         string `json:"question"`
	SQLGenerateMode  string `json:"sql_generate_mode"`
	FeedbackAnswerID string `json:"feedback_answer_id"`
	FeedbackTaskID   string `json:"feedback_task_id"`
	CreatedAt        int64  `json:"created_at"`
}

// wire renders the session in the §8.1 shape. Callers hold s.mu.
func (ss *session) wire() chat2query.Session {
	msgs := make([]json.RawMessage, 0, len(ss.messages))
	for _, m := range ss.messages {
		raw, _ := marshal(m) // cannot fail: strings and integers only
		msgs = append(msgs, raw)
	}
	return chat2query.Session{
		SessionID: chat2query.Int64(ss.id),
		Messages:  msgs,
		Meta: chat2query.SessionMeta{
			CreatedAt: chat2query.Int64(ss.created.Unix()),
			UpdatedAt: chat2query.Int64(ss.updated.Unix()),
			Creator:   Creator,
			Name:      ss.name,
			OrgID:     orgID,
		},
	}
}

// paramError is a request the real service would refuse with HTTP 400 and
// "param check failed! ..." (§3.2's wording, reused for the v3 envelope).
type paramError string

func (e paramError) Error() string { return "param check failed! " + string(e) }

// decodeBody reads a JSON request body into v. An empty body is treated as
// {} so that the missing fields are reported by name.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return paramError("cannot read request body: " + err.Error())
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return paramError("request body is not valid JSON for this endpoint: " + err.Error())
	}
	return nil
}

// resolveTarget is resolveDatabase for the calls that may name their
// database by database_uri instead, which the emulator does not support.
func (s *Server) resolveTarget(uri, cluster, database string) (string, error) {
	if uri != "" && cluster == "" && database == "" {
		return "", paramError("database_uri is not supported by the emulator; pass cluster_id and database")
	}
	return s.resolveDatabase(cluster, database)
}

// resolveDatabase checks cluster_id and database against what the emulator
// serves and returns the database's canonical name.
func (s *Server) resolveDatabase(cluster, database string) (string, error) {
	switch {
	case cluster == "":
		return "", paramError("cluster_id is required")
	case cluster != s.opts.ClusterID:
		return "", paramError(fmt.Sprintf("cluster %q not found (the emulator serves cluster %s)", cluster, s.opts.ClusterID))
	case database == "":
		return "", paramError("database is required")
	}
	dbs := s.opts.DB.Databases()
	for _, d := range dbs {
		// TiDB database names are case-insensitive.
		if strings.EqualFold(d, database) {
			return d, nil
		}
	}
	return "", paramError(fmt.Sprintf("database %q not found on cluster %s (available: %s)",
		database, s.opts.ClusterID, strings.Join(dbs, ", ")))
}

// checkQuestion validates a chat2data body's question and mode, returning
// the mode to answer in.
func checkQuestion(question string, m chat2query.Mode) (chat2query.Mode, error) {
	if strings.TrimSpace(question) == "" {
		return "", paramError("question is required")
	}
	return checkMode(m)
}

func checkMode(m chat2query.Mode) (chat2query.Mode, error) {
	switch m {
	case "":
		// Undocumented default (§7.1); a single-SQL answer is what clients
		// that omit the mode receive, so direct.
		return chat2query.ModeDirect, nil
	case chat2query.ModeDirect, chat2query.ModeAutoBreakdown:
		return m, nil
	}
	return "", paramError(fmt.Sprintf("sql_generate_mode must be %q or %q, got %q",
		chat2query.ModeDirect, chat2query.ModeAutoBreakdown, m))
}

// replyError writes err as a v3 error envelope: 400 for a paramError, 500
// otherwise.
func replyError(w http.ResponseWriter, err error) {
	var pe paramError
	if errors.As(err, &pe) {
		writeError(w, http.StatusBadRequest, pe.Error())
		return
	}
	writeError(w, http.StatusInternalServerError, "internal error! "+err.Error())
}

// newSession registers a session. Callers hold s.mu.
func (s *Server) newSession(database, name string) *session {
	now := s.opts.Now()
	ss := &session{id: s.nextSession, database: database, name: name, created: now, updated: now}
	s.nextSession++
	s.sessions.put(ss.id, ss, now)
	return ss
}

// POST /v3/sessions (§8.1).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request, _ []string) {
	var req chat2query.CreateSessionRequest
	if err := decodeBody(w, r, &req); err != nil {
		replyError(w, err)
		return
	}
	db, err := s.resolveDatabase(req.ClusterID, req.Database)
	if err != nil {
		replyError(w, err)
		return
	}
	var wire chat2query.Session
	s.locked(func() { wire = s.newSession(db, req.Name).wire() })
	writeResult(w, wire)
}

// findSession is lookupSession for callers that do not hold s.mu. The
// session stays usable after s.mu is released; if it expires meanwhile,
// what is done to it is lost with it.
func (s *Server) findSession(param string) (ss *session, ok bool) {
	s.locked(func() { ss, ok = s.lookupSession(param) })
	return ss, ok
}

// lookupSession parses a {session_id} path parameter and counts the session
// as used; an expired or evicted session is not found. Callers hold s.mu.
func (s *Server) lookupSession(param string) (*session, bool) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return nil, false
	}
	return s.sessions.get(id, s.opts.Now())
}

// writeSessionNotFound answers an unknown session id, and an expired or
// evicted one. The real status and message are undocumented (§15); 404 in
// the v3 envelope is the reading most consistent with §3.1.
func writeSessionNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "session not found")
}

// messageWire is a turn as GET /v3/sessions/{id} reports it: the question
// and its job, with the job's status and, once done, its answer (the §7.3
// object) or, once failed, the reason. The real message schema is
// undocumented (§15.6).
type messageWire struct {
	message
	Status string          `json:"status"`
	Answer json.RawMessage `json:"answer"`
	Reason string          `json:"reason"`
}

// fullWire renders a session with its turns and their answers. It takes
// s.mu itself and runs the answers' SQL (once per job) outside it.
func (s *Server) fullWire(ctx context.Context, ss *session) (chat2query.Session, error) {
	var (
		out  chat2query.Session
		msgs []message
		jobs []*job
		now  time.Time
	)
	s.locked(func() {
		out = ss.wire()
		msgs = slices.Clone(ss.messages)
		jobs = make([]*job, len(msgs))
		now = s.opts.Now()
		for i, m := range msgs {
			// Reading a session uses its jobs; a turn whose job has
			// expired or been evicted keeps its question but has no
			// status or answer.
			jobs[i], _ = s.jobs.get(m.JobID, now)
		}
	})
	out.Messages = make([]json.RawMessage, 0, len(msgs))
	for i, m := range msgs {
		mw := messageWire{message: m, Answer: json.RawMessage("null")}
		if j := jobs[i]; j != nil {
			mw.Status = j.status(now)
			switch mw.Status {
			case chat2query.JobDone:
				ans, err := j.result(context.WithoutCancel(ctx), s.opts.DB)
				if err != nil {
					return out, err
				}
				mw.Answer = ans
			case chat2query.JobFailed:
				mw.Reason = j.reason()
			}
		}
		raw, err := marshal(mw)
		if err != nil {
			return out, err
		}
		out.Messages = append(out.Messages, raw)
	}
	return out, nil
}

// replySession answers a session with its turns.
func (s *Server) replySession(w http.ResponseWriter, r *http.Request, ss *session) {
	wire, err := s.fullWire(r.Context(), ss)
	if err != nil {
		replyError(w, err)
		return
	}
	writeResult(w, wire)
}

// GET /v3/sessions/{session_id} (§8.3): the §8.1 shape with the turns so far.
func (s *Server) getSession(w http.ResponseWriter, r *http.Request, params []string) {
	ss, ok := s.findSession(params[0])
	if !ok {
		writeSessionNotFound(w)
		return
	}
	s.replySession(w, r, ss)
}

// GET /v3/sessions (§8.3): {"sessions": [{session_id, meta}, ...]}, oldest
// first, without messages, as TiInsight's list item type has them.
func (s *Server) listSessions(w http.ResponseWriter, _ *http.Request, _ []string) {
	type item struct {
		SessionID chat2query.Int64       `json:"session_id"`
		Meta      chat2query.SessionMeta `json:"meta"`
	}
	var out []item
	s.locked(func() {
		out = make([]item, 0, s.sessions.len())
		for _, ss := range s.sessions.sorted(s.opts.Now(), cmp.Compare[int64]) {
			sw := ss.wire()
			out = append(out, item{SessionID: sw.SessionID, Meta: sw.Meta})
		}
	})
	writeResult(w, map[string]any{"sessions": out})
}

// PUT /v3/sessions/{session_id} (§8.3): renames the session ({"name": ...},
// required); answers the session.
func (s *Server) updateSession(w http.ResponseWriter, r *http.Request, params []string) {
	ss, ok := s.findSession(params[0])
	if !ok {
		writeSessionNotFound(w)
		return
	}
	var req struct {
		Name *string `json:"name"`
	}
	if err := decodeBody(w, r, &req); err != nil {
		replyError(w, err)
		return
	}
	if req.Name == nil {
		replyError(w, paramError("name is required"))
		return
	}
	s.locked(func() {
		ss.name = *req.Name
		ss.updated = s.opts.Now()
	})
	s.replySession(w, r, ss)
}

// PUT /v3/sessions/{session_id}/reset (§8.3): forgets the conversation, its
// turns and their context, so that a follow-up question no longer resolves;
// answers the (empty) session. The jobs stay readable.
func (s *Server) resetSession(w http.ResponseWriter, r *http.Request, params []string) {
	var ss *session
	var ok bool
	s.locked(func() {
		if ss, ok = s.lookupSession(params[0]); ok {
			ss.previous = ""
			ss.messages = nil
			ss.updated = s.opts.Now()
		}
	})
	if !ok {
		writeSessionNotFound(w)
		return
	}
	s.replySession(w, r, ss)
}

// POST /v3/sessions/{session_id}/chat2data (§8.2). The session is resolved
// before the body, so an unknown id is a 404 whatever the body says.
func (s *Server) sessionChat2Data(w http.ResponseWriter, r *http.Request, params []string) {
	ss, ok := s.findSession(params[0])
	if !ok {
		writeSessionNotFound(w)
		return
	}
	var req chat2query.SessionChat2DataRequest
	if err := decodeBody(w, r, &req); err != nil {
		replyError(w, err)
		return
	}
	mode, err := checkQuestion(req.Question, req.SQLGenerateMode)
	if err != nil {
		replyError(w, err)
		return
	}
	var j *job
	s.locked(func() {
		if s.summaryReady(ss.database) {
			j = s.ask(ss, req.Question, mode, req.FeedbackAnswerID, req.FeedbackTaskID)
		}
	})
	if j == nil {
		writeNotReady(w)
		return
	}
	writeResult(w, chat2query.JobRef{JobID: j.id, SessionID: chat2query.Int64(ss.id)})
}

// POST /v3/chat2data (§7): a one-question call that opens a session.
func (s *Server) chat2Data(w http.ResponseWriter, r *http.Request, _ []string) {
	var req chat2query.Chat2DataRequest
	if err := decodeBody(w, r, &req); err != nil {
		replyError(w, err)
		return
	}
	mode, err := checkQuestion(req.Question, req.SQLGenerateMode)
	if err != nil {
		replyError(w, err)
		return
	}
	var (
		db    string
		ready bool
		ss    *session
		j     *job
	)
	s.locked(func() {
		// data_summary_id only counts when cluster_id and database are both
		// absent (§7.1); the summary used must be done.
		db, ready, err = s.chat2DataTarget(req.ClusterID, req.Database, int64(req.DataSummaryID))
		if err != nil || !ready {
			return
		}
		// The implicit session is named after the question, as a console
		// would title a new conversation; the real name is undocumented.
		ss = s.newSession(db, req.Question)
		j = s.ask(ss, req.Question, mode, "", "")
	})
	switch {
	case err != nil:
		replyError(w, err)
		return
	case !ready:
		writeNotReady(w)
		return
	}
	writeResult(w, chat2query.JobRef{
		ClusterID: s.opts.ClusterID,
		Database:  db,
		JobID:     j.id,
		SessionID: chat2query.Int64(ss.id),
	})
}
