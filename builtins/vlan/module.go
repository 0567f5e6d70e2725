// Package vlan is vrun's `vlan` module: 802.1Q links with `ip link`
// (add, delete, list from `ip -j -d link`), the four VLAN_NAME_TYPE
// naming schemes of RHEL's network-scripts, and their ifcfg files.
package vlan

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

const ifcfgDir = "/etc/sysconfig/network-scripts/"

// Module returns the vlan module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "vlan", Doc: "802.1Q VLAN links: ip link add|del, ip -j -d link, RHEL ifcfg files", Funcs: []starutil.Func{
		{Name: "add", Params: "(device, id, naming = \"DEV_PLUS_VID_NO_PAD\", protocol = \"802.1Q\", up = True)", Doc: "ensure VLAN id on device (ip link add link DEVICE name NAME type vlan id ID), named by the naming scheme and set up; returns the link struct with changed", Impl: add},
		{Name: "delete", Params: "(name, confirm = False)", Doc: "ip link del a VLAN link (refuses any other kind); needs confirm = True or --yes; returns whether it existed", Impl: del},
		{Name: "ifcfg", Params: "(device, id, naming = \"DEV_PLUS_VID_NO_PAD\", ipaddr = None, netmask = None, bridge = None, bootproto = \"none\", onboot = True, routes = [])", Doc: "render ifcfg-NAME and route-NAME (new format, e.g. routes = [\"224.0.0.0/4\"]) for RHEL network-scripts, and the /etc/sysconfig/network keys; writes nothing", Impl: ifcfg},
		{Name: "list", Params: "()", Doc: "the host's VLAN links from ip -j -d link: list of struct(name, parent, id, protocol, up, mtu, master, flags)", Impl: list},
		{Name: "name", Params: "(device, id, naming = \"DEV_PLUS_VID_NO_PAD\")", Doc: "the link name a scheme gives: VLAN_PLUS_VID vlan0100, VLAN_PLUS_VID_NO_PAD vlan100, DEV_PLUS_VID eth0.0100, DEV_PLUS_VID_NO_PAD eth0.100", Impl: name},
	}}
}

func name(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var device string
	var id int
	naming := defaultNaming
	if err := starutil.Unpack(b, args, kwargs, "device", &device, "id", &id, "naming?", &naming); err != nil {
		return nil, err
	}
	n, err := Name(device, id, naming)
	if err != nil {
		return nil, err
	}
	return starlark.String(n), nil
}

func add(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s := AddSpec{Naming: defaultNaming, Protocol: "802.1Q", Up: true}
	if err := starutil.Unpack(b, args, kwargs, "device", &s.Device, "id", &s.ID, "naming?", &s.Naming, "protocol?", &s.Protocol, "up?", &s.Up); err != nil {
		return nil, err
	}
	if _, err := Name(s.Device, s.ID, s.Naming); err != nil {
		return nil, err // before touching the host
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	l, changed, err := Add(e, s)
	if err != nil {
		return nil, err
	}
	return linkValue(l, &changed), nil
}

func del(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var n string
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "name", &n, "confirm?", &confirm); err != nil {
		return nil, err
	}
	if err := CheckDevice(n, "a VLAN link name"); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if !e.Confirmed(confirm) {
		return nil, fmt.Errorf("deleting %s cuts off whatever uses it (bridges, guests): pass confirm = True (or run with --yes)", n)
	}
	gone, err := Delete(e, n)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(gone), nil
}

func list(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	links, err := List(e)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(links))
	for i, l := range links {
		out[i] = linkValue(l, nil)
	}
	return starlark.NewList(out), nil
}

func linkValue(l Link, changed *bool) starlark.Value {
	flags := make([]starlark.Value, len(l.Flags))
	for i, f := range l.Flags {
		flags[i] = starlark.String(f)
	}
	d := starlark.StringDict{
		"name": starlark.String(l.Name), "parent": orNone(l.Parent), "id": starlark.MakeInt(l.ID),
		"protocol": starlark.String(l.Protocol), "up": starlark.Bool(l.Up), "mtu": starlark.MakeInt(l.MTU),
		"master": orNone(l.Master), "flags": starlark.NewList(flags),
	}
	if changed != nil {
		d["changed"] = starlark.Bool(*changed)
	}
	return starutil.Struct("vlan.link", d)
}

func orNone(s string) starlark.Value {
	if s == "" {
		return starlark.None
	}
	return starlark.String(s)
}

func ifcfg(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s := IfcfgSpec{Naming: defaultNaming, Bootproto: "none", OnBoot: true}
	var routes starutil.Strings
	if err := starutil.Unpack(b, args, kwargs, "device", &s.Device, "id", &s.ID, "naming?", &s.Naming,
		"ipaddr?", &s.IPAddr, "netmask?", &s.Netmask, "bridge?", &s.Bridge, "bootproto?", &s.Bootproto,
		"onboot?", &s.OnBoot, "routes?", &routes); err != nil {
		return nil, err
	}
	s.Routes = routes
	r, err := RenderIfcfg(s)
	if err != nil {
		return nil, err
	}
	net, _ := NetworkKeys(s.Naming) // the naming was checked by RenderIfcfg
	d := starlark.StringDict{
		"name": starlark.String(r.Name), "file": starlark.String(ifcfgDir + "ifcfg-" + r.Name),
		"keys": keysDict(r.Keys), "content": starlark.String(RenderKeys(r.Keys)),
		"route_file": starlark.None, "route_content": starlark.None, "routes": keysDict(r.Routes),
		"network": keysDict(net),
	}
	if len(r.Routes) > 0 {
		d["route_file"] = starlark.String(ifcfgDir + "route-" + r.Name)
		d["route_content"] = starlark.String(RenderKeys(r.Routes))
	}
	return starutil.Struct("vlan.ifcfg", d), nil
}

func keysDict(keys [][2]string) *starlark.Dict {
	d := starlark.NewDict(len(keys))
	for _, kv := range keys {
		_ = d.SetKey(starlark.String(kv[0]), starlark.String(kv[1]))
	}
	return d
}
