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
	n := s.newNonce()
	if fresh, err := s.checkNonce(n); err != nil || !fresh {
		t.Errorf("own nonce: fresh=%v err=%v", fresh, err)
	}
	other := &Server{opts: s.opts, nonceKey: []byte("other")}
	if _, err := other.checkNonce(n); err == nil {
		t.Error("another server accepted the nonce")
	}
	now = now.Add(nonceLifetime + time.Second)
	if fresh, err := s.checkNonce(n); err != nil || fresh {
		t.Errorf("expired nonce: fresh=%v err=%v", fresh, err)
	}
	if _, err := s.checkNonce("zz"); err == nil {
		t.Error("accepted a non-hex nonce")
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
