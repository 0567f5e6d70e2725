package qemu

import (
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

func snapshotsValue(snaps []Snapshot) starlark.Value {
	out := make([]starlark.Value, len(snaps))
	for i, s := range snaps {
		out[i] = starutil.Struct("qemu.snapshot", starlark.StringDict{
			"id": starlark.String(s.ID), "name": starlark.String(s.Name),
			"vm_state_size": starlark.MakeInt64(s.VMStateSize), "date": starlark.MakeInt64(s.DateSec),
			"vm_clock": starlark.Float(float64(s.VMClockSec) + float64(s.VMClockNsec)/1e9),
		})
	}
	l := starlark.NewList(out)
	l.Freeze()
	return l
}

func strOrNone(s string) starlark.Value {
	if s == "" {
		return starlark.None
	}
	return starlark.String(s)
}

func infoValue(i ImageInfo) starlark.Value {
	return starutil.Struct("qemu.image", starlark.StringDict{
		"filename": starlark.String(i.Filename), "format": starlark.String(i.Format),
		"virtual_size": starlark.MakeInt64(i.VirtualSize), "actual_size": starlark.MakeInt64(i.ActualSize),
		"cluster_size": starlark.MakeInt64(i.ClusterSize), "dirty": starlark.Bool(i.DirtyFlag),
		"encrypted": starlark.Bool(i.Encrypted), "backing": strOrNone(i.BackingFilename),
		"backing_format": strOrNone(i.BackingFormat), "snapshots": snapshotsValue(i.Snapshots),
	})
}
