// Package spec is the c2q configuration language: it finds, parses, decodes
// and validates the *.c2q.hcl files of a configuration and evaluates their
// expressions, reporting every problem it finds as an hcl.Diagnostic with a
// source range.
//
// The package never touches the network, never prints and never reads the
// process environment: callers pass the environment in [LoadOptions] and
// render diagnostics with [WriteDiagnostics].
package spec
