// Package spec is the c2q configuration language: it finds, parses, decodes
// and validates the *.c2q.hcl files of a configuration and evaluates their
// expressions, reporting every problem it finds as an hcl.Diagnostic with a
// source range.
//
// The blocks are variable, locals, chat2query, verify, session (with
// question, expect and assert blocks inside) and output. What can be known without a
// request is evaluated by [Load]: variables (with their validations),
// locals, the chat2query block, for_each, and every argument of sessions
// and questions except the expressions that may depend on answers: a
// question's ask, its expect block and its asserts, and outputs. Those are
// kept as hcl.Expression values, checked at load for their references and
// evaluated with every answer unknown (which catches type errors and parses
// an expected SQL that does not depend on an answer), and evaluated for real
// by a [Scope] as answers arrive, and by [Config.EvalOutputs] after the run.
//
// References: var.NAME and local.NAME everywhere but in variable blocks
// (validations may refer to any variable); each.key and each.value in a
// session with for_each and its questions; question.LABEL.ATTR (an earlier
// question of the same session) in ask, expect and assert; self.ATTR (the
// current question's answer) in expect and assert; and
// session.LABEL.question.LABEL.ATTR, or session.LABEL["KEY"].question...
// for an instance of a session with for_each, in outputs. Answer attributes
// are sql, columns, rows, row_count, clarified_task, description, chart, job_id,
// status and duration (seconds).
//
// Values of sensitive variables carry a cty mark inside this package, so
// that everything derived from them is known to be sensitive; values given
// to callers are unmarked, and [Config.Sensitive] tells which expressions
// refer to sensitive values. Their text never appears in diagnostics.
//
// Inputs are capped (see the constants in limits.go and budget.go): the
// size of a file and of a configuration, how deep a file nests (checked on
// its tokens before HCL's recursive parser sees it), the length of an
// expected SQL statement, for_each instances, what one function call may
// return, and what one evaluation may produce in all (Load is one, and so
// is each evaluation after it). Past a cap, Load reports an error naming
// it. [WriteDiagnostics] and [JSONDiagnostics] show at most
// [MaxDiagnostics], with snippets cut and escaped, and the source of
// secrets (sensitive values, keys and passwords written in the files)
// shown as (sensitive value).
//
// The package never touches the network, never prints, never imports the
// runner and never reads the process environment: callers pass the environment in [LoadOptions] and
// render diagnostics with [WriteDiagnostics]. It reads the configuration
// files, variables files, and the files that file() and fileexists() name.
package spec
