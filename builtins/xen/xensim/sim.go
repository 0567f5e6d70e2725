// Package xensim fakes xl and virt-install on the simulated host: this
// machine has no hypervisor (notes/machine.md §6), so the outputs follow
// xl's source (tools/xl/xl_info.c: the list table format, list -l's
// libxl_domain_config JSON, info's "key : value") and notes/tools.md §5.
package xensim

import (
	"crypto/sha1"
	"fmt"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// State is the hypervisor's domains.
type State struct {
	Domains []*Dom `json:"domains"`
	NextID  int    `json:"next_id"`
	// Toolstack is "xl" (the default, also when empty) or "xm": a dom0
	// where only xend exists (CentOS 5), with xm and no xl; anything else
	// is a host with neither.
	Toolstack string `json:"toolstack,omitempty"`
}

// SetToolstack makes h's hypervisor an xl ("xl") or xend ("xm") dom0;
// h must be locked (tests seed worlds with it).
func SetToolstack(h *sim.Host, ts string) { slot.Get(h).Toolstack = ts }

// Dom is one running guest.
type Dom struct {
	Name      string   `json:"name"`
	ID        int      `json:"id"`
	UUID      string   `json:"uuid"`
	Type      string   `json:"type"` // pv, hvm, pvh
	MemoryMiB int      `json:"memory_mib"`
	VCPUs     int      `json:"vcpus"`
	Disks     []Disk   `json:"disks"`
	Bridges   []string `json:"bridges"`
}

// Disk is one of a guest's disks.
type Disk struct {
	Path   string `json:"path"`
	Vdev   string `json:"vdev"`
	Format string `json:"format"`
}

var slot = sim.Slot[*State]{Key: "xen", New: func() *State { return &State{NextID: 1} }}

// Install declares the state and registers the fakes.
func Install(h *sim.Host) {
	slot.Declare(h)
	h.Register("xl", xl)
	h.Register("xm", xm)
	h.Register("virt-install", virtInstall)
}

func (s *State) find(name string) (*Dom, bool) {
	for _, d := range s.Domains {
		if d.Name == name || fmt.Sprint(d.ID) == name {
			return d, true
		}
	}
	return nil, false
}

func (s *State) add(h *sim.Host, d *Dom) {
	d.ID = s.NextID
	s.NextID++
	u := sha1.Sum([]byte(fmt.Sprintf("vrun-sim-xen-%d-%s", d.ID, d.Name)))
	d.UUID = fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
	s.Domains = append(s.Domains, d)
}

// reboot gives the guest a new domain id, as a real reboot makes a new
// domain; it returns the old id.
func (s *State) reboot(d *Dom) int {
	old := d.ID
	d.ID = s.NextID
	s.NextID++
	return old
}

func (s *State) remove(d *Dom) {
	kept := s.Domains[:0]
	for _, o := range s.Domains {
		if o != d {
			kept = append(kept, o)
		}
	}
	s.Domains = kept
}

// bridgeOK reports whether a vif's bridge exists as a bridge on the host:
// xl's vif-bridge hotplug script fails otherwise.
func bridgeOK(h *sim.Host, br string) bool {
	l, ok := sim.NetworkOf(h).Link(br)
	return ok && l.Kind == sim.KindBridge
}
