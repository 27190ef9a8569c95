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

	"github.com/c2q/c2q/chat2query"
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

// Options configures a Server. The zero value serves the built-in sample
// database and answer book with jobs that complete at once; New needs the
// key pair, which Start generates when it is not given.
type Options struct {
	AppID      string // default DefaultAppID
	PublicKey  string // the API key pair accepted by Digest and Basic auth
	PrivateKey string
	// Latency is the time from a job's creation to its completion. The job
	// reads "init" for its first tenth, then "running". Zero completes jobs
	// at once.
	Latency   time.Duration
	Now       func() time.Time // default time.Now
	DB        Querier          // default: the built-in sample database (OpenDB), owned by the Server
	Book      Answerer         // default: the answer book of AnswersFile, else answerbook.Builtin()
	ClusterID string           // the one cluster the emulator serves; default DefaultClusterID

	// AnswersFile, if set, is an answer book (HCL, see package answerbook)
	// to answer from instead of the built-in one; DataFile, if set, an SQL
	// script (CREATE DATABASE, CREATE TABLE, INSERT ...) run on the
	// built-in database before serving. They are the user's own files: a
	// problem in either is an *InputError (CheckInputs finds them without
	// serving). AnswersFile excludes Book, DataFile excludes DB.
	AnswersFile string
	DataFile    string

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
	// Default: answerbook.BuiltinSuggestions() when the book is the
	// built-in one, none otherwise.
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
	limits      *limiter       // quota.go
	faults      *faulter       // faults.go
	ownDB       *sqldb.DB      // the database New opened itself, closed by Close
	mux         *http.ServeMux // routes.go

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
// (with DataFile run on it), which Close closes; a nil Book uses the answer
// book of AnswersFile, or the built-in one.
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
	limits, err := newLimiter(opts.Limits)
	if err != nil {
		return nil, err
	}
	faults, err := newFaulter(opts.Faults, opts.Log)
	if err != nil {
		return nil, err
	}
	if opts.DataFile != "" && opts.DB != nil {
		return nil, errors.New("emulator: set DB or DataFile, not both")
	}
	book, err := loadBook(opts)
	if err != nil {
		return nil, err
	}
	if book != nil {
		opts.Book = book
	} else if opts.Book == nil {
		opts.Book = answerbook.Builtin()
		if opts.Suggestions == nil {
			opts.Suggestions = answerbook.BuiltinSuggestions()
		}
	}
	var own *sqldb.DB
	if opts.DB == nil {
		if own, err = OpenDB(ctx, opts.DataFile); err != nil {
			return nil, err
		}
		opts.DB = own
	}
	key := make([]byte, 32)
	rand.Read(key)
	op := make([]byte, 16)
	rand.Read(op)
	s := &Server{
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
	}
	s.mux = s.newMux()
	return s, nil
}

// Close releases the sample database if New opened it; a DB passed in
// Options belongs to the caller and is left open.
func (s *Server) Close() error {
	s.faults.release() // hanging requests end
	if s.ownDB == nil {
		return nil
	}
	return s.ownDB.Close()
}

// DB is the database the Server answers from, Options.DB or the one it
// opened itself: a caller that judges answers runs SQL on the same data.
func (s *Server) DB() Querier { return s.opts.DB }

// RowsOf adapts q to a function of plain values, the shape of the verify
// package's RowsFunc: a result's columns, rows, and whether rows past the
// engine's cap were dropped.
func RowsOf(q Querier) func(ctx context.Context, database, query string) ([]string, [][]any, bool, error) {
	return func(ctx context.Context, database, query string) ([]string, [][]any, bool, error) {
		res, err := q.Query(ctx, database, query)
		if err != nil {
			return nil, nil, false, err
		}
		return res.Columns, res.Rows, res.Truncated, nil
	}
}

// WaitOptions are how a client should poll this emulator's jobs: its
// latency is known, so the first poll comes when a job should be done, the
// next ones quickly; at once when jobs complete at once. For a latency
// drawn from a distribution, they are the client's defaults.
func (s *Server) WaitOptions() chat2query.WaitOptions {
	f, ok := s.opts.LatencyDist.(fixed)
	switch d := time.Duration(f); {
	case !ok:
		return chat2query.WaitOptions{}
	case d <= 0:
		return chat2query.WaitOptions{FirstPoll: -1, Interval: time.Millisecond, MaxInterval: time.Millisecond}
	default:
		return chat2query.WaitOptions{FirstPoll: d, Interval: max(d/4, time.Millisecond), MaxInterval: max(d, time.Millisecond)}
	}
}

// BasePath is the path every endpoint hangs from, e.g.
// "/api/v1beta/app/chat2query-emulator/endpoint"; a client's base URL is the
// server's origin followed by it.
func (s *Server) BasePath() string { return s.base }
