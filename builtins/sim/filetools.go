package sim

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// registerFileTools installs ln, readlink, cp and mv, answering as GNU
// coreutils 9.1 does (messages and exit codes checked against the real
// tools): the one fake of each for every module.
func registerFileTools(h *Host) {
	h.Register("ln", ln)
	h.Register("readlink", readlink)
	h.Register("cp", cp)
	h.Register("mv", mv)
}

// kind is what lstat (follow false) or stat finds at p: "file", "dir",
// "link" (lstat only), "" for nothing, "loop" for ELOOP.
func (h *Host) kind(p string, follow bool) string {
	r, err := h.resolve(p, follow)
	switch {
	case err == errEmpty:
		return ""
	case err != nil:
		return "loop"
	case !follow && h.isLink(r):
		return "link"
	case h.files[r] != nil:
		return "file"
	case h.IsDir(r):
		return "dir"
	}
	return ""
}

// usage is coreutils' answer to a missing operand.
func usage(tool, msg string) exec.Result {
	return Fail(1, fmt.Sprintf("%s: %s\nTry '%s --help' for more information.\n", tool, msg, tool))
}

func ln(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:], "-S", "--suffix", "-t", "--target-directory")
	_, sym := opts["-s"]
	_, sym2 := opts["--symbolic"]
	_, force := opts["-f"]
	_, force2 := opts["--force"]
	_, noDeref := opts["-n"]
	sym, force = sym || sym2, force || force2
	if len(ops) == 0 {
		return usage("ln", "missing file operand")
	}
	if len(ops) == 1 {
		return Fail(1, "ln: the simulated host needs ln [-s] [-f] TARGET LINK_NAME (it has no working directory)\n")
	}
	dest := ops[len(ops)-1]
	srcs := ops[:len(ops)-1]
	intoDir := h.kind(dest, !noDeref) == "dir"
	if len(srcs) > 1 && !intoDir {
		return notDir(h, "ln", dest)
	}
	what := "hard link"
	if sym {
		what = "symbolic link"
	}
	for _, src := range srcs {
		name := dest
		if intoDir {
			name = path.Join(dest, path.Base(src))
		}
		if !sym {
			switch h.kind(src, true) {
			case "", "loop":
				return Fail(1, fmt.Sprintf("ln: failed to access '%s': No such file or directory\n", src))
			case "dir":
				return Fail(1, fmt.Sprintf("ln: %s: hard link not allowed for directory\n", src))
			}
		}
		if r, _ := h.resolve(name, false); !h.IsDir(path.Dir(r)) {
			return Fail(1, fmt.Sprintf("ln: failed to create %s '%s': No such file or directory\n", what, name))
		}
		if k := h.kind(name, false); k != "" {
			if !force || k == "dir" {
				return Fail(1, fmt.Sprintf("ln: failed to create %s '%s': File exists\n", what, name))
			}
			h.RemoveFile(name)
		}
		if sym && src == "" {
			return Fail(1, fmt.Sprintf("ln: failed to create symbolic link '%s' -> '': No such file or directory\n", name))
		}
		if sym {
			h.Symlink(src, name)
			continue
		}
		// A hard link shares the file: a write through either name shows
		// through the other (saved worlds keep two copies).
		r, _ := h.resolve(name, false)
		h.files[r] = h.files[h.real(src)]
	}
	return OK("")
}

func readlink(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:])
	if len(ops) == 0 {
		return usage("readlink", "missing operand")
	}
	_, canon := opts["-f"]
	_, canon2 := opts["--canonicalize"]
	var out strings.Builder
	code := 0
	for _, p := range ops {
		if canon || canon2 {
			// -f: every component but the last must exist.
			r, err := h.resolve(p, true)
			if err != nil || !h.IsDir(path.Dir(r)) {
				code = 1
				continue
			}
			out.WriteString(r + "\n")
			continue
		}
		t, ok := h.Readlink(p)
		if !ok {
			code = 1
			continue
		}
		out.WriteString(t + "\n")
	}
	return exec.Result{Code: code, Stdout: []byte(out.String())}
}

func (h *Host) isLink(resolved string) bool {
	_, ok := h.links[resolved]
	return ok
}

// notDir is coreutils' answer to several sources and a DEST that is no
// directory.
func notDir(h *Host, tool, dest string) exec.Result {
	if h.kind(dest, true) == "" {
		return Fail(1, fmt.Sprintf("%s: target '%s': No such file or directory\n", tool, dest))
	}
	return Fail(1, fmt.Sprintf("%s: target '%s': Not a directory\n", tool, dest))
}
