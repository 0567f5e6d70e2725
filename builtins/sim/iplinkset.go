package sim

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// linkArg finds the device of `ip link set|del [dev] NAME ...` and
// returns the remaining arguments.
func (n *Network) linkArg(args []string) (*Link, []string, *exec.Result) {
	if len(args) > 0 && args[0] == "dev" {
		if len(args) == 1 {
			r := incomplete()
			return nil, nil, &r
		}
		args = args[1:]
	}
	if len(args) == 0 {
		r := Fail(1, "Not enough information: \"dev\" argument is required.\n")
		return nil, nil, &r
	}
	l, ok := n.Link(args[0])
	if !ok {
		r := noDev(args[0])
		return nil, nil, &r
	}
	return l, args[1:], nil
}

func (n *Network) ipLinkSet(args []string) exec.Result {
	l, args, bad := n.linkArg(args)
	if bad != nil {
		return *bad
	}
	if len(args) > 0 && args[0] == "type" {
		return n.ipLinkSetType(l, args[1:])
	}
	for len(args) > 0 {
		a := args[0]
		value := ""
		if (a == "master" || a == "mtu") && len(args) > 1 {
			value, args = args[1], args[1:]
		}
		args = args[1:]
		var r *exec.Result
		switch {
		case a == "up":
			l.Up, l.WasUp = true, true
		case a == "down":
			l.Up = false
		case a == "nomaster":
			old := l.Master
			l.Master, l.PortNo = "", 0
			if br, ok := n.Link(old); ok {
				n.SyncBridgeMTU(br)
			}
		case a == "master" && value != "":
			r = n.setMaster(l, value)
		case a == "mtu" && value != "":
			r = n.setMTU(l, value)
		default:
			return Fail(255, fmt.Sprintf("Error: either \"dev\" is duplicate, or %q is a garbage.\n", a))
		}
		if r != nil {
			return *r
		}
	}
	return OK("")
}

func (n *Network) setMaster(l *Link, name string) *exec.Result {
	br, ok := n.Link(name)
	var r exec.Result
	switch {
	case !ok:
		r = invarg(name, "Device does not exist")
	case br.Kind != KindBridge:
		r = rtnl("Operation not supported")
	case l == br || l.Kind == KindLoopback:
		r = rtnl("Invalid argument")
	case l.Kind == KindBridge:
		r = Fail(2, "Error: Can not enslave a bridge to a bridge.\n")
	default:
		n.Enslave(l, br)
		return nil
	}
	return &r
}

func (n *Network) setMTU(l *Link, value string) *exec.Result {
	mtu, err := strconv.Atoi(value)
	if err != nil && !strings.HasPrefix(value, "-") {
		r := invarg(value, `Invalid "mtu" value`)
		return &r
	}
	if mtu < 0 || err != nil { // strtoul wraps "-1" to a huge value the kernel sees as negative
		r := Fail(2, "Error: mtu less than device minimum.\n")
		return &r
	}
	if r := n.checkMTU(l, mtu); r != nil {
		return r
	}
	l.MTU = mtu
	if l.Kind == KindBridge {
		l.MTUSet = true
	}
	// VLANs above shrink with their parent (8021q's NETDEV_CHANGEMTU).
	for _, o := range n.Links {
		if o.Kind == KindVLAN && o.Parent == l.Name && o.MTU > mtu {
			o.MTU = mtu
		}
	}
	if br, ok := n.Link(l.Master); ok {
		n.SyncBridgeMTU(br)
	}
	return nil
}

func (n *Network) ipLinkDel(args []string) exec.Result {
	l, rest, bad := n.linkArg(args)
	if bad != nil {
		return *bad
	}
	if len(rest) == 2 && rest[0] == "type" {
		rest = nil
	}
	if len(rest) > 0 {
		return Fail(255, fmt.Sprintf("Error: either \"dev\" is duplicate, or %q is a garbage.\n", rest[0]))
	}
	if l.Kind == KindLoopback || l.Kind == KindEther {
		return rtnl("Operation not supported")
	}
	n.Delete(l)
	for _, br := range n.Links {
		if br.Kind == KindBridge {
			n.SyncBridgeMTU(br)
		}
	}
	return OK("")
}

func (n *Network) ipAddrAdd(args []string) exec.Result {
	var prefix netip.Prefix
	var dev string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "dev" && i+1 < len(args):
			dev, i = args[i+1], i+1
		case a == "local" && i+1 < len(args), !prefix.IsValid() && !strings.HasPrefix(a, "-"):
			if a == "local" {
				a, i = args[i+1], i+1
			}
			p, ok := parsePrefix(a)
			if !ok {
				return Fail(1, fmt.Sprintf("Error: any valid prefix is expected rather than %q.\n", a))
			}
			prefix = p
		case prefix.IsValid():
			return Fail(255, fmt.Sprintf("Error: either \"local\" is duplicate, or %q is a garbage.\n", a))
		default:
			return Fail(2, fmt.Sprintf("ip: the simulated host supports only ip addr add ADDRESS/LEN dev DEV, not %q\n", a))
		}
	}
	if dev == "" {
		return Fail(1, "Not enough information: \"dev\" argument is required.\n")
	}
	if !prefix.IsValid() {
		return Fail(2, "ip: the simulated host needs ip addr add ADDRESS/LEN dev DEV\n")
	}
	l, ok := n.Link(dev)
	if !ok {
		return noDev(dev)
	}
	if !prefix.Addr().Is4() {
		return Fail(2, "ip: the simulated host models IPv4 addresses only\n")
	}
	for _, a := range l.Addrs {
		if a.Prefix.Addr() == prefix.Addr() {
			return Fail(2, "Error: ipv4: Address already assigned.\n")
		}
	}
	l.Addrs = append(l.Addrs, Addr{prefix})
	return OK("")
}

// parsePrefix reads ADDRESS[/LEN] as ip's get_prefix does; no length is
// a host route (/32).
func parsePrefix(s string) (netip.Prefix, bool) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	return p, err == nil
}

func incomplete() exec.Result {
	return Fail(255, "Command line is not complete. Try option \"help\"\n")
}
