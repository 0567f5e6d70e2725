package bridge

import (
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// ip is iproute2's ip: its own words are its stderr.
var ip = tool.Tool{Name: "ip", Explain: func(r exec.Result) string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(r.Stderr)), "Error: "))
}}

// links reads every link with its details.
func links(e *env.Env) ([]Link, error) {
	res, err := ip.Read(e, "-j", "-d", "link", "show")
	if err != nil {
		return nil, err
	}
	return ParseLinks(res.Stdout)
}

// centis is seconds as ip's forward_delay (centiseconds).
func centis(s int) string { return strconv.Itoa(s * 100) }

// addArgv is `ip link add name NAME type bridge stp_state S forward_delay F`:
// the kernel applies forward_delay first, then starts STP.
func addArgv(name string, stp bool, delay int) []string {
	return []string{"link", "add", "name", name, "type", "bridge", "stp_state", stpState(stp), "forward_delay", centis(delay)}
}

func stpState(on bool) string {
	if on {
		return "1"
	}
	return "0"
}

// setArgvs brings an existing bridge to stp and delay. The kernel checks
// forward_delay against 2..30 s while STP is still on, so turning STP off
// goes first, in a command of its own.
func setArgvs(name string, cur Bridge, stp bool, delay int) [][]string {
	set := func(opts ...string) []string {
		return append([]string{"link", "set", "dev", name, "type", "bridge"}, opts...)
	}
	fdChanged := int(cur.ForwardDelay*100+0.5) != delay*100
	var out [][]string
	switch {
	case cur.STP && !stp:
		out = append(out, set("stp_state", "0"))
		if fdChanged {
			out = append(out, set("forward_delay", centis(delay)))
		}
	case fdChanged || cur.STP != stp:
		out = append(out, set("forward_delay", centis(delay), "stp_state", stpState(stp)))
	}
	return out
}
