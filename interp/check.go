package interp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/itchyny/gojq"
	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/stdlib"
)

// Problem is one finding of Check, printed as file:line:col: message.
type Problem struct {
	Pos syntax.Position
	Msg string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s", p.Pos, p.Msg) }

// Check statically checks files and everything they load: syntax, names,
// loads and loaded symbols, main's parameters, and literal jq filters. It
// runs nothing.
func (in *Interp) Check(paths []string) []Problem {
	c := &checker{in: in, predeclared: in.Predeclared, globals: map[string]map[string]bool{}}
	for _, p := range paths {
		c.root = filepath.Dir(p)
		c.file(p, nil)
	}
	sort.SliceStable(c.problems, func(i, j int) bool {
		a, b := c.problems[i].Pos, c.problems[j].Pos
		if a.Filename() != b.Filename() {
			return a.Filename() < b.Filename()
		}
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return c.problems
}

type checker struct {
	in          *Interp
	predeclared starlark.StringDict
	globals     map[string]map[string]bool // checked file → its public globals
	problems    []Problem
	root        string // the checked recipe's directory, where vrun.yaml is looked for
}

func (c *checker) add(pos syntax.Position, format string, args ...any) {
	c.problems = append(c.problems, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// file checks one file (once) and returns its public global names.
func (c *checker) file(path string, src []byte) map[string]bool {
	key := path
	if !strings.HasPrefix(path, stdlibPrefix) {
		key = canonical(path)
	}
	if g, ok := c.globals[key]; ok {
		return g // also ends load cycles: the run reports them
	}
	c.globals[key] = map[string]bool{}
	if src == nil {
		var err error
		if src, err = c.in.ReadFile(path); err != nil {
			c.add(syntax.MakePosition(&path, 1, 1), "cannot read: %v", unwrapPath(err))
			return nil
		}
	}
	f, err := FileOptions().Parse(path, src, syntax.RetainComments)
	if err != nil {
		var se syntax.Error
		if errors.As(err, &se) {
			c.add(se.Pos, "%s", se.Msg)
		} else {
			c.add(syntax.MakePosition(&path, 1, 1), "%v", err)
		}
		return nil
	}
	if _, err := ReadRecipe(c.in.Env.Context(), path, src); err != nil {
		c.add(syntax.MakePosition(&path, 1, 1), "%v", err)
	}
	isPredeclared := func(name string) bool {
		_, ok := c.predeclared[name]
		if !ok && strings.HasSuffix(path, "_test.star") {
			_, ok = c.in.TestPredeclared[name]
		}
		return ok
	}
	if err := resolve.File(f, isPredeclared, starlark.Universe.Has); err != nil {
		var el resolve.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				c.add(e.Pos, "%s", e.Msg)
			}
		}
	}
	public := map[string]bool{}
	for _, b := range f.Module.(*resolve.Module).Globals {
		if !strings.HasPrefix(b.First.Name, "_") {
			public[b.First.Name] = true
		}
	}
	c.globals[key] = public
	for _, stmt := range f.Stmts {
		if load, ok := stmt.(*syntax.LoadStmt); ok {
			c.load(path, load)
		}
	}
	c.jqFilters(f)
	c.moduleMembers(f)
	c.percentFormats(f)
	return public
}

func (c *checker) load(from string, load *syntax.LoadStmt) {
	module := load.ModuleName()
	var (
		path string
		src  []byte
	)
	if name, ok := strings.CutPrefix(module, stdlibPrefix); ok {
		data, err := stdlib.FS.ReadFile(name)
		if err != nil {
			c.add(load.Module.TokenPos, "no %s in the standard library (have: %s)", module, stdlibNames())
			return
		}
		path, src = module, data
	} else if strings.HasPrefix(module, "@") {
		p, err := resolveNamed(c.in.Env.Context(), module, c.root)
		if err != nil {
			c.add(load.Module.TokenPos, "cannot load %q: %v", module, err)
			return
		}
		path = p
	} else {
		path = module
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(from), module)
		}
		if _, err := os.Stat(path); err != nil {
			c.add(load.Module.TokenPos, "cannot load %q: no file %s", module, path)
			return
		}
	}
	names := c.file(path, src)
	if names == nil {
		return
	}
	for _, id := range load.From {
		if !names[id.Name] {
			c.add(id.NamePos, "%s has no public name %q", module, id.Name)
		}
	}
}

// jqFilters compiles the literal filter of every jq(...) call.
func (c *checker) jqFilters(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fn.(*syntax.Ident); !ok || id.Name != "jq" {
			return true
		}
		var filter *syntax.Literal
		var vars []string
		positional := 0
		for _, arg := range call.Args {
			if kw, ok := arg.(*syntax.BinaryExpr); ok && kw.Op == syntax.EQ {
				name := kw.X.(*syntax.Ident).Name
				switch name {
				case "filter":
					filter, _ = kw.Y.(*syntax.Literal)
				case "value", "all":
				default:
					vars = append(vars, "$"+name)
				}
				continue
			}
			if positional == 1 {
				filter, _ = arg.(*syntax.Literal)
			}
			positional++
		}
		if filter == nil || filter.Token != syntax.STRING {
			return true
		}
		q, err := gojq.Parse(filter.Value.(string))
		if err == nil {
			_, err = gojq.Compile(q, gojq.WithVariables(vars))
		}
		if err != nil {
			c.add(filter.TokenPos, "jq: %v", err)
		}
		return true
	})
}

// moduleMembers reports lvm.lvcreat-style typos: a dotted name under a
// predeclared module (not shadowed by a local name) that the module lacks.
func (c *checker) moduleMembers(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		dot, ok := n.(*syntax.DotExpr)
		if !ok {
			return true
		}
		path, root := dottedPath(dot)
		if root == nil {
			return true
		}
		if b, ok := root.Binding.(*resolve.Binding); !ok || b.Scope != resolve.Predeclared {
			return true
		}
		v := c.predeclared[root.Name]
		name := root.Name
		for _, attr := range path {
			ha, ok := v.(starlark.HasAttrs)
			if !ok {
				return false
			}
			next, err := ha.Attr(attr.Name)
			if err != nil || next == nil {
				msg := fmt.Sprintf("%s has no member %q", name, attr.Name)
				if near := starutil.Nearest(attr.Name, ha.AttrNames()); near != "" {
					msg += fmt.Sprintf(" (did you mean %s.%s?)", name, near)
				}
				c.add(attr.NamePos, "%s", msg)
				return false
			}
			v, name = next, name+"."+attr.Name
		}
		return false // the chain is checked; inner DotExprs are its prefixes
	})
}

// dottedPath unrolls a.b.c into its root identifier and [b, c].
func dottedPath(e *syntax.DotExpr) ([]*syntax.Ident, *syntax.Ident) {
	var path []*syntax.Ident
	var x syntax.Expr = e
	for {
		switch d := x.(type) {
		case *syntax.DotExpr:
			path = append([]*syntax.Ident{d.Name}, path...)
			x = d.X
		case *syntax.Ident:
			return path, d
		default:
			return nil, nil
		}
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
