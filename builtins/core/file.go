package core

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// The file module works through the executor (cat, dd, test, chmod), so it
// acts on the target: the simulated host under --sim, later a remote one.
func fileModule() *starutil.Module {
	return &starutil.Module{Name: "file", Doc: "files on the target host", Funcs: append([]starutil.Func{
		{Name: "read", Params: "(path)", Impl: fileRead, Doc: "Returns the content of a file on the target."},
		{Name: "write", Params: "(path, content, mode = None)", Impl: fileWrite,
			Doc: "Writes content to a file on the target, replacing it; mode is an int such as 0o644 or a string such as \"0644\"."},
		{Name: "exists", Params: "(path)", Impl: fileExists, Doc: "Reports whether a path exists on the target."},
		{Name: "ensure_line", Params: "(path, line, match = None)", Impl: fileEnsureLine,
			Doc: "Makes line present: replaces the first line matching the regexp match, keeps an exact copy, else appends; returns whether the file changed."},
		{Name: "replace", Params: "(path, pattern, replacement, groups = False)", Impl: fileReplace,
			Doc: "Replaces every match of a multiline regexp with replacement, taken literally ($ is a $); with groups = True, $1 and ${name} refer to groups and $$ is a $. Writes and returns True only when something changed."},
	}, fileOpFuncs()...)}
}

// files runs file commands for one builtin call, or transfers the file
// when the target offers it (SFTP on an SSH host without become).
type files struct {
	e  *env.Env
	ft exec.Files // nil: cat, dd and test through the executor
}

func newFiles(th *starlark.Thread) (*files, error) {
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	return &files{e: e, ft: exec.FilesOf(e.Target.Exec)}, nil
}

func (f *files) run(c exec.Cmd) (exec.Result, error) {
	res, err := f.e.Run(c)
	if err != nil {
		return res, cause(f.e, err)
	}
	return res, nil
}

// read returns the content, and ok = false when the file does not exist.
func (f *files) read(path string) (content []byte, ok bool, err error) {
	if f.ft != nil {
		f.trace("read", path)
		data, err := f.ft.ReadFile(f.e.Context(), path, f.e.Limits.MaxOutput())
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, f.transferErr("read", path, err)
		}
		return data, true, nil
	}
	res, err := f.run(exec.Cmd{Argv: []string{"cat", "--", path}})
	if err != nil {
		return nil, false, err
	}
	if res.Code != 0 {
		if bytes.Contains(res.Stderr, []byte("No such file or directory")) {
			return nil, false, nil
		}
		return nil, false, exec.Check(res)
	}
	return res.Stdout, true, nil
}

func (f *files) mustRead(path string) ([]byte, error) {
	data, ok, err := f.read(path)
	if err == nil && !ok {
		err = fmt.Errorf("no such file: %s", path)
	}
	return data, err
}

func (f *files) write(path string, data []byte, mode string) error {
	if f.ft != nil {
		var m uint64
		if mode != "" {
			var err error
			if m, err = strconv.ParseUint(mode, 8, 32); err != nil {
				return fmt.Errorf("invalid mode %q", mode)
			}
		}
		f.trace("write", path)
		if err := f.ft.WriteFile(f.e.Context(), path, data, fs.FileMode(m), mode != ""); err != nil {
			return f.transferErr("write", path, err)
		}
		return nil
	}
	res, err := f.run(exec.Cmd{Argv: []string{"dd", "status=none", "of=" + path}, Stdin: data, Mutate: true})
	if err == nil {
		err = exec.Check(res)
	}
	if err == nil && mode != "" {
		res, err = f.run(exec.Cmd{Argv: []string{"chmod", mode, path}, Mutate: true})
		if err == nil {
			err = exec.Check(res)
		}
	}
	return err
}

func fileRead(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path string
	if err := starutil.Unpack(b, args, kwargs, "path", &path); err != nil {
		return nil, err
	}
	f, err := newFiles(th)
	if err != nil {
		return nil, err
	}
	data, err := f.mustRead(path)
	if err != nil {
		return nil, err
	}
	return starlark.String(data), nil
}

func fileWrite(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path, content string
	var mode starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "path", &path, "content", &content, "mode?", &mode); err != nil {
		return nil, err
	}
	m, err := fileMode(mode)
	if err != nil {
		return nil, err
	}
	f, err := newFiles(th)
	if err != nil {
		return nil, err
	}
	if err := f.write(path, []byte(content), m); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// fileMode renders mode as chmod's octal text: 0o644 and "0644" both give
// "0644"; None gives "" (leave the mode alone).
func fileMode(v starlark.Value) (string, error) {
	var n uint64
	switch v := v.(type) {
	case starlark.NoneType:
		return "", nil
	case starlark.Int:
		i, ok := v.Uint64()
		if !ok {
			return "", fmt.Errorf("mode %s out of range", v)
		}
		n = i
	case starlark.String:
		i, err := strconv.ParseUint(string(v), 8, 32)
		if err != nil {
			return "", fmt.Errorf("invalid mode %q (want octal such as \"0644\")", string(v))
		}
		n = i
	default:
		return "", fmt.Errorf("mode: got %s, want int such as 0o644 or string such as \"0644\"", v.Type())
	}
	if n > 0o7777 {
		return "", fmt.Errorf("mode %#o out of range (want at most 0o7777)", n)
	}
	return fmt.Sprintf("%04o", n), nil
}

func fileExists(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path string
	if err := starutil.Unpack(b, args, kwargs, "path", &path); err != nil {
		return nil, err
	}
	f, err := newFiles(th)
	if err != nil {
		return nil, err
	}
	if f.ft != nil {
		f.trace("stat", path)
		_, err := f.ft.Stat(f.e.Context(), path)
		switch {
		case err == nil:
			return starlark.True, nil
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
			// test -e is false for any path it cannot stat.
			return starlark.False, nil
		}
		return nil, f.transferErr("stat", path, err)
	}
	res, err := f.run(exec.Cmd{Argv: []string{"test", "-e", path}})
	if err != nil {
		return nil, err
	}
	switch res.Code {
	case 0:
		return starlark.True, nil
	case 1:
		return starlark.False, nil
	}
	return nil, fmt.Errorf("%w", exec.Check(res))
}

func fileEnsureLine(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path, line, match string
	if err := starutil.Unpack(b, args, kwargs, "path", &path, "line", &line, "match??", &match); err != nil {
		return nil, err
	}
	if strings.Contains(line, "\n") {
		return nil, fmt.Errorf("line must not contain a newline")
	}
	var re *regexp.Regexp
	if match != "" {
		var err error
		if re, err = regexp.Compile(match); err != nil {
			return nil, fmt.Errorf("invalid match regexp: %w", err)
		}
	}
	f, err := newFiles(th)
	if err != nil {
		return nil, err
	}
	data, _, err := f.read(path)
	if err != nil {
		return nil, err
	}
	out, changed := ensureLine(string(data), line, re)
	if !changed {
		return starlark.False, nil
	}
	if err := f.write(path, []byte(out), ""); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

// ensureLine is the pure part of file.ensure_line.
func ensureLine(text, line string, re *regexp.Regexp) (string, bool) {
	lines := strings.SplitAfter(text, "\n")
	if re != nil {
		for i, l := range lines {
			body := strings.TrimSuffix(l, "\n")
			if re.MatchString(body) {
				if body == line {
					return text, false
				}
				lines[i] = line + l[len(body):]
				return strings.Join(lines, ""), true
			}
		}
	}
	for _, l := range lines {
		if strings.TrimSuffix(l, "\n") == line {
			return text, false
		}
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text + line + "\n", true
}

func fileReplace(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path, pattern, replacement string
	groups := false
	if err := starutil.Unpack(b, args, kwargs, "path", &path, "pattern", &pattern, "replacement", &replacement, "groups?", &groups); err != nil {
		return nil, err
	}
	re, err := regexp.Compile("(?m)" + pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid pattern: %w", err)
	}
	f, err := newFiles(th)
	if err != nil {
		return nil, err
	}
	data, err := f.mustRead(path)
	if err != nil {
		return nil, err
	}
	// Literal by default: config lines are full of $ ($prog, $HOME), and a
	// group reference that matches nothing silently drops the text.
	out := re.ReplaceAllLiteral(data, []byte(replacement))
	if groups {
		out = re.ReplaceAll(data, []byte(replacement))
	}
	if bytes.Equal(out, data) {
		return starlark.False, nil
	}
	if err := f.write(path, out, ""); err != nil {
		return nil, err
	}
	return starlark.True, nil
}
