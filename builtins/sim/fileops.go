package sim

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// mkdir, rm and chmod as GNU coreutils 9.1 answer under LC_ALL=C,
// including the -v/-c reports file.* reads to tell a change from a no-op
// (checked against the real tools in fileops_test.go).

func registerFileOps(h *Host) {
	h.Register("mkdir", mkdirCmd)
	h.Register("rm", rmCmd)
	h.Register("chmod", chmodCmd)
}

// dirMode is a directory's mode: 0755 unless chmod or mkdir -m set one.
func (h *Host) dirMode(resolved string) uint32 {
	if m, ok := h.users.DirModes[resolved]; ok {
		return m
	}
	return 0o755
}

func (h *Host) setDirMode(resolved string, m uint32) {
	if h.users.DirModes == nil {
		h.users.DirModes = map[string]uint32{}
	}
	h.users.DirModes[resolved] = m
}

func mkdirCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:], "-m", "--mode")
	var parents, verbose bool
	mode := uint32(0)
	for k, v := range opts {
		switch k {
		case "-p", "--parents":
			parents = true
		case "-v", "--verbose":
			verbose = true
		case "-m", "--mode":
			m, err := strconv.ParseUint(v, 8, 32)
			if err != nil || m > 0o7777 {
				return Fail(1, fmt.Sprintf("mkdir: invalid mode '%s'\n", v))
			}
			mode = uint32(m)
		default:
			return Fail(1, fmt.Sprintf("mkdir: the simulated host does not support option %s\n", k))
		}
	}
	if len(ops) == 0 {
		return usage("mkdir", "missing operand")
	}
	var out, errs strings.Builder
	for _, p := range ops {
		if at, msg := h.mkdirOne(p, parents, verbose, mode, &out); msg != "" {
			fmt.Fprintf(&errs, "mkdir: cannot create directory '%s': %s\n", at, msg)
		}
	}
	r := OK(out.String())
	if errs.Len() > 0 {
		r.Code, r.Stderr = 1, []byte(errs.String())
	}
	return r
}

// mkdirOne makes p (and with parents its missing parents, reported one by
// one as mkdir -v does); it returns the path the error is about and its
// text, "" on success.
func (h *Host) mkdirOne(p string, parents, verbose bool, mode uint32, out *strings.Builder) (string, string) {
	if p == "" {
		return p, "No such file or directory"
	}
	// The components to make, outermost first, as written.
	var todo []string
	for q := strings.TrimRight(p, "/"); ; q = path.Dir(q) {
		if q == "" || q == "/" || q == "." {
			break
		}
		switch h.kind(q, true) {
		case "dir":
		case "":
			todo = append([]string{q}, todo...)
			if parents {
				continue
			}
		case "loop":
			return p, "Too many levels of symbolic links"
		default:
			if len(todo) == 0 {
				return p, "File exists"
			}
			// mkdir -p names the component that is no directory.
			return q, "Not a directory"
		}
		break
	}
	if len(todo) == 0 {
		if parents {
			return "", ""
		}
		return p, "File exists"
	}
	if !parents && (len(todo) > 1 || !h.IsDir(path.Dir(h.real(p)))) {
		return p, "No such file or directory"
	}
	for i, q := range todo {
		h.MakeDir(q)
		if i == len(todo)-1 && mode != 0 {
			h.setDirMode(h.real(q), mode)
		}
		if verbose {
			fmt.Fprintf(out, "mkdir: created directory '%s'\n", q)
		}
	}
	return "", ""
}

func rmCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:])
	var recursive, force, verbose bool
	for k := range opts {
		switch k {
		case "-r", "-R", "--recursive":
			recursive = true
		case "-f", "--force":
			force = true
		case "-v", "--verbose":
			verbose = true
		default:
			return Fail(1, fmt.Sprintf("rm: the simulated host does not support option %s\n", k))
		}
	}
	if len(ops) == 0 {
		if force {
			return OK("")
		}
		return usage("rm", "missing operand")
	}
	var out, errs strings.Builder
	for _, p := range ops {
		k := h.kind(p, false)
		switch {
		case k == "" && force:
		case k == "":
			fmt.Fprintf(&errs, "rm: cannot remove '%s': No such file or directory\n", p)
		case k == "dir" && recursive && h.real(p) == "/":
			errs.WriteString("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n")
		case k == "dir" && !recursive:
			fmt.Fprintf(&errs, "rm: cannot remove '%s': Is a directory\n", p)
		case k == "dir":
			h.removeTree(p, verbose, &out)
		default:
			h.RemoveFile(p)
			if verbose {
				fmt.Fprintf(&out, "removed '%s'\n", p)
			}
		}
	}
	r := OK(out.String())
	if errs.Len() > 0 {
		r.Code, r.Stderr = 1, []byte(errs.String())
	}
	return r
}

// removeTree removes the directory p and everything below it, reporting
// as rm -rv does: files before their directory, deepest first.
func (h *Host) removeTree(p string, verbose bool, out *strings.Builder) {
	root := h.real(p)
	files, links, dirs := h.under(root)
	shown := func(q string) string { return strings.TrimRight(p, "/") + strings.TrimPrefix(q, root) }
	for _, f := range append(files, links...) {
		delete(h.files, f)
		delete(h.links, f)
		delete(h.users.Owners, f)
		if verbose {
			fmt.Fprintf(out, "removed '%s'\n", shown(f))
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		delete(h.dirs, dirs[i])
		delete(h.users.DirModes, dirs[i])
		delete(h.users.Owners, dirs[i])
		if verbose {
			fmt.Fprintf(out, "removed directory '%s'\n", shown(dirs[i]))
		}
	}
	delete(h.dirs, root)
	delete(h.users.DirModes, root)
	delete(h.users.Owners, root)
	if verbose {
		fmt.Fprintf(out, "removed directory '%s'\n", p)
	}
}

func chmodCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:])
	var recursive, changes bool
	for k := range opts {
		switch k {
		case "-R", "--recursive":
			recursive = true
		case "-c", "--changes":
			changes = true
		default:
			return Fail(1, fmt.Sprintf("chmod: the simulated host supports only chmod [-cR] OCTAL-MODE FILE..., not %s\n", k))
		}
	}
	switch len(ops) {
	case 0:
		return usage("chmod", "missing operand")
	case 1:
		return usage("chmod", fmt.Sprintf("missing operand after '%s'", ops[0]))
	}
	m, err := strconv.ParseUint(ops[0], 8, 32)
	if err != nil || m > 0o7777 {
		return usage("chmod", fmt.Sprintf("invalid mode: '%s'", ops[0]))
	}
	mode := uint32(m)
	var out, errs strings.Builder
	for _, p := range ops[1:] {
		switch h.kind(p, true) {
		case "", "loop":
			fmt.Fprintf(&errs, "chmod: cannot access '%s': No such file or directory\n", p)
			continue
		}
		targets := []string{p}
		if recursive && h.IsDir(p) {
			root := h.real(p)
			files, _, dirs := h.under(root)
			// GNU chmod -R walks depth-first in directory order; the
			// fake reports in path order, which differs only in order.
			for _, q := range append(dirs, files...) {
				targets = append(targets, strings.TrimRight(p, "/")+strings.TrimPrefix(q, root))
			}
		}
		for _, q := range targets {
			old, mode := h.modeOf(q), mode
			if h.IsDir(q) && len(ops[0]) < 5 {
				// A directory keeps its set-ID bits unless the mode
				// spells them out with five digits (chmod(1)).
				mode |= old & 0o6000
			}
			if old == mode {
				continue
			}
			if h.IsDir(q) {
				h.setDirMode(h.real(q), mode)
			} else {
				h.files[h.real(q)].Mode = mode
			}
			if changes {
				fmt.Fprintf(&out, "mode of '%s' changed from %04o (%s) to %04o (%s)\n", q, old, rwx(old), mode, rwx(mode))
			}
		}
	}
	r := OK(out.String())
	if errs.Len() > 0 {
		r.Code, r.Stderr = 1, []byte(errs.String())
	}
	return r
}

// modeOf is the permission bits of a file or directory (links followed).
func (h *Host) modeOf(p string) uint32 {
	if h.IsDir(p) {
		return h.dirMode(h.real(p))
	}
	if f, ok := h.files[h.real(p)]; ok {
		return f.Mode & 0o7777
	}
	return 0
}

// rwx renders mode bits as ls does without the type letter: "rw-r--r--".
func rwx(m uint32) string {
	b := []byte("rwxrwxrwx")
	for i := range b {
		if m&(1<<(8-i)) == 0 {
			b[i] = '-'
		}
	}
	for _, s := range []struct {
		bit uint32
		at  int
		set byte
	}{{0o4000, 2, 's'}, {0o2000, 5, 's'}, {0o1000, 8, 't'}} {
		if m&s.bit != 0 {
			if b[s.at] == 'x' {
				b[s.at] = s.set
			} else {
				b[s.at] = s.set - 'a' + 'A'
			}
		}
	}
	return string(b)
}
