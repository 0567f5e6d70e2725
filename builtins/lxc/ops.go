package lxc

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

func attach(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("missing container name (want lxc.attach(name, \"prog\", \"arg\", ...))")
	}
	name, ok := starlark.AsString(args[0])
	if !ok {
		return nil, fmt.Errorf("name: got %s, want string", args[0].Type())
	}
	var envs starutil.StringMap
	var clear bool
	check := true
	var timeout starutil.Duration
	var lxcpath starlark.Value = starlark.None
	if err := starutil.Unpack(b, nil, kwargs, "env?", &envs, "clear_env?", &clear, "check?", &check,
		"timeout?", &timeout, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	var argv []string
	for _, a := range args[1:] {
		s, ok := starlark.AsString(a)
		if !ok {
			return nil, fmt.Errorf("argv: got %s, want string", a.Type())
		}
		argv = append(argv, s)
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("missing command to run in %q", name)
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	if st, err := c.state(); err != nil {
		return nil, err
	} else if st != "RUNNING" {
		return nil, fmt.Errorf("container %q is %s: lxc-attach needs it RUNNING", name, st)
	}
	opts := []string{}
	if clear {
		opts = append(opts, "--clear-env")
	}
	keys := make([]string, 0, len(envs))
	for k := range envs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return nil, fmt.Errorf("env: got variable name %q", k)
		}
		opts = append(opts, "-v", k+"="+envs[k])
	}
	full := append([]string{"lxc-attach"}, c.args(append(append(opts, "--"), argv...)...)...)
	res, err := c.e.Run(exec.Cmd{Argv: full, Timeout: time.Duration(timeout), Mutate: true})
	if err != nil {
		return nil, err
	}
	if check && (res.Code != 0 || res.TimedOut) {
		return nil, fmt.Errorf("in container %q: %w", name, &exec.ExitError{Result: res})
	}
	return resultValue(res), nil
}

var cgroupKey = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// otherVersion names the same limit in the other cgroup version, for the
// error when a host has only one of them.
var otherVersion = map[string]string{"memory.max": "memory.limit_in_bytes", "memory.limit_in_bytes": "memory.max",
	"memory.swap.max": "memory.memsw.limit_in_bytes", "cpu.max": "cpu.cfs_quota_us", "pids.max": "pids.max",
	"devices.list": "a BPF device program (cgroup v2 has no devices.list)"}

func cgroup(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, key string
	var value, lxcpath starlark.Value = starlark.None, starlark.None
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "key", &key, "value?", &value, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	if !cgroupKey.MatchString(key) {
		return nil, fmt.Errorf("key: got %q, want a cgroup file such as memory.limit_in_bytes (v1) or memory.max (v2)", key)
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	var set string
	if value != starlark.None {
		switch v := value.(type) {
		case starlark.String:
			set = string(v)
		case starlark.Int:
			set = v.String()
		default:
			return nil, fmt.Errorf("value: got %s, want string or int", value.Type())
		}
		if err := starutil.Operand(set, "a cgroup value"); err != nil {
			return nil, fmt.Errorf("value: %w", err)
		}
	}
	if st, err := c.state(); err != nil {
		return nil, err
	} else if st != "RUNNING" && st != "FROZEN" {
		return nil, fmt.Errorf("container %q is %s: its cgroup exists only while it runs (limits that last go in its config: lxc.cgroup.* or lxc.cgroup2.* keys)", name, st)
	}
	if set != "" {
		if _, err := c.change("lxc-cgroup", key, set); err != nil {
			return nil, c.cgroupErr(key, "cannot be set to "+set, err)
		}
	}
	res, err := c.read("lxc-cgroup", key)
	if err != nil {
		return nil, c.cgroupErr(key, "cannot be read", err)
	}
	got := strings.TrimRight(string(res.Stdout), "\n")
	if set != "" {
		if err := sameValue(set, got); err != nil {
			return nil, fmt.Errorf("container %q: cgroup %s: %v", name, key, err)
		}
	}
	return starlark.String(got), nil
}

func (c *ct) cgroupErr(key, what string, err error) error {
	hint := ""
	if o, ok := otherVersion[key]; ok && o != key {
		hint = fmt.Sprintf(" (the host's cgroup layout may not have it: on the other cgroup version it is %s)", o)
	}
	return fmt.Errorf("container %q: cgroup key %s %s%s: %w", c.name, key, what, hint, err)
}

// sameValue checks a value read back after a write: sizes compare as
// bytes (the kernel rounds limits down to pages).
func sameValue(set, got string) error {
	want, err := starutil.ParseSize(set)
	if err != nil {
		return nil // not a size: the kernel's own format may differ (devices, cpusets)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(got), 10, 64)
	if err != nil {
		return fmt.Errorf("set to %s but it reads back %q", set, got)
	}
	if n > want || want-n >= 1<<16 {
		return fmt.Errorf("set to %s (%d bytes) but it reads back %d", set, want, n)
	}
	return nil
}

// needStopped refuses an operation LXC only does on a stopped container
// (it fails without a word otherwise).
func (c *ct) needStopped(what string) error {
	st, err := c.state()
	if err != nil {
		return err
	}
	if st != "STOPPED" {
		return fmt.Errorf("container %q is %s: %s needs it STOPPED (lxc.stop)", c.name, st, what)
	}
	return nil
}

func copyCt(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, newName string
	var snap bool
	var lxcpath starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "new_name", &newName, "snapshot?", &snap, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	if err := CheckName(newName); err != nil {
		return nil, fmt.Errorf("new_name: %w", err)
	}
	n := &ct{e: c.e, name: newName, path: c.path}
	if err := c.needStopped("lxc-copy"); err != nil {
		return nil, err
	}
	if found, err := n.exists(); err != nil {
		return nil, err
	} else if found {
		return nil, fmt.Errorf("cannot copy %q: container %q already exists in %s", name, newName, c.path)
	}
	argv := []string{"-N", newName}
	if snap {
		argv = append(argv, "-s")
	}
	if err := c.logged("lxc-copy", "copy", argv...); err != nil {
		return nil, err
	}
	in, err := n.info()
	if err != nil {
		return nil, fmt.Errorf("lxc-copy said it copied %q to %q but: %w", name, newName, err)
	}
	return infoValue(in), nil
}

// snapshots lists the container's snapshots.
func (c *ct) snapshots() ([]Snapshot, error) {
	res, err := c.read("lxc-snapshot", "-L")
	if err != nil {
		return nil, fmt.Errorf("container %q: %w", c.name, err)
	}
	return ParseSnapshots(res.Stdout)
}

func snapshot(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, err := simple(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	if err := c.needStopped("lxc-snapshot"); err != nil {
		return nil, err
	}
	before, err := c.snapshots()
	if err != nil {
		return nil, err
	}
	if err := c.logged("lxc-snapshot", "snapshot"); err != nil {
		return nil, err
	}
	after, err := c.snapshots()
	if err != nil {
		return nil, err
	}
	old := map[string]bool{}
	for _, s := range before {
		old[s.Name] = true
	}
	for _, s := range after {
		if !old[s.Name] {
			return starlark.String(s.Name), nil
		}
	}
	return nil, fmt.Errorf("lxc-snapshot said it snapshotted %q but lxc-snapshot -L shows no new snapshot", c.name)
}

func snapshots(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, err := simple(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	if _, err := c.info(); err != nil {
		return nil, err
	}
	list, err := c.snapshots()
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(list))
	for i, s := range list {
		out[i] = starutil.Struct("lxc.snapshot", starlark.StringDict{
			"name": starlark.String(s.Name), "dir": starlark.String(s.Dir), "time": starlark.String(s.Time)})
	}
	return starlark.NewList(out), nil
}

func restore(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, snap string
	var newName, lxcpath starlark.Value = starlark.None, starlark.None
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "snapshot", &snap, "new_name?", &newName,
		"confirm?", &confirm, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	into, err := optString(newName, "new_name")
	if err != nil {
		return nil, err
	}
	if err := starutil.Operand(snap, "a snapshot name such as snap0"); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	list, err := c.snapshots()
	if err != nil {
		return nil, err
	}
	known := false
	for _, s := range list {
		known = known || s.Name == snap
	}
	if !known {
		return nil, fmt.Errorf("container %q has no snapshot %q (lxc.snapshots lists them)", name, snap)
	}
	n := c
	argv := []string{"-r", snap}
	if into != "" && into != name {
		if err := CheckName(into); err != nil {
			return nil, fmt.Errorf("new_name: %w", err)
		}
		n = &ct{e: c.e, name: into, path: c.path}
		if found, err := n.exists(); err != nil || found {
			return nil, fmt.Errorf("cannot restore into %q: it already exists in %s (%v)", into, c.path, err)
		}
		argv = append(argv, "-N", into)
	} else {
		if !c.e.Confirmed(confirm) {
			return nil, fmt.Errorf("restoring %s over container %q replaces its root filesystem: pass confirm = True (or --yes), or new_name", snap, name)
		}
		if err := c.needStopped("restoring over it"); err != nil {
			return nil, err
		}
	}
	if err := c.logged("lxc-snapshot", "restore", argv...); err != nil {
		return nil, err
	}
	in, err := n.info()
	if err != nil {
		return nil, err
	}
	return infoValue(in), nil
}

func rootfs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, err := simple(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	res, err := lxcTool("lxc-info").Run(c.e, tool.Cmd{Args: c.args("-c", "lxc.rootfs.path")}, false)
	if err != nil {
		if strings.Contains(string(res.Stderr), "doesn't exist") {
			return nil, fmt.Errorf("container %q does not exist in %s", c.name, c.path)
		}
		return nil, fmt.Errorf("container %q: %w", c.name, err)
	}
	p, err := ParseRootfs(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("container %q: %w", c.name, err)
	}
	return starlark.String(p), nil
}

// ParseRootfs reads "lxc.rootfs.path = [dir:]/path" from lxc-info -c: only
// a directory backend has a path file.* can write into.
func ParseRootfs(out []byte) (string, error) {
	line := strings.TrimSpace(string(out))
	v, ok := strings.CutPrefix(line, "lxc.rootfs.path = ")
	if !ok {
		return "", fmt.Errorf("lxc-info -c lxc.rootfs.path printed %q", line)
	}
	v = strings.TrimPrefix(v, "dir:")
	if !path.IsAbs(v) || strings.ContainsAny(v, "\n") {
		return "", fmt.Errorf("root filesystem %q is not a directory (a %s backend): mount it to reach its files", v, strings.SplitN(v, ":", 2)[0])
	}
	return path.Clean(v), nil
}
