package sim

// Under lists the regular files, symbolic links and directories below dir
// (resolved first), sorted: for fakes that walk a tree (createrepo, tar);
// the host must be locked.
func (h *Host) Under(dir string) (files, links, dirs []string) {
	return h.under(h.real(dir))
}

// RealPath resolves p's symbolic links (readlink -f); the host must be
// locked.
func (h *Host) RealPath(p string) string { return h.real(p) }
