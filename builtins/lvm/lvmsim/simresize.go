package lvmsim

import (
	"context"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The simulated lvextend, lvreduce and lvremove: commands on an existing LV.

// findLV resolves VG/LV (or /dev/VG/LV) for lvextend, lvreduce, lvremove.
func findLV(s *lvmState, ref string) (*simVG, *simLV, *exec.Result) {
	ref = strings.TrimPrefix(ref, "/dev/")
	vg, lv, _ := strings.Cut(ref, "/")
	if !validName(vg) {
		r := badVGName(vg)
		return nil, nil, &r
	}
	v, ok := s.vgs[vg]
	if !ok {
		r := lvmFail(fmt.Sprintf("Volume group %q not found", vg), "Cannot process volume group "+vg)
		return nil, nil, &r
	}
	l := v.lv(lv)
	if l == nil {
		r := lvmFail(fmt.Sprintf("Failed to find logical volume %q", ref))
		return nil, nil, &r
	}
	return v, l, nil
}

// simResize is lvextend (dir +1) or lvreduce (dir -1).
func simResize(dir int) sim.Tool {
	return func(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
		s, a := stateOf(h), parseLVMArgs(c.Argv)
		size, ok := a.get("-L", "--size")
		if len(a.pos) != 1 || !ok {
			return sim.Fail(3, "  The simulated lvextend/lvreduce needs -L SIZE and one VG/LV.\n")
		}
		if _, r := a.get("-r", "--resizefs"); r {
			return sim.Fail(3, "  The simulated host does not implement --resizefs (it needs fsadm); resize the filesystem with resize2fs.\n")
		}
		v, l, fail := findLV(s, a.pos[0])
		if fail != nil {
			return *fail
		}
		b, sign, valid := lvmSize(size)
		if !valid {
			return sim.Fail(3, fmt.Sprintf("  Invalid argument for --size: %s\n  Error during parsing of command line.\n", size))
		}
		n, _ := extentsFor(b)
		switch sign {
		case '+':
			n = l.extents + n
		case '-':
			n = l.extents - n
		}
		if dir > 0 && n > maxExtents {
			return lvmFail(fmt.Sprintf("Unable to extend %s/%s by %d logical extents: exceeds limit (%d).", v.name, l.name, n-l.extents, int64(maxExtents)))
		}
		if r := resizeRefusal(h, v, l, n, dir); r != nil {
			return *r
		}
		ref := v.name + "/" + l.name
		var warn string
		if dir < 0 {
			warn = fmt.Sprintf("  WARNING: Reducing active logical volume to %s.\n  THIS MAY DESTROY YOUR DATA (filesystem etc.)\n", displaySize(n*extentSize))
			if !yes(a) {
				r := lvmFail(fmt.Sprintf("Logical volume %s NOT reduced.", l.name))
				r.Stderr = []byte(warn + fmt.Sprintf("Do you really want to reduce %s? [y/n]: [n]\n", ref) + string(r.Stderr))
				return r
			}
		}
		msg := simOut(fmt.Sprintf("Size of logical volume %s changed from %s (%d extents) to %s (%d extents).", ref,
			displaySize(l.extents*extentSize), l.extents, displaySize(n*extentSize), n), "Logical volume "+ref+" successfully resized.")
		msg.Stderr = []byte(warn)
		l.extents, v.device(h, l).Size = n, n*extentSize
		return msg
	}
}

// resizeRefusal is LVM's objection to resizing l to n extents, if any.
func resizeRefusal(h *sim.Host, v *simVG, l *simLV, n int64, dir int) *exec.Result {
	var r exec.Result
	switch free := v.extents(h) - v.used(); {
	case n == l.extents:
		r = lvmFail(fmt.Sprintf("New size (%d extents) matches existing size (%d extents).", n, l.extents))
	case dir > 0 && n < l.extents:
		r = lvmFail(fmt.Sprintf("New size given (%d extents) not larger than existing size (%d extents)", n, l.extents))
	case dir < 0 && n > l.extents:
		r = lvmFail(fmt.Sprintf("New size given (%d extents) not less than existing size (%d extents)", n, l.extents))
	case dir > 0 && n-l.extents > free:
		r = lvmFail(fmt.Sprintf("Insufficient free space: %d extents needed, but only %d available", n-l.extents, free))
	default:
		return nil
	}
	return &r
}

func simLVRemove(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s, a := stateOf(h), parseLVMArgs(c.Argv)
	if len(a.pos) == 0 {
		return sim.Fail(3, "  Please enter one or more logical volume paths.\n")
	}
	var out []string
	for _, ref := range a.pos {
		v, l, fail := findLV(s, ref)
		if fail != nil {
			return *fail
		}
		if _, busy := sim.StorageOf(h).MountOf(v.device(h, l)); busy {
			return lvmFail(fmt.Sprintf("Logical volume %s/%s contains a filesystem in use.", v.name, l.name))
		}
		if !yes(a) {
			r := lvmFail(fmt.Sprintf("Logical volume %s not removed.", l.name))
			r.Stderr = []byte(fmt.Sprintf("Do you really want to remove active logical volume %s/%s? [y/n]: [n]\n", v.name, l.name) + string(r.Stderr))
			return r
		}
		for i, x := range v.lvs {
			if x == l {
				v.lvs = append(v.lvs[:i], v.lvs[i+1:]...)
				break
			}
		}
		sim.StorageOf(h).RemoveDevice(v.device(h, l))
		out = append(out, fmt.Sprintf("Logical volume %q successfully removed.", l.name))
	}
	return simOut(out...)
}
