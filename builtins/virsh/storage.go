package virsh

import (
	"fmt"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Storage pools and volumes: enough to keep a guest's disk image in a
// directory pool.
func storageFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "pool_define_as", Params: "(pool, type = \"dir\", target = None, uri = None)", Impl: poolDefineAs,
			Doc: "define a storage pool (a dir pool needs target, its directory)" + uriDoc},
		{Name: "pool_build", Params: "(pool, uri = None)", Impl: poolOp("pool-build"), Doc: "build a pool (a dir pool's directory)" + uriDoc},
		{Name: "pool_start", Params: "(pool, uri = None)", Impl: poolOp("pool-start"), Doc: "start a defined pool" + uriDoc},
		{Name: "pool_autostart", Params: "(pool, enable = True, uri = None)", Impl: autostart("pool-autostart", "a pool name"),
			Doc: "start a pool when libvirtd starts (enable = False: do not)" + uriDoc},
		{Name: "pool_list", Params: "(all = True, uri = None)", Impl: list("pool-list", "storage pools"),
			Doc: "pool names (pool-list --name; all = False: active ones only)" + uriDoc},
		{Name: "pool_info", Params: "(pool, uri = None)", Impl: info("pool-info", "a pool name", "--bytes"),
			Doc: "pool-info as a dict: name, uuid, state, persistent, autostart, capacity/allocation/available in bytes" + uriDoc},
		{Name: "pool_destroy", Params: "(pool, uri = None)", Impl: poolOp("pool-destroy"), Doc: "stop an active pool (its volumes stay)" + uriDoc},
		{Name: "pool_undefine", Params: "(pool, confirm = False, uri = None)", Impl: confirmed("pool-undefine", "a pool name", "undefining pool %q deletes its definition"),
			Doc: "delete a pool's definition (needs confirm = True or --yes)" + uriDoc},
		{Name: "vol_create_as", Params: "(pool, name, size, format = None, uri = None)", Impl: volCreateAs,
			Doc: "create a volume of size bytes (int or \"10G\"; format: raw, qcow2, ...) in a pool; returns its path" + uriDoc},
		{Name: "vol_list", Params: "(pool, uri = None)", Impl: volList,
			Doc: "a pool's volumes: a list of {name, path}" + uriDoc},
		{Name: "vol_info", Params: "(pool, name, uri = None)", Impl: volCall("vol-info", "--bytes"),
			Doc: "vol-info as a dict: name, type, capacity and allocation in bytes" + uriDoc},
		{Name: "vol_path", Params: "(pool, name, uri = None)", Impl: volCall("vol-path"),
			Doc: "a volume's path" + uriDoc},
		{Name: "vol_delete", Params: "(pool, name, confirm = False, uri = None)", Impl: volDelete,
			Doc: "delete a volume and its data (needs confirm = True or --yes)" + uriDoc},
	}
}

func poolOp(cmd string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c, name, err := nameCall(th, b, args, kwargs, "a pool name")
		if err != nil {
			return nil, err
		}
		_, err = c.change(nil, cmd, "--", name)
		return starlark.None, err
	}
}

func poolDefineAs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	typ := "dir"
	var target starlark.Value = starlark.None
	c, name, err := nameCall(th, b, args, kwargs, "a pool name", "type?", &typ, "target?", &target)
	if err != nil {
		return nil, err
	}
	if err := nameArg(typ, "a pool type (dir, fs, logical, ...)"); err != nil {
		return nil, fmt.Errorf("type: %v", err)
	}
	argv := []string{"pool-define-as", "--name", name, "--type", typ}
	if target != starlark.None {
		t, ok := starlark.AsString(target)
		if !ok || !strings.HasPrefix(t, "/") || nameArg(t, "a path") != nil {
			return nil, fmt.Errorf("target: got %s, want an absolute directory path", target.String())
		}
		argv = append(argv, "--target", t)
	} else if typ == "dir" {
		return nil, fmt.Errorf("a dir pool needs target, its directory (target = \"/var/lib/libvirt/images\")")
	}
	_, err = c.change(nil, argv...)
	return starlark.None, err
}

// volArgs unpacks (pool, name, ..., uri = None).
func volArgs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, extra ...any) (conn, string, string, error) {
	var pool, name string
	var uri starlark.Value = starlark.None
	all := append(append([]any{"pool", &pool, "name", &name}, extra...), "uri?", &uri)
	if err := starutil.Unpack(b, args, kwargs, all...); err != nil {
		return conn{}, "", "", err
	}
	if err := nameArg(pool, "a pool name"); err != nil {
		return conn{}, "", "", fmt.Errorf("pool: %v", err)
	}
	if err := nameArg(name, "a volume name"); err != nil {
		return conn{}, "", "", fmt.Errorf("name: %v", err)
	}
	if strings.Contains(name, "/") {
		return conn{}, "", "", fmt.Errorf("name: got %q, want a volume name without \"/\" (a volume lives directly in its pool)", name)
	}
	c, err := newConn(th, uri)
	return c, pool, name, err
}

func volCreateAs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var size starutil.Size
	var format starlark.Value = starlark.None
	c, pool, name, err := volArgs(th, b, args, kwargs, "size", &size, "format?", &format)
	if err != nil {
		return nil, err
	}
	if size == 0 {
		return nil, fmt.Errorf("size: got 0, want a size such as \"10G\"")
	}
	argv := []string{"vol-create-as", "--pool", pool, "--name", name, "--capacity", strconv.FormatInt(int64(size), 10) + "b"}
	if format != starlark.None {
		f, _ := starlark.AsString(format)
		if err := nameArg(f, "a volume format (raw, qcow2, ...)"); err != nil {
			return nil, fmt.Errorf("format: %v", err)
		}
		argv = append(argv, "--format", f)
	}
	if _, err := c.change(nil, argv...); err != nil {
		return nil, err
	}
	out, err := c.read("vol-path", "--pool", pool, "--vol", name)
	if err != nil {
		return nil, fmt.Errorf("created volume %q but cannot read its path: %w", name, err)
	}
	return starlark.String(strings.TrimSpace(out)), nil
}

func volList(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, pool, err := nameCall(th, b, args, kwargs, "a pool name")
	if err != nil {
		return nil, err
	}
	out, err := c.read("vol-list", "--pool", pool)
	if err != nil {
		return nil, err
	}
	vols, err := parseVolList(out)
	if err != nil {
		return nil, err
	}
	l := make([]starlark.Value, len(vols))
	for i, v := range vols {
		l[i] = starutil.Struct("virsh.volume", starlark.StringDict{"name": starlark.String(v.Name), "path": starlark.String(v.Path)})
	}
	return starlark.NewList(l), nil
}

func volCall(cmd string, flags ...string) starutil.Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c, pool, name, err := volArgs(th, b, args, kwargs)
		if err != nil {
			return nil, err
		}
		out, err := c.read(append(append([]string{cmd}, flags...), "--pool", pool, "--vol", name)...)
		if err != nil {
			return nil, err
		}
		if cmd == "vol-path" {
			return starlark.String(strings.TrimSpace(out)), nil
		}
		m, err := parseInfo(out)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", cmd, err)
		}
		return starutil.ToValue(m)
	}
}

func volDelete(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	confirm := false
	c, pool, name, err := volArgs(th, b, args, kwargs, "confirm?", &confirm)
	if err != nil {
		return nil, err
	}
	if !c.e.Confirmed(confirm) {
		return nil, fmt.Errorf("deleting volume %q of pool %q destroys its data; pass confirm = True (or run with --yes)", name, pool)
	}
	_, err = c.change(nil, "vol-delete", "--pool", pool, "--vol", name)
	return starlark.None, err
}
