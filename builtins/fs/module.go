// Package fs is vrun's `fs` module: make, check, resize and mount
// filesystems and keep /etc/fstab, through mkfs, e2fsck, resize2fs, mount,
// findmnt and df on the run's executor.
package fs

import (
	"fmt"
	"path"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Module returns the fs module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "fs", Doc: "filesystems: mkfs, e2fsck, resize2fs, mount, df, /etc/fstab", Funcs: []starutil.Func{
		{Name: "check", Params: "(device)", Doc: "e2fsck -f -y the (unmounted) filesystem; returns struct(corrected, files, blocks, max_blocks)", Impl: check},
		{Name: "fstab_entry", Params: "(device, dir, type = \"ext4\", options = [\"defaults\"], dump = 0, passno = 0, path = \"/etc/fstab\")", Doc: "ensure one fstab line for dir (other options on it are kept; dump 0 or 1, passno 0 to 2); returns struct(changed, line)", Impl: fstabEntry},
		{Name: "info", Params: "(device)", Doc: "what is on a device: struct(device, device_size, type, pttype, usage, what, uuid, size, block_size, free); type is the filesystem (or swap, LVM2_member...), pttype a partition table (dos, gpt), what names everything found (None when blank)", Impl: info},
		{Name: "mkfs", Params: "(device, type = \"ext4\", label = None, confirm = False)", Doc: "make a filesystem; a device that holds anything (a filesystem, a partition table, an LVM PV, any signature) needs confirm = True or --yes", Impl: mkfs},
		{Name: "mount", Params: "(device, dir, options = [])", Doc: "mount device on dir (created if missing); a no-op when it is already mounted there", Impl: mount},
		{Name: "mounts", Params: "(source = None, target = None)", Doc: "mounted filesystems, optionally of one device (by any of its paths) or mount point: list of struct(source, target, type, options)", Impl: mounts},
		{Name: "resize", Params: "(device, size = None)", Doc: "resize2fs to size (None: fill the device); shrinking needs it unmounted and checked", Impl: resize},
		{Name: "umount", Params: "(dir)", Doc: "unmount dir; returns False when nothing was mounted there", Impl: umount},
		{Name: "usage", Params: "(dir)", Doc: "df for dir in bytes: struct(source, type, size, used, avail, target)", Impl: usage},
	}}
}

func info(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	device, e, err := pathArg(th, b, args, kwargs, "device", "a device path")
	if err != nil {
		return nil, err
	}
	i, err := Probe(e, device)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return infoValue(i), nil
}

func mkfs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	device, typ, label := "", "ext4", ""
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "device", &device, "type?", &typ, "label?", &label, "confirm?", &confirm); err != nil {
		return nil, err
	}
	if err := starutil.Operand(device, "a device path"); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	argv, err := mkfsArgv(typ, device, label)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	old, err := Probe(e, device)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	if old.InUse() && !e.Confirmed(confirm) {
		return nil, fmt.Errorf("%s already holds %s%s: making a filesystem destroys it; pass confirm = True (or run with --yes)", device, old.What(), uuidNote(old.UUID))
	}
	if err := runChecked(e, b, argv); err != nil {
		return nil, err
	}
	i, err := Probe(e, device)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return infoValue(i), nil
}

func check(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	device, e, err := pathArg(th, b, args, kwargs, "device", "a device path")
	if err != nil {
		return nil, err
	}
	sum, corrected, err := Check(e, device)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return starutil.Struct("fs.check", starlark.StringDict{
		"corrected": starlark.Bool(corrected), "files": starlark.MakeInt64(sum.Files),
		"blocks": starlark.MakeInt64(sum.Blocks), "max_blocks": starlark.MakeInt64(sum.MaxBlocks),
	}), nil
}

func resize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var device string
	var sizeV starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "device", &device, "size?", &sizeV); err != nil {
		return nil, err
	}
	if err := starutil.Operand(device, "a device path"); err != nil {
		return nil, err
	}
	var size starutil.Size // 0: fill the device
	if sizeV != starlark.None {
		if err := size.Unpack(sizeV); err != nil {
			return nil, fmt.Errorf("size: %w", err)
		}
		if size <= 0 {
			return nil, fmt.Errorf("size: got %s, want a positive size (None fills the device)", sizeV)
		}
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if _, err := Resize(e, device, int64(size)); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	i, err := Probe(e, device)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return infoValue(i), nil
}

func runChecked(e *env.Env, b *starlark.Builtin, argv []string) error {
	if _, err := (tool.Tool{Name: argv[0]}).Change(e, argv[1:]...); err != nil {
		return fmt.Errorf("%w", err)
	}
	return nil
}

func infoValue(i Info) starlark.Value {
	what := starlark.Value(starlark.None)
	if i.InUse() {
		what = starlark.String(i.What())
	}
	return starutil.Struct("fs.info", starlark.StringDict{
		"device": starlark.String(i.Device), "device_size": starlark.MakeInt64(i.DevSize),
		"type": orNone(i.Type), "pttype": orNone(i.PTType), "usage": orNone(i.Usage), "what": what,
		"uuid": orNone(i.UUID), "size": starlark.MakeInt64(i.Size),
		"block_size": starlark.MakeInt64(i.BlockSize), "free": starlark.MakeInt64(i.Free),
	})
}

// orNone is s, or None when s is empty.
func orNone(s string) starlark.Value {
	if s == "" {
		return starlark.None
	}
	return starlark.String(s)
}

// uuidNote is " (uuid U)" when blkid gave a UUID.
func uuidNote(uuid string) string {
	if uuid == "" {
		return ""
	}
	return " (uuid " + uuid + ")"
}

func cleanDir(dir string) string { return path.Clean(dir) }

// pathArg unpacks a builtin's one path argument, checks it is an operand
// (not empty, no leading "-") and returns it with the run's environment.
func pathArg(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, name, what string) (string, *env.Env, error) {
	var value string
	if err := starutil.Unpack(b, args, kwargs, name, &value); err != nil {
		return "", nil, err
	}
	if err := starutil.Operand(value, what); err != nil {
		return "", nil, err
	}
	e, err := env.From(th)
	return value, e, err
}
