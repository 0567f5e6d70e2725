// Package virsh is the virsh module: libvirt domains, networks, storage
// pools and volumes through the virsh CLI (locally, over qemu+ssh://
// URIs, on any target), with domain and network XML built and read
// through libvirt.org/go/libvirtxml as dicts shaped like the XML.
package virsh

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

const uriDoc = "; uri = None: LIBVIRT_DEFAULT_URI, else virsh's default"

// Module returns the virsh module.
func Module() *starutil.Module {
	return &starutil.Module{
		Name:  "virsh",
		Doc:   "libvirt through virsh: domains, networks, pools and volumes; XML as dicts (libvirtxml)",
		Funcs: append(append(domainFuncs(), networkFuncs()...), storageFuncs()...),
	}
}

func domainFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "domain", Params: "(value = None, **fields)", Impl: domainValue,
			Doc: "a domain definition from a dict shaped like the XML (or XML text) and/or keywords, checked with libvirtxml: unknown names are errors"},
		{Name: "list", Params: "(all = True, uri = None)", Impl: list("list", "domains"),
			Doc: "domain names (list --name; all = False: running ones only)" + uriDoc},
		{Name: "domstate", Params: "(d, uri = None)", Impl: domstate,
			Doc: "a domain's state: running, paused, shut off, ..." + uriDoc},
		{Name: "dominfo", Params: "(d, uri = None)", Impl: info("dominfo", "a domain name"),
			Doc: "dominfo as a dict: id (None when not running), state, cpus, max_memory_kib, persistent, autostart, ..." + uriDoc},
		{Name: "dumpxml", Params: "(d, inactive = False, uri = None)", Impl: dumpxml,
			Doc: "a domain's XML as libvirt keeps it, as a dict shaped like the XML" + uriDoc},
		{Name: "define", Params: "(value, uri = None, check_bridges = True)", Impl: define(domainKind, "define"),
			Doc: "define (or redefine) a domain from virsh.domain(...), a dict or XML text; bridges its interfaces name must exist on the target; returns its name" + uriDoc},
		{Name: "start", Params: "(d, uri = None)", Impl: domOp("start"), Doc: "start a defined domain" + uriDoc},
		{Name: "shutdown", Params: "(d, uri = None)", Impl: domOp("shutdown"), Doc: "ask a domain's guest to shut down (ACPI)" + uriDoc},
		{Name: "reboot", Params: "(d, uri = None)", Impl: domOp("reboot"), Doc: "ask a domain's guest to reboot" + uriDoc},
		{Name: "suspend", Params: "(d, uri = None)", Impl: domOp("suspend"), Doc: "pause a running domain" + uriDoc},
		{Name: "resume", Params: "(d, uri = None)", Impl: domOp("resume"), Doc: "resume a paused domain" + uriDoc},
		{Name: "destroy", Params: "(d, confirm = False, uri = None)", Impl: confirmed("destroy", "a domain name", "destroying domain %q stops it at once, like pulling its power cord"),
			Doc: "stop a domain at once (needs confirm = True or --yes)" + uriDoc},
		{Name: "undefine", Params: "(d, confirm = False, uri = None)", Impl: confirmed("undefine", "a domain name", "undefining domain %q deletes its definition"),
			Doc: "delete a domain's definition; a running one goes on as transient (needs confirm = True or --yes)" + uriDoc},
		{Name: "autostart", Params: "(d, enable = True, uri = None)", Impl: autostart("autostart", "a domain name"),
			Doc: "start a domain when the host boots (enable = False: do not)" + uriDoc},
		{Name: "console_command", Params: "(d, uri = None)", Impl: consoleCommand,
			Doc: "the command that attaches to a domain's console (vrun does not proxy consoles; Ctrl-] leaves it)"},
	}
}

func domainValue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return docValue(domainKind, args, kwargs)
}

// docValue builds a Doc from a dict (or XML text) and keywords; keywords
// win over the dict's keys.
func docValue(k kind, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 1 {
		return nil, fmt.Errorf("got %d positional arguments, want at most 1 (a dict or XML text)", len(args))
	}
	var v starlark.Value = starlark.NewDict(len(kwargs))
	if len(args) == 1 && args[0] != starlark.None {
		v = args[0]
		if d, ok := v.(*Doc); ok {
			v = d.dict
		}
	}
	if len(kwargs) > 0 {
		src, ok := v.(*starlark.Dict)
		if !ok {
			return nil, fmt.Errorf("keywords can only add to a dict, not to %s", v.Type())
		}
		d := starlark.NewDict(src.Len() + len(kwargs))
		for _, kv := range src.Items() {
			_ = d.SetKey(kv[0], kv[1])
		}
		for _, kv := range kwargs {
			_ = d.SetKey(kv[0], kv[1])
		}
		v = d
	}
	return build(k, v)
}

func list(cmd, what string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		all := true
		var uri starlark.Value = starlark.None
		if err := starutil.Unpack(b, args, kwargs, "all?", &all, "uri?", &uri); err != nil {
			return nil, err
		}
		c, err := newConn(th, uri)
		if err != nil {
			return nil, err
		}
		argv := []string{cmd, "--name"}
		if all {
			argv = append(argv, "--all")
		}
		out, err := c.read(argv...)
		if err != nil {
			return nil, fmt.Errorf("cannot list %s: %w", what, err)
		}
		return strList(parseNames(out)), nil
	}
}

// nameCall unpacks (d, ..., uri = None): the name (its parameter is
// named after what: d for a domain, n for a network) and extra pairs.
func nameCall(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, what string, extra ...any) (conn, string, error) {
	var name string
	var uri starlark.Value = starlark.None
	all := append([]any{paramOf(what), &name}, extra...)
	all = append(all, "uri?", &uri)
	if err := starutil.Unpack(b, args, kwargs, all...); err != nil {
		return conn{}, "", err
	}
	if err := nameArg(name, what); err != nil {
		return conn{}, "", err
	}
	c, err := newConn(th, uri)
	return c, name, err
}

func domstate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, name, err := nameCall(th, b, args, kwargs, "a domain name")
	if err != nil {
		return nil, err
	}
	out, err := c.read("domstate", "--", name)
	if err != nil {
		return nil, err
	}
	state := strings.TrimSpace(out)
	if state == "" || strings.Contains(state, "\n") {
		return nil, fmt.Errorf("cannot read domstate output %q: want one state", out)
	}
	return starlark.String(state), nil
}

func info(cmd, what string, flags ...string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c, name, err := nameCall(th, b, args, kwargs, what)
		if err != nil {
			return nil, err
		}
		out, err := c.read(append(append([]string{cmd}, flags...), "--", name)...)
		if err != nil {
			return nil, err
		}
		m, err := parseInfo(out)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", cmd, err)
		}
		return starutil.ToValue(m)
	}
}

func dumpxml(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	inactive := false
	c, name, err := nameCall(th, b, args, kwargs, "a domain name", "inactive?", &inactive)
	if err != nil {
		return nil, err
	}
	argv := []string{"dumpxml"}
	if inactive {
		argv = append(argv, "--inactive")
	}
	out, err := c.read(append(argv, "--", name)...)
	if err != nil {
		return nil, err
	}
	return readDoc(domainKind, out)
}

// readDoc parses a dumpxml into the dict shape.
func readDoc(k kind, out string) (starlark.Value, error) {
	n, err := parseXML([]byte(out))
	if err != nil {
		return nil, fmt.Errorf("cannot read the %s XML: %v", k.root, err)
	}
	if n.name != k.root {
		return nil, fmt.Errorf("cannot read the %s XML: got <%s>", k.root, n.name)
	}
	return toDict(n, k.typ), nil
}

func domOp(cmd string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c, name, err := nameCall(th, b, args, kwargs, "a domain name")
		if err != nil {
			return nil, err
		}
		_, err = c.change(nil, cmd, "--", name)
		return starlark.None, err
	}
}

func confirmed(cmd, what, why string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		confirm := false
		c, name, err := nameCall(th, b, args, kwargs, what, "confirm?", &confirm)
		if err != nil {
			return nil, err
		}
		if !c.e.Confirmed(confirm) {
			return nil, fmt.Errorf(why+"; pass confirm = True (or run with --yes)", name)
		}
		_, err = c.change(nil, cmd, "--", name)
		return starlark.None, err
	}
}

func autostart(cmd, what string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		enable := true
		c, name, err := nameCall(th, b, args, kwargs, what, "enable?", &enable)
		if err != nil {
			return nil, err
		}
		argv := []string{cmd}
		if !enable {
			argv = append(argv, "--disable")
		}
		_, err = c.change(nil, append(argv, "--", name)...)
		return starlark.None, err
	}
}

func consoleCommand(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, name, err := nameCall(th, b, args, kwargs, "a domain name")
	if err != nil {
		return nil, err
	}
	return starlark.String(ConsoleCommand(c.uri, name)), nil
}

func strList(xs []string) *starlark.List {
	vs := make([]starlark.Value, len(xs))
	for i, x := range xs {
		vs[i] = starlark.String(x)
	}
	return starlark.NewList(vs)
}

// paramOf names the name parameter after what it names.
func paramOf(what string) string {
	switch what {
	case "a network name":
		return "n"
	case "a pool name":
		return "pool"
	}
	return "d"
}
