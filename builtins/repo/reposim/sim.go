// Package reposim fakes the yum mirror tools on the simulated host:
// reposync (yum-utils), dnf reposync, createrepo_c and createrepo, with the
// upstream mirrors they download from as the module's state.
package reposim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// State is the internet as the fakes see it: repositories by URL.
type State struct {
	// Upstreams maps a baseurl (no trailing slash) to its packages.
	Upstreams map[string][]Pkg `json:"upstreams"`
	// Revision is createrepo's clock: it moves when a repository's package
	// set changes, so re-running on the same files rewrites the same
	// metadata (a real run stamps time(NULL)).
	Revision int64 `json:"revision"`
	// Release is $releasever as yum finds it on the installed system.
	Release string `json:"release"`
	// Files are other documents upstream serves, by URL (curl).
	Files map[string]string `json:"files,omitempty"`
}

// Pkg is one package of an upstream repository, stored at RPMS/NEVRA.rpm.
type Pkg struct {
	Name    string `json:"name"`
	Epoch   string `json:"epoch,omitempty"`
	Version string `json:"version"`
	Release string `json:"release"`
	Arch    string `json:"arch"`
	Size    int    `json:"size"` // bytes of the .rpm
}

// File is the package's file name.
func (p Pkg) File() string {
	return fmt.Sprintf("%s-%s-%s.%s.rpm", p.Name, p.Version, p.Release, p.Arch)
}

var slot = sim.Slot[*State]{Key: "repo", New: newState}

// Mirror is CentOS 5's public mirror as the seed knew it (package names
// from its reposync output and CentOS 5.0's extras/updates).
const Mirror = "http://mirror.centos.org/centos/5"

func newState() *State {
	pk := func(name, ver, rel, arch string, size int) Pkg {
		return Pkg{Name: name, Version: ver, Release: rel, Arch: arch, Size: size}
	}
	return &State{Release: "5", Revision: 1180569600, Upstreams: map[string][]Pkg{
		Mirror + "/updates/i386":    {pk("kernel-xen", "2.6.18", "8.1.4.el5", "i686", 6144), pk("xen", "3.0.3", "25.0.4.el5", "i386", 4096)},
		Mirror + "/addons/i386":     {pk("dhcp-devel", "3.0.5", "7.el5", "i386", 2048)},
		Mirror + "/extras/i386":     {pk("Terminal", "0.2.6", "2", "i386", 3072), pk("yumex", "1.2.2", "1.0.el5.centos", "noarch", 2560)},
		Mirror + "/centosplus/i386": {pk("kernel-xen", "2.6.18", "8.1.4.el5.centos.plus", "i686", 6144)},
	}}
}

// Install declares the state and registers the fakes.
func Install(h *sim.Host) {
	slot.Declare(h)
	h.Register("reposync", yumReposync)
	h.Register("dnf", dnf)
	h.Register("createrepo_c", createrepoC)
	h.Register("createrepo", createrepoC)
	h.Serve("mirror.centos.org", site) // curl is the host's
}

// AddUpstream seeds an upstream repository (tests); the host must be locked.
func AddUpstream(h *sim.Host, url string, pkgs ...Pkg) {
	s := slot.Get(h)
	s.Upstreams[strings.TrimSuffix(url, "/")] = append(s.Upstreams[strings.TrimSuffix(url, "/")], pkgs...)
}

// rpmHeader is what a simulated .rpm holds: createrepo reads it back.
func rpmHeader(p Pkg) []byte {
	head := fmt.Sprintf("vrun-sim-rpm\nname=%s\nepoch=%s\nversion=%s\nrelease=%s\narch=%s\n", p.Name, p.Epoch, p.Version, p.Release, p.Arch)
	if p.Size > len(head) {
		head += strings.Repeat("#", p.Size-len(head))
	}
	return []byte(head)
}

// readRPM reads a simulated .rpm; false for anything else.
func readRPM(data []byte) (Pkg, bool) {
	if !strings.HasPrefix(string(data), "vrun-sim-rpm\n") {
		return Pkg{}, false
	}
	p := Pkg{Size: len(data)}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			break
		}
		switch k {
		case "name":
			p.Name = v
		case "epoch":
			p.Epoch = v
		case "version":
			p.Version = v
		case "release":
			p.Release = v
		case "arch":
			p.Arch = v
		}
	}
	return p, p.Name != "" && p.Version != "" && p.Release != "" && p.Arch != ""
}

// newest keeps the highest version-release per name.arch (reposync -n);
// versions compare as rpm's rpmvercmp does for the simple cases here:
// segment by segment, numbers as numbers.
func newest(pkgs []Pkg) []Pkg {
	best := map[string]Pkg{}
	var order []string
	for _, p := range pkgs {
		k := p.Name + "." + p.Arch
		old, ok := best[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || vercmp(p.Version+"-"+p.Release, old.Version+"-"+old.Release) > 0 {
			best[k] = p
		}
	}
	sort.Strings(order)
	out := make([]Pkg, len(order))
	for i, k := range order {
		out[i] = best[k]
	}
	return out
}
