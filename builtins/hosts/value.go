package hosts

import (
	"fmt"
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/builtins/env"
)

// Host is a host("...") value: its attributes are the run's modules and
// builtins, bound to the host's target (h.lvm.lvs(), h.run("uname")).
type Host struct {
	name    string
	target  *env.Target
	members starlark.StringDict
}

var (
	_ starlark.HasAttrs = (*Host)(nil)
	_ starlark.Callable = (*bound)(nil)
)

// notBound are the fan-out's own names: h.on(...) would mean nothing.
var notBound = map[string]bool{"host": true, "on": true, "inventory": true}

func (h *Host) String() string        { return fmt.Sprintf("host(%q)", h.name) }
func (h *Host) Type() string          { return "host" }
func (h *Host) Freeze()               {}
func (h *Host) Truth() starlark.Bool  { return true }
func (h *Host) Hash() (uint32, error) { return starlark.String(h.name).Hash() }

// Name is the host's name as the recap shows it.
func (h *Host) Name() string { return h.name }

func (h *Host) Attr(name string) (starlark.Value, error) {
	if name == "name" {
		return starlark.String(h.name), nil
	}
	v, ok := h.members[name]
	if !ok || notBound[name] {
		return nil, nil
	}
	return bind(v, h.target), nil
}

func (h *Host) AttrNames() []string {
	names := []string{"name"}
	for k := range h.members {
		if !notBound[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// bind wraps builtins and modules so calls run on t; other values (a
// constant) pass through.
func bind(v starlark.Value, t *env.Target) starlark.Value {
	switch v := v.(type) {
	case *starlark.Builtin:
		return &bound{fn: v, target: t}
	case *starlarkstruct.Module:
		return &boundModule{m: v, target: t}
	}
	return v
}

// bound is a builtin that runs on another target: for the call, the
// thread's environment is swapped for one bound to the target (a thread
// runs one call at a time, so the swap is safe), then restored.
type bound struct {
	fn     *starlark.Builtin
	target *env.Target
}

func (b *bound) Name() string { return b.fn.Name() }
func (b *bound) String() string {
	return fmt.Sprintf("<built-in function %s on %s>", b.fn.Name(), b.target.Name)
}
func (b *bound) Type() string          { return "builtin_function_or_method" }
func (b *bound) Freeze()               {}
func (b *bound) Truth() starlark.Bool  { return true }
func (b *bound) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", b.Type()) }

func (b *bound) CallInternal(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	env.Set(th, e.WithTarget(b.target))
	defer env.Set(th, e)
	return b.fn.CallInternal(th, args, kwargs)
}

// boundModule is a module whose members are bound to a target.
type boundModule struct {
	m      *starlarkstruct.Module
	target *env.Target
}

func (m *boundModule) String() string {
	return fmt.Sprintf("<module %s on %s>", m.m.Name, m.target.Name)
}
func (m *boundModule) Type() string          { return "module" }
func (m *boundModule) Freeze()               {}
func (m *boundModule) Truth() starlark.Bool  { return true }
func (m *boundModule) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", m.Type()) }
func (m *boundModule) AttrNames() []string   { return m.m.AttrNames() }

func (m *boundModule) Attr(name string) (starlark.Value, error) {
	v, err := m.m.Attr(name)
	if err != nil || v == nil {
		return v, err
	}
	return bind(v, m.target), nil
}
