package core

import (
	"fmt"
	"path"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// The file operations name coreutils' tools and run them on the target;
// each reports whether it changed anything, read from the tools' own
// -v/-c reports or a look first, so a second run is a no-op.
func fileOpFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "mkdir", Params: "(path, mode = None)", Impl: fileMkdir,
			Doc: "Makes a directory and its missing parents (mkdir -p); with mode, makes the directory's mode that; returns whether anything changed."},
		{Name: "symlink", Params: "(target, path)", Impl: fileSymlink,
			Doc: "Makes path a symbolic link to target (ln -sfn), replacing a link that points elsewhere but never a file or directory; returns whether it changed."},
		{Name: "copy", Params: "(src, dest, mode = None, confirm = False)", Impl: fileCopy,
			Doc: "Copies the file src to the path dest (cp); a directory is copied whole when dest is absent. Replacing a different file needs confirm = True (or --yes); returns whether anything changed."},
		{Name: "rename", Params: "(src, dest, confirm = False)", Impl: fileRename,
			Doc: "Renames src to dest (mv); done already when src is gone and dest is there; replacing an existing dest needs confirm = True (or --yes). Returns whether it moved."},
		{Name: "remove", Params: "(path, recursive = False, confirm = False)", Impl: fileRemove,
			Doc: "Removes a file, link, or with recursive = True a directory tree (rm); needs confirm = True (or --yes); returns whether anything was there."},
		{Name: "chmod", Params: "(path, mode, recursive = False)", Impl: fileChmod,
			Doc: "Sets the mode (0o644 or \"0644\") of path, or of the tree with recursive = True (chmod -c); returns whether any mode changed."},
		{Name: "chown", Params: "(path, user, group = None, recursive = False)", Impl: fileChown,
			Doc: "Gives path (or the tree with recursive = True) to user and group (chown -c); returns whether any owner changed."},
	}
}

// fileTool runs one coreutils tool on the target.
func fileTool(th *starlark.Thread, name string, mutate bool, args ...string) (exec.Result, error) {
	e, err := env.From(th)
	if err != nil {
		return exec.Result{}, err
	}
	res, err := tool.Tool{Name: name}.Run(e, tool.Cmd{Args: args}, mutate)
	if err != nil {
		return res, cause(e, err)
	}
	return res, nil
}

// kindOf is what is at p: "dir", "file" (anything else that exists),
// "link" (a dangling link) or "".
func kindOf(th *starlark.Thread, p string) (string, error) {
	for _, k := range []struct{ flag, kind string }{{"-d", "dir"}, {"-e", "file"}, {"-L", "link"}} {
		res, err := fileTool(th, "test", false, k.flag, p)
		if err == nil {
			return k.kind, nil
		}
		if res.Code != 1 {
			return "", err
		}
	}
	return "", nil
}

// paths checks each pair of (value, what) as an operand.
func paths(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := starutil.Operand(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func fileMkdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p string
	var mode starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "path", &p, "mode?", &mode); err != nil {
		return nil, err
	}
	m, err := fileMode(mode)
	if err != nil {
		return nil, err
	}
	if err := paths(p, "a directory path"); err != nil {
		return nil, err
	}
	res, err := fileTool(th, "mkdir", true, "-p", "-v", "--", p)
	if err != nil {
		return nil, err
	}
	changed := len(res.Stdout) > 0
	if m != "" {
		res, err := fileTool(th, "chmod", true, "-c", m, "--", p)
		if err != nil {
			return nil, err
		}
		changed = changed || len(res.Stdout) > 0
	}
	return starlark.Bool(changed), nil
}

func fileSymlink(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var target, p string
	if err := starutil.Unpack(b, args, kwargs, "target", &target, "path", &p); err != nil {
		return nil, err
	}
	if err := paths(target, "a link target", p, "a link path"); err != nil {
		return nil, err
	}
	res, err := fileTool(th, "readlink", false, "--", p)
	if err == nil && strings.TrimSuffix(string(res.Stdout), "\n") == target {
		return starlark.False, nil
	}
	if err == nil {
		// A link pointing elsewhere: ln -sfn replaces the link itself.
		if _, err := fileTool(th, "ln", true, "-sfn", "--", target, p); err != nil {
			return nil, err
		}
		return starlark.True, nil
	}
	k, err := kindOf(th, p)
	if err != nil {
		return nil, err
	}
	if k != "" {
		return nil, fmt.Errorf("%s exists and is no symbolic link (a %s); remove it first (file.remove) if the link should replace it", p, map[string]string{"dir": "directory", "file": "file"}[k])
	}
	if _, err := fileTool(th, "ln", true, "-s", "--", target, p); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

func fileRemove(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p string
	var recursive, confirm bool
	if err := starutil.Unpack(b, args, kwargs, "path", &p, "recursive?", &recursive, "confirm?", &confirm); err != nil {
		return nil, err
	}
	if err := paths(p, "a path to remove"); err != nil {
		return nil, err
	}
	if path.Clean("/"+p) == "/" {
		return nil, fmt.Errorf("refusing to remove %q: it names the root directory", p)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if !e.Confirmed(confirm) {
		return nil, fmt.Errorf("removing %s destroys what it holds; pass confirm = True (or run with --yes)", p)
	}
	argv := []string{"-f", "-v", "--", p}
	if recursive {
		argv = append([]string{"-r"}, argv...)
	}
	res, err := fileTool(th, "rm", true, argv...)
	if err != nil {
		if strings.Contains(string(res.Stderr), "Is a directory") {
			return nil, fmt.Errorf("%s is a directory; pass recursive = True to remove it and everything in it", p)
		}
		return nil, err
	}
	return starlark.Bool(len(res.Stdout) > 0), nil
}

func fileChmod(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p string
	var mode starlark.Value
	var recursive bool
	if err := starutil.Unpack(b, args, kwargs, "path", &p, "mode", &mode, "recursive?", &recursive); err != nil {
		return nil, err
	}
	m, err := fileMode(mode)
	if err != nil {
		return nil, err
	}
	if m == "" {
		return nil, fmt.Errorf("mode: got None, want an int such as 0o644 or a string such as \"0644\"")
	}
	if err := paths(p, "a path"); err != nil {
		return nil, err
	}
	argv := []string{"-c", m, "--", p}
	if recursive {
		argv = append([]string{"-R"}, argv...)
	}
	res, err := fileTool(th, "chmod", true, argv...)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(len(res.Stdout) > 0), nil
}

func fileChown(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p, user, group string
	var recursive bool
	if err := starutil.Unpack(b, args, kwargs, "path", &p, "user", &user, "group??", &group, "recursive?", &recursive); err != nil {
		return nil, err
	}
	if err := paths(p, "a path", user, "a user name"); err != nil {
		return nil, err
	}
	spec := user
	if group != "" {
		if err := starutil.Operand(group, "a group name"); err != nil {
			return nil, err
		}
		spec += ":" + group
	}
	if strings.Contains(user, ":") || strings.Contains(group, ":") {
		return nil, fmt.Errorf("got user %q group %q: give the user and the group apart, without ':'", user, group)
	}
	argv := []string{"-c", "--", spec, p}
	if recursive {
		argv = append([]string{"-R"}, argv...)
	}
	res, err := fileTool(th, "chown", true, argv...)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(len(res.Stdout) > 0), nil
}
