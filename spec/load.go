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
	"github.com/zclconf/go-cty/cty"
)

// FileSuffix is the suffix of the configuration files in a directory.
const FileSuffix = ".c2q.hcl"

// LoadOptions carries what Load needs from outside the configuration.
type LoadOptions struct {
	// VarArgs are the -var and -var-file options, in command-line order: a
	// later assignment to the same name wins.
	VarArgs []VarArg

	// Vars are "name=value" assignments from -var options, in command-line
	// order, applied after VarArgs: the same as VarArgs without File, for
	// callers that have no -var-file.
	Vars []string

	// Getenv looks up an environment variable (C2Q_VAR_name, C2Q_URL,
	// C2Q_PUBLIC_KEY, C2Q_PRIVATE_KEY, C2Q_VERIFY_DSN). Nil means an empty environment.
	Getenv func(string) (string, bool)
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "chat2query"},
		{Type: "verify"},
		{Type: "session", LabelNames: []string{"label"}},
		{Type: "output", LabelNames: []string{"name"}},
	},
}

// Load reads the configuration at path: every *.c2q.hcl file directly in a
// directory (sorted by name; subdirectories and names starting with "." are
// ignored), or one file of any name. Variables get their values from, by
// increasing precedence: defaults, C2Q_VAR_name environment variables, the
// *.auto.c2qvars files of the directory (in name order; none for a single
// file), and the -var-file and -var options.
//
// Everything that can be checked without a request is checked: references
// (with "did you mean"), types, durations, modes, variable validations,
// expected SQL that does not depend on an answer, constant regular
// expressions and SQL given to functions.
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
		Locals:     make(map[string]*Local),
		Chat2Query: Chat2Query{Timeout: DefaultTimeout, Mode: ModeDirect},
		Dir:        path,
		vars:       cty.EmptyObjectVal,
		locals:     cty.EmptyObjectVal,
	}
	filenames, autoFiles, diags := configFiles(path)
	if len(filenames) == 1 && filenames[0] == path {
		cfg.Dir = filepath.Dir(path)
	}
	cfg.baseFuncs = functions(cfg.Dir)
	cfg.budget = &evalBudget{}
	cfg.funcs = guardFunctions(cfg.baseFuncs, cfg.budget)
	defer func() { cfg.budget, cfg.funcs = nil, nil }()

	var files []*hcl.File
	for _, name := range filenames {
		src, err := cfg.readSource(name)
		var tl *errTooLarge
		switch {
		case errors.As(err, &tl) && tl.limit == MaxFileSize:
			diags = append(diags, fileTooLarge("configuration file", name, err))
			continue
		case errors.As(err, &tl):
			diags = append(diags, configTooLarge(name, tl.size))
			continue
		case err != nil:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Failed to read file",
				Detail:   fmt.Sprintf("The configuration file %q could not be read: %s.", name, err),
			})
			continue
		}
		file, fileDiags := parseConfig(src, name)
		diags = append(diags, fileDiags...)
		if file != nil {
			guardBody(file.Body)
			cfg.Files[name] = file
			files = append(files, file)
		}
	}
	if !diags.HasErrors() {
		diags = append(diags, cfg.decode(files, autoFiles, opts)...)
	}
	diags = dedupe(diags)
	cfg.masks = append(cfg.masks, secretRanges(cfg.Files, cfg.secrets)...)
	redactDiagnostics(diags, cfg.secrets)
	maskDiagnostics(diags, cfg.masks)
	sortDiagnostics(diags)
	return cfg, diags
}

// readSource reads a configuration or variables file of at most
// MaxFileSize bytes, counting it in the configuration's total, which may
// not go over MaxConfigSize.
func (cfg *Config) readSource(path string) ([]byte, error) {
	src, err := readLimited(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	cfg.sourceSize += int64(len(src))
	if cfg.sourceSize > MaxConfigSize {
		return nil, &errTooLarge{cfg.sourceSize, MaxConfigSize}
	}
	return src, nil
}

// dedupe drops diagnostics identical to an earlier one: the instances of a
// session block share their expressions, and a mistake in one is reported
// once.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	type key struct {
		severity        hcl.DiagnosticSeverity
		summary, detail string
		subject         hcl.Range
	}
	seen := make(map[key]bool, len(diags))
	out := diags[:0]
	for _, d := range diags {
		k := key{d.Severity, d.Summary, d.Detail, hcl.Range{}}
		if d.Subject != nil {
			k.subject = *d.Subject
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// configFiles lists the files that make up the configuration at path, and
// the variables files to load automatically.
func configFiles(path string) (files, autoVars []string, diags hcl.Diagnostics) {
	info, err := os.Stat(path)
	if err != nil {
		detail := fmt.Sprintf("The configuration at %q could not be read: %s.", path, err)
		if errors.Is(err, fs.ErrNotExist) {
			detail = fmt.Sprintf("There is no file or directory at %q.", path)
		}
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   detail,
		}}
	}
	if !info.IsDir() {
		return []string{path}, nil, nil
	}

	entries, err := os.ReadDir(path) // sorted by name
	if err != nil {
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   fmt.Sprintf("The directory %q could not be read: %s.", path, err),
		}}
	}
	var names []string
	for _, e := range entries {
		// Names starting with "." are editor backups and lock files.
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		switch {
		case strings.HasSuffix(e.Name(), FileSuffix):
			names = append(names, filepath.Join(path, e.Name()))
		case strings.HasSuffix(e.Name(), VarsFileSuffix):
			autoVars = append(autoVars, filepath.Join(path, e.Name()))
		}
	}
	if len(names) == 0 {
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail: fmt.Sprintf("The directory %q contains no *%s files. A configuration is the *%s files directly in a directory, or a single file given by name.",
				path, FileSuffix, FileSuffix),
		}}
	}
	return names, autoVars, nil
}

// loader holds what decoding needs across blocks.
type loader struct {
	cfg *Config

	// bad holds the expressions whose references are wrong: they are
	// reported once and never evaluated.
	bad    map[hcl.Expression]bool
	blocks []*sessionBlock
}

// rules returns the reference rules of a place outside sessions: input
// variables, local values and functions.
func (l *loader) rules(what string) *refRules {
	return &refRules{what: what, locals: true, vars: l.cfg.Variables, loc: l.cfg.Locals, sessions: l.blocks}
}

// checkExpr checks the references of expr, recording it in l.bad on error.
func (l *loader) checkExpr(r *refRules, expr hcl.Expression) hcl.Diagnostics {
	diags := r.check(expr)
	if diags.HasErrors() {
		l.bad[expr] = true
	}
	return diags
}

func (l *loader) checkContent(r *refRules, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, attr := range content.Attributes {
		diags = append(diags, l.checkExpr(r, attr.Expr)...)
	}
	return diags
}

// decode fills cfg from the parsed files. Variables come first, from all
// files, because every other block may refer to them; then locals, the
// chat2query block, sessions (whose instances outputs refer to), outputs.
func (cfg *Config) decode(files []*hcl.File, autoFiles []string, opts LoadOptions) hcl.Diagnostics {
	var diags hcl.Diagnostics
	blocks := map[string][]*hcl.Block{} // by type, in file order
	for _, f := range files {
		content, moreDiags := bodyContent(f.Body, rootSchema)
		diags = append(diags, moreDiags...)
		for _, b := range content.Blocks {
			blocks[b.Type] = append(blocks[b.Type], b)
		}
	}
	l := &loader{cfg: cfg, bad: map[hcl.Expression]bool{}}

	var decls []*variableDecl
	for _, b := range blocks["variable"] {
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
	diags = append(diags, cfg.assignValues(decls, opts, autoFiles)...)
	values := make(map[string]cty.Value, len(cfg.Variables))
	for name, v := range cfg.Variables {
		values[name] = v.Value
		if v.Sensitive {
			values[name] = v.Value.Mark(sensitiveMark)
		}
	}
	cfg.vars = cty.ObjectVal(values)
	cfg.secrets = secretTexts(cfg.Variables)
	for _, d := range decls {
		if d.Sensitive && d.defaultRange != nil {
			cfg.masks = append(cfg.masks, *d.defaultRange)
		}
	}
	diags = append(diags, cfg.validate(decls, cfg.evalContext(cty.NilVal))...)

	// Session blocks are read before anything refers to them, for hints.
	seen := make(map[string]*sessionBlock)
	for _, b := range blocks["session"] {
		sb, moreDiags := decodeSessionStructure(b)
		diags = append(diags, moreDiags...)
		if first, dup := seen[sb.label]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate session",
				Detail: fmt.Sprintf("A session labeled %q was already declared at %s. Session labels must be unique within a configuration.",
					sb.label, where(first.block.DefRange)),
				Subject: b.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[sb.label] = sb
		l.blocks = append(l.blocks, sb)
	}
	cfg.blocks = l.blocks

	diags = append(diags, l.decodeLocals(blocks["locals"])...)

	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	var moreDiags hcl.Diagnostics
	cfg.Chat2Query, moreDiags = onlyOne(blocks["chat2query"], "chat2query", func(b *hcl.Block) (Chat2Query, hcl.Diagnostics) {
		return l.decodeChat2Query(b, getenv)
	})
	diags = append(diags, moreDiags...)
	cfg.Verify, moreDiags = onlyOne(blocks["verify"], "verify", func(b *hcl.Block) (Verify, hcl.Diagnostics) {
		return l.decodeVerify(b, getenv)
	})
	diags = append(diags, moreDiags...)

	for _, sb := range l.blocks {
		diags = append(diags, l.checkSessionRefs(sb)...)
	}
	for _, sb := range l.blocks {
		diags = append(diags, l.expandSession(sb)...)
		cfg.Sessions = append(cfg.Sessions, sb.instances...)
	}

	diags = append(diags, l.decodeOutputs(blocks["output"])...)

	// Constant patterns and SQL given to functions: one diagnostic each,
	// replacing what evaluating the call reported at the same place.
	litDiags, litRanges := l.literalChecks(files)
	if len(litRanges) > 0 {
		kept := diags[:0]
		for _, d := range diags {
			covered := false
			for _, r := range litRanges {
				covered = covered || (d.Subject != nil && within(*d.Subject, r) &&
					(d.Summary == "Invalid function argument" || d.Summary == "Error in function call"))
			}
			if !covered {
				kept = append(kept, d)
			}
		}
		diags = kept
	}
	return append(diags, litDiags...)
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

// secondBlock is the error for a block of a kind allowed once in (e.g. "a
// question"), at second, when the one allowed is at first.
func secondBlock(kind, in string, first, second hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + kind + " block",
		Detail:   fmt.Sprintf("Only one %s block is allowed in %s. Another was defined at %s.", kind, in, where(first)),
		Subject:  second.Ptr(),
	}
}

// labeledContent checks the label of block (what names it, e.g. "session
// label") and decodes its body with schema.
func labeledContent(block *hcl.Block, what string, schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	diags := checkLabel(block, what)
	content, moreDiags := bodyContent(block.Body, schema)
	return content, append(diags, moreDiags...)
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

// onlyOne decodes the first of blocks, of which a configuration may have
// one (decode gets nil when there is none), with an error for each other,
// decoded anyway for the errors inside.
func onlyOne[T any](blocks []*hcl.Block, kind string, decode func(*hcl.Block) (T, hcl.Diagnostics)) (T, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	for _, b := range blocks[min(1, len(blocks)):] {
		diags = append(diags, secondBlock(kind, "a configuration", blocks[0].DefRange, b.DefRange))
		_, more := decode(b)
		diags = append(diags, more...)
	}
	var first *hcl.Block
	if len(blocks) > 0 {
		first = blocks[0]
	}
	v, more := decode(first)
	return v, append(diags, more...)
}
