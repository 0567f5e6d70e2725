// Package lvm is vrun's `lvm` module: LVM2's pvs/vgs/lvs JSON reports and
// the create/resize/remove commands, with the filesystem on a volume
// resized first when it shrinks (seed 000's e2fsck → resize2fs → lvreduce).
package lvm

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module returns the lvm module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "lvm", Doc: "LVM2 physical volumes, volume groups and logical volumes (sizes in bytes)", Funcs: []starutil.Func{
		{Name: "lvcreate", Params: "(vg, name, size = None, extents = None)", Doc: "create a logical volume of size bytes (rounded up to extents) or extents such as \"100%FREE\"; returns the lv", Impl: lvcreate},
		{Name: "lvextend", Params: "(lv, size, resizefs = True)", Doc: "grow a logical volume to size, then its ext2/3/4 filesystem; a no-op at that size already", Impl: lvextend},
		{Name: "lvreduce", Params: "(lv, size, resizefs = True, confirm = False)", Doc: "shrink the ext2/3/4 filesystem (e2fsck -f, resize2fs, size read back) then the volume; anything else blkid finds (a partition table, a PV, swap...) or a failed probe stops it; resizefs = False cuts only what fits or is confirmed", Impl: lvreduce},
		{Name: "lvremove", Params: "(lv, confirm = False)", Doc: "remove a logical volume and its data; needs confirm = True or --yes", Impl: lvremove},
		{Name: "lvs", Params: "(vg = None)", Doc: "logical volumes: list of struct(name, vg, ref, path, dm_path, size, attr, uuid)", Impl: lvs},
		{Name: "pvcreate", Params: "(device)", Doc: "initialize a device as a physical volume; returns the pv", Impl: pvcreate},
		{Name: "pvs", Params: "()", Doc: "physical volumes: list of struct(name, vg, size, free, fmt, attr, uuid)", Impl: pvs},
		{Name: "vgcreate", Params: "(vg, *devices)", Positional: 1, Doc: "create a volume group on physical volumes; returns the vg", Impl: vgcreate},
		{Name: "vgs", Params: "()", Doc: "volume groups: list of struct(name, size, free, extent_size, extent_count, free_count, pv_count, lv_count, attr, uuid)", Impl: vgs},
	}}
}

func pvs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	list, err := listPVs(e)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	out := make([]starlark.Value, len(list))
	for i, p := range list {
		out[i] = pvValue(p)
	}
	return starlark.NewList(out), nil
}

func vgs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	list, err := listVGs(e)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	out := make([]starlark.Value, len(list))
	for i, v := range list {
		out[i] = vgValue(v)
	}
	return starlark.NewList(out), nil
}

func lvs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vg string
	if err := starutil.Unpack(b, args, kwargs, "vg?", &vg); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	var filter []string
	if vg != "" {
		if err := checkName(vg, "a volume group name"); err != nil {
			return nil, fmt.Errorf("vg: %w", err)
		}
		filter = []string{vg}
	}
	list, err := listLVs(e, filter...)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	out := make([]starlark.Value, len(list))
	for i, l := range list {
		out[i] = lvValue(l)
	}
	return starlark.NewList(out), nil
}

func pvcreate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var device string
	if err := starutil.Unpack(b, args, kwargs, "device", &device); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if err := starutil.Operand(device, "a device path"); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	// No -y: LVM then refuses to wipe a filesystem signature it finds.
	if _, err := run(e, []string{"pvcreate", "--", device}, true); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	list, err := listPVs(e, device)
	if err != nil || len(list) != 1 {
		return nil, fmt.Errorf("%s was created but pvs cannot find it (%v)", device, err)
	}
	return pvValue(list[0]), nil
}

func vgcreate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, fmt.Errorf("unexpected keyword argument %s", kwargs[0][0])
	}
	if len(args) < 2 {
		return nil, fmt.Errorf("got %d arguments, want a volume group name and at least one device", len(args))
	}
	argv := []string{"vgcreate", "--"}
	for i, a := range args {
		s, ok := starlark.AsString(a)
		if !ok {
			return nil, fmt.Errorf("argument %d: got %s, want a non-empty string", i+1, a.Type())
		}
		check, want := starutil.Operand, "a device path"
		if i == 0 {
			check, want = checkName, "a volume group name"
		}
		if err := check(s, want); err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		argv = append(argv, s)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if _, err := run(e, argv, true); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	list, err := listVGs(e, argv[2])
	if err != nil || len(list) != 1 {
		return nil, fmt.Errorf("%s was created but vgs cannot find it (%v)", argv[2], err)
	}
	return vgValue(list[0]), nil
}

func pvValue(p PV) starlark.Value {
	return starutil.Struct("lvm.pv", starlark.StringDict{
		"name": starlark.String(p.Name), "vg": starlark.String(p.VG), "fmt": starlark.String(p.Fmt),
		"attr": starlark.String(p.Attr), "uuid": starlark.String(p.UUID),
		"size": starlark.MakeInt64(p.Size), "free": starlark.MakeInt64(p.Free),
	})
}

func vgValue(v VG) starlark.Value {
	return starutil.Struct("lvm.vg", starlark.StringDict{
		"name": starlark.String(v.Name), "attr": starlark.String(v.Attr), "uuid": starlark.String(v.UUID),
		"pv_count": starlark.MakeInt64(v.PVCount), "lv_count": starlark.MakeInt64(v.LVCount),
		"size": starlark.MakeInt64(v.Size), "free": starlark.MakeInt64(v.Free),
		"extent_size": starlark.MakeInt64(v.ExtentSize), "extent_count": starlark.MakeInt64(v.ExtentCount),
		"free_count": starlark.MakeInt64(v.FreeCount),
	})
}

func lvValue(l LV) starlark.Value {
	return starutil.Struct("lvm.lv", starlark.StringDict{
		"name": starlark.String(l.Name), "vg": starlark.String(l.VG), "ref": starlark.String(l.VG + "/" + l.Name),
		"attr": starlark.String(l.Attr), "path": starlark.String(l.Path), "dm_path": starlark.String(l.DMPath),
		"uuid": starlark.String(l.UUID), "size": starlark.MakeInt64(l.Size),
	})
}
