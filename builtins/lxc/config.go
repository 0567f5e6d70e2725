package lxc

import (
	"fmt"
	"regexp"
	"strings"

	"go.starlark.net/starlark"
)

// KV is one "key = value" line of a container's config.
type KV struct{ Key, Value string }

// Render writes config lines as lxc.container.conf(5) reads them.
func Render(kvs []KV) string {
	var b strings.Builder
	for _, kv := range kvs {
		fmt.Fprintf(&b, "%s = %s\n", kv.Key, kv.Value)
	}
	return b.String()
}

var keyRE = regexp.MustCompile(`^lxc(\.[A-Za-z0-9_]+)+$`)

// namespaces are the key families of lxc.container.conf(5) (LXC 3.0+
// names; the 2.x lxc.network.* and lxc.rootfs were renamed).
var namespaces = []string{"arch", "uts", "net", "rootfs", "mount", "cgroup", "cgroup2", "apparmor", "selinux",
	"seccomp", "cap", "idmap", "include", "tty", "pty", "console", "signal", "start", "group", "environment",
	"hook", "log", "autodev", "init", "prlimit", "sysctl", "namespace", "ephemeral", "no_new_privs",
	"keyring", "monitor", "execute", "proc", "time", "hook", "sched", "core"}

// CheckKV refuses a line LXC would misread or reject: an unknown key
// family, a renamed pre-3.0 key, a value that would start another line.
func CheckKV(kv KV) error {
	if !keyRE.MatchString(kv.Key) {
		return fmt.Errorf("config key %q: want lxc.<family>.<key> such as lxc.net.0.type", kv.Key)
	}
	family := strings.Split(kv.Key, ".")[1]
	switch family {
	case "network":
		return fmt.Errorf("config key %q: LXC 3.0 renamed lxc.network.* to lxc.net.*", kv.Key)
	}
	if kv.Key == "lxc.rootfs" || kv.Key == "lxc.utsname" {
		return fmt.Errorf("config key %q: LXC 3.0 renamed it (lxc.rootfs.path, lxc.uts.name)", kv.Key)
	}
	known := false
	for _, n := range namespaces {
		known = known || n == family
	}
	if !known {
		return fmt.Errorf("config key %q: unknown key family lxc.%s (see lxc.container.conf(5))", kv.Key, family)
	}
	if strings.ContainsAny(kv.Value, "\n\r\x00") {
		return fmt.Errorf("config key %s: value %q holds a line break or NUL", kv.Key, kv.Value)
	}
	return nil
}

// ConfigFrom turns config(...)'s dict into lines: lxc.* keys as given
// (a list value repeats the key), and the shorthands net (a dict or a list
// of dicts: type, link, name, ipv4, gateway, hwaddr, mtu, flags), rootfs (a
// directory), cgroup and cgroup2 (dicts of controller keys).
func ConfigFrom(d *starlark.Dict) ([]KV, error) {
	var out []KV
	for _, item := range d.Items() {
		k, ok := starlark.AsString(item[0])
		if !ok {
			return nil, fmt.Errorf("config: got %s key, want string", item[0].Type())
		}
		var kvs []KV
		var err error
		switch k {
		case "net":
			kvs, err = netKVs(item[1])
		case "rootfs":
			var dir string
			if dir, err = scalar(k, item[1]); err == nil {
				if !strings.Contains(dir, ":") {
					dir = "dir:" + dir
				}
				kvs = []KV{{"lxc.rootfs.path", dir}}
			}
		case "cgroup", "cgroup2":
			kvs, err = subKVs("lxc."+k+".", item[1])
		default:
			kvs, err = valueKVs(k, item[1])
		}
		if err != nil {
			return nil, err
		}
		out = append(out, kvs...)
	}
	for _, kv := range out {
		if err := CheckKV(kv); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// netAliases maps net's short keys to lxc.net.N.* keys.
var netAliases = map[string]string{"ipv4": "ipv4.address", "gateway": "ipv4.gateway", "ipv6": "ipv6.address",
	"ipv6_gateway": "ipv6.gateway", "veth_pair": "veth.pair"}

func netKVs(v starlark.Value) ([]KV, error) {
	var nets []*starlark.Dict
	switch v := v.(type) {
	case *starlark.Dict:
		nets = []*starlark.Dict{v}
	case *starlark.List:
		for i := 0; i < v.Len(); i++ {
			d, ok := v.Index(i).(*starlark.Dict)
			if !ok {
				return nil, fmt.Errorf("config: net[%d]: got %s, want dict", i, v.Index(i).Type())
			}
			nets = append(nets, d)
		}
	default:
		return nil, fmt.Errorf("config: net: got %s, want a dict or a list of dicts", v.Type())
	}
	var out []KV
	for i, d := range nets {
		for _, item := range d.Items() {
			k, ok := starlark.AsString(item[0])
			if !ok {
				return nil, fmt.Errorf("config: net[%d]: got %s key, want string", i, item[0].Type())
			}
			if a, ok := netAliases[k]; ok {
				k = a
			}
			kvs, err := valueKVs(fmt.Sprintf("lxc.net.%d.%s", i, k), item[1])
			if err != nil {
				return nil, err
			}
			out = append(out, kvs...)
		}
	}
	return out, nil
}

func subKVs(prefix string, v starlark.Value) ([]KV, error) {
	d, ok := v.(*starlark.Dict)
	if !ok {
		return nil, fmt.Errorf("config: %s: got %s, want dict", strings.TrimSuffix(prefix, "."), v.Type())
	}
	var out []KV
	for _, item := range d.Items() {
		k, ok := starlark.AsString(item[0])
		if !ok {
			return nil, fmt.Errorf("config: %s: got %s key, want string", strings.TrimSuffix(prefix, "."), item[0].Type())
		}
		kvs, err := valueKVs(prefix+k, item[1])
		if err != nil {
			return nil, err
		}
		out = append(out, kvs...)
	}
	return out, nil
}

// valueKVs renders one key: a scalar once, a list once per element.
func valueKVs(key string, v starlark.Value) ([]KV, error) {
	if l, ok := v.(*starlark.List); ok {
		var out []KV
		for i := 0; i < l.Len(); i++ {
			s, err := scalar(key, l.Index(i))
			if err != nil {
				return nil, err
			}
			out = append(out, KV{key, s})
		}
		return out, nil
	}
	s, err := scalar(key, v)
	if err != nil {
		return nil, err
	}
	return []KV{{key, s}}, nil
}

func scalar(key string, v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Int:
		return v.String(), nil
	case starlark.Bool:
		if v {
			return "1", nil
		}
		return "0", nil
	}
	return "", fmt.Errorf("config: %s: got %s, want string, int, bool or a list of them", key, v.Type())
}
