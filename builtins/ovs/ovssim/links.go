package ovssim

import "github.com/vrun-dev/vrun/builtins/sim"

// sync does what ovs-vswitchd does after a transaction: a datapath link
// per datapath type in use (ovs-system for the kernel's, ovs-netdev for
// userspace), a link per internal interface (kind openvswitch in the
// kernel datapath; a tap in userspace, as on this project's machines),
// system ports attached to the kernel datapath (master ovs-system), and
// an error on each interface it could not set up. It returns the ports
// that failed.
func (s *State) sync(n *sim.Network) []*Port {
	want := map[string]string{} // link name -> kind
	kernelPorts := map[string]bool{}
	var failed []*Port
	for _, b := range s.Bridges {
		netdev := b.DatapathType == "netdev"
		dp, kind := "ovs-system", sim.KindOVS
		if netdev {
			dp, kind = "ovs-netdev", sim.KindTap
		}
		want[dp] = kind
		for _, p := range b.Ports {
			p.Error = ""
			switch p.Type {
			case "internal":
				if l, ok := n.Link(p.Name); ok && !s.owns(l.Name) {
					p.Error = "could not open network device " + p.Name + " (File exists)"
				} else {
					want[p.Name] = kind
				}
			case "", "system":
				if _, ok := n.Link(p.Name); !ok {
					p.Error = "could not open network device " + p.Name + " (No such device)"
				} else if !netdev {
					kernelPorts[p.Name] = true
				}
			}
			if p.Error != "" {
				failed = append(failed, p)
			}
		}
	}
	// Remove the links of ours no longer wanted (the kernel releases
	// ports of a deleted ovs-system).
	var kept []string
	for _, name := range s.Links {
		l, ok := n.Link(name)
		switch {
		case !ok:
		case want[name] != l.Kind:
			n.Delete(l)
		default:
			kept = append(kept, name)
		}
	}
	s.Links = kept
	for _, dp := range []string{"ovs-system", "ovs-netdev"} { // datapaths first, as vswitchd makes them
		if kind, ok := want[dp]; ok {
			s.ensure(n, dp, kind)
		}
	}
	for _, b := range s.Bridges {
		for _, p := range b.Ports {
			if kind, ok := want[p.Name]; ok {
				s.ensure(n, p.Name, kind)
			}
		}
	}
	for _, l := range n.Links {
		switch {
		case kernelPorts[l.Name]:
			l.Master, l.PortNo = "ovs-system", 0
		case l.Master == "ovs-system":
			l.Master = ""
		}
	}
	return failed
}

func (s *State) owns(name string) bool {
	for _, l := range s.Links {
		if l == name {
			return true
		}
	}
	return false
}

func (s *State) ensure(n *sim.Network, name, kind string) {
	if _, ok := n.Link(name); ok {
		return
	}
	n.Add(&sim.Link{Name: name, Kind: kind, MTU: 1500})
	s.Links = append(s.Links, name)
}
