// Package virshsim is the simulated host's virsh: a qemu:///system
// hypervisor with domains, networks, storage pools and volumes and their
// state machines, answering with virsh 9.0's words (recorded against the
// test driver: ../testdata). define fills in what libvirt does: a uuid,
// MACs, openvswitch interface ids, PCI addresses, memory in KiB.
package virshsim

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// DefaultURI is the one connection the simulated host has.
const DefaultURI = "qemu:///system"

// State is the hypervisor: what libvirtd keeps.
type State struct {
	Domains  []*Domain  `json:"domains"`
	Networks []*Network `json:"networks"`
	Pools    []*Pool    `json:"pools"`
	NextID   int        `json:"next_id"` // the id the next started domain gets
	Serial   int        `json:"serial"`  // uuids and MACs made so far
}

// Domain is a defined (or transient running) domain.
type Domain struct {
	Name       string `json:"name"`
	UUID       string `json:"uuid"`
	XML        string `json:"xml"`   // as dumpxml prints it
	State      string `json:"state"` // running, paused, shut off
	Reason     string `json:"reason,omitempty"`
	ID         int    `json:"id,omitempty"`
	Persistent bool   `json:"persistent"`
	Autostart  bool   `json:"autostart,omitempty"`
}

// Network is a defined network.
type Network struct {
	Name      string `json:"name"`
	UUID      string `json:"uuid"`
	XML       string `json:"xml"`
	Bridge    string `json:"bridge,omitempty"`
	Active    bool   `json:"active"`
	Autostart bool   `json:"autostart,omitempty"`
	// Made: the bridge link net-start created (a NAT or isolated
	// network's), removed again by net-destroy.
	Made bool `json:"made,omitempty"`
}

// Pool is a storage pool with its volumes.
type Pool struct {
	Name      string    `json:"name"`
	UUID      string    `json:"uuid"`
	Type      string    `json:"type"`
	Target    string    `json:"target"`
	Active    bool      `json:"active"`
	Autostart bool      `json:"autostart,omitempty"`
	Volumes   []*Volume `json:"volumes,omitempty"`
}

// Volume is a storage volume.
type Volume struct {
	Name     string `json:"name"`
	Capacity int64  `json:"capacity"`
	Format   string `json:"format,omitempty"`
}

func newState() *State { return &State{NextID: 1} }

var slot = sim.Slot[*State]{Key: "virsh", New: newState}

// Install declares the virsh slot and registers the virsh fake.
func Install(h *sim.Host) {
	slot.Declare(h)
	h.Register("virsh", run)
}

// UnmarshalJSON refuses a saved hypervisor that does not hold together.
func (s *State) UnmarshalJSON(b []byte) error {
	type plain State
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, d := range p.Domains {
		if d == nil || d.Name == "" || seen["d/"+d.Name] || d.UUID == "" || d.XML == "" {
			return fmt.Errorf("a domain without a name, uuid or XML, or named twice")
		}
		seen["d/"+d.Name] = true
		switch d.State {
		case "running", "paused":
			if d.ID <= 0 || d.ID >= p.NextID {
				return fmt.Errorf("domain %s: %s with id %d, want 1..%d", d.Name, d.State, d.ID, p.NextID-1)
			}
		case "shut off":
			if !d.Persistent {
				return fmt.Errorf("domain %s: shut off but not persistent (it would be gone)", d.Name)
			}
		default:
			return fmt.Errorf("domain %s: unknown state %q", d.Name, d.State)
		}
	}
	for _, n := range p.Networks {
		if n == nil || n.Name == "" || seen["n/"+n.Name] || n.UUID == "" || n.XML == "" {
			return fmt.Errorf("a network without a name, uuid or XML, or named twice")
		}
		seen["n/"+n.Name] = true
	}
	for _, pl := range p.Pools {
		if pl == nil || pl.Name == "" || seen["p/"+pl.Name] || pl.UUID == "" {
			return fmt.Errorf("a pool without a name or uuid, or named twice")
		}
		seen["p/"+pl.Name] = true
	}
	*s = State(p)
	return nil
}

// reply is one command's answer: virsh prints a blank line after each
// command's output (also after a failed one's, on stdout) and its errors
// as "error: " lines.
type reply struct {
	out  string
	errs []string
}

func ok(format string, args ...any) reply { return reply{out: fmt.Sprintf(format, args...)} }
func fail(msgs ...string) reply           { return reply{errs: msgs} }

func run(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	args := c.Argv[1:]
	uri := ""
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch a := args[0]; {
		case (a == "-c" || a == "--connect") && len(args) > 1:
			uri, args = args[1], args[2:]
		case strings.HasPrefix(a, "--connect="):
			uri, args = strings.TrimPrefix(a, "--connect="), args[1:]
		case a == "-q" || a == "--quiet":
			args = args[1:]
		default:
			return sim.Fail(1, fmt.Sprintf("error: unsupported option '%s'. See --help.\n", a))
		}
	}
	if uri != "" && uri != DefaultURI {
		return sim.Fail(1, connectError(uri))
	}
	if len(args) == 0 {
		return sim.Fail(1, "error: the simulated host's virsh has no interactive mode\n")
	}
	r := dispatch(h, slot.Get(h), args[0], args[1:], c.Stdin)
	if len(r.errs) > 0 {
		var b strings.Builder
		for _, e := range r.errs {
			b.WriteString("error: " + e + "\n")
		}
		return exec.Result{Code: 1, Stdout: []byte("\n"), Stderr: []byte(b.String())}
	}
	return sim.OK(r.out + "\n")
}

func connectError(uri string) string {
	if strings.Contains(uri, "+ssh://") {
		host := strings.SplitN(strings.SplitN(uri, "://", 2)[1], "/", 2)[0]
		host = host[strings.LastIndex(host, "@")+1:]
		return fmt.Sprintf("error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: Could not resolve hostname %s: Name or service not known: Connection reset by peer\n", host)
	}
	return fmt.Sprintf("error: failed to connect to the hypervisor\nerror: no connection driver available for %s\n", uri)
}

func dispatch(h *sim.Host, s *State, cmd string, args []string, stdin []byte) reply {
	if cmd == "uri" {
		return ok("%s\n", DefaultURI)
	}
	if f, ok := domainCmds[cmd]; ok {
		return f(h, s, args, stdin)
	}
	if f, ok := networkCmds[cmd]; ok {
		return f(h, s, args, stdin)
	}
	if f, ok := storageCmds[cmd]; ok {
		return f(h, s, args, stdin)
	}
	return fail(fmt.Sprintf("unknown command: '%s'", cmd))
}

type command func(h *sim.Host, s *State, args []string, stdin []byte) reply

// operand is a command's one positional argument (after "--" or not) or
// the value of its --NAME option, as virsh's parser gives it.
func operand(args []string, name string) (string, map[string]string, bool) {
	opts, ops := sim.Getopt(args, "--"+name, "--pool", "--vol", "--name", "--type", "--target", "--capacity", "--format", "--file", "--domain", "--network")
	if v, ok := opts["--"+name]; ok {
		return v, opts, true
	}
	if len(ops) == 0 {
		return "", opts, false
	}
	return ops[0], opts, true
}

// uuid and mac are deterministic, so rehearsals compare.
func (s *State) uuid(what string) string {
	s.Serial++
	b := sha1.Sum([]byte(fmt.Sprintf("vrun-sim-virsh-%d-%s", s.Serial, what)))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *State) mac(what string) string {
	s.Serial++
	b := sha1.Sum([]byte(fmt.Sprintf("vrun-sim-virsh-mac-%d-%s", s.Serial, what)))
	return fmt.Sprintf("52:54:00:%02x:%02x:%02x", b[0], b[1], b[2])
}

// readDef reads define's file argument: /dev/stdin, or a file on the host.
func readDef(h *sim.Host, file string, stdin []byte) ([]byte, bool) {
	if file == "/dev/stdin" || file == "-" {
		return stdin, true
	}
	return h.ReadFile(file)
}

// info prints virsh's "Key:" listings, the value at column 17.
func info(kvs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kvs); i += 2 {
		fmt.Fprintf(&b, "%-15s %s\n", kvs[i]+":", kvs[i+1])
	}
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
