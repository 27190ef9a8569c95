package emulator

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/c2q/c2q/chat2query"
)

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

// newSession registers a session. Callers hold s.mu.
func (s *Server) newSession(database, name string) *session {
	now := s.opts.Now()
	ss := &session{id: s.nextSession, database: database, name: name, created: now, updated: now}
	s.nextSession++
	s.sessions.put(ss.id, ss, now)
	return ss
}

// POST /v3/sessions (§8.1).
func (s *Server) createSession(r *http.Request) (any, error) {
	req, db, err := decodeFor[chat2query.CreateSessionRequest](s, r)
	if err != nil {
		return nil, err
	}
	var wire chat2query.Session
	s.locked(func() { wire = s.newSession(db, req.Name).wire() })
	return wire, nil
}

// findSession is lookupSession for callers that do not hold s.mu. The
// session stays usable after s.mu is released; if it expires meanwhile,
// what is done to it is lost with it.
func (s *Server) findSession(param string) (ss *session, err error) {
	s.locked(func() { ss, err = s.lookupSession(param) })
	return ss, err
}

// lookupSession parses a {session_id} path parameter and counts the session
// as used; an expired or evicted session is not found. Callers hold s.mu.
func (s *Server) lookupSession(param string) (*session, error) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return nil, errSessionNotFound
	}
	if ss, ok := s.sessions.get(id, s.opts.Now()); ok {
		return ss, nil
	}
	return nil, errSessionNotFound
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

// GET /v3/sessions/{session_id} (§8.3): the §8.1 shape with the turns so far.
func (s *Server) getSession(r *http.Request) (any, error) {
	ss, err := s.findSession(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.fullWire(r.Context(), ss)
}

// GET /v3/sessions (§8.3): {"sessions": [{session_id, meta}, ...]}, oldest
// first, without messages, as TiInsight's list item type has them.
func (s *Server) listSessions(*http.Request) (any, error) {
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
	return map[string]any{"sessions": out}, nil
}

// PUT /v3/sessions/{session_id} (§8.3): renames the session ({"name": ...},
// required); answers the session.
func (s *Server) updateSession(r *http.Request) (any, error) {
	ss, err := s.findSession(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	req, err := decode[struct {
		Name *string `json:"name"`
	}](r)
	switch {
	case err != nil:
		return nil, err
	case req.Name == nil:
		return nil, paramError("name is required")
	}
	s.locked(func() {
		ss.name = *req.Name
		ss.updated = s.opts.Now()
	})
	return s.fullWire(r.Context(), ss)
}

// PUT /v3/sessions/{session_id}/reset (§8.3): forgets the conversation, its
// turns and their context, so that a follow-up question no longer resolves;
// answers the (empty) session. The jobs stay readable.
func (s *Server) resetSession(r *http.Request) (any, error) {
	var ss *session
	var err error
	s.locked(func() {
		if ss, err = s.lookupSession(r.PathValue("id")); err == nil {
			ss.previous = ""
			ss.messages = nil
			ss.updated = s.opts.Now()
		}
	})
	if err != nil {
		return nil, err
	}
	return s.fullWire(r.Context(), ss)
}

// POST /v3/sessions/{session_id}/chat2data (§8.2). The session is resolved
// before the body, so an unknown id is a 404 whatever the body says.
func (s *Server) sessionChat2Data(r *http.Request) (any, error) {
	ss, err := s.findSession(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	req, err := decode[chat2query.SessionChat2DataRequest](r)
	if err != nil {
		return nil, err
	}
	mode, err := checkQuestion(req.Question, req.SQLGenerateMode)
	if err != nil {
		return nil, err
	}
	var j *job
	s.locked(func() {
		if s.summaryReady(ss.database) {
			j = s.ask(ss, req.Question, mode, req.FeedbackAnswerID, req.FeedbackTaskID)
		}
	})
	if j == nil {
		return nil, errNotReady
	}
	return chat2query.JobRef{JobID: j.id, SessionID: chat2query.Int64(ss.id)}, nil
}

// POST /v3/chat2data (§7): a one-question call that opens a session.
func (s *Server) chat2Data(r *http.Request) (any, error) {
	req, err := decode[chat2query.Chat2DataRequest](r)
	if err != nil {
		return nil, err
	}
	mode, err := checkQuestion(req.Question, req.SQLGenerateMode)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(*catalog) (any, error) {
		// data_summary_id only counts when cluster_id and database are both
		// absent (§7.1); the summary used must be done.
		db, err := s.chat2DataTarget(req.ClusterID, req.Database, int64(req.DataSummaryID))
		if err != nil {
			return nil, err
		}
		// The implicit session is named after the question, as a console
		// would title a new conversation; the real name is undocumented.
		ss := s.newSession(db, req.Question)
		j := s.ask(ss, req.Question, mode, "", "")
		return chat2query.JobRef{ClusterID: s.opts.ClusterID, Database: db, JobID: j.id, SessionID: chat2query.Int64(ss.id)}, nil
	})
}
