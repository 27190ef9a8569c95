package chat2query

import "fmt"

// DecodeError reports a response that could not be understood: not JSON,
// HTML from a proxy, truncated, or of an unexpected shape.
type DecodeError struct {
	What string // what was being decoded, e.g. "POST /v3/sessions response"
	Err  error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("cannot decode %s: %v", e.What, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }
