// Command c2q runs declarative Chat2Query conversations: it validates and
// plans HCL files offline, runs their questions in order in Chat2Query
// sessions, and reports each answer's verdict, Terraform-like.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/agext/levenshtein"
	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/runner/report"
	"github.com/c2q/c2q/runner/resultset"
	"github.com/c2q/c2q/runner/verify"
	"github.com/c2q/c2q/spec"
	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/fatih/color"
	"github.com/hashicorp/hcl/v2"
	"github.com/sirupsen/logrus"
)

// Exit codes, documented in the README.
const (
	exitOK      = 0 // everything passed
	exitFailed  = 1 // at least one question failed its checks
	exitUsage   = 2 // bad command line or configuration
	exitRuntime = 3 // API or runtime error
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); otherwise
// it comes from the module build info.
var version = ""

// exitInterrupted is the exit code of a command that was still running a
// second after Ctrl-C, or that got a second Ctrl-C: 128+SIGINT, as shells use.
const exitInterrupted = 130

// interruptGrace is how long a command has to stop after the first Ctrl-C.
const interruptGrace = time.Second

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

type command struct {
	name, args, summary string
	run                 func(c *cli, ctx context.Context, args []string) int
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

// cli carries what every command writes to and reads from.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cmd            command // the command being run
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdin: os.Stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		c.usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			c.cmd = cmd
			return cmd.run(c, ctx, args[1:])
		}
	}
	fmt.Fprintf(stderr, "c2q: unknown command %q%s\nRun 'c2q -h' for the list of commands.\n", args[0], didYouMean(args[0], commandNames()))
	return exitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: c2q COMMAND [options] [DIR|FILE]\n\n")
	fmt.Fprintf(w, "c2q runs declarative Chat2Query conversations written in HCL (*.c2q.hcl).\n\nCommands:\n")
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, "\nRun 'c2q COMMAND -h' for a command's options.\n")
	fmt.Fprintf(w, "Exit codes: 0 success, 1 a question failed its checks, 2 usage or configuration error, 3 API or runtime error.\n")
}

func commandNames() []string {
	var names []string
	for _, cmd := range commands {
		names = append(names, cmd.name)
	}
	return names
}

// didYouMean suggests the closest of names to s, as Terraform does.
func didYouMean(s string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := levenshtein.Distance(s, n, nil); d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// flags returns a FlagSet for the command being run whose errors and help
// go to the right writers.
func (c *cli) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(c.cmd.name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: c2q %s %s\n\n%s.\n", c.cmd.name, c.cmd.args, c.cmd.summary)
		if hasFlags(fs) {
			fmt.Fprintf(fs.Output(), "\nOptions:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses args and returns the one positional DIR|FILE argument
// (default "."), or an exit code when the command line is wrong or help was asked.
func (c *cli) parse(fs *flag.FlagSet, args []string) (string, int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, false
		}
		return "", exitUsage, false
	}
	switch fs.NArg() {
	case 0:
		return ".", 0, true
	case 1:
		if strings.HasPrefix(fs.Arg(0), "-") {
			break
		}
		return fs.Arg(0), 0, true
	}
	fmt.Fprintf(c.stderr, "c2q %s: expected at most one DIR or FILE and options before it, got %q\n", fs.Name(), fs.Args())
	fs.Usage()
	return "", exitUsage, false
}

// varFlag collects -var and -var-file options into one list, in
// command-line order, which is their precedence.
type varFlag struct {
	args *[]spec.VarArg
	file bool
}

func (v varFlag) String() string { return "" }
func (v varFlag) Set(s string) error {
	if !v.file {
		if name, _, ok := strings.Cut(s, "="); !ok || name == "" {
			return fmt.Errorf("want name=value, e.g. -var database=sp500insight")
		}
	}
	*v.args = append(*v.args, spec.VarArg{File: v.file, Value: s})
	return nil
}

// configFlags are the options of every command that reads a configuration.
type configFlags struct {
	vars    []spec.VarArg
	noColor bool
}

func (f *configFlags) register(fs *flag.FlagSet) {
	fs.Var(varFlag{args: &f.vars}, "var", "set a variable, `name=value` (repeatable; overrides C2Q_VAR_name and *.auto.c2qvars)")
	fs.Var(varFlag{args: &f.vars, file: true}, "var-file", "read variables from a `file` of name = value lines (repeatable)")
	fs.BoolVar(&f.noColor, "no-color", false, "disable colour (also NO_COLOR, or when output is not a terminal)")
}

func (f *configFlags) color() bool { return !f.noColor && !color.NoColor }

// load reads the configuration at path and compiles it into a plan,
// printing diagnostics; ok is false when there were errors.
// compile reads the configuration at path and compiles it into a plan; the
// plan is nil when the diagnostics have errors. files are the sources, for
// rendering the diagnostics.
func compile(path string, f *configFlags) (plan *runner.Plan, files map[string]*hcl.File, diags hcl.Diagnostics) {
	cfg, diags := spec.Load(path, spec.LoadOptions{VarArgs: f.vars, Getenv: os.LookupEnv})
	if cfg != nil {
		files = cfg.Files
	}
	if !diags.HasErrors() {
		var pdiags hcl.Diagnostics
		plan, pdiags = runner.NewPlan(cfg)
		diags = append(diags, pdiags...)
	}
	if diags.HasErrors() {
		plan = nil
	}
	return plan, files, diags
}

// load is compile that prints the diagnostics; ok is false when there were
// errors.
func (c *cli) load(path string, f *configFlags) (*runner.Plan, bool) {
	plan, files, diags := compile(path, f)
	if len(diags) > 0 {
		spec.WriteDiagnostics(c.stderr, diags, files, 100, f.color())
	}
	return plan, plan != nil
}

// validateJSON is validate -json: the diagnostics on stdout in the shape of
// terraform validate -json; exit 0 when valid (warnings allowed), 2 when not.
func (c *cli) validateJSON(path string, f *configFlags) int {
	_, files, diags := compile(path, f)
	out, err := json.MarshalIndent(spec.JSONDiagnostics(diags, files), "", "  ")
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q validate: %v\n", err)
		return exitRuntime
	}
	if _, err := fmt.Fprintf(c.stdout, "%s\n", out); err != nil {
		return exitRuntime
	}
	if diags.HasErrors() {
		return exitUsage
	}
	return exitOK
}

// fmt is terraform fmt for c2q files: it rewrites the *.c2q.hcl and
// *.c2qvars files of the directories and files given (default: the current
// directory; "-": stdin to stdout) in the canonical style, listing those it
// changed. Exit 0; 1 with -check when a file needs formatting; 2 for a
// syntax error (that file is left as it is) or a bad path; 3 when a file or
// stdout cannot be written.
func (c *cli) fmt(_ context.Context, args []string) int {
	fs := c.flags()
	opts := spec.FormatOptions{Files: map[string]*hcl.File{}}
	fs.BoolVar(&opts.List, "list", true, "list the files whose formatting changed (off with -)")
	fs.BoolVar(&opts.Write, "write", true, "rewrite the files whose formatting changed (off with - and with -check)")
	fs.BoolVar(&opts.Diff, "diff", false, "print the changes as unified diffs")
	fs.BoolVar(&opts.Check, "check", false, "write nothing; exit 1 when a file is not formatted")
	fs.BoolVar(&opts.Recursive, "recursive", false, "also format the files of subdirectories")
	noColor := fs.Bool("no-color", false, "disable colour (also NO_COLOR, or when output is not a terminal)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	paths := fs.Args()
	for _, p := range paths {
		if p != "-" && strings.HasPrefix(p, "-") {
			fmt.Fprintf(c.stderr, "c2q fmt: options go before the files and directories, got %q\n", p)
			fs.Usage()
			return exitUsage
		}
	}
	changed, diags, err := spec.FormatPaths(paths, opts, os.Stdin, c.stdout)
	if len(diags) > 0 {
		spec.WriteDiagnostics(c.stderr, diags, opts.Files, 100, !*noColor && !color.NoColor)
	}
	switch {
	case err != nil:
		fmt.Fprintf(c.stderr, "c2q fmt: %v\n", err)
		return exitRuntime
	case diags.HasErrors():
		return exitUsage
	case opts.Check && len(changed) > 0:
		return exitFailed
	}
	return exitOK
}

func (c *cli) validate(_ context.Context, args []string) int {
	fs := c.flags()
	var f configFlags
	f.register(fs)
	jsonOut := fs.Bool("json", false, "print the result as JSON, in the shape of terraform validate -json")
	path, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	if *jsonOut {
		return c.validateJSON(path, &f)
	}
	plan, ok := c.load(path, &f)
	if !ok {
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "The configuration is valid: %s, %s.\n",
		count(len(plan.Sessions), "session"), count(plan.Questions(), "question"))
	return exitOK
}

func (c *cli) plan(ctx context.Context, args []string) int {
	fs := c.flags()
	var t targetFlags
	t.register(fs, "plan for the embedded emulator (no credentials needed)")
	plan, code, ok := c.loadPlan(fs, args, &t)
	if !ok {
		return code
	}
	if t.emulator {
		// Offline, but the files are read now so that apply cannot fail on them.
		if err := emulator.CheckInputs(ctx, t.inputs.options()); err != nil {
			return c.emulatorError("c2q plan", err)
		}
	}
	report.NewHuman(c.stdout, t.config.color()).Plan(plan)
	if t.emulator {
		fmt.Fprintf(c.stdout, "Target: the embedded Chat2Query emulator (apply -emulator)%s.\n", t.inputs.inputsSuffix())
	} else {
		missing := missingCredentials(plan.Config.Chat2Query)
		if plan.NeedsVerify() && plan.Config.Verify.DSN == "" {
			missing = append(missing, spec.EnvVerifyDSN)
		}
		if len(missing) > 0 {
			fmt.Fprintf(c.stdout, "Note: apply will need %s (or -emulator).\n", strings.Join(missing, ", "))
		}
	}
	return exitOK
}

func missingCredentials(cq spec.Chat2Query) []string {
	var missing []string
	if cq.URL == "" {
		missing = append(missing, spec.EnvURL)
	}
	if cq.PublicKey == "" {
		missing = append(missing, spec.EnvPublicKey)
	}
	if cq.PrivateKey == "" {
		missing = append(missing, spec.EnvPrivateKey)
	}
	return missing
}

func (c *cli) apply(ctx context.Context, args []string) int {
	fs := c.flags()
	var t targetFlags
	t.register(fs, "run against the embedded Chat2Query emulator, in process")
	latency := fs.Duration("emulator-latency", 100*time.Millisecond, "with -emulator: how long each emulated job takes")
	verbose := fs.Bool("verbose", false, "also show the checks that passed, each with why")
	plan, code, ok := c.loadPlan(fs, args, &t)
	if !ok {
		return code
	}
	vcfg := plan.Config.Verify
	vopts := verify.Options{Timeout: vcfg.Timeout, MaxRows: vcfg.MaxRows}.OrDefaults()
	var querier verify.Querier
	cq := plan.Config.Chat2Query
	wait := chat2query.WaitOptions{}
	if t.emulator {
		opts := t.inputs.options()
		opts.Latency, opts.Limits = *latency, emulator.ServiceLimits()
		emu, err := emulator.Start(ctx, "127.0.0.1:0", opts)
		if err != nil {
			return c.emulatorError("c2q apply: cannot start the emulator", err)
		}
		defer emu.Close()
		cq.URL, cq.PublicKey, cq.PrivateKey = emu.URL, emu.PublicKey, emu.PrivateKey
		querier, wait = emulatorQuerier(emu.DB(), vopts), emu.WaitOptions()
	} else if missing := missingCredentials(cq); len(missing) > 0 {
		fmt.Fprintf(c.stderr, "c2q apply: no Chat2Query endpoint: set %s, or set them in the chat2query block, or run against the emulator with -emulator\n", strings.Join(missing, ", "))
		return exitUsage
	} else if plan.NeedsVerify() {
		db, code, ok := c.openVerify(ctx, vcfg.DSN, vopts)
		if !ok {
			return code
		}
		defer db.Close()
		querier = db
	}
	client, err := chat2query.New(cq.URL, cq.PublicKey, cq.PrivateKey, chat2query.WithUserAgent("c2q/"+currentVersion()))
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q apply: %v\n", err)
		return exitUsage
	}

	view := report.NewHuman(c.stdout, t.config.color())
	view.Verbose = *verbose
	res := runner.Apply(ctx, plan, runner.Options{Client: client, Observer: view, Wait: wait, Verify: querier})
	view.Summary(res)
	if !t.emulator {
		c.endpointHint(res)
	}
	switch res.Status() {
	case runner.Error:
		return exitRuntime
	case runner.Fail:
		return exitFailed
	}
	if ctx.Err() != nil || res.OutputDiags.HasErrors() {
		return exitRuntime
	}
	return exitOK
}

// endpointHint says where the endpoint and keys of a failed run came from:
// the client speaks of "the endpoint URL" and "the public and private key",
// only the CLI knows they may be environment variables.
func (c *cli) endpointHint(res *runner.Result) {
	var auth, network bool
	var netErr *chat2query.NetworkError
	for _, sr := range res.Sessions {
		for _, q := range sr.Questions {
			auth = auth || errors.Is(q.Err, chat2query.ErrAuth)
			network = network || errors.As(q.Err, &netErr)
		}
	}
	if auth {
		fmt.Fprintf(c.stderr, "The keys come from %s and %s, or public_key and private_key in the chat2query block.\n", spec.EnvPublicKey, spec.EnvPrivateKey)
	}
	if network {
		fmt.Fprintf(c.stderr, "The endpoint URL comes from %s, or url in the chat2query block.\n", spec.EnvURL)
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// emulatorConfig holds -answers and -data: the user's own answer book and
// data for the emulator.
type emulatorConfig struct{ answers, data string }

func (cfg emulatorConfig) options() emulator.Options {
	return emulator.Options{AnswersFile: cfg.answers, DataFile: cfg.data}
}

// registerInputs registers the flags that give the emulator the user's own
// answer book and data, on every command that accepts -emulator and on serve.
func (cfg *emulatorConfig) registerInputs(fs *flag.FlagSet) {
	prefix := "with -emulator: "
	if fs.Name() == "serve" {
		prefix = ""
	}
	fs.StringVar(&cfg.answers, "answers", "", prefix+"answer questions from this answer book `file` (HCL) instead of the built-in one")
	fs.StringVar(&cfg.data, "data", "", prefix+"run this SQL `file` (CREATE DATABASE, CREATE TABLE, INSERT ...) after loading the sample database")
}

// inputsSuffix describes the user's files for plan's target line.
func (cfg emulatorConfig) inputsSuffix() string {
	var parts []string
	if cfg.answers != "" {
		parts = append(parts, "answer book "+cfg.answers)
	}
	if cfg.data != "" {
		parts = append(parts, "data "+cfg.data)
	}
	if len(parts) == 0 {
		return ""
	}
	return " with " + strings.Join(parts, " and ")
}

// targetFlags are the flags plan and apply share: the configuration's and
// the emulator's.
type targetFlags struct {
	config   configFlags
	emulator bool
	inputs   emulatorConfig
}

func (t *targetFlags) register(fs *flag.FlagSet, emulatorUsage string) {
	t.config.register(fs)
	fs.BoolVar(&t.emulator, "emulator", false, emulatorUsage)
	t.inputs.registerInputs(fs)
}

// loadPlan parses the flags of plan or apply, refuses -answers and -data
// without -emulator, and loads and compiles the configuration.
func (c *cli) loadPlan(fs *flag.FlagSet, args []string, t *targetFlags) (*runner.Plan, int, bool) {
	path, code, ok := c.parse(fs, args)
	if !ok {
		return nil, code, false
	}
	if !t.emulator && (t.inputs.answers != "" || t.inputs.data != "") {
		fmt.Fprintf(c.stderr, "c2q %s: -answers and -data configure the emulator: add -emulator\n", c.cmd.name)
		return nil, exitUsage, false
	}
	plan, ok := c.load(path, &t.config)
	if !ok {
		return nil, exitUsage, false
	}
	return plan, exitOK, true
}

// emulatorError reports an emulator that did not start, after prefix
// ("c2q serve"): exit 2 for a mistake in the -answers or -data file, 3 for
// anything else.
func (c *cli) emulatorError(prefix string, err error) int {
	var ie *emulator.InputError
	switch {
	case !errors.As(err, &ie):
		fmt.Fprintf(c.stderr, "%s: %v\n", prefix, err)
		return exitRuntime
	case len(ie.Diagnostics) > 0:
		fmt.Fprintf(c.stderr, "%s: -answers: the answer book has errors:\n", prefix)
		spec.WriteDiagnostics(c.stderr, ie.Diagnostics, ie.Files, 100, false)
	default:
		fmt.Fprintf(c.stderr, "%s: %v\n", prefix, inputError{ie})
	}
	return exitUsage
}

// emulatorErrorCode is emulatorError's exit code.
func emulatorErrorCode(err error) int {
	if errors.As(err, new(*emulator.InputError)) {
		return exitUsage
	}
	return exitRuntime
}

// inputError is a mistake in the user's file told with the flag that named
// the file: "-data: shop.sql: statement 2 (line 2) ...".
type inputError struct{ *emulator.InputError }

func (e inputError) Error() string {
	return map[string]string{"AnswersFile": "-answers", "DataFile": "-data"}[e.Option] + ": " + e.Err.Error()
}

func (e inputError) Unwrap() error { return e.InputError }

// loadEmulatorInputs opens the emulator's database with the -data file run
// on it, for c2q sql compare -match result -emulator, which reads no
// answer book (the second result).
func loadEmulatorInputs(ctx context.Context, cfg emulatorConfig) (*sqldb.DB, struct{}, error) {
	db, err := emulator.OpenDB(ctx, cfg.data)
	if ie := (*emulator.InputError)(nil); errors.As(err, &ie) {
		err = inputError{ie}
	}
	return db, struct{}{}, err
}

func closeDB(db *sqldb.DB) error { return db.Close() }

// openVerify opens the database that match = "result" runs expected SQL
// on, and logs in: a DSN that cannot work must cost no AI request.
func (c *cli) openVerify(ctx context.Context, dsn string, opts verify.Options) (*verify.MySQL, int, bool) {
	if dsn == "" {
		fmt.Fprintf(c.stderr, "c2q apply: match = \"result\" runs the expected SQL on a database, but none is given: set %s, or dsn in a verify block, or run against the emulator with -emulator\n", spec.EnvVerifyDSN)
		return nil, exitUsage, false
	}
	db, err := verify.Open(dsn, opts)
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q apply: %v\n", err)
		return nil, exitUsage, false
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		fmt.Fprintf(c.stderr, "c2q apply: verify: %v; no question was asked\n", err)
		return nil, exitRuntime, false
	}
	return db, exitOK, true
}

// emulatorQuerier runs expected SQL on the emulator's own engine: with
// -emulator, the answers come from its data, so it is the database that
// judges them.
func emulatorQuerier(db emulator.Querier, opts verify.Options) verify.Querier {
	return verify.QueryFunc(func(ctx context.Context, database, query string) (resultset.Table, error) {
		ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
		res, err := db.Query(ctx, database, query)
		switch {
		case err != nil:
			return resultset.Table{}, err
		case res.Truncated:
			return resultset.Table{}, fmt.Errorf("the expected SQL returned more than %d rows, the most the emulator returns", len(res.Rows))
		case len(res.Rows) > opts.MaxRows:
			return resultset.Table{}, fmt.Errorf("the expected SQL returned more than %d rows (max_rows)", opts.MaxRows)
		}
		return resultset.Table{Columns: res.Columns, Rows: res.Rows}, nil
	})
}

// faultsFlag collects -fault options.
type faultsFlag struct{ script *[]emulator.Fault }

func (f faultsFlag) String() string { return "" }
func (f faultsFlag) Set(s string) error {
	faults, err := emulator.ParseFaults(s)
	if err != nil {
		return err
	}
	*f.script = append(*f.script, faults...)
	return nil
}

func (c *cli) serve(ctx context.Context, args []string) int {
	fs := c.flags()
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to serve the Chat2Query API on (port 0 picks a free one)")
	mysqlAddr := fs.String("mysql-addr", "127.0.0.1:4000", "`host:port` to serve the database on over the MySQL protocol, or off")
	allowRemote := fs.Bool("allow-remote", false, "allow -addr and -mysql-addr to be non-loopback addresses, reachable from other machines")
	var opts emulator.Options
	var inputs emulatorConfig
	latency := fs.String("latency", "2s", "how long each job takes: a `latency` such as 2s, or a distribution, uniform:1s-3s or lognormal:4s,0.5 (median, sigma)")
	seed := fs.Uint64("seed", 1, "seed of the random latencies and of -fail-rate: the same seed repeats the same run")
	fs.Float64Var(&opts.Faults.FailRate, "fail-rate", 0, "probability from 0 to 1 that a chat2data job ends \"failed\"")
	fs.Var(faultsFlag{&opts.Faults.Script}, "fault", "make the Nth request fail: `n=N:KIND`,... with KIND 500, 429, 502 (HTML), truncate, reset or hang (repeatable)")
	fs.IntVar(&opts.Limits.DailyQuota, "daily-quota", emulator.DefaultDailyQuota, "AI requests allowed per day (UTC), then 429; 0 for no quota")
	fs.IntVar(&opts.Limits.RateLimit, "rate-limit", emulator.DefaultRateLimit, "requests allowed per minute per API key, then 429; 0 for no limit")
	inputs.registerInputs(fs)
	fs.StringVar(&opts.PublicKey, "public-key", "", "the API public key to accept (default: generated)")
	fs.StringVar(&opts.PrivateKey, "private-key", "", "the API private key to accept (default: generated)")
	logRequests := fs.Bool("log", false, "log one line per request to stderr (method, path, status, size, duration; never keys or bodies)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(c.stderr, "c2q serve: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usage("unexpected argument %q: serve takes only options", fs.Arg(0))
	}
	if (opts.PublicKey == "") != (opts.PrivateKey == "") {
		return usage("give both -public-key and -private-key, or neither to generate a pair")
	}
	if opts.Limits.DailyQuota < 0 || opts.Limits.RateLimit < 0 {
		return usage("-daily-quota and -rate-limit must not be negative (0 turns them off)")
	}
	if !(opts.Faults.FailRate >= 0 && opts.Faults.FailRate <= 1) {
		return usage("-fail-rate must be from 0 to 1, got %v", opts.Faults.FailRate)
	}
	dist, err := emulator.ParseDistribution(*latency, *seed)
	if err != nil {
		return usage("-latency: %v", err)
	}
	opts.LatencyDist, opts.Faults.Seed = dist, *seed
	opts.AnswersFile, opts.DataFile = inputs.answers, inputs.data
	if !strings.EqualFold(*mysqlAddr, "off") {
		opts.MySQLAddr = *mysqlAddr
	}
	for _, a := range []struct{ flag, addr string }{{"-addr", *addr}, {"-mysql-addr", opts.MySQLAddr}} {
		if a.addr != "" && !*allowRemote && !emulator.IsLoopback(a.addr) {
			return usage("%s %s is not a loopback address: anyone who can reach it could use the emulator; "+
				"use 127.0.0.1, or add -allow-remote to serve other machines", a.flag, a.addr)
		}
	}
	if *logRequests {
		opts.Log = c.stderr
	}
	// The MySQL endpoint's engine logs its start, stop and connections
	// through logrus's standard logger, which only the program may quieten.
	logrus.SetLevel(logrus.ErrorLevel)
	emu, err := emulator.Start(ctx, *addr, opts)
	if err != nil {
		return c.emulatorError("c2q serve", err)
	}
	d := emu.Describe()
	fmt.Fprintf(c.stdout, "Chat2Query emulator serving %s on cluster %s; jobs take %v; %v.\n",
		strings.Join(d.Databases, ", "), d.ClusterID, d.Latency, d.Limits)
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
		fmt.Fprintf(c.stderr, "c2q serve: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintln(c.stdout, "Stopped.")
	return exitOK
}

func (c *cli) version(_ context.Context, args []string) int {
	fs := c.flags()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "c2q %s\n", currentVersion())
	return exitOK
}

func currentVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// sql is c2q sql: how c2q sees a statement. Statements come from the
// arguments, or from stdin when there are none (or for "-").
func (c *cli) sql(ctx context.Context, args []string) int {
	subs := []string{"canonical", "fingerprint", "explain", "compare"}
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: c2q sql canonical|fingerprint|explain [-layout] [SQL|-]\n       c2q sql compare [-match MODE] A B\n       c2q sql compare -match result [-emulator [-data FILE] | -dsn DSN] [-database NAME] A B\n\n")
		fmt.Fprintf(w, "  canonical    print the canonical form TiDB's parser gives the statement (-layout: a clause a line)\n")
		fmt.Fprintf(w, "  fingerprint  print the canonical form with every literal replaced by ?\n")
		fmt.Fprintf(w, "  explain      print the statement's structure as JSON\n")
		fmt.Fprintf(w, "  compare      exit 0 when A and B are the same query under -match (%s; default canonical), 1 with a diff when not;\n", strings.Join(spec.Matches, ", "))
		fmt.Fprintf(w, "               result runs both, on the emulator's sample database or on -dsn (default $%s), and compares their results\n", spec.EnvVerifyDSN)
	}
	if len(args) == 0 {
		usage(c.stderr)
		return exitUsage
	}
	if h := args[0]; h == "-h" || h == "-help" || h == "--help" {
		usage(c.stdout)
		return exitOK
	}
	sub := args[0]
	if !slices.Contains(subs, sub) {
		fmt.Fprintf(c.stderr, "c2q sql: unknown subcommand %q%s\n", sub, didYouMean(sub, subs))
		usage(c.stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet("sql "+sub, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { usage(c.stderr) }
	layout := fs.Bool("layout", false, "canonical: print one clause a line")
	mode := fs.String("match", "canonical", "compare: "+strings.Join(spec.Matches, ", "))
	var run resultFlags
	run.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	// One flag set serves every subcommand: refuse a flag its subcommand
	// does not read.
	var misplaced []string
	fs.Visit(func(fl *flag.Flag) {
		switch {
		case fl.Name == "layout" && sub != "canonical",
			fl.Name == "match" && sub != "compare",
			slices.Contains([]string{"emulator", "data", "dsn", "database"}, fl.Name) && (sub != "compare" || *mode != spec.MatchResult):
			misplaced = append(misplaced, "-"+fl.Name)
		}
	})
	if len(misplaced) > 0 {
		fmt.Fprintf(c.stderr, "c2q sql %s: %s does not apply here; see c2q sql -h\n", sub, strings.Join(misplaced, ", "))
		return exitUsage
	}
	if sub == "compare" && *mode == spec.MatchResult {
		return c.sqlCompareResults(ctx, run, fs.Args())
	}
	if sub == "compare" {
		return c.sqlCompare(*mode, fs.Args())
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(c.stderr, "c2q sql %s: one statement, quoted as one argument, or on stdin\n", sub)
		return exitUsage
	}
	stmt, err := c.sqlInput(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q sql %s: %v\n", sub, err)
		return exitUsage
	}
	var out string
	switch sub {
	case "canonical":
		if *layout {
			var lines []string
			lines, err = sqlmatch.Layout(stmt)
			out = strings.Join(lines, "\n")
		} else {
			out, err = sqlmatch.Canonical(stmt)
		}
	case "fingerprint":
		out, err = sqlmatch.Fingerprint(stmt)
	case "explain":
		var st *sqlmatch.Structure
		if st, err = sqlmatch.Explain(stmt); err == nil {
			var b []byte
			b, err = json.MarshalIndent(st, "", "  ")
			out = string(b)
		}
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q sql %s: %v\n", sub, err)
		return exitUsage
	}
	fmt.Fprintln(c.stdout, out)
	return exitOK
}

// sqlInput is the statement arg, or stdin's content when arg is "" or "-".
func (c *cli) sqlInput(arg string) (string, error) {
	if arg != "" && arg != "-" {
		return arg, nil
	}
	b, err := io.ReadAll(io.LimitReader(c.stdin, 1<<20))
	if err != nil {
		return "", fmt.Errorf("reading stdin: %w", err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", errors.New("no SQL: give a statement as an argument or on stdin")
	}
	return string(b), nil
}

// sqlCompare is c2q sql compare: exit 0 when a and b match under mode, 1
// with the diff of their canonical layouts and what changed when not.
func (c *cli) sqlCompare(mode string, args []string) int {
	if !slices.Contains(spec.Matches, mode) {
		fmt.Fprintf(c.stderr, "c2q sql compare: unknown -match %q%s (one of %s)\n", mode, didYouMean(mode, spec.Matches), strings.Join(spec.Matches, ", "))
		return exitUsage
	}
	a, b, ok := c.sqlPair(args)
	if !ok {
		return exitUsage
	}
	equal, err := runner.SameSQL(mode, a, b)
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q sql compare: %v\n", err)
		return exitUsage
	}
	if equal {
		fmt.Fprintf(c.stdout, "equal under %s\n", mode)
		return exitOK
	}
	fmt.Fprintf(c.stdout, "different under %s\n", mode)
	la, errA := sqlmatch.Layout(a)
	lb, errB := sqlmatch.Layout(b)
	if errA == nil && errB == nil {
		for _, l := range report.UnifiedDiff(la, lb) {
			fmt.Fprintln(c.stdout, l)
		}
	}
	if sum, err := sqlmatch.Summary(a, b); err == nil && sum != "" {
		fmt.Fprintln(c.stdout, sum)
	}
	return exitFailed
}

// sqlPair reads the two statements of c2q sql compare.
func (c *cli) sqlPair(args []string) (a, b string, ok bool) {
	if len(args) != 2 {
		fmt.Fprintln(c.stderr, "c2q sql compare: want two statements, A and B (one of them may be - for stdin)")
		return "", "", false
	}
	var stmts [2]string
	for i, arg := range args {
		s, err := c.sqlInput(arg)
		if err != nil {
			fmt.Fprintf(c.stderr, "c2q sql compare: %v\n", err)
			return "", "", false
		}
		stmts[i] = s
	}
	return stmts[0], stmts[1], true
}

// resultFlags say where c2q sql compare -match result runs the statements.
type resultFlags struct {
	emulator      bool
	data, dsn, db string
}

func (f *resultFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.emulator, "emulator", false, "compare -match result: run on the emulator's sample database")
	fs.StringVar(&f.data, "data", "", "with -emulator: also run this SQL `file` (CREATE DATABASE, CREATE TABLE, INSERT ...)")
	fs.StringVar(&f.dsn, "dsn", "", "compare -match result: the database to run on, a go-sql-driver/mysql `DSN` (default $"+spec.EnvVerifyDSN+")")
	fs.StringVar(&f.db, "database", "", "compare -match result: the database `name` to run in (default: the DSN's, or sp500insight with -emulator)")
}

// sqlCompareResults is c2q sql compare -match result: both statements run
// and their results compare as expect's match = "result" does, A being the
// expected one.
func (c *cli) sqlCompareResults(ctx context.Context, f resultFlags, args []string) int {
	if !f.emulator && f.dsn == "" {
		f.dsn = os.Getenv(spec.EnvVerifyDSN)
	}
	if f.emulator == (f.dsn != "") {
		fmt.Fprintf(c.stderr, "c2q sql compare: -match result runs both statements: give -emulator or -dsn (or set %s), not both\n", spec.EnvVerifyDSN)
		return exitUsage
	}
	a, b, ok := c.sqlPair(args)
	if !ok {
		return exitUsage
	}
	opts := verify.Options{}.OrDefaults()
	var q verify.Querier
	if f.emulator {
		db, _, err := loadEmulatorInputs(ctx, emulatorConfig{data: f.data})
		if err != nil {
			fmt.Fprintf(c.stderr, "c2q sql compare: %v\n", err)
			return emulatorErrorCode(err)
		}
		defer closeDB(db)
		q = emulatorQuerier(db, opts)
		if f.db == "" {
			f.db = sqldb.DatabaseName
		}
	} else {
		db, err := verify.Open(f.dsn, opts)
		if err != nil {
			fmt.Fprintf(c.stderr, "c2q sql compare: %v\n", err)
			return exitUsage
		}
		defer db.Close()
		q = db
	}
	var tables [2]resultset.Table
	for i, stmt := range []string{a, b} {
		t, err := q.Query(ctx, f.db, stmt)
		if err != nil {
			fmt.Fprintf(c.stderr, "c2q sql compare: running %c: %v\n", 'A'+i, err)
			return exitRuntime
		}
		tables[i] = t
	}
	ordered, err := runner.OrderMatters(a)
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q sql compare: %v\n", err)
		return exitUsage
	}
	v := resultset.Compare(tables[0], tables[1], resultset.Rules{Ordered: ordered})
	if v.Equal {
		fmt.Fprintf(c.stdout, "equal under result: %s\nrule: %s\n", v.Reason, v.Rule)
		return exitOK
	}
	fmt.Fprintf(c.stdout, "different under result: %s\n", v.Reason)
	for _, l := range v.Diff {
		fmt.Fprintln(c.stdout, l)
	}
	fmt.Fprintf(c.stdout, "rule: %s\n", v.Rule)
	return exitFailed
}
