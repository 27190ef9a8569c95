package emulator

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func TestParseAuthParams(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		err  bool
	}{
		{`username="a", realm="tidb.cloud", nc=00000001, qop=auth`, map[string]string{"username": "a", "realm": "tidb.cloud", "nc": "00000001", "qop": "auth"}, false},
		{`Username="a b",URI="/x?y=1,2"`, map[string]string{"username": "a b", "uri": "/x?y=1,2"}, false},
		{`a="q\"uote\\d", , b=1`, map[string]string{"a": `q"uote\d`, "b": "1"}, false},
		{``, map[string]string{}, false},
		{`a = "spaced" ,b=2`, map[string]string{"a": "spaced", "b": "2"}, false},
		{`a="unterminated`, nil, true},
		{`a=1, a=2`, nil, true},
		{`novalue`, nil, true},
		{`a=1 b=2`, nil, true},
		{`="x"`, nil, true},
	} {
		got, err := parseAuthParams(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("%q: err = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if d := cmp.Diff(tc.want, got); !tc.err && d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, d)
		}
	}
}

func TestCell(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want any
	}{
		{nil, nil},
		{"x", "x"},
		{[]byte("b"), "b"},
		{true, "1"},
		{int8(-3), "-3"},
		{int64(9007199254740993), "9007199254740993"}, // beyond float64's exact range
		{uint64(18446744073709551615), "18446744073709551615"},
		{123.45, "123.45"},
		{float32(0.1), "0.1"},
		{2.5e12, "2500000000000"},
		{1e20, "1e+20"},
		{decimal.RequireFromString("1234.5600"), "1234.56"},
		{time.Date(2024, 6, 21, 5, 47, 55, 0, time.UTC), "2024-06-21 05:47:55"},
		{time.Date(2024, 6, 21, 5, 47, 55, 500000000, time.UTC), "2024-06-21 05:47:55.5"},
		{struct{ A int }{1}, "{1}"},
	} {
		if got := cell(tc.in); got != tc.want {
			t.Errorf("cell(%#v) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestNonce(t *testing.T) {
	now := time.Unix(1718948875, 0)
	s := &Server{opts: Options{Now: func() time.Time { return now }}, nonceKey: []byte("k")}
	n1, n2 := s.newNonce(), s.newNonce()
	if n1 == n2 {
		t.Fatal("two nonces are equal")
	}
	for i, n := range []string{n1, n2} {
		if serial, fresh, err := s.checkNonce(n); err != nil || !fresh || serial != uint64(i+1) {
			t.Errorf("own nonce %d: serial=%d fresh=%v err=%v", i+1, serial, fresh, err)
		}
	}
	other := &Server{opts: s.opts, nonceKey: []byte("other")}
	if _, _, err := other.checkNonce(n1); err == nil {
		t.Error("another server accepted the nonce")
	}
	now = now.Add(nonceLifetime + time.Second)
	if _, fresh, err := s.checkNonce(n1); err != nil || fresh {
		t.Errorf("expired nonce: fresh=%v err=%v", fresh, err)
	}
	if _, _, err := s.checkNonce("zz"); err == nil {
		t.Error("accepted a non-hex nonce")
	}
}

// TestNonceTable checks the nonce counts: each nc once, out of order
// within the window, and the table's bounds.
func TestNonceTable(t *testing.T) {
	t0 := time.Unix(1718948875, 0)
	tab := newNonceTable(3)
	use := func(nonce string, serial, nc uint64, at time.Duration) error {
		return tab.use(nonce, serial, nc, t0.Add(at))
	}
	for _, tc := range []struct {
		nc   uint64
		want error
	}{
		{1, nil}, {2, nil}, {2, errReplay}, {1, errReplay}, {5, nil}, {4, nil}, {3, nil}, {4, errReplay},
		{5 + ncWindow, nil}, {5, errStaleNonce}, {6, nil}, {6, errReplay}, {6 + ncWindow, nil}, {6, errStaleNonce}, {7, nil}, {7, errReplay},
		{1000, nil}, {999, nil}, {1000, errReplay},
	} {
		if err := use("a", 1, tc.nc, 0); err != tc.want {
			t.Errorf("nc %d: %v, want %v", tc.nc, err, tc.want)
		}
	}
	if err := use("a", 1, 0, 0); err == nil {
		t.Error("nc 0 accepted")
	}
	// The cap forgets the nonce first used longest ago; using it again is
	// stale (its counts are gone), and so is any older nonce never seen.
	for i, n := range []string{"b", "c", "d"} {
		if err := use(n, uint64(i+2), 1, time.Second); err != nil {
			t.Fatal(err)
		}
		if tab.len() > 3 {
			t.Fatalf("%d nonces, cap 3", tab.len())
		}
	}
	if _, ok := tab.m["a"]; ok {
		t.Error("the oldest nonce was kept beyond the cap")
	}
	if err := use("a", 1, 2000, time.Second); err != errStaleNonce {
		t.Errorf("forgotten nonce: %v, want stale", err)
	}
	if err := use("e", 5, 1, time.Second); err != nil {
		t.Errorf("a newer nonce: %v", err)
	}
	// Entries go once their nonce's lifetime has passed since first use.
	if err := use("f", 6, 1, nonceLifetime+2*time.Second); err != nil {
		t.Fatal(err)
	}
	if tab.len() != 1 {
		t.Errorf("%d nonces after the lifetime, want 1: %v", tab.len(), tab.m)
	}
	if tab.forgotten != 5 {
		t.Errorf("forgotten = %d, want 5", tab.forgotten)
	}
}

// TestFrontLatePanic: a handler that panics after its response began
// cannot be answered with a 500 any more; front drops the connection
// (http.ErrAbortHandler) so that the client sees a broken response.
func TestFrontLatePanic(t *testing.T) {
	s := &Server{opts: Options{Now: time.Now}, faults: &faulter{script: map[int64]FaultKind{}, log: io.Discard}}
	rec := httptest.NewRecorder()
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
		if rec.Code != 200 || rec.Body.String() != "partial" {
			t.Errorf("response %d %q: want the begun one untouched", rec.Code, rec.Body.String())
		}
	}()
	s.front(rec, httptest.NewRequest("GET", "/x", nil), func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "partial")
		panic("late")
	})
}
