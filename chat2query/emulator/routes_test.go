package emulator_test

import (
	"net/http"
	"testing"

	"github.com/c2q/c2q/chat2query/emulator"
)

// TestRoutes: what ServeMux would answer on its own (a redirect for a path
// that is not clean, a plain-text 404 or 405, GET's handler for HEAD) is
// answered as the service does, in the gateway envelope.
func TestRoutes(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	sid := e.newSession()
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/v3/sessions/" + sid, 200, ""},
		{"HEAD", "/v3/sessions/" + sid, 405, "GET, PUT"},
		{"DELETE", "/v3/sessions", 405, "POST, GET"},
		{"GET", "/v3//sessions", 404, ""},
		{"GET", "/v3/./sessions", 404, ""},
		{"GET", "/v3/sessions/" + sid + "/", 404, ""},
		{"GET", "/v3/sessions/a%2Fb", 404, ""}, // an escaped slash separates segments
		{"GET", "/v2/jobs/x/..", 404, ""},
		{"GET", "", 404, ""},
	} {
		req, err := http.NewRequest(tc.method, e.base+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(testPub, testPriv)
		res, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status || res.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d, Allow %q; want %d, Allow %q", tc.method, tc.path, res.StatusCode, res.Header.Get("Allow"), tc.status, tc.allow)
		}
		if tc.method != "HEAD" && res.StatusCode != 200 {
			r := e.send(tc.method, e.base+tc.path, nil, func(r *http.Request) { r.SetBasicAuth(testPub, testPriv) })
			data, _ := r.Body["data"].(map[string]any)
			if result, _ := data["result"].(map[string]any); result["message"] == nil {
				t.Errorf("%s %s: body %v, want the gateway envelope", tc.method, tc.path, r.Body)
			}
		}
	}
}
