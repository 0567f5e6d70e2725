package sim

import (
	"fmt"
	"strconv"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Bridge options of `ip link add|set NAME type bridge ...`: stp_state and
// forward_delay (centiseconds), as the kernel's br_changelink applies
// them: forward_delay first, checked against 2..30 s only while STP is
// already on, then stp_state; starting STP clamps forward_delay into
// 2..30 s (br_stp_start). Checked against the kernel in a namespace
// (builtins/bridge's real tests).

// BridgeDefaultForwardDelay is a new bridge's forward_delay (15 s).
const BridgeDefaultForwardDelay = 1500

// ForwardDelayOf is a bridge's forward_delay in centiseconds.
func ForwardDelayOf(l *Link) int {
	if l.ForwardDelay == nil {
		return BridgeDefaultForwardDelay
	}
	return *l.ForwardDelay
}

// bridgeOpts applies options to bridge l; nil when they all held.
func bridgeOpts(l *Link, args []string) *exec.Result {
	fd, stp := -1, -1
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			r := incomplete()
			return &r
		}
		v, err := strconv.ParseUint(args[i+1], 0, 32)
		switch args[i] {
		case "stp_state":
			if err != nil {
				r := Fail(255, fmt.Sprintf("Error: argument %q is wrong: invalid stp_state\n", args[i+1]))
				return &r
			}
			stp = int(v)
		case "forward_delay":
			if err != nil {
				r := Fail(255, fmt.Sprintf("Error: argument %q is wrong: invalid forward_delay\n", args[i+1]))
				return &r
			}
			fd = int(v)
		default:
			r := Fail(2, fmt.Sprintf("ip: the simulated host supports only the bridge options stp_state and forward_delay, not %q\n", args[i]))
			return &r
		}
	}
	if fd >= 0 {
		if l.STP && (fd < 200 || fd > 3000) {
			r := rtnl("Numerical result out of range")
			return &r
		}
		l.ForwardDelay = &fd
	}
	if stp >= 0 {
		l.STP = stp != 0
		if d := ForwardDelayOf(l); l.STP && (d < 200 || d > 3000) {
			d = min(max(d, 200), 3000)
			l.ForwardDelay = &d
		}
	}
	return nil
}

// ipLinkSetType is `ip link set DEV type bridge OPTIONS`.
func (n *Network) ipLinkSetType(l *Link, args []string) exec.Result {
	if len(args) == 0 {
		return incomplete()
	}
	if args[0] != KindBridge || l.Kind != KindBridge {
		if args[0] != KindBridge && args[0] != KindVLAN && args[0] != KindVeth {
			return Fail(2, fmt.Sprintf("ip: the simulated host supports only ip link set DEV type bridge OPTIONS, not type %q\n", args[0]))
		}
		return rtnl("Operation not supported")
	}
	if r := bridgeOpts(l, args[1:]); r != nil {
		return *r
	}
	return OK("")
}
