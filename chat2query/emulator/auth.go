package emulator

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// realm is the digest realm; the gateway serves every app under tidb.cloud.
const realm = "tidb.cloud"

// nonceLifetime bounds how long a digest nonce is accepted. An expired but
// genuine nonce gets a fresh challenge with stale=true, which curl and
// icholy/digest answer without asking the user again.
const nonceLifetime = 10 * time.Minute

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
	fresh, err := s.checkNonce(p["nonce"])
	if err != nil {
		return err
	}
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
	if !fresh {
		return errStaleNonce
	}
	return nil
}

// newNonce returns hex(issued-at || random) followed by a truncated HMAC of
// it: the server can tell its own nonces and their age without keeping state,
// so the nonce table cannot grow with traffic.
func (s *Server) newNonce() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(s.opts.Now().Unix()))
	rand.Read(b[8:])
	return hex.EncodeToString(b[:]) + hex.EncodeToString(s.nonceMAC(b[:]))
}

func (s *Server) nonceMAC(b []byte) []byte {
	m := hmac.New(sha256.New, s.nonceKey)
	m.Write(b)
	return m.Sum(nil)[:16]
}

// checkNonce reports whether nonce was issued by this server and is fresh.
func (s *Server) checkNonce(nonce string) (fresh bool, err error) {
	raw, err := hex.DecodeString(nonce)
	if err != nil || len(raw) != 32 {
		return false, errors.New("nonce not issued by this server")
	}
	if !hmac.Equal(raw[16:], s.nonceMAC(raw[:16])) {
		return false, errors.New("nonce not issued by this server")
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0)
	age := s.opts.Now().Sub(issued)
	// A nonce from the "future" means the injected clock moved back; treat it
	// as stale rather than trusting it forever.
	return age >= -time.Second && age <= nonceLifetime, nil
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
