package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// FileSuffix is the suffix of the configuration files in a directory.
const FileSuffix = ".c2q.hcl"

// LoadOptions carries what Load needs from outside the configuration.
type LoadOptions struct {
	// Vars are "name=value" assignments from -var options, in command-line
	// order: a later assignment to the same name wins.
	Vars []string

	// Getenv looks up an environment variable (C2Q_VAR_name, C2Q_URL,
	// C2Q_PUBLIC_KEY, C2Q_PRIVATE_KEY). Nil means an empty environment.
	Getenv func(string) (string, bool)
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "chat2query"},
		{Type: "session", LabelNames: []string{"label"}},
	},
}

// Load reads the configuration at path: every *.c2q.hcl file directly in a
// directory (sorted by name; subdirectories and names starting with "." are
// ignored), or one file of any name.
//
// The Config is never nil. When the diagnostics have errors it may be
// partial and must not be run, but its Files still serve to render the
// diagnostics. Diagnostics are sorted by file and position. When a file has
// syntax errors, Load stops after parsing all files, since decoding what
// the parser recovered would report errors that are not there.
func Load(path string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	cfg := &Config{
		Files:      make(map[string]*hcl.File),
		Variables:  make(map[string]*Variable),
		Chat2Query: Chat2Query{Timeout: DefaultTimeout},
	}
	filenames, diags := configFiles(path)

	var files []*hcl.File
	for _, name := range filenames {
		src, err := os.ReadFile(name)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Failed to read file",
				Detail:   fmt.Sprintf("The configuration file %q could not be read: %s.", name, err),
			})
			continue
		}
		file, fileDiags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		diags = append(diags, fileDiags...)
		if file != nil {
			cfg.Files[name] = file
			files = append(files, file)
		}
	}
	if !diags.HasErrors() {
		diags = append(diags, cfg.decode(files, opts)...)
	}
	sortDiagnostics(diags)
	return cfg, diags
}

// configFiles lists the files that make up the configuration at path.
func configFiles(path string) ([]string, hcl.Diagnostics) {
	info, err := os.Stat(path)
	if err != nil {
		detail := fmt.Sprintf("The configuration at %q could not be read: %s.", path, err)
		if errors.Is(err, fs.ErrNotExist) {
			detail = fmt.Sprintf("There is no file or directory at %q.", path)
		}
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   detail,
		}}
	}
	if !info.IsDir() {
		return []string{path}, nil
	}

	entries, err := os.ReadDir(path) // sorted by name
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   fmt.Sprintf("The directory %q could not be read: %s.", path, err),
		}}
	}
	var names []string
	for _, e := range entries {
		// Names starting with "." are editor backups and lock files.
		if e.IsDir() || !strings.HasSuffix(e.Name(), FileSuffix) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, filepath.Join(path, e.Name()))
	}
	if len(names) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail: fmt.Sprintf("The directory %q contains no *%s files. A configuration is the *%s files directly in a directory, or a single file given by name.",
				path, FileSuffix, FileSuffix),
		}}
	}
	return names, nil
}

// decode fills cfg from the parsed files. Variables come first, from all
// files, because every other block may refer to them.
func (cfg *Config) decode(files []*hcl.File, opts LoadOptions) hcl.Diagnostics {
	var diags hcl.Diagnostics
	var variableBlocks, chat2queryBlocks, sessionBlocks []*hcl.Block
	for _, f := range files {
		content, moreDiags := bodyContent(f.Body, rootSchema)
		diags = append(diags, moreDiags...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "variable":
				variableBlocks = append(variableBlocks, b)
			case "chat2query":
				chat2queryBlocks = append(chat2queryBlocks, b)
			case "session":
				sessionBlocks = append(sessionBlocks, b)
			}
		}
	}

	var decls []*variableDecl
	for _, b := range variableBlocks {
		decl, moreDiags := decodeVariable(b)
		diags = append(diags, moreDiags...)
		if first, dup := cfg.Variables[decl.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate variable declaration",
				Detail: fmt.Sprintf("A variable named %q was already declared at %s. Variable names must be unique within a configuration.",
					decl.Name, where(first.DeclRange)),
				Subject: b.LabelRanges[0].Ptr(),
			})
			continue
		}
		cfg.Variables[decl.Name] = decl.Variable
		decls = append(decls, decl)
	}
	diags = append(diags, assignValues(decls, opts)...)
	s := newScope(cfg.Variables)

	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	var c2qBlock *hcl.Block
	for _, b := range chat2queryBlocks {
		if c2qBlock != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate chat2query block",
				Detail: fmt.Sprintf("Only one chat2query block is allowed in a configuration. Another was defined at %s.",
					where(c2qBlock.DefRange)),
				Subject: b.DefRange.Ptr(),
			})
			// Decoded anyway, for the errors inside it.
			_, moreDiags := decodeChat2Query(b, s, getenv)
			diags = append(diags, moreDiags...)
			continue
		}
		c2qBlock = b
	}
	var moreDiags hcl.Diagnostics
	cfg.Chat2Query, moreDiags = decodeChat2Query(c2qBlock, s, getenv)
	diags = append(diags, moreDiags...)

	seen := make(map[string]*Session)
	for _, b := range sessionBlocks {
		sess, moreDiags := decodeSession(b, s, cfg.Chat2Query.Timeout)
		diags = append(diags, moreDiags...)
		if first, dup := seen[sess.Label]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate session",
				Detail: fmt.Sprintf("A session labeled %q was already declared at %s. Session labels must be unique within a configuration.",
					sess.Label, where(first.DeclRange)),
				Subject: b.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[sess.Label] = sess
		cfg.Sessions = append(cfg.Sessions, sess)
	}
	return diags
}

// checkLabel reports a block label that is not an identifier: labels name
// things that expressions refer to, so they must be writable in a traversal.
func checkLabel(block *hcl.Block, what string) hcl.Diagnostics {
	label := block.Labels[0]
	if hclsyntax.ValidIdentifier(label) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what,
		Detail: fmt.Sprintf("%q is not a valid %s: it must start with a letter or underscore and contain only letters, digits, underscores and dashes.",
			label, what),
		Subject: block.LabelRanges[0].Ptr(),
	}}
}

// where renders the start of r as file:line, for details that mention a
// second place in the configuration.
func where(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// sortDiagnostics orders diags as a reader meets them: those without a
// source range first, then by file and position. HCL reports unsupported
// arguments in map order, so without this the output would not be stable.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		if a == nil || b == nil {
			return a == nil && b != nil
		}
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
