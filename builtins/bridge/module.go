// Package bridge is vrun's `bridge` module: Linux bridges through
// iproute2 (`ip -j -d link show` read back, `ip link add|set|del`),
// idempotent: each call looks first and changes only what differs.
package bridge

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/ifname"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module returns the bridge module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "bridge", Doc: "Linux bridges (ip link, ip -j -d link show)", Funcs: []starutil.Func{
		{Name: "add", Params: "(name, stp = False, forward_delay = 0, up = True)", Impl: add,
			Doc: "ensure a Linux bridge with STP on or off and forward_delay in seconds (0-30; 2-30 with STP), set up unless up = False; returns whether anything changed"},
		{Name: "addif", Params: "(br, dev)", Impl: addif, Doc: "make link dev a port of bridge br; returns whether it changed"},
		{Name: "delif", Params: "(br, dev)", Impl: delif, Doc: "release dev from bridge br; returns False when it was not a port of br"},
		{Name: "delete", Params: "(name, confirm = False)", Impl: del,
			Doc: "delete a bridge, releasing its ports (needs confirm = True or --yes); returns False when there was none"},
		{Name: "show", Params: "()", Impl: show,
			Doc: "the Linux bridges: list of {name, stp, forward_delay (seconds), up, mtu, mac, interfaces}"},
	}}
}

// read returns the thread's env and the target's links.
func read(th *starlark.Thread) (*env.Env, []Link, error) {
	e, err := env.From(th)
	if err != nil {
		return nil, nil, err
	}
	ls, err := links(e)
	return e, ls, err
}

// bridgeOf finds a bridge; a link of that name that is something else is
// an error.
func bridgeOf(ls []Link, name string) (Bridge, bool, error) {
	l, ok := find(ls, name)
	switch {
	case !ok:
		return Bridge{}, false, nil
	case l.Info.Kind != "bridge":
		return Bridge{}, false, fmt.Errorf("%s is a link of kind %q, not a Linux bridge", name, kindName(l))
	}
	for _, b := range Bridges(ls) {
		if b.Name == name {
			return b, true, nil
		}
	}
	return Bridge{}, false, nil
}

func kindName(l Link) string {
	if l.Info.Kind == "" {
		return "ether"
	}
	return l.Info.Kind
}

func mustBridge(ls []Link, name string) (Bridge, error) {
	b, ok, err := bridgeOf(ls, name)
	if err == nil && !ok {
		var names []string
		for _, b := range Bridges(ls) {
			names = append(names, b.Name)
		}
		have := "there are none"
		if len(names) > 0 {
			have = "there are " + strings.Join(names, ", ")
		}
		err = fmt.Errorf("no Linux bridge named %s (%s)", name, have)
	}
	return b, err
}

func add(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var stp bool
	delay, up := 0, true
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "stp?", &stp, "forward_delay?", &delay, "up?", &up); err != nil {
		return nil, err
	}
	if err := ifname.Check(name, "a bridge name"); err != nil {
		return nil, err
	}
	switch {
	case stp && (delay < 2 || delay > 30):
		return nil, fmt.Errorf("forward_delay: got %d, want 2 to 30 seconds with STP on (the kernel would clamp it)", delay)
	case delay < 0 || delay > 30:
		return nil, fmt.Errorf("forward_delay: got %d, want 0 to 30 seconds", delay)
	}
	e, ls, err := read(th)
	if err != nil {
		return nil, err
	}
	cur, ok, err := bridgeOf(ls, name)
	if err != nil {
		return nil, err
	}
	var argvs [][]string
	if ok {
		argvs = setArgvs(name, cur, stp, delay)
	} else {
		argvs = [][]string{addArgv(name, stp, delay)}
	}
	if up && !cur.Up { // a bridge is made down; one made here is not up yet either
		argvs = append(argvs, []string{"link", "set", "dev", name, "up"})
	}
	for _, argv := range argvs {
		if _, err := ip.Change(e, argv...); err != nil {
			return nil, err
		}
	}
	return starlark.Bool(len(argvs) > 0), nil
}

func changed[T any](_ T, err error) (starlark.Value, error) {
	if err != nil {
		return nil, err
	}
	return starlark.True, nil
}

// brDev unpacks (br, dev) and reads the links.
func brDev(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (*env.Env, Bridge, Link, error) {
	var br, dev string
	if err := starutil.Unpack(b, args, kwargs, "br", &br, "dev", &dev); err != nil {
		return nil, Bridge{}, Link{}, err
	}
	if err := ifname.Check(br, "a bridge name"); err != nil {
		return nil, Bridge{}, Link{}, err
	}
	if err := ifname.Check(dev, "a link name"); err != nil {
		return nil, Bridge{}, Link{}, err
	}
	e, ls, err := read(th)
	if err != nil {
		return nil, Bridge{}, Link{}, err
	}
	bridge, err := mustBridge(ls, br)
	if err != nil {
		return nil, Bridge{}, Link{}, err
	}
	l, ok := find(ls, dev)
	if !ok {
		return nil, Bridge{}, Link{}, fmt.Errorf("no link named %s on the target", dev)
	}
	return e, bridge, l, nil
}

func addif(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	e, br, dev, err := brDev(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	switch {
	case dev.Master == br.Name:
		return starlark.False, nil
	case dev.Type == "loopback":
		return nil, fmt.Errorf("%s is the loopback device: the kernel puts no loopback in a bridge", dev.Name)
	case dev.Info.Kind == "bridge":
		return nil, fmt.Errorf("%s is a bridge: the kernel does not put a bridge in a bridge", dev.Name)
	case dev.Master == "ovs-system":
		return nil, fmt.Errorf("%s is a port of Open vSwitch (master ovs-system): ovs.del_port it first", dev.Name)
	case dev.Master != "":
		return nil, fmt.Errorf("%s is a port of %s: bridge.delif(%q, %q) first to move it", dev.Name, dev.Master, dev.Master, dev.Name)
	}
	return changed(ip.Change(e, "link", "set", "dev", dev.Name, "master", br.Name))
}

func delif(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	e, br, dev, err := brDev(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	if dev.Master != br.Name {
		return starlark.False, nil
	}
	return changed(ip.Change(e, "link", "set", "dev", dev.Name, "nomaster"))
}

func del(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "confirm?", &confirm); err != nil {
		return nil, err
	}
	if err := ifname.Check(name, "a bridge name"); err != nil {
		return nil, err
	}
	e, ls, err := read(th)
	if err != nil {
		return nil, err
	}
	br, ok, err := bridgeOf(ls, name)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return starlark.False, nil
	case !e.Confirmed(confirm):
		ports := "none"
		if len(br.Interfaces) > 0 {
			ports = strings.Join(br.Interfaces, ", ")
		}
		return nil, fmt.Errorf("deleting bridge %s releases its ports (%s) and drops its addresses; pass confirm = True (or run with --yes)", name, ports)
	}
	return changed(ip.Change(e, "link", "del", "dev", name))
}

func show(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	_, ls, err := read(th)
	if err != nil {
		return nil, err
	}
	return starutil.ToValue(Plain(Bridges(ls)))
}

// Plain is bridges as JSON-like values (what show returns).
func Plain(bs []Bridge) []any {
	out := []any{}
	for _, b := range bs {
		ifs := []any{}
		for _, i := range b.Interfaces {
			ifs = append(ifs, i)
		}
		out = append(out, map[string]any{"name": b.Name, "stp": b.STP, "forward_delay": b.ForwardDelay,
			"up": b.Up, "mtu": b.MTU, "mac": b.MAC, "interfaces": ifs})
	}
	return out
}
