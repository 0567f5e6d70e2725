package ovs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/ifname"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// ifaceTypes are the Interface types ovs-vsctl knows (the Open_vSwitch
// table's iface_types on 3.1, plus the DPDK ones).
var ifaceTypes = []string{"afxdp", "afxdp-nonpmd", "bareudp", "dpdk", "dpdkvhostuser", "dpdkvhostuserclient",
	"erspan", "geneve", "gre", "gtpu", "internal", "ip6erspan", "ip6gre", "lisp", "patch", "stt", "system", "tap", "vxlan"}

// tagArg reads a VLAN tag: None (0), or 1 to 4094. ovsdb takes 0 and 4095
// too, but 802.1Q reserves them: 0 is a priority tag, 4095 unused.
func tagArg(v starlark.Value) (int, error) {
	if v == starlark.None {
		return 0, nil
	}
	i, ok := v.(starlark.Int)
	if !ok {
		return 0, fmt.Errorf("tag: got %s, want an int from 1 to 4094 or None", v.Type())
	}
	n, ok := i.Int64()
	if !ok || n < 1 || n > 4094 {
		return 0, fmt.Errorf("tag: got %s, want a VLAN id from 1 to 4094 (802.1Q reserves 0 and 4095)", i)
	}
	return int(n), nil
}

func typeArg(t string) error {
	if t == "" {
		return nil
	}
	i := sort.SearchStrings(ifaceTypes, t)
	if i < len(ifaceTypes) && ifaceTypes[i] == t {
		return nil
	}
	return fmt.Errorf("type: got %q, want one of %s", t, strings.Join(ifaceTypes, ", "))
}

// ifaceType is the type an interface has, "system" standing for "".
func ifaceType(p Port) string {
	if len(p.Interfaces) == 0 || p.Interfaces[0].Type == "" {
		return "system"
	}
	return p.Interfaces[0].Type
}

func addPort(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var br, port, typ, db string
	var tagV starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "br", &br, "port", &port, "tag?", &tagV, "type??", &typ, "db??", &db); err != nil {
		return nil, err
	}
	if err := ifname.Check(br, "a bridge name"); err != nil {
		return nil, err
	}
	if err := ifname.Check(port, "a port name"); err != nil {
		return nil, err
	}
	tag, err := tagArg(tagV)
	if err != nil {
		return nil, err
	}
	if err := typeArg(typ); err != nil {
		return nil, err
	}
	v, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	if _, ok := sw.Bridge(br); !ok {
		return nil, noBridge(br, sw)
	}
	if _, ok := sw.Bridge(port); ok {
		return nil, fmt.Errorf("%s is an OVS bridge, not a port to add to %s", port, br)
	}
	p, on, exists := sw.PortOf(port)
	if exists && on != br {
		return nil, fmt.Errorf("port %s is already on OVS bridge %s, not %s: ovs.del_port(%q, %q) first to move it", port, on, br, on, port)
	}
	if !exists {
		argv := []string{"--may-exist", "add-port", br, port}
		if tag != 0 {
			argv = append(argv, "tag="+strconv.Itoa(tag))
		}
		if typ != "" {
			argv = append(argv, "--", "set", "Interface", port, "type="+typ)
		}
		return changed(v.change(argv...))
	}
	var argv []string
	if tag != 0 && p.Tag != tag {
		argv = append(argv, "set", "Port", port, "tag="+strconv.Itoa(tag))
	}
	if typ != "" && typ != ifaceType(p) {
		if len(argv) > 0 {
			argv = append(argv, "--")
		}
		argv = append(argv, "set", "Interface", port, "type="+typ)
	}
	if len(argv) == 0 {
		return starlark.False, nil
	}
	return changed(v.change(argv...))
}

// changed is True after a change that worked.
func changed(err error) (starlark.Value, error) {
	if err != nil {
		return nil, err
	}
	return starlark.True, nil
}

func delPort(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var br, port, db string
	if err := starutil.Unpack(b, args, kwargs, "br", &br, "port", &port, "db??", &db); err != nil {
		return nil, err
	}
	if err := ifname.Check(br, "a bridge name"); err != nil {
		return nil, err
	}
	if err := ifname.Check(port, "a port name"); err != nil {
		return nil, err
	}
	v, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	if _, ok := sw.Bridge(br); !ok {
		return nil, noBridge(br, sw)
	}
	if port == br {
		return nil, fmt.Errorf("%s is the bridge's own port: ovs.del_br deletes the bridge", port)
	}
	_, on, exists := sw.PortOf(port)
	switch {
	case !exists:
		return starlark.False, nil
	case on != br:
		return nil, fmt.Errorf("port %s is on OVS bridge %s, not %s", port, on, br)
	}
	return changed(v.change("--if-exists", "del-port", br, port))
}

func setTag(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var port, db string
	var tagV starlark.Value
	if err := starutil.Unpack(b, args, kwargs, "port", &port, "tag", &tagV, "db??", &db); err != nil {
		return nil, err
	}
	if err := ifname.Check(port, "a port name"); err != nil {
		return nil, err
	}
	tag, err := tagArg(tagV)
	if err != nil {
		return nil, err
	}
	v, sw, err := look(th, db)
	if err != nil {
		return nil, err
	}
	p, _, ok := sw.PortOf(port)
	switch {
	case !ok:
		return nil, fmt.Errorf("no OVS port named %s (ovs.add_port adds one)", port)
	case p.Tag == tag:
		return starlark.False, nil
	case tag == 0:
		return changed(v.change("clear", "Port", port, "tag"))
	}
	return changed(v.change("set", "Port", port, "tag="+strconv.Itoa(tag)))
}
