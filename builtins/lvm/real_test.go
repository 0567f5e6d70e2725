package lvm

import (
	"fmt"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmtest"
)

const scenario = `
pv0 = lvm.pvcreate(DEV)
vg0 = lvm.vgcreate(VG, DEV)
a = lvm.lvcreate(VG, "a", size = "50M")
b = lvm.lvcreate(VG, "b", extents = "50%FREE")
a2 = lvm.lvextend(VG + "/a", "60M", resizefs = False)
a3 = lvm.lvreduce("/dev/" + VG + "/a", 40 * 1024 * 1024, resizefs = False, confirm = True)
same = lvm.lvreduce(VG + "/a", "40M", resizefs = False, confirm = True)
pvs = lvm.pvs()
vgs = lvm.vgs()
lvs = lvm.lvs(VG)
lvm.lvremove(VG + "/b", confirm = True)
final = lvm.lvs(VG)
rest = lvm.lvcreate(VG, "rest", extents = "100%FREE")
full = lvm.vgs()
`

var scenarioErrors = []string{
	`lvm.lvcreate(VG, "a", size = "1M")`,
	`lvm.lvcreate(VG, "big", size = "1G")`,
	`lvm.lvcreate("nosuchvg", "x", size = "1M")`,
	`lvm.lvextend(VG + "/a", "1G", resizefs = False)`,
	`lvm.lvremove(VG + "/nosuch", confirm = True)`,
	`lvm.vgcreate(VG, DEV)`,
	`lvm.pvcreate(DEV)`,
}

// TestRealAndSimAgree runs the same LVM scenario on the real tools and on
// the simulated host and compares the parsed results and error messages.
func TestRealAndSimAgree(t *testing.T) {
	r := lvmtest.New(t, 200<<20)
	h := simHost(lvmsim.World{Disks: []lvmsim.Disk{{Path: r.Loop, Size: 200 << 20}}})
	src := fmt.Sprintf("DEV = %q\nVG = %q\n", r.Loop, r.VG)
	real := mustRun(t, r.Exec, src+scenario)
	simg := mustRun(t, h, src+scenario)
	names := []string{"pv0", "vg0", "a", "b", "a2", "a3", "same", "pvs", "vgs", "lvs", "final", "rest", "full"}
	if got, want := exectest.Normalized(t, simg, []string{"uuid", "attr"}, names...), exectest.Normalized(t, real, []string{"uuid", "attr"}, names...); got != want {
		t.Errorf("sim and real LVM disagree\nsim:  %s\nreal: %s", got, want)
	}
	for _, e := range scenarioErrors {
		_, realErr := runStar(t, r.Exec, src+e)
		_, simErr := runStar(t, h, src+e)
		if realErr == nil || simErr == nil {
			t.Errorf("%s: real error %v, sim error %v; want both to fail", e, realErr, simErr)
			continue
		}
		if rl, sl := firstLine([]byte(realErr.Error())), firstLine([]byte(simErr.Error())); rl != sl {
			t.Errorf("%s:\nreal: %s\nsim:  %s", e, rl, sl)
		}
	}
}
