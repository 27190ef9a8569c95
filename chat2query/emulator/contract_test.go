package emulator_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query/emulator"
)

// The contract fixtures shared with the client's contract test
// (chat2query/contract_test.go): one documented example per endpoint.
const contractDir = "../testdata/contract"

type contract struct {
	Endpoint string `json:"endpoint"`
	Section  string `json:"section"`
	Status   int    `json:"status"`
	JobOf    *struct {
		Endpoint string `json:"endpoint"`
		Request  any    `json:"request"`
	} `json:"job_of"`
	Request  any `json:"request"`
	Response any `json:"response"`
}

// contractOverrides replace fields of a documented request that the
// emulator cannot serve as documented: refineSql's example is about a
// "game" database, which the emulator's sample database lacks.
var contractOverrides = map[string]map[string]any{
	"v3_refine_sql_job": {"database": "sp500insight", "sql": "SELECT name FROM users ORDER BY name LIMIT 20;"},
}

// Where a documented example is looser than a rule of the comparison. Paths
// are the JSON path from the body, "." between keys, "[]" for an array's
// (first) element, "*" for any key of an object keyed by names.
var (
	// Objects keyed by names (tables, columns, task ids, result columns):
	// their keys are data, so each value is compared with the documented
	// example's value, whatever its key.
	namedKeys = map[string]bool{
		"result.result.relationships":    true, // §6.4, by table
		"result.result.tables":           true, // §6.4, by table
		"result.result.tables.*.columns": true, // §6.4, by column
		"result.result.task_tree":        true, // §11.3, by task id
		"data.rows[]":                    true, // §12, rows keyed by column name
	}
	// Objects that may carry keys the example lacks, as the reference says.
	extraKeys = map[string]bool{
		"result.result.task_tree.*": true, // §11.3: "Extra node keys observed"
	}
	// An object that may come as an array of such objects.
	objectOrArray = map[string]bool{
		"result.result.relationships.*": true, // §6.4: "Decode both (object or array)"
	}
)

// TestContractEmulator performs each documented request of testdata/contract
// against the emulator and checks that its response has the documented
// shape: every documented key, with the same JSON type, recursively.
func TestContractEmulator(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(contractDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no contract fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var fx contract
			if err := json.Unmarshal(raw, &fx); err != nil {
				t.Fatal(err)
			}
			// The response as decodeResponse decodes a reply, numbers as json.Number.
			doc := decodeDoc(t, string(mustJSON(t, fx.Response)))
			r := performContract(t, name, fx)
			want := fx.Status
			if want == 0 {
				want = http.StatusOK
			}
			if r.Status != want {
				t.Fatalf("%s: HTTP %d, want %d: %v", fx.Endpoint, r.Status, want, r.Body)
			}
			var errs []string
			conform("", doc, r.Body, &errs)
			if len(errs) > 0 {
				t.Errorf("%s (%s) differs from the reference's shape:\n  %s\ngot %v", fx.Endpoint, fx.Section, strings.Join(errs, "\n  "), r.Body)
			}
		})
	}
}

// performContract sends the fixture's request to a fresh emulator, with the
// prerequisites it needs, and returns the reply.
func performContract(t *testing.T, name string, fx contract) response {
	t.Helper()
	const latency = time.Second
	e := realEnv(t, latency)
	switch name {
	case "error_not_ready":
		// A new default summary is being generated.
		if r := e.call("POST", "/v3/dataSummaries", with("reuse", false, "default", true)); r.Status != 200 {
			t.Fatalf("create summary: %d %v", r.Status, r.Body)
		}
	case "error_gateway_401":
		return e.send(method(fx.Endpoint), e.base+path(fx.Endpoint), fx.Request, func(r *http.Request) { r.SetBasicAuth(testPub, "wrong") })
	case "error_gateway_429_rpm", "error_gateway_429_daily":
		lim := emulator.Limits{RateLimit: 1}
		if name == "error_gateway_429_daily" {
			lim = emulator.Limits{DailyQuota: 1}
		}
		e = newEnv(t, emulator.Options{DB: sampleDB(t), Limits: lim})
		if r := e.call(method(fx.Endpoint), path(fx.Endpoint), fx.Request); r.Status != 200 {
			t.Fatalf("first request: %d %v", r.Status, r.Body)
		}
	}
	if fx.JobOf == nil {
		return e.call(method(fx.Endpoint), e.fill(path(fx.Endpoint)), fx.Request)
	}
	req := fx.JobOf.Request
	if o := contractOverrides[name]; o != nil {
		m := map[string]any{}
		for k, v := range req.(map[string]any) {
			m[k] = v
		}
		for k, v := range o {
			m[k] = v
		}
		req = m
	}
	r := e.call(method(fx.JobOf.Endpoint), e.fill(path(fx.JobOf.Endpoint)), req)
	id, _ := r.result()["job_id"].(string)
	if r.Status != 200 || id == "" {
		t.Fatalf("%s: %d %v", fx.JobOf.Endpoint, r.Status, r.Body)
	}
	e.clock.Advance(latency)
	r = e.call(method(fx.Endpoint), strings.Replace(path(fx.Endpoint), "{job_id}", id, 1), nil)
	if st := r.result()["status"]; st != "done" {
		t.Fatalf("job of %s is %v, not done: %v", fx.JobOf.Endpoint, st, r.Body)
	}
	return r
}

// fill replaces a path's {session_id} by a new session's id.
func (e *env) fill(p string) string {
	if strings.Contains(p, "{session_id}") {
		p = strings.Replace(p, "{session_id}", e.newSession(), 1)
	}
	return p
}

func method(endpoint string) string { m, _, _ := strings.Cut(endpoint, " "); return m }
func path(endpoint string) string   { _, p, _ := strings.Cut(endpoint, " "); return p }

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// conform appends to errs how got differs from the shape of doc at path p:
// a documented key missing, a JSON type differing, or an undocumented key.
// Arrays are compared by their first elements (when both have one).
func conform(p string, doc, got any, errs *[]string) {
	at := p
	if at == "" {
		at = "(body)"
	}
	switch d := doc.(type) {
	case map[string]any:
		if objectOrArray[p] {
			if arr, ok := got.([]any); ok {
				if len(arr) > 0 {
					conform(p, doc, arr[0], errs)
				}
				return
			}
		}
		g, ok := got.(map[string]any)
		if !ok {
			*errs = append(*errs, at+": "+kind(got)+", documented "+kind(doc))
			return
		}
		if namedKeys[p] {
			if len(d) == 0 {
				return
			}
			keys := sortedKeys(d)
			for _, k := range sortedKeys(g) {
				conform(p+".*", d[keys[0]], g[k], errs)
			}
			return
		}
		for _, k := range sortedKeys(d) {
			gv, ok := g[k]
			if !ok {
				*errs = append(*errs, join(p, k)+": missing")
				continue
			}
			conform(join(p, k), d[k], gv, errs)
		}
		if !extraKeys[p] {
			for _, k := range sortedKeys(g) {
				if _, ok := d[k]; !ok {
					*errs = append(*errs, join(p, k)+": not in the reference")
				}
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*errs = append(*errs, at+": "+kind(got)+", documented "+kind(doc))
			return
		}
		if len(d) > 0 && len(g) > 0 {
			conform(p+"[]", d[0], g[0], errs)
		}
	default:
		if kind(doc) != kind(got) {
			*errs = append(*errs, at+": "+kind(got)+", documented "+kind(doc))
		}
	}
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

// kind is the JSON type of a decoded value.
func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "?"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
