package qemu

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func imgSnapshot(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path, create, apply, del string
	list, confirm := false, false
	if err := starutil.Unpack(b, args, kwargs, "path", &path, "create?", &create, "apply?", &apply,
		"delete?", &del, "list?", &list, "confirm?", &confirm); err != nil {
		return nil, err
	}
	var flag, tag string
	n := 0
	for f, t := range map[string]string{"-c": create, "-a": apply, "-d": del} {
		if t != "" {
			flag, tag, n = f, t, n+1
		}
	}
	if list {
		n++
	}
	if n != 1 {
		return nil, fmt.Errorf("want exactly one of create, apply, delete or list = True")
	}
	// `snapshot -l` has no JSON and prints nothing without snapshots.
	i, err := info(th, b, path, "")
	if err != nil || flag == "" {
		return snapshotsValue(i.Snapshots), err
	}
	if i.Format == "raw" {
		return nil, fmt.Errorf("%s is a raw image, which has no internal snapshots; convert it to qcow2 first (qemu.img.convert)", path)
	}
	if err := snapshotAllowed(th, b, path, i.Snapshots, flag, tag, confirm); err != nil {
		return nil, err
	}
	if _, err := img(th, b, true, "snapshot", flag, tag, path); err != nil {
		return nil, err
	}
	if i, err = info(th, b, path, i.Format); err != nil {
		return nil, err
	}
	return snapshotsValue(i.Snapshots), nil
}

// SnapshotTarget finds the snapshot qemu-img 7.2 acts on: `snapshot -a
// TAG` takes an id first, then the first snapshot so named; `-d TAG` goes
// by name only. named counts the snapshots named tag (qcow2 allows
// duplicates).
func SnapshotTarget(snaps []Snapshot, flag, tag string) (i, named int) {
	i = -1
	for j, s := range snaps {
		if s.Name == tag {
			if named++; i < 0 {
				i = j
			}
		}
	}
	if flag == "-a" {
		for j, s := range snaps {
			if s.ID == tag {
				return j, named
			}
		}
	}
	return i, named
}

// snapshotAllowed refuses apply and delete unless confirmed (apply rewinds
// the image, losing the changes made since; delete drops the snapshot),
// and names the snapshot qemu-img will act on.
func snapshotAllowed(th *starlark.Thread, b *starlark.Builtin, path string, snaps []Snapshot, flag, tag string, confirm bool) error {
	if flag != "-a" && flag != "-d" {
		return nil
	}
	i, named := SnapshotTarget(snaps, flag, tag)
	if i < 0 {
		by := "id or name"
		if flag == "-d" {
			by = "name (qemu-img deletes by name only)"
		}
		return fmt.Errorf("%s has no snapshot with the %s %q; qemu.img.snapshot(%q, list = True) lists them", path, by, tag, path)
	}
	e, err := env.From(th)
	if err != nil {
		return err
	}
	if e.Confirmed(confirm) {
		return nil
	}
	s := snaps[i]
	note := ""
	switch {
	case s.Name != tag && named > 0:
		note = fmt.Sprintf(" (%q is the id of snapshot %q and the name of another; qemu-img takes the id)", tag, s.Name)
	case named > 1:
		note = fmt.Sprintf(" (%d snapshots have that name; qemu-img takes the first, id %s)", named, s.ID)
	}
	what := fmt.Sprintf("deleting snapshot %q (id %s) of %s discards the state it saved", tag, s.ID, path)
	if flag == "-a" {
		what = fmt.Sprintf("applying snapshot %q (id %s) to %s reverts the image to it and discards every change made since", tag, s.ID, path)
	}
	return fmt.Errorf("%s%s; pass confirm = True (or run with --yes)", what, note)
}
