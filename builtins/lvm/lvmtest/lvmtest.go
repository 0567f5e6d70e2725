// Package lvmtest runs real LVM in tests on machines without
// device-mapper: a loop device as the only PV LVM may see, metadata-only
// mode through a private LVM_SYSTEM_DIR, and loop devices standing in for
// activated LVs. Everything is removed when the test ends.
package lvmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// Real is LVM on a fresh loop device.
type Real struct {
	Exec *exec.Local // runs LVM with the test's LVM_SYSTEM_DIR
	Loop string      // the PV's device
	VG   string      // a VG name unique to this process, removed at the end
}

// New attaches a blank image of size bytes; the test is skipped (or failed
// under VRUN_REQUIRE_REAL_TOOLS=1) without root or lvm2.
func New(t *testing.T, size int64) *Real {
	t.Helper()
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "lvm", "losetup")
	exectest.LockBlockDevices(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "pv.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, size); err != nil {
		t.Fatal(err)
	}
	host := &exec.Local{}
	loop := strings.TrimSpace(string(Must(t, host, "losetup", "-f", "--show", img)))
	t.Cleanup(func() { Must(t, host, "losetup", "-d", loop) })
	// activation = 0: this kernel has no device-mapper. The filter keeps
	// LVM away from every other device, other tests' loop devices included;
	// locks, backups and no hints keep /run/lvm, /run/lock/lvm and /etc/lvm
	// untouched.
	conf := fmt.Sprintf("global { activation = 0 locking_dir = %q }\nbackup { backup_dir = %q archive_dir = %q }\n"+
		"devices { global_filter = [ \"a|^%s$|\", \"r|.*|\" ] hints = \"none\" }\n",
		filepath.Join(dir, "lock"), filepath.Join(dir, "backup"), filepath.Join(dir, "archive"), loop)
	if err := os.WriteFile(filepath.Join(dir, "lvm.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Real{
		Exec: &exec.Local{Env: append(os.Environ(), "LVM_SYSTEM_DIR="+dir, "LVM_SUPPRESS_FD_WARNINGS=1")},
		Loop: loop,
		VG:   fmt.Sprintf("vrunt%d", os.Getpid()),
	}
	t.Cleanup(func() {
		// Best effort: the VG may not exist if the test failed early.
		_, _ = r.Exec.Run(context.Background(), exec.Cmd{Argv: []string{"vgremove", "-ff", "-y", r.VG}})
		_, _ = r.Exec.Run(context.Background(), exec.Cmd{Argv: []string{"pvremove", "-ff", "-y", loop}})
	})
	return r
}

// Must runs argv and fails the test unless it exits 0; it returns stdout.
func Must(t testing.TB, ex exec.Executor, argv ...string) []byte {
	t.Helper()
	res, err := ex.Run(context.Background(), exec.Cmd{Argv: argv})
	if err == nil {
		err = exec.Check(res)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res.Stdout
}

// Activate stands in for device-mapper: a loop device over the extents of
// LV lv on the PV, linked as /dev/VG/LV, so real e2fsprogs and mount work on
// the volume's bytes. It returns a func that detaches it (also run at the
// end of the test); activate again after a resize to see the new size.
func (r *Real) Activate(t *testing.T, lv string) func() {
	t.Helper()
	out := Must(t, r.Exec, "pvs", "--segments", "--reportformat", "json", "--units", "b", "--nosuffix",
		"-o", "pe_start,pvseg_start,pvseg_size,lv_name,vg_extent_size", r.Loop)
	var doc struct {
		Report []struct {
			Pvseg []map[string]string `json:"pvseg"`
		} `json:"report"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Report) != 1 {
		t.Fatalf("pvs --segments: %v in %s", err, out)
	}
	var offset, size int64 = -1, 0
	for _, row := range doc.Report[0].Pvseg {
		if row["lv_name"] == lv {
			n := func(k string) int64 { v, _ := strconv.ParseInt(row[k], 10, 64); return v }
			offset, size = n("pe_start")+n("pvseg_start")*n("vg_extent_size"), n("pvseg_size")*n("vg_extent_size")
		}
	}
	if offset < 0 {
		t.Fatalf("no segment of %s in %s", lv, out)
	}
	host := &exec.Local{}
	loop := strings.TrimSpace(string(Must(t, host, "losetup", "-f", "--show",
		"--offset", strconv.FormatInt(offset, 10), "--sizelimit", strconv.FormatInt(size, 10), r.Loop)))
	dir := filepath.Join("/dev", r.VG)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, lv)
	if err := os.Symlink(loop, link); err != nil {
		t.Fatal(err)
	}
	done := false
	deactivate := func() {
		if done {
			return
		}
		done = true
		_, _ = host.Run(context.Background(), exec.Cmd{Argv: []string{"umount", loop}}) // if a failed test left it mounted
		os.Remove(link)
		os.Remove(dir)
		Must(t, host, "losetup", "-d", loop)
	}
	t.Cleanup(deactivate)
	return deactivate
}
