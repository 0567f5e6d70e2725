package fs

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func mount(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var device, dir string
	var options starutil.Strings
	if err := starutil.Unpack(b, args, kwargs, "device", &device, "dir", &dir, "options?", &options); err != nil {
		return nil, err
	}
	if err := operands(b, device, dir); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	dir = cleanDir(dir)
	if done, err := mountedAlready(e, b, device, dir); done != nil || err != nil {
		return done, err
	}
	if err := runChecked(e, b, []string{"mkdir", "-p", "--", dir}); err != nil {
		return nil, err
	}
	argv := []string{"mount"}
	if len(options) > 0 {
		argv = append(argv, "-o", strings.Join(options, ","))
	}
	if err := runChecked(e, b, append(argv, "--", device, dir)); err != nil {
		return nil, err
	}
	now, err := Mounts(e, "--mountpoint", dir)
	if err != nil || len(now) == 0 {
		return nil, fmt.Errorf("mount of %s on %s reported success but findmnt does not show it (%v)", device, dir, err)
	}
	return mountValue(now[0], true), nil
}

// operands checks mount's device and dir.
func operands(b *starlark.Builtin, device, dir string) error {
	if err := starutil.Operand(device, "a device path"); err != nil {
		return err
	}
	return starutil.Operand(dir, "a directory")
}

// mountedAlready returns the mount when device is already on dir (nothing
// to do) and an error when something else is.
func mountedAlready(e *env.Env, b *starlark.Builtin, device, dir string) (starlark.Value, error) {
	same, err := Mounts(e, "--source", device, "--mountpoint", dir)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	if len(same) > 0 {
		return mountValue(same[0], false), nil
	}
	other, err := Mounts(e, "--mountpoint", dir)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	if len(other) > 0 {
		return nil, fmt.Errorf("%s is already mounted on %s; unmount it first", other[0].Source, dir)
	}
	return nil, nil
}

func umount(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	dir, e, err := pathArg(th, b, args, kwargs, "dir", "a directory")
	if err != nil {
		return nil, err
	}
	dir = cleanDir(dir)
	cur, err := Mounts(e, "--mountpoint", dir)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	if len(cur) == 0 {
		return starlark.False, nil
	}
	if err := runChecked(e, b, []string{"umount", "--", dir}); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

func mounts(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var source, target string
	if err := starutil.Unpack(b, args, kwargs, "source?", &source, "target?", &target); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	// findmnt matches a source by device, whatever path names it.
	var filter []string
	for _, f := range []struct{ flag, value, what string }{{"--source", source, "a device path"}, {"--mountpoint", target, "a directory"}} {
		if f.value == "" {
			continue
		}
		if err := starutil.Operand(f.value, f.what); err != nil {
			return nil, err
		}
		if f.flag == "--mountpoint" {
			f.value = cleanDir(f.value)
		}
		filter = append(filter, f.flag, f.value)
	}
	all, err := Mounts(e, filter...)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	out := make([]starlark.Value, len(all))
	for i, m := range all {
		out[i] = mountValue(m, false)
	}
	return starlark.NewList(out), nil
}

func mountValue(m MountEntry, changed bool) starlark.Value {
	return starutil.Struct("fs.mount", starlark.StringDict{
		"source": starlark.String(m.Source), "target": starlark.String(m.Target),
		"type": starlark.String(m.FSType), "options": starlark.String(m.Options),
		"changed": starlark.Bool(changed),
	})
}

func usage(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	dir, e, err := pathArg(th, b, args, kwargs, "dir", "a directory")
	if err != nil {
		return nil, err
	}
	u, err := UsageOf(e, dir)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return starutil.Struct("fs.usage", starlark.StringDict{
		"source": starlark.String(u.Source), "type": starlark.String(u.Type), "target": starlark.String(u.Target),
		"size": starlark.MakeInt64(u.Size), "used": starlark.MakeInt64(u.Used), "avail": starlark.MakeInt64(u.Avail),
	}), nil
}

func fstabEntry(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	want := FstabEntry{Type: "ext4", Options: []string{"defaults"}}
	var options starutil.Strings
	file := "/etc/fstab"
	if err := starutil.Unpack(b, args, kwargs, "device", &want.Device, "dir", &want.Dir, "type?", &want.Type,
		"options?", &options, "dump?", &want.Dump, "passno?", &want.Passno, "path?", &file); err != nil {
		return nil, err
	}
	if options != nil {
		if len(options) == 0 {
			// An empty column would shift dump and passno into the options.
			return nil, fmt.Errorf("options: got [], want at least one option such as [\"defaults\"]")
		}
		want.Options = options
	}
	if strings.HasPrefix(want.Device, "#") {
		return nil, fmt.Errorf("device: got %q, which would make the line a comment", want.Device)
	}
	if err := fstabNumbers(want); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	if err := starutil.Operand(file, "a file path"); err != nil {
		return nil, err
	}
	// A blank would shift fstab's columns; a comma would merge options.
	for _, f := range append([]string{want.Device, want.Dir, want.Type}, want.Options...) {
		if f == "" || strings.ContainsAny(f, " \t\n,\x00") {
			return nil, fmt.Errorf("fstab fields must be non-empty, without blanks or commas: got %q", f)
		}
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	line, changed, err := EnsureFstabFile(e, file, want)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return starutil.Struct("fs.fstab_entry", starlark.StringDict{
		"changed": starlark.Bool(changed), "line": starlark.String(line), "path": starlark.String(file),
	}), nil
}

// fstabNumbers checks fstab's last two fields: dump is a flag for dump(8),
// passno fsck's order (0 none, 1 the root, 2 the rest).
func fstabNumbers(f FstabEntry) error {
	if f.Dump != 0 && f.Dump != 1 {
		return fmt.Errorf("dump: got %d, want 0 or 1", f.Dump)
	}
	if f.Passno < 0 || f.Passno > 2 {
		return fmt.Errorf("passno: got %d, want 0, 1 or 2", f.Passno)
	}
	return nil
}
