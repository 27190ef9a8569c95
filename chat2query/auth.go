package chat2query

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/icholy/digest"
)

// maxChallengeDrain is how much of a 401 body is read before the connection
// is reused for the authenticated request; a longer body closes it instead.
const maxChallengeDrain = 64 << 10

// digestTransport answers HTTP Digest challenges (RFC 7616) with the API
// key pair, for the endpoint's own host only. Unlike icholy/digest's
// Transport, whose digest computation it uses, it returns a 401 that it
// cannot answer (no WWW-Authenticate, a Basic challenge, an unusable digest
// one) with its body intact, so that the client reports the service's
// message, and it answers a challenge at most once per request:
//
//   - without a cached challenge, the request is sent as is; a 401 with a
//     digest challenge is answered once with credentials, and whatever
//     comes back is the answer, a second 401 included (wrong keys);
//   - with a cached challenge, the request carries credentials at once; a
//     401 with a new challenge (the nonce expired, whether or not the
//     server says stale=true) is answered once, and that answer is final.
//
// So a request costs at most two HTTP requests, and a refused key is never
// retried beyond that.
type digestTransport struct {
	user, pass string
	host       string
	next       http.RoundTripper

	mu   sync.Mutex
	chal *digest.Challenge // the last challenge, reused with an increasing nonce count
	nc   int
}

func (t *digestTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != t.host {
		return t.next.RoundTrip(r)
	}
	clone, err := cloner(r)
	if err != nil {
		return nil, err
	}
	chal, nc := t.cached()
	first, err := clone()
	if err != nil {
		return nil, err
	}
	if chal != nil {
		if err := t.authorize(first, chal, nc); err != nil {
			return nil, err
		}
	}
	resp, err := t.next.RoundTrip(first)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	fresh, cerr := digest.FindChallenge(resp.Header)
	if cerr != nil {
		// Nothing to answer: the 401 is the service's answer, body and all.
		return resp, nil
	}
	nc = t.save(fresh)
	drain(resp)
	second, err := clone()
	if err != nil {
		return nil, err
	}
	if err := t.authorize(second, fresh, nc); err != nil {
		return nil, err
	}
	return t.next.RoundTrip(second)
}

// cached returns the last challenge and the next nonce count to use with it.
func (t *digestTransport) cached() (*digest.Challenge, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.chal == nil {
		return nil, 0
	}
	t.nc++
	return t.chal, t.nc
}

// save makes chal the cached challenge and returns its first nonce count.
func (t *digestTransport) save(chal *digest.Challenge) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.chal, t.nc = chal, 1
	return 1
}

func (t *digestTransport) authorize(r *http.Request, chal *digest.Challenge, nc int) error {
	cred, err := digest.Digest(chal, digest.Options{
		Method:   r.Method,
		URI:      r.URL.RequestURI(),
		GetBody:  r.GetBody,
		Count:    nc,
		Username: t.user,
		Password: t.pass,
	})
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", cred.String())
	return nil
}

// CloseIdleConnections passes the call on, so that http.Client's reaches
// the real transport.
func (t *digestTransport) CloseIdleConnections() {
	if ci, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// drain reads a little of a response that is being replaced, so that its
// connection can be reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxChallengeDrain))
	_ = resp.Body.Close()
}

// cloner returns a function that makes copies of r, each with a fresh body,
// so that one request can be sent twice. The client's requests have
// GetBody; another body is read into memory once.
func cloner(r *http.Request) (func() (*http.Request, error), error) {
	getBody := r.GetBody
	if getBody == nil {
		if r.Body == nil || r.Body == http.NoBody {
			getBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		} else {
			b, err := io.ReadAll(r.Body)
			_ = r.Body.Close()
			if err != nil {
				return nil, err
			}
			getBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		}
	}
	return func() (*http.Request, error) {
		c := r.Clone(r.Context())
		body, err := getBody()
		if err != nil {
			return nil, err
		}
		c.Body, c.GetBody = body, getBody
		return c, nil
	}, nil
}

// basicTransport adds Basic credentials, only for the endpoint's own host.
type basicTransport struct {
	host, header string
	next         http.RoundTripper
}

func (t *basicTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != t.host {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context()) // a RoundTripper must not modify its request
	r.Header.Set("Authorization", t.header)
	return t.next.RoundTrip(r)
}

// CloseIdleConnections passes the call on.
func (t *basicTransport) CloseIdleConnections() {
	if ci, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// challengeProblem describes, for the message of an *AuthError, why a 401
// in digest mode could not be answered: "" when it carried a usable digest
// challenge (which the transport answered, so the key itself was refused).
func challengeProblem(h http.Header) string {
	_, err := digest.FindChallenge(h)
	if err == nil {
		return ""
	}
	var schemes []string
	for _, v := range h.Values("WWW-Authenticate") {
		s, _, _ := strings.Cut(strings.TrimSpace(v), " ")
		if s != "" {
			schemes = append(schemes, s)
		}
	}
	digestAsked := false
	for _, s := range schemes {
		digestAsked = digestAsked || strings.EqualFold(s, "Digest")
	}
	switch {
	case err != digest.ErrNoChallenge:
		return "the server's digest challenge cannot be answered (" + truncate(sanitize(err.Error()), 100) + ")"
	case digestAsked:
		return "the server's digest challenge cannot be answered (an unsupported algorithm or qop)"
	case len(schemes) == 0:
		return "the server answered 401 without a digest challenge"
	}
	return "the server answered 401 without a digest challenge (it asks for " + truncate(sanitize(strings.Join(schemes, ", ")), 60) + ")"
}
