package sim

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// umask is the simulated shell's: cp gives a new file its source's mode
// less these bits unless it preserves modes (-p, -a).
const umask = 0o022

// copyOpts are the cp options the fake honours.
type copyOpts struct {
	recursive, preserve, noDeref bool
}

func cp(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:], "-S", "--suffix", "-t", "--target-directory")
	var o copyOpts
	for k, v := range opts {
		switch k {
		case "-r", "-R", "--recursive":
			o.recursive, o.noDeref = true, true
		case "-a", "--archive":
			o.recursive, o.preserve, o.noDeref = true, true, true
		case "-p":
			o.preserve = true
		case "--preserve":
			o.preserve = v == "" || strings.Contains(v, "mode") || v == "all"
		case "-d", "-P", "--no-dereference":
			o.noDeref = true
		}
	}
	if _, ok := opts["-L"]; ok {
		o.noDeref = false
	}
	return transfer(h, "cp", ops, func(src, dst string) *exec.Result {
		return h.copyOne(src, dst, o)
	})
}

func mv(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	_, ops := Getopt(c.Argv[1:], "-S", "--suffix", "-t", "--target-directory")
	return transfer(h, "mv", ops, h.moveOne)
}

// transfer checks cp's and mv's operands as coreutils does and calls one
// for each source with its destination (into a directory if DEST is one).
func transfer(h *Host, tool string, ops []string, one func(src, dst string) *exec.Result) exec.Result {
	switch len(ops) {
	case 0:
		return usage(tool, "missing file operand")
	case 1:
		return usage(tool, fmt.Sprintf("missing destination file operand after '%s'", ops[0]))
	}
	dest := ops[len(ops)-1]
	srcs := ops[:len(ops)-1]
	intoDir := h.kind(dest, true) == "dir"
	if len(srcs) > 1 && !intoDir {
		return notDir(h, tool, dest)
	}
	for _, src := range srcs {
		dst := dest
		if intoDir {
			dst = path.Join(dest, path.Base(src))
		}
		if r := one(src, dst); r != nil {
			return *r
		}
	}
	return OK("")
}

func failf(format string, a ...any) *exec.Result {
	r := Fail(1, fmt.Sprintf(format, a...))
	return &r
}

// copyOne copies src to dst: a file (its mode preserved or masked), a
// link as a link (noDeref) or a directory tree (recursive).
func (h *Host) copyOne(src, dst string, o copyOpts) *exec.Result {
	k := h.kind(src, !o.noDeref)
	switch k {
	case "":
		return failf("cp: cannot stat '%s': No such file or directory\n", src)
	case "loop":
		return failf("cp: cannot stat '%s': Too many levels of symbolic links\n", src)
	case "dir":
		if !o.recursive {
			return failf("cp: -r not specified; omitting directory '%s'\n", src)
		}
	}
	rs, _ := h.resolve(src, !o.noDeref)
	rd, err := h.resolve(dst, k != "link")
	if err != nil {
		return failf("cp: cannot create regular file '%s': Too many levels of symbolic links\n", dst)
	}
	if rs == rd {
		return failf("cp: '%s' and '%s' are the same file\n", src, dst)
	}
	if !h.IsDir(path.Dir(rd)) {
		return failf("cp: cannot create regular file '%s': No such file or directory\n", dst)
	}
	dk := h.kind(dst, false)
	switch {
	case k == "dir" && dk != "" && dk != "dir":
		return failf("cp: cannot overwrite non-directory '%s' with directory '%s'\n", dst, src)
	case k != "dir" && dk == "dir":
		return failf("cp: cannot overwrite directory '%s' with non-directory\n", dst)
	case k == "dir" && strings.HasPrefix(rd+"/", rs+"/"):
		return failf("cp: cannot copy a directory, '%s', into itself, '%s'\n", src, dst)
	}
	switch k {
	case "link":
		h.RemoveFile(rd)
		h.links[rd] = h.links[rs]
	case "file":
		f := h.files[rs]
		mode := f.Mode
		if old, ok := h.files[rd]; ok && !o.preserve {
			mode = old.Mode // an existing file keeps its mode
		} else if !o.preserve {
			mode &^= umask
		}
		h.WriteFile(rd, f.Data, mode)
	case "dir":
		h.MakeDir(rd)
		files, links, dirs := h.under(rs)
		for _, d := range dirs {
			h.MakeDir(rd + strings.TrimPrefix(d, rs))
		}
		for _, l := range links {
			h.links[rd+strings.TrimPrefix(l, rs)] = h.links[l]
		}
		for _, p := range files {
			f := h.files[p]
			mode := f.Mode
			if !o.preserve {
				mode &^= umask
			}
			h.files[rd+strings.TrimPrefix(p, rs)] = &File{Data: append([]byte(nil), f.Data...), Mode: mode}
		}
	}
	return nil
}

// moveOne renames src (a file, a link, or a directory with everything
// below it) to dst.
func (h *Host) moveOne(src, dst string) *exec.Result {
	k := h.kind(src, false)
	if k == "" || k == "loop" {
		return failf("mv: cannot stat '%s': No such file or directory\n", src)
	}
	rs, _ := h.resolve(src, false)
	rd, err := h.resolve(dst, false)
	if err != nil || !h.IsDir(path.Dir(rd)) {
		return failf("mv: cannot move '%s' to '%s': No such file or directory\n", src, dst)
	}
	dk := h.kind(dst, false)
	switch {
	case rs == rd:
		return failf("mv: '%s' and '%s' are the same file\n", src, dst)
	case k == "dir" && strings.HasPrefix(rd, rs+"/"):
		return failf("mv: cannot move '%s' to a subdirectory of itself, '%s'\n", src, dst)
	case k == "dir" && dk != "" && dk != "dir":
		return failf("mv: cannot overwrite non-directory '%s' with directory '%s'\n", dst, src)
	case k != "dir" && dk == "dir":
		return failf("mv: cannot overwrite directory '%s' with non-directory\n", dst)
	}
	switch k {
	case "link":
		h.RemoveFile(rd)
		h.links[rd] = h.links[rs]
		delete(h.links, rs)
	case "file":
		h.RemoveFile(rd)
		h.files[rd] = h.files[rs]
		delete(h.files, rs)
	case "dir":
		files, links, dirs := h.under(rs)
		h.MakeDir(rd)
		for _, d := range dirs {
			h.dirs[rd+strings.TrimPrefix(d, rs)] = true
			delete(h.dirs, d)
		}
		for _, l := range links {
			h.links[rd+strings.TrimPrefix(l, rs)] = h.links[l]
			delete(h.links, l)
		}
		for _, p := range files {
			h.files[rd+strings.TrimPrefix(p, rs)] = h.files[p]
			delete(h.files, p)
		}
		delete(h.dirs, rs)
	}
	return nil
}
