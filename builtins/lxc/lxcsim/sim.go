// Package lxcsim fakes the lxc-* tools of LXC 5.0 (Debian 12) on the
// simulated host: containers live under their lxcpath in the host's file
// system (config, rootfs, snaps/), their states and cgroup values in the
// "lxc" slot. Messages and exit codes are the ones recorded from LXC 5.0.2
// on this project's machine (builtins/lxc/testdata/README.md).
package lxcsim

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// DefaultPath is lxc-config lxc.lxcpath on Debian.
const DefaultPath = "/var/lib/lxc"

// State is the lxc slot: every container the fake knows.
type State struct {
	Containers []*Container `json:"containers"`
	// Next counts what the fake hands out: process ids and snapshot times.
	Next int `json:"next"`
}

// Container is one container; its config and rootfs are host files.
type Container struct {
	Path      string            `json:"lxcpath"`
	Name      string            `json:"name"`
	State     string            `json:"state"`
	PID       int               `json:"pid,omitempty"`
	Cgroup    map[string]string `json:"cgroup,omitempty"` // values set while it runs
	Snapshots []Snap            `json:"snapshots,omitempty"`
}

// Snap is one snapshot under the container's snaps/ directory.
type Snap struct {
	Name string `json:"name"`
	Time string `json:"time"` // YYYY:MM:DD hh:mm:ss
}

var slot = sim.Slot[*State]{Key: "lxc", New: func() *State { return &State{Next: 1} }}

var nameRE = regexp.MustCompile(`^[^/\x00]+$`)

// UnmarshalJSON refuses a saved state LXC could not have.
func (s *State) UnmarshalJSON(b []byte) error {
	type plain State
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, c := range p.Containers {
		if c == nil || !nameRE.MatchString(c.Name) || !path.IsAbs(c.Path) || seen[c.Path+"/"+c.Name] {
			return fmt.Errorf("a container without a valid name and lxcpath, or one listed twice")
		}
		seen[c.Path+"/"+c.Name] = true
		switch c.State {
		case "STOPPED":
			if c.PID != 0 {
				return fmt.Errorf("container %s: STOPPED with pid %d", c.Name, c.PID)
			}
		case "RUNNING", "FROZEN":
			if c.PID <= 0 {
				return fmt.Errorf("container %s: %s without a pid", c.Name, c.State)
			}
		default:
			return fmt.Errorf("container %s: state %q, want STOPPED, RUNNING or FROZEN", c.Name, c.State)
		}
	}
	if p.Next < 1 {
		p.Next = 1
	}
	*s = State(p)
	return nil
}

// Install declares the slot and registers the lxc-* fakes.
func Install(h *sim.Host) {
	slot.Declare(h)
	for name, t := range map[string]func(*sim.Host, *call) exec.Result{
		"lxc-create": create, "lxc-start": start, "lxc-stop": stop, "lxc-wait": wait, "lxc-info": info,
		"lxc-ls": ls, "lxc-freeze": freeze, "lxc-unfreeze": unfreeze, "lxc-attach": attach,
		"lxc-cgroup": cgroup, "lxc-copy": copyCt, "lxc-snapshot": snapshot, "lxc-destroy": destroy,
	} {
		h.Register(name, wrap(name, t))
	}
	seedHostFiles(h)
	h.Register("lxc-config", func(_ context.Context, _ *sim.Host, c exec.Cmd) exec.Result {
		if len(c.Argv) == 2 && c.Argv[1] == "lxc.lxcpath" {
			return sim.OK(DefaultPath + "\n")
		}
		return sim.Fail(1, "lxc-config: the simulated host answers only lxc-config lxc.lxcpath\n")
	})
}

// call is one lxc-* invocation, its options read as LXC's getopt does.
type call struct {
	tool     string
	opts     map[string]string
	operands []string
	stdin    []byte
	path     string // -P, else the default
	name     string // -n
}

// valued are the options taking a value: LXC's common ones, then each
// tool's (lxc-create's -f is a file, lxc-ls's -f a flag).
var valued = []string{"-P", "--lxcpath", "-n", "--name", "-l", "--logpriority", "-o", "--logfile"}

var toolValued = map[string][]string{
	"lxc-create": {"-t", "--template", "-f", "--rcfile", "-B"}, "lxc-wait": {"-s", "-t"}, "lxc-stop": {"-t"},
	"lxc-info": {"-c"}, "lxc-ls": {"-F", "--fancy-format"}, "lxc-copy": {"-N", "--newname", "-B"},
	"lxc-snapshot": {"-r", "--restore", "-N", "--newname", "-c", "-d", "--destroy"}, "lxc-attach": {"-v", "-e"},
}

func wrap(name string, t func(*sim.Host, *call) exec.Result) sim.Tool {
	return func(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
		opts, ops := sim.Getopt(c.Argv[1:], append(toolValued[name], valued...)...)
		cl := &call{tool: name, opts: opts, operands: ops, stdin: c.Stdin, path: DefaultPath}
		if p, ok := first(opts, "-P", "--lxcpath"); ok {
			cl.path = path.Clean(p)
		}
		cl.name, _ = first(opts, "-n", "--name")
		if cl.name == "" && name != "lxc-ls" {
			return sim.Fail(1, fmt.Sprintf("%s: missing container name, use --name option\n", name))
		}
		return t(h, cl)
	}
}

func first(opts map[string]string, names ...string) (string, bool) {
	for _, n := range names {
		if v, ok := opts[n]; ok {
			return v, true
		}
	}
	return "", false
}

func (c *call) has(names ...string) bool {
	_, ok := first(c.opts, names...)
	return ok
}

// fail is LXC's console error line: "lxc-X: NAME: FILE: FUNC: LINE MSG".
func (c *call) fail(code int, where string, msgs ...string) exec.Result {
	var b strings.Builder
	for _, m := range msgs {
		if where != "" {
			m = where + " " + m
		}
		fmt.Fprintf(&b, "%s: %s: %s\n", c.tool, c.name, m)
	}
	return sim.Fail(code, b.String())
}

// find returns the container named by the call.
func (s *State) find(lxcpath, name string) *Container {
	for _, c := range s.Containers {
		if c.Path == lxcpath && c.Name == name {
			return c
		}
	}
	return nil
}

func (s *State) add(c *Container) {
	s.Containers = append(s.Containers, c)
	sort.Slice(s.Containers, func(i, j int) bool {
		a, b := s.Containers[i], s.Containers[j]
		return a.Path < b.Path || a.Path == b.Path && a.Name < b.Name
	})
}

func (s *State) remove(c *Container) {
	kept := s.Containers[:0]
	for _, o := range s.Containers {
		if o != c {
			kept = append(kept, o)
		}
	}
	s.Containers = kept
}

func (c *Container) dir() string { return path.Join(c.Path, c.Name) }

// hostFiles are the account and host files seed 003 copies into its
// containers, for a simulated host that has none yet (its users are root
// and nobody).
var hostFiles = []struct {
	path, text string
	mode       uint32
}{
	{"/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", 0o644},
	{"/etc/group", "root:x:0:\nnogroup:x:65534:\n", 0o644},
	{"/etc/shadow", "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n", 0o640},
	{"/etc/sudoers", "Defaults\tenv_reset\nroot\tALL=(ALL:ALL) ALL\n", 0o440},
	{"/etc/hosts", "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n", 0o644},
	{"/etc/network/interfaces", debianInterfaces, 0o644},
}

// debianInterfaces is Debian 12's installer-written file for a host with
// one NIC on DHCP.
const debianInterfaces = `# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug eth0
iface eth0 inet dhcp
`

// seedHostFiles runs from Install, before the host answers commands (as
// lvmsim seeds its world).
func seedHostFiles(h *sim.Host) {
	for _, f := range hostFiles {
		if _, ok := h.ReadFile(f.path); !ok {
			h.MakeDir(path.Dir(f.path))
			h.WriteFile(f.path, []byte(f.text), f.mode)
		}
	}
}
