package lvm

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/modtest"
)

// A world saved after LVM work and loaded into a fresh host answers the
// same: the reports, the device under an LV, and the next ids handed out.
func TestWorldRoundTrip(t *testing.T) {
	h := simHost(lvmsim.DefaultWorld())
	mustRun(t, h, `
fs.umount("/mnt/sysimage/boot")
fs.umount("/mnt/sysimage")
lvm.lvreduce("VolGroup/lv_root", "6G")
data = lvm.lvcreate("VolGroup", "lv_data", extents = "100%FREE")
fs.mkfs(data.path)
`)
	saved := modtest.SaveWorld(t, h)
	if !strings.Contains(string(saved), `"lvm"`) || !strings.Contains(string(saved), `"lv_data"`) {
		t.Fatalf("saved world holds no LVM state:\n%s", saved)
	}
	h2 := simHost(lvmsim.World{})
	modtest.LoadWorld(t, h2, saved)
	report := [][]string{
		{"pvs", "--reportformat", "json", "--units", "b", "-o", "pv_name,vg_name,pv_size,pv_free,pv_uuid"},
		{"vgs", "--reportformat", "json", "--units", "b", "-o", "vg_name,vg_uuid,vg_free,lv_count"},
		{"lvs", "--reportformat", "json", "--units", "b", "-o", "lv_name,vg_name,lv_attr,lv_size,lv_uuid,lv_path"},
		{"blockdev", "--getsize64", "/dev/VolGroup/lv_data"},
		{"dumpe2fs", "-h", "/dev/mapper/VolGroup-lv_data"},
		{"lvcreate", "-n", "lv_more", "-l", "1", "VolGroup"}, // fails alike: the VG is full
		{"lvreduce", "-y", "-L", "5G", "VolGroup/lv_root"},
		{"lvs", "--reportformat", "json", "-o", "lv_name,lv_uuid,lv_size"},
	}
	for _, argv := range report {
		a, b := mustExec(t, h, argv...), mustExec(t, h2, argv...)
		if a.Code != b.Code || !bytes.Equal(a.Stdout, b.Stdout) || !bytes.Equal(a.Stderr, b.Stderr) {
			t.Errorf("%v differs after a reload:\nbefore: %d %s%s\nafter:  %d %s%s", argv, a.Code, a.Stdout, a.Stderr, b.Code, b.Stdout, b.Stderr)
		}
	}
	if got := mustExec(t, h2, "lvs", "--reportformat", "json", "-o", "lv_name", "VolGroup/lv_data"); !strings.Contains(string(got.Stdout), "lv_data") {
		t.Errorf("lv_data is gone after a reload: %s", got.Stdout)
	}
	// Saved again, the same world is the same bytes.
	if a, b := modtest.SaveWorld(t, h), modtest.SaveWorld(t, h2); !bytes.Equal(a, b) {
		t.Errorf("the reloaded world saves differently:\n%s\nvs\n%s", a, b)
	}
}
