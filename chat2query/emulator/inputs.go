package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/c2q/c2q/chat2query/emulator/answerbook"
	"github.com/c2q/c2q/chat2query/emulator/sqldb"
	"github.com/hashicorp/hcl/v2"
)

// InputError is a problem in one of the user's files that Options names:
// the emulator did not start. A command reports it as a mistake in its
// input, not as a failure of the emulator.
type InputError struct {
	// Option is the field that names the file, "AnswersFile" or
	// "DataFile"; Path is the file's path.
	Option, Path string
	// Err is what is wrong: the file cannot be read, the data script's
	// failing statement (numbered, with its line), or the answer book's
	// Diagnostics.
	Err error
	// Diagnostics are the answer book's errors, with source ranges into
	// Files, which holds the book's source so that the diagnostics can be
	// shown with snippets.
	Diagnostics hcl.Diagnostics
	Files       map[string]*hcl.File
}

func (e *InputError) Error() string { return "emulator: " + e.Option + ": " + e.Err.Error() }

func (e *InputError) Unwrap() error { return e.Err }

// CheckInputs reads the user's files that opts names, AnswersFile and
// DataFile, as New does, without serving anything: a command that plans
// offline finds the mistakes that would stop the emulator. A problem in the
// files is an *InputError.
func CheckInputs(ctx context.Context, opts Options) error {
	if _, err := loadBook(opts); err != nil {
		return err
	}
	if opts.DataFile == "" {
		return nil
	}
	db, err := OpenDB(ctx, opts.DataFile)
	if err != nil {
		return err
	}
	return db.Close()
}

// OpenDB opens the built-in sample database and runs the SQL script in the
// file dataFile on it ("" for none): the database a Server opens when
// Options.DB is nil. A problem in the script is an *InputError.
func OpenDB(ctx context.Context, dataFile string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx)
	if err != nil {
		return nil, fmt.Errorf("emulator: opening the sample database: %w", err)
	}
	if dataFile != "" {
		if err := db.LoadFile(ctx, dataFile); err != nil {
			db.Close()
			return nil, &InputError{Option: "DataFile", Path: dataFile, Err: err}
		}
	}
	return db, nil
}

// MaxAnswersSize is the largest answer book file, in bytes: the built-in
// book is 60 KiB, and parsing takes a few hundred bytes of memory per byte.
const MaxAnswersSize = 4 << 20

// readFile reads the file at path when it has at most limit bytes.
func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(src)) > limit {
		err = fmt.Errorf("the file is over the limit of %d MiB", limit>>20)
	}
	return src, err
}

// loadBook reads the answer book of opts.AnswersFile; nil when there is
// none.
func loadBook(opts Options) (*answerbook.Book, error) {
	path := opts.AnswersFile
	switch {
	case path == "":
		return nil, nil
	case opts.Book != nil:
		return nil, errors.New("emulator: set Book or AnswersFile, not both")
	}
	src, err := readFile(path, MaxAnswersSize)
	if err != nil {
		return nil, &InputError{Option: "AnswersFile", Path: path, Err: err}
	}
	book, diags := answerbook.Parse(src, path)
	if diags.HasErrors() {
		return nil, &InputError{Option: "AnswersFile", Path: path, Err: diags, Diagnostics: diags,
			Files: map[string]*hcl.File{path: {Bytes: src}}}
	}
	return book, nil
}

// InputsPhrase names the user's files that opts gives the emulator, as
// " with answer book F and data G"; "" for none.
func (o Options) InputsPhrase() string {
	var parts []string
	if o.AnswersFile != "" {
		parts = append(parts, "answer book "+o.AnswersFile)
	}
	if o.DataFile != "" {
		parts = append(parts, "data "+o.DataFile)
	}
	if len(parts) == 0 {
		return ""
	}
	return " with " + strings.Join(parts, " and ")
}
