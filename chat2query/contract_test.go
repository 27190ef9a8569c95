package chat2query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contractDir holds the contract fixtures shared with the emulator's
// contract test: one documented example per endpoint of chat2query-api.md.
const contractDir = "testdata/contract"

// contract is one fixture: a documented request and response. A job fixture
// (endpoint GET /v2/jobs/{job_id}) names in JobOf the request that started
// the job, whose kind decides how its result decodes. Status is the HTTP
// status of the response; 0 means 200.
type contract struct {
	Endpoint string          `json:"endpoint"`
	Section  string          `json:"section"`
	Status   int             `json:"status"`
	JobOf    *contractCall   `json:"job_of"`
	Request  json.RawMessage `json:"request"`
	Response json.RawMessage `json:"response"`
}

type contractCall struct {
	Endpoint string          `json:"endpoint"`
	Request  json.RawMessage `json:"request"`
}

// loadContract reads testdata/contract/<name>.json; it panics on a bad file
// since package-level fixtures are initialized with it.
func loadContract(name string) contract {
	data, err := os.ReadFile(filepath.Join(contractDir, name+".json"))
	if err != nil {
		panic(err)
	}
	var c contract
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		panic(name + ".json: " + err.Error())
	}
	return c
}

// jobResult returns the result.result of a job fixture's response, verbatim.
func (c contract) jobResult() string {
	var env struct {
		Result struct {
			Result json.RawMessage `json:"result"`
		} `json:"result"`
	}
	if err := json.Unmarshal(c.Response, &env); err != nil {
		panic(err)
	}
	return string(env.Result.Result)
}

// requestFor returns a pointer to the client's request type for a POST
// endpoint, nil for an endpoint without a body.
func requestFor(endpoint string) any {
	switch endpoint {
	case "POST /v3/sessions":
		return &CreateSessionRequest{}
	case "POST /v3/sessions/{session_id}/chat2data":
		return &SessionChat2DataRequest{}
	case "POST /v3/chat2data":
		return &Chat2DataRequest{}
	case "POST /v3/dataSummaries":
		return &CreateDataSummaryRequest{}
	case "POST /v3/knowledgeBases":
		return &CreateKnowledgeBaseRequest{}
	case "POST /v3/refineSql":
		return &RefineSQLRequest{}
	case "POST /v3/suggestQuestions":
		return &SuggestQuestionsRequest{}
	case "POST /v2/dataSummaries":
		return &CreateDataSummaryV2Request{}
	case "POST /v2/chat2data":
		return &Chat2DataV2Request{}
	case "POST /v1/chat2data":
		return &Chat2DataV1Request{}
	}
	return nil
}

// decodeRequest decodes a documented request into the client's type for
// its endpoint: every documented field must be one the client knows.
func decodeRequest(t *testing.T, endpoint string, raw json.RawMessage) any {
	t.Helper()
	req := requestFor(endpoint)
	if req == nil {
		if len(raw) > 0 && string(raw) != "null" {
			t.Fatalf("%s: a request body for an endpoint without one", endpoint)
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		t.Fatalf("%s: the documented request does not decode into %T: %v", endpoint, req, err)
	}
	return req
}

// TestContractClient: every documented response of testdata/contract
// decodes with the client's method for its endpoint (or becomes the typed
// error of its status), and the client sends no field the documented
// request lacks.
func TestContractClient(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(contractDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no contract fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			fx := loadContract(name)
			c, f := setup(t)
			ctx := context.Background()
			status := fx.Status
			if status == 0 {
				status = http.StatusOK
			}
			f.mux.HandleFunc(fx.Endpoint, func(w http.ResponseWriter, r *http.Request) {
				checkSentFields(t, r.Body, fx.Request)
				reply(w, status, string(fx.Response))
			})
			got, err := callContract(ctx, t, c, fx)
			if fx.Status >= 300 {
				checkContractError(t, fx, err)
				return
			}
			if err != nil || got == nil {
				t.Fatalf("%s (%s): %v", fx.Endpoint, fx.Section, err)
			}
		})
	}
}

// callContract calls the client's method for the fixture's endpoint and,
// for a job, decodes its result with the method for the job's kind.
func callContract(ctx context.Context, t *testing.T, c *Client, fx contract) (any, error) {
	t.Helper()
	req := decodeRequest(t, fx.Endpoint, fx.Request)
	switch fx.Endpoint {
	case "POST /v3/sessions":
		return c.CreateSession(ctx, *req.(*CreateSessionRequest))
	case "POST /v3/sessions/{session_id}/chat2data":
		return c.SessionChat2Data(ctx, 305685, *req.(*SessionChat2DataRequest))
	case "POST /v3/chat2data":
		return c.Chat2Data(ctx, *req.(*Chat2DataRequest))
	case "POST /v3/dataSummaries":
		return c.CreateDataSummary(ctx, *req.(*CreateDataSummaryRequest))
	case "POST /v3/knowledgeBases":
		return c.CreateKnowledgeBase(ctx, *req.(*CreateKnowledgeBaseRequest))
	case "POST /v2/dataSummaries":
		return c.CreateDataSummaryV2(ctx, *req.(*CreateDataSummaryV2Request))
	case "POST /v1/chat2data":
		return c.Chat2DataV1(ctx, *req.(*Chat2DataV1Request))
	case "GET /v2/jobs/{job_id}":
		if fx.JobOf == nil {
			t.Fatal("a job fixture without job_of")
		}
		decodeRequest(t, fx.JobOf.Endpoint, fx.JobOf.Request)
		var ref JobRef
		if err := json.Unmarshal(fx.Response, &struct{ Result *JobRef }{&ref}); err != nil || ref.JobID == "" {
			t.Fatalf("no job_id in the response: %v", err)
		}
		j, err := c.GetJob(ctx, ref.JobID)
		if err != nil {
			return nil, err
		}
		switch fx.JobOf.Endpoint {
		case "POST /v3/chat2data", "POST /v3/sessions/{session_id}/chat2data":
			return j.Answer()
		case "POST /v3/dataSummaries":
			return j.DataSummary()
		case "POST /v3/refineSql":
			return j.RefinedSQL()
		case "POST /v3/suggestQuestions":
			return j.SuggestedQuestions()
		case "POST /v2/dataSummaries":
			return j.DataSummaryV2()
		case "POST /v2/chat2data":
			return j.Chat2DataV2()
		}
		t.Fatalf("no decoder for a job of %s", fx.JobOf.Endpoint)
	}
	t.Fatalf("no client method for %s", fx.Endpoint)
	return nil, nil
}

// checkContractError checks that an error envelope became the typed error of
// its status.
func checkContractError(t *testing.T, fx contract, err error) {
	t.Helper()
	var ok bool
	switch fx.Status {
	case http.StatusBadRequest:
		var e *NotReadyError
		ok = errors.As(err, &e)
	case http.StatusUnauthorized:
		var e *AuthError
		ok = errors.As(err, &e)
	case http.StatusTooManyRequests:
		var e *RateLimitError
		var gw struct {
			Data struct{ Result struct{ Code int } }
		}
		json.Unmarshal(fx.Response, &gw)
		// The daily quota answers code 429; the per-key limit 49900007.
		ok = errors.As(err, &e) && e.Daily == (gw.Data.Result.Code == http.StatusTooManyRequests)
	default:
		t.Fatalf("no typed error known for HTTP %d", fx.Status)
	}
	if !ok {
		t.Errorf("HTTP %d %s: err = %#v (%v), not the typed error of the status", fx.Status, fx.Response, err, err)
	}
}

// checkSentFields fails the test if the client sent a field that the
// documented request does not have.
func checkSentFields(t *testing.T, body io.Reader, doc json.RawMessage) {
	t.Helper()
	raw, _ := io.ReadAll(body)
	if len(bytes.TrimSpace(raw)) == 0 {
		return
	}
	var sent, want map[string]any
	if err := json.Unmarshal(raw, &sent); err != nil {
		t.Errorf("request body %s: %v", raw, err)
		return
	}
	json.Unmarshal(doc, &want)
	for k := range sent {
		if _, ok := want[k]; !ok {
			t.Errorf("the client sent %q, which the documented request %s lacks", k, doc)
		}
	}
}
