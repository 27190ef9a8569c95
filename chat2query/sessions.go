package chat2query

import (
	"context"
	"encoding/json"
	"net/http"
)

// CreateSessionRequest is the body of POST /v3/sessions (§8.1).
type CreateSessionRequest struct {
	ClusterID string `json:"cluster_id"`
	Database  string `json:"database"`
	Name      string `json:"name,omitempty"`
}

// Session is a Chat2Query session (§8.1). The shape of Messages is
// undocumented, so they are kept verbatim. List items may lack Messages.
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

// SessionChat2DataRequest is the body of POST /v3/sessions/{id}/chat2data
// (§8.2). The feedback fields are sent as "" when unset, as the docs do.
type SessionChat2DataRequest struct {
	Question         string `json:"question"`
	FeedbackAnswerID string `json:"feedback_answer_id"`
	FeedbackTaskID   string `json:"feedback_task_id"`
	SQLGenerateMode  Mode   `json:"sql_generate_mode,omitempty"`
}

// UpdateSessionRequest is the body of PUT /v3/sessions/{session_id}. The
// body is undocumented (§8.3): renaming is the inferred purpose, so only
// name is sent.
type UpdateSessionRequest struct {
	Name string `json:"name"`
}

func sessionPath(id Int64) (string, error) { return idPath("/v3/sessions", id, "session") }

// CreateSession starts a multi-turn conversation: POST /v3/sessions.
func (c *Client) CreateSession(ctx context.Context, req CreateSessionRequest) (*Session, error) {
	return call(ctx, c, http.MethodPost, "/v3/sessions", req, "session_id", func(s *Session) bool { return s.SessionID != 0 })
}

// ListSessions lists the Data App's sessions: GET /v3/sessions. The
// response shape is undocumented (§8.3); a bare array and an object holding
// the array (e.g. {"sessions": [...]}) are both read.
func (c *Client) ListSessions(ctx context.Context) ([]Session, error) {
	return getList[Session](ctx, c, "/v3/sessions", "sessions", "items", "list")
}

// GetSession fetches one session: GET /v3/sessions/{session_id}.
func (c *Client) GetSession(ctx context.Context, sessionID Int64) (*Session, error) {
	path, err := sessionPath(sessionID)
	if err != nil {
		return nil, err
	}
	return get[Session](ctx, c, path)
}

// UpdateSession changes a session: PUT /v3/sessions/{session_id}. The
// response is undocumented and returned verbatim in the Ack.
func (c *Client) UpdateSession(ctx context.Context, sessionID Int64, req UpdateSessionRequest) (*Ack, error) {
	path, err := sessionPath(sessionID)
	if err != nil {
		return nil, err
	}
	return c.ack(ctx, http.MethodPut, path, req)
}

// ResetSession resets a session's conversation context: PUT
// /v3/sessions/{session_id}/reset. No body is documented; {} is sent so that
// the JSON content type holds. The response is returned verbatim in the Ack.
func (c *Client) ResetSession(ctx context.Context, sessionID Int64) (*Ack, error) {
	path, err := sessionPath(sessionID)
	if err != nil {
		return nil, err
	}
	return c.ack(ctx, http.MethodPut, path+"/reset", struct{}{})
}

// SessionChat2Data asks the next question of a session:
// POST /v3/sessions/{session_id}/chat2data. Poll the returned job with
// WaitJob; its result is an Answer. The request is an AI request and is
// never sent twice, so a question is never asked twice in a session.
func (c *Client) SessionChat2Data(ctx context.Context, sessionID Int64, req SessionChat2DataRequest) (*JobRef, error) {
	path, err := sessionPath(sessionID)
	if err != nil {
		return nil, err
	}
	return c.startJob(ctx, http.MethodPost, path+"/chat2data", req)
}
