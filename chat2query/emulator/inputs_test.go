package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
	"github.com/hashicorp/hcl/v2"
)

// The user's own data and answer book, as c2q serve -data and -answers
// take them.
const (
	zooSQL = `CREATE DATABASE zoo;
USE zoo;
CREATE TABLE animals (name VARCHAR(20) PRIMARY KEY, legs INT);
INSERT INTO animals VALUES ('emu', 2), ('ant', 6), ('cat', 4);
`
	zooBook = `answer "legs" {
  match          = ["(?i)most legs"]
  sql            = "SELECT name, legs FROM animals ORDER BY legs DESC LIMIT 2"
  clarified_task = "Find the two animals with the most legs."
}
`
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStartWithInputs starts the emulator as c2q serve does: the user's
// answer book and data, a MySQL endpoint, generated keys.
func TestStartWithInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample database")
	}
	ctx := context.Background()
	opts := emulator.Options{AnswersFile: writeFile(t, "zoo.hcl", zooBook), DataFile: writeFile(t, "zoo.sql", zooSQL), MySQLAddr: "127.0.0.1:0"}
	if err := emulator.CheckInputs(ctx, opts); err != nil {
		t.Fatalf("CheckInputs: %v", err)
	}
	emu, err := emulator.Start(ctx, "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := emu.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	if emu.PublicKey == "" || emu.PrivateKey == "" {
		t.Fatal("Start generated no keys")
	}
	for _, s := range []string{fmt.Sprint(emu), fmt.Sprintf("%+v", emu), fmt.Sprintf("%#v", emu)} {
		if strings.Contains(s, emu.PrivateKey) {
			t.Errorf("printing the emulator shows its private key: %s", s)
		}
	}

	d := emu.Describe()
	if !slices.Equal(d.Databases, []string{"sp500insight", "zoo"}) || d.DefaultDatabase != "sp500insight" || d.ClusterID != emulator.DefaultClusterID {
		t.Errorf("Describe = %+v", d)
	}
	wantCmd := fmt.Sprintf("mysql --host 127.0.0.1 --port %s --user %s --password=%s sp500insight",
		emu.MySQLAddr[strings.LastIndexByte(emu.MySQLAddr, ':')+1:], emu.PublicKey, emu.PrivateKey)
	if d.MySQLCommand != wantCmd {
		t.Errorf("MySQLCommand = %q, want %q", d.MySQLCommand, wantCmd)
	}

	// The user's book answers from the user's data.
	c, err := chat2query.New(emu.URL, emu.PublicKey, emu.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := c.Chat2Data(ctx, chat2query.Chat2DataRequest{ClusterID: emulator.DefaultClusterID, Database: "zoo", Question: "Which animals have the most legs?"})
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.WaitJob(ctx, ref.JobID, emu.WaitOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a, err := job.Answer(); err != nil || a.Data == nil || len(a.Data.Rows) != 2 || a.Data.Rows[0][0] != "ant" {
		t.Errorf("answer %+v, %v", a, err)
	}
	// A caller that judges answers runs SQL on the same data.
	if res, err := emu.DB().Query(ctx, "zoo", "SELECT COUNT(*) FROM animals"); err != nil || res.Rows[0][0] != int64(3) {
		t.Errorf("DB().Query: %+v, %v", res, err)
	}
}

// TestInputErrors: a mistake in the user's files is an *InputError that
// names the option, from CheckInputs as from Start.
func TestInputErrors(t *testing.T) {
	badBook := writeFile(t, "bad.hcl", "answer \"x\" {\n  match = [\"(\"]\n}\n")
	missing := filepath.Join(t.TempDir(), "missing.hcl")
	for _, tc := range []struct {
		name   string
		opts   emulator.Options
		option string
		check  func(t *testing.T, ie *emulator.InputError)
	}{
		{"missing answer book", emulator.Options{AnswersFile: missing}, "AnswersFile", func(t *testing.T, ie *emulator.InputError) {
			if !errors.Is(ie, fs.ErrNotExist) {
				t.Errorf("err = %v, want fs.ErrNotExist", ie)
			}
		}},
		{"bad answer book", emulator.Options{AnswersFile: badBook}, "AnswersFile", func(t *testing.T, ie *emulator.InputError) {
			regexp := slices.ContainsFunc(ie.Diagnostics, func(d *hcl.Diagnostic) bool { return d.Summary == "Invalid regular expression" })
			if !regexp || ie.Files[badBook] == nil || !strings.HasPrefix(ie.Error(), "emulator: AnswersFile: "+badBook) {
				t.Errorf("diagnostics %v, files %v", ie.Diagnostics, ie.Files)
			}
		}},
		{"answer book nested too deep", emulator.Options{AnswersFile: writeFile(t, "deep.hcl", "x = "+strings.Repeat("(", 100000))}, "AnswersFile", func(t *testing.T, ie *emulator.InputError) {
			if len(ie.Diagnostics) != 1 || ie.Diagnostics[0].Summary != "Nesting too deep" {
				t.Errorf("diagnostics %v, want Nesting too deep (the parser would exhaust the stack)", ie.Diagnostics)
			}
		}},
		{"answer book too large", emulator.Options{AnswersFile: writeFile(t, "large.hcl", strings.Repeat("#\n", emulator.MaxAnswersSize/2+1))}, "AnswersFile", func(t *testing.T, ie *emulator.InputError) {
			if !strings.Contains(ie.Error(), "over the limit of 4 MiB") {
				t.Errorf("err = %v, want the limit named", ie)
			}
		}},
		{"bad data", emulator.Options{DataFile: writeFile(t, "bad.sql", "CREATE TABLE t (a INT);\nINSERT INTO nope VALUES (1);\n")}, "DataFile", func(t *testing.T, ie *emulator.InputError) {
			if !strings.Contains(ie.Error(), "statement 2 (line 2)") {
				t.Errorf("err = %v, want the failing statement", ie)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.DataFile != "" && testing.Short() {
				t.Skip("loads the sample database")
			}
			for _, f := range []func() error{
				func() error { return emulator.CheckInputs(context.Background(), tc.opts) },
				func() error {
					emu, err := emulator.Start(context.Background(), "127.0.0.1:0", tc.opts)
					if err == nil {
						emu.Close()
					}
					return err
				},
			} {
				var ie *emulator.InputError
				if err := f(); !errors.As(err, &ie) || ie.Option != tc.option {
					t.Fatalf("err = %v, want an *InputError about %s", err, tc.option)
				}
				tc.check(t, ie)
			}
		})
	}
	// Given as values, the book and the database are the caller's: the
	// files cannot replace them.
	for _, opts := range []emulator.Options{{Book: testBook(), AnswersFile: badBook}, {DB: testDB(), DataFile: "x.sql"}} {
		_, err := emulator.Start(context.Background(), "127.0.0.1:0", opts)
		if err == nil || errors.As(err, new(*emulator.InputError)) || !strings.Contains(err.Error(), "not both") {
			t.Errorf("Start(%+v) = %v, want a conflict of options", opts, err)
		}
	}
}

func TestWaitOptions(t *testing.T) {
	for _, tc := range []struct {
		opts emulator.Options
		want chat2query.WaitOptions
	}{
		{emulator.Options{}, chat2query.WaitOptions{FirstPoll: -1, Interval: 1e6, MaxInterval: 1e6}},
		{emulator.Options{Latency: 2e9}, chat2query.WaitOptions{FirstPoll: 2e9, Interval: 5e8, MaxInterval: 2e9}},
		{emulator.Options{LatencyDist: emulator.Uniform(1e9, 2e9, 1)}, chat2query.WaitOptions{}},
	} {
		tc.opts.PublicKey, tc.opts.PrivateKey, tc.opts.DB, tc.opts.Book = testPub, testPriv, testDB(), testBook()
		srv, err := emulator.New(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := srv.WaitOptions(); got.FirstPoll != tc.want.FirstPoll || got.Interval != tc.want.Interval || got.MaxInterval != tc.want.MaxInterval {
			t.Errorf("latency %v %v: WaitOptions = %+v, want %+v", tc.opts.Latency, tc.opts.LatencyDist, got, tc.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:0": true, "[::1]:4000": true, "127.1.2.3:1": true,
		":8080": false, "0.0.0.0:0": false, "[::]:0": false, "10.0.0.1:80": false, "example.com:80": false, "127.0.0.1": false,
	} {
		if got := emulator.IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
