package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptible drives the Ctrl-C logic with fake signals and a fake
// grace timer: which exit code, which message, and whether the command's
// context was canceled.
func TestInterruptible(t *testing.T) {
	tests := []struct {
		name      string
		obeys     bool // the command returns 3 when its context ends
		signals   int
		graceEnds bool // the fake grace timer fires
		want      int
		wantMsg   string
	}{
		{name: "no signal", obeys: true, want: 0},
		{name: "command stops on the first signal", obeys: true, signals: 1, want: 3, wantMsg: "interrupt received: stopping"},
		{name: "command ignores the signal past the grace", signals: 1, graceEnds: true, want: exitInterrupted, wantMsg: "still running 1s after the interrupt"},
		{name: "second signal exits at once", signals: 2, want: exitInterrupted, wantMsg: "two interrupts received: exiting at once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := make(chan os.Signal, 2)
			grace := make(chan time.Time, 1)
			var asked []time.Duration
			after := func(d time.Duration) <-chan time.Time { asked = append(asked, d); return grace }
			started, release := make(chan struct{}), make(chan struct{})
			defer close(release)
			var stderr bytes.Buffer
			code := make(chan int, 1)
			go func() {
				code <- interruptible(sigs, after, &stderr, func(ctx context.Context) int {
					close(started)
					if tt.obeys && tt.signals == 0 {
						return 0
					}
					if tt.obeys {
						<-ctx.Done()
						return 3
					}
					<-release // a command that never looks at its context
					return 0
				})
			}()
			<-started
			for range tt.signals {
				sigs <- os.Interrupt
			}
			if tt.graceEnds {
				grace <- time.Time{}
			}
			if got := <-code; got != tt.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", got, tt.want, stderr.String())
			}
			if tt.wantMsg != "" && !strings.Contains(stderr.String(), tt.wantMsg) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantMsg, stderr.String())
			}
			if tt.signals > 0 && (len(asked) != 1 || asked[0] != interruptGrace) {
				t.Errorf("grace timers asked for: %v, want one of %v", asked, interruptGrace)
			}
			if tt.signals == 0 && stderr.Len() > 0 {
				t.Errorf("unexpected output without a signal: %q", stderr.String())
			}
		})
	}
}

// TestServeStopsOnSIGINT sends a real SIGINT to c2q serve running as its own
// process: it stops cleanly with exit 0.
func TestServeStopsOnSIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample database")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "c2q") // testscript.Main runs main for a binary named c2q
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip("no symlinks here:", err)
	}
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-mysql-addr", "off", "-latency", "0s")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	var out strings.Builder
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "Press Ctrl-C to stop.") {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
	}
	err = cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatal(err)
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out.String(), stderr.String())
	}
	if !strings.Contains(out.String(), "Stopped.") || !strings.Contains(stderr.String(), "interrupt received") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out.String(), stderr.String())
	}
}
