package core

import (
	"fmt"
	"regexp"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// sysctl reads and sets kernel tunables with procps' sysctl on the target.
func sysctlModule() *starutil.Module {
	return &starutil.Module{Name: "sysctl", Doc: "kernel tunables on the target (sysctl)", Funcs: []starutil.Func{
		{Name: "get", Params: "(key)", Impl: sysctlGet,
			Doc: "Returns a tunable's value (sysctl -n), several values separated by one space."},
		{Name: "set", Params: "(key, value, persist = False, apply = True, path = \"/etc/sysctl.conf\")", Impl: sysctlSet,
			Doc: "Sets a tunable now (sysctl -w, read back) and with persist = True as a \"key = value\" line in path; apply = False only persists (a key this kernel lacks). Returns whether anything changed."},
	}}
}

// sysctlKey is what procps accepts as a name: dotted (or slashed) words.
var sysctlKey = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$`)

func checkSysctlKey(key string) error {
	if err := starutil.Operand(key, "a sysctl key such as net.ipv4.ip_forward"); err != nil {
		return err
	}
	if !sysctlKey.MatchString(key) || strings.Contains(key, "..") {
		return fmt.Errorf("got %q, want a sysctl key such as net.ipv4.ip_forward", key)
	}
	return nil
}

func readSysctl(th *starlark.Thread, key string) (string, error) {
	res, err := fileTool(th, "sysctl", false, "-n", "--", key)
	if err != nil {
		return "", err
	}
	// Several values come tab-separated (ip_local_port_range).
	return strings.Join(strings.Fields(string(res.Stdout)), " "), nil
}

func sysctlGet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var key string
	if err := starutil.Unpack(b, args, kwargs, "key", &key); err != nil {
		return nil, err
	}
	if err := checkSysctlKey(key); err != nil {
		return nil, err
	}
	v, err := readSysctl(th, key)
	if err != nil {
		return nil, err
	}
	return starlark.String(v), nil
}

func sysctlSet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var key, path string
	var value starlark.Value
	persist, apply := false, true
	path = "/etc/sysctl.conf"
	if err := starutil.Unpack(b, args, kwargs, "key", &key, "value", &value, "persist?", &persist, "apply?", &apply, "path?", &path); err != nil {
		return nil, err
	}
	if err := checkSysctlKey(key); err != nil {
		return nil, err
	}
	var val string
	switch v := value.(type) {
	case starlark.String:
		val = string(v)
	case starlark.Int:
		val = v.String()
	case starlark.Bool:
		val = map[bool]string{true: "1", false: "0"}[bool(v)]
	default:
		return nil, fmt.Errorf("value: got %s, want a string or an int", value.Type())
	}
	val = strings.Join(strings.Fields(val), " ")
	if val == "" || strings.ContainsAny(val, "\n\x00") {
		return nil, fmt.Errorf("value for %s: got %q, want a non-empty line", key, val)
	}
	if !apply && !persist {
		return nil, fmt.Errorf("apply = False and persist = False leave nothing to do")
	}
	changed := false
	if apply {
		cur, err := readSysctl(th, key)
		if err != nil {
			return nil, err
		}
		if cur != val {
			if _, err := fileTool(th, "sysctl", true, "-w", "--", key+"="+val); err != nil {
				return nil, err
			}
			// procps reports a refused write and still exits 0: read back.
			got, err := readSysctl(th, key)
			if err != nil {
				return nil, err
			}
			if got != val {
				return nil, fmt.Errorf("%s is %q after sysctl -w %s=%s: the kernel refused the value", key, got, key, val)
			}
			changed = true
		}
	}
	if persist {
		if err := paths(path, "a sysctl.conf path"); err != nil {
			return nil, err
		}
		f, err := newFiles(th)
		if err != nil {
			return nil, err
		}
		data, _, err := f.read(path)
		if err != nil {
			return nil, err
		}
		re := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=`)
		out, wrote := ensureLine(string(data), key+" = "+val, re)
		if wrote {
			if err := f.write(path, []byte(out), ""); err != nil {
				return nil, err
			}
			changed = true
		}
	}
	return starlark.Bool(changed), nil
}
