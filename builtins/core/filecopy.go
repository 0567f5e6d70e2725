package core

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// file.copy and file.rename: both look before they act, so a second run
// changes nothing and nothing is replaced unconfirmed.

func fileCopy(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src, dest string
	var mode starlark.Value = starlark.None
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "src", &src, "dest", &dest, "mode?", &mode, "confirm?", &confirm); err != nil {
		return nil, err
	}
	m, err := fileMode(mode)
	if err != nil {
		return nil, err
	}
	if err := paths(src, "a source path", dest, "a destination path"); err != nil {
		return nil, err
	}
	sk, err := kindOf(th, src)
	if err != nil {
		return nil, err
	}
	dk, err := kindOf(th, dest)
	if err != nil {
		return nil, err
	}
	changed := false
	switch {
	case sk == "" || sk == "link":
		return nil, fmt.Errorf("no such file: %s", src)
	case sk == "dir" && dk != "":
		// A tree already in place is left alone: comparing trees is
		// beyond cp, and merging into one would mix two versions.
	case sk == "dir":
		if _, err := fileTool(th, "cp", true, "-R", "--", src, dest); err != nil {
			return nil, err
		}
		changed = true
	case dk == "dir":
		return nil, fmt.Errorf("%s is a directory: give the full path of the copy", dest)
	default:
		same := false
		if dk != "" {
			if same, err = sameContent(th, src, dest); err != nil {
				return nil, err
			}
			if !same {
				e, err := env.From(th)
				if err != nil {
					return nil, err
				}
				if !e.Confirmed(confirm) {
					return nil, fmt.Errorf("%s exists with other content; pass confirm = True (or run with --yes) to replace it with %s", dest, src)
				}
			}
		}
		if !same {
			if _, err := fileTool(th, "cp", true, "--", src, dest); err != nil {
				return nil, err
			}
			changed = true
		}
	}
	if m != "" {
		res, err := fileTool(th, "chmod", true, "-c", m, "--", dest)
		if err != nil {
			return nil, err
		}
		changed = changed || len(res.Stdout) > 0
	}
	return starlark.Bool(changed), nil
}

// sameContent compares two files by their SHA-256 on the target, so large
// files (an ISO) never cross the connection.
func sameContent(th *starlark.Thread, a, b string) (bool, error) {
	res, err := fileTool(th, "sha256sum", false, "--", a, b)
	if err != nil {
		return false, err
	}
	lines := strings.Split(strings.TrimSuffix(string(res.Stdout), "\n"), "\n")
	if len(lines) != 2 {
		return false, fmt.Errorf("sha256sum printed %d lines for 2 files: %q", len(lines), res.Stdout)
	}
	sum := func(l string) string { h, _, _ := strings.Cut(l, " "); return strings.TrimPrefix(h, "\\") }
	return sum(lines[0]) == sum(lines[1]), nil
}

func fileRename(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src, dest string
	var confirm bool
	if err := starutil.Unpack(b, args, kwargs, "src", &src, "dest", &dest, "confirm?", &confirm); err != nil {
		return nil, err
	}
	if err := paths(src, "a source path", dest, "a destination path"); err != nil {
		return nil, err
	}
	sk, err := kindOf(th, src)
	if err != nil {
		return nil, err
	}
	dk, err := kindOf(th, dest)
	if err != nil {
		return nil, err
	}
	switch {
	case sk == "" && dk != "":
		return starlark.False, nil // renamed already
	case sk == "":
		return nil, fmt.Errorf("no such file: %s (and no %s either)", src, dest)
	case dk == "dir":
		return nil, fmt.Errorf("%s is a directory: mv would move %s into it; give the full new path", dest, src)
	case dk != "":
		e, err := env.From(th)
		if err != nil {
			return nil, err
		}
		if !e.Confirmed(confirm) {
			return nil, fmt.Errorf("%s exists; pass confirm = True (or run with --yes) to replace it with %s", dest, src)
		}
	}
	if _, err := fileTool(th, "mv", true, "-f", "--", src, dest); err != nil {
		return nil, err
	}
	return starlark.True, nil
}
