package sim

import (
	"fmt"
	"strings"
)

// CopyTree copies the directory src with everything below it to dst as
// cp -a does (modes and links kept); the host must be locked. Module fakes
// use it for what their tools copy (lxc-copy, lxc-snapshot).
func (h *Host) CopyTree(src, dst string) error {
	if r := h.copyOne(src, dst, copyOpts{recursive: true, preserve: true, noDeref: true}); r != nil {
		return fmt.Errorf("%s", strings.TrimSpace(string(r.Stderr)))
	}
	return nil
}

// RemoveTree removes p and everything below it, as rm -rf does; the host
// must be locked.
func (h *Host) RemoveTree(p string) {
	rp, err := h.resolve(p, false)
	if err != nil || rp == "/" {
		return
	}
	files, links, dirs := h.under(rp)
	for _, f := range files {
		delete(h.files, f)
	}
	for _, l := range links {
		delete(h.links, l)
	}
	for _, d := range dirs {
		delete(h.dirs, d)
	}
	delete(h.files, rp)
	delete(h.links, rp)
	delete(h.dirs, rp)
}
