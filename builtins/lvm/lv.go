package lvm

import (
	"fmt"
	"regexp"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/fs"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

var extentsRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+(%(FREE|VG|PVS|ORIGIN))?$`) })

func lvcreate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vg, name string
	var size starlark.Value = starlark.None
	var extents starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "vg", &vg, "name", &name, "size?", &size, "extents?", &extents); err != nil {
		return nil, err
	}
	if err := checkName(vg, "a volume group name"); err != nil {
		return nil, fmt.Errorf("vg: %w", err)
	}
	if err := checkName(name, "a logical volume name"); err != nil {
		return nil, fmt.Errorf("name: %w", err)
	}
	amount, err := lvcreateAmount(size, extents)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	argv := append([]string{"lvcreate", "-y", "-n", name}, amount...)
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if _, err := run(e, append(argv, "--", vg), true); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	lv, _, err := getLV(e, vg+"/"+name)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return lvValue(lv), nil
}

// lvcreateAmount turns exactly one of size and extents into -L or -l.
func lvcreateAmount(size, extents starlark.Value) ([]string, error) {
	switch {
	case (size == starlark.None) == (extents == starlark.None):
		return nil, fmt.Errorf("give exactly one of size (bytes or \"10G\") and extents (\"100%%FREE\")")
	case size != starlark.None:
		var n starutil.Size
		if err := n.Unpack(size); err != nil || n <= 0 {
			return nil, fmt.Errorf("size: %w", orPositive(err))
		}
		// LVM counts in 512-byte sectors: the size must survive rounding.
		if _, err := roundUp(int64(n), 512); err != nil {
			return nil, err
		}
		return []string{"-L", sizeArg(int64(n))}, nil
	}
	ext := extents.String()
	if s, ok := starlark.AsString(extents); ok {
		ext = s
	}
	if !extentsRE().MatchString(ext) {
		return nil, fmt.Errorf("extents: got %s, want a count or a percentage such as \"100%%FREE\" or \"50%%VG\"", extents)
	}
	return []string{"-l", ext}, nil
}

func orPositive(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("got 0, want a positive size")
}

// resizeArgs unpacks (lv, size, resizefs) and reads the volume.
func resizeArgs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, confirm *bool) (*env.Env, LV, int64, bool, error) {
	var name string
	var size starutil.Size
	resizefs := true
	pairs := []any{"lv", &name, "size", &size, "resizefs?", &resizefs}
	if confirm != nil {
		pairs = append(pairs, "confirm?", confirm)
	}
	if err := starutil.Unpack(b, args, kwargs, pairs...); err != nil {
		return nil, LV{}, 0, false, err
	}
	if size <= 0 {
		return nil, LV{}, 0, false, fmt.Errorf("size: got 0, want a positive size")
	}
	ref, err := LVRef(name)
	if err != nil {
		return nil, LV{}, 0, false, fmt.Errorf("%w", err)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, LV{}, 0, false, err
	}
	lv, vg, err := getLV(e, ref)
	if err != nil {
		return nil, LV{}, 0, false, fmt.Errorf("%w", err)
	}
	target, err := roundUp(int64(size), vg.ExtentSize)
	if err != nil {
		return nil, LV{}, 0, false, fmt.Errorf("%w", err)
	}
	return e, lv, target, resizefs, nil
}

func lvextend(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	e, lv, target, resizefs, err := resizeArgs(th, b, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	if err := Extend(e, lv, target, resizefs); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return reread(e, b, lv)
}

func lvreduce(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var confirm bool
	e, lv, target, resizefs, err := resizeArgs(th, b, args, kwargs, &confirm)
	if err != nil {
		return nil, err
	}
	if err := Reduce(e, lv, target, resizefs, e.Confirmed(confirm)); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return reread(e, b, lv)
}

func reread(e *env.Env, b *starlark.Builtin, lv LV) (starlark.Value, error) {
	now, _, err := getLV(e, lv.VG+"/"+lv.Name)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return lvValue(now), nil
}

func lvremove(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "lv", &name, "confirm?", &confirm); err != nil {
		return nil, err
	}
	ref, err := LVRef(name)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if !e.Confirmed(confirm) {
		return nil, fmt.Errorf("removing %s destroys its data; pass confirm = True (or run with --yes)", ref)
	}
	if _, err := run(e, []string{"lvremove", "-y", "--", ref}, true); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return starlark.None, nil
}

// Extend grows lv to target bytes, then the ext2/3/4 filesystem on it.
func Extend(e *env.Env, lv LV, target int64, resizefs bool) error {
	if target < lv.Size {
		return fmt.Errorf("new size %d is smaller than %s/%s (%d bytes): use lvm.lvreduce", target, lv.VG, lv.Name, lv.Size)
	}
	var info fs.Info
	if resizefs {
		var err error
		// Look before changing anything: an unreadable device stops here.
		if info, err = fs.Probe(e, lv.Path); err != nil {
			return fmt.Errorf("%w\n(pass resizefs = False to resize the volume alone)", err)
		}
		if info.Type != "" && !fs.IsExt(info.Type) {
			return fmt.Errorf("%s holds %s, which vrun cannot grow: pass resizefs = False and grow it with its own tool", lv.Path, fs.Kind(info.Type))
		}
	}
	if target > lv.Size {
		if _, err := run(e, []string{"lvextend", "-L", sizeArg(target), "--", lv.VG + "/" + lv.Name}, true); err != nil {
			return err
		}
	}
	if resizefs && fs.IsExt(info.Type) && info.Size < target {
		_, err := fs.Resize(e, lv.Path, 0)
		return err
	}
	return nil
}

// Reduce shrinks lv to target bytes. With resizefs it checks and shrinks
// the ext2/3/4 filesystem first (it must be unmounted) and reads its new
// size back; without, it refuses to cut anything it finds unless
// confirmed. Whatever blkid finds counts (a partition table, a PV, LUKS,
// swap...), and a probe that fails stops it: unknown is not blank.
func Reduce(e *env.Env, lv LV, target int64, resizefs, confirmed bool) error {
	ref := lv.VG + "/" + lv.Name
	if target > lv.Size {
		return fmt.Errorf("new size %d is larger than %s (%d bytes): use lvm.lvextend", target, ref, lv.Size)
	}
	if target == lv.Size {
		return nil
	}
	if resizefs || !confirmed {
		info, err := fs.Probe(e, lv.Path)
		if err != nil {
			return fmt.Errorf("cannot tell what is on %s, so shrinking it may destroy data; nothing was changed (pass resizefs = False and confirm = True only if it holds nothing you need)\n%w", ref, err)
		}
		if err := shrinkOrRefuse(e, lv, info, target, resizefs); err != nil {
			return err
		}
	}
	_, err := run(e, []string{"lvreduce", "-y", "-L", sizeArg(target), "--", ref}, true)
	return err
}

// shrinkOrRefuse makes room for a cut of lv to target bytes: nothing to do
// on a blank volume, resize2fs for ext2/3/4 with resizefs, a refusal for
// anything else (the caller skips this when the cut is confirmed).
func shrinkOrRefuse(e *env.Env, lv LV, info fs.Info, target int64, resizefs bool) error {
	ref := lv.VG + "/" + lv.Name
	switch {
	case !info.InUse():
		return nil
	case resizefs && fs.IsExt(info.Type) && info.PTType == "":
		return shrinkFS(e, lv, info, target)
	case resizefs:
		return fmt.Errorf("%s holds %s, which vrun cannot shrink (only ext2/3/4 filesystems): cutting the volume destroys it; pass resizefs = False and confirm = True (or --yes) to cut it anyway", ref, info.What())
	case fs.IsExt(info.Type) && info.PTType == "" && info.Size > 0 && info.Size <= target:
		return nil // the filesystem fits
	case fs.IsExt(info.Type) && info.Size > target:
		return fmt.Errorf("%s holds %s of %d bytes (%s), larger than the new size %d (%s): cutting it destroys data; use resizefs = True, or pass confirm = True (or --yes) to cut anyway",
			ref, info.What(), info.Size, inGiB(info.Size), target, inGiB(target))
	}
	return fmt.Errorf("%s holds %s: cutting it to %d bytes (%s) may destroy data; pass confirm = True (or --yes) to cut anyway", ref, info.What(), target, inGiB(target))
}

func shrinkFS(e *env.Env, lv LV, info fs.Info, target int64) error {
	if info.Size <= target {
		return nil // the filesystem already fits
	}
	mounts, err := fs.Mounts(e, "--source", lv.Path)
	if err != nil {
		return err
	}
	if len(mounts) > 0 {
		return fmt.Errorf("%s is mounted on %s and %s cannot shrink while mounted: unmount it first (for the root filesystem, boot a rescue system as seed 000 does)", lv.Path, mounts[0].Target, info.Type)
	}
	if _, _, err := fs.Check(e, lv.Path); err != nil {
		return err
	}
	// Resize reads the size back: a resize2fs that exits 0 without
	// shrinking stops here, before the volume is cut.
	got, err := fs.Resize(e, lv.Path, target)
	if err != nil {
		return err
	}
	if got > target {
		return fmt.Errorf("the filesystem on %s is %d bytes after resize2fs, above the new size %d: the volume was not cut", lv.Path, got, target)
	}
	return nil
}
