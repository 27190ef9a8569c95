package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	s.sessions[ss.id] = ss
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
	s.mu.Lock()
	wire := s.newSession(db, req.Name).wire()
	s.mu.Unlock()
	writeResult(w, wire)
}

// lookupSession parses a {session_id} path parameter. Callers hold s.mu.
func (s *Server) lookupSession(param string) (*session, bool) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return nil, false
	}
	ss, ok := s.sessions[id]
	return ss, ok
}

// writeSessionNotFound answers an unknown session id. The real status and
// message are undocumented (§15); 404 in the v3 envelope is the reading
// most consistent with §3.1.
func writeSessionNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "session not found")
}

// GET /v3/sessions/{session_id} (§8.3): the §8.1 shape with the turns so far.
func (s *Server) getSession(w http.ResponseWriter, r *http.Request, params []string) {
	s.mu.Lock()
	ss, ok := s.lookupSession(params[0])
	var wire chat2query.Session
	if ok {
		wire = ss.wire()
	}
	s.mu.Unlock()
	if !ok {
		writeSessionNotFound(w)
		return
	}
	writeResult(w, wire)
}

// POST /v3/sessions/{session_id}/chat2data (§8.2). The session is resolved
// before the body, so an unknown id is a 404 whatever the body says.
func (s *Server) sessionChat2Data(w http.ResponseWriter, r *http.Request, params []string) {
	s.mu.Lock()
	ss, ok := s.lookupSession(params[0]) // sessions are never removed, so ss stays valid
	s.mu.Unlock()
	if !ok {
		writeSessionNotFound(w)
		return
	}
	var req chat2query.SessionChat2DataRequest
	if err := decodeBody(w, r, &req); err != nil {
		replyError(w, err)
		return
	}
	mode, err := checkMode(req.SQLGenerateMode)
	if err != nil {
		replyError(w, err)
		return
	}
	if strings.TrimSpace(req.Question) == "" {
		replyError(w, paramError("question is required"))
		return
	}
	s.mu.Lock()
	j := s.ask(ss, req.Question, mode, req.FeedbackAnswerID, req.FeedbackTaskID)
	s.mu.Unlock()
	writeResult(w, chat2query.JobRef{JobID: j.id, SessionID: chat2query.Int64(ss.id)})
}

// POST /v3/chat2data (§7): a one-question call that opens a session.
func (s *Server) chat2Data(w http.ResponseWriter, r *http.Request, _ []string) {
	var req chat2query.Chat2DataRequest
	if err := decodeBody(w, r, &req); err != nil {
		replyError(w, err)
		return
	}
	// data_summary_id only counts when cluster_id and database are both
	// absent (§7.1). The emulator has no data-summary objects yet, so a
	// summary id alone names nothing it can resolve.
	if req.ClusterID == "" && req.Database == "" && req.DataSummaryID != 0 {
		replyError(w, paramError(fmt.Sprintf("data summary %d not found; pass cluster_id and database", req.DataSummaryID)))
		return
	}
	db, err := s.resolveDatabase(req.ClusterID, req.Database)
	if err != nil {
		replyError(w, err)
		return
	}
	mode, err := checkMode(req.SQLGenerateMode)
	if err != nil {
		replyError(w, err)
		return
	}
	if strings.TrimSpace(req.Question) == "" {
		replyError(w, paramError("question is required"))
		return
	}
	s.mu.Lock()
	// The implicit session is named after the question, as a console would
	// title a new conversation; the real name is undocumented.
	ss := s.newSession(db, req.Question)
	j := s.ask(ss, req.Question, mode, "", "")
	s.mu.Unlock()
	writeResult(w, chat2query.JobRef{
		ClusterID: s.opts.ClusterID,
		Database:  db,
		JobID:     j.id,
		SessionID: chat2query.Int64(ss.id),
	})
}
