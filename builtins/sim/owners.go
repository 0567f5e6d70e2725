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
	recursive, changes := false, false
	for k := range opts {
		switch k {
		case "-R", "--recursive":
			recursive = true
		case "-c", "--changes":
			changes = true
		default:
			return Fail(1, fmt.Sprintf("chown: the simulated host supports only chown [-cR] [--] USER[:GROUP] FILE..., not %s\n", k))
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
	var out, errs strings.Builder
	for _, p := range ops[1:] {
		if !pathExists(h, p) && !h.isLink(path.Clean(p)) {
			fmt.Fprintf(&errs, "chown: cannot access %s: No such file or directory\n", quoteGNU(p))
			continue
		}
		root := h.real(p)
		targets := []string{root}
		if recursive && h.IsDir(p) {
			// GNU chown -R reports a directory after what it holds.
			files, links, dirs := h.under(root)
			targets = append(append(append(files, links...), dirs...), root)
		}
		for _, t := range targets {
			ou, og := h.owner(t)
			g := og
			if hasGroup {
				g = group
			}
			if ou == u.Name && og == g {
				continue
			}
			if h.users.Owners == nil {
				h.users.Owners = map[string]string{}
			}
			h.users.Owners[t] = u.Name + ":" + g
			if f, ok := h.files[t]; ok {
				// The kernel drops set-user-ID on a change of owner, and
				// set-group-ID when group execution is on.
				f.Mode &^= 0o4000
				if f.Mode&0o010 != 0 {
					f.Mode &^= 0o2000
				}
			}
			if changes {
				// chown -c names what the spec named: the user alone, or
				// user:group; paths as given.
				from, to := ou, u.Name
				if hasGroup {
					from, to = ou+":"+og, u.Name+":"+g
				}
				shown := strings.TrimRight(p, "/") + strings.TrimPrefix(t, root)
				fmt.Fprintf(&out, "changed ownership of %s from %s to %s\n", quoteGNU(shown), from, to)
			}
		}
	}
	r := OK(out.String())
	if errs.Len() > 0 {
		r.Code, r.Stderr = 1, []byte(errs.String())
	}
	return r
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
		kind, mode = "directory", h.dirMode(h.real(f))
	} else if m, ok := h.FileMode(f); ok {
		mode = m
	}
	r := strings.NewReplacer("%n", f, "%U", user, "%G", group, "%u", id(user), "%g", id(group),
		"%a", strconv.FormatUint(uint64(mode&0o7777), 8), "%F", kind, "%%", "%")
	return r.Replace(format)
}
