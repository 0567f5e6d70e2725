package fs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// loopDevice attaches a blank image of size bytes and detaches it (after
// unmounting anything left on it) when the test ends.
func loopDevice(t *testing.T, size int64) string {
	t.Helper()
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "losetup", "mkfs.ext4", "e2fsck", "resize2fs", "dumpe2fs", "blkid", "blockdev", "findmnt", "df", "mount", "umount")
	exectest.LockBlockDevices(t)
	img := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, size); err != nil {
		t.Fatal(err)
	}
	local := &exec.Local{}
	res, err := local.Run(context.Background(), exec.Cmd{Argv: []string{"losetup", "-f", "--show", img}})
	if err == nil {
		err = exec.Check(res)
	}
	if err != nil {
		t.Fatal(err)
	}
	loop := strings.TrimSpace(string(res.Stdout))
	t.Cleanup(func() {
		_, _ = local.Run(context.Background(), exec.Cmd{Argv: []string{"umount", loop}})
		_, _ = local.Run(context.Background(), exec.Cmd{Argv: []string{"losetup", "-d", loop}})
	})
	return loop
}

const fsScenario = `
blank = fs.info(DEV)
made = fs.mkfs(DEV)
checked = fs.check(DEV)
shrunk = fs.resize(DEV, "48M")
grown = fs.resize(DEV)
m = fs.mount(DEV, DIR, options = ["defaults", "user_xattr"])
m2 = fs.mount(DEV, DIR)
u = fs.usage(DIR)
mounted = [x for x in fs.mounts() if x.target == DIR]
um = fs.umount(DIR)
um2 = fs.umount(DIR)
tab = fs.fstab_entry(DEV, DIR, options = ["defaults", "user_xattr"], dump = 1, passno = 2, path = FSTAB)
tab2 = fs.fstab_entry(DEV, DIR, path = FSTAB)
`

var fsErrors = []string{
	`fs.check(DEV)`,                                      // blank device: bad magic
	`fs.mount("/dev/vrun-nosuch", DIR)`,                  // no such device
	`fs.info("/dev/vrun-nosuch")`,                        // blockdev cannot open
	`fs.mkfs(DEV); fs.mkfs(DEV)`,                         // refuses to overwrite
	`fs.mkfs(DEV, type = "ntfs")`,                        // unsupported
	`fs.mkfs(DEV, confirm = True); fs.resize(DEV, "1G")`, // larger than the device
}

// TestRealAndSimAgree runs mkfs, e2fsck, resize2fs, mount, df and fstab
// editing on a real loop device and on the simulated host and compares the
// parsed results, sizes and counts included (uuids aside), and the errors.
func TestRealAndSimAgree(t *testing.T) {
	loop := loopDevice(t, 64<<20)
	dir := filepath.Join(t.TempDir(), "mnt")
	fstab := filepath.Join(t.TempDir(), "fstab")
	if err := os.WriteFile(fstab, []byte("/dev/sda1 / ext4 defaults 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := fmt.Sprintf("DEV = %q\nDIR = %q\nFSTAB = %q\n", loop, dir, fstab)
	real := mustRun(t, &exec.Local{}, src+fsScenario)
	realTab, _ := os.ReadFile(fstab)

	h := simHost(map[string]int64{loop: 64 << 20})
	h.WithLock(func(h *sim.Host) { h.WriteFile(fstab, []byte("/dev/sda1 / ext4 defaults 1 1\n"), 0) })
	simg := mustRun(t, h, src+fsScenario)
	var simTab []byte
	h.WithLock(func(h *sim.Host) { simTab, _ = h.ReadFile(fstab) })

	names := []string{"blank", "made", "checked", "shrunk", "grown", "m", "m2", "u", "mounted", "um", "um2", "tab", "tab2"}
	if got, want := exectest.Normalized(t, simg, []string{"uuid"}, names...), exectest.Normalized(t, real, []string{"uuid"}, names...); got != want {
		t.Errorf("sim and real disagree\nsim:  %s\nreal: %s", got, want)
	}
	if string(simTab) != string(realTab) {
		t.Errorf("fstab: sim %q, real %q", simTab, realTab)
	}
	for _, e := range fsErrors {
		// A subtest per case: its blank loop device goes when it ends.
		t.Run(e, func(t *testing.T) {
			loop := loopDevice(t, 16<<20)
			src := fmt.Sprintf("DEV = %q\nDIR = %q\n", loop, dir) + e
			_, realErr := runStar(t, &exec.Local{}, src)
			_, simErr := runStar(t, simHost(map[string]int64{loop: 16 << 20}), src)
			if realErr == nil || simErr == nil {
				t.Fatalf("real error %v, sim error %v; want both to fail", realErr, simErr)
			}
			rl := uuidRE.ReplaceAllString(firstLine([]byte(realErr.Error())), "UUID")
			sl := uuidRE.ReplaceAllString(firstLine([]byte(simErr.Error())), "UUID")
			if rl != sl {
				t.Errorf("\nreal: %s\nsim:  %s", rl, sl)
			}
		})
	}
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
