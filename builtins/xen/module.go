// Package xen is vrun's `xen` module: guests through xl (list from
// `xl list -l`, info, create, shutdown, reboot, destroy), or xm where only
// xend exists (`xm list --long`'s S-expressions), xl.cfg rendering,
// virt-install for the seed's network installs, and xend's VLAN bridge
// wrapper (seed 002).
package xen

import (
	"fmt"
	"sort"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Module returns the xen module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "xen", Doc: "Xen guests through xl (or xm where only xend exists): list/info/create/shutdown/reboot/destroy, xl.cfg, virt-install", Funcs: []starutil.Func{
		{Name: "config", Params: "(keys = {}, **more)", Doc: "render an xl.cfg from a dict and/or keywords (name, memory in MiB, vcpus, vif = [\"bridge=xenbr1000\"], disk = [...], ...); unknown keys are errors", Impl: config},
		{Name: "console_command", Params: "(d)", Doc: "what to type for the guest's console: \"xl console NAME\" (or xm on an xm host); vrun does not proxy consoles", Impl: consoleCommand},
		{Name: "create", Params: "(config, name)", Doc: "xl create the config file unless domain name exists; returns whether it started one", Impl: create},
		{Name: "destroy", Params: "(d, confirm = False)", Doc: "xl destroy: pulls the plug on the guest; needs confirm = True or --yes", Impl: destroy},
		{Name: "info", Params: "()", Doc: "xl info (or xm info) as a dict (numbers as ints; xen_version made from xen_major/minor/extra where xm prints none)", Impl: info},
		{Name: "list", Params: "()", Doc: "the guests from xl list -l (or xm list --long): list of struct(name, id, uuid, type, state, memory, vcpus, disks, bridges); memory in bytes", Impl: list},
		{Name: "reboot", Params: "(d)", Doc: "xl reboot (or xm reboot) the guest: a clean restart", Impl: reboot},
		{Name: "shutdown", Params: "(d, wait = True)", Doc: "xl shutdown [-w] (or xm) the guest (clean shutdown)", Impl: shutdown},
		{Name: "toolstack", Params: "()", Doc: "\"xl\", or \"xm\" on a host where only xend exists: what every xen.* call uses", Impl: toolstack},
		{Name: "virt_install", Params: "(name, ram, disk, size, bridge, location, graphics = \"none\", vcpus = 1, legacy = False)", Doc: "virt-install a paravirtualized guest: ram in MiB, disk path and size (whole GiB), bridge (xenbrMMMM), install location URL; legacy uses EL5's options (--ram --file --file-size --bridge)", Impl: virtInstall},
		{Name: "vlan_bridge_wrapper", Params: "(bridges)", Doc: "render xend's network-vlan-bridge-wrapper from [(netdev, bridge), ...] (one network-vlan-bridge call per VLAN)", Impl: wrapper},
	}}
}

func config(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 1 {
		return nil, fmt.Errorf("got %d positional arguments, want at most 1 (the keys dict)", len(args))
	}
	keys := map[string]any{}
	add := func(k string, v starlark.Value) error {
		if _, dup := keys[k]; dup {
			return fmt.Errorf("key %q given twice", k)
		}
		x, err := goValue(v)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		keys[k] = x
		return nil
	}
	if len(args) == 1 {
		d, ok := args[0].(*starlark.Dict)
		if !ok {
			return nil, fmt.Errorf("keys: got %s, want dict", args[0].Type())
		}
		for _, kv := range d.Items() {
			k, ok := kv[0].(starlark.String)
			if !ok {
				return nil, fmt.Errorf("keys: got %s key, want string", kv[0].Type())
			}
			if err := add(string(k), kv[1]); err != nil {
				return nil, err
			}
		}
	}
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		if k == "keys" {
			return nil, fmt.Errorf("pass keys positionally")
		}
		if err := add(k, kv[1]); err != nil {
			return nil, err
		}
	}
	text, err := Config(keys)
	if err != nil {
		return nil, err
	}
	return starlark.String(text), nil
}

func goValue(v starlark.Value) (any, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Int:
		n, ok := v.Int64()
		if !ok {
			return nil, fmt.Errorf("%s is out of range", v)
		}
		return n, nil
	case starlark.Bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case *starlark.List, starlark.Tuple:
		var s starutil.Strings
		if err := s.Unpack(v); err != nil {
			return nil, err
		}
		return []string(s), nil
	}
	return nil, fmt.Errorf("got %s, want string, int, bool or list of strings", v.Type())
}

func list(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	doms, err := List(e)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(doms))
	for i, d := range doms {
		out[i] = domValue(d)
	}
	return starlark.NewList(out), nil
}

func domValue(d Domain) starlark.Value {
	disks := make([]starlark.Value, len(d.Disks))
	for i, k := range d.Disks {
		disks[i] = starutil.Struct("xen.disk", starlark.StringDict{"path": starlark.String(k.Path), "vdev": starlark.String(k.Vdev), "format": starlark.String(k.Format)})
	}
	brs := make([]starlark.Value, len(d.Bridges))
	for i, br := range d.Bridges {
		brs[i] = starlark.String(br)
	}
	return starutil.Struct("xen.domain", starlark.StringDict{
		"name": starlark.String(d.Name), "id": starlark.MakeInt(d.ID), "uuid": starlark.String(d.UUID), "type": starlark.String(d.Type),
		"state": starlark.String(d.State), "memory": starlark.MakeInt64(d.MemoryKiB * 1024), "vcpus": starlark.MakeInt(d.VCPUs),
		"disks": starlark.NewList(disks), "bridges": starlark.NewList(brs),
	})
}

func info(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	m, err := Info(e)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d := starlark.NewDict(len(m))
	for _, k := range keys {
		v, _ := starutil.ToValue(m[k])
		_ = d.SetKey(starlark.String(k), v)
	}
	return d, nil
}

func create(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cfg, name string
	if err := starutil.Unpack(b, args, kwargs, "config", &cfg, "name", &name); err != nil {
		return nil, err
	}
	if err := checkDomain(name); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	made, err := Create(e, cfg, name)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(made), nil
}

// domainArgs unpacks a guest d (plus any further pairs), refuses dom0 and
// option-shaped names, and returns the thread's env: where shutdown,
// reboot, console_command and destroy start.
func domainArgs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, d *string, more ...any) (*env.Env, error) {
	if err := starutil.Unpack(b, args, kwargs, append([]any{"d", d}, more...)...); err != nil {
		return nil, err
	}
	if err := checkDomain(*d); err != nil {
		return nil, err
	}
	return env.From(th)
}

func shutdown(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d string
	wait := true
	e, err := domainArgs(th, b, args, kwargs, &d, "wait?", &wait)
	if err != nil {
		return nil, err
	}
	if wait {
		return starlark.None, Control(e, "shutdown", d, "-w")
	}
	return starlark.None, Control(e, "shutdown", d)
}

func reboot(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d string
	e, err := domainArgs(th, b, args, kwargs, &d)
	if err != nil {
		return nil, err
	}
	return starlark.None, Control(e, "reboot", d)
}

func consoleCommand(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d string
	e, err := domainArgs(th, b, args, kwargs, &d)
	if err != nil {
		return nil, err
	}
	c, err := ConsoleCommand(e, d)
	if err != nil {
		return nil, err
	}
	return starlark.String(c), nil
}

func toolstack(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	t, err := Toolstack(e)
	if err != nil {
		return nil, err
	}
	return starlark.String(t.Name), nil
}

func destroy(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d string
	var confirm bool
	e, err := domainArgs(th, b, args, kwargs, &d, "confirm?", &confirm)
	if err != nil {
		return nil, err
	}
	if !e.Confirmed(confirm) {
		return nil, fmt.Errorf("destroying %s stops it at once, like pulling its power cord (unsynced data is lost): pass confirm = True (or run with --yes), or use xen.shutdown", d)
	}
	return starlark.None, Control(e, "destroy", d)
}

func virtInstall(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v := VirtInstall{Graphics: "none", VCPUs: 1}
	var size starutil.Size
	if err := starutil.Unpack(b, args, kwargs, "name", &v.Name, "ram", &v.RAM, "disk", &v.Disk, "size", &size, "bridge", &v.Bridge,
		"location", &v.Location, "graphics?", &v.Graphics, "vcpus?", &v.VCPUs, "legacy?", &v.Legacy); err != nil {
		return nil, err
	}
	v.Size = int64(size)
	argv, err := v.Argv()
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if d, ok, err := find(e, v.Name); err != nil {
		return nil, err
	} else if ok {
		return domValue(d), nil // installed already
	}
	vi := tool.Tool{Name: "virt-install", Explain: xl.Explain}
	if _, err := vi.Change(e, argv[1:]...); err != nil {
		return nil, err
	}
	d, ok, err := find(e, v.Name)
	if err != nil || !ok {
		return nil, fmt.Errorf("virt-install exited 0 but xl list does not show %s (%v)", v.Name, err)
	}
	return domValue(d), nil
}

func wrapper(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var list starlark.Iterable
	if err := starutil.Unpack(b, args, kwargs, "bridges", &list); err != nil {
		return nil, err
	}
	var pairs [][2]string
	it := list.Iterate()
	defer it.Done()
	var x starlark.Value
	for it.Next(&x) {
		var s starutil.Strings
		if err := s.Unpack(x); err != nil || len(s) != 2 {
			return nil, fmt.Errorf("bridges: want (netdev, bridge) pairs, got %s", x)
		}
		pairs = append(pairs, [2]string{s[0], s[1]})
	}
	text, err := WrapperScript(pairs)
	if err != nil {
		return nil, err
	}
	return starlark.String(text), nil
}
