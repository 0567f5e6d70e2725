package lvmsim

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

func simPVCreate(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s, a := stateOf(h), parseLVMArgs(c.Argv)
	if len(a.pos) == 0 {
		return sim.Fail(3, "  Please enter a physical volume path.\n  Run `pvcreate --help' for more information.\n")
	}
	var out []string
	for _, dev := range a.pos {
		d, ok := sim.StorageOf(h).Device(dev)
		if !ok {
			return lvmFail(fmt.Sprintf("No device found for %s.", dev))
		}
		if _, busy := sim.StorageOf(h).MountOf(d); busy {
			return lvmFail(fmt.Sprintf("Can't open %s exclusively.  Mounted filesystem?", dev))
		}
		if p, ok := s.pvs[dev]; ok && p.vg != "" {
			return lvmFail(fmt.Sprintf("Can't initialize physical volume %q of volume group %q without -ff", dev, p.vg), dev+": physical volume not initialized.")
		}
		if d.FS != nil {
			if _, yes := a.opts["-y"]; !yes {
				return wipeRefused(d, dev)
			}
			out = append(out, fmt.Sprintf("Wiping %s signature on %s.", d.FS.Type, dev))
			d.FS = nil
		}
		s.pvs[dev] = &simPV{dev: dev, uuid: s.newUUID()}
		out = append(out, fmt.Sprintf("Physical volume %q successfully created.", dev))
	}
	return simOut(out...)
}

func simVGCreate(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s, a := stateOf(h), parseLVMArgs(c.Argv)
	if len(a.pos) < 2 {
		return sim.Fail(3, "  Please provide volume group name and physical volumes\n  Run `vgcreate --help' for more information.\n")
	}
	name := a.pos[0]
	if _, ok := s.vgs[name]; ok {
		return lvmFail("A volume group called " + name + " already exists.")
	}
	var out []string
	for _, dev := range a.pos[1:] {
		d, ok := sim.StorageOf(h).Device(dev)
		if !ok {
			return lvmFail(fmt.Sprintf("No device found for %s.", dev))
		}
		if _, busy := sim.StorageOf(h).MountOf(d); busy {
			return lvmFail(fmt.Sprintf("Can't open %s exclusively.  Mounted filesystem?", dev))
		}
		if _, isPV := s.pvs[dev]; !isPV && d.FS != nil && !yes(a) {
			return wipeRefused(d, dev)
		}
		if p, ok := s.pvs[dev]; ok && p.vg != "" {
			return lvmFail(fmt.Sprintf("Physical volume '%s' is already in volume group '%s'", dev, p.vg),
				fmt.Sprintf("Unable to add physical volume '%s' to volume group '%s'", dev, name))
		}
	}
	v := &simVG{name: name, uuid: s.newUUID()}
	for _, dev := range a.pos[1:] {
		if _, ok := s.pvs[dev]; !ok { // vgcreate initializes plain devices itself
			s.pvs[dev] = &simPV{dev: dev, uuid: s.newUUID()}
			out = append(out, fmt.Sprintf("Physical volume %q successfully created.", dev))
		}
		s.pvs[dev].vg = name
		v.pvs = append(v.pvs, dev)
	}
	s.vgs[name] = v
	return simOut(append(out, fmt.Sprintf("Volume group %q successfully created", name))...)
}

// lvmSize parses -L: a number with an optional unit, MiB by default; the
// sign is returned apart.
func lvmSize(arg string) (bytes int64, sign byte, ok bool) {
	if arg != "" && (arg[0] == '+' || arg[0] == '-') {
		sign, arg = arg[0], arg[1:]
	}
	mult := map[byte]float64{'b': 1, 's': 512, 'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30, 't': 1 << 40, 'p': 1 << 50, 'e': 1 << 60}
	unit := float64(1 << 20)
	if n := len(arg); n > 0 {
		if m, found := mult[strings.ToLower(arg[n-1 : n])[0]]; found {
			unit, arg = m, arg[:n-1]
		}
	}
	f, err := strconv.ParseFloat(arg, 64)
	if err != nil || f < 0 {
		return 0, 0, false
	}
	if f*unit >= math.MaxInt64 { // LVM takes up to 16 EiB; extentsFor refuses these
		return math.MaxInt64, sign, true
	}
	return int64(math.Ceil(f * unit)), sign, true
}

// maxExtents is LVM's limit on an LV's extents (a uint32).
const maxExtents = math.MaxUint32

// extentsFor rounds bytes up to whole extents without overflowing.
func extentsFor(bytes int64) (int64, bool) {
	n := bytes / extentSize
	if bytes%extentSize != 0 {
		return n + 1, true
	}
	return n, false
}

func simLVCreate(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s, a := stateOf(h), parseLVMArgs(c.Argv)
	name, _ := a.get("-n", "--name")
	if len(a.pos) != 1 || name == "" {
		return sim.Fail(3, "  The simulated lvcreate needs -n NAME, -L SIZE or -l EXTENTS, and one VG.\n")
	}
	v, ok := s.vgs[a.pos[0]]
	if !ok {
		return lvmFail(fmt.Sprintf("Volume group %q not found", a.pos[0]), "Cannot process volume group "+a.pos[0])
	}
	n, out, fail := lvcreateExtents(h, a, v)
	if fail != nil {
		return *fail
	}
	if v.lv(name) != nil {
		r := lvmFail(fmt.Sprintf("Logical Volume %q already exists in volume group %q", name, v.name))
		r.Stdout = simOut(out...).Stdout
		return r
	}
	if n == 0 {
		return lvmFail("Calculated size of logical volume is 0 extents. Needs to be larger.")
	}
	if free := v.extents(h) - v.used(); n > free {
		return lvmFail(fmt.Sprintf("Volume group %q has insufficient free space (%d extents): %d required.", v.name, free, n))
	}
	l := &simLV{name: name, uuid: s.newUUID(), extents: n}
	dm, p := lvDevPaths(v.name, name)
	sim.StorageOf(h).AddDevice(&sim.BlockDev{Path: dm, Size: n * extentSize}, p)
	v.lvs = append(v.lvs, l)
	return simOut(append(out, fmt.Sprintf("Logical volume %q created.", name))...)
}

// lvcreateExtents reads -L or -l: the extents wanted and LVM's rounding note.
func lvcreateExtents(h *sim.Host, a lvmArgs, v *simVG) (int64, []string, *exec.Result) {
	free, total := v.extents(h)-v.used(), v.extents(h)
	bad := func(msg string) (int64, []string, *exec.Result) {
		r := sim.Fail(3, "  "+msg+"\n  Error during parsing of command line.\n")
		return 0, nil, &r
	}
	if size, ok := a.get("-L", "--size"); ok {
		b, _, valid := lvmSize(size)
		if !valid {
			return bad("Invalid argument for --size: " + size)
		}
		n, rounded := extentsFor(b)
		if n > maxExtents {
			r := lvmFail(fmt.Sprintf("Volume too large (%s) for extent size %s. Upper limit is less than <%s.",
				displaySize(b), displaySize(extentSize), displaySize(maxExtents*extentSize+extentSize)))
			return 0, nil, &r
		}
		if rounded {
			return n, []string{"Rounding up size to full physical extent " + displaySize(n*extentSize)}, nil
		}
		return n, nil, nil
	}
	ext, ok := a.get("-l", "--extents")
	if !ok {
		return bad("Please specify either size or extents.")
	}
	num, pct, isPct := strings.Cut(ext, "%")
	n := atoi(num)
	switch {
	case !isPct:
		return n, nil, nil
	case pct == "FREE":
		return free * n / 100, nil, nil
	case pct == "VG" || pct == "PVS":
		return total * n / 100, nil, nil
	}
	return bad("Invalid argument for --extents: " + ext)
}

func yes(a lvmArgs) bool {
	_, y := a.get("-y", "--yes")
	_, f := a.get("-f", "--force")
	return y || f
}

// wipeRefused is LVM's answer when it finds a filesystem signature and no
// -y: the prompt (unindented, as LVM prints it) answered "n".
func wipeRefused(d *sim.BlockDev, dev string) exec.Result {
	r := lvmFail("Aborted wiping of "+d.FS.Type+".", "1 existing signature left on the device.")
	r.Stderr = append([]byte(fmt.Sprintf("WARNING: %s signature detected on %s at offset 1080. Wipe it? [y/n]: [n]\n", d.FS.Type, dev)), r.Stderr...)
	return r
}
