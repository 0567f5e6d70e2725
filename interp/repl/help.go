package repl

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// helper answers help(x) from the registry's docs: the same text as
// `vrun doc`.
type helper struct {
	docs    map[string]starutil.Doc // by qualified name
	modules map[string]string       // qualified module name → its doc
	out     io.Writer
	globals func() starlark.StringDict
}

func newHelper(entries []builtins.Entry, out io.Writer, globals func() starlark.StringDict) *helper {
	h := &helper{docs: map[string]starutil.Doc{}, modules: map[string]string{}, out: out, globals: globals}
	for _, d := range builtins.Docs(entries) {
		h.docs[d.Name] = d
	}
	var walk func(prefix string, m *starutil.Module)
	walk = func(prefix string, m *starutil.Module) {
		q := starutil.Qualify(prefix, m.Name)
		h.modules[q] = m.Doc
		for _, sub := range m.Subs {
			walk(q, sub)
		}
	}
	for _, e := range entries {
		walk("", e.Module)
	}
	return h
}

func (h *helper) builtin(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &x); err != nil {
		return nil, err
	}
	if s, ok := x.(starlark.String); ok { // help("lvm.lvcreate")
		v, err := resolveDotted(h.globals(), strings.Split(string(s), "."))
		if err != nil {
			return nil, fmt.Errorf("help: %v", err)
		}
		x = v
	}
	fmt.Fprintln(h.out, h.Text(x))
	return starlark.None, nil
}

// Text is the help for a value; nil is the overview.
func (h *helper) Text(x starlark.Value) string {
	switch x := x.(type) {
	case nil:
		return h.overview()
	case *starlark.Builtin:
		if d, ok := h.docs[x.Name()]; ok {
			return d.Signature() + "\n    " + d.Doc
		}
		switch {
		case x.Receiver() != nil:
			return fmt.Sprintf("%s.%s: a method of %s (see the Starlark language spec)", x.Receiver().Type(), x.Name(), x.Receiver().Type())
		case starlark.Universe[x.Name()] != nil:
			return x.Name() + ": a Starlark built-in (see the Starlark language spec)"
		}
		return x.Name() + ": a built-in function with no registered signature"
	case *starlark.Function:
		text := funcSignature(x)
		if pos := x.Position(); strings.HasSuffix(pos.Filename(), ".star") {
			text += fmt.Sprintf("  # %s:%d", pos.Filename(), pos.Line) // where a loaded one comes from
		}
		if doc := interp.CleanDoc(x.Doc()); doc != "" {
			for _, line := range strings.Split(doc, "\n") {
				text += "\n" + strings.TrimRight("    "+line, " ")
			}
		}
		return text
	case *starlarkstruct.Module:
		return h.module(x)
	case starlark.HasAttrs:
		return fmt.Sprintf("%s, a %s with these attributes:\n%s", abbrev(x.String()), x.Type(), columns(x.AttrNames()))
	}
	return fmt.Sprintf("%s: a %s (help knows builtins, functions, modules and values with attributes)", abbrev(x.String()), x.Type())
}

func (h *helper) module(m *starlarkstruct.Module) string {
	var b strings.Builder
	fmt.Fprintf(&b, "module %s", m.Name)
	if doc := h.modules[m.Name]; doc != "" {
		fmt.Fprintf(&b, ": %s", doc)
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, name := range m.AttrNames() {
		switch v := m.Members[name].(type) {
		case *starlark.Builtin:
			d := h.docs[v.Name()]
			fmt.Fprintf(tw, "  %s%s\t%s\n", name, d.Params, d.Doc)
		case *starlarkstruct.Module:
			fmt.Fprintf(tw, "  %s.\t(module) %s\n", name, h.modules[v.Name])
		default:
			fmt.Fprintf(tw, "  %s\t%s\n", name, v.Type())
		}
	}
	tw.Flush()
	fmt.Fprintf(&b, "help(%s.NAME) shows one in full.", m.Name)
	return b.String()
}

func (h *helper) overview() string {
	var mods, funcs []string
	for q := range h.modules {
		if q != "" && !strings.Contains(q, ".") {
			mods = append(mods, q)
		}
	}
	for q := range h.docs {
		if !strings.Contains(q, ".") {
			funcs = append(funcs, q)
		}
	}
	sort.Strings(mods)
	sort.Strings(funcs)
	return "help(x) shows a builtin's signature and doc, or a module's members; :help lists the REPL's commands.\n" +
		"builtins: " + strings.Join(funcs, ", ") + "\nmodules: " + strings.Join(mods, ", ")
}

// funcSignature writes a def's parameters in source order. starlark keeps
// them as positional, keyword-only, *args, **kwargs; in the source the
// keyword-only ones come after *args, or after a bare * without it.
func funcSignature(fn *starlark.Function) string {
	n, kwonly := fn.NumParams(), fn.NumKwonlyParams()
	star := btoi(fn.HasVarargs())
	positional := n - kwonly - star - btoi(fn.HasKwargs())
	param := func(i int) string {
		name, _ := fn.Param(i)
		if d := fn.ParamDefault(i); d != nil {
			name += " = " + d.String()
		}
		return name
	}
	parts := make([]string, 0, n+1)
	for i := 0; i < positional; i++ {
		parts = append(parts, param(i))
	}
	switch {
	case fn.HasVarargs():
		name, _ := fn.Param(positional + kwonly)
		parts = append(parts, "*"+name)
	case kwonly > 0:
		parts = append(parts, "*")
	}
	for i := positional; i < positional+kwonly; i++ {
		parts = append(parts, param(i))
	}
	if fn.HasKwargs() {
		name, _ := fn.Param(n - 1)
		parts = append(parts, "**"+name)
	}
	return fmt.Sprintf("%s(%s)", fn.Name(), strings.Join(parts, ", "))
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func abbrev(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// columns lays names out in rows of at most 100 characters.
func columns(names []string) string {
	var b strings.Builder
	line := " "
	for _, n := range names {
		if len(line)+len(n)+2 > 100 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += " " + n
	}
	b.WriteString(line)
	return b.String()
}
