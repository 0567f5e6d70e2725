// Package ovs is vrun's `ovs` module: Open vSwitch bridges and ports
// through ovs-vsctl, read back as JSON (--format=json list) and changed
// idempotently (--may-exist, --if-exists, and a look before each change).
package ovs

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/ifname"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

const dbDoc = "; db = \"unix:/path/db.sock\" names another ovsdb-server"

// Module returns the ovs module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "ovs", Doc: "Open vSwitch bridges and ports (ovs-vsctl)", Funcs: []starutil.Func{
		{Name: "add_br", Params: "(name, datapath_type = None, db = None)", Impl: addBr,
			Doc: "ensure an OVS bridge (datapath_type \"system\" or \"netdev\"; None keeps an existing bridge's); returns whether anything changed" + dbDoc},
		{Name: "add_port", Params: "(br, port, tag = None, type = None, db = None)", Impl: addPort,
			Doc: "ensure port on bridge br with VLAN tag (1-4094) and interface type (\"internal\", \"patch\"...); None leaves an existing port's as it is; returns whether anything changed" + dbDoc},
		{Name: "del_br", Params: "(name, confirm = False, db = None)", Impl: delBr,
			Doc: "delete an OVS bridge and all its ports (needs confirm = True or --yes); returns False when there was none" + dbDoc},
		{Name: "del_port", Params: "(br, port, db = None)", Impl: delPort,
			Doc: "remove port from bridge br; returns False when it was not there" + dbDoc},
		{Name: "list_br", Params: "(db = None)", Impl: listBr, Doc: "the OVS bridges' names, sorted" + dbDoc},
		{Name: "list_ports", Params: "(br, db = None)", Impl: listPorts,
			Doc: "the ports of bridge br (without its own internal port), sorted" + dbDoc},
		{Name: "set_tag", Params: "(port, tag, db = None)", Impl: setTag,
			Doc: "set a port's VLAN tag (1-4094; None removes it); returns whether it changed" + dbDoc},
		{Name: "show", Params: "(db = None)", Impl: show,
			Doc: "the switch: {\"bridges\": [{name, datapath_type, ports: [{name, tag (None when untagged), trunks, interfaces: [{name, type, error}]}]}]}" + dbDoc},
	}}
}

// client unpacks db and returns the ovs-vsctl runner.
func client(th *starlark.Thread, db string) (vsctl, error) {
	if db != "" {
		if err := starutil.Operand(db, "an ovsdb remote such as \"unix:/run/openvswitch/db.sock\""); err != nil {
			return vsctl{}, fmt.Errorf("db: %w", err)
		}
	}
	e, err := env.From(th)
	if err != nil {
		return vsctl{}, err
	}
	return vsctl{e: e, db: db}, nil
}

// look is client then a read of the switch: where every builtin starts.
func look(th *starlark.Thread, db string) (vsctl, Switch, error) {
	v, err := client(th, db)
	if err != nil {
		return vsctl{}, Switch{}, err
	}
	sw, err := v.read()
	return v, sw, err
}

func addBr(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, dpType, db string
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "datapath_type??", &dpType, "db??", &db); err != nil {
		return nil, err
	}
	if err := ifname.Check(name, "a bridge name"); err != nil {
		return nil, err
	}
	if dpType != "" && dpType != "system" && dpType != "netdev" {
		return nil, fmt.Errorf("datapath_type: got %q, want \"system\" (the kernel's) or \"netdev\" (userspace)", dpType)
	}
	v, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	if br, ok := sw.Bridge(name); ok {
		if dpType == "" || dpType == br.DatapathType || dpType == "system" && br.DatapathType == "" {
			return starlark.False, nil
		}
		return changed(v.change("set", "Bridge", name, "datapath_type="+dpType))
	}
	if _, on, ok := sw.PortOf(name); ok {
		return nil, fmt.Errorf("%s is already a port of OVS bridge %s, so it cannot be a bridge", name, on)
	}
	argv := []string{"--may-exist", "add-br", name}
	if dpType != "" {
		argv = append(argv, "--", "set", "Bridge", name, "datapath_type="+dpType)
	}
	return changed(v.change(argv...))
}

func delBr(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, db string
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "confirm?", &confirm, "db??", &db); err != nil {
		return nil, err
	}
	if err := ifname.Check(name, "a bridge name"); err != nil {
		return nil, err
	}
	v, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	br, ok := sw.Bridge(name)
	if !ok {
		return starlark.False, nil
	}
	if !v.e.Confirmed(confirm) {
		return nil, fmt.Errorf("deleting OVS bridge %s cuts off its ports (%s); pass confirm = True (or run with --yes)", name, portList(br))
	}
	return changed(v.change("--if-exists", "del-br", name))
}

func portList(br Bridge) string {
	var names []string
	for _, p := range br.Ports {
		if p.Name != br.Name {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return "none but its own"
	}
	return strings.Join(names, ", ")
}

func listBr(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var db string
	if err := starutil.Unpack(b, args, kwargs, "db??", &db); err != nil {
		return nil, err
	}
	_, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	return strList(sw.Names()), nil
}

func listPorts(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var br, db string
	if err := starutil.Unpack(b, args, kwargs, "br", &br, "db??", &db); err != nil {
		return nil, err
	}
	if err := ifname.Check(br, "a bridge name"); err != nil {
		return nil, err
	}
	_, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	bridge, ok := sw.Bridge(br)
	if !ok {
		return nil, noBridge(br, sw)
	}
	var names []string
	for _, p := range bridge.Ports {
		if p.Name != br {
			names = append(names, p.Name)
		}
	}
	return strList(names), nil
}

func noBridge(name string, sw Switch) error {
	have := "there are none"
	if names := sw.Names(); len(names) > 0 {
		have = "there are " + strings.Join(names, ", ")
	}
	return fmt.Errorf("no OVS bridge named %s (%s)", name, have)
}

func strList(names []string) *starlark.List {
	out := make([]starlark.Value, len(names))
	for i, n := range names {
		out[i] = starlark.String(n)
	}
	return starlark.NewList(out)
}

func show(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var db string
	if err := starutil.Unpack(b, args, kwargs, "db??", &db); err != nil {
		return nil, err
	}
	_, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	return starutil.ToValue(sw.Plain())
}

// Plain is the switch as JSON-like values (what show returns).
func (s Switch) Plain() map[string]any {
	bridges := []any{}
	for _, b := range s.Bridges {
		ports := []any{}
		for _, p := range b.Ports {
			ifaces := []any{}
			for _, i := range p.Interfaces {
				ifaces = append(ifaces, map[string]any{"name": i.Name, "type": i.Type, "error": orNone(i.Error)})
			}
			trunks := []any{}
			for _, t := range p.Trunks {
				trunks = append(trunks, t)
			}
			var tag any
			if p.Tag != 0 {
				tag = p.Tag
			}
			ports = append(ports, map[string]any{"name": p.Name, "tag": tag, "trunks": trunks, "interfaces": ifaces})
		}
		bridges = append(bridges, map[string]any{"name": b.Name, "datapath_type": b.DatapathType, "ports": ports})
	}
	return map[string]any{"bridges": bridges}
}

func orNone(s string) any {
	if s == "" {
		return nil
	}
	return s
}
