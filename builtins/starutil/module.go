// Package starutil holds what builtin modules share: the table-driven module
// builder with docs, argument unpackers (sizes, durations, string lists) and
// conversions between Go and Starlark values.
package starutil

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Impl is the Go side of a builtin.
type Impl func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// Func is one registered builtin with its documentation.
type Func struct {
	Name   string // bare name: "lvcreate"
	Params string // Starlark signature without the name: "(vg, name, size = None, extents = None)"
	Doc    string // one line, shown by `vrun doc` and help()
	Impl   Impl
	// Secrets names the parameters that carry secrets (cloudstack.client's
	// secret_key): the REPL keeps their values out of its history and
	// saved recipes.
	Secrets []string
	// Positional counts the leading parameters that take no keyword
	// (vgcreate's vg before *devices): docs mark them with "/" and the REPL
	// does not offer "vg = ".
	Positional int
}

// Module is a table of builtins under one name. Name "" is the top level
// (run, sh, jq): its members are predeclared directly.
type Module struct {
	Name  string
	Doc   string
	Funcs []Func
	Subs  []*Module // nested namespaces: collie.vdi, qemu.img
	// SecretEnv names environment variables holding secrets the module
	// reads (CLOUDSTACK_SECRET_KEY): the REPL learns their values, and a
	// saved recipe is told to take them from there.
	SecretEnv []string
	// Methods documents the methods of values the module returns (a
	// CloudStack client's cs.call, a job's .wait): shown by `vrun doc` and
	// help(), not registered as builtins.
	Methods []Doc
}

// Doc is the documentation of one builtin, by qualified name.
type Doc struct {
	Name       string // qualified: "lvm.lvcreate"
	Params     string
	Doc        string
	Positional int      // see Func.Positional
	Secrets    []string // see Func.Secrets
}

// Signature is the qualified name with its parameters, positional-only
// ones followed by "/" as in Python: "lvm.vgcreate(vg, /, *devices)".
func (d Doc) Signature() string {
	if d.Positional <= 0 {
		return d.Name + d.Params
	}
	ps := SplitParams(d.Params)
	if d.Positional > len(ps) {
		return d.Name + d.Params
	}
	ps = append(ps[:d.Positional:d.Positional], append([]string{"/"}, ps[d.Positional:]...)...)
	return d.Name + "(" + strings.Join(ps, ", ") + ")"
}

// SplitParams splits "(a, b = {}, c = "x,y")" into its parameters,
// leaving commas inside brackets and strings alone.
func SplitParams(params string) []string {
	inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(params), "("), ")")
	var out []string
	depth, start := 0, 0
	var quote rune
	for i, r := range inner {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '(' || r == '[' || r == '{':
			depth++
		case r == ')' || r == ']' || r == '}':
			depth--
		case r == ',' && depth == 0:
			out = append(out, strings.TrimSpace(inner[start:i]))
			start = i + 1
		}
	}
	if last := strings.TrimSpace(inner[start:]); last != "" {
		out = append(out, last)
	}
	return out
}

// Qualify joins a module path and a member name.
func Qualify(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Value builds the Starlark value of the module: a starlarkstruct.Module
// whose builtins carry qualified names and whose errors are named once
// (see Error). The top-level module returns nil; use Members.
func (m *Module) Value() starlark.Value {
	return &starlarkstruct.Module{Name: m.Name, Members: m.members(m.Name)}
}

// Members returns the module's members as a dict: for the top level these
// are the predeclared names.
func (m *Module) Members() starlark.StringDict { return m.members(m.Name) }

func (m *Module) members(prefix string) starlark.StringDict {
	d := make(starlark.StringDict, len(m.Funcs)+len(m.Subs))
	for _, f := range m.Funcs {
		q := Qualify(prefix, f.Name)
		d[f.Name] = NewBuiltin(q, f.Impl)
	}
	for _, s := range m.Subs {
		q := Qualify(prefix, s.Name)
		d[s.Name] = &starlarkstruct.Module{Name: q, Members: s.members(q)}
	}
	return d
}

// Docs lists every builtin of the module and its subs, sorted by name.
func (m *Module) Docs() []Doc {
	var out []Doc
	m.docs(m.Name, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (m *Module) docs(prefix string, out *[]Doc) {
	for _, f := range m.Funcs {
		*out = append(*out, Doc{Name: Qualify(prefix, f.Name), Params: f.Params, Doc: f.Doc, Positional: f.Positional, Secrets: f.Secrets})
	}
	for _, s := range m.Subs {
		s.docs(Qualify(prefix, s.Name), out)
	}
}

// Validate reports registration mistakes: missing docs or implementations,
// duplicate names. The registry test runs it over every module.
func (m *Module) Validate() error {
	var problems []string
	seen := map[string]bool{}
	var walk func(prefix string, m *Module)
	walk = func(prefix string, m *Module) {
		for _, f := range m.Funcs {
			q := Qualify(prefix, f.Name)
			switch {
			case seen[q]:
				problems = append(problems, q+": registered twice")
			case strings.TrimSpace(f.Doc) == "":
				problems = append(problems, q+": no doc")
			case f.Impl == nil:
				problems = append(problems, q+": no implementation")
			case !strings.HasPrefix(f.Params, "("):
				problems = append(problems, q+": params must look like (a, b = 1)")
			}
			seen[q] = true
		}
		for _, s := range m.Subs {
			walk(Qualify(prefix, s.Name), s)
		}
	}
	walk(m.Name, m)
	if len(problems) > 0 {
		return fmt.Errorf("module %q: %s", m.Name, strings.Join(problems, "; "))
	}
	return nil
}
