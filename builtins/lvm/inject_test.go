package lvm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmtest"
)

// hostileNames are calls whose names a tool would read as options (or
// cannot pass at all): the first removed every LV of the VG on real LVM,
// through the /dev/mapper/ spelling, while the simulator refused it.
var hostileNames = []struct{ call, want string }{
	{`lvm.lvremove("/dev/mapper/-Slv_size>0||lv_name=a-b", confirm = True)`, `lvm.lvremove: /dev/mapper/-Slv_size>0||lv_name=a-b: got "", want a volume group name`},
	{`lvm.lvremove("/dev/mapper/-Sall-x", confirm = True)`, `got "", want a volume group name`},
	{`lvm.lvremove("/dev/mapper/" + VG + "-a\x00", confirm = True)`, `without NUL bytes`},
	{`lvm.lvremove("/dev/mapper/" + VG + "--Sx", confirm = True)`, `cannot read`},
	{`lvm.lvremove("/dev/mapper/" + VG + "--S", confirm = True)`, `cannot read`},
	{`lvm.lvremove("/dev/mapper/" + VG + "-", confirm = True)`, `got "", want a logical volume name`},
	{`lvm.lvremove("/dev/-Sall/x", confirm = True)`, `got "-Sall", want a volume group name`},
	{`lvm.lvremove(VG + "/-a", confirm = True)`, `got "-a", want a logical volume name`},
	{`lvm.lvremove(VG + "/a\x00b", confirm = True)`, `want a logical volume without NUL bytes`},
	{`lvm.lvremove(VG + "/a b", confirm = True)`, `got "a b", want a logical volume name of letters, digits and + _ . -`},
	{`lvm.lvremove(VG + "/..", confirm = True)`, `other than "." and ".."`},
	{`lvm.lvreduce("/dev/mapper/-Slv_size>0||lv_name=a-b", "4M", resizefs = False, confirm = True)`, `want a volume group name`},
	{`lvm.lvextend("/dev/mapper/-Sall-b", "40M", resizefs = False)`, `want a volume group name`},
	{`lvm.lvs("-Sall")`, `lvm.lvs: vg: got "-Sall", want a volume group name`},
	{`lvm.lvs(VG + "|x")`, `want a volume group name of letters`},
	{`lvm.lvcreate("-Sall", "x", size = "4M")`, `lvm.lvcreate: vg: got "-Sall"`},
	{`lvm.lvcreate(VG, "-x", size = "4M")`, `lvm.lvcreate: name: got "-x"`},
	{`lvm.lvcreate(VG, "x\x00", size = "4M")`, `without NUL bytes`},
	{`lvm.vgcreate("-ff", DEV)`, `lvm.vgcreate: argument 1: got "-ff"`},
	{`lvm.vgcreate("v", "-ff")`, `lvm.vgcreate: argument 2: got "-ff", want a device path`},
	{`lvm.pvcreate("-ff")`, `lvm.pvcreate: got "-ff", want a device path`},
	{`lvm.pvcreate(DEV + "\x00")`, `without NUL bytes`},
}

// TestHostileNamesRefusedRealAndSim runs each hostile call on real LVM
// (metadata-only, on a loop device) and on the simulator: both must refuse
// it with the same message before running anything, and every LV survives.
func TestHostileNamesRefusedRealAndSim(t *testing.T) {
	r := lvmtest.New(t, 64<<20)
	src := fmt.Sprintf("DEV = %q\nVG = %q\n", r.Loop, r.VG)
	mustRun(t, r.Exec, src+`
lvm.vgcreate(VG, DEV)
lvm.lvcreate(VG, "a", size = "8M")
lvm.lvcreate(VG, "b", size = "8M")
`)
	h := simHost(lvmsim.World{Disks: []lvmsim.Disk{{Path: r.Loop, Size: 64 << 20}}})
	mustRun(t, h, src+`
lvm.vgcreate(VG, DEV)
lvm.lvcreate(VG, "a", size = "8M")
lvm.lvcreate(VG, "b", size = "8M")
`)
	for name, ex := range map[string]exec.Executor{"real": r.Exec, "sim": h} {
		for _, c := range hostileNames {
			_, err := runStar(t, ex, src+c.call)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %s: got %v, want an error with %q", name, c.call, err, c.want)
			}
		}
		g := mustRun(t, ex, src+`names = sorted([lv.name for lv in lvm.lvs(VG)])`)
		if got := g["names"].String(); got != `["a", "b"]` {
			t.Errorf("%s: after the hostile calls the LVs are %s, want [\"a\", \"b\"]", name, got)
		}
	}
}

// The simulator reads LVM's command line as LVM does: an attached -S value
// is a selection, which it refuses rather than misread as an operand.
func TestSimLVMReadsOptionsAsLVMDoes(t *testing.T) {
	h := simHost(lvmsim.DefaultWorld())
	for _, argv := range [][]string{
		{"lvremove", "-y", "-Slv_size>0||lv_name=a/b"},
		{"lvremove", "-y", "--select", "lv_size>0"},
	} {
		res := mustExec(t, h, argv...)
		if res.Code == 0 || !strings.Contains(string(res.Stderr), "does not implement -S/--select") {
			t.Errorf("%q: rc %d stderr %q, want a refusal of the selection", argv, res.Code, res.Stderr)
		}
	}
	if res := mustExec(t, h, "lvremove", "-y", "--", "-Sx/y"); res.Code != 5 || !strings.Contains(string(res.Stderr), `Volume group name "-Sx" has invalid characters.`) {
		t.Errorf("an option-shaped VG after --: rc %d stderr %q", res.Code, res.Stderr)
	}
	g := mustRun(t, h, `n = len(lvm.lvs("VolGroup"))`)
	if g["n"].String() != "2" {
		t.Errorf("the refused commands changed VolGroup: %s LVs", g["n"])
	}
}
