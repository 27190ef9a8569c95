package emulator

// Hooks for the external tests (package emulator_test).

// NonceCount reports how many digest nonces s remembers the counts of.
func NonceCount(s *Server) int { return s.nonces.len() }

// SetNonceCapForTest replaces s's nonce table by an empty one holding at
// most n nonces. Call it before s serves a request.
func SetNonceCapForTest(s *Server, n int) { s.nonces = newNonceTable(n) }

// NonceLifetime is how long a digest nonce is accepted.
const NonceLifetime = nonceLifetime
