package emulator

import (
	"net/http"
	"path"
	"strings"
)

// endpoint is one call of the API.
type endpoint struct {
	// pattern is the method and the path below the base path, in
	// http.ServeMux's syntax.
	pattern string
	// ai marks the calls that count toward the daily AI quota (quota.go).
	ai     bool
	handle func(s *Server, w http.ResponseWriter, r *http.Request)
}

// Whether a call counts toward the daily AI quota, for the table below.
const (
	aiCall    = true
	plainCall = false
)

// endpoints are every call of the reference (§5-§12), relative to the base
// path; any other path answers 404 like an unknown endpoint would.
var endpoints = []endpoint{
	{"POST /v3/dataSummaries", aiCall, v3((*Server).createSummary)},
	{"GET /v3/dataSummaries", plainCall, v3((*Server).listSummaries)},
	{"GET /v3/dataSummaries/{id}", plainCall, v3((*Server).getSummary)},
	{"PUT /v3/dataSummaries/{id}", plainCall, v3((*Server).updateSummary)},
	{"PUT /v3/dataSummaries/{id}/tables/{table}", plainCall, v3((*Server).updateTable)},
	{"PUT /v3/dataSummaries/{id}/tables/{table}/columns", plainCall, v3((*Server).updateColumns)},
	{"POST /v3/sessions", plainCall, v3((*Server).createSession)},
	{"GET /v3/sessions", plainCall, v3((*Server).listSessions)},
	{"GET /v3/sessions/{id}", plainCall, v3((*Server).getSession)},
	{"PUT /v3/sessions/{id}", plainCall, v3((*Server).updateSession)},
	{"PUT /v3/sessions/{id}/reset", plainCall, v3((*Server).resetSession)},
	{"POST /v3/sessions/{id}/chat2data", aiCall, v3((*Server).sessionChat2Data)},
	{"POST /v3/chat2data", aiCall, v3((*Server).chat2Data)},
	{"POST /v3/knowledgeBases", plainCall, v3((*Server).createKnowledgeBase)},
	{"GET /v3/knowledgeBases", plainCall, v3((*Server).listKnowledgeBases)},
	{"GET /v3/knowledgeBases/{id}", plainCall, v3((*Server).getKnowledgeBase)},
	{"PUT /v3/knowledgeBases/{id}", plainCall, v3((*Server).updateKnowledgeBase)},
	{"POST /v3/knowledgeBases/{id}/data", plainCall, v3((*Server).addKnowledgeData)},
	{"GET /v3/knowledgeBases/{id}/data", plainCall, v3((*Server).listKnowledgeData)},
	{"PUT /v3/knowledgeBases/{id}/data/{data_id}", plainCall, v3((*Server).updateKnowledgeData)},
	{"DELETE /v3/knowledgeBases/{id}/data/{data_id}", plainCall, v3((*Server).deleteKnowledgeData)},
	{"POST /v3/refineSql", aiCall, v3((*Server).refineSQL)},
	{"POST /v3/suggestQuestions", aiCall, v3((*Server).suggestQuestions)},
	{"GET /v2/jobs/{id}", plainCall, v3((*Server).getJob)},
	{"POST /v2/dataSummaries", aiCall, v3((*Server).createSummaryV2)},
	{"GET /v2/dataSummaries", plainCall, v3((*Server).listSummariesV2)},
	{"GET /v2/dataSummaries/{id}", plainCall, v3((*Server).getSummaryV2)},
	{"PUT /v2/dataSummaries/{id}", plainCall, v3((*Server).updateSummaryV2)},
	{"POST /v2/chat2data", aiCall, v3((*Server).chat2DataV2)},
	{"POST /v1/chat2data", aiCall, (*Server).chat2DataV1},
	{"POST /chat2data", aiCall, (*Server).chat2DataV1}, // the pre-v3 path (§12)
}

// ServeHTTP routes a request. Order matters and is deliberate: a path outside
// this app is 404 before auth (the keys belong to the app, so there is nothing
// to authenticate against); inside the app, auth comes first so an
// unauthenticated caller cannot probe which endpoints exist. Scripted faults
// and the request log come before everything (faults.go); the rate limits
// and quotas right after auth (quota.go), for every path of the app.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.front(w, r, s.serve) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, s.base+"/")
	if !ok {
		writeGateway(w, http.StatusNotFound, "endpoint not found")
		return
	}
	if !s.authorize(w, r) {
		return
	}
	// The mux sees the path below the base, unescaped, so that an escaped
	// slash separates segments as a plain one does. A path that is not
	// clean ("//", "/./", a trailing slash) names no endpoint: it goes to
	// "/", the 404, where ServeMux would redirect.
	u := *r.URL
	u.Path, u.RawPath = "/"+rest, ""
	if path.Clean(u.Path) != u.Path {
		u.Path = "/"
	}
	r = r.WithContext(r.Context()) // a copy, which the mux may change
	r.URL = &u
	s.mux.ServeHTTP(w, r)
}

// newMux routes the paths below the base path to the endpoints. ServeMux
// matches the methods and the wildcards; an endpoint's path also gets a
// pattern without method, which answers another method 405 with Allow, and
// "/" answers every other path 404, both in the gateway envelope, as the
// service does (ServeMux's own answers are plain text).
func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	allow := map[string][]string{} // the methods of each path, in table order
	for _, e := range endpoints {
		method, p, _ := strings.Cut(e.pattern, " ")
		if _, ok := allow[p]; !ok {
			mux.HandleFunc(p, s.limit(plainCall, func(w http.ResponseWriter, _ *http.Request) { notAllowed(w, allow[p]) }))
		}
		allow[p] = append(allow[p], method)
		mux.HandleFunc(e.pattern, s.limit(e.ai, func(w http.ResponseWriter, r *http.Request) {
			if r.Method != method { // HEAD, which ServeMux gives to GET patterns too
				notAllowed(w, allow[p])
				return
			}
			e.handle(s, w, r)
		}))
	}
	mux.HandleFunc("/", s.limit(plainCall, func(w http.ResponseWriter, _ *http.Request) {
		writeGateway(w, http.StatusNotFound, "endpoint not found")
	}))
	return mux
}

func notAllowed(w http.ResponseWriter, methods []string) {
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeGateway(w, http.StatusMethodNotAllowed, "method not allowed")
}

// limit applies the rate limits and quotas to a request before h serves it
// (quota.go), and bounds its body; ai marks the calls that count toward the
// daily AI quota.
func (s *Server) limit(ai bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w, done, ok := s.admit(w, s.opts.PublicKey, ai)
		if !ok {
			return
		}
		defer done()
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		h(w, r)
	}
}
