package emulator

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Flags are the command-line options of an emulator that serves on real
// sockets, as c2q serve does: Register them on a FlagSet, parse it, then
// Options checks them and gives what Start takes.
type Flags struct {
	Addr        string // where the API is served
	opts        Options
	mysqlAddr   string
	allowRemote bool
	latency     string
	seed        uint64
	log         bool
}

// Register defines the flags on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Addr, "addr", "127.0.0.1:8080", "`host:port` to serve the Chat2Query API on (port 0 picks a free one)")
	fs.StringVar(&f.mysqlAddr, "mysql-addr", "127.0.0.1:4000", "`host:port` to serve the database on over the MySQL protocol, or off")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow -addr and -mysql-addr to be non-loopback addresses, reachable from other machines")
	fs.StringVar(&f.latency, "latency", "2s", "how long each job takes: a `latency` such as 2s, or a distribution, uniform:1s-3s or lognormal:4s,0.5 (median, sigma)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the random latencies and of -fail-rate: the same seed repeats the same run")
	fs.Float64Var(&f.opts.Faults.FailRate, "fail-rate", 0, "probability from 0 to 1 that a chat2data job ends \"failed\"")
	fs.Var(faultsFlag{&f.opts.Faults.Script}, "fault", "make the Nth request fail: `n=N:KIND`,... with KIND 500, 429, 502 (HTML), truncate, reset or hang (repeatable)")
	fs.IntVar(&f.opts.Limits.DailyQuota, "daily-quota", DefaultDailyQuota, "AI requests allowed per day (UTC), then 429; 0 for no quota")
	fs.IntVar(&f.opts.Limits.RateLimit, "rate-limit", DefaultRateLimit, "requests allowed per minute per API key, then 429; 0 for no limit")
	RegisterInputFlags(fs, "", &f.opts)
	fs.StringVar(&f.opts.PublicKey, "public-key", "", "the API public key to accept (default: generated)")
	fs.StringVar(&f.opts.PrivateKey, "private-key", "", "the API private key to accept (default: generated)")
	fs.BoolVar(&f.log, "log", false, "log one line per request to stderr (method, path, status, size, duration; never keys or bodies)")
}

// Flag is the command-line flag that names the file of e's Option, as
// RegisterInputFlags defines it: "-answers" or "-data".
func (e *InputError) Flag() string {
	return map[string]string{"AnswersFile": "-answers", "DataFile": "-data"}[e.Option]
}

// RegisterInputFlags defines -answers and -data, the user's answer book and
// data, on fs, for every command that runs an emulator; prefix starts their
// help ("with -emulator: ").
func RegisterInputFlags(fs *flag.FlagSet, prefix string, opts *Options) {
	fs.StringVar(&opts.AnswersFile, "answers", "", prefix+"answer questions from this answer book `file` (HCL) instead of the built-in one")
	fs.StringVar(&opts.DataFile, "data", "", prefix+"run this SQL `file` (CREATE DATABASE, CREATE TABLE, INSERT ...) after loading the sample database")
}

// Options checks the parsed flags and returns the emulator's options, with
// the request log going to log when -log was given; an error names the flag
// that is wrong.
func (f *Flags) Options(log io.Writer) (opts Options, err error) {
	opts = f.opts
	switch {
	case (opts.PublicKey == "") != (opts.PrivateKey == ""):
		return opts, errors.New("give both -public-key and -private-key, or neither to generate a pair")
	case opts.Limits.DailyQuota < 0 || opts.Limits.RateLimit < 0:
		return opts, errors.New("-daily-quota and -rate-limit must not be negative (0 turns them off)")
	case !(opts.Faults.FailRate >= 0 && opts.Faults.FailRate <= 1):
		return opts, fmt.Errorf("-fail-rate must be from 0 to 1, got %v", opts.Faults.FailRate)
	}
	if opts.LatencyDist, err = ParseDistribution(f.latency, f.seed); err != nil {
		return opts, fmt.Errorf("-latency: %w", err)
	}
	opts.Faults.Seed = f.seed
	if !strings.EqualFold(f.mysqlAddr, "off") {
		opts.MySQLAddr = f.mysqlAddr
	}
	for _, a := range []struct{ flag, addr string }{{"-addr", f.Addr}, {"-mysql-addr", opts.MySQLAddr}} {
		if a.addr != "" && !f.allowRemote && !IsLoopback(a.addr) {
			return opts, fmt.Errorf("%s %s is not a loopback address: anyone who can reach it could use the emulator; "+
				"use 127.0.0.1, or add -allow-remote to serve other machines", a.flag, a.addr)
		}
	}
	if f.log {
		opts.Log = log
	}
	return opts, nil
}

// faultsFlag collects -fault options.
type faultsFlag struct{ script *[]Fault }

func (f faultsFlag) String() string { return "" }
func (f faultsFlag) Set(s string) error {
	faults, err := ParseFaults(s)
	*f.script = append(*f.script, faults...)
	return err
}
