package recipes_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/collie"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/ovs"
	"github.com/vrun-dev/vrun/builtins/ovs/ovstest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/virsh"
	"github.com/vrun-dev/vrun/builtins/virsh/virshtest"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// guestHost is the target of the real run: virsh talks to the test's
// libvirtd, and ip and ovs-vsctl run inside the test's network namespace
// (where ovs-vswitchd makes its links) with OVS_RUNDIR pointing at the
// test's ovsdb. Sheepdog cannot run on this machine (no sheep daemon, see
// notes/machine.md), so collie and dog alone go to a simulated host. It
// records where each program went.
type guestHost struct {
	local, sim exec.Executor
	ns         string

	mu    sync.Mutex
	where map[string]string // argv[0] -> "real" or "sim"
}

func (g *guestHost) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	if len(c.Argv) == 0 {
		return g.local.Run(ctx, c)
	}
	prog, to, where := c.Argv[0], g.local, "real"
	switch prog {
	case "collie", "dog":
		to, where = g.sim, "sim"
	case "ip", "ovs-vsctl":
		c.Argv = append([]string{"ip", "netns", "exec", g.ns}, c.Argv...)
	}
	g.mu.Lock()
	g.where[prog] = where
	g.mu.Unlock()
	return to.Run(ctx, c)
}

func (g *guestHost) routes() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for p, w := range g.where {
		out = append(out, p+":"+w)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// runGuest runs libvirt-guest.star with args on ex (nil: on h alone) and
// returns what it printed and returned.
func runGuest(t *testing.T, h *sim.Host, ex exec.Executor, args ...string) string {
	t.Helper()
	out, err := tryGuest(h, ex, args...)
	if err != nil {
		t.Fatalf("libvirt-guest.star %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func tryGuest(h *sim.Host, ex exec.Executor, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	o := interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &errOut, Exec: ex,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)}
	if ex == nil {
		o.SimHost = h
	}
	v, err := interp.MustNew(o).RunRecipe("libvirt-guest.star", args)
	if err != nil {
		return out.String() + errOut.String(), errors.New(interp.Render(err))
	}
	return out.String() + "=> " + v.String() + "\n", nil
}

// guestState is what the recipe leaves, read back through the modules;
// uuids and the interface id libvirt makes up differ by nature.
const guestState = `
sw = ovs.show()
net = virsh.net_info("ovsbr0", uri = URI)
net.pop("uuid")
dom = virsh.dumpxml("papeete", uri = URI)
ifc = dom["devices"]["interface"][0]
iface = [ifc["source"], ifc["virtualport"]["type"], ifc["model"]]
memory = [dom["memory"], dom["currentMemory"]]
disk = dom["devices"]["disk"][0]["source"]
state = virsh.domstate("papeete", uri = URI)
vdis = [(v.name, v.size) for v in collie.vdi.list("papeete")]
`

func readGuestState(t *testing.T, ex exec.Executor, uri string) string {
	t.Helper()
	g := modtest.MustExec(t, ex, "URI = "+starString(uri)+"\n"+
		"collie.use(address = \"127.0.0.1\", port = 7000)\n"+guestState,
		ovs.Module(), virsh.Module(), collie.Module("collie"))
	return exectest.Normalized(t, g, nil, "sw", "net", "iface", "memory", "disk", "state", "vdis")
}

func starString(s string) string {
	if s == "" {
		return "None"
	}
	return "\"" + s + "\""
}

// TestLibvirtGuestReal runs seed 001's recipe against libvirtd's test
// driver and userspace Open vSwitch (datapath netdev), with sheepdog's
// client routed to a simulated host; a second run changes nothing. Both
// runs print what the same runs print on the simulator, and leave the
// same switch, network, domain and VDI.
func TestLibvirtGuestReal(t *testing.T) {
	exectest.RequireTools(t, "virsh", "libvirtd", "ovs-vsctl", "ip")
	o := ovstest.Start(t)
	uri := virshtest.Libvirtd(t)
	g := &guestHost{
		local: &exec.Local{Env: append(os.Environ(), "OVS_RUNDIR="+o.Dir)},
		sim:   startest.SimHost(t), // a never-formatted cluster, as on --sim's default world
		ns:    o.NS, where: map[string]string{},
	}
	// libvirtd down (no socket): the run stops before the switch changes.
	down := "test+unix:///default?socket=" + o.Dir + "/no-libvirt-sock"
	if out, err := tryGuest(nil, g, "--datapath-type", "netdev", "--uri", down); err == nil || !strings.Contains(err.Error(), "Failed to connect socket") {
		t.Errorf("with libvirtd down: got %v\n%s", err, out)
	}
	if r := o.Run("ovs-vsctl", "--db="+o.DB, "list-br"); r.Code != 0 || len(r.Stdout) != 0 {
		t.Errorf("with libvirtd down, the switch changed: list-br %q %s", r.Stdout, r.Stderr)
	}
	args := []string{"--datapath-type", "netdev", "--uri", uri}
	real1, real2 := runGuest(t, nil, g, args...), runGuest(t, nil, g, args...)
	realState := readGuestState(t, g, uri)
	if got, want := g.routes(), "collie:sim ip:real ovs-vsctl:real virsh:real"; got != want {
		t.Errorf("commands went to %s, want %s", got, want)
	}

	h := startest.SimHost(t)
	sim1, sim2 := runGuest(t, h, nil, args[:2]...), runGuest(t, h, nil, args[:2]...)
	simState := readGuestState(t, h, "")

	// The only difference: the console command names the test's URI.
	unURI := strings.NewReplacer("virsh -c "+uri+" ", "virsh ", "virsh -c '"+uri+"' ", "virsh ")
	for i, c := range []struct{ real, sim string }{{real1, sim1}, {real2, sim2}} {
		if r := unURI.Replace(c.real); r != c.sim {
			t.Errorf("run %d printed, on libvirtd and OVS:\n%s\non the simulator:\n%s", i+1, c.real, c.sim)
		}
	}
	if realState != simState {
		t.Errorf("state after the runs, on libvirtd and OVS:\n%s\non the simulator:\n%s", realState, simState)
	}
	for _, want := range []string{"created OVS bridge ovsbr0 (datapath netdev)", "defined domain papeete (976563 KiB", "papeete is running"} {
		if !strings.Contains(real1, want) {
			t.Errorf("first run: no %q in\n%s", want, real1)
		}
	}
	if !strings.Contains(real2, "nothing to change") {
		t.Errorf("second run changed something:\n%s", real2)
	}
	if !strings.Contains(realState, `"datapath_type": "netdev"`) {
		t.Errorf("the bridge is not on the netdev datapath:\n%s", realState)
	}
	t.Logf("first run:\n%s\nsecond run:\n%s\nstate:\n%s", real1, real2, realState)
}

// TestLibvirtGuestNetdevOnSim: on the simulator, a guest on a userspace
// (netdev) OVS bridge, whose own port is a tap, starts as with libvirt,
// which only reads that device's MTU before ovs-vsctl add-port.
func TestLibvirtGuestNetdevOnSim(t *testing.T) {
	h := startest.SimHost(t)
	first := runGuest(t, h, nil, "--datapath-type", "netdev")
	if !strings.Contains(first, "created OVS bridge ovsbr0 (datapath netdev)") || !strings.Contains(first, "papeete is running") {
		t.Errorf("first run:\n%s", first)
	}
	if second := runGuest(t, h, nil, "--datapath-type", "netdev"); !strings.Contains(second, "nothing to change") {
		t.Errorf("second run changed something:\n%s", second)
	}
}

// An existing bridge on the kernel's datapath is moved to the one asked
// for, and said so; then nothing changes.
func TestLibvirtGuestDatapathChange(t *testing.T) {
	h := startest.SimHost(t)
	runGuest(t, h, nil)
	if out := runGuest(t, h, nil, "--datapath-type", "netdev"); !strings.Contains(out, "set OVS bridge ovsbr0's datapath to netdev") {
		t.Errorf("second run did not move the bridge to netdev:\n%s", out)
	}
	if out := runGuest(t, h, nil, "--datapath-type", "netdev"); !strings.Contains(out, "nothing to change") {
		t.Errorf("third run changed something:\n%s", out)
	}
}

// A libvirt that cannot be reached stops the run before the OVS bridge is
// made (the simulator has no test+unix driver: "no connection driver").
func TestLibvirtGuestUnreachableLibvirt(t *testing.T) {
	h := startest.SimHost(t)
	out, err := tryGuest(h, nil, "--uri", "test+unix:///default?socket=/nonexistent/sock")
	if err == nil || !strings.Contains(err.Error(), "virsh.net_list") {
		t.Fatalf("got %v\n%s", err, out)
	}
	r, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"ovs-vsctl", "list-br"}})
	if err != nil || r.Code != 0 || len(r.Stdout) != 0 {
		t.Errorf("the switch changed: list-br %q %s %v", r.Stdout, r.Stderr, err)
	}
}
