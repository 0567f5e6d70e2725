package dogsim

import (
	"context"
	"fmt"
	"hash/fnv"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Cluster is the simulated sheepdog cluster both fakes share. Seed it from
// a test with h.WithLock(func(h) { c := collie.ClusterOf(h); ... }).
type Cluster struct {
	Formatted bool
	Down      bool   // after cluster shutdown: every command fails to connect
	Copies    string // "3" or "4:2"
	Epochs    []Epoch
	Nodes     []Node
	VDIs      []*VDI           // in creation order
	Now       func() time.Time `json:"-"` // the wall clock; tests pin it
	// In a fleet (see fleet.go), a host's own Cluster records which shared
	// one its sheep joined, and as which node.
	Joined string `json:",omitempty"`
	Member *Node  `json:",omitempty"`
}

// Node is one sheep.
type Node struct {
	Host            string
	Port, VNodes    int
	Zone            uint32
	StoreSize, Used int64
}

// Epoch is one membership change.
type Epoch struct {
	Time  int64
	Nodes []Node
}

// VDI is a VDI, a snapshot (SnapID > 0) or a clone.
type VDI struct {
	Name        string
	SnapID      int // 0: the current state
	Tag         string
	Size, Used  int64
	Shared      int64
	VID, Parent uint32
	Created     int64
	Clone       bool
	Copies      string
}

// slot keeps the cluster in the host's world.
var slot = sim.Slot[*Cluster]{Key: "sheepdog", New: func() *Cluster {
	return &Cluster{
		Nodes: []Node{{Host: "127.0.0.1", Port: 7000, VNodes: 128, StoreSize: 9985798963}},
		Now:   time.Now,
	}
}}

// ClusterOf returns the host's cluster: one unformatted sheep on
// 127.0.0.1:7000 with a 9.3 GiB store (the seed's) until seeded otherwise.
// The host must be locked.
func ClusterOf(h *sim.Host) *Cluster { return slot.Get(h) }

// Install installs the `dog` (1.0) and `collie` (0.6) fakes on h.
func Install(h *sim.Host) {
	slot.Declare(h)
	shared.Declare(h)
	h.OnService("corosync", corosyncHook)
	h.OnService("sheepdog", sheepHook)
	h.Register("dog", Fake(false))
	h.Register("collie", Fake(true))
}

// call is one parsed command line.
type call struct {
	collie, raw bool
	prog        string
	args        []string // positional, after "vdi create" etc.
	copies, tag string
	yes         bool // stdin answers the confirm prompt
	prealloc    bool
}

// Fake is the fake client: collie 0.6's formats when collie is true, else
// dog 1.0's. Both share the host's Cluster.
func Fake(collie bool) sim.Tool {
	return func(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
		k := call{collie: collie, prog: path.Base(c.Argv[0]), yes: strings.HasPrefix(strings.ToLower(string(c.Stdin)), "yes")}
		for i := 1; i < len(c.Argv); i++ {
			a := c.Argv[i]
			switch {
			case a == "-r" || a == "--raw":
				k.raw = true
			case a == "-a" || a == "-p" || a == "-c" || a == "-s":
				if i+1 == len(c.Argv) {
					return sim.Fail(64, fmt.Sprintf("%s: option requires an argument -- '%s'\n", k.prog, a[1:]))
				}
				i++
				if a == "-c" {
					k.copies = c.Argv[i]
				} else if a == "-s" {
					k.tag = c.Argv[i]
				}
			case strings.HasPrefix(a, "--copies="):
				k.copies = strings.TrimPrefix(a, "--copies=")
			case a == "-P" || a == "--prealloc":
				k.prealloc = true
			case a == "-v" || a == "-f" || a == "--force":
			default:
				k.args = append(k.args, a)
			}
		}
		var r exec.Result
		Use(h, func(cl *Cluster) { r = cl.dispatch(k) })
		return r
	}
}

func (cl *Cluster) dispatch(k call) exec.Result {
	if len(k.args) == 0 || k.args[0] == "--help" || k.args[0] == "-h" || k.args[0] == "help" {
		return sim.OK(usage(k))
	}
	cmd := strings.Join(k.args[:min(2, len(k.args))], " ")
	if cl.Down {
		return sim.Fail(2, fmt.Sprintf("failed to connect to %s:%d: Connection refused\n", cl.Nodes[0].Host, cl.Nodes[0].Port))
	}
	switch cmd {
	case "node list":
		return sim.OK(cl.nodeList(k))
	case "node info":
		return cl.nodeInfo(k)
	case "cluster info":
		return sim.OK(cl.clusterInfo(k))
	case "cluster format":
		return cl.format(k)
	case "cluster shutdown":
		cl.Down = true
		return sim.OK("")
	case "vdi list":
		if !cl.Formatted {
			return sim.Fail(2, "Failed to read inode objects: Waiting for cluster to be formatted\n")
		}
		return sim.OK(cl.vdiList(k))
	case "vdi tree":
		return sim.OK(cl.vdiTree())
	case "vdi create", "vdi delete", "vdi snapshot", "vdi clone", "vdi resize":
		return cl.vdiCommand(k)
	}
	return sim.Fail(64, fmt.Sprintf("Invalid command '%s'\nTry '%s --help' for more information.\n", cmd, k.prog))
}

func usage(k call) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sheepdog administrator utility (version %s)\n", map[bool]string{true: "0.6.0", false: "1.0.1"}[k.collie])
	fmt.Fprintf(&b, "Usage: %s <command> <subcommand> [options]\n\nAvailable commands:\n", k.prog)
	for _, s := range [][2]string{{"vdi create", "create an image"}, {"vdi snapshot", "create a snapshot"},
		{"vdi clone", "clone an image"}, {"vdi delete", "delete an image"}, {"vdi list", "list images"},
		{"vdi tree", "show images in tree view format"}, {"vdi resize", "resize an image"},
		{"node list", "list nodes"}, {"node info", "show information about each node"},
		{"cluster info", "show cluster information"}, {"cluster format", "create a Sheepdog store"},
		{"cluster shutdown", "stop Sheepdog"}} {
		fmt.Fprintf(&b, "  %-24s%s\n", s[0], s[1])
	}
	fmt.Fprintf(&b, "\nFor more information, run '%s <command> <subcommand> --help'.\n", k.prog)
	return b.String()
}

func (cl *Cluster) format(k call) exec.Result {
	if cl.Formatted && cl.hasVDIs() && !k.yes {
		// confirm() exits 0 when the answer is not "yes".
		return sim.OK("    __\n   ()'`;\n   /\\|`\n  /  |   Caution! The cluster is not empty.\n(/_)_|_  Are you sure you want to continue? [yes/no]: ")
	}
	copies := k.copies
	if copies == "" {
		copies = "3"
	}
	if !validCopies(copies) {
		return sim.Fail(64, fmt.Sprintf("Invalid parameter %s\n", copies))
	}
	if n, err := strconv.Atoi(copies); err == nil && n > cl.zones() && !k.collie && !k.yes {
		return sim.OK(fmt.Sprintf("Number of copies (%d) is larger than number of zones (%d).\nAre you sure you want to continue? [yes/no]: ", n, cl.zones()))
	}
	cl.Formatted, cl.Copies, cl.VDIs = true, copies, nil
	for i := range cl.Nodes {
		cl.Nodes[i].Used = 0
	}
	cl.Epochs = append([]Epoch{{Time: cl.Now().Unix(), Nodes: append([]Node(nil), cl.Nodes...)}}, cl.Epochs...)
	return sim.OK("using backend plain store\n")
}

func (cl *Cluster) hasVDIs() bool { return len(cl.VDIs) > 0 }

func (cl *Cluster) zones() int {
	zones := map[uint32]bool{}
	for _, n := range cl.Nodes {
		zones[n.Zone] = true
	}
	return len(zones)
}

// vidFor hashes a name into sheepdog's 24-bit VDI id space, probing
// upwards past ids in use (as sheep does).
func (cl *Cluster) vidFor(name string) uint32 {
	f := fnv.New64a()
	f.Write([]byte(name))
	vid := uint32(f.Sum64() & 0xffffff)
	for used := true; used; {
		used = false
		for _, v := range cl.VDIs {
			if v.VID == vid {
				vid, used = (vid+1)&0xffffff, true
			}
		}
	}
	return vid
}

// find returns the current VDI of name, or its snapshot by tag or id.
func (cl *Cluster) find(name, tag string) *VDI {
	for _, v := range cl.VDIs {
		if v.Name != name {
			continue
		}
		if tag == "" && v.SnapID == 0 || tag != "" && v.SnapID > 0 && (v.Tag == tag || fmt.Sprint(v.SnapID) == tag) {
			return v
		}
	}
	return nil
}

func parseSimSize(s string) (int64, bool) {
	n, err := starutil.ParseSize(s)
	return n, err == nil && n > 0
}

// CreateVDI creates a VDI as sheep does for any client (qemu's sheepdog
// driver too) and returns sheep's error text, or "" on success.
func (cl *Cluster) CreateVDI(name string, size int64) string {
	switch {
	case cl.Down:
		return "Failed to connect"
	case !cl.Formatted:
		return "Waiting for cluster to be formatted"
	case cl.find(name, "") != nil:
		return "VDI exists already"
	}
	cl.VDIs = append(cl.VDIs, &VDI{Name: name, Size: size, VID: cl.vidFor(name), Created: cl.Now().Unix(), Copies: cl.Copies})
	return ""
}

// VDI returns the current VDI of name, or its snapshot by tag or id.
func (cl *Cluster) VDI(name, tag string) *VDI { return cl.find(name, tag) }

// validCopies is dog's check of -c: 1 to 31 copies, or "data:parity".
func validCopies(s string) bool {
	ds, ps, ec := strings.Cut(s, ":")
	d, errD := strconv.Atoi(ds)
	p, errP := strconv.Atoi(ps)
	return errD == nil && (!ec && d >= 1 && d <= 31 || ec && errP == nil && d > 0 && p > 0)
}
