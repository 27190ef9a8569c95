package spec

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Config is one decoded configuration: all *.c2q.hcl files of a directory,
// or a single file. Like the hcl.File values it is built from, it is not
// modified after Load returns: answers live in a [Scope].
type Config struct {
	// Files holds every parsed file by filename, including files with syntax
	// errors and the variables files that were read, so that diagnostics can
	// be rendered with source snippets.
	Files map[string]*hcl.File

	// Dir is the configuration directory: the directory given to Load, or
	// the directory of the single file given. file() reads relative to it.
	Dir string

	Variables  map[string]*Variable
	Locals     map[string]*Local
	Chat2Query Chat2Query
	Verify     Verify

	// Sessions are the session instances in file order (files sorted by
	// name), then block order; a session block with for_each contributes one
	// instance per key, in key order.
	Sessions []*Session

	// Outputs are in file order, then block order.
	Outputs []*Output

	// What evaluation needs: the function table, the values of var and
	// local (with sensitive values marked), and the session blocks.
	funcs   map[string]function.Function // baseFuncs guarded with budget
	vars    cty.Value
	locals  cty.Value
	blocks  []*sessionBlock
	secrets []string // texts of sensitive values, blanked in diagnostics

	sourceSize int64 // the bytes of the files read, at most MaxConfigSize

	// baseFuncs is the function table; budget is the evaluation budget of
	// Load, nil after it: then every evaluation has its own.
	baseFuncs map[string]function.Function
	budget    *evalBudget

	// masks are the source ranges of secrets written in the files: the
	// values of sensitive variables, keys and passwords; no snippet shows
	// them.
	masks []hcl.Range
}

// Variable is an input variable declared by a variable block.
type Variable struct {
	Name        string
	Description string

	// Type is the declared type constraint, cty.DynamicPseudoType when the
	// block has no type argument.
	Type cty.Type

	// Default is the default converted to Type, or cty.NilVal when the block
	// has no default.
	Default cty.Value

	// Sensitive hides the value: it never appears in diagnostics, and an
	// output whose value derives from it must be sensitive too.
	Sensitive bool

	// Nullable is false when the block says nullable = false: a null value
	// then means the default, and is an error without one.
	Nullable bool

	// Validations are the validation blocks, checked at load.
	Validations []*Validation

	// Value is the final value (default < C2Q_VAR_name < *.auto.c2qvars
	// files < -var-file and -var options) converted to Type. It is unknown
	// when the value could not be determined; the reason is then among
	// Load's error diagnostics. It carries no sensitivity mark.
	Value cty.Value

	DeclRange hcl.Range
}

// Validation is a validation block of a variable.
type Validation struct {
	Condition    hcl.Expression
	ErrorMessage hcl.Expression
	DeclRange    hcl.Range
}

// Local is a named value of a locals block, evaluated at load.
type Local struct {
	Name string
	Expr hcl.Expression

	// Value is the evaluated value, without sensitivity marks; unknown when
	// it could not be evaluated (the reason is among Load's diagnostics).
	Value cty.Value

	DeclRange hcl.Range
}

// Output is an output block. Its value is evaluated after the run, by
// [Config.EvalOutputs].
type Output struct {
	Name        string
	Description string
	Sensitive   bool
	Expr        hcl.Expression
	DeclRange   hcl.Range
}

// OutputValue is the value of one output after a run. Value carries no
// sensitivity mark: show it redacted when Output.Sensitive is set. It is
// unknown (wholly or in part) when it depends on a question that was not
// answered.
type OutputValue struct {
	Output *Output
	Value  cty.Value
}

// Chat2Query holds the connection settings: the chat2query block merged over
// the C2Q_URL, C2Q_PUBLIC_KEY and C2Q_PRIVATE_KEY environment defaults.
//
// URL and the keys may be empty: plan and validate do not need them and
// -emulator supplies them, so it is the caller that checks them.
// String, GoString and MarshalJSON redact PrivateKey.
type Chat2Query struct {
	URL        string
	PublicKey  string
	PrivateKey string

	// Timeout is the default per-question timeout: the block's timeout
	// argument, or DefaultTimeout.
	Timeout time.Duration

	// Mode is the default question mode: the block's mode argument, or
	// ModeDirect.
	Mode string

	// DeclRange is the chat2query block header; it is the zero hcl.Range
	// when the configuration has no chat2query block.
	DeclRange hcl.Range
}

// Missing names the environment variables that would give what the
// chat2query block and the environment left empty: the endpoint URL and
// the keys apply needs.
func (c Chat2Query) Missing() []string {
	var missing []string
	for _, v := range []struct{ value, env string }{{c.URL, EnvURL}, {c.PublicKey, EnvPublicKey}, {c.PrivateKey, EnvPrivateKey}} {
		if v.value == "" {
			missing = append(missing, v.env)
		}
	}
	return missing
}

// DefaultTimeout is the per-question timeout when neither the question nor
// the chat2query block sets one.
const DefaultTimeout = 2 * time.Minute

// redacted replaces a secret in every rendering of a Chat2Query. An unset
// secret is shown as empty, since that reveals nothing and helps debugging.
const redacted = "(sensitive)"

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return redacted
}

// String renders c with the private key redacted, for %v, %+v and %s.
func (c Chat2Query) String() string {
	return fmt.Sprintf("chat2query{url: %q, public_key: %q, private_key: %q, timeout: %s, mode: %q}",
		c.URL, c.PublicKey, redact(c.PrivateKey), c.Timeout, c.Mode)
}

// GoString renders c with the private key redacted, for %#v.
func (c Chat2Query) GoString() string {
	return fmt.Sprintf("spec.Chat2Query{URL:%q, PublicKey:%q, PrivateKey:%q, Timeout:%d, Mode:%q, DeclRange:%#v}",
		c.URL, c.PublicKey, redact(c.PrivateKey), int64(c.Timeout), c.Mode, c.DeclRange)
}

// MarshalJSON encodes c with the private key redacted, so that a Config
// dumped as JSON (or logged through a JSON handler) does not leak it.
func (c Chat2Query) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URL        string    `json:"url"`
		PublicKey  string    `json:"public_key"`
		PrivateKey string    `json:"private_key"`
		Timeout    string    `json:"timeout"`
		Mode       string    `json:"mode"`
		DeclRange  hcl.Range `json:"decl_range"`
	}{c.URL, c.PublicKey, redact(c.PrivateKey), c.Timeout.String(), c.Mode, c.DeclRange})
}

// Session is one Chat2Query conversation: a session block, or one instance
// of a session block with for_each.
type Session struct {
	// Label is the block label, unique in the configuration and a valid
	// identifier. Instances of one block share it.
	Label string

	// Key is each.key of the instance (a string), or cty.NilVal for a
	// session block without for_each.
	Key cty.Value

	// Address names the instance in reports and outputs:
	// session.market_cap, or session.bird["q17"] with for_each.
	Address string

	// Name is the session name sent to Chat2Query; it defaults to Label, or
	// for an instance to its label and key, like bird["q17"].
	Name      string
	ClusterID string
	Database  string

	// Labels are strings for filtering, as given, without duplicates.
	Labels []string

	// Questions are the turns of the conversation in block order; there is
	// at least one.
	Questions []*Question

	DeclRange hcl.Range

	block *sessionBlock
	each  cty.Value // the each object, cty.NilVal without for_each

	sensitive []string // the arguments among name, cluster_id and database that derive from sensitive values
	secrets   []string // the texts of the configuration's sensitive values
}

// Sensitive reports whether the session argument arg ("name",
// "cluster_id" or "database") derives from a sensitive value: it is sent,
// but must be shown as (sensitive value).
func (s *Session) Sensitive(arg string) bool {
	return slices.Contains(s.sensitive, arg)
}

// Redact replaces the texts of the configuration's sensitive values in
// text with "(sensitive value)": for text that comes back from the service,
// which may repeat a sensitive ask or expected SQL.
func (s *Session) Redact(text string) string {
	if s == nil {
		return text
	}
	for _, secret := range s.secrets {
		text = strings.ReplaceAll(text, secret, sensitiveText)
	}
	return text
}

// Question modes, the values of a question's mode argument.
const (
	ModeDirect        = "direct"
	ModeAutoBreakdown = "auto_breakdown"
)

// Modes lists the valid question modes.
var Modes = []string{ModeDirect, ModeAutoBreakdown}

// Question is one turn of a session, declared by a question block.
type Question struct {
	// Label is the block label, unique within its session and a valid
	// identifier.
	Label string

	// Address names the question: session.bird["q17"].question.top5.
	Address string

	// Ask is the natural-language question. It is evaluated by
	// [Scope.AskText] or [Scope.Eval], since it may interpolate the
	// answers of earlier questions of the session. It never refers to self.
	Ask hcl.Expression

	// Mode is ModeDirect or ModeAutoBreakdown: the question's own mode, or
	// its session's, or the chat2query block's, or ModeDirect.
	Mode string

	// Timeout bounds the question's job: the question's own timeout, or its
	// session's, or Chat2Query.Timeout.
	Timeout time.Duration

	// Labels are the session's labels followed by the question's own,
	// without duplicates.
	Labels []string

	// Expect is nil when the question has no expect block.
	Expect *Expect

	// Asserts are the assert blocks, in order.
	Asserts []*Assert

	DeclRange hcl.Range

	session *Session
	index   int // in session.Questions
}

// Assert is a free condition on an answer, as in terraform test: when
// Condition is false the question fails with ErrorMessage.
type Assert struct {
	Condition    hcl.Expression
	ErrorMessage hcl.Expression
	DeclRange    hcl.Range
}

// Answer is what references to an answered question see: question.LABEL
// and self in expressions, session.LABEL.question.LABEL in outputs.
type Answer struct {
	SQL, ClarifiedTask, Description, JobID, Status string
	Chart                                          string // chart_options.chart_name, "" without a chart
	Columns                                        []string
	// Rows are the cells as decoded from JSON: string, json.Number, float64,
	// bool or nil.
	Rows     [][]any
	Duration time.Duration
}
