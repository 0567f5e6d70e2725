package sim

import (
	"errors"
	"path"
	"sort"
	"strings"
)

// The simulated file system: regular files with modes, directories and
// symbolic links. Paths are absolute (a relative one is taken from /, as
// the fakes have no working directory); every accessor follows symbolic
// links as the kernel does, except where a tool works on the link itself
// (ln, readlink, rm, mv, test -L).

// errLoop is ELOOP: a chain of links longer than the kernel follows;
// errEmpty is the kernel's ENOENT for an empty path (never "/").
var (
	errLoop  = errors.New("Too many levels of symbolic links")
	errEmpty = errors.New("No such file or directory")
)

// maxHops is the kernel's MAXSYMLINKS.
const maxHops = 40

// resolve returns the path p names once every symbolic link in it is
// followed; the last component's link is followed only with followLast.
func (h *Host) resolve(p string, followLast bool) (string, error) {
	if p == "" {
		return "", errEmpty
	}
	if h.cwd != "" && !strings.HasPrefix(p, "/") {
		p = h.cwd + "/" + p // run(cwd = ...): relative to the command's directory
	}
	p = path.Clean("/" + p)
	for hops := 0; ; {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		cur, changed := "/", false
		for i, part := range parts {
			next := path.Join(cur, part)
			target, isLink := h.links[next]
			if !isLink || (i == len(parts)-1 && !followLast) {
				cur = next
				continue
			}
			if hops++; hops > maxHops {
				return "", errLoop
			}
			if !strings.HasPrefix(target, "/") {
				target = path.Join(cur, target)
			}
			p, changed = path.Join(append([]string{target}, parts[i+1:]...)...), true
			break
		}
		if !changed {
			return cur, nil
		}
	}
}

// real is resolve with links followed; a loop or an empty path yields a
// path that names nothing, so callers report "No such file" (tools that
// care call resolve).
func (h *Host) real(p string) string {
	r, err := h.resolve(p, true)
	if err != nil {
		return "/\x00none"
	}
	return r
}

// ReadFile returns a file's content; the host must be locked (tools are).
func (h *Host) ReadFile(p string) ([]byte, bool) {
	f, ok := h.files[h.real(p)]
	if !ok {
		return nil, false
	}
	return f.Data, true
}

// WriteFile creates or replaces a file (through a link, its target); the
// host must be locked. Mode 0 keeps an existing file's mode, else 0644.
func (h *Host) WriteFile(p string, data []byte, mode uint32) {
	p, err := h.resolve(p, true)
	if err != nil {
		return // nowhere to write: callers check (dd reports the loop)
	}
	if f, ok := h.files[p]; ok {
		// Same inode: a hard link to it sees the new content too.
		f.Data = append([]byte(nil), data...)
		if mode != 0 {
			f.Mode = mode
		}
		return
	}
	if mode == 0 {
		mode = 0o644
	}
	h.files[p] = &File{Data: append([]byte(nil), data...), Mode: mode}
}

// FileMode returns a file's mode; the host must be locked.
func (h *Host) FileMode(p string) (uint32, bool) {
	f, ok := h.files[h.real(p)]
	if !ok {
		return 0, false
	}
	return f.Mode, true
}

// MakeDir records a directory (and its parents); the host must be locked.
func (h *Host) MakeDir(p string) {
	if p == "" {
		return
	}
	for p = h.real(p); p != "/" && p != "."; p = path.Dir(p) {
		h.dirs[p] = true
	}
}

// IsDir reports whether p is a directory: made by MakeDir or holding a
// file or link. The host must be locked.
func (h *Host) IsDir(p string) bool {
	p = h.real(p)
	if p == "/" || h.dirs[p] {
		return true
	}
	prefix := p + "/"
	for f := range h.files {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	for l := range h.links {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// RemoveFile deletes a file, or a link itself (not its target); the host
// must be locked.
func (h *Host) RemoveFile(p string) {
	p, err := h.resolve(p, false)
	if err != nil {
		return
	}
	if _, ok := h.links[p]; ok {
		delete(h.links, p)
		return
	}
	delete(h.files, p)
}

// Symlink makes p a symbolic link to target (kept as written, relative or
// not); the host must be locked. It replaces nothing: callers check.
func (h *Host) Symlink(target, p string) {
	p, _ = h.resolve(p, false)
	h.links[p] = target
}

// Readlink returns the target of the link at p; the host must be locked.
func (h *Host) Readlink(p string) (string, bool) {
	p, err := h.resolve(p, false)
	if err != nil {
		return "", false
	}
	t, ok := h.links[p]
	return t, ok
}

// under lists the files, links and directories strictly below dir (already
// resolved), sorted: what cp -r and mv carry along.
func (h *Host) under(dir string) (files, links, dirs []string) {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	for p := range h.files {
		if strings.HasPrefix(p, prefix) {
			files = append(files, p)
		}
	}
	for p := range h.links {
		if strings.HasPrefix(p, prefix) {
			links = append(links, p)
		}
	}
	for p := range h.dirs {
		if strings.HasPrefix(p, prefix) {
			dirs = append(dirs, p)
		}
	}
	sort.Strings(files)
	sort.Strings(links)
	sort.Strings(dirs)
	return files, links, dirs
}
