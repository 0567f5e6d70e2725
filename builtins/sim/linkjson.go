package sim

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// The JSON iproute2 6.1 prints for `ip -j [-d] link show` and `ip -j addr
// show`: keys in its order, numbers as it prints them (timers with two
// decimals), checked against the real ip in a network namespace
// (TestIPAsIproute2). VLAN and OVS parts follow iproute2's source
// (ip/iplink_vlan.c) and notes/tools.md §6: this kernel has no 8021q nor
// openvswitch module to check them against.

// kv is one key of a JSON object with its value already encoded.
type kv struct{ k, v string }

func obj(kvs ...kv) string {
	parts := make([]string, len(kvs))
	for i, p := range kvs {
		parts[i] = strconv.Quote(p.k) + ":" + p.v
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func str(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func num(n int) string { return strconv.Itoa(n) }

func strs(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// showLink renders one link; addrs adds addr_info (ip addr show) and
// drops linkmode, as ip does.
func (n *Network) showLink(l *Link, details, addrs bool) string {
	carrier := n.Carrier(l)
	low, hasLow := n.lower(l)
	var flags []string
	if l.Up && !carrier {
		flags = append(flags, "NO-CARRIER")
	}
	if l.Kind == KindLoopback {
		flags = append(flags, "LOOPBACK")
	} else {
		flags = append(flags, "BROADCAST", "MULTICAST")
	}
	if l.Up {
		flags = append(flags, "UP")
	}
	if carrier {
		flags = append(flags, "LOWER_UP")
	}
	if hasLow && !low.Up {
		flags = append(flags, "M-DOWN")
	}
	out := []kv{{"ifindex", num(l.Index)}}
	if hasLow {
		out = append(out, kv{"link", str(low.Name)})
	}
	out = append(out, kv{"ifname", str(l.Name)}, kv{"flags", strs(flags)}, kv{"mtu", num(l.MTU)}, kv{"qdisc", str(qdisc(l))})
	if l.Master != "" {
		out = append(out, kv{"master", str(l.Master)})
	}
	out = append(out, kv{"operstate", str(operstate(l, carrier))})
	if !addrs {
		out = append(out, kv{"linkmode", str("DEFAULT")})
	}
	linkType, brd := "ether", "ff:ff:ff:ff:ff:ff"
	if l.Kind == KindLoopback {
		linkType, brd = "loopback", "00:00:00:00:00:00"
	}
	out = append(out, kv{"group", str("default")}, kv{"txqlen", num(1000)}, kv{"link_type", str(linkType)},
		kv{"address", str(l.MAC)}, kv{"broadcast", str(brd)})
	if details {
		out = append(out, n.details(l, addrs)...)
	}
	if addrs {
		out = append(out, kv{"addr_info", n.addrInfo(l, carrier)})
	}
	return obj(out...)
}

func qdisc(l *Link) string {
	switch {
	case !l.WasUp:
		return "noop"
	case l.Kind == KindEther || l.Kind == KindTap:
		return "pfifo_fast"
	}
	return "noqueue"
}

func operstate(l *Link, carrier bool) string {
	switch {
	case !l.Up:
		return "DOWN"
	case carrier && (l.Kind == KindLoopback || l.Kind == KindOVS):
		return "UNKNOWN"
	case carrier:
		return "UP"
	case l.Kind == KindVeth || l.Kind == KindVLAN:
		return "LOWERLAYERDOWN"
	}
	return "DOWN"
}

func (n *Network) addrInfo(l *Link, carrier bool) string {
	var out []string
	for i, a := range l.Addrs {
		info := []kv{{"family", str("inet")}, {"local", str(a.Prefix.Addr().String())}, {"prefixlen", num(a.Prefix.Bits())}}
		scope := "global"
		if a.Prefix.Addr().IsLoopback() {
			scope = "host"
		}
		info = append(info, kv{"scope", str(scope)})
		for _, b := range l.Addrs[:i] {
			if b.Prefix.Bits() == a.Prefix.Bits() && b.Prefix.Masked() == a.Prefix.Masked() {
				info = append(info, kv{"secondary", "true"})
				break
			}
		}
		info = append(info, kv{"label", str(l.Name)}, kv{"valid_life_time", "4294967295"}, kv{"preferred_life_time", "4294967295"})
		out = append(out, obj(info...))
	}
	var v6 string
	switch {
	case l.Kind == KindLoopback && l.Up:
		v6 = obj(kv{"family", str("inet6")}, kv{"local", str("::1")}, kv{"prefixlen", "128"}, kv{"scope", str("host")},
			kv{"valid_life_time", "4294967295"}, kv{"preferred_life_time", "4294967295"})
	case l.Kind != KindLoopback && carrier:
		v6 = obj(kv{"family", str("inet6")}, kv{"local", str(linkLocal(l.MAC))}, kv{"prefixlen", "64"}, kv{"scope", str("link")},
			kv{"valid_life_time", "4294967295"}, kv{"preferred_life_time", "4294967295"})
	}
	if v6 != "" {
		out = append(out, v6)
	}
	return "[" + strings.Join(out, ",") + "]"
}

// linkLocal is the EUI-64 fe80:: address the kernel derives from a MAC.
func linkLocal(mac string) string {
	var b [16]byte
	b[0], b[1] = 0xfe, 0x80
	var m [6]byte
	fmt.Sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5])
	copy(b[8:], []byte{m[0] ^ 0x02, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]})
	return netip.AddrFrom16(b).String()
}
