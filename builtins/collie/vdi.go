package collie

import (
	"errors"
	"fmt"
	"strconv"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func vdiModule() *starutil.Module {
	return &starutil.Module{Name: "vdi", Doc: "virtual disk images", Funcs: []starutil.Func{
		{Name: "list", Params: "(name = None)", Doc: "VDIs and their snapshots (sizes in bytes), optionally of one name", Impl: vdiList},
		{Name: "create", Params: "(name, size, copies = None, prealloc = False)", Doc: "create a VDI; size such as \"1G\" or bytes; returns it", Impl: vdiCreate},
		{Name: "delete", Params: "(name, confirm = False, tag = None)", Doc: "delete a VDI, or one snapshot of it by tag or id (needs confirm)", Impl: vdiDelete},
		{Name: "snapshot", Params: "(name, tag = None)", Doc: "snapshot a VDI, optionally tagged; returns the snapshot", Impl: vdiSnapshot},
		{Name: "clone", Params: "(snapshot, src, dst)", Doc: "create VDI dst from snapshot (tag or id) of src; returns dst", Impl: vdiClone},
		{Name: "resize", Params: "(name, size)", Doc: "grow a VDI to size (sheepdog cannot shrink); returns it", Impl: vdiResize},
		{Name: "tree", Params: "()", Doc: "snapshot trees: name, nodes (label, current, children)", Impl: vdiTree},
	}}
}

func listVDIs(th *starlark.Thread, b *starlark.Builtin, name string) ([]VDI, error) {
	args := []string{"vdi", "list", "-r"}
	if name != "" {
		args = append(args, name)
	}
	out, err := run(th, b, req{}, args...)
	if err != nil {
		return nil, err
	}
	vdis, err := ParseVDIList(out)
	if err != nil {
		return nil, err
	}
	return vdis, nil
}

// findVDI returns the current VDI of name, or the snapshot with tag.
func findVDI(th *starlark.Thread, b *starlark.Builtin, name string, snapshot func(VDI) bool) (starlark.Value, error) {
	vdis, err := listVDIs(th, b, name)
	if err != nil {
		return nil, err
	}
	var found *VDI
	for i, v := range vdis {
		if v.Name == name && snapshot(v) {
			found = &vdis[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("VDI %q: %w", name, ErrMissing)
	}
	return vdiValue(*found), nil
}

func vdiReq(name string) req { return req{subject: fmt.Sprintf("VDI %q", name), mutate: true} }

func current(v VDI) bool { return !v.Snapshot }

func vdiList(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var nameV starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "name?", &nameV); err != nil {
		return nil, err
	}
	name, err := optName(b, nameV)
	if err != nil {
		return nil, err
	}
	vdis, err := listVDIs(th, b, name)
	if err != nil {
		return nil, err
	}
	return listValue(vdis, vdiValue), nil
}

func vdiCreate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var size starutil.Size
	var copies starlark.Value = starlark.None
	prealloc := false
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "size", &size, "copies?", &copies, "prealloc?", &prealloc); err != nil {
		return nil, err
	}
	if err := vdiName(b, name); err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, fmt.Errorf("size: got %d, want a size above 0", int64(size))
	}
	argv := []string{"vdi", "create", name, strconv.FormatInt(int64(size), 10)}
	if copies != starlark.None {
		n, err := copiesArg(copies)
		if err != nil {
			return nil, err
		}
		argv = append(argv, "--copies="+n)
	}
	if prealloc {
		argv = append(argv, "--prealloc")
	}
	if _, err := run(th, b, vdiReq(name), argv...); err != nil {
		return nil, err
	}
	return findVDI(th, b, name, current)
}

// tagArgs turns a snapshot given as a tag (string) or id (int) into "-s X".
func tagArgs(v starlark.Value) ([]string, error) {
	switch v := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case starlark.String:
		if v == "" {
			return nil, errors.New("snapshot tag is empty")
		}
		return []string{"-s", string(v)}, nil
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n < 1 {
			return nil, fmt.Errorf("snapshot id %s out of range", v)
		}
		return []string{"-s", strconv.FormatInt(n, 10)}, nil
	}
	return nil, fmt.Errorf("snapshot: got %s, want tag (string) or id (int)", v.Type())
}

func vdiDelete(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var tag starlark.Value = starlark.None
	confirm := false
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "confirm?", &confirm, "tag?", &tag); err != nil {
		return nil, err
	}
	if err := vdiName(b, name); err != nil {
		return nil, err
	}
	snap, err := tagArgs(tag)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if !e.Confirmed(confirm) {
		return nil, fmt.Errorf("deleting VDI %q destroys its data; pass confirm = True (or run with --yes)", name)
	}
	_, err = run(th, b, vdiReq(name), append([]string{"vdi", "delete", name}, snap...)...)
	return starlark.None, err
}

func vdiSnapshot(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, tag string
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "tag?", &tag); err != nil {
		return nil, err
	}
	if err := vdiName(b, name); err != nil {
		return nil, err
	}
	argv := []string{"vdi", "snapshot", name}
	if tag != "" {
		argv = append(argv, "-s", tag)
	}
	if _, err := run(th, b, vdiReq(name), argv...); err != nil {
		return nil, err
	}
	// The newest snapshot of name: the highest snapshot id.
	vdis, err := listVDIs(th, b, name)
	if err != nil {
		return nil, err
	}
	best := -1
	for i, v := range vdis {
		if v.Snapshot && (best < 0 || v.SnapID > vdis[best].SnapID) && (tag == "" || v.Tag == tag) {
			best = i
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("the snapshot of %q is not listed after it was taken", name)
	}
	return vdiValue(vdis[best]), nil
}

func vdiClone(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var snapshot starlark.Value
	var src, dst string
	if err := starutil.Unpack(b, args, kwargs, "snapshot", &snapshot, "src", &src, "dst", &dst); err != nil {
		return nil, err
	}
	snap, err := tagArgs(snapshot)
	if err != nil || snap == nil {
		return nil, fmt.Errorf("want the snapshot's tag or id (%v)", err)
	}
	for _, n := range []string{src, dst} {
		if err := vdiName(b, n); err != nil {
			return nil, err
		}
	}
	if _, err := run(th, b, vdiReq(dst), append([]string{"vdi", "clone"}, append(snap, src, dst)...)...); err != nil {
		// What is missing is the snapshot of src, not dst.
		var ce *cmdError
		if errors.As(err, &ce) && ce.kind == ErrMissing {
			ce.what = fmt.Sprintf("snapshot %s of VDI %q", snapshot.String(), src)
		}
		return nil, err
	}
	return findVDI(th, b, dst, current)
}

func vdiResize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var size starutil.Size
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "size", &size); err != nil {
		return nil, err
	}
	if err := vdiName(b, name); err != nil {
		return nil, err
	}
	if _, err := run(th, b, vdiReq(name), "vdi", "resize", name, strconv.FormatInt(int64(size), 10)); err != nil {
		return nil, err
	}
	return findVDI(th, b, name, current)
}

func vdiTree(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	out, err := run(th, b, req{}, "vdi", "tree")
	if err != nil {
		return nil, err
	}
	trees, err := ParseVDITree(out)
	if err != nil {
		return nil, err
	}
	return listValue(trees, treeValue), nil
}

// vdiName refuses a VDI name the client would read as an option.
func vdiName(b *starlark.Builtin, name string) error {
	if err := starutil.Operand(name, "a VDI name"); err != nil {
		return fmt.Errorf("%w", err)
	}
	return nil
}

// optName reads an optional VDI name: None for all of them.
func optName(b *starlark.Builtin, v starlark.Value) (string, error) {
	if v == starlark.None {
		return "", nil
	}
	s, ok := starlark.AsString(v)
	if !ok {
		return "", fmt.Errorf("name: got %s, want string or None", v.Type())
	}
	return s, vdiName(b, s)
}
