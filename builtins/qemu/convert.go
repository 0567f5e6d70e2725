package qemu

import (
	"fmt"
	"path"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func imgConvert(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src, dst, format, srcFormat string
	compress, confirm := false, false
	if err := starutil.Unpack(b, args, kwargs, "src", &src, "dst", &dst, "format", &format,
		"src_format?", &srcFormat, "compress?", &compress, "confirm?", &confirm); err != nil {
		return nil, err
	}
	if err := convertTarget(th, b, src, dst, confirm); err != nil {
		return nil, err
	}
	if srcFormat == "" {
		si, err := info(th, b, src, "")
		if err != nil {
			return nil, err
		}
		srcFormat = si.Format
	}
	argv := []string{"convert", "-f", srcFormat, "-O", format}
	if compress {
		argv = append(argv, "-c")
	}
	if _, err := img(th, b, true, append(argv, src, dst)...); err != nil {
		return nil, err
	}
	i, err := info(th, b, dst, format)
	if err != nil {
		return nil, err
	}
	return infoValue(i), nil
}

// convertTarget checks convert's operands: qemu-img convert silently
// overwrites dst, and writing onto src destroys it while it is read.
func convertTarget(th *starlark.Thread, b *starlark.Builtin, src, dst string, confirm bool) error {
	if err := starutil.Operand(src, "an image path"); err != nil {
		return err
	}
	if err := starutil.Operand(dst, "an image path"); err != nil {
		return err
	}
	if src == dst || !strings.Contains(src+dst, ":") && path.Clean(src) == path.Clean(dst) {
		return fmt.Errorf("dst %s is the source image; convert to another path", dst)
	}
	e, err := env.From(th)
	if err != nil {
		return err
	}
	if ok, err := exists(th, dst); err != nil {
		return err
	} else if ok && !e.Confirmed(confirm) {
		return fmt.Errorf("%s exists and qemu-img convert would replace it; pass confirm = True (or run with --yes)", dst)
	}
	return nil
}
