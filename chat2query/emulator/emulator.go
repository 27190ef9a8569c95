// The package documentation is in doc.go.

package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
)

// Defaults used when the matching Options field is empty.
const (
	DefaultAppID     = "chat2query-emulator"
	DefaultClusterID = "10140100115280519574" // the cluster id of the docs' examples (§2)
)

const (
	// Creator is the session creator the emulator reports; the real service
	// reports the e-mail of the key's owner (§8.1).
	Creator = "emulator@c2q.local"
	// firstSessionID is the first session id handed out: the docs' example (§8.1).
	firstSessionID = 305685
	// orgID is the org_id of every session; a string, as in the docs (§8.1).
	orgID = "1"
)

// Querier executes an answer's SQL. *sqldb.DB implements it; an error from
// Query is an SQL error and becomes the answer's sql_error.
type Querier interface {
	Query(ctx context.Context, database, query string) (*sqldb.Result, error)
	Databases() []string
}

// Answerer turns a question into an answer-book entry. previous is the label
// of the session's previous answered entry ("" in a fresh session), which is
// how follow-up questions get their context. *answerbook.Book implements it.
type Answerer interface {
	Match(question, previous string) (*answerbook.Entry, bool)
}

// Options configures a Server. The zero value is usable except for the key
// pair, which is required because authentication is part of the API.
type Options struct {
	AppID      string // default DefaultAppID
	PublicKey  string // the API key pair accepted by Digest and Basic auth
	PrivateKey string
	// Latency is the time from a job's creation to its completion. The job
	// reads "init" for its first tenth, then "running". Zero completes jobs
	// at once.
	Latency   time.Duration
	Now       func() time.Time // default time.Now
	DB        Querier          // default: the built-in sample database (sqldb.Open)
	Book      Answerer         // default: answerbook.Builtin()
	ClusterID string           // the one cluster the emulator serves; default DefaultClusterID

	// LatencyDist, if set, replaces Latency: every job draws its own
	// latency from it when it is created (Fixed, Uniform, LogNormal, or
	// ParseDistribution of "lognormal:4s,0.5"). Set Latency or LatencyDist,
	// not both.
	LatencyDist Distribution

	// Limits are the quotas to enforce (quota.go); the zero value enforces
	// none, ServiceLimits() the service's. Faults are the failures to inject
	// (faults.go). Log, if set, gets one line per request, never a secret.
	// MySQLAddr, if set, is where Start also serves the database over the
	// MySQL protocol (DB must then be a *sqldb.DB, or nil).
	Limits    Limits
	Faults    Faults
	Log       io.Writer
	MySQLAddr string

	// Suggestions are the questions POST /v3/suggestQuestions returns.
	// Default: answerbook.BuiltinSuggestions() when Book is nil (the
	// built-in book), none otherwise.
	Suggestions []string
}

// Server is an http.Handler serving one Chat2Query Data App under
// /api/v1beta/app/{AppID}/endpoint.
type Server struct {
	opts Options
	base string // "/api/v1beta/app/<app>/endpoint"

	nonceKey    []byte // HMAC key that makes digest nonces verifiable without state
	nonceSerial atomic.Uint64
	nonces      *nonceTable // the nonce counts seen (auth.go)
	opaque      string
	limits      *limiter  // quota.go
	faults      *faulter  // faults.go
	ownDB       *sqldb.DB // the database New opened itself, closed by Close

	mu          sync.Mutex
	nextSession int64
	sessions    *lru[int64, *session] // expiry.go
	jobs        *lru[string, *job]
	cat         catalog // data summaries and knowledge bases (summaries.go, knowledge.go)

	schemas schemaCache // the databases' schemas, read once (schema.go)
}

// locked runs f holding s.mu. Every critical section goes through it or
// through a deferred Unlock, so that a panic in f (a bug, or a panic in an
// Answerer, Distribution or Querier the caller supplied) releases the lock
// and front turns it into a 500 instead of a server that hangs for ever.
func (s *Server) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// New returns a Server for opts. A nil DB opens the built-in sample database
// and a nil Book uses the built-in answer book.
func New(opts Options) (*Server, error) {
	return newServer(context.Background(), opts)
}

func newServer(ctx context.Context, opts Options) (*Server, error) {
	if opts.PublicKey == "" || opts.PrivateKey == "" {
		return nil, errors.New("emulator: PublicKey and PrivateKey are required (NewKeys generates a pair)")
	}
	if opts.Latency < 0 {
		return nil, fmt.Errorf("emulator: Latency must not be negative, got %v", opts.Latency)
	}
	if opts.LatencyDist != nil && opts.Latency != 0 {
		return nil, errors.New("emulator: set Latency or LatencyDist, not both")
	}
	if opts.LatencyDist == nil {
		opts.LatencyDist = Fixed(opts.Latency)
	}
	if opts.AppID == "" {
		opts.AppID = DefaultAppID
	}
	if strings.ContainsAny(opts.AppID, "/?#") {
		return nil, fmt.Errorf("emulator: AppID %q must be a single path segment", opts.AppID)
	}
	if opts.ClusterID == "" {
		opts.ClusterID = DefaultClusterID
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Book == nil {
		opts.Book = answerbook.Builtin()
		if opts.Suggestions == nil {
			opts.Suggestions = answerbook.BuiltinSuggestions()
		}
	}
	limits, err := newLimiter(opts.Limits)
	if err != nil {
		return nil, err
	}
	faults, err := newFaulter(opts.Faults, opts.Log)
	if err != nil {
		return nil, err
	}
	var own *sqldb.DB
	if opts.DB == nil {
		db, err := sqldb.Open(ctx)
		if err != nil {
			return nil, fmt.Errorf("emulator: opening the sample database: %w", err)
		}
		opts.DB, own = db, db
	}
	key := make([]byte, 32)
	rand.Read(key)
	op := make([]byte, 16)
	rand.Read(op)
	return &Server{
		opts:        opts,
		base:        "/api/v1beta/app/" + opts.AppID + "/endpoint",
		nonceKey:    key,
		nonces:      newNonceTable(maxNonces),
		opaque:      hex.EncodeToString(op),
		ownDB:       own,
		nextSession: firstSessionID,
		sessions:    newLRU[int64, *session](sessionTTL, maxSessions),
		jobs:        newLRU[string, *job](jobTTL, maxJobs),
		limits:      limits,
		faults:      faults,
	}, nil
}

// Close releases the sample database if New opened it; a DB passed in
// Options belongs to the caller and is left open.
func (s *Server) Close() error {
	s.faults.release() // hanging requests end
	if s.ownDB == nil {
		return nil
	}
	// go-mysql-server's Engine.Close returns the context.Canceled of its
	// own background-thread shutdown, which sqldb passes on: that is success.
	if err := s.ownDB.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// BasePath is the path every endpoint hangs from, e.g.
// "/api/v1beta/app/chat2query-emulator/endpoint"; a client's base URL is the
// server's origin followed by it.
func (s *Server) BasePath() string { return s.base }

// route is one endpoint; "{}" segments of pattern are path parameters.
type route struct {
	method  string
	pattern []string
	handle  func(s *Server, w http.ResponseWriter, r *http.Request, params []string)
}

// routes are relative to the base path: every endpoint of the reference
// (§5-§12); any other path answers 404 like an unknown endpoint would.
var routes = []route{
	{http.MethodPost, []string{"v3", "dataSummaries"}, (*Server).createSummary},
	{http.MethodGet, []string{"v3", "dataSummaries"}, (*Server).listSummaries},
	{http.MethodGet, []string{"v3", "dataSummaries", "{}"}, (*Server).getSummary},
	{http.MethodPut, []string{"v3", "dataSummaries", "{}"}, (*Server).updateSummary},
	{http.MethodPut, []string{"v3", "dataSummaries", "{}", "tables", "{}"}, (*Server).updateTable},
	{http.MethodPut, []string{"v3", "dataSummaries", "{}", "tables", "{}", "columns"}, (*Server).updateColumns},
	{http.MethodPost, []string{"v3", "sessions"}, (*Server).createSession},
	{http.MethodGet, []string{"v3", "sessions"}, (*Server).listSessions},
	{http.MethodGet, []string{"v3", "sessions", "{}"}, (*Server).getSession},
	{http.MethodPut, []string{"v3", "sessions", "{}"}, (*Server).updateSession},
	{http.MethodPut, []string{"v3", "sessions", "{}", "reset"}, (*Server).resetSession},
	{http.MethodPost, []string{"v3", "sessions", "{}", "chat2data"}, (*Server).sessionChat2Data},
	{http.MethodPost, []string{"v3", "chat2data"}, (*Server).chat2Data},
	{http.MethodPost, []string{"v3", "knowledgeBases"}, (*Server).createKnowledgeBase},
	{http.MethodGet, []string{"v3", "knowledgeBases"}, (*Server).listKnowledgeBases},
	{http.MethodGet, []string{"v3", "knowledgeBases", "{}"}, (*Server).getKnowledgeBase},
	{http.MethodPut, []string{"v3", "knowledgeBases", "{}"}, (*Server).updateKnowledgeBase},
	{http.MethodPost, []string{"v3", "knowledgeBases", "{}", "data"}, (*Server).addKnowledgeData},
	{http.MethodGet, []string{"v3", "knowledgeBases", "{}", "data"}, (*Server).listKnowledgeData},
	{http.MethodPut, []string{"v3", "knowledgeBases", "{}", "data", "{}"}, (*Server).updateKnowledgeData},
	{http.MethodDelete, []string{"v3", "knowledgeBases", "{}", "data", "{}"}, (*Server).deleteKnowledgeData},
	{http.MethodPost, []string{"v3", "refineSql"}, (*Server).refineSQL},
	{http.MethodPost, []string{"v3", "suggestQuestions"}, (*Server).suggestQuestions},
	{http.MethodGet, []string{"v2", "jobs", "{}"}, (*Server).getJob},
	{http.MethodPost, []string{"v2", "dataSummaries"}, (*Server).createSummaryV2},
	{http.MethodGet, []string{"v2", "dataSummaries"}, (*Server).listSummariesV2},
	{http.MethodGet, []string{"v2", "dataSummaries", "{}"}, (*Server).getSummaryV2},
	{http.MethodPut, []string{"v2", "dataSummaries", "{}"}, (*Server).updateSummaryV2},
	{http.MethodPost, []string{"v2", "chat2data"}, (*Server).chat2DataV2},
	{http.MethodPost, []string{"v1", "chat2data"}, (*Server).chat2DataV1},
	{http.MethodPost, []string{"chat2data"}, (*Server).chat2DataV1}, // the pre-v3 path (§12)
}

// ServeHTTP routes a request. Order matters and is deliberate: a path outside
// this app is 404 before auth (the keys belong to the app, so there is nothing
// to authenticate against); inside the app, auth comes first so an
// unauthenticated caller cannot probe which endpoints exist. Scripted faults
// and the request log come before everything (faults.go); the rate limits
// and quotas right after auth (quota.go).
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
	segs := strings.Split(rest, "/")
	w, done, ok := s.admit(w, r, s.opts.PublicKey, segs)
	if !ok {
		return
	}
	defer done()
	var allowed []string
	for _, rt := range routes {
		params, ok := matchPath(rt.pattern, segs)
		if !ok {
			continue
		}
		if rt.method != r.Method {
			allowed = append(allowed, rt.method)
			continue
		}
		rt.handle(s, w, r, params)
		return
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeGateway(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	writeGateway(w, http.StatusNotFound, "endpoint not found")
}

func matchPath(pattern, segs []string) ([]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params []string
	for i, p := range pattern {
		switch {
		case p == "{}" && segs[i] != "":
			params = append(params, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return params, true
}
