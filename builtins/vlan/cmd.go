package vlan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// ip is iproute2's ip; its errors are one line on stderr.
var ipTool = tool.Tool{Name: "ip", Explain: func(r exec.Result) string {
	return strings.TrimSpace(exec.Tail(r.Stderr, 2))
}}

// state is what `ip -j -d link show` says: every link's kind by name and
// the VLAN links.
type state struct {
	kinds map[string]string
	vlans []Link
}

func (s state) byName(name string) (Link, bool) {
	for _, v := range s.vlans {
		if v.Name == name {
			return v, true
		}
	}
	return Link{}, false
}

func (s state) names() string {
	var ns []string
	for n := range s.kinds {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return strings.Join(ns, ", ")
}

func read(e *env.Env) (state, error) {
	r, err := ipTool.Read(e, "-j", "-d", "link", "show")
	if err != nil {
		return state{}, err
	}
	kinds, vlans, err := ParseLinks(r.Stdout)
	return state{kinds, vlans}, err
}

// AddSpec is one VLAN link to have.
type AddSpec struct {
	Device, Naming, Protocol string
	ID                       int
	Up                       bool
}

// Add makes the VLAN link unless it is there already, as asked; it
// returns the link and whether anything changed. A link of that name that
// is something else is an error, never replaced.
func Add(e *env.Env, s AddSpec) (Link, bool, error) {
	name, err := Name(s.Device, s.ID, s.Naming)
	if err != nil {
		return Link{}, false, err
	}
	if s.Protocol != "802.1Q" && s.Protocol != "802.1ad" {
		return Link{}, false, fmt.Errorf("protocol %q: want \"802.1Q\" or \"802.1ad\"", s.Protocol)
	}
	st, err := read(e)
	if err != nil {
		return Link{}, false, err
	}
	if _, ok := st.kinds[s.Device]; !ok {
		return Link{}, false, fmt.Errorf("parent device %q not found on the host (links: %s)", s.Device, st.names())
	}
	if kind, taken := st.kinds[name]; taken {
		have, isVLAN := st.byName(name)
		if !isVLAN || have.Parent != s.Device || have.ID != s.ID || have.Protocol != s.Protocol {
			return Link{}, false, fmt.Errorf("a link named %q already exists and is not VLAN %d (%s) on %s: %s; not replaced", name, s.ID, s.Protocol, s.Device, describe(kind, have, isVLAN))
		}
		if s.Up && !have.Up {
			return setUp(e, name, true)
		}
		return have, false, nil
	}
	for _, v := range st.vlans {
		if v.Parent == s.Device && v.ID == s.ID {
			return Link{}, false, fmt.Errorf("%s already carries VLAN %d as %q (another naming scheme?): the kernel allows one link per VLAN id and parent", s.Device, s.ID, v.Name)
		}
	}
	args := []string{"link", "add", "link", s.Device, "name", name, "type", "vlan", "id", strconv.Itoa(s.ID)}
	if s.Protocol != "802.1Q" {
		args = append(args, "protocol", s.Protocol)
	}
	if _, err := ipTool.Change(e, args...); err != nil {
		return Link{}, false, err
	}
	if s.Up {
		l, _, err := setUp(e, name, true)
		return l, true, err
	}
	l, err := readBack(e, name)
	return l, true, err
}

func describe(kind string, have Link, isVLAN bool) string {
	if isVLAN {
		return fmt.Sprintf("VLAN %d (%s) on %s", have.ID, have.Protocol, orUnknown(have.Parent))
	}
	if kind == "" {
		return "a device without a kind (a NIC or loopback)"
	}
	return "a " + kind + " link"
}

func orUnknown(s string) string {
	if s == "" {
		return "a device in another namespace"
	}
	return s
}

func setUp(e *env.Env, name string, up bool) (Link, bool, error) {
	word := "down"
	if up {
		word = "up"
	}
	if _, err := ipTool.Change(e, "link", "set", "dev", name, word); err != nil {
		return Link{}, false, err
	}
	l, err := readBack(e, name)
	return l, true, err
}

// readBack reads a link after a change: a change the host reports but does
// not show is an error, not a success.
func readBack(e *env.Env, name string) (Link, error) {
	st, err := read(e)
	if err != nil {
		return Link{}, err
	}
	l, ok := st.byName(name)
	if !ok {
		return Link{}, fmt.Errorf("ip reported success but %q is not among the host's VLAN links", name)
	}
	return l, nil
}

// Delete removes a VLAN link; false when there was none. Anything that is
// not a VLAN (eth0, a bridge) is refused: this deletes VLANs only.
func Delete(e *env.Env, name string) (bool, error) {
	if err := CheckDevice(name, "a VLAN link name"); err != nil {
		return false, err
	}
	st, err := read(e)
	if err != nil {
		return false, err
	}
	kind, ok := st.kinds[name]
	if !ok {
		return false, nil
	}
	if kind != "vlan" {
		return false, fmt.Errorf("%q is %s, not a VLAN link: vlan.delete removes VLANs only", name, describe(kind, Link{}, false))
	}
	if _, err := ipTool.Change(e, "link", "del", "dev", name); err != nil {
		return false, err
	}
	return true, nil
}

// List returns the host's VLAN links.
func List(e *env.Env) ([]Link, error) {
	st, err := read(e)
	return st.vlans, err
}
