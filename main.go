// Command c2q runs declarative Chat2Query conversations: it validates and
// plans HCL files offline, runs their questions in order in Chat2Query
// sessions, and reports each answer's verdict, Terraform-like. main only
// wires: flags, calls into the packages that own the work, exit codes and
// signals.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/runner/report"
	"github.com/c2q/c2q/runner/verify"
	"github.com/c2q/c2q/spec"
	"github.com/c2q/c2q/spec/didyoumean"
	"github.com/c2q/c2q/spec/plural"
	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/fatih/color"
	"github.com/hashicorp/hcl/v2"
	"github.com/sirupsen/logrus"
)

// Exit codes, documented in the README.
const (
	exitOK          = 0   // everything passed
	exitFailed      = 1   // at least one question failed its checks
	exitUsage       = 2   // bad command line or configuration
	exitRuntime     = 3   // API or runtime error
	exitInterrupted = 130 // still running a second after Ctrl-C, or a second Ctrl-C: 128+SIGINT
)

// interruptGrace is how long a command has to stop after the first Ctrl-C.
const interruptGrace = time.Second

// serviceWait is how apply polls a service other than -emulator's: the zero
// value is the client's policy for the real service. Tests that stand a
// local emulator in for the service poll at once instead.
var serviceWait chat2query.WaitOptions

func main() { os.Exit(mainSignals(os.Args[1:])) }

// mainSignals runs a command with Ctrl-C and SIGTERM wired to its context.
func mainSignals(args []string) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return interruptible(sigs, time.After, os.Stderr, func(ctx context.Context) int {
		return run(ctx, args, os.Stdout, os.Stderr)
	})
}

// interruptible runs cmd until it returns. The first signal cancels cmd's
// context, as Terraform does; a command that has not returned interruptGrace
// later, or a second signal, ends the run at once with exitInterrupted, so
// that no command (not one reading stdin or parsing a large file) outlives
// Ctrl-C by more than a second.
func interruptible(sigs <-chan os.Signal, after func(time.Duration) <-chan time.Time, stderr io.Writer, cmd func(context.Context) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- cmd(ctx) }()
	var deadline <-chan time.Time // nil until the first signal
	for {
		select {
		case code := <-done:
			return code
		case <-sigs:
			if deadline != nil {
				fmt.Fprintln(stderr, "\nc2q: two interrupts received: exiting at once.")
				return exitInterrupted
			}
			fmt.Fprintln(stderr, "\nc2q: interrupt received: stopping (press Ctrl-C again to exit at once).")
			cancel()
			deadline = after(interruptGrace)
		case <-deadline:
			fmt.Fprintf(stderr, "c2q: still running %v after the interrupt: exiting.\n", interruptGrace)
			return exitInterrupted
		}
	}
}

// A command defines its flags on fs and returns what runs once they are
// parsed, with the positional arguments.
type command struct {
	name, args, summary string
	define              func(c *cli, fs *flag.FlagSet) func(ctx context.Context, args []string) int
}

var commands = []command{
	{"validate", "[options] [DIR|FILE]", "Check the configuration offline", (*cli).validate},
	{"fmt", "[options] [DIR|FILE|-]...", "Rewrite configuration files in the canonical style", (*cli).fmt},
	{"plan", "[options] [DIR|FILE]", "Show the questions apply would ask, offline", (*cli).plan},
	{"apply", "[options] [DIR|FILE]", "Ask the questions and check the answers", (*cli).apply},
	{"sql", "canonical|fingerprint|explain|compare [options] [SQL|-]...", "Show how c2q reads SQL: canonical form, fingerprint, structure, comparison", (*cli).sql},
	{"serve", "[options]", "Run the Chat2Query emulator on a local address", (*cli).serve},
	{"version", "", "Print the version of c2q", (*cli).version},
}

// cli carries what every command reads from and writes to.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	name           string // what messages start with: "c2q plan", "c2q sql compare"
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdin: os.Stdin, stdout: stdout, stderr: stderr, name: "c2q"}
	return c.dispatch(ctx, commands, args, func(w io.Writer) {
		fmt.Fprintf(w, "Usage: c2q COMMAND [options] [DIR|FILE]\n\nc2q runs declarative Chat2Query conversations written in HCL (*.c2q.hcl).\n\nCommands:\n")
		for _, cmd := range commands {
			fmt.Fprintf(w, "  %-9s %s\n", cmd.name, cmd.summary)
		}
		fmt.Fprintf(w, "\nRun 'c2q COMMAND -h' for a command's options.\n"+
			"Exit codes: 0 success, 1 a question failed its checks, 2 usage or configuration error, 3 API or runtime error, 130 interrupted.\n")
	})
}

// dispatch runs the command of cmds that args[0] names. Without one it
// prints usage on stdout, exiting 0 for -h and 2 for nothing; an unknown
// name is an error that suggests the closest.
func (c *cli) dispatch(ctx context.Context, cmds []command, args []string, usage func(io.Writer)) int {
	var names []string
	for _, cmd := range cmds {
		if len(args) > 0 && args[0] == cmd.name {
			cmd.name = strings.TrimPrefix(c.name+" "+cmd.name, "c2q ")
			return c.runCommand(ctx, cmd, args[1:])
		}
		names = append(names, cmd.name)
	}
	if len(args) > 0 && !slices.Contains([]string{"-h", "-help", "--help", "help"}, args[0]) {
		return c.errorf(exitUsage, "unknown command %q%s\nRun '%s -h' for the list of commands.", args[0], didYouMean(args[0], names), c.name)
	}
	usage(c.stdout)
	return okOr(len(args) > 0, exitUsage)
}

// runCommand parses cmd's flags, whose errors and help go to stderr, and
// runs it.
func (c *cli) runCommand(ctx context.Context, cmd command, args []string) int {
	c.name = "c2q " + cmd.name
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	body := cmd.define(c, fs)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: c2q %s %s\n\n%s.\n", cmd.name, cmd.args, cmd.summary)
		if cmd.name != "version" {
			fmt.Fprintf(c.stderr, "\nOptions:\n")
			fs.PrintDefaults()
		}
	}
	if cmd.name == "sql" { // its subcommands have flags of their own
		return body(ctx, args)
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return exitOK
	} else if err != nil {
		return exitUsage
	}
	return body(ctx, fs.Args())
}

// didYouMean suggests the closest of names to s, as Terraform does.
func didYouMean(s string, names []string) string {
	if n := didyoumean.NameSuggestion(s, names); n != "" {
		return fmt.Sprintf("; did you mean %q?", n)
	}
	return ""
}

// okOr is exitOK when ok, else code.
func okOr(ok bool, code int) int {
	if ok {
		return exitOK
	}
	return code
}

// errorf prints a message after the command's name and returns code.
func (c *cli) errorf(code int, format string, a ...any) int {
	fmt.Fprintf(c.stderr, c.name+": "+format+"\n", a...)
	return code
}

// configFlags are the options of every command that reads a configuration.
type configFlags struct {
	vars    []spec.VarArg
	noColor bool
}

func (f *configFlags) register(fs *flag.FlagSet) {
	spec.RegisterVarFlags(fs, &f.vars)
	fs.BoolVar(&f.noColor, "no-color", false, "disable colour (also NO_COLOR, or when output is not a terminal)")
}

func (f *configFlags) color() bool { return !f.noColor && !color.NoColor }

// load compiles the configuration that args name (one DIR or FILE, default
// ".") into a plan and prints its diagnostics; the plan is nil, with the
// exit code, when there were errors.
func (c *cli) load(args []string, f *configFlags) (*runner.Plan, int) {
	if len(args) > 1 || len(args) == 1 && strings.HasPrefix(args[0], "-") {
		return nil, c.errorf(exitUsage, "expected at most one DIR or FILE and options before it, got %q", args)
	}
	plan, files, diags := runner.Load(cmp.Or(strings.Join(args, ""), "."), spec.LoadOptions{VarArgs: f.vars, Getenv: os.LookupEnv})
	spec.WriteDiagnostics(c.stderr, diags, files, 100, f.color())
	return plan, exitUsage
}

func (c *cli) fmt(fs *flag.FlagSet) func(context.Context, []string) int {
	opts := spec.FormatOptions{Files: map[string]*hcl.File{}}
	opts.Register(fs)
	var f configFlags
	fs.BoolVar(&f.noColor, "no-color", false, "disable colour (also NO_COLOR, or when output is not a terminal)")
	return func(_ context.Context, paths []string) int {
		if i := slices.IndexFunc(paths, func(p string) bool { return p != "-" && strings.HasPrefix(p, "-") }); i >= 0 {
			return c.errorf(exitUsage, "options go before the files and directories, got %q", paths[i])
		}
		changed, diags, err := spec.FormatPaths(paths, opts, c.stdin, c.stdout)
		spec.WriteDiagnostics(c.stderr, diags, opts.Files, 100, f.color())
		switch {
		case err != nil:
			return c.errorf(exitRuntime, "%v", err)
		case diags.HasErrors():
			return exitUsage
		case opts.Check && len(changed) > 0:
			return exitFailed
		}
		return exitOK
	}
}

func (c *cli) validate(fs *flag.FlagSet) func(context.Context, []string) int {
	var f configFlags
	f.register(fs)
	jsonOut := fs.Bool("json", false, "print the result as JSON, in the shape of terraform validate -json")
	return func(_ context.Context, args []string) int {
		if *jsonOut { // the diagnostics go to stdout, as JSON
			plan, files, diags := runner.Load(cmp.Or(strings.Join(args, ""), "."), spec.LoadOptions{VarArgs: f.vars, Getenv: os.LookupEnv})
			out, _ := json.MarshalIndent(spec.JSONDiagnostics(diags, files), "", "  ")
			fmt.Fprintf(c.stdout, "%s\n", out)
			return okOr(plan != nil, exitUsage)
		}
		plan, code := c.load(args, &f)
		if plan == nil {
			return code
		}
		fmt.Fprintf(c.stdout, "The configuration is valid: %s, %s.\n", plural.Count(len(plan.Sessions), "session"), plural.Count(plan.Questions(), "question"))
		return exitOK
	}
}

// target is what plan and apply run against: the configuration's endpoint,
// or the embedded emulator with the user's answer book and data.
type target struct {
	config   configFlags
	emulator bool
	inputs   emulator.Options
}

func (t *target) register(fs *flag.FlagSet, emulatorUsage string) {
	t.config.register(fs)
	fs.BoolVar(&t.emulator, "emulator", false, emulatorUsage)
	emulator.RegisterInputFlags(fs, "with -emulator: ", &t.inputs)
}

// load is cli.load that refuses -answers and -data without -emulator.
func (t *target) load(c *cli, args []string) (*runner.Plan, int) {
	if !t.emulator && (t.inputs.AnswersFile != "" || t.inputs.DataFile != "") {
		return nil, c.errorf(exitUsage, "-answers and -data configure the emulator: add -emulator")
	}
	return c.load(args, &t.config)
}

func (c *cli) plan(fs *flag.FlagSet) func(context.Context, []string) int {
	var t target
	t.register(fs, "plan for the embedded emulator (no credentials needed)")
	return func(ctx context.Context, args []string) int {
		plan, code := t.load(c, args)
		if plan == nil {
			return code
		}
		if t.emulator { // offline, but the files are read now so that apply cannot fail on them
			if err := emulator.CheckInputs(ctx, t.inputs); err != nil {
				return c.emulatorError(err)
			}
		}
		report.NewHuman(c.stdout, t.config.color()).Plan(plan)
		missing := plan.Config.Chat2Query.Missing()
		if plan.NeedsVerify() && plan.Config.Verify.DSN == "" {
			missing = append(missing, spec.EnvVerifyDSN)
		}
		if t.emulator {
			fmt.Fprintf(c.stdout, "Target: the embedded Chat2Query emulator (apply -emulator)%s.\n", t.inputs.InputsPhrase())
		} else if len(missing) > 0 {
			fmt.Fprintf(c.stdout, "Note: apply will need %s (or -emulator).\n", strings.Join(missing, ", "))
		}
		return exitOK
	}
}

func (c *cli) apply(fs *flag.FlagSet) func(context.Context, []string) int {
	var t target
	t.register(fs, "run against the embedded Chat2Query emulator, in process")
	latency := fs.Duration("emulator-latency", 100*time.Millisecond, "with -emulator: how long each emulated job takes")
	verbose := fs.Bool("verbose", false, "also show the checks that passed, each with why")
	return func(ctx context.Context, args []string) int {
		plan, code := t.load(c, args)
		if plan == nil {
			return code
		}
		vcfg, cq, opts := plan.Config.Verify, plan.Config.Chat2Query, runner.Options{Wait: serviceWait}
		vopts := verify.Options{Timeout: vcfg.Timeout, MaxRows: vcfg.MaxRows}.OrDefaults()
		if t.emulator {
			t.inputs.Latency, t.inputs.Limits = *latency, emulator.ServiceLimits()
			emu, err := emulator.Start(ctx, "127.0.0.1:0", t.inputs)
			if err != nil {
				return c.emulatorError(err)
			}
			defer emu.Close()
			cq.URL, cq.PublicKey, cq.PrivateKey = emu.URL, emu.PublicKey, emu.PrivateKey
			opts.Verify, opts.Wait = verify.Engine(emulator.RowsOf(emu.DB()), vopts), emu.WaitOptions()
		} else if missing := cq.Missing(); len(missing) > 0 {
			return c.errorf(exitUsage, "no Chat2Query endpoint: set %s, or set them in the chat2query block, or run against the emulator with -emulator", strings.Join(missing, ", "))
		} else if plan.NeedsVerify() {
			db, code := c.openVerify(ctx, vcfg.DSN, vopts, true)
			if db == nil {
				return code
			}
			defer db.Close()
			opts.Verify = db
		}
		client, err := chat2query.New(cq.URL, cq.PublicKey, cq.PrivateKey, chat2query.WithUserAgent("c2q/"+chat2query.Version()))
		if err != nil {
			return c.errorf(exitUsage, "%v", err)
		}
		view := report.NewHuman(c.stdout, t.config.color())
		view.Verbose = *verbose
		opts.Client, opts.Observer = client, view
		res := runner.Apply(ctx, plan, opts)
		view.Summary(res)
		if !t.emulator {
			report.EndpointHint(c.stderr, res)
		}
		switch {
		case res.Status() == runner.Error:
			return exitRuntime
		case res.Status() == runner.Fail:
			return exitFailed
		case ctx.Err() != nil, res.OutputDiags.HasErrors():
			return exitRuntime
		}
		return exitOK
	}
}

// openVerify opens the database that match = "result" runs expected SQL
// on; with login it logs in too, so that a DSN that cannot work costs no
// AI request.
func (c *cli) openVerify(ctx context.Context, dsn string, opts verify.Options, login bool) (*verify.MySQL, int) {
	if dsn == "" {
		return nil, c.errorf(exitUsage, "match = \"result\" runs the expected SQL on a database, but none is given: set %s, or dsn in a verify block, or run against the emulator with -emulator", spec.EnvVerifyDSN)
	}
	db, err := verify.Open(dsn, opts)
	if err != nil {
		return nil, c.errorf(exitUsage, "%v", err)
	}
	if err := db.Ping(ctx); login && err != nil {
		db.Close()
		return nil, c.errorf(exitRuntime, "verify: %v; no question was asked", err)
	}
	return db, exitOK
}

// emulatorError reports an emulator that could not start: exit 2 for a
// mistake in the -answers or -data file, told with its flag, else 3.
func (c *cli) emulatorError(err error) int {
	var ie *emulator.InputError
	if !errors.As(err, &ie) {
		return c.errorf(exitRuntime, "%v", err)
	} else if len(ie.Diagnostics) == 0 {
		return c.errorf(exitUsage, "%s: %v", ie.Flag(), ie.Err)
	}
	c.errorf(exitUsage, "%s: the answer book has errors:", ie.Flag())
	spec.WriteDiagnostics(c.stderr, ie.Diagnostics, ie.Files, 100, false)
	return exitUsage
}

func (c *cli) serve(fs *flag.FlagSet) func(context.Context, []string) int {
	var flags emulator.Flags
	flags.Register(fs)
	return func(ctx context.Context, args []string) int {
		opts, err := flags.Options(c.stderr)
		if len(args) > 0 {
			return c.errorf(exitUsage, "unexpected argument %q: serve takes only options", args[0])
		} else if err != nil {
			return c.errorf(exitUsage, "%v", err)
		}
		// The MySQL endpoint's engine logs its start, stop and connections
		// through logrus's standard logger, which only the program may quieten.
		logrus.SetLevel(logrus.ErrorLevel)
		emu, err := emulator.Start(ctx, flags.Addr, opts)
		if err != nil {
			return c.emulatorError(err)
		}
		d := emu.Describe()
		fmt.Fprintf(c.stdout, "Chat2Query emulator serving %s on cluster %s; jobs take %v; %v.\n", strings.Join(d.Databases, ", "), d.ClusterID, d.Latency, d.Limits)
		if d.Faults.String() != "" {
			fmt.Fprintf(c.stdout, "Faults: %s.\n", d.Faults)
		}
		fmt.Fprintf(c.stdout, "Use it with:\n\n  export %s=%s\n  export %s=%s\n  export %s=%s\n",
			spec.EnvURL, emu.URL, spec.EnvPublicKey, emu.PublicKey, spec.EnvPrivateKey, emu.PrivateKey)
		if d.MySQLCommand != "" {
			fmt.Fprintf(c.stdout, "\nThe same data over the MySQL protocol (read-only):\n\n  %s\n  DSN: %s\n", d.MySQLCommand, emu.DSN)
		}
		fmt.Fprintf(c.stdout, "\nPress Ctrl-C to stop.\n")
		<-ctx.Done()
		if err := emu.Close(); err != nil {
			return c.errorf(exitRuntime, "%v", err)
		}
		fmt.Fprintln(c.stdout, "Stopped.")
		return exitOK
	}
}

func (c *cli) version(*flag.FlagSet) func(context.Context, []string) int {
	return func(context.Context, []string) int {
		fmt.Fprintf(c.stdout, "c2q %s\n", chat2query.Version())
		return exitOK
	}
}

// sqlCommands are c2q sql's subcommands, each with flags of its own.
var sqlCommands = []command{
	{"canonical", "[-layout] [SQL|-]", "Print the canonical form TiDB's parser gives the statement (-layout: a clause a line)", (*cli).sqlShow},
	{"fingerprint", "[SQL|-]", "Print the canonical form with every literal replaced by ?", (*cli).sqlShow},
	{"explain", "[SQL|-]", "Print the statement's structure as JSON", (*cli).sqlShow},
	{"compare", "[-match MODE] A B  or  -match result [-emulator [-data FILE] | -dsn DSN] [-database NAME] A B",
		"Exit 0 when A and B are the same query under -match (default canonical), 1 with a diff when not; -match result runs both, on the emulator's data or a DSN (default $C2Q_VERIFY_DSN), and compares their results", (*cli).sqlCompare},
}

// sql is c2q sql: how c2q reads a statement, from the arguments or stdin.
func (c *cli) sql(*flag.FlagSet) func(context.Context, []string) int {
	return func(ctx context.Context, args []string) int {
		return c.dispatch(ctx, sqlCommands, args, func(w io.Writer) {
			fmt.Fprintf(w, "Usage: c2q sql COMMAND [options] [SQL|-]...\n")
			for _, sub := range sqlCommands {
				fmt.Fprintf(w, "\n  c2q sql %s %s\n      %s.\n", sub.name, sub.args, sub.summary)
			}
		})
	}
}

// sqlShow is c2q sql canonical, fingerprint and explain.
func (c *cli) sqlShow(fs *flag.FlagSet) func(context.Context, []string) int {
	view := strings.TrimPrefix(fs.Name(), "sql ")
	layout := false
	if view == "canonical" {
		fs.BoolVar(&layout, "layout", false, "print one clause a line")
	}
	return func(_ context.Context, args []string) int {
		if len(args) == 0 {
			args = []string{"-"}
		}
		stmts, code := c.sqlInputs(args, 1)
		if stmts == nil {
			return code
		} else if layout {
			view = "layout"
		}
		out, err := sqlmatch.Show(view, stmts[0])
		if err != nil {
			return c.errorf(exitUsage, "%v", err)
		}
		fmt.Fprintln(c.stdout, out)
		return exitOK
	}
}

// sqlCompare is c2q sql compare: exit 0 when A and B match under -match, 1
// with what differs when not.
func (c *cli) sqlCompare(fs *flag.FlagSet) func(context.Context, []string) int {
	mode := fs.String("match", spec.MatchCanonical, strings.Join(spec.Matches, ", "))
	useEmulator := fs.Bool("emulator", false, "with -match result: run on the emulator's sample database")
	data := fs.String("data", "", "with -emulator: also run this SQL `file` (CREATE DATABASE, CREATE TABLE, INSERT ...)")
	dsn := fs.String("dsn", "", "with -match result: the database to run on, a go-sql-driver/mysql `DSN` (default $"+spec.EnvVerifyDSN+")")
	database := fs.String("database", "", "with -match result: the database `name` to run in (default: the DSN's, or sp500insight with -emulator)")
	return func(ctx context.Context, args []string) int {
		stmts, code := c.sqlInputs(args, 2)
		switch {
		case stmts == nil:
			return code
		case !slices.Contains(spec.Matches, *mode):
			return c.errorf(exitUsage, "unknown -match %q%s (one of %s)", *mode, didYouMean(*mode, spec.Matches), strings.Join(spec.Matches, ", "))
		case *mode != spec.MatchResult && (*useEmulator || *data != "" || *dsn != "" || *database != ""):
			return c.errorf(exitUsage, "-emulator, -data, -dsn and -database go with -match result")
		case *mode != spec.MatchResult:
			res, err := runner.CompareSQL(*mode, stmts[0], stmts[1])
			if err != nil {
				return c.errorf(exitUsage, "%v", err)
			}
			report.SQLComparison(c.stdout, res)
			return okOr(res.Equal, exitFailed)
		}
		if !*useEmulator && *dsn == "" {
			*dsn = os.Getenv(spec.EnvVerifyDSN) // read after parsing: as a default, -h would print its password
		}
		if *useEmulator == (*dsn != "") {
			return c.errorf(exitUsage, "-match result runs both statements: give -emulator or -dsn (or set %s), not both", spec.EnvVerifyDSN)
		}
		var q verify.Querier
		if *useEmulator {
			db, err := emulator.OpenDB(ctx, *data)
			if err != nil {
				return c.emulatorError(err)
			}
			defer db.Close()
			q, *database = verify.Engine(emulator.RowsOf(db), verify.Options{}), cmp.Or(*database, sqldb.DatabaseName)
		} else {
			db, code := c.openVerify(ctx, *dsn, verify.Options{}.OrDefaults(), false)
			if db == nil {
				return code
			}
			defer db.Close()
			q = db
		}
		v, err := runner.CompareResults(ctx, q, *database, stmts[0], stmts[1])
		if err != nil {
			if errors.As(err, new(*runner.StatementError)) {
				return c.errorf(exitRuntime, "%v", err)
			}
			return c.errorf(exitUsage, "%v", err)
		}
		report.ResultComparison(c.stdout, v)
		return okOr(v.Equal, exitFailed)
	}
}

// sqlInputs are the n statements of args, "-" reading stdin; nil, with the
// exit code, when they are not n or stdin has none.
func (c *cli) sqlInputs(args []string, n int) ([]string, int) {
	if len(args) != n {
		return nil, c.errorf(exitUsage, "want %d statement(s), each quoted as one argument (- for stdin)", n)
	}
	stmts := slices.Clone(args)
	for i, arg := range stmts {
		if arg == "-" {
			b, err := io.ReadAll(io.LimitReader(c.stdin, 1<<20))
			if strings.TrimSpace(string(b)) == "" || err != nil {
				return nil, c.errorf(exitUsage, "no SQL: give a statement as an argument or on stdin")
			}
			stmts[i] = string(b)
		}
	}
	return stmts, exitOK
}
