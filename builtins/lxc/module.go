// Package lxc is vrun's `lxc` module: LXC containers through the lxc-*
// tools, every state change checked with lxc-wait and lxc-info rather than
// assumed, and start failures explained from LXC's own log.
package lxc

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module returns the lxc module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "lxc", Doc: "LXC containers (lxc-create, lxc-start, lxc-info, ...); every function takes lxcpath = None (lxc-config's lxc.lxcpath)", Funcs: []starutil.Func{
		{Name: "attach", Params: "(name, *argv, env = {}, clear_env = False, check = True, timeout = None, lxcpath = None)", Positional: 1, Impl: attach,
			Doc: "run argv inside a running container (lxc-attach -- argv); returns result(rc, stdout, stderr, argv, duration, ok, timed_out) like run(), failing on rc != 0 unless check = False"},
		{Name: "cgroup", Params: "(name, key, value = None, lxcpath = None)", Impl: cgroup,
			Doc: "read a cgroup key of a running container (memory.limit_in_bytes on cgroup v1, memory.max on v2), or set it to value and return what it reads back"},
		{Name: "config", Params: "(keys = {}, **more)", Impl: config,
			Doc: "render a container config from lxc.* keys and the shorthands net (dict or list: type, link, name, ipv4, gateway, hwaddr, mtu), rootfs (a directory), cgroup and cgroup2 (dicts); a list value repeats its key"},
		{Name: "copy", Params: "(name, new_name, snapshot = False, lxcpath = None)", Impl: copyCt,
			Doc: "copy a stopped container (lxc-copy; snapshot = True for a copy-on-write clone); returns the copy's info"},
		{Name: "create", Params: "(name, template, config = {}, lxcpath = None, template_args = [])", Impl: create,
			Doc: "create a container from a template (busybox, download, debian...) with config (a dict as lxc.config takes, or its text); fails if it exists; returns its info"},
		{Name: "destroy", Params: "(name, confirm = False, snapshots = False, kill = False, lxcpath = None)", Impl: destroy,
			Doc: "destroy a stopped container and its root filesystem (confirm = True or --yes); kill = True stops a running one first, snapshots = True destroys its snapshots too; False if there was none"},
		{Name: "exists", Params: "(name, lxcpath = None)", Impl: exists, Doc: "whether the container is defined"},
		{Name: "freeze", Params: "(name, lxcpath = None)", Impl: freeze, Doc: "freeze a running container (lxc-freeze), checked FROZEN; False if it was"},
		{Name: "info", Params: "(name, lxcpath = None)", Impl: info,
			Doc: "lxc-info -H: struct(name, state, running, pid, ips, memory, kmem, cpu_ns, blkio, links); numbers in bytes and nanoseconds, None when LXC does not say"},
		{Name: "ls", Params: "(lxcpath = None)", Impl: ls,
			Doc: "every container (lxc-ls -f -F ...): list of struct(name, state, pid, ram, autostart, groups, ipv4, ipv6, interfaces, unprivileged)"},
		{Name: "restore", Params: "(name, snapshot, new_name = None, confirm = False, lxcpath = None)", Impl: restore,
			Doc: "restore a snapshot into new_name, or over the stopped container itself (which replaces its root filesystem: confirm = True or --yes)"},
		{Name: "rootfs", Params: "(name, lxcpath = None)", Impl: rootfs, Doc: "the directory of the container's root filesystem (lxc.rootfs.path of a dir backend), for file.* and cp"},
		{Name: "snapshot", Params: "(name, lxcpath = None)", Impl: snapshot, Doc: "snapshot a stopped container (lxc-snapshot); returns the snapshot's name (snap0, ...)"},
		{Name: "snapshots", Params: "(name, lxcpath = None)", Impl: snapshots, Doc: "the container's snapshots: list of struct(name, dir, time)"},
		{Name: "start", Params: "(name, timeout = \"30s\", lxcpath = None)", Impl: start,
			Doc: "start a container in the background and wait for RUNNING; a failure carries LXC's log lines; False if it was running"},
		{Name: "stop", Params: "(name, kill = False, timeout = \"30s\", lxcpath = None)", Impl: stop,
			Doc: "stop a container (clean shutdown within timeout, or kill = True) and wait for STOPPED; False if it was stopped"},
		{Name: "unfreeze", Params: "(name, lxcpath = None)", Impl: unfreeze, Doc: "thaw a frozen container (lxc-unfreeze), checked RUNNING; False if it was running"},
		{Name: "wait", Params: "(name, state, timeout = \"30s\", lxcpath = None)", Impl: wait,
			Doc: "wait until the container is in state (RUNNING, STOPPED, FROZEN...); a timeout names the state it is in"},
	}}
}

// optString reads a string-or-None argument.
func optString(v starlark.Value, what string) (string, error) {
	if v == nil || v == starlark.None {
		return "", nil
	}
	s, ok := starlark.AsString(v)
	if !ok {
		return "", fmt.Errorf("%s: got %s, want string or None", what, v.Type())
	}
	if s == "" {
		return "", fmt.Errorf("%s: got \"\", want a value or None", what)
	}
	return s, nil
}

// target is the container a builtin acts on.
func target(th *starlark.Thread, name string, lxcpath starlark.Value) (*ct, error) {
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	p, err := optString(lxcpath, "lxcpath")
	if err != nil {
		return nil, err
	}
	return newCt(e, name, p)
}

// simple unpacks (name, lxcpath = None) and resolves the container.
func simple(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (*ct, error) {
	var name string
	var lxcpath starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	return target(th, name, lxcpath)
}

func config(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	keys := starlark.NewDict(0)
	if err := starutil.UnpackPositional(b, args, nil, 0, &keys); err != nil {
		return nil, err
	}
	all := starlark.NewDict(keys.Len() + len(kwargs))
	for _, item := range keys.Items() {
		_ = all.SetKey(item[0], item[1])
	}
	for _, kv := range kwargs {
		_ = all.SetKey(kv[0], kv[1])
	}
	kvs, err := ConfigFrom(all)
	if err != nil {
		return nil, err
	}
	return starlark.String(Render(kvs)), nil
}

func info(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, err := simple(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	in, err := c.info()
	if err != nil {
		return nil, err
	}
	return infoValue(in), nil
}

func exists(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, err := simple(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	found, err := c.exists()
	return starlark.Bool(found), err
}

func ls(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lxcpath starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	p, err := optString(lxcpath, "lxcpath")
	if err != nil {
		return nil, err
	}
	if p, err = resolvePath(e, p); err != nil {
		return nil, err
	}
	res, err := lxcTool("lxc-ls").Read(e, "-P", p, "-f", "-F", lsColumns)
	if err != nil {
		return nil, err
	}
	rows, err := ParseLs(res.Stdout)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, 0, len(rows))
	for _, r := range rows {
		v, err := entryValue(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return starlark.NewList(out), nil
}

// lsColumns are the columns ls asks for (all but SWAP, which needs swap
// accounting).
const lsColumns = "NAME,STATE,AUTOSTART,GROUPS,IPV4,IPV6,PID,RAM,INTERFACE,UNPRIVILEGED"
