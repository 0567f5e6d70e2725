package interp

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Param is one parameter of a recipe's main function, read statically so
// flags are checked before anything runs.
type Param struct {
	Name     string
	Default  starlark.Value // nil: required
	Kind     string         // "int", "float", "bool", "string", "list" or "any"
	Position syntax.Position
	// RunTime: the default is not a literal vrun could read before the
	// run (Default is then None); main computes it when it runs.
	RunTime bool
}

// Recipe is what the static reading of a file found.
type Recipe struct {
	Path    string
	HasMain bool
	Doc     string // main's docstring, else the file's
	Params  []Param
}

// ReadRecipe parses a file (syntax errors are returned as they are) and
// reads main's signature and docstring. Evaluating the defaults stops when
// ctx ends (the error is then ctx's cause).
func ReadRecipe(ctx context.Context, path string, src []byte) (*Recipe, error) {
	f, err := FileOptions().Parse(path, src, syntax.RetainComments)
	if err != nil {
		return nil, err
	}
	r := &Recipe{Path: path, Doc: docstring(f.Stmts)}
	for _, stmt := range f.Stmts {
		def, ok := stmt.(*syntax.DefStmt)
		if !ok || def.Name.Name != "main" {
			continue
		}
		r.HasMain = true
		if d := docstring(def.Body); d != "" {
			r.Doc = d
		}
		for _, p := range def.Params {
			param, err := readParam(ctx, p)
			if err != nil {
				return nil, err
			}
			r.Params = append(r.Params, param)
		}
	}
	return r, nil
}

func docstring(stmts []syntax.Stmt) string {
	if len(stmts) == 0 {
		return ""
	}
	if e, ok := stmts[0].(*syntax.ExprStmt); ok {
		if lit, ok := e.X.(*syntax.Literal); ok && lit.Token == syntax.STRING {
			return cleandoc(lit.Value.(string))
		}
	}
	return ""
}

// CleanDoc is cleandoc for the REPL's help(fn).
func CleanDoc(doc string) string { return cleandoc(doc) }

// cleandoc removes the indentation a docstring has from its def, as
// Python's inspect.cleandoc does.
func cleandoc(doc string) string {
	lines := strings.Split(strings.TrimSpace(doc), "\n")
	indent := -1
	for _, l := range lines[1:] {
		if t := strings.TrimLeft(l, " \t"); t != "" && (indent < 0 || len(l)-len(t) < indent) {
			indent = len(l) - len(t)
		}
	}
	for i := 1; i < len(lines) && indent > 0; i++ {
		if len(lines[i]) >= indent {
			lines[i] = lines[i][indent:]
		} else {
			lines[i] = strings.TrimLeft(lines[i], " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// maxDefaultSteps bounds the evaluation of one default: a literal or some
// arithmetic takes a handful of steps. A default beyond it (a huge
// comprehension) is left to run time, where --timeout and Ctrl-C apply,
// so reading flags, --help, doc and check never hang on it.
const maxDefaultSteps = 100000

func readParam(ctx context.Context, p syntax.Expr) (Param, error) {
	switch p := p.(type) {
	case *syntax.Ident:
		return Param{Name: p.Name, Kind: "any", Position: p.NamePos}, nil
	case *syntax.BinaryExpr: // name = default
		id := p.X.(*syntax.Ident)
		param := Param{Name: id.Name, Kind: "any", Position: id.NamePos}
		// Defaults are evaluated with no builtins: literals and arithmetic
		// only, so reading a recipe's flags never runs anything.
		th := &starlark.Thread{Name: "params"}
		th.SetMaxExecutionSteps(maxDefaultSteps)
		stop := context.AfterFunc(ctx, func() { th.Cancel(context.Cause(ctx).Error()) })
		v, err := starlark.EvalExprOptions(FileOptions(), th, p.Y, nil)
		stop()
		if ctx.Err() != nil {
			return param, context.Cause(ctx)
		}
		if err != nil {
			param.Default, param.RunTime = starlark.None, true
			return param, nil
		}
		param.Default = v
		switch v.(type) {
		case starlark.Int:
			param.Kind = "int"
		case starlark.Float:
			param.Kind = "float"
		case starlark.Bool:
			param.Kind = "bool"
		case starlark.String:
			param.Kind = "string"
		case *starlark.List, starlark.Tuple:
			param.Kind = "list"
		}
		return param, nil
	case *syntax.UnaryExpr: // *args, **kwargs: not flags
		return Param{}, fmt.Errorf("%s: main may not take *args or **kwargs: recipe parameters must be named", p.OpPos)
	}
	return Param{}, fmt.Errorf("unexpected parameter %T", p)
}

// UsageError is bad input on the command line: exit code 2, nothing ran.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// HelpRequested is returned by ParseArgs for --help; Text is the help.
type HelpRequested struct{ Text string }

func (h *HelpRequested) Error() string { return "help requested" }

func flagName(p string) string { return strings.ReplaceAll(p, "_", "-") }

// ParseArgs turns recipe flags into keyword arguments for main.
func (r *Recipe) ParseArgs(args []string) ([]starlark.Tuple, error) {
	fs := pflag.NewFlagSet(r.Path, pflag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		return pflag.NormalizedName(flagName(name))
	})
	vals := map[string]*string{}
	bools := map[string]*bool{}
	nots := map[string]*bool{} // --no-NAME of each bool
	lists := map[string]*[]string{}
	for _, p := range r.Params {
		if flagName(p.Name) == "help" { // pflag would panic on the second --help
			return nil, &UsageError{Msg: fmt.Sprintf("%s: main's parameter %q would be --help, which is vrun's: rename it", r.Path, p.Name)}
		}
		switch p.Kind {
		case "bool":
			bools[p.Name] = fs.Bool(flagName(p.Name), bool(p.Default.(starlark.Bool)), "")
			if r.negatable(p) {
				nots[p.Name] = fs.Bool(negation(p.Name), false, "")
			}
		case "list":
			lists[p.Name] = fs.StringSlice(flagName(p.Name), nil, "")
		default:
			vals[p.Name] = fs.String(flagName(p.Name), "", "")
		}
	}
	help := fs.BoolP("help", "h", false, "")
	if err := fs.Parse(args); err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("%s: %v (see: vrun %s --help)", r.Path, err, r.Path)}
	}
	if *help {
		return nil, &HelpRequested{Text: r.Help()}
	}
	if fs.NArg() > 0 {
		return nil, &UsageError{Msg: fmt.Sprintf("%s: unexpected argument %q: recipe parameters are flags (see: vrun %s --help)", r.Path, fs.Arg(0), r.Path)}
	}
	var kwargs []starlark.Tuple
	for _, p := range r.Params {
		flag := fs.Lookup(flagName(p.Name))
		if p.Kind == "bool" && nots[p.Name] != nil && fs.Lookup(negation(p.Name)).Changed {
			not := *nots[p.Name]
			if flag.Changed && *bools[p.Name] == not {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: --%s and --%s contradict each other: give one", r.Path, flagName(p.Name), negation(p.Name))}
			}
			kwargs = append(kwargs, starlark.Tuple{starlark.String(p.Name), starlark.Bool(!not)})
			continue
		}
		if !flag.Changed {
			if p.Default == nil {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: missing required parameter --%s", r.Path, flagName(p.Name))}
			}
			continue
		}
		var v starlark.Value
		switch p.Kind {
		case "bool":
			v = starlark.Bool(*bools[p.Name])
		case "list":
			elems := []starlark.Value{}
			for _, s := range *lists[p.Name] {
				elems = append(elems, starlark.String(s))
			}
			v = starlark.NewList(elems)
		default:
			var err error
			if v, err = convertFlag(p, *vals[p.Name]); err != nil {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: parameter --%s: %v", r.Path, flagName(p.Name), err)}
			}
		}
		kwargs = append(kwargs, starlark.Tuple{starlark.String(p.Name), v})
	}
	return kwargs, nil
}

// negation is the flag that turns a bool parameter off: --no-NAME.
func negation(name string) string { return "no-" + flagName(name) }

// negatable reports whether p, a bool, gets --no-NAME: not when its name
// is already a negation (no --no-no-cache) nor when another parameter has
// that name.
func (r *Recipe) negatable(p Param) bool {
	if strings.HasPrefix(flagName(p.Name), "no-") {
		return false
	}
	for _, q := range r.Params {
		if flagName(q.Name) == negation(p.Name) {
			return false
		}
	}
	return true
}

// convertFlag reads a flag's text as the parameter's kind. Ints are
// decimal only: an operator's --gb 010 means ten, not Go's octal eight.
func convertFlag(p Param, s string) (starlark.Value, error) {
	switch p.Kind {
	case "int":
		digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			return nil, fmt.Errorf("invalid value %q: want an int (decimal, such as 10)", s)
		}
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("invalid value %q: want an int (decimal, such as 10)", s)
		}
		return starlark.MakeBigInt(n), nil
	case "float":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(s, "xX_") {
			return nil, fmt.Errorf("invalid value %q: want a decimal number such as 1.5", s)
		}
		return starlark.Float(f), nil
	}
	return starlark.String(s), nil
}

// Help is the text of `vrun FILE --help` and `vrun doc FILE`. Docstring
// lines of the form "name: description" describe the parameter name and
// are shown beside its flag.
func (r *Recipe) Help() string {
	params := map[string]bool{}
	for _, p := range r.Params {
		params[p.Name] = true
	}
	described := map[string]string{}
	var body []string
	for _, line := range strings.Split(r.Doc, "\n") {
		name, text, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if ok && params[name] && described[name] == "" {
			described[name] = strings.TrimSpace(text)
			continue
		}
		if strings.TrimSpace(line) == "" && len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
			continue // the described lines leave blank lines behind
		}
		body = append(body, line)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "usage: vrun [global flags] %s", r.Path)
	if len(r.Params) > 0 {
		b.WriteString(" [flags]")
	}
	b.WriteString("\n")
	if doc := strings.TrimSpace(strings.Join(body, "\n")); doc != "" {
		fmt.Fprintf(&b, "\n%s\n", doc)
	}
	if len(r.Params) == 0 {
		return b.String()
	}
	b.WriteString("\nflags:\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, p := range r.Params {
		flag := "--" + flagName(p.Name)
		switch p.Kind {
		case "bool": // --no-NAME works for every bool; shown where it matters
			if r.negatable(p) && p.Default == starlark.True {
				flag += ", --" + negation(p.Name)
			}
		case "any":
			flag += " string"
		default:
			flag += " " + p.Kind
		}
		text := described[p.Name]
		switch {
		case p.Default == nil:
			text = strings.TrimSpace(text + " (required)")
		case p.RunTime:
			text = strings.TrimSpace(text + " (default computed when the recipe runs)")
		case p.Kind == "bool": // as typed on the command line: --NAME=false
			text = strings.TrimSpace(fmt.Sprintf("%s (default %t)", text, p.Default == starlark.True))
		default:
			text = strings.TrimSpace(fmt.Sprintf("%s (default %s)", text, p.Default))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", flag, text)
	}
	tw.Flush()
	return b.String()
}
