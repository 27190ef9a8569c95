package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// This file is the one way an endpoint reads its request and answers: v3
// adapts a handler that returns its result or an error to the v3 envelope;
// decode reads a body; decodeFor reads a body that names a database and
// resolves it; inCatalog takes the lock with the catalog.

// maxBody bounds request bodies; real requests are a few hundred bytes.
const maxBody = 1 << 20

// statusError is a refusal the service answers in the v3 envelope with a
// status of its own: 400 for a bad request, 404 for an unknown id.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// paramError is a request the real service would refuse with HTTP 400 and
// "param check failed! ..." (§3.2's wording, reused for the v3 envelope).
func paramError(msg string) error {
	return &statusError{http.StatusBadRequest, "param check failed! " + msg}
}

// The refusals of an id that is unknown, expired or evicted, and the
// documented 400 of chat2data while the data summary is being generated
// (§3.1, §7.2). The real statuses and messages of the 404s are undocumented
// (§15); 404 in the v3 envelope is the reading most consistent with §3.1.
var (
	errSessionNotFound = &statusError{http.StatusNotFound, "session not found"}
	errJobNotFound     = &statusError{http.StatusNotFound, "job not found"}
	errSummaryNotFound = &statusError{http.StatusNotFound, "data summary not found"}
	errKBNotFound      = &statusError{http.StatusNotFound, "knowledge base not found"}
	errItemNotFound    = &statusError{http.StatusNotFound, "knowledge data not found"}
	errNotReady        = &statusError{http.StatusBadRequest, notReadyMsg}
)

// replyError writes err as a v3 error envelope: a statusError with its
// status, anything else as a 500.
func replyError(w http.ResponseWriter, err error) {
	var se *statusError
	if errors.As(err, &se) {
		writeError(w, se.status, se.msg)
		return
	}
	writeError(w, http.StatusInternalServerError, "internal error! "+err.Error())
}

// v3 adapts an endpoint that returns its result, or an error for
// replyError, to the v3 envelope.
func v3(f func(*Server, *http.Request) (any, error)) func(*Server, http.ResponseWriter, *http.Request) {
	return func(s *Server, w http.ResponseWriter, r *http.Request) {
		res, err := f(s, r)
		if err != nil {
			replyError(w, err)
			return
		}
		writeResult(w, res)
	}
}

// decode reads r's JSON body into a T. An empty body is {}, so that the
// missing fields are reported by name. The router bounds the body (maxBody).
func decode[T any](r *http.Request) (T, error) {
	var v T
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return v, paramError("cannot read request body: " + err.Error())
	}
	if strings.TrimSpace(string(body)) == "" {
		return v, nil
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return v, paramError("request body is not valid JSON for this endpoint: " + err.Error())
	}
	return v, nil
}

// decodeFor is decode for a body that names a database by cluster_id and
// database; it also returns the database's canonical name (resolveTarget).
// The names are read back from T's own encoding, so that database_uri,
// which the emulator refuses, counts only for the bodies that have it.
func decodeFor[T any](s *Server, r *http.Request) (T, string, error) {
	req, err := decode[T](r)
	if err != nil {
		return req, "", err
	}
	var target struct {
		ClusterID   string `json:"cluster_id"`
		Database    string `json:"database"`
		DatabaseURI string `json:"database_uri"`
	}
	raw, err := json.Marshal(req)
	if err == nil {
		err = json.Unmarshal(raw, &target)
	}
	if err != nil {
		return req, "", err
	}
	db, err := s.resolveTarget(target.DatabaseURI, target.ClusterID, target.Database)
	return req, db, err
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

// inCatalog runs f holding s.mu, with the catalog of data summaries and
// knowledge bases, and returns what f returns.
func inCatalog[T any](s *Server, f func(c *catalog) (T, error)) (v T, err error) {
	s.locked(func() { v, err = f(s.catalog()) })
	return v, err
}
