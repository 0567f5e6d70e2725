package lvmsim

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// Default columns of pvs/vgs/lvs, as LVM 2.03 prints them without -o.
var defaultFields = map[string][]string{
	"pv": {"pv_name", "vg_name", "pv_fmt", "pv_attr", "pv_size", "pv_free"},
	"vg": {"vg_name", "pv_count", "lv_count", "snap_count", "vg_attr", "vg_size", "vg_free"},
	"lv": {"lv_name", "vg_name", "lv_attr", "lv_size", "pool_lv", "origin", "data_percent", "metadata_percent", "move_pv", "mirror_log", "copy_percent", "convert_lv"},
}

func simPVs(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s := stateOf(h)
	a := parseLVMArgs(c.Argv)
	devs := make([]string, 0, len(s.pvs))
	for d := range s.pvs {
		devs = append(devs, d)
	}
	sort.Strings(devs)
	var rows []map[string]string
	for _, d := range devs {
		if len(a.pos) > 0 && !contains(a.pos, d) {
			continue
		}
		p := s.pvs[d]
		size := pvExtents(h, d) * extentSize
		free, attr := size, "---"
		if v, ok := s.vgs[p.vg]; ok && p.vg != "" {
			attr = "a--"
			free = size - v.usedOn(h, d)
		} else if dev, ok := sim.StorageOf(h).Device(d); ok {
			size, free = dev.Size, dev.Size // an orphan PV reports the whole device
		}
		rows = append(rows, map[string]string{"pv_name": d, "vg_name": p.vg, "pv_fmt": "lvm2", "pv_attr": attr,
			"pv_size": itoa(size), "pv_free": itoa(free), "pv_uuid": p.uuid, "dev_size": itoa(size + peStart), "pe_start": itoa(peStart)})
	}
	for _, d := range a.pos {
		if _, ok := s.pvs[d]; !ok {
			return report(a, "pv", rows, lvmFail(fmt.Sprintf("Failed to find physical volume %q.", d)))
		}
	}
	return report(a, "pv", rows, exec.Result{})
}

// usedOn is how many bytes of PV dev the VG's LVs take: LVs fill PVs in
// order, as LVM's default (normal) allocation does.
func (v *simVG) usedOn(h *sim.Host, dev string) int64 {
	left := v.used()
	for _, p := range v.pvs {
		n := min(left, pvExtents(h, p))
		if p == dev {
			return n * extentSize
		}
		left -= n
	}
	return 0
}

func simVGs(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s := stateOf(h)
	a := parseLVMArgs(c.Argv)
	var rows []map[string]string
	for _, v := range s.sortedVGs() {
		if len(a.pos) > 0 && !contains(a.pos, v.name) {
			continue
		}
		total, used := v.extents(h), v.used()
		rows = append(rows, map[string]string{"vg_name": v.name, "pv_count": itoa(int64(len(v.pvs))), "lv_count": itoa(int64(len(v.lvs))),
			"snap_count": "0", "vg_attr": "wz--n-", "vg_size": itoa(total * extentSize), "vg_free": itoa((total - used) * extentSize),
			"vg_extent_size": itoa(extentSize), "vg_extent_count": itoa(total), "vg_free_count": itoa(total - used), "vg_uuid": v.uuid})
	}
	for _, name := range a.pos {
		if _, ok := s.vgs[name]; !ok {
			return report(a, "vg", rows, lvmFail(fmt.Sprintf("Volume group %q not found", name), "Cannot process volume group "+name))
		}
	}
	return report(a, "vg", rows, exec.Result{})
}

func simLVs(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s := stateOf(h)
	a := parseLVMArgs(c.Argv)
	var rows []map[string]string
	var fail exec.Result
	for _, v := range s.sortedVGs() {
		lvs := append([]*simLV(nil), v.lvs...)
		sort.Slice(lvs, func(i, j int) bool { return lvs[i].name < lvs[j].name })
		for _, l := range lvs {
			if len(a.pos) > 0 && !contains(a.pos, v.name) && !contains(a.pos, v.name+"/"+l.name) {
				continue
			}
			attr := "-wi-a-----"
			if _, open := sim.StorageOf(h).MountOf(v.device(h, l)); open {
				attr = "-wi-ao----"
			}
			dm, p := lvDevPaths(v.name, l.name)
			rows = append(rows, map[string]string{"lv_name": l.name, "vg_name": v.name, "lv_attr": attr, "lv_size": itoa(l.extents * extentSize),
				"lv_path": p, "lv_dm_path": dm, "lv_uuid": l.uuid})
		}
	}
	for _, ref := range a.pos {
		vg, lv, isLV := strings.Cut(ref, "/")
		v, ok := s.vgs[vg]
		switch {
		case !ok:
			fail = lvmFail(fmt.Sprintf("Volume group %q not found", vg), "Cannot process volume group "+vg)
		case isLV && v.lv(lv) == nil:
			fail = lvmFail(fmt.Sprintf("Failed to find logical volume %q", ref))
		}
	}
	return report(a, "lv", rows, fail)
}

// report prints rows in LVM's JSON layout (two-space indented, one row per
// line, every value a string) with the requested columns; fail, when it has
// a code, supplies the exit code and stderr.
func report(a lvmArgs, kind string, rows []map[string]string, fail exec.Result) exec.Result {
	if f, _ := a.opts["--reportformat"]; f != "json" {
		return sim.Fail(3, "  The simulated host answers LVM reports only with --reportformat json.\n")
	}
	fields := defaultFields[kind]
	if o, ok := a.get("-o", "--options"); ok {
		fields = strings.Split(o, ",")
	}
	var lines []string
	for _, r := range rows {
		cols := make([]string, len(fields))
		for i, f := range fields {
			v, ok := r[f]
			if !ok && !knownEmpty[f] {
				return lvmFail("Unrecognised field: " + f)
			}
			k, _ := json.Marshal(f)
			q, _ := json.Marshal(v)
			cols[i] = string(k) + ":" + string(q)
		}
		lines = append(lines, "                  {"+strings.Join(cols, ", ")+"}")
	}
	body := strings.Join(lines, ",\n")
	if body != "" {
		body += "\n"
	}
	out := "  {\n      \"report\": [\n          {\n              \"" + kind + "\": [\n" + body +
		"              ]\n          }\n      ]\n  }\n"
	fail.Stdout = []byte(out)
	return fail
}

// Columns the fake leaves empty (no thin pools, snapshots or mirrors).
var knownEmpty = map[string]bool{"pool_lv": true, "origin": true, "data_percent": true, "metadata_percent": true,
	"move_pv": true, "mirror_log": true, "copy_percent": true, "convert_lv": true}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
