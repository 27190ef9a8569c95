package spec

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// EnvVerifyDSN defaults the verify block's dsn.
const EnvVerifyDSN = "C2Q_VERIFY_DSN"

// Verify says where match = "result" runs expected SQL: the verify block
// merged over C2Q_VERIFY_DSN. DSN may be empty: -emulator supplies its own
// engine, so it is the caller that checks it. String redacts DSN, which
// holds a password.
type Verify struct {
	DSN       string        // a go-sql-driver/mysql DSN, like "user:pass@tcp(host:4000)/?tls=true"
	Timeout   time.Duration // per query; 0 for the default, 30s
	MaxRows   int           // a result with more rows is an error; 0 for the default, 10,000
	DeclRange hcl.Range     // zero without a verify block
}

func (v Verify) String() string {
	return fmt.Sprintf("verify{dsn: %q, timeout: %s, max_rows: %d}", redact(v.DSN), v.Timeout, v.MaxRows)
}

// GoString renders v with the DSN redacted, for %#v.
func (v Verify) GoString() string { return "spec." + v.String() }

var verifySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "dsn"},
		{Name: "timeout"},
		{Name: "max_rows"},
	},
}

// decodeVerify merges block, which may be nil, over the environment.
func (l *loader) decodeVerify(block *hcl.Block, getenv func(string) (string, bool)) (Verify, hcl.Diagnostics) {
	var v Verify
	v.DSN, _ = getenv(EnvVerifyDSN)
	if block == nil {
		return v, nil
	}
	v.DeclRange = block.DefRange
	content, diags := bodyContent(block.Body, verifySchema)
	diags = append(diags, l.checkContent(l.rules("The verify block"), content)...)
	s := &evalScope{ctx: l.cfg.evalContext(cty.NilVal), bad: l.bad}
	dsn, attr, ok, moreDiags := s.textArg(content, "dsn", false)
	diags = append(diags, withoutValues(moreDiags)...)
	if ok {
		v.DSN = dsn
		if lit, isLit := constString(attr.Expr); isLit && hasPassword(lit) {
			l.cfg.masks = append(l.cfg.masks, attr.Expr.Range())
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Credentials in a configuration file",
				Detail:   fmt.Sprintf("The dsn holds a password written in the configuration, where anyone who can read the file, or its history in version control, can see it. Leave dsn out and set the environment variable %s instead, or pass it in a sensitive variable.", EnvVerifyDSN),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	if d, ok, moreDiags := s.durationArg(content, "timeout"); ok {
		v.Timeout = d
	} else {
		diags = append(diags, moreDiags...)
	}
	if attr, ok := content.Attributes["max_rows"]; ok {
		val, moreDiags := s.value(attr, cty.Number)
		diags = append(diags, moreDiags...)
		if val = unmark(val); val.IsKnown() && !val.IsNull() {
			n, err := WholeNumber(val)
			if err == nil && n == 0 {
				err = fmt.Errorf("must be at least 1")
			}
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid max_rows",
					Detail:   fmt.Sprintf("max_rows %s.", err),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				v.MaxRows = int(min(n, 1<<31-1))
			}
		}
	}
	return v, diags
}

// hasPassword reports whether a go-sql-driver DSN has a password: a colon
// in the user info before the last "@".
func hasPassword(dsn string) bool {
	for i := len(dsn) - 1; i >= 0; i-- {
		if dsn[i] == '@' {
			for j := 0; j < i; j++ {
				if dsn[j] == ':' {
					return j+1 < i
				}
			}
			return false
		}
	}
	return false
}
