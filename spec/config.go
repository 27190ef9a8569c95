package spec

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Config is one decoded configuration: all *.c2q.hcl files of a directory,
// or a single file. Like the hcl.File values it is built from, it is not
// modified after Load returns.
type Config struct {
	// Files holds every parsed file by filename, including files with syntax
	// errors, so that diagnostics can be rendered with source snippets.
	Files map[string]*hcl.File

	Variables  map[string]*Variable
	Chat2Query Chat2Query

	// Sessions are in file order (files sorted by name), then block order.
	Sessions []*Session
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

	// Value is the final value (default < C2Q_VAR_name < -var) converted to
	// Type. It is unknown when the value could not be determined; the
	// reason is then among Load's error diagnostics.
	Value cty.Value

	DeclRange hcl.Range
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

	// DeclRange is the chat2query block header; it is the zero hcl.Range
	// when the configuration has no chat2query block.
	DeclRange hcl.Range
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
	return fmt.Sprintf("chat2query{url: %q, public_key: %q, private_key: %q, timeout: %s}",
		c.URL, c.PublicKey, redact(c.PrivateKey), c.Timeout)
}

// GoString renders c with the private key redacted, for %#v.
func (c Chat2Query) GoString() string {
	return fmt.Sprintf("spec.Chat2Query{URL:%q, PublicKey:%q, PrivateKey:%q, Timeout:%d, DeclRange:%#v}",
		c.URL, c.PublicKey, redact(c.PrivateKey), int64(c.Timeout), c.DeclRange)
}

// MarshalJSON encodes c with the private key redacted, so that a Config
// dumped as JSON (or logged through a JSON handler) does not leak it.
func (c Chat2Query) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URL        string    `json:"url"`
		PublicKey  string    `json:"public_key"`
		PrivateKey string    `json:"private_key"`
		Timeout    string    `json:"timeout"`
		DeclRange  hcl.Range `json:"decl_range"`
	}{c.URL, c.PublicKey, redact(c.PrivateKey), c.Timeout.String(), c.DeclRange})
}

// Session is one Chat2Query conversation, declared by a session block.
type Session struct {
	// Label is the block label, unique in the configuration and a valid
	// identifier.
	Label string

	// Name is the session name sent to Chat2Query; it defaults to Label.
	Name      string
	ClusterID string
	Database  string

	// Questions are the turns of the conversation in block order; there is
	// at least one.
	Questions []*Question

	DeclRange hcl.Range
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

	// Ask is the natural-language question, with surrounding white space
	// removed (heredocs end with a newline).
	Ask      string
	AskRange hcl.Range

	// Mode is ModeDirect or ModeAutoBreakdown.
	Mode string

	// Timeout bounds the question's job; it defaults to Chat2Query.Timeout.
	Timeout time.Duration

	// Expect is nil when the question has no expect block.
	Expect *Expect

	DeclRange hcl.Range
}

// Expect holds the typed checks on a question's answer.
type Expect struct {
	// SQL is the expected SQL with surrounding white space removed, or ""
	// when the block has no sql argument. SQLRange is its expression.
	SQL      string
	SQLRange hcl.Range

	DeclRange hcl.Range
}
