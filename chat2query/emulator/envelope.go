package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/c2q/c2q/chat2query"
)

// gatewayEnvelope is the Data Service gateway body used for failures the
// gateway itself answers: auth, unknown endpoint, wrong method (§3.2).
type gatewayEnvelope struct {
	Type string      `json:"type"`
	Data gatewayData `json:"data"`
}

type gatewayData struct {
	Columns []any         `json:"columns"`
	Rows    []any         `json:"rows"`
	Result  gatewayResult `json:"result"`
}

// gatewayResult keeps start_ms/end_ms/latency as strings: they are "" in
// every documented error (§3.2, §12).
type gatewayResult struct {
	Code      int    `json:"code"`
	Message   string `json:"message"`
	StartMS   string `json:"start_ms"`
	EndMS     string `json:"end_ms"`
	Latency   string `json:"latency"`
	RowCount  int    `json:"row_count"`
	RowAffect int    `json:"row_affect"`
	Limit     int    `json:"limit"`
}

func writeGateway(w http.ResponseWriter, status int, message string) {
	writeGatewayCode(w, status, "", status, message)
}

// writeGatewayCode writes a gateway envelope whose type and code differ from
// the plain ones: the per-key rate limit's code 49900007, the daily AI
// quota's type "chat2data_endpoint" (§3.2).
func writeGatewayCode(w http.ResponseWriter, status int, typ string, code int, message string) {
	writeJSON(w, status, gatewayEnvelope{
		Type: typ,
		Data: gatewayData{
			Columns: []any{},
			Rows:    []any{},
			Result:  gatewayResult{Code: code, Message: message},
		},
	})
}

// writeResult writes a v2/v3 success envelope (§3.1).
func writeResult(w http.ResponseWriter, result any) {
	raw, err := marshal(result)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal error! "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, chat2query.Envelope{Code: http.StatusOK, Msg: "", Result: raw})
}

// writeError writes a v2/v3 error envelope; result is {} as in the one
// documented v3 error (§3.1).
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, chat2query.Envelope{Code: status, Msg: msg, Result: json.RawMessage("{}")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshal(v)
	if err != nil {
		// Only reachable through a programming error; keep the JSON contract.
		status = http.StatusInternalServerError
		body = []byte(`{"code":500,"msg":"internal error! cannot encode response","result":{}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// marshal encodes without HTML escaping so SQL such as "a > 1" stays readable
// to curl users.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
