package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
)

// verifyTop5Question is answered by the built-in answer book with
// SELECT company_name, market_cap FROM companies ORDER BY market_cap DESC
// LIMIT 5; the sixth company (Meta Platforms) is what LIMIT 6 adds.
const verifyTop5Question = "Which five companies have the largest market cap?"

// verifyResultConfig is the end-to-end scenario: one match = "result" check
// that passes (columns swapped, no ORDER BY: compared as a bag, by column
// name) and one that fails (a sixth row the answer lacks).
const verifyResultConfig = `session "s" {
  cluster_id = "10140100115280519574"
  database   = "sp500insight"

  question "swapped" {
    ask = "` + verifyTop5Question + `"
    expect {
      sql   = "SELECT market_cap, company_name FROM companies WHERE market_cap >= 2291697870000"
      match = "result"
    }
  }
  question "six" {
    ask = "` + verifyTop5Question + `"
    expect {
      sql   = "SELECT company_name, market_cap FROM companies ORDER BY market_cap DESC LIMIT 6"
      match = "result"
    }
  }
}
`

// verifyEmu is the emulator the TestVerifyDSN subtests share: the Chat2Query
// API and the same data over the MySQL protocol, on loopback ports.
type verifyEmu struct {
	*emulator.Running
	log *lockedBuffer // one line per API request
}

func startVerifyEmulator(t *testing.T) *verifyEmu {
	t.Helper()
	log := &lockedBuffer{}
	emu, err := emulator.Start(context.Background(), "127.0.0.1:0", emulator.Options{
		Latency:   0, // jobs are done at once
		MySQLAddr: "127.0.0.1:0",
		Log:       log,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := emu.Close(); err != nil {
			t.Errorf("closing the emulator: %v", err)
		}
	})
	if emu.MySQLAddr == "" || emu.DSN == "" {
		t.Fatalf("the emulator serves no MySQL endpoint: MySQLAddr %q, DSN %q", emu.MySQLAddr, emu.DSN)
	}
	return &verifyEmu{Running: emu, log: log}
}

// dsn is a go-sql-driver DSN for the emulator's MySQL endpoint, without a
// default database (the session's database is the one used).
func (e *verifyEmu) dsn(password string) string {
	return e.PublicKey + ":" + password + "@tcp(" + e.MySQLAddr + ")/"
}

// verifyRun is one c2q command's outcome.
type verifyRun struct {
	code           int
	stdout, stderr string
	apiRequests    int // API requests the emulator received during the run
}

// apply runs `c2q apply -no-color DIR` as a user does without -emulator:
// the endpoint and its keys from the environment. env adds variables, and
// may override C2Q_VERIFY_DSN.
func (e *verifyEmu) apply(t *testing.T, config string, env map[string]string, args ...string) verifyRun {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.c2q.hcl"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NO_COLOR", "1")
	t.Setenv("C2Q_URL", e.URL)
	t.Setenv("C2Q_PUBLIC_KEY", e.PublicKey)
	t.Setenv("C2Q_PRIVATE_KEY", e.PrivateKey)
	for k, v := range env {
		t.Setenv(k, v)
	}
	// Without -emulator, apply polls with the real service's policy, whose
	// first poll comes seconds later; the zero-latency emulator has the
	// answer at once.
	serviceWait = chat2query.WaitOptions{FirstPoll: -1, Interval: time.Millisecond, MaxInterval: time.Millisecond}
	defer func() { serviceWait = chat2query.WaitOptions{} }()
	before := strings.Count(e.log.String(), "\n")
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, append(append([]string{"apply", "-no-color"}, args...), dir), &stdout, &stderr)
	return verifyRun{code: code, stdout: stdout.String(), stderr: stderr.String(),
		apiRequests: strings.Count(e.log.String(), "\n") - before}
}

// noSecret fails when a run's output shows secret.
func (r verifyRun) noSecret(t *testing.T, what, secret string) {
	t.Helper()
	if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
		t.Errorf("the output shows the %s %q:\nstdout:\n%s\nstderr:\n%s", what, secret, r.stdout, r.stderr)
	}
}

func (r verifyRun) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// TestVerifyDSN runs apply without -emulator, its match = "result" checks
// on a real MySQL-protocol server named by a DSN: the emulator's MySQL
// endpoint, serving the same sample data its answers come from.
func TestVerifyDSN(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample database")
	}
	emu := startVerifyEmulator(t)
	password := emu.PrivateKey // the MySQL login is the API key pair

	t.Run("env", func(t *testing.T) {
		r := emu.apply(t, verifyResultConfig, map[string]string{"C2Q_VERIFY_DSN": emu.dsn(password)})
		if r.code != exitFailed {
			t.Errorf("exit %d, want %d (one question fails)\n%s", r.code, exitFailed, r)
		}
		for _, re := range []string{
			`(?m)^  pass  swapped\b`,
			`(?m)^  FAIL  six\b`,
			`(?m)^        expect\.sql at .*main\.c2q\.hcl:\d+: the answer's data against the expected SQL's result: `,
			// The table diff names the sixth company, which the answer lacks.
			`(?m)^          - .*Meta Platforms`,
			`(?m)^1 passed, 1 failed, 0 errored, 0 skipped;`,
		} {
			if !regexp.MustCompile(re).MatchString(r.stdout) {
				t.Errorf("stdout does not match %s:\n%s", re, r.stdout)
			}
		}
		if r.stderr != "" {
			t.Errorf("stderr: %s", r.stderr)
		}
		r.noSecret(t, "DSN's password", password)
		if r.apiRequests == 0 {
			t.Error("the emulator logged no API request")
		}

		// The same configuration under -emulator, whose in-process engine
		// judges instead, reaches the same verdicts with the same diff.
		em := emu.apply(t, verifyResultConfig, nil, "-emulator", "-emulator-latency", "0")
		if d := diffLines(r.stdout); !strings.Contains(d, "Meta Platforms") || em.code != r.code || diffLines(em.stdout) != d {
			t.Errorf("-emulator differs from the DSN path:\n%s\nDSN path:\n%s", em, r)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		const wrong = "not-the-key-0f9e8d"
		r := emu.apply(t, verifyResultConfig, map[string]string{"C2Q_VERIFY_DSN": emu.dsn(wrong)})
		if r.code != exitRuntime {
			t.Errorf("exit %d, want %d (the expected SQL cannot run)\n%s", r.code, exitRuntime, r)
		}
		// The DSN is tried before any question is asked: a wrong password
		// costs no AI request.
		re := `^c2q apply: verify: ` + regexp.QuoteMeta(emu.MySQLAddr) + `: cannot connect: .*Access denied.*; no question was asked\n$`
		if !regexp.MustCompile(re).MatchString(r.stderr) || r.stdout != "" || r.apiRequests != 0 {
			t.Errorf("stderr does not match %s, or stdout is not empty, or %d API requests were made:\n%s", re, r.apiRequests, r)
		}
		r.noSecret(t, "wrong password", wrong)
		r.noSecret(t, "API private key", password)
	})

	t.Run("malformed DSN", func(t *testing.T) {
		const secret = "s3cret-pw-77"
		r := emu.apply(t, verifyResultConfig, map[string]string{
			"C2Q_VERIFY_DSN": emu.PublicKey + ":" + secret + "@tcp(" + emu.MySQLAddr + "/sp500insight",
		})
		if r.code != exitUsage {
			t.Errorf("exit %d, want %d\n%s", r.code, exitUsage, r)
		}
		if !strings.Contains(r.stderr, "invalid MySQL DSN") || !strings.Contains(r.stderr, "network address not terminated") {
			t.Errorf("stderr does not say what is wrong with the DSN:\n%s", r.stderr)
		}
		if r.apiRequests != 0 || r.stdout != "" {
			t.Errorf("apply made %d API requests before refusing the DSN\n%s", r.apiRequests, r)
		}
		r.noSecret(t, "DSN's password", secret)
	})

	t.Run("sensitive variable", func(t *testing.T) {
		config := strings.Replace(verifyResultConfig, `session "s" {`, `variable "dsn" {
  type      = string
  sensitive = true
}
verify {
  dsn = var.dsn
}
session "s" {`, 1)
		// C2Q_VERIFY_DSN, with a wrong password, is what the verify block
		// overrides: the run passes only if the variable's DSN is used.
		const wrong = "env-password-is-wrong"
		r := emu.apply(t, config, map[string]string{
			"C2Q_VAR_dsn":    emu.dsn(password),
			"C2Q_VERIFY_DSN": emu.dsn(wrong),
		})
		if r.code != exitFailed {
			t.Errorf("exit %d, want %d (one question fails)\n%s", r.code, exitFailed, r)
		}
		for _, re := range []string{
			`(?m)^  pass  swapped\b`,
			`(?m)^  FAIL  six\b`,
			`(?m)^          - .*Meta Platforms`,
			`(?m)^1 passed, 1 failed, 0 errored, 0 skipped;`,
		} {
			if !regexp.MustCompile(re).MatchString(r.stdout) {
				t.Errorf("stdout does not match %s:\n%s", re, r.stdout)
			}
		}
		if strings.Contains(r.stderr, "Credentials in a configuration file") {
			t.Errorf("a DSN from a sensitive variable is warned about:\n%s", r.stderr)
		}
		r.noSecret(t, "DSN's password", password)

		// A wrong password in the variable errors the same way as in the
		// environment, and stays hidden.
		r = emu.apply(t, config, map[string]string{"C2Q_VAR_dsn": emu.dsn(wrong), "C2Q_VERIFY_DSN": emu.dsn(password)})
		if r.code != exitRuntime || !strings.Contains(r.stderr, "cannot connect") {
			t.Errorf("exit %d, want %d with the expected SQL not run\n%s", r.code, exitRuntime, r)
		}
		r.noSecret(t, "wrong password", wrong)
	})

	// c2q sql compare -match result takes the same DSN, from the environment.
	t.Run("sql compare", func(t *testing.T) {
		t.Setenv("C2Q_VERIFY_DSN", emu.dsn(password))
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"sql", "compare", "-match", "result", "-database", "sp500insight",
			"SELECT company_name FROM companies ORDER BY market_cap DESC LIMIT 3",
			"SELECT company_name FROM companies ORDER BY market_cap DESC LIMIT 2"}, &stdout, &stderr)
		r := verifyRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
		if code != exitFailed || !strings.Contains(r.stdout, "different under result: 1 of 3 expected rows is missing") ||
			!strings.Contains(r.stdout, `- "Microsoft Corporation"`) {
			t.Errorf("want exit 1 and the missing row\n%s", r)
		}
		r.noSecret(t, "DSN's password", password)
	})
}

// diffLines is a report's check messages, table diffs and rules (its lines
// indented 8 spaces or more), with the config's temporary path shortened;
// not the question lines or the summary, which have job ids and timings.
func diffLines(stdout string) string {
	var b strings.Builder
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "        ") {
			b.WriteString(regexp.MustCompile(`/\S*/main\.c2q\.hcl`).ReplaceAllString(l, "main.c2q.hcl") + "\n")
		}
	}
	return b.String()
}

// TestWrongKeys runs apply with a wrong private key: the client says
// authentication failed after the digest challenge and its answer, asks
// nothing more, and the CLI adds where the keys came from.
func TestWrongKeys(t *testing.T) {
	emu := startVerifyEmulator(t)
	const wrong = "not-the-private-key-5e4d"
	config := `session "s" {
  cluster_id = "10140100115280519574"
  database   = "sp500insight"
  question "a" {
    ask = "How many companies are there?"
  }
  question "b" {
    ask = "How many sectors are there?"
  }
}
`
	r := emu.apply(t, config, map[string]string{"C2Q_PRIVATE_KEY": wrong})
	if r.code != exitRuntime {
		t.Errorf("want exit %d:\n%v", exitRuntime, r)
	}
	if r.apiRequests != 2 {
		t.Errorf("the emulator saw %d requests, want 2 (the challenge and the refused answer):\n%v", r.apiRequests, r)
	}
	for _, want := range []string{"authentication failed", "The keys come from C2Q_PUBLIC_KEY and C2Q_PRIVATE_KEY"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("the output lacks %q:\n%v", want, r)
		}
	}
	r.noSecret(t, "wrong private key", wrong)
	r.noSecret(t, "private key", emu.PrivateKey)
}
