package virsh

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

func networkFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "network", Params: "(value = None, **fields)", Impl: networkValue,
			Doc: "a network definition from a dict shaped like the XML (or XML text) and/or keywords, checked with libvirtxml: unknown names are errors"},
		{Name: "net_define", Params: "(value, uri = None, check_bridges = True)", Impl: define(networkKind, "net-define"),
			Doc: "define (or redefine) a network from virsh.network(...), a dict or XML text; a bridge it forwards to must exist on the target; returns its name" + uriDoc},
		{Name: "net_start", Params: "(n, uri = None)", Impl: netOp("net-start"), Doc: "start a defined network" + uriDoc},
		{Name: "net_autostart", Params: "(n, enable = True, uri = None)", Impl: autostart("net-autostart", "a network name"),
			Doc: "start a network when libvirtd starts (enable = False: do not)" + uriDoc},
		{Name: "net_list", Params: "(all = True, uri = None)", Impl: list("net-list", "networks"),
			Doc: "network names (net-list --name; all = False: active ones only)" + uriDoc},
		{Name: "net_info", Params: "(n, uri = None)", Impl: info("net-info", "a network name"),
			Doc: "net-info as a dict: name, uuid, active, persistent, autostart, bridge" + uriDoc},
		{Name: "net_dumpxml", Params: "(n, uri = None)", Impl: netDumpxml,
			Doc: "a network's XML as libvirt keeps it, as a dict shaped like the XML" + uriDoc},
		{Name: "net_destroy", Params: "(n, uri = None)", Impl: netOp("net-destroy"),
			Doc: "stop an active network (its definition stays)" + uriDoc},
		{Name: "net_undefine", Params: "(n, confirm = False, uri = None)", Impl: confirmed("net-undefine", "a network name", "undefining network %q deletes its definition"),
			Doc: "delete a network's definition (needs confirm = True or --yes)" + uriDoc},
	}
}

func networkValue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return docValue(networkKind, args, kwargs)
}

func netOp(cmd string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c, name, err := nameCall(th, b, args, kwargs, "a network name")
		if err != nil {
			return nil, err
		}
		_, err = c.change(nil, cmd, "--", name)
		return starlark.None, err
	}
}

func netDumpxml(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, name, err := nameCall(th, b, args, kwargs, "a network name")
	if err != nil {
		return nil, err
	}
	out, err := c.read("net-dumpxml", "--", name)
	if err != nil {
		return nil, err
	}
	return readDoc(networkKind, out)
}

// define runs define or net-define with the document's XML on stdin
// (virsh reads /dev/stdin on the target: no file to copy there).
func define(k kind, cmd string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var v starlark.Value
		var uri starlark.Value = starlark.None
		check := true
		if err := starutil.Unpack(b, args, kwargs, "value", &v, "uri?", &uri, "check_bridges?", &check); err != nil {
			return nil, err
		}
		d, ok := v.(*Doc)
		if ok && d.kind != k.root {
			return nil, fmt.Errorf("got a virsh.%s, want a virsh.%s", d.kind, k.root)
		}
		if !ok {
			var err error
			if d, err = build(k, v); err != nil {
				return nil, err
			}
		}
		if err := nameArg(d.name, "a "+k.root+" name"); err != nil {
			return nil, fmt.Errorf("%s.name: %v", k.root, err)
		}
		c, err := newConn(th, uri)
		if err != nil {
			return nil, err
		}
		if check {
			if err := checkBridges(c, d); err != nil {
				return nil, err
			}
		}
		if _, err := c.change([]byte(d.xml), cmd, "/dev/stdin"); err != nil {
			return nil, err
		}
		return starlark.String(d.name), nil
	}
}
