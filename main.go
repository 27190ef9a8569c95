// Command c2q runs declarative Chat2Query conversations: it validates and
// plans HCL files offline, runs their questions in order in Chat2Query
// sessions, and reports each answer's verdict, Terraform-like.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/agext/levenshtein"
	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/runner/report"
	"github.com/c2q/c2q/spec"
	"github.com/fatih/color"
	"github.com/hashicorp/hcl/v2"
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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type command struct {
	name, args, summary string
	run                 func(c *cli, ctx context.Context, args []string) int
}

var commands = []command{
	{"validate", "[options] [DIR|FILE]", "Check the configuration offline", (*cli).validate},
	{"plan", "[options] [DIR|FILE]", "Show the questions apply would ask, offline", (*cli).plan},
	{"apply", "[options] [DIR|FILE]", "Ask the questions and check the answers", (*cli).apply},
	{"serve", "[options]", "Run the Chat2Query emulator on a local address", (*cli).serve},
	{"version", "", "Print the version of c2q", (*cli).version},
}

// cli carries what every command writes to and reads from.
type cli struct {
	stdout, stderr io.Writer
	cmd            command // the command being run
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
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
func (c *cli) load(path string, f *configFlags) (*runner.Plan, bool) {
	cfg, diags := spec.Load(path, spec.LoadOptions{VarArgs: f.vars, Getenv: os.LookupEnv})
	var plan *runner.Plan
	if !diags.HasErrors() {
		var pdiags hcl.Diagnostics
		plan, pdiags = runner.NewPlan(cfg)
		diags = append(diags, pdiags...)
	}
	if len(diags) > 0 {
		var files map[string]*hcl.File
		if cfg != nil {
			files = cfg.Files
		}
		spec.WriteDiagnostics(c.stderr, diags, files, 100, f.color())
	}
	return plan, !diags.HasErrors()
}

func (c *cli) validate(_ context.Context, args []string) int {
	fs := c.flags()
	var f configFlags
	f.register(fs)
	path, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	plan, ok := c.load(path, &f)
	if !ok {
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "The configuration is valid: %s, %s.\n",
		count(len(plan.Sessions), "session"), count(plan.Questions(), "question"))
	return exitOK
}

func (c *cli) plan(_ context.Context, args []string) int {
	fs := c.flags()
	var f configFlags
	f.register(fs)
	useEmulator := fs.Bool("emulator", false, "plan for the embedded emulator (no credentials needed)")
	path, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	plan, ok := c.load(path, &f)
	if !ok {
		return exitUsage
	}
	report.NewHuman(c.stdout, f.color()).Plan(plan)
	if *useEmulator {
		fmt.Fprintln(c.stdout, "Target: the embedded Chat2Query emulator (apply -emulator).")
	} else if missing := missingCredentials(plan.Config.Chat2Query); len(missing) > 0 {
		fmt.Fprintf(c.stdout, "Note: apply will need %s (or -emulator).\n", strings.Join(missing, ", "))
	}
	return exitOK
}

func missingCredentials(cq spec.Chat2Query) []string {
	var missing []string
	if cq.URL == "" {
		missing = append(missing, "C2Q_URL")
	}
	if cq.PublicKey == "" {
		missing = append(missing, "C2Q_PUBLIC_KEY")
	}
	if cq.PrivateKey == "" {
		missing = append(missing, "C2Q_PRIVATE_KEY")
	}
	return missing
}

func (c *cli) apply(ctx context.Context, args []string) int {
	fs := c.flags()
	var f configFlags
	f.register(fs)
	useEmulator := fs.Bool("emulator", false, "run against the embedded Chat2Query emulator, in process")
	latency := fs.Duration("emulator-latency", 100*time.Millisecond, "with -emulator: how long each emulated job takes")
	path, code, ok := c.parse(fs, args)
	if !ok {
		return code
	}
	plan, ok := c.load(path, &f)
	if !ok {
		return exitUsage
	}

	cq := plan.Config.Chat2Query
	wait := chat2query.WaitOptions{}
	if *useEmulator {
		emu, err := startEmulator(ctx, "127.0.0.1:0", emulatorConfig{latency: *latency})
		if err != nil {
			fmt.Fprintf(c.stderr, "c2q apply: cannot start the emulator: %v\n", err)
			return exitRuntime
		}
		defer emu.Close()
		cq.URL, cq.PublicKey, cq.PrivateKey = emu.URL, emu.publicKey, emu.privateKey
		// The emulator's latency is known: poll once right when a job should
		// be done, then quickly.
		wait = chat2query.WaitOptions{FirstPoll: *latency, Interval: max(*latency/4, time.Millisecond), MaxInterval: max(*latency, time.Millisecond)}
		if *latency <= 0 {
			wait.FirstPoll = -1 // jobs are done at once: poll at once
		}
	} else if missing := missingCredentials(cq); len(missing) > 0 {
		fmt.Fprintf(c.stderr, "c2q apply: no Chat2Query endpoint: set %s, or set them in the chat2query block, or run against the emulator with -emulator\n", strings.Join(missing, ", "))
		return exitUsage
	}
	client, err := chat2query.New(cq.URL, cq.PublicKey, cq.PrivateKey, chat2query.WithUserAgent("c2q/"+currentVersion()))
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q apply: %v\n", err)
		return exitUsage
	}

	view := report.NewHuman(c.stdout, f.color())
	res := runner.Apply(ctx, plan, runner.Options{Client: client, Observer: view, Wait: wait})
	view.Summary(res)
	switch res.Status() {
	case runner.Error:
		return exitRuntime
	case runner.Fail:
		return exitFailed
	}
	if ctx.Err() != nil {
		return exitRuntime
	}
	return exitOK
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

type emulatorConfig struct {
	latency               time.Duration
	publicKey, privateKey string
}

type runningEmulator struct {
	*emulator.Running
	publicKey, privateKey string
}

// startEmulator loads the sample database and serves the emulator on addr.
func startEmulator(ctx context.Context, addr string, cfg emulatorConfig) (*runningEmulator, error) {
	db, err := sqldb.Open(ctx)
	if err != nil {
		return nil, err
	}
	if cfg.publicKey == "" || cfg.privateKey == "" {
		cfg.publicKey, cfg.privateKey = emulator.NewKeys()
	}
	r, err := emulator.Start(ctx, addr, emulator.Options{
		PublicKey: cfg.publicKey, PrivateKey: cfg.privateKey,
		Latency: cfg.latency, DB: db, Book: answerbook.Builtin(),
	})
	if err != nil {
		return nil, err
	}
	return &runningEmulator{Running: r, publicKey: cfg.publicKey, privateKey: cfg.privateKey}, nil
}

func (c *cli) serve(ctx context.Context, args []string) int {
	fs := c.flags()
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free one)")
	var cfg emulatorConfig
	fs.DurationVar(&cfg.latency, "latency", 2*time.Second, "how long each job takes")
	fs.StringVar(&cfg.publicKey, "public-key", "", "the API public key to accept (default: generated)")
	fs.StringVar(&cfg.privateKey, "private-key", "", "the API private key to accept (default: generated)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "c2q serve: unexpected argument %q: serve takes only options\n", fs.Arg(0))
		return exitUsage
	}
	if (cfg.publicKey == "") != (cfg.privateKey == "") {
		fmt.Fprintln(c.stderr, "c2q serve: give both -public-key and -private-key, or neither to generate a pair")
		return exitUsage
	}
	emu, err := startEmulator(ctx, *addr, cfg)
	if err != nil {
		fmt.Fprintf(c.stderr, "c2q serve: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(c.stdout, "Chat2Query emulator serving the sp500insight database; jobs take %s.\n", cfg.latency)
	fmt.Fprintf(c.stdout, "Use it with:\n\n  export C2Q_URL=%s\n  export C2Q_PUBLIC_KEY=%s\n  export C2Q_PRIVATE_KEY=%s\n\nPress Ctrl-C to stop.\n",
		emu.URL, emu.publicKey, emu.privateKey)
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
