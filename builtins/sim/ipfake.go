package sim

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// The ip fake: the link and address commands the network modules run,
// with iproute2 6.1's messages and exit codes (1 for a missing device, 2
// for a kernel refusal "RTNETLINK answers: …", 255 for a bad argument).

func registerIP(h *Host) { h.Register("ip", ipCmd) }

type ipOpts struct{ json, details bool }

func ipCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	args := c.Argv[1:]
	var o ipOpts
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-j", "-json":
			o.json = true
		case "-d", "-details":
			o.details = true
		default:
			return Fail(255, fmt.Sprintf("Option \"%s\" is unknown, try \"ip -help\".\n", args[0]))
		}
		args = args[1:]
	}
	if len(args) == 0 {
		return Fail(255, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n")
	}
	n := NetworkOf(h)
	obj, args := args[0], args[1:]
	cmd := "show"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch {
	case matches(obj, "link", 1) && matches(cmd, "add", 1):
		return n.ipLinkAdd(args)
	case matches(obj, "link", 1) && matches(cmd, "set", 1):
		return n.ipLinkSet(args)
	case matches(obj, "link", 1) && (matches(cmd, "delete", 1) || cmd == "del"):
		return n.ipLinkDel(args)
	case matches(obj, "link", 1) && (matches(cmd, "show", 1) || matches(cmd, "list", 1)):
		return n.ipShow(args, o, false)
	case matches(obj, "address", 1) && matches(cmd, "add", 1):
		return n.ipAddrAdd(args)
	case matches(obj, "address", 1) && (matches(cmd, "show", 1) || matches(cmd, "list", 1)):
		return n.ipShow(args, o, true)
	}
	return Fail(2, fmt.Sprintf("ip: the simulated host supports only ip link add|set|del|show and ip addr add|show, not %q\n", obj+" "+cmd))
}

// matches is iproute2's matches(): an abbreviation of word of at least
// min characters.
func matches(arg, word string, min int) bool {
	return len(arg) >= min && strings.HasPrefix(word, arg)
}

// noDev is ip's answer when a device named on the command line is missing.
func noDev(name string) exec.Result {
	return Fail(1, fmt.Sprintf("Cannot find device %q\n", name))
}

func rtnl(msg string) exec.Result { return Fail(2, "RTNETLINK answers: "+msg+"\n") }

func invarg(arg, msg string) exec.Result {
	return Fail(255, fmt.Sprintf("Error: argument %q is wrong: %s\n\n", arg, msg))
}

func (n *Network) ipShow(args []string, o ipOpts, addrs bool) exec.Result {
	var name string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "dev" && i+1 == len(args):
			return incomplete()
		case a == "dev" && name == "":
			name, i = args[i+1], i+1
		case name == "" && !strings.HasPrefix(a, "-"):
			name = a
		case name != "":
			return Fail(255, fmt.Sprintf("Error: either \"dev\" is duplicate, or %q is a garbage.\n", a))
		default:
			return Fail(2, fmt.Sprintf("ip: the simulated host supports only ip -j link|addr show [DEV], not %q\n", a))
		}
	}
	if !o.json {
		return Fail(2, "ip: the simulated host prints links as JSON only: use ip -j\n")
	}
	var out []string
	for _, l := range n.Links {
		if name == "" || l.Name == name {
			out = append(out, n.showLink(l, o.details, addrs))
		}
	}
	if name != "" && len(out) == 0 {
		return Fail(1, fmt.Sprintf("Device %q does not exist.\n", name))
	}
	return OK("[" + strings.Join(out, ",") + "]\n")
}

// validName is the kernel's dev_valid_name.
func validName(s string) bool {
	return s != "" && len(s) < 16 && s != "." && s != ".." && !strings.ContainsAny(s, "/: \t\n")
}

func (n *Network) ipLinkAdd(args []string) exec.Result {
	var name, link, typ string
	nameKey := "dev" // how ip names the name in its error: by keyword, or "dev"
	mtu := 0
	for len(args) > 0 && typ == "" {
		a := args[0]
		switch {
		case (a == "name" || a == "dev") && len(args) > 1:
			name, nameKey, args = args[1], a, args[2:]
		case a == "link" && len(args) > 1:
			link, args = args[1], args[2:]
		case a == "mtu" && len(args) > 1:
			m, err := strconv.Atoi(args[1])
			if err != nil || m < 0 {
				return invarg(args[1], `Invalid "mtu" value`)
			}
			mtu, args = m, args[2:]
		case a == "type" && len(args) > 1:
			typ, args = args[1], args[2:]
		case name == "":
			name, args = a, args[1:] // even option-shaped: "-x" is a name to ip
		default:
			return Fail(255, fmt.Sprintf("Error: either \"dev\" is duplicate, or %q is a garbage.\n", a))
		}
	}
	if typ == "" {
		return Fail(1, "Not enough information: \"type\" argument is required\n")
	}
	if !validName(name) {
		return Fail(255, fmt.Sprintf("Error: argument %q is wrong: \"%s\" not a valid ifname\n", name, nameKey))
	}
	var parent *Link
	if link != "" {
		p, ok := n.Link(link)
		if !ok {
			return noDev(link)
		}
		parent = p
	}
	l := &Link{Name: name, Kind: typ, MTU: 1500}
	var peer *Link
	switch typ {
	case KindBridge:
		if r := bridgeOpts(l, args); r != nil {
			return *r
		}
	case KindVeth:
		if len(args) < 2 || args[0] != "peer" {
			return Fail(2, "ip: the simulated host needs ip link add NAME type veth peer name PEER\n")
		}
		p := args[1]
		if p == "name" && len(args) > 2 {
			p = args[2]
		}
		if !validName(p) {
			return Fail(255, fmt.Sprintf("Error: argument %q is wrong: \"name\" not a valid ifname\n", p))
		}
		if _, dup := n.Link(p); dup || p == name {
			return rtnl("File exists")
		}
		l.Peer = p
		peer = &Link{Name: p, Kind: KindVeth, MTU: 1500, Peer: name}
	case KindVLAN:
		if r := vlanArgs(l, parent, args); r != nil {
			return *r
		}
	default:
		return Fail(2, "Error: Unknown device type.\n")
	}
	if _, dup := n.Link(name); dup {
		return rtnl("File exists")
	}
	if mtu != 0 {
		if r := n.checkMTU(l, mtu); r != nil {
			return *r
		}
		l.MTU = mtu // not "set by user": a bridge still follows its ports
		if peer != nil {
			peer.MTU = mtu
		}
	}
	if peer != nil {
		n.Add(peer) // the kernel registers the peer first: it gets the lower ifindex
	}
	n.Add(l)
	return OK("")
}

// vlanArgs reads `id N [protocol P]` (ip/iplink_vlan.c); the kernel's
// vlan_validate refuses what is missing or out of range.
func vlanArgs(l, parent *Link, args []string) *exec.Result {
	l.VLANProtocol = "802.1Q"
	hasID := false
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			r := incomplete()
			return &r
		}
		switch args[i] {
		case "id":
			id, err := strconv.ParseUint(args[i+1], 0, 16)
			if err != nil {
				r := invarg(args[i+1], "id is invalid")
				return &r
			}
			l.VLANID, hasID = int(id), true
		case "protocol":
			if args[i+1] != "802.1Q" && args[i+1] != "802.1ad" {
				r := invarg(args[i+1], "protocol is invalid")
				return &r
			}
			l.VLANProtocol = args[i+1]
		default:
			r := Fail(2, fmt.Sprintf("ip: the simulated host supports only vlan id N [protocol P], not %q\n", args[i]))
			return &r
		}
	}
	var r exec.Result
	switch {
	case parent == nil:
		r = Fail(2, "Error: 8021q: link not specified.\n")
	case !hasID:
		r = Fail(2, "Error: 8021q: VLAN id not specified.\n")
	case l.VLANID >= 4095:
		r = Fail(2, "Error: 8021q: Invalid VLAN id.\n")
	default:
		l.Parent, l.MTU = parent.Name, parent.MTU
		return nil
	}
	return &r
}

func (n *Network) checkMTU(l *Link, mtu int) *exec.Result {
	lo, hi := n.MTURange(l)
	var r exec.Result
	switch {
	case l.Kind == KindVLAN && mtu > hi:
		r = rtnl("Numerical result out of range")
	case mtu > hi && hi > 0:
		r = Fail(2, "Error: mtu greater than device maximum.\n")
	case mtu < lo:
		r = Fail(2, "Error: mtu less than device minimum.\n")
	default:
		return nil
	}
	return &r
}
