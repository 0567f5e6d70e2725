package lvmsim

import (
	"context"
	"crypto/sha1"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The simulated LVM: volume groups of 4 MiB extents on PVs that are
// devices of sim.StorageOf(h); each LV is a device there too, so the fs
// fakes see it grow and shrink (and see a filesystem cut by lvreduce).

const (
	extentSize = 4 << 20
	peStart    = 1 << 20 // LVM's default data alignment
)

type lvmState struct {
	pvs  map[string]*simPV // by device path
	vgs  map[string]*simVG
	uuid int
}

type simPV struct {
	dev  string
	vg   string
	uuid string
}

type simVG struct {
	name, uuid string
	pvs        []string
	lvs        []*simLV
}

// simLV is a logical volume; its block device is found by its dm path in
// sim.StorageOf(h) (see device), so a reloaded world needs no re-linking.
type simLV struct {
	name, uuid string
	extents    int64
}

// slot keeps the LVM state in the host's world (the world file's "lvm").
var slot = sim.Slot[*lvmState]{Key: "lvm", New: func() *lvmState {
	return &lvmState{pvs: map[string]*simPV{}, vgs: map[string]*simVG{}}
}}

func stateOf(h *sim.Host) *lvmState { return slot.Get(h) }

// device is l's block device in v: the one the storage holds at its dm
// path, or, in a hand-edited world that lost it, a device of l's size
// that no mount or filesystem refers to.
func (v *simVG) device(h *sim.Host, l *simLV) *sim.BlockDev {
	dm, _ := lvDevPaths(v.name, l.name)
	if d, ok := sim.StorageOf(h).Device(dm); ok {
		return d
	}
	return &sim.BlockDev{Path: dm, Size: l.extents * extentSize}
}

// Install installs the LVM fakes and seeds the default world (seed 000's
// VolGroup); tests replace it with SeedWorld.
func Install(h *sim.Host) {
	slot.Declare(h)
	for name, t := range map[string]sim.Tool{
		"pvs": simPVs, "vgs": simVGs, "lvs": simLVs, "pvcreate": simPVCreate, "vgcreate": simVGCreate,
		"lvcreate": simLVCreate, "lvextend": simResize(+1), "lvreduce": simResize(-1), "lvremove": simLVRemove,
	} {
		h.Register(name, noSelect(t))
	}
	SeedWorld(h, DefaultWorld())
}

// newUUID makes LVM-style ids (6-4-4-4-4-4-6), deterministic per host.
func (s *lvmState) newUUID() string {
	s.uuid++
	sum := sha1.Sum([]byte("vrun-sim-lvm-" + strconv.Itoa(s.uuid)))
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	for i, n := range []int{6, 4, 4, 4, 4, 4, 6} {
		if i > 0 {
			b.WriteByte('-')
		}
		for j := 0; j < n; j++ {
			b.WriteByte(alphabet[int(sum[(b.Len()+j)%len(sum)])%len(alphabet)])
		}
	}
	return b.String()
}

// pvExtents is how many extents a PV device holds.
func pvExtents(h *sim.Host, dev string) int64 {
	d, ok := sim.StorageOf(h).Device(dev)
	if !ok {
		return 0
	}
	return (d.Size - peStart) / extentSize
}

func (v *simVG) extents(h *sim.Host) int64 {
	var n int64
	for _, p := range v.pvs {
		n += pvExtents(h, p)
	}
	return n
}

func (v *simVG) used() int64 {
	var n int64
	for _, l := range v.lvs {
		n += l.extents
	}
	return n
}

func (v *simVG) lv(name string) *simLV {
	for _, l := range v.lvs {
		if l.name == name {
			return l
		}
	}
	return nil
}

func (s *lvmState) sortedVGs() []*simVG {
	out := make([]*simVG, 0, len(s.vgs))
	for _, v := range s.vgs {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// lvDevPaths are the paths of an LV's device: the kernel's dm name first.
func lvDevPaths(vg, lv string) (string, string) {
	esc := func(s string) string { return strings.ReplaceAll(s, "-", "--") }
	return "/dev/mapper/" + esc(vg) + "-" + esc(lv), "/dev/" + vg + "/" + lv
}

// displaySize prints sizes as LVM's messages do: "52.00 MiB", "9.57 GiB".
func displaySize(n int64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	f, u := float64(n)/1024, 0
	for f >= 1024 && u < len(units)-1 {
		f, u = f/1024, u+1
	}
	return fmt.Sprintf("%.2f %s", f, units[u])
}

// lvmArgs splits an LVM command line into options (with their values) and
// positional arguments.
type lvmArgs struct {
	opts map[string]string
	pos  []string
}

// lvmValueOpts are the options that take a value; LVM parses its command
// line with getopt_long, so "-Sselect" is -S with a value, like "-S select".
var lvmValueOpts = []string{"-o", "--options", "-L", "--size", "-l", "--extents", "-n", "--name",
	"--reportformat", "--units", "--config", "-S", "--select", "-O", "--sort"}

func parseLVMArgs(argv []string) lvmArgs {
	opts, pos := sim.Getopt(argv[1:], lvmValueOpts...)
	return lvmArgs{opts: opts, pos: pos}
}

// noSelect refuses -S/--select, which the fakes do not implement: a
// selection acts on every matching volume (lvremove -S 'lv_size>0' removes
// them all), so answering it with anything but a refusal would mislead.
func noSelect(t sim.Tool) sim.Tool {
	return func(ctx context.Context, h *sim.Host, c exec.Cmd) exec.Result {
		if _, ok := parseLVMArgs(c.Argv).get("-S", "--select"); ok {
			return sim.Fail(3, "  The simulated host does not implement -S/--select: name the volumes.\n")
		}
		return t(ctx, h, c)
	}
}

// validName is LVM's rule for VG and LV names.
func validName(n string) bool {
	if n == "" || n[0] == '-' || n == "." || n == ".." || len(n) > 127 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+_.-", r)) {
			return false
		}
	}
	return true
}

// badVGName is LVM's answer to an invalid VG name on the command line.
func badVGName(vg string) exec.Result {
	return lvmFail(fmt.Sprintf("Volume group name %q has invalid characters.", vg), "Cannot process volume group "+vg)
}

func (a lvmArgs) get(short, long string) (string, bool) {
	if v, ok := a.opts[short]; ok {
		return v, true
	}
	v, ok := a.opts[long]
	return v, ok
}

// lvmFail is LVM's failure: exit 5 (ECMD_FAILED) with indented messages.
func lvmFail(lines ...string) exec.Result {
	return sim.Fail(5, "  "+strings.Join(lines, "\n  ")+"\n")
}

func simOut(lines ...string) exec.Result {
	return sim.OK("  " + strings.Join(lines, "\n  ") + "\n")
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
