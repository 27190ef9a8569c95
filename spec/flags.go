package spec

import (
	"flag"
	"fmt"
	"strings"
)

// RegisterVarFlags defines -var and -var-file on fs; both append to args in
// command-line order, which is their precedence.
func RegisterVarFlags(fs *flag.FlagSet, args *[]VarArg) {
	fs.Var(varFlag{args: args}, "var", "set a variable, `name=value` (repeatable; overrides "+VarEnvPrefix+"name and *.auto.c2qvars)")
	fs.Var(varFlag{args: args, file: true}, "var-file", "read variables from a `file` of name = value lines (repeatable)")
}

type varFlag struct {
	args *[]VarArg
	file bool
}

func (v varFlag) String() string { return "" }

func (v varFlag) Set(s string) error {
	if name, _, ok := strings.Cut(s, "="); !v.file && (!ok || name == "") {
		return fmt.Errorf("want name=value, e.g. -var database=sp500insight")
	}
	*v.args = append(*v.args, VarArg{File: v.file, Value: s})
	return nil
}

// Register defines fmt's options on fs.
func (o *FormatOptions) Register(fs *flag.FlagSet) {
	fs.BoolVar(&o.List, "list", true, "list the files whose formatting changed (off with -)")
	fs.BoolVar(&o.Write, "write", true, "rewrite the files whose formatting changed (off with - and with -check)")
	fs.BoolVar(&o.Diff, "diff", false, "print the changes as unified diffs")
	fs.BoolVar(&o.Check, "check", false, "write nothing; exit 1 when a file is not formatted")
	fs.BoolVar(&o.Recursive, "recursive", false, "also format the files of subdirectories")
}
