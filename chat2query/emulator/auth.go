package emulator

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// realm is the digest realm; the gateway serves every app under tidb.cloud.
const realm = "tidb.cloud"

// Digest nonces (RFC 7616). A nonce is hex(issued-at || serial) followed by
// a truncated HMAC of it, so the server can tell its own nonces and their
// age without keeping one per challenge: a flood of unauthenticated
// requests costs no memory. What it does keep is, for each nonce in use,
// the nonce counts (nc) seen with it, to refuse replays; that table is
// bounded by maxNonces and by the nonces' lifetime.
const (
	// nonceLifetime is how long a nonce is accepted after it was issued.
	// A request with an expired nonce and otherwise valid credentials gets
	// a 401 whose fresh challenge says stale=true: curl and icholy/digest
	// (c2q's client) retry with it without asking the user again.
	nonceLifetime = 5 * time.Minute
	// maxNonces bounds the nonces whose counts are remembered. When it is
	// reached the nonce first used longest ago is forgotten; a forgotten
	// nonce that is still used is answered as stale, so the client moves to
	// a new one and no count can be replayed.
	maxNonces = 4096
	// ncWindow is how far below the highest nc seen with a nonce a request
	// may come: a client such as icholy/digest numbers its requests in
	// order but sends them concurrently, so they can arrive out of order.
	// Within the window each nc is accepted once (RFC 7616 §3.4: "if the
	// same nc-value is seen twice, then the request is a replay"); a repeat
	// is refused with a fresh challenge, an nc below the window as stale.
	ncWindow = 64
)

// authorize checks the request's credentials and, when they fail, writes the
// 401 gateway envelope with a digest challenge. Both Digest (RFC 7616, MD5,
// qop=auth) and Basic are accepted, as the real Data API does (§2).
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	stale := false
	h := r.Header.Get("Authorization")
	scheme, params, _ := strings.Cut(h, " ")
	switch {
	case strings.EqualFold(scheme, "Basic"):
		if user, pass, ok := r.BasicAuth(); ok && s.keysMatch(user, pass) {
			return true
		}
	case strings.EqualFold(scheme, "Digest"):
		err := s.checkDigest(r, params)
		if err == nil {
			return true
		}
		stale = errors.Is(err, errStaleNonce)
	}
	chal := fmt.Sprintf(`Digest realm=%q, nonce=%q, qop="auth", algorithm=MD5, opaque=%q`,
		realm, s.newNonce(), s.opaque)
	if stale {
		chal += ", stale=true"
	}
	w.Header().Set("WWW-Authenticate", chal)
	writeGateway(w, http.StatusUnauthorized, "auth failed")
	return false
}

// keysMatch compares both halves in constant time and without
// short-circuiting, so timing reveals neither key.
func (s *Server) keysMatch(pub, priv string) bool {
	a := subtle.ConstantTimeCompare([]byte(pub), []byte(s.opts.PublicKey))
	b := subtle.ConstantTimeCompare([]byte(priv), []byte(s.opts.PrivateKey))
	return a&b == 1
}

var errStaleNonce = errors.New("stale nonce")

// checkDigest verifies a Digest Authorization header's parameters. The
// returned error says why, for tests; the client only ever sees "auth failed".
func (s *Server) checkDigest(r *http.Request, header string) error {
	p, err := parseAuthParams(header)
	if err != nil {
		return err
	}
	for _, k := range []string{"username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"} {
		if _, ok := p[k]; !ok {
			return fmt.Errorf("digest parameter %s missing", k)
		}
	}
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "MD5") {
		return fmt.Errorf("unsupported digest algorithm %q", alg)
	}
	// Only qop=auth is offered; RFC 2069 digests without qop are refused.
	if p["qop"] != "auth" {
		return fmt.Errorf("unsupported qop %q", p["qop"])
	}
	if len(p["nc"]) != 8 || !isHex(p["nc"]) {
		return fmt.Errorf("malformed nc %q", p["nc"])
	}
	if p["cnonce"] == "" {
		return errors.New("empty cnonce")
	}
	if p["realm"] != realm {
		return fmt.Errorf("wrong realm %q", p["realm"])
	}
	if op, ok := p["opaque"]; ok && subtle.ConstantTimeCompare([]byte(op), []byte(s.opaque)) != 1 {
		return errors.New("wrong opaque")
	}
	// The digest covers uri, so it must name this request or a captured
	// header could be replayed against another endpoint.
	if uri := p["uri"]; uri != r.RequestURI && uri != r.URL.RequestURI() {
		return fmt.Errorf("digest uri %q does not match request %q", uri, r.RequestURI)
	}
	serial, fresh, err := s.checkNonce(p["nonce"])
	if err != nil {
		return err
	}
	nc, _ := strconv.ParseUint(p["nc"], 16, 64) // 8 hex digits, checked above
	ha1 := md5hex(p["username"] + ":" + realm + ":" + s.opts.PrivateKey)
	ha2 := md5hex(r.Method + ":" + p["uri"])
	want := md5hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	userOK := subtle.ConstantTimeCompare([]byte(p["username"]), []byte(s.opts.PublicKey))
	respOK := subtle.ConstantTimeCompare([]byte(strings.ToLower(p["response"])), []byte(want))
	if userOK&respOK != 1 {
		return errors.New("wrong username or digest response")
	}
	// Staleness is reported only for otherwise valid credentials (RFC 7616
	// §3.3), so a client retries with the new nonce instead of re-prompting.
	// The count is recorded only now, so that nobody without the key can
	// use up a nonce's counts.
	if !fresh {
		return errStaleNonce
	}
	return s.nonces.use(p["nonce"], serial, nc, s.opts.Now())
}

// newNonce returns hex(issued-at || serial) followed by a truncated HMAC of
// it. The serial numbers nonces in the order they are issued, which is how
// the nonce table tells a nonce never used from one it forgot.
func (s *Server) newNonce() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(s.opts.Now().Unix()))
	binary.BigEndian.PutUint64(b[8:], s.nonceSerial.Add(1))
	return hex.EncodeToString(b[:]) + hex.EncodeToString(s.nonceMAC(b[:]))
}

func (s *Server) nonceMAC(b []byte) []byte {
	m := hmac.New(sha256.New, s.nonceKey)
	m.Write(b)
	return m.Sum(nil)[:16]
}

// checkNonce reports whether nonce was issued by this server, its serial,
// and whether it is fresh: issued at most nonceLifetime ago.
func (s *Server) checkNonce(nonce string) (serial uint64, fresh bool, err error) {
	raw, err := hex.DecodeString(nonce)
	if err != nil || len(raw) != 32 {
		return 0, false, errors.New("nonce not issued by this server")
	}
	if !hmac.Equal(raw[16:], s.nonceMAC(raw[:16])) {
		return 0, false, errors.New("nonce not issued by this server")
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0)
	age := s.opts.Now().Sub(issued)
	// A nonce from the "future" means the injected clock moved back; treat it
	// as stale rather than trusting it forever.
	return binary.BigEndian.Uint64(raw[8:16]), age >= -time.Second && age <= nonceLifetime, nil
}

var errReplay = errors.New("nonce count already seen: a replay")

// nonceTable remembers the nonce counts seen with each nonce in use. Its
// entries are kept in first-use order in a ring, so that forgetting the
// oldest, when the table is full or an entry has outlived the nonce's
// lifetime, is O(1): the table never holds more than its cap, nor an entry
// more than nonceLifetime after the nonce's first use.
type nonceTable struct {
	mu   sync.Mutex
	m    map[string]*nonceUse
	ring []string // the nonces of m, first used first, from head on
	head int
	// forgotten is the highest serial of a nonce removed from m. A nonce
	// not in m was never used if its serial is higher; otherwise it may
	// have been, and is answered as stale.
	forgotten uint64
}

type nonceUse struct {
	serial   uint64
	firstUse time.Time
	max      uint64 // the highest nc seen
	seen     uint64 // bit i: nc max-i was seen
}

func newNonceTable(capacity int) *nonceTable {
	return &nonceTable{m: make(map[string]*nonceUse, capacity), ring: make([]string, capacity)}
}

// use records nc for a genuine, fresh nonce with the given serial, or says
// why the request must be refused: errReplay, or errStaleNonce for a nonce
// the table forgot or an nc below the window.
func (t *nonceTable) use(nonce string, serial, nc uint64, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.m) > 0 && now.Sub(t.m[t.ring[t.head]].firstUse) > nonceLifetime {
		t.forgetOldest()
	}
	u, ok := t.m[nonce]
	if !ok {
		if serial <= t.forgotten {
			return errStaleNonce
		}
		if len(t.m) == len(t.ring) {
			t.forgetOldest()
		}
		u = &nonceUse{serial: serial, firstUse: now}
		t.ring[(t.head+len(t.m))%len(t.ring)] = nonce
		t.m[nonce] = u
	}
	switch {
	case nc == 0:
		return errors.New("nc 0: counts start at 1")
	case nc > u.max:
		if shift := nc - u.max; shift < 64 {
			u.seen = u.seen<<shift | 1
		} else {
			u.seen = 1
		}
		u.max = nc
		return nil
	case u.max-nc >= ncWindow:
		return errStaleNonce
	case u.seen&(1<<(u.max-nc)) != 0:
		return errReplay
	}
	u.seen |= 1 << (u.max - nc)
	return nil
}

// forgetOldest removes the nonce first used longest ago. Callers hold t.mu
// and know the table is not empty.
func (t *nonceTable) forgetOldest() {
	nonce := t.ring[t.head]
	t.forgotten = max(t.forgotten, t.m[nonce].serial)
	delete(t.m, nonce)
	t.ring[t.head] = ""
	t.head = (t.head + 1) % len(t.ring)
}

// len is the number of nonces remembered.
func (t *nonceTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// parseAuthParams parses the comma-separated auth-param list of an
// Authorization header (RFC 7235 §2.1): name=token or name="quoted string"
// with backslash escapes. Names are case-insensitive; repeats are an error.
func parseAuthParams(s string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	skipSpace := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	for {
		skipSpace()
		for i < len(s) && s[i] == ',' { // empty list elements are allowed
			i++
			skipSpace()
		}
		if i >= len(s) {
			return out, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		name := strings.ToLower(s[start:i])
		skipSpace()
		if name == "" || i >= len(s) || s[i] != '=' {
			return nil, fmt.Errorf("malformed auth parameter near %q", s[start:])
		}
		i++
		skipSpace()
		var val string
		if i < len(s) && s[i] == '"' {
			i++
			var b strings.Builder
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated quoted value for %s", name)
				}
				c := s[i]
				i++
				if c == '"' {
					break
				}
				if c == '\\' && i < len(s) {
					c = s[i]
					i++
				}
				b.WriteByte(c)
			}
			val = b.String()
		} else {
			start := i
			for i < len(s) && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			val = s[start:i]
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("repeated auth parameter %s", name)
		}
		out[name] = val
		skipSpace()
		if i < len(s) && s[i] != ',' {
			return nil, fmt.Errorf("malformed auth parameters after %s", name)
		}
	}
}
