package qemu

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

func imgModule() *starutil.Module {
	return &starutil.Module{Name: "img", Doc: "qemu-img: disk images", Funcs: []starutil.Func{
		{Name: "create", Params: "(path, size = None, format = \"raw\", backing = None, backing_format = None, options = {}, confirm = False)",
			Doc: "create an image (size such as \"10G\"; a backing file gives qcow2 overlays); replacing an existing file needs confirm", Impl: imgCreate},
		{Name: "info", Params: "(path, format = None)", Doc: "format, virtual_size, actual_size, backing, snapshots (from info --output=json)", Impl: imgInfo},
		{Name: "convert", Params: "(src, dst, format, src_format = None, compress = False, confirm = False)",
			Doc: "convert src to dst in format (raw, qcow2, ...); replacing an existing dst needs confirm, dst == src is refused; returns dst's info", Impl: imgConvert},
		{Name: "resize", Params: "(path, size, confirm = False)", Doc: "set the virtual size; shrinking (which drops data) needs confirm; returns the info", Impl: imgResize},
		{Name: "snapshot", Params: "(path, create = None, apply = None, delete = None, list = False, confirm = False)",
			Doc: "create, apply or delete an internal snapshot by tag, or list them; apply (which discards the changes made since) and delete need confirm; returns the snapshots", Impl: imgSnapshot},
	}}
}

// imgTool is qemu-img on the shared tool runner; a qemu without the
// sheepdog driver is explained, since the fix is another builtin.
func imgTool() tool.Tool {
	return tool.Tool{Name: "qemu-img", Explain: func(r exec.Result) string {
		if strings.Contains(string(r.Stderr), "Unknown protocol 'sheepdog'") {
			return "this qemu has no sheepdog driver (removed in QEMU 6.0); create the VDI with dog.vdi.create instead"
		}
		return ""
	}}
}

// img runs qemu-img; a failure names the builtin, argv, rc and stderr.
func img(th *starlark.Thread, b *starlark.Builtin, mutate bool, args ...string) (exec.Result, error) {
	e, err := env.From(th)
	if err != nil {
		return exec.Result{}, err
	}
	res, err := imgTool().Run(e, tool.Cmd{Args: args}, mutate)
	if err != nil {
		return res, fmt.Errorf("%w", err)
	}
	return res, nil
}

func info(th *starlark.Thread, b *starlark.Builtin, path, format string) (ImageInfo, error) {
	if err := starutil.Operand(path, "an image path"); err != nil {
		return ImageInfo{}, err
	}
	args := []string{"info", "--output=json"}
	if format != "" {
		args = append(args, "-f", format)
	}
	res, err := img(th, b, false, append(args, path)...)
	if err != nil {
		return ImageInfo{}, err
	}
	i, err := ParseInfo(res.Stdout)
	if err != nil {
		return i, err
	}
	return i, nil
}

func imgInfo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path, format string
	if err := starutil.Unpack(b, args, kwargs, "path", &path, "format?", &format); err != nil {
		return nil, err
	}
	i, err := info(th, b, path, format)
	if err != nil {
		return nil, err
	}
	return infoValue(i), nil
}

// exists asks the target (test -e); sheepdog and other protocol names are
// not files and are left to qemu-img.
func exists(th *starlark.Thread, path string) (bool, error) {
	if strings.Contains(path, ":") && !strings.HasPrefix(path, "/") && !strings.HasPrefix(path, ".") {
		return false, nil
	}
	e, err := env.From(th)
	if err != nil {
		return false, err
	}
	res, err := e.Run(exec.Cmd{Argv: []string{"test", "-e", path}})
	return err == nil && res.Code == 0, err
}

func imgCreate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := createArgs{format: "raw", size: starlark.None}
	confirm := false
	if err := starutil.Unpack(b, args, kwargs, "path", &c.path, "size?", &c.size, "format?", &c.format,
		"backing?", &c.backing, "backing_format?", &c.backingFormat, "options?", &c.options, "confirm?", &confirm); err != nil {
		return nil, err
	}
	argv, err := c.argv(th, b)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	// qemu-img create silently truncates an existing image.
	if ok, err := exists(th, c.path); err != nil {
		return nil, err
	} else if ok && !e.Confirmed(confirm) {
		return nil, fmt.Errorf("%s exists and qemu-img create would replace it; pass confirm = True (or run with --yes)", c.path)
	}
	if _, err := img(th, b, true, argv...); err != nil {
		return nil, err
	}
	i, err := info(th, b, c.path, c.format)
	if err != nil {
		return nil, err
	}
	return infoValue(i), nil
}

type createArgs struct {
	path, format, backing, backingFormat string
	size                                 starlark.Value
	options                              starutil.StringMap
}

// argv builds `create -f F [-b B -F BF] [-o k=v,...] PATH [SIZE]`; qemu
// ≥6.1 wants the backing format, so it is read from the backing file.
func (c createArgs) argv(th *starlark.Thread, b *starlark.Builtin) ([]string, error) {
	if err := starutil.Operand(c.path, "an image path"); err != nil {
		return nil, err
	}
	argv := []string{"create", "-f", c.format}
	if c.backing != "" {
		if c.backingFormat == "" {
			bi, err := info(th, b, c.backing, "")
			if err != nil {
				return nil, err
			}
			c.backingFormat = bi.Format
		}
		argv = append(argv, "-b", c.backing, "-F", c.backingFormat)
	}
	if len(c.options) > 0 {
		argv = append(argv, "-o", joinOptions(c.options))
	}
	argv = append(argv, c.path)
	if c.size == starlark.None {
		if c.backing == "" {
			return nil, fmt.Errorf("size is required without a backing file")
		}
		return argv, nil
	}
	var n starutil.Size
	if err := n.Unpack(c.size); err != nil {
		return nil, fmt.Errorf("size: %w", err)
	}
	return append(argv, strconv.FormatInt(int64(n), 10)), nil
}

func joinOptions(m starutil.StringMap) string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+strings.ReplaceAll(v, ",", ",,"))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func imgResize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path string
	var size starutil.Size
	confirm := false
	if err := starutil.Unpack(b, args, kwargs, "path", &path, "size", &size, "confirm?", &confirm); err != nil {
		return nil, err
	}
	before, err := info(th, b, path, "")
	if err != nil {
		return nil, err
	}
	argv := []string{"resize", "-f", before.Format}
	if int64(size) < before.VirtualSize {
		e, err := env.From(th)
		if err != nil {
			return nil, err
		}
		if !e.Confirmed(confirm) {
			return nil, fmt.Errorf("shrinking %s from %d to %d bytes deletes the data beyond the new end; pass confirm = True (or run with --yes)",
				path, before.VirtualSize, int64(size))
		}
		argv = append(argv, "--shrink")
	}
	if _, err := img(th, b, true, append(argv, path, strconv.FormatInt(int64(size), 10))...); err != nil {
		return nil, err
	}
	i, err := info(th, b, path, before.Format)
	if err != nil {
		return nil, err
	}
	return infoValue(i), nil
}
