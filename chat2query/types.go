package chat2query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Envelope is the v2/v3 response body: {"code":200,"msg":"","result":{...}}
// (chat2query-api.md §3.1).
type Envelope struct {
	Code   int             `json:"code"`
	Msg    string          `json:"msg"`
	Result json.RawMessage `json:"result"`
}

// Mode is a chat2data sql_generate_mode.
type Mode string

const (
	ModeDirect        Mode = "direct"
	ModeAutoBreakdown Mode = "auto_breakdown"
)

// Ack is the answer of an update, reset or delete whose response shape is
// undocumented (§6.3, §8.3, §9, §15.1). JobID is set when the result carries
// a job_id: the change then happens asynchronously, as the v2 data summary
// update did (§11.1), and can be waited for with WaitJob. Result is the whole
// result verbatim (it may be null or absent).
type Ack struct {
	JobID  string
	Result json.RawMessage
}

// newAck reads a job id out of an undocumented result, if there is one.
func newAck(raw json.RawMessage) *Ack {
	a := &Ack{Result: raw}
	var v struct {
		JobID String `json:"job_id"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) && json.Unmarshal(raw, &v) == nil {
		a.JobID = string(v.JobID)
	}
	return a
}

// Int64 is an integer that the service may send as a JSON number or a string.
// It is encoded as a number.
type Int64 int64

func (n *Int64) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int64(v)
		return nil
	}
	// Timestamps may come as 1.718785006e9 or with a fraction; an integer
	// never passes through this float path, so IDs stay exact.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < math.MinInt64 || f >= math.MaxInt64 {
		return fmt.Errorf("not an integer: %s", b)
	}
	*n = Int64(f)
	return nil
}

func (n Int64) String() string { return strconv.FormatInt(int64(n), 10) }

// String is a string that the service may send as a JSON number; numbers are
// kept digit for digit (a cluster_id is a uint64 and must never pass through float64).
type String string

func (s *String) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("not a string or number: %s", b)
	}
	*s = String(num)
	return nil
}

// Bool is a boolean that the service may send as true/false, as a string
// ("true", "YES", "1", ...) or as a number (0 is false). It is encoded as
// a JSON boolean.
type Bool bool

func (v *Bool) UnmarshalJSON(b []byte) error {
	s := strings.ToLower(string(bytes.Trim(b, `"`)))
	switch s {
	case "true", "yes", "y", "1":
		*v = true
	case "false", "no", "n", "0", "", "null":
		*v = false
	default:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			*v = f != 0
			return nil
		}
		return fmt.Errorf("not a boolean: %s", b)
	}
	return nil
}

// unmarshalNumbers decodes JSON keeping numbers in interface values as
// json.Number, so that a BIGINT or DECIMAL value survives digit for digit.
func unmarshalNumbers(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("invalid character after top-level value")
	}
	return nil
}

// decodeSQLError reads a sql_error, whose type is undocumented (§15.7):
// null and "" mean none; a string is the error; any other JSON value is
// kept as its JSON text.
func decodeSQLError(raw json.RawMessage) (*string, error) {
	switch raw := bytes.TrimSpace(raw); {
	case len(raw) == 0, string(raw) == "null", string(raw) == `""`:
		return nil, nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return &s, nil
	default:
		s := string(raw)
		return &s, nil
	}
}

// decodeList decodes a list whose shape is undocumented (§15.1): a bare
// JSON array; null or {} (no items); or an object holding the array under
// one of keys or, failing those, under its only array-valued field (other
// fields, such as a total or a page token, are ignored).
func decodeList[T any](raw json.RawMessage, keys ...string) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []T
	switch raw[0] {
	case '[':
		err := json.Unmarshal(raw, &items)
		return items, err
	case '{':
	default:
		return nil, errors.New("a list was expected")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	isArray := func(v json.RawMessage) bool {
		v = bytes.TrimSpace(v)
		return len(v) > 0 && v[0] == '['
	}
	field := ""
	for _, k := range keys {
		if v, ok := obj[k]; ok && (isArray(v) || string(bytes.TrimSpace(v)) == "null") {
			field = k
			break
		}
	}
	if field == "" {
		var arrays []string
		for k, v := range obj {
			if isArray(v) {
				arrays = append(arrays, k)
			}
		}
		switch {
		case len(arrays) == 1:
			field = arrays[0]
		case len(obj) == 0:
			return nil, nil
		default:
			return nil, fmt.Errorf("a list was expected, got an object with the fields %s", strings.Join(slices.Sorted(maps.Keys(obj)), ", "))
		}
	}
	err := json.Unmarshal(obj[field], &items)
	return items, err
}

// trimNull trims raw JSON, returning nil for an absent or null value.
func trimNull(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return nil
	}
	return raw
}
