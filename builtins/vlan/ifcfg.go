package vlan

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// What RHEL's network-scripts read for a VLAN (initscripts' ifup-eth and
// ifup-routes, notes/tools.md §6). vlan.ifcfg only renders: the recipe
// writes the files (through ifcfg.write once that module lands).

// IfcfgSpec is one VLAN interface's configuration.
type IfcfgSpec struct {
	Device, Naming, Bootproto, IPAddr, Netmask, Bridge string
	ID                                                 int
	OnBoot                                             bool
	Routes                                             []string // CIDRs, "224.0.0.0/4" or "10.1.0.0/16 via 10.0.0.1"
}

// Ifcfg is the rendered configuration.
type Ifcfg struct {
	Name   string
	Keys   [][2]string // ifcfg-NAME's keys, in file order
	Routes [][2]string // route-NAME's keys (new format), empty when none
}

// RenderIfcfg builds the keys of ifcfg-NAME and route-NAME.
func RenderIfcfg(s IfcfgSpec) (Ifcfg, error) {
	name, err := Name(s.Device, s.ID, s.Naming)
	if err != nil {
		return Ifcfg{}, err
	}
	switch s.Bootproto {
	case "none", "static", "dhcp":
	default:
		return Ifcfg{}, fmt.Errorf("bootproto %q: want \"none\", \"static\" or \"dhcp\"", s.Bootproto)
	}
	keys := [][2]string{{"DEVICE", name}, {"VLAN", "yes"}}
	if NeedsPhysdev(s.Naming) {
		// vlanNNNN names do not tell the parent: ifup needs PHYSDEV.
		keys = append(keys, [2]string{"PHYSDEV", s.Device})
	}
	keys = append(keys, [2]string{"BOOTPROTO", s.Bootproto}, [2]string{"ONBOOT", yesNo(s.OnBoot)})
	if s.IPAddr != "" {
		a, err := netip.ParseAddr(s.IPAddr)
		if err != nil || !a.Is4() {
			return Ifcfg{}, fmt.Errorf("ipaddr %q is not an IPv4 address", s.IPAddr)
		}
		if s.Netmask == "" {
			return Ifcfg{}, fmt.Errorf("ipaddr %s needs a netmask", s.IPAddr)
		}
		if _, err := maskBits(s.Netmask); err != nil {
			return Ifcfg{}, err
		}
		keys = append(keys, [2]string{"IPADDR", s.IPAddr}, [2]string{"NETMASK", s.Netmask})
	} else if s.Netmask != "" {
		return Ifcfg{}, fmt.Errorf("netmask %s without an ipaddr", s.Netmask)
	}
	if s.Bridge != "" {
		if err := CheckDevice(s.Bridge, "a bridge name"); err != nil {
			return Ifcfg{}, err
		}
		keys = append(keys, [2]string{"BRIDGE", s.Bridge})
	}
	routes, err := routeKeys(s.Routes)
	if err != nil {
		return Ifcfg{}, err
	}
	return Ifcfg{Name: name, Keys: keys, Routes: routes}, nil
}

// routeKeys renders ADDRESSn/NETMASKn[/GATEWAYn]: the new format of
// route-DEV, which runs after the VLAN is up (static-routes runs before
// VLANs exist, the seed's reason for per-interface routes).
func routeKeys(routes []string) ([][2]string, error) {
	var out [][2]string
	for i, r := range routes {
		dst, gw, hasGW := strings.Cut(strings.TrimSpace(r), " via ")
		p, err := netip.ParsePrefix(strings.TrimSpace(dst))
		if err != nil || !p.Addr().Is4() {
			return nil, fmt.Errorf("route %q: want an IPv4 CIDR such as \"224.0.0.0/4\", optionally followed by \" via GATEWAY\"", r)
		}
		if p.Masked() != p {
			return nil, fmt.Errorf("route %q has host bits set: did you mean %s?", r, p.Masked())
		}
		n := strconv.Itoa(i)
		out = append(out, [2]string{"ADDRESS" + n, p.Addr().String()}, [2]string{"NETMASK" + n, bitsMask(p.Bits())})
		if hasGW {
			g, err := netip.ParseAddr(strings.TrimSpace(gw))
			if err != nil || !g.Is4() {
				return nil, fmt.Errorf("route %q: gateway %q is not an IPv4 address", r, gw)
			}
			out = append(out, [2]string{"GATEWAY" + n, g.String()})
		}
	}
	return out, nil
}

func bitsMask(bits int) string {
	m := uint32(0)
	if bits > 0 {
		m = ^uint32(0) << (32 - bits)
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// maskBits checks a dotted netmask is contiguous.
func maskBits(mask string) (int, error) {
	a, err := netip.ParseAddr(mask)
	if err != nil || !a.Is4() {
		return 0, fmt.Errorf("netmask %q is not a dotted IPv4 mask", mask)
	}
	b := a.As4()
	m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := 0
	for m&(1<<31) != 0 {
		ones, m = ones+1, m<<1
	}
	if m != 0 {
		return 0, fmt.Errorf("netmask %q is not contiguous", mask)
	}
	return ones, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// RenderKeys writes KEY=value lines as the network-scripts source them
// (shell assignments): values that are not plain words are single-quoted.
func RenderKeys(keys [][2]string) string {
	var b strings.Builder
	for _, kv := range keys {
		b.WriteString(kv[0] + "=" + shellWord(kv[1]) + "\n")
	}
	return b.String()
}

func shellWord(v string) string {
	plain := v != ""
	for _, r := range v {
		if !(r == '.' || r == '-' || r == '_' || r == '/' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			plain = false
		}
	}
	if plain {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// NetworkKeys are /etc/sysconfig/network's VLAN keys, sorted.
func NetworkKeys(naming string) ([][2]string, error) {
	if _, err := Name("eth0", 1, naming); err != nil {
		return nil, err
	}
	keys := [][2]string{{"VLAN", "yes"}, {"VLAN_NAME_TYPE", naming}}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0] < keys[j][0] })
	return keys, nil
}
