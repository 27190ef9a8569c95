package emulator

// Hooks for the external tests (package emulator_test).

// NonceCount reports how many digest nonces s remembers the counts of.
func NonceCount(s *Server) int { return s.nonces.len() }

// SetNonceCapForTest replaces s's nonce table by an empty one holding at
// most n nonces. Call it before s serves a request.
func SetNonceCapForTest(s *Server, n int) { s.nonces = newNonceTable(n) }

// NonceLifetime is how long a digest nonce is accepted.
const NonceLifetime = nonceLifetime

// How long sessions and jobs are kept after their last use.
const (
	SessionTTL  = sessionTTL
	JobTTL      = jobTTL
	MaxSessions = maxSessions
	MaxJobs     = maxJobs
)

// Sizes reports how many sessions and jobs s holds.
func Sizes(s *Server) (sessions, jobs int) {
	s.locked(func() { sessions, jobs = s.sessions.len(), s.jobs.len() })
	return sessions, jobs
}

// SetCapsForTest replaces s's session and job tables by empty ones holding
// at most the given numbers. Call it before s serves a request.
func SetCapsForTest(s *Server, sessions, jobs int) {
	s.locked(func() {
		s.sessions = newLRU[int64, *session](sessionTTL, sessions)
		s.jobs = newLRU[string, *job](jobTTL, jobs)
	})
}
