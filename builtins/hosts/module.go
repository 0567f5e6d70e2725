package hosts

import (
	"fmt"
	"sort"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module is the fan-out's builtins, predeclared at the top level.
func Module() *starutil.Module {
	return &starutil.Module{Name: "", Doc: "hosts and fan-out", Funcs: []starutil.Func{
		{Name: "host", Params: "(name, become = False)", Impl: hostBuiltin,
			Doc: "Returns a host whose modules run there: h.run(...), h.lvm.lvs(). name is \"local\", an inventory or ~/.ssh/config name, \"ssh://[user@]host[:port]\" or \"sim://name\"; under --sim every host is a simulated host of its own. become = True runs its commands through sudo -n."},
		{Name: "on", Params: "(hosts, fn, parallel = 20, stop_on_error = False)", Impl: onBuiltin,
			Doc: "Calls fn(h) for each host on its own thread, at most parallel at once, and returns {name: fn's result} (None where it failed). hosts: a list of names or host values, an inventory pattern (\"storage:!node3\"), or None for --hosts; --limit narrows it. A failed host does not stop the others unless stop_on_error; the run ends with a recap per host and exits 1 if any failed."},
		{Name: "inventory", Params: "(path = None)", Impl: inventoryBuiltin,
			Doc: "Reads an Ansible inventory (INI or YAML) as it is: returns inventory(path, groups = {group: [hosts]}, hosts = {host: {vars}}, children = {group: [groups]}), and host() and on() then know its hosts and connection variables (ansible_host, ansible_port, ansible_user, ansible_become). Without path, the --inventory file."},
	}}
}

func hostBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var become bool
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "become?", &become); err != nil {
		return nil, err
	}
	_, r, err := from(th)
	if err != nil {
		return nil, err
	}
	return r.host(name, become)
}

func (r *Resolver) host(name string, become bool) (*Host, error) {
	t, err := r.Target(name, become)
	if err != nil {
		return nil, err
	}
	return &Host{name: displayName(name), target: t, members: r.Modules}, nil
}

func displayName(spec string) string {
	for _, p := range []string{"ssh://", "sim://"} {
		if len(spec) > len(p) && spec[:len(p)] == p {
			return spec[len(p):]
		}
	}
	return spec
}

func inventoryBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "path?", &path); err != nil {
		return nil, err
	}
	e, r, err := from(th)
	if err != nil {
		return nil, err
	}
	if path == starlark.None {
		r.mu.Lock()
		inv := r.Inv
		r.mu.Unlock()
		if inv == nil {
			return nil, fmt.Errorf("no inventory: give a path, or --inventory FILE")
		}
		return inventoryValue("", inv)
	}
	p, ok := starlark.AsString(path)
	if !ok || p == "" {
		return nil, fmt.Errorf("path: got %s, want a file name", path.Type())
	}
	data, err := env.ReadFile(e.Context(), p, e.Limits.MaxRead())
	if err != nil {
		return nil, err
	}
	inv, err := ParseInventory(p, data)
	if err != nil {
		return nil, err
	}
	if err := r.AddInventory(inv); err != nil {
		return nil, err
	}
	return inventoryValue(p, inv)
}

// AddInventory makes inv's hosts known to host() and on() (--inventory,
// inventory()); a later inventory's variables win.
func (r *Resolver) AddInventory(inv *Inventory) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Inv == nil {
		r.Inv = newInventory()
	}
	return r.Inv.merge(inv)
}

func inventoryValue(path string, inv *Inventory) (starlark.Value, error) {
	groups, children := starlark.NewDict(len(inv.Groups)), starlark.NewDict(len(inv.Groups))
	names := make([]string, 0, len(inv.Groups))
	for g := range inv.Groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		members, _ := inv.Members(g)
		groups.SetKey(starlark.String(g), strList(members))
		children.SetKey(starlark.String(g), strList(inv.Groups[g].Children))
	}
	hosts := starlark.NewDict(len(inv.order))
	for _, h := range inv.order {
		v, err := starutil.ToValue(inv.Hosts[h].Vars)
		if err != nil {
			return nil, fmt.Errorf("host %s: %v", h, err)
		}
		hosts.SetKey(starlark.String(h), v)
	}
	s := starutil.Struct("inventory", starlark.StringDict{
		"path": starlark.String(path), "groups": groups, "hosts": hosts, "children": children,
	})
	s.Freeze()
	return s, nil
}

func strList(ss []string) *starlark.List {
	vs := make([]starlark.Value, len(ss))
	for i, s := range ss {
		vs[i] = starlark.String(s)
	}
	return starlark.NewList(vs)
}
