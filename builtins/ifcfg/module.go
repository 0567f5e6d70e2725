// Package ifcfg is vrun's `ifcfg` module: RHEL network-scripts files
// (ifcfg-NAME) rendered from dicts, checked against the keys initscripts
// read, and written only when they differ, through the target's cat and
// dd (the simulated host's files under --sim).
package ifcfg

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/ifname"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Dir is where RHEL keeps the files.
const Dir = "/etc/sysconfig/network-scripts"

// Module returns the ifcfg module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "ifcfg", Doc: "RHEL network-scripts ifcfg-* files", Funcs: []starutil.Func{
		{Name: "read", Params: "(name, dir = \"" + Dir + "\")", Impl: read, Positional: 1,
			Doc: "the keys of ifcfg-NAME as a dict (None when there is no such file); a line that is not KEY=value is an error"},
		{Name: "render", Params: "(name, keys = {}, **more)", Impl: render, Positional: 1,
			Doc: "the text of ifcfg-NAME from a dict and/or keywords (a keyword overrides the dict; True/False as yes/no); unknown keys and inconsistent ones (TYPE=OVSBridge without DEVICETYPE=ovs) are errors"},
		{Name: "write", Params: "(name, keys = {}, dir = \"" + Dir + "\", **more)", Impl: write, Positional: 1,
			Doc: "write ifcfg-NAME as render makes it, only when it differs; returns whether it changed"},
	}}
}

// keysArg gathers keys from the dict and the keywords, in order.
func keysArg(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, dir *string) (string, []Key, error) {
	var name string
	var dict *starlark.Dict
	var more []starlark.Tuple
	for _, kw := range kwargs {
		k := string(kw[0].(starlark.String))
		switch {
		case k == "keys" || k == "name" || (k == "dir" && dir != nil):
			more = append(more, kw)
		case strings.ToUpper(k) != k:
			return "", nil, fmt.Errorf("keyword %s: ifcfg keys are upper case (%s)", k, strings.ToUpper(k))
		}
	}
	pairs := []any{"name", &name, "keys?", &dict}
	if dir != nil {
		pairs = append(pairs, "dir?", dir)
	}
	if err := starutil.Unpack(b, args, more, pairs...); err != nil {
		return "", nil, err
	}
	var keys []Key
	add := func(k, v starlark.Value) error {
		ks, ok := k.(starlark.String)
		if !ok {
			return fmt.Errorf("keys: got %s key, want string", k.Type())
		}
		s, err := value(string(ks), v)
		if err != nil {
			return err
		}
		for i := range keys {
			if keys[i].Name == string(ks) { // a keyword overrides the dict's
				keys[i].Value = s
				return nil
			}
		}
		keys = append(keys, Key{string(ks), s})
		return nil
	}
	if dict != nil {
		for _, kv := range dict.Items() {
			if err := add(kv[0], kv[1]); err != nil {
				return "", nil, err
			}
		}
	}
	for _, kw := range kwargs {
		if k := string(kw[0].(starlark.String)); k != "keys" && k != "name" && k != "dir" {
			if err := add(kw[0], kw[1]); err != nil {
				return "", nil, err
			}
		}
	}
	return name, keys, nil
}

func value(k string, v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Bool:
		if v {
			return "yes", nil
		}
		return "no", nil
	case starlark.Int:
		return v.String(), nil
	}
	return "", fmt.Errorf("%s: got %s, want string, int or bool", k, v.Type())
}

func render(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	name, keys, err := keysArg(b, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	text, err := Render(name, keys)
	if err != nil {
		return nil, err
	}
	return starlark.String(text), nil
}

// filePath checks name and dir and joins them.
func filePath(name, dir string) (string, error) {
	if err := ifname.Check(name, "an interface name"); err != nil {
		return "", err
	}
	if !path.IsAbs(dir) || path.Clean(dir) != dir || strings.IndexByte(dir, 0) >= 0 {
		return "", fmt.Errorf("dir: got %q, want a clean absolute path", dir)
	}
	return path.Join(dir, "ifcfg-"+name), nil
}

var cat = tool.Tool{Name: "cat", Failed: func(r exec.Result) bool {
	return r.Code != 0 && !bytes.Contains(r.Stderr, []byte("No such file or directory"))
}}

// load returns a file's content; ok is false when it does not exist.
func load(e *env.Env, p string) ([]byte, bool, error) {
	res, err := cat.Read(e, "--", p)
	if err != nil {
		return nil, false, err
	}
	return res.Stdout, res.Code == 0, nil
}

func read(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	dir := Dir
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "dir?", &dir); err != nil {
		return nil, err
	}
	p, err := filePath(name, dir)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	data, ok, err := load(e, p)
	if err != nil || !ok {
		return starlark.None, err
	}
	keys, err := Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	d := starlark.NewDict(len(keys))
	for _, k := range keys {
		_ = d.SetKey(starlark.String(k.Name), starlark.String(k.Value))
	}
	return d, nil
}

func write(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	dir := Dir
	name, keys, err := keysArg(b, args, kwargs, &dir)
	if err != nil {
		return nil, err
	}
	text, err := Render(name, keys)
	if err != nil {
		return nil, err
	}
	p, err := filePath(name, dir)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	old, ok, err := load(e, p)
	if err != nil {
		return nil, err
	}
	if ok && string(old) == text {
		return starlark.False, nil
	}
	if _, err := (tool.Tool{Name: "mkdir"}).Change(e, "-p", "--", dir); err != nil {
		return nil, err
	}
	if _, err := (tool.Tool{Name: "dd"}).Run(e, tool.Cmd{Args: []string{"status=none", "of=" + p}, Stdin: []byte(text)}, true); err != nil {
		return nil, err
	}
	// p is absolute, so no option: the simulated chmod takes no "--".
	if _, err := (tool.Tool{Name: "chmod"}).Change(e, "0644", p); err != nil {
		return nil, err
	}
	return starlark.True, nil
}
