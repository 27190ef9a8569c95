package spec

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/c2q/c2q/spec/sqlmatch"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions returns the names of the functions that expressions can call,
// sorted, for documentation and "did you mean" hints.
func Functions() []string {
	return sortedKeys(functions(""))
}

// guardFunctions returns funcs with every function guarded: arguments
// that would make a result too large are refused before the call (a
// setproduct of a billion elements, a join of gigabytes), results over
// MaxElements elements or MaxStringSize bytes are refused after it, and
// what each call returns is charged to b.
func guardFunctions(funcs map[string]function.Function, b *evalBudget) map[string]function.Function {
	out := make(map[string]function.Function, len(funcs))
	for name, f := range funcs {
		if unguarded[name] {
			out[name] = f
			continue
		}
		out[name] = guardFunction(name, f, b)
	}
	return out
}

// unguarded are the functions that need no guard: they return a number, a
// bool or a short string, or one of their arguments. A guard costs a
// second walk of the arguments, which length or contains in a loop over a
// large list would feel.
var unguarded = map[string]bool{
	"abs": true, "ceil": true, "floor": true, "log": true, "max": true, "min": true, "parseint": true,
	"pow": true, "signum": true, "sum": true, "endswith": true, "startswith": true, "strcontains": true,
	"alltrue": true, "anytrue": true, "contains": true, "index": true, "length": true,
	"base64sha256": true, "md5": true, "sha1": true, "sha256": true, "sha512": true, "fileexists": true,
	"can": true, "try": true, "sensitive": true, "nonsensitive": true, "tobool": true, "tonumber": true,
}

func guardFunction(name string, f function.Function, b *evalBudget) function.Function {
	// The guard lets unknown, marked and dynamically typed arguments
	// through to f, which handles them (and refines its unknown results)
	// as it always does.
	// A list or set parameter takes any value here, and a tuple is made a
	// list by fastConvert before f converts it.
	passThrough := func(p function.Parameter) function.Parameter {
		p.AllowUnknown, p.AllowMarked, p.AllowDynamicType = true, true, true
		if p.Type.IsListType() || p.Type.IsSetType() {
			p.Type = cty.DynamicPseudoType
		}
		return p
	}
	params := make([]function.Parameter, len(f.Params()))
	for i, p := range f.Params() {
		params[i] = passThrough(p)
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		p := passThrough(*vp)
		varParam = &p
	}
	// lists converts the tuples given to list and set parameters.
	lists := func(args []cty.Value) []cty.Value {
		out := args
		for i, a := range args {
			var ty cty.Type
			switch p := f.VarParam(); {
			case name == "tolist" || name == "toset":
				ty = map[string]cty.Type{"tolist": cty.List(cty.DynamicPseudoType), "toset": cty.Set(cty.DynamicPseudoType)}[name]
			case i < len(f.Params()):
				ty = f.Params()[i].Type
			case p != nil:
				ty = p.Type
			}
			if ty == cty.NilType || !(ty.IsListType() || ty.IsSetType()) {
				continue
			}
			if conv, err := fastConvert(a, ty); err == nil {
				if &out[0] == &args[0] {
					out = append([]cty.Value(nil), args...)
				}
				out[i] = conv
			}
		}
		return out
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			// Before f's own Type, which parses jsondecode's argument.
			if err := precheck(name, args); err != nil {
				return cty.NilType, err
			}
			return f.ReturnTypeForValues(lists(args))
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			val, err := f.Call(lists(args))
			if err != nil {
				return val, err
			}
			if err := checkResult(val); err != nil {
				return cty.NilVal, err
			}
			if err := b.chargeValue(val); err != nil {
				if !b.report() {
					return cty.UnknownVal(val.Type()), nil // already reported
				}
				return cty.NilVal, err
			}
			return val, nil
		},
	})
}

// checkResult refuses a function result over MaxElements elements or
// MaxStringSize bytes.
func checkResult(val cty.Value) error {
	v, _ := val.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	switch {
	case v.Type() == cty.String && len(v.AsString()) > MaxStringSize:
		return tooLong(int64(len(v.AsString())))
	case v.CanIterateElements() && v.LengthInt() > MaxElements:
		return tooMany(int64(v.LengthInt()))
	}
	return nil
}

func tooMany(n int64) error {
	return fmt.Errorf("the result would have %s elements, over the limit of %s", commas(n), commas(MaxElements))
}

func tooLong(n int64) error {
	return fmt.Errorf("the result would be %s long, over the limit of %s", byteSize(n), byteSize(MaxStringSize))
}

// tooLongAtLeast is tooLong when the length was counted only until it
// went over the limit.
func tooLongAtLeast() error {
	return fmt.Errorf("the result would be longer than the limit of %s", byteSize(MaxStringSize))
}

// precheck refuses the arguments of the functions whose result can be far
// larger than their arguments, before the call. Unknown arguments are let
// through: the result is then unknown too.
func precheck(name string, args []cty.Value) error {
	vals := make([]cty.Value, len(args))
	for i, a := range args {
		vals[i], _ = a.Unmark()
		if !vals[i].IsWhollyKnown() || vals[i].IsNull() {
			return nil
		}
	}
	str := func(i int) string {
		if i < len(vals) && vals[i].Type() == cty.String {
			return vals[i].AsString()
		}
		return ""
	}
	length := func(v cty.Value) int64 {
		if v.CanIterateElements() {
			return int64(v.LengthInt())
		}
		return 0
	}
	switch name {
	case "setproduct":
		n := int64(1)
		for _, v := range vals {
			n *= length(v)
			if n > MaxElements {
				return fmt.Errorf("the result would have more than %s elements, over the limit", commas(MaxElements))
			}
		}
	case "concat", "merge", "setunion":
		var n int64
		for _, v := range vals {
			n += length(v)
		}
		if n > MaxElements {
			return tooMany(n)
		}
	case "flatten", "jsonencode":
		elems, bytes := valueSize(vals[0], MaxElements, MaxStringSize/6)
		switch {
		case elems > MaxElements:
			return fmt.Errorf("the argument holds more than %s elements, over the limit", commas(MaxElements))
		case bytes > MaxStringSize/6:
			return fmt.Errorf("the argument holds more than %s of strings, which could encode to more than the limit of %s", byteSize(MaxStringSize/6), byteSize(MaxStringSize))
		}
	case "join":
		sep := int64(len(str(0)))
		var n int64
		for _, v := range vals[1:] {
			elems, bytes := valueSize(v, MaxElements, MaxStringSize)
			n += bytes + elems*sep
			if elems > MaxElements || n > MaxStringSize {
				return tooLongAtLeast()
			}
		}
	case "split":
		sep, s := str(0), str(1)
		if n := int64(strings.Count(s, sep)) + 1; n > MaxElements {
			return tooMany(n)
		}
	case "regexall":
		re, err := regexp.Compile(str(0))
		if err != nil {
			return nil // f reports it
		}
		if n := len(re.FindAllStringIndex(str(1), MaxElements+1)); n > MaxElements {
			return fmt.Errorf("the result would have more than %s matches, over the limit", commas(MaxElements))
		}
	case "indent":
		spaces, _ := vals[0].AsBigFloat().Int64()
		lines := int64(strings.Count(str(1), "\n"))
		if n := int64(len(str(1))) + max(spaces, 0)*lines; spaces > MaxStringSize || n > MaxStringSize {
			return tooLong(max(n, spaces))
		}
	case "replace":
		s, substr, repl := str(0), str(1), str(2)
		var n int64
		if re, ok := slashRegex(substr); ok {
			compiled, err := regexp.Compile(re)
			if err != nil {
				return nil // replace reports it
			}
			matches := int64(len(compiled.FindAllStringIndex(s, -1)))
			// Each match is replaced by repl, whose $1 expand to at most
			// the whole string.
			n = int64(len(s)) + matches*int64(len(repl)) + int64(strings.Count(repl, "$"))*int64(len(s))
		} else if substr != "" {
			n = int64(len(s)) + int64(strings.Count(s, substr))*int64(len(repl))
		}
		if n > MaxStringSize {
			return tooLong(n)
		}
	case "format", "formatlist":
		return precheckFormat(name, vals)
	case "csvdecode":
		if n := int64(strings.Count(str(0), "\n")); n > MaxElements {
			return fmt.Errorf("the CSV has %s lines, over the limit of %s rows", commas(n), commas(MaxElements))
		}
		if n := int64(strings.Count(str(0), ",") + strings.Count(str(0), "\n")); n > maxCSVCells {
			return fmt.Errorf("the CSV has more than %s cells, over the limit", commas(maxCSVCells))
		}
	case "jsondecode":
		return precheckJSON(str(0))
	case "base64encode", "urlencode":
		if n := int64(len(str(0))) * 3; n > MaxStringSize {
			return tooLong(n)
		}
	case "sql_canonical", "sql_fingerprint", "sql_tables":
		if n := len(str(0)); n > MaxSQLSize {
			return fmt.Errorf("the SQL is %s long, over the limit of %s", byteSize(int64(n)), byteSize(MaxSQLSize))
		}
	}
	return nil
}

// maxCSVCells is the most cells csvdecode reads, counted as the commas and
// newlines of the text.
const maxCSVCells = 500000

// maxFormatWidth is the largest width or precision of a format verb.
const maxFormatWidth = 10000

// precheckFormat estimates the length of what format or formatlist would
// write: for each result, the format, each verb at its width, and the
// arguments as strings.
func precheckFormat(name string, vals []cty.Value) error {
	format := vals[0].AsString()
	verbs, width := 0, 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		verbs++
		n := 0
		for i++; i < len(format) && strings.IndexByte("0123456789.+- #[]*", format[i]) >= 0; i++ {
			if c := format[i]; c >= '0' && c <= '9' {
				n = min(n*10+int(c-'0'), maxFormatWidth+1)
			} else {
				width, n = max(width, n), 0
			}
		}
		width = max(width, n)
	}
	if width > maxFormatWidth {
		return fmt.Errorf("a width or precision is over the limit of %s", commas(maxFormatWidth))
	}
	rows := int64(1)
	var perRow int64 = int64(len(format)) + int64(verbs)*int64(width)
	for _, v := range vals[1:] {
		if name == "formatlist" && (v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
			rows = max(rows, int64(v.LengthInt()))
			longest := int64(0)
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				_, b := valueSize(e, MaxElements, MaxStringSize)
				longest = max(longest, b+32)
			}
			perRow += longest
			continue
		}
		_, b := valueSize(v, MaxElements, MaxStringSize)
		perRow += b + 32
	}
	if rows > MaxElements {
		return tooMany(rows)
	}
	if n := rows * perRow; n > MaxStringSize {
		return tooLong(n)
	}
	return nil
}

// precheckJSON refuses JSON that nests deeper than MaxNesting (cty decodes
// it recursively) or holds more than MaxElements values.
func precheckJSON(s string) error {
	depth, values, inString := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			values++
			if depth > MaxNesting {
				return fmt.Errorf("the JSON nests more than %s levels deep, over the limit", commas(MaxNesting))
			}
		case c == ']' || c == '}':
			depth--
		case c == ',':
			values++
		}
		if values > MaxElements {
			return fmt.Errorf("the JSON holds more than %s values, over the limit", commas(MaxElements))
		}
	}
	return nil
}

// functions builds the function table: Terraform's built-in functions (by
// Terraform's names) that make sense without infrastructure, and the SQL
// helpers. file and fileexists read relative to dir.
func functions(dir string) map[string]function.Function {
	files := &fileCache{dir: dir, data: map[string]fileEntry{}}
	return map[string]function.Function{
		// Numbers.
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,
		"sum":      sumFunc,

		// Strings.
		"chomp":       stdlib.ChompFunc,
		"endswith":    stringPredicate("suffix", strings.HasSuffix),
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      stdlib.IndentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  stringPredicate("prefix", strings.HasPrefix),
		"strcontains": stringPredicate("substr", strings.Contains),
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,

		// Collections.
		"alltrue":         boolListFunc(true),
		"anytrue":         boolListFunc(false),
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        distinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"one":             oneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// Encoding.
		"base64decode": base64DecodeFunc,
		"base64encode": stringFunc("str", func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"csvdecode":    stdlib.CSVDecodeFunc,
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"urlencode":    stringFunc("str", func(s string) (string, error) { return url.QueryEscape(s), nil }),

		// Hashes.
		"base64sha256": hashFunc(sha256.New, base64.StdEncoding.EncodeToString),
		"md5":          hashFunc(md5.New, hex.EncodeToString),
		"sha1":         hashFunc(sha1.New, hex.EncodeToString),
		"sha256":       hashFunc(sha256.New, hex.EncodeToString),
		"sha512":       hashFunc(sha512.New, hex.EncodeToString),

		// Files, relative to the configuration directory.
		"file":       files.fileFunc(),
		"fileexists": files.existsFunc(),

		// Dates.
		"formatdate": stdlib.FormatDateFunc,
		"timeadd":    stdlib.TimeAddFunc,

		// Types and errors.
		"can":          tryfunc.CanFunc,
		"nonsensitive": nonsensitiveFunc,
		"sensitive":    sensitiveFunc,
		"tobool":       stdlib.MakeToFunc(cty.Bool),
		"tolist":       stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":        stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":     stdlib.MakeToFunc(cty.Number),
		"toset":        stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":     stdlib.MakeToFunc(cty.String),
		"try":          tryfunc.TryFunc,

		// SQL, on TiDB's parser (the canonical form of spec/sqlmatch).
		"sql_canonical":   stringFunc("sql", sqlmatch.Canonical),
		"sql_fingerprint": stringFunc("sql", sqlmatch.Fingerprint),
		"sql_tables":      sqlTablesFunc,
	}
}

// stringFunc is a function of one string to a string that may fail.
func stringFunc(param string, fn func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: param, Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := fn(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(0, err)
			}
			return cty.StringVal(out), nil
		},
	})
}

var sqlTablesFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "sql", Type: cty.String}},
	Type:   function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		tables, err := sqlmatch.Tables(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.List(cty.String)), function.NewArgError(0, err)
		}
		if len(tables) == 0 {
			return cty.ListValEmpty(cty.String), nil
		}
		vals := make([]cty.Value, len(tables))
		for i, t := range tables {
			vals[i] = cty.StringVal(t)
		}
		return cty.ListVal(vals), nil
	},
})

func stringPredicate(second string, fn func(s, x string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: second, Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(fn(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// replaceFunc is Terraform's replace: a substring, or a regular expression
// when it is written between slashes.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if re, ok := slashRegex(substr); ok {
			compiled, err := regexp.Compile(re)
			if err != nil {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "invalid regular expression: %s", err)
			}
			return cty.StringVal(compiled.ReplaceAllString(str, repl)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, substr, repl)), nil
	},
})

// slashRegex returns the pattern of a replace substring written /like this/.
func slashRegex(s string) (string, bool) {
	if len(s) > 1 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") {
		return s[1 : len(s)-1], true
	}
	return "", false
}

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		ty := list.Type()
		if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum %s: a list or set of numbers is required", ty.FriendlyName())
		}
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := cty.Zero
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			n, err := convert.Convert(v, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "every element must be a number")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

// distinctFunc is Terraform's distinct, in linear time: cty's compares
// each element with every one kept, which for the 100,000 elements a list
// may have takes minutes.
var distinctFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.DynamicPseudoType)}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		list := args[0]
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		var kept []cty.Value
		byHash := map[int][]cty.Value{}
	elements:
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			h := v.Hash()
			for _, k := range byHash[h] {
				if eq, err := stdlib.Equal(k, v); err != nil {
					return cty.NilVal, err
				} else if eq.True() {
					continue elements
				}
			}
			byHash[h] = append(byHash[h], v)
			kept = append(kept, v)
		}
		if len(kept) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(kept), nil
	},
})

// boolListFunc is alltrue (all) or anytrue (!all).
func boolListFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			result := all
			for it := args[0].ElementIterator(); it.Next(); {
				_, v := it.Element()
				if !v.IsKnown() {
					return cty.UnknownVal(cty.Bool), nil
				}
				b := !v.IsNull() && v.True()
				if all && !b {
					result = false
				}
				if !all && b {
					result = true
				}
			}
			return cty.BoolVal(result), nil
		},
	})
}

// lengthFunc is Terraform's length: of a string (in characters), a
// collection, or an object (its attributes).
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() {
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection or an object, not %s", ty.FriendlyName())
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch ty := v.Type(); {
		case ty == cty.String:
			return stdlib.Strlen(v)
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		}
		return stdlib.Length(v)
	},
})

// indexFunc is Terraform's index: the position of a value in a list.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		if !list.Type().IsListType() && !list.Type().IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "a list is required")
		}
		if !list.IsWhollyKnown() || !args[1].IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		for it := list.ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq, err := stdlib.Equal(v, args[1])
			if err != nil {
				return cty.NilVal, err
			}
			if eq.IsKnown() && eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// oneFunc is Terraform's one: the only element of a list, or null.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch n := len(ty.TupleElementTypes()); n {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementType(0), nil
			default:
				return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
			}
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		switch n := v.LengthInt(); n {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		default:
			return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
		}
	},
})

var base64DecodeFunc = stringFunc("str", func(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("failed to decode base64 data: %s", err)
	}
	if !utf8.Valid(b) {
		return "", errors.New("the result of decoding the provided string is not valid UTF-8")
	}
	return string(b), nil
})

func hashFunc(h func() hash.Hash, encode func([]byte) string) function.Function {
	return stringFunc("str", func(s string) (string, error) {
		sum := h()
		sum.Write([]byte(s))
		return encode(sum.Sum(nil)), nil
	})
}

// sensitiveFunc marks a value sensitive; nonsensitiveFunc removes the mark.
var (
	sensitiveFunc    = markFunc(func(v cty.Value) cty.Value { return v.Mark(sensitiveMark) })
	nonsensitiveFunc = markFunc(func(v cty.Value) cty.Value { v, _ = v.UnmarkDeep(); return v })
)

// markFunc is a function of one value of any type, known or not, null or not,
// marked or not, that returns it with its marks changed by f.
func markFunc(f func(cty.Value) cty.Value) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{
			Name: "value", Type: cty.DynamicPseudoType,
			AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true,
		}},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return f(args[0]), nil
		},
	})
}

// fileCache reads files relative to the configuration directory once: a
// suite calls file("cases.csv") once per evaluation.
type fileCache struct {
	dir  string
	mu   sync.Mutex
	data map[string]fileEntry
}

type fileEntry struct {
	text string
	err  error
}

func (c *fileCache) resolve(path string) string {
	if filepath.IsAbs(path) || c.dir == "" {
		return path
	}
	return filepath.Join(c.dir, path)
}

func (c *fileCache) read(path string) (string, error) {
	full := c.resolve(path)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.data[full]; ok {
		return e.text, e.err
	}
	var e fileEntry
	info, err := os.Stat(full)
	if err == nil && !info.Mode().IsRegular() {
		e.err = fmt.Errorf("%q is not a regular file", full)
		c.data[full] = e
		return "", e.err
	}
	b, err := readLimited(full, MaxStringSize)
	var tl *errTooLarge
	switch {
	case errors.As(err, &tl):
		e.err = fmt.Errorf("%q is %s, over the limit of %s", full, byteSize(tl.size), byteSize(tl.limit))
	case errors.Is(err, fs.ErrNotExist):
		e.err = fmt.Errorf("no file exists at %q (paths are relative to the configuration directory)", full)
	case err != nil:
		e.err = fmt.Errorf("failed to read %q: %s", full, err)
	case !utf8.Valid(b):
		e.err = fmt.Errorf("the contents of %q are not valid UTF-8", full)
	default:
		e.text = string(b)
	}
	c.data[full] = e
	return e.text, e.err
}

func (c *fileCache) fileFunc() function.Function {
	return stringFunc("path", c.read)
}

func (c *fileCache) existsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			info, err := os.Stat(c.resolve(args[0].AsString()))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.BoolVal(info.Mode().IsRegular()), nil
		},
	})
}
