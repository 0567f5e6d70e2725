package ifupdown

import (
	"bytes"
	"fmt"
	"path"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

const params = "(name, method = \"manual\", family = \"inet\", auto = True, path = \"/etc/network/interfaces\", **options)"

// Module returns the ifupdown module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "ifupdown", Doc: "Debian's /etc/network/interfaces stanzas (interfaces(5))", Funcs: []starutil.Func{
		{Name: "stanza", Params: params, Doc: "the stanza's text: auto NAME, iface NAME FAMILY METHOD, then one line per option (bridge_ports = [\"eth0\"], bridge_fd = 0, address = ...); a list value is joined with spaces", Impl: stanza},
		{Name: "write", Params: params, Doc: "put the stanza into the file in place of the interface's old one (or at its end); True only when the file changed", Impl: write},
	}}
}

func unpack(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (Stanza, string, error) {
	s := Stanza{Family: "inet", Method: "manual", Auto: true}
	file := "/etc/network/interfaces"
	known := map[string]bool{"name": true, "method": true, "family": true, "auto": true, "path": true}
	var named, opts []starlark.Tuple
	for _, kv := range kwargs {
		if known[string(kv[0].(starlark.String))] {
			named = append(named, kv)
		} else {
			opts = append(opts, kv)
		}
	}
	if err := starutil.Unpack(b, args, named, "name", &s.Name, "method?", &s.Method, "family?", &s.Family, "auto?", &s.Auto, "path?", &file); err != nil {
		return s, "", err
	}
	for _, kv := range opts {
		v, err := optionValue(kv[1])
		if err != nil {
			return s, "", fmt.Errorf("%s: %w", kv[0].(starlark.String), err)
		}
		s.Options = append(s.Options, Option{Key: string(kv[0].(starlark.String)), Value: v})
	}
	if err := s.Check(); err != nil {
		return s, "", err
	}
	if err := starutil.Operand(file, "an absolute file path"); err != nil || !path.IsAbs(file) {
		return s, "", fmt.Errorf("path: got %q, want an absolute file path", file)
	}
	return s, file, nil
}

// optionValue renders an option's value: a string, an int, or a list of
// them joined with spaces (bridge_ports = ["eth0", "eth1"]).
func optionValue(v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Int:
		return v.String(), nil
	case *starlark.List:
		var b bytes.Buffer
		for i := 0; i < v.Len(); i++ {
			s, err := optionValue(v.Index(i))
			if err != nil {
				return "", err
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s)
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("got %s, want string, int or list", v.Type())
}

func stanza(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, _, err := unpack(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return starlark.String(s.Text()), nil
}

func write(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, file, err := unpack(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	res, err := tool.Tool{Name: "cat", Failed: func(r exec.Result) bool { return false }}.Read(e, "--", file)
	if err != nil {
		return nil, err
	}
	old := ""
	switch {
	case res.Code == 0:
		old = string(res.Stdout)
	case bytes.Contains(res.Stderr, []byte("No such file or directory")):
	default:
		return nil, fmt.Errorf("cannot read %s: %s", file, bytes.TrimSpace(res.Stderr))
	}
	updated := Apply(old, s)
	if updated == old {
		return starlark.False, nil
	}
	if _, err := (tool.Tool{Name: "dd"}).Run(e, tool.Cmd{Args: []string{"status=none", "of=" + file}, Stdin: []byte(updated)}, true); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", file, err)
	}
	return starlark.True, nil
}
