package runner

// Status is the outcome of a check, a question or a session. Statuses merge
// by precedence, as terraform test's do: the worst outcome wins.
type Status int

const (
	Pending Status = iota
	Skip
	Pass
	Fail
	Error
)

var statusNames = [...]string{"pending", "skip", "pass", "fail", "error"}

func (s Status) String() string { return statusNames[s] }

// Merge returns the more severe of s and o.
func (s Status) Merge(o Status) Status { return max(s, o) }
