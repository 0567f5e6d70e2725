// Package ovssim is the simulated host's Open vSwitch: ovsdb's Bridge,
// Port and Interface rows behind an ovs-vsctl fake that prints what
// ovs-vsctl 3.1 prints (checked against the real one in userspace,
// builtins/ovs's real tests), and the links ovs-vswitchd makes in the
// host's network model.
package ovssim

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// State is the ovsdb of the simulated host.
type State struct {
	// RootUUID is the Open_vSwitch row's (the first line of `show`).
	RootUUID string    `json:"root_uuid"`
	Bridges  []*Bridge `json:"bridges"`
	NextID   int       `json:"next_id"`
	// DBDown: ovsdb-server is not running (every command fails);
	// VswitchdDown: ovs-vswitchd is not, so changes wait and time out.
	DBDown       bool `json:"db_down,omitempty"`
	VswitchdDown bool `json:"vswitchd_down,omitempty"`
	// Links are the host links ovs-vswitchd made (datapaths, internal
	// ports), so it removes only its own.
	Links []string `json:"links,omitempty"`
}

// Bridge is a Bridge row; its ports are kept in order of creation.
type Bridge struct {
	Name         string  `json:"name"`
	UUID         string  `json:"uuid"`
	DatapathType string  `json:"datapath_type,omitempty"`
	Ports        []*Port `json:"ports"`
}

// Port is a Port row with its one Interface (as add-port makes them).
type Port struct {
	Name      string `json:"name"`
	UUID      string `json:"uuid"`
	Tag       int    `json:"tag,omitempty"` // 0: none
	IfaceUUID string `json:"iface_uuid"`
	Type      string `json:"type,omitempty"`  // the interface's type
	Error     string `json:"error,omitempty"` // set by ovs-vswitchd
}

var slot = sim.Slot[*State]{Key: "ovs", New: newState}

func newState() *State {
	s := &State{}
	s.RootUUID = s.uuid("root")
	return s
}

// Install declares the ovs slot and registers ovs-vsctl.
func Install(h *sim.Host) {
	slot.Declare(h)
	h.Register("ovs-vsctl", vsctl)
}

// Of returns the host's ovsdb; the host must be locked. Tests use it to
// stop the daemons (DBDown, VswitchdDown).
func Of(h *sim.Host) *State { return slot.Get(h) }

// uuid is a deterministic row id: rehearsals compare run to run.
func (s *State) uuid(what string) string {
	s.NextID++
	b := sha1.Sum([]byte(fmt.Sprintf("vrun-sim-ovs-%d-%s", s.NextID, what)))
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *State) bridge(name string) (*Bridge, bool) {
	for _, b := range s.Bridges {
		if b.Name == name {
			return b, true
		}
	}
	return nil, false
}

// port finds a port and its bridge.
func (s *State) port(name string) (*Port, *Bridge, bool) {
	for _, b := range s.Bridges {
		for _, p := range b.Ports {
			if p.Name == name {
				return p, b, true
			}
		}
	}
	return nil, nil, false
}

// clone copies the state: a command line is one transaction, applied
// only when every command in it succeeds.
func (s *State) clone() *State {
	data, _ := json.Marshal(s)
	var c State
	_ = json.Unmarshal(data, &c)
	return &c
}

// UnmarshalJSON refuses a saved ovsdb that ovsdb-server would not hold:
// unnamed or duplicate bridges and ports, tags out of range.
func (s *State) UnmarshalJSON(data []byte) error {
	type plain State
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, b := range p.Bridges {
		if b == nil || b.Name == "" || seen["b:"+b.Name] {
			return fmt.Errorf("a bridge without a name, or one named twice")
		}
		seen["b:"+b.Name] = true
		for _, pt := range b.Ports {
			if pt == nil || pt.Name == "" || seen["p:"+pt.Name] {
				return fmt.Errorf("bridge %s: a port without a name, or one named twice", b.Name)
			}
			if pt.Tag < 0 || pt.Tag > 4095 {
				return fmt.Errorf("port %s: tag %d out of 0..4095", pt.Name, pt.Tag)
			}
			seen["p:"+pt.Name] = true
		}
	}
	*s = State(p)
	return nil
}
