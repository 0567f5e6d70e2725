package sim

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// chown and stat -c: who owns what. Paths not in Accounts.Owners belong to
// root:root, as everything a root recipe makes does.

func registerOwners(h *Host) {
	h.Register("chown", chown)
	h.Register("stat", stat)
}

// owner returns the user and group of a resolved path.
func (h *Host) owner(p string) (string, string) {
	if o, ok := h.users.Owners[p]; ok {
		u, g, _ := strings.Cut(o, ":")
		return u, g
	}
	return "root", "root"
}

func chown(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:])
	recursive := false
	for k := range opts {
		switch k {
		case "-R", "--recursive":
			recursive = true
		default:
			return Fail(1, fmt.Sprintf("chown: the simulated host supports only chown [-R] [--] USER[:GROUP] FILE..., not %s\n", k))
		}
	}
	if len(ops) < 2 {
		return Fail(1, "chown: missing operand\nTry 'chown --help' for more information.\n")
	}
	spec := ops[0]
	user, group, hasGroup := strings.Cut(spec, ":")
	if !hasGroup {
		user, group, hasGroup = strings.Cut(spec, ".") // the seed's reposer.reposer
	}
	u, ok := h.users.User(user)
	if !ok {
		return Fail(1, fmt.Sprintf("chown: invalid user: %s\n", quoteGNU(spec)))
	}
	if hasGroup && group == "" {
		group = user // "user:" is the user's login group
	}
	if hasGroup {
		if _, ok := h.users.User(group); !ok && group != "root" {
			return Fail(1, fmt.Sprintf("chown: invalid group: %s\n", quoteGNU(spec)))
		}
	}
	var errs strings.Builder
	for _, p := range ops[1:] {
		if !pathExists(h, p) && !h.isLink(path.Clean(p)) {
			fmt.Fprintf(&errs, "chown: cannot access %s: No such file or directory\n", quoteGNU(p))
			continue
		}
		targets := []string{h.real(p)}
		if recursive && h.IsDir(p) {
			files, links, dirs := h.under(h.real(p))
			targets = append(append(append(targets, files...), links...), dirs...)
		}
		for _, t := range targets {
			_, g := h.owner(t)
			if hasGroup {
				g = group
			}
			if h.users.Owners == nil {
				h.users.Owners = map[string]string{}
			}
			h.users.Owners[t] = u.Name + ":" + g
		}
	}
	if errs.Len() > 0 {
		return Fail(1, errs.String())
	}
	return OK("")
}

// quoteGNU quotes as coreutils' quote() does for plain names.
func quoteGNU(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// stat answers `stat -c FORMAT FILE...` for %n %U %G %u %g %a %F.
func stat(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, files := Getopt(c.Argv[1:], "-c", "--format")
	format, ok := opts["-c"]
	if f, ok2 := opts["--format"]; ok2 {
		format, ok = f, true
	}
	if !ok || len(opts) != 1 || len(files) == 0 {
		return Fail(1, "stat: the simulated host supports only stat -c FORMAT FILE...\n")
	}
	var out, errs strings.Builder
	for _, f := range files {
		if !pathExists(h, f) {
			fmt.Fprintf(&errs, "stat: cannot statx %s: No such file or directory\n", quoteGNU(f))
			continue
		}
		out.WriteString(h.statLine(f, format) + "\n")
	}
	r := OK(out.String())
	if errs.Len() > 0 {
		r.Code, r.Stderr = 1, []byte(errs.String())
	}
	return r
}

func (h *Host) statLine(f, format string) string {
	user, group := h.owner(h.real(f))
	id := func(name string) string {
		if u, ok := h.users.User(name); ok {
			return strconv.Itoa(u.UID)
		}
		return "0"
	}
	kind, mode := "regular file", uint32(0o644)
	if h.IsDir(f) {
		kind, mode = "directory", 0o755
	} else if m, ok := h.FileMode(f); ok {
		mode = m
	}
	r := strings.NewReplacer("%n", f, "%U", user, "%G", group, "%u", id(user), "%g", id(group),
		"%a", strconv.FormatUint(uint64(mode&0o7777), 8), "%F", kind, "%%", "%")
	return r.Replace(format)
}
