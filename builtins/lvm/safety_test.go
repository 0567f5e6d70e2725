package lvm

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmtest"
)

func fileSum(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// TestShrinkKeepsData is the data-safety test: a file written on the
// filesystem of a real LV survives lvm.lvreduce (e2fsck, resize2fs, then
// lvreduce), and cutting below the filesystem without resizing it is
// refused. LVM runs for real in metadata-only mode; the LV's bytes are
// reached through a loop device at its extents (lvmtest.Activate).
func TestShrinkKeepsData(t *testing.T) {
	exectest.RequireTools(t, "mkfs.ext4", "e2fsck", "resize2fs", "mount", "umount", "findmnt", "blkid", "blockdev")
	r := lvmtest.New(t, 256<<20)
	src := fmt.Sprintf("DEV = %q\nVG = %q\n", r.Loop, r.VG)
	mustRun(t, r.Exec, src+`
lvm.vgcreate(VG, DEV)
lvm.lvcreate(VG, "data", size = "120M")
`)
	deactivate := r.Activate(t, "data")
	mnt := t.TempDir()
	payload := make([]byte, 20<<20)
	if _, err := rand.Read(payload); err != nil {
		t.Fatal(err)
	}
	dev := "/dev/" + r.VG + "/data"
	mustRun(t, r.Exec, fmt.Sprintf("fs.mkfs(%q)\nfs.mount(%q, %q)\n", dev, dev, mnt))
	file := filepath.Join(mnt, "payload")
	if err := os.WriteFile(file, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	want := fileSum(t, file)
	mustRun(t, r.Exec, fmt.Sprintf("fs.umount(%q)\n", mnt))

	g := mustRun(t, r.Exec, src+`lv = lvm.lvreduce(VG + "/data", "60M")`)
	if !strings.Contains(g["lv"].String(), "size = 62914560") {
		t.Fatalf("after lvreduce: %s", g["lv"])
	}
	deactivate()
	r.Activate(t, "data") // now only the 60 MiB the LV kept
	lvmtest.Must(t, &exec.Local{}, "e2fsck", "-f", "-n", dev)
	mustRun(t, r.Exec, fmt.Sprintf("fs.mount(%q, %q)\n", dev, mnt))
	got := fileSum(t, file)
	mustRun(t, r.Exec, fmt.Sprintf("fs.umount(%q)\n", mnt))
	if got != want {
		t.Errorf("payload changed across the shrink: sha256 %s, want %s", got, want)
	}

	_, err := runStar(t, r.Exec, src+`lvm.lvreduce(VG + "/data", "40M", resizefs = False)`)
	if err == nil || !strings.Contains(err.Error(), "larger than the new size 41943040 (0.04 GiB): cutting it destroys data") {
		t.Errorf("lvreduce below the filesystem without resizefs: got %v, want a refusal", err)
	}
	g = mustRun(t, r.Exec, src+`lv = lvm.lvs(VG)[0]`)
	if !strings.Contains(g["lv"].String(), "size = 62914560") {
		t.Errorf("the refused lvreduce changed the LV: %s", g["lv"])
	}
}
