package sim

import (
	"crypto/sha1"
	"fmt"
	"net/netip"
	"sort"
)

// Network is the simulated host's network links as the kernel keeps them:
// one model shared by the fakes of ip and, later, ovs-vsctl, virsh and
// lxc, so a bridge one module makes is the bridge another sees.
type Network struct {
	Links     []*Link `json:"links"` // by ifindex
	NextIndex int     `json:"next_index"`
}

// Link kinds: the kernel's rtnl_link_ops kind (ip -d's info_kind), with
// "loopback" and "ether" (a physical NIC) for links that have none.
const (
	KindLoopback = "loopback"
	KindEther    = "ether"
	KindBridge   = "bridge"
	KindVeth     = "veth"
	KindVLAN     = "vlan"
	KindOVS      = "openvswitch" // an OVS bridge's internal port, or ovs-system
	KindTap      = "tun"         // a persistent tap (ip tuntap add mode tap)
)

// Link is one network interface.
type Link struct {
	Index  int    `json:"index"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	MAC    string `json:"mac"`
	MTU    int    `json:"mtu"`
	Up     bool   `json:"up"`                // administratively (ip link set up)
	WasUp  bool   `json:"was_up,omitempty"`  // got its qdisc: noop until first up
	Master string `json:"master,omitempty"`  // the bridge (or ovs-system) it is a port of
	PortNo int    `json:"port_no,omitempty"` // its port number on a bridge
	// Peer is a veth's other end; Parent a VLAN's lower device.
	Peer   string `json:"peer,omitempty"`
	Parent string `json:"parent,omitempty"`
	VLANID int    `json:"vlan_id,omitempty"`
	// VLANProtocol is "802.1Q" or "802.1ad".
	VLANProtocol string `json:"vlan_protocol,omitempty"`
	// MTUSet: a bridge's MTU was set by hand, so it no longer follows
	// its ports' smallest (the kernel's BROPT_MTU_SET_BY_USER).
	MTUSet bool `json:"mtu_set,omitempty"`
	// TSOMax is a bridge's tso_max_size: its ports' smallest, kept when the
	// last port leaves (0: the 65536 of a bridge that never had one).
	TSOMax int    `json:"tso_max,omitempty"`
	Addrs  []Addr `json:"addrs,omitempty"` // IPv4, in the order added
	// STP and ForwardDelay (centiseconds; nil: the default 15 s) are a
	// bridge's stp_state and forward_delay.
	STP          bool `json:"stp,omitempty"`
	ForwardDelay *int `json:"forward_delay,omitempty"`
}

// Addr is an IPv4 address on a link (the IPv6 link-local address the
// kernel adds by itself is derived from the MAC, not stored).
type Addr struct {
	Prefix netip.Prefix `json:"prefix"`
}

// NewNetwork is a fresh host's network: lo up with its addresses, and eth0
// up, the NIC VLANs and bridges are built on.
func NewNetwork() *Network {
	n := &Network{NextIndex: 1}
	lo := n.Add(&Link{Name: "lo", Kind: KindLoopback, MTU: 65536, MAC: "00:00:00:00:00:00"})
	lo.Up, lo.WasUp = true, true
	lo.Addrs = []Addr{{netip.MustParsePrefix("127.0.0.1/8")}}
	eth := n.Add(&Link{Name: "eth0", Kind: KindEther, MTU: 1500, MAC: "52:54:00:12:34:56"})
	eth.Up, eth.WasUp = true, true
	return n
}

// NetworkOf returns the host's network; the host must be locked.
func NetworkOf(h *Host) *Network { return h.net }

// Link finds a link by name.
func (n *Network) Link(name string) (*Link, bool) {
	for _, l := range n.Links {
		if l.Name == name {
			return l, true
		}
	}
	return nil, false
}

// Add gives l the next ifindex (and a MAC if it has none) and adds it.
// Callers check the name is free.
func (n *Network) Add(l *Link) *Link {
	l.Index = n.NextIndex
	n.NextIndex++
	if l.MAC == "" {
		s := sha1.Sum([]byte(fmt.Sprintf("vrun-sim-link-%d-%s", l.Index, l.Name)))
		s[0] = s[0]&0xfe | 0x02 // unicast, locally administered: as the kernel's random ones
		l.MAC = fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", s[0], s[1], s[2], s[3], s[4], s[5])
	}
	n.Links = append(n.Links, l)
	return l
}

// Delete removes a link and what goes with it in the kernel: a veth's
// peer, the VLANs on it; a bridge's ports are released.
func (n *Network) Delete(l *Link) {
	gone := map[string]bool{l.Name: true}
	if l.Kind == KindVeth {
		gone[l.Peer] = true
	}
	for _, o := range n.Links {
		if o.Kind == KindVLAN && gone[o.Parent] {
			gone[o.Name] = true
		}
	}
	kept := n.Links[:0]
	for _, o := range n.Links {
		if gone[o.Name] {
			continue
		}
		if gone[o.Master] {
			o.Master, o.PortNo = "", 0
		}
		kept = append(kept, o)
	}
	n.Links = kept
}

// Ports lists a bridge's ports by ifindex.
func (n *Network) Ports(br string) []*Link {
	var out []*Link
	for _, l := range n.Links {
		if l.Master == br {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// lower is the link whose state a link shows as M-DOWN and "link": a
// veth's peer, a VLAN's parent.
func (n *Network) lower(l *Link) (*Link, bool) {
	switch l.Kind {
	case KindVeth:
		return n.Link(l.Peer)
	case KindVLAN:
		return n.Link(l.Parent)
	}
	return nil, false
}

// Carrier reports whether the link has carrier (LOWER_UP) as the kernel
// computes it: a veth when both ends are up, a bridge when a port
// forwards (STP is off), a VLAN when its parent does, a tap never (no
// process holds it open here).
func (n *Network) Carrier(l *Link) bool {
	if !l.Up {
		return false
	}
	switch l.Kind {
	case KindVeth, KindVLAN:
		low, ok := n.lower(l)
		return ok && low.Up && (l.Kind == KindVeth || n.Carrier(low))
	case KindBridge:
		for _, p := range n.Ports(l.Name) {
			if n.Carrier(p) {
				return true
			}
		}
		return false
	case KindTap:
		return false
	}
	return true
}

// SyncBridgeMTU sets a bridge's MTU to its smallest port's (1500 with
// none), as the kernel's br_mtu_auto_adjust does on every port change
// unless the MTU was set by hand.
func (n *Network) SyncBridgeMTU(br *Link) {
	m, tso := 0, 0
	for _, p := range n.Ports(br.Name) {
		if m == 0 || p.MTU < m {
			m = p.MTU
		}
		if t := n.tsoMax(p); tso == 0 || t < tso {
			tso = t
		}
	}
	if tso != 0 {
		br.TSOMax = tso
	}
	if br.MTUSet {
		return
	}
	if m == 0 {
		m = 1500
	}
	br.MTU = m
}

// Enslave makes l a port of br with the lowest free port number, as
// br_add_if does.
func (n *Network) Enslave(l, br *Link) {
	used := map[int]bool{}
	for _, p := range n.Ports(br.Name) {
		used[p.PortNo] = true
	}
	no := 1
	for used[no] {
		no++
	}
	old := l.Master
	l.Master, l.PortNo = br.Name, no
	if ob, ok := n.Link(old); ok && old != br.Name {
		n.SyncBridgeMTU(ob)
	}
	n.SyncBridgeMTU(br)
}

// MTURange is the kernel's min_mtu and max_mtu for the link.
func (n *Network) MTURange(l *Link) (int, int) {
	switch l.Kind {
	case KindLoopback:
		return 0, 0
	case KindTap:
		return 68, 65521
	case KindVLAN:
		if p, ok := n.Link(l.Parent); ok {
			return 0, p.MTU
		}
		return 0, 65535
	case KindEther:
		return 68, 9000
	}
	return 68, 65535
}

// tsoMax is the link's tso_max_size as ip -d shows it.
func (n *Network) tsoMax(l *Link) int {
	switch {
	case l.Kind == KindBridge && l.TSOMax != 0:
		return l.TSOMax
	case l.Kind == KindBridge, l.Kind == KindTap, l.Kind == KindEther:
		return 65536
	}
	return 524280
}
