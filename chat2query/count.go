package chat2query

import (
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
)

// countingTransport sits at the bottom of the client's transports, below
// authentication, and counts what reaches the wire.
//
// Every round trip handed to it is counted in roundTrips. Every request
// written to a connection is counted in wire, through httptrace's
// WroteRequest: that includes the resends that Go's http.Transport makes by
// itself (a GET whose reused keep-alive connection the server closed, a
// request that found its HTTP/2 connection going away) and excludes an
// attempt that never got a connection (DNS, connection refused) or that
// failed before a byte was written. A transport that reports no writes (a
// test double, a replaying recorder) has each of its responses counted
// instead.
type countingTransport struct {
	wire, roundTrips *atomic.Int64
	next             http.RoundTripper
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.roundTrips.Add(1)
	rt := &roundTripCount{wire: t.wire}
	trace := &httptrace.ClientTrace{WroteRequest: rt.wrote}
	resp, err := t.next.RoundTrip(r.WithContext(httptrace.WithClientTrace(r.Context(), trace)))
	if err == nil {
		rt.answered()
	}
	return resp, err
}

// CloseIdleConnections passes the call on.
func (t *countingTransport) CloseIdleConnections() {
	if ci, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// roundTripCount counts the writes of one round trip. http.Transport may
// report a write after RoundTrip returned (when the server answered before
// the request was fully written), so a response counted for want of a
// reported write absorbs the first write reported later.
type roundTripCount struct {
	wire *atomic.Int64

	mu       sync.Mutex
	writes   int
	presumed bool // one request counted for a response without a reported write
}

func (c *roundTripCount) wrote(info httptrace.WroteRequestInfo) {
	if info.Err != nil {
		return // not fully written: the server did not get a request
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	if c.presumed {
		c.presumed = false
		return
	}
	c.wire.Add(1)
}

func (c *roundTripCount) answered() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writes == 0 && !c.presumed {
		c.presumed = true
		c.wire.Add(1)
	}
}
