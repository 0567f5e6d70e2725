package recipes_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// runRecipe runs a recipe once on h; it returns stdout and the error.
func runRecipe(t *testing.T, h *sim.Host, recipe string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	in := interp.MustNew(interp.Options{
		Ctx: context.Background(), Stdout: &out, Stderr: &errOut, SimHost: h,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
	})
	_, err := in.RunRecipe(recipe, args)
	if err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

func world(t *testing.T, h *sim.Host) []byte {
	t.Helper()
	var w []byte
	var err error
	h.WithLock(func(h *sim.Host) { w, err = h.SaveWorld() })
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestLocalMirror runs the mirror recipe on a fresh simulated host, then
// again: the second run adds nothing and leaves the world as it was.
func TestLocalMirror(t *testing.T) {
	h := startest.SimHost(t)
	out, err := runRecipe(t, h, "local-mirror.star")
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	for _, want := range []string{"extras: 2 packages (5632 bytes), 2 added", "made /var/www/html/centos/5/extras/i386 -> RPMS",
		"cron (reposer): 13 2 * * * cd /var/www/html/centos/5; mv -f mirror.log mirror.log.old;", "tree given to reposer",
		"user reposer created", "fetched /var/www/html/centos/RPM-GPG-KEY-CentOS-5", "no DVD image"} {
		if !strings.Contains(out, want) {
			t.Errorf("first run lacks %q:\n%s", want, out)
		}
	}
	before := world(t, h)
	out, err = runRecipe(t, h, "local-mirror.star")
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	changedNotes := []string{"made ", "wrote ", "cron (", "tree given", "created", "fetched"}
	if !strings.Contains(out, "extras: 2 packages (5632 bytes), 0 added (0 bytes), 0 removed") || slices.ContainsFunc(changedNotes, func(n string) bool { return strings.Contains(out, n) }) {
		t.Errorf("second run changed something:\n%s", out)
	}
	if after := world(t, h); !bytes.Equal(before, after) {
		t.Errorf("second run changed the world")
	}
	r, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"crontab", "-u", "reposer", "-l"}})
	if err != nil || string(r.Stdout) != "13 2 * * * cd /var/www/html/centos/5; mv -f mirror.log mirror.log.old; /usr/local/sbin/CentOS-repository-mirror.sh > mirror.log 2>&1\n" {
		t.Errorf("reposer's crontab: %q %v", r.Stdout, err)
	}
	r, err = h.Run(context.Background(), exec.Cmd{Argv: []string{"stat", "-c", "%U:%G", "/var/www/html/centos/5/extras/RPMS/yumex-1.2.2-1.0.el5.centos.noarch.rpm", "/var/www/html/centos/5"}})
	if err != nil || string(r.Stdout) != "reposer:reposer\nreposer:reposer\n" {
		t.Errorf("the tree is not the mirror user's: %q %v", r.Stdout, err)
	}
}

// TestLocalMirrorISO: the DVD image is mounted through fstab only after its
// checksum matches; a mismatch stops before fstab and mount.
func TestLocalMirrorISO(t *testing.T) {
	iso := make([]byte, 64<<10)
	copy(iso[16*2048+1:], "CD001")
	sum := sha256.Sum256(iso)
	path := "/var/www/html/centos/5/isos/i386/CentOS-5.0-i386-bin-DVD.iso"
	seed := func(h *sim.Host) {
		h.MakeDir("/var/www/html/centos/5/isos/i386")
		h.WriteFile(path, iso, 0o644)
	}

	h := startest.SimHost(t)
	h.WithLock(seed)
	out, err := runRecipe(t, h, "local-mirror.star", "--iso-sha256", strings.Repeat("0", 64))
	if err == nil || !strings.Contains(interp.Render(err), "sha256 is "+hex.EncodeToString(sum[:])+", want 000") {
		t.Fatalf("a wrong checksum did not stop the run: %v\n%s", err, out)
	}
	h.WithLock(func(h *sim.Host) {
		fstab, _ := h.ReadFile("/etc/fstab")
		if strings.Contains(string(fstab), "iso9660") || len(sim.StorageOf(h).Mounts) != 2 {
			t.Errorf("a mismatched image reached fstab or was mounted:\n%s", fstab)
		}
	})
	if _, err := runRecipe(t, h, "local-mirror.star"); err == nil || !strings.Contains(interp.Render(err), "no checksum was given") {
		t.Errorf("an unchecked image was not refused: %v", err)
	}

	out, err = runRecipe(t, h, "local-mirror.star", "--iso-sha256", hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	h.WithLock(func(h *sim.Host) {
		fstab, _ := h.ReadFile("/etc/fstab")
		if !strings.Contains(string(fstab), path+" /var/www/html/centos/5/os/i386 iso9660 loop,ro 0 0") {
			t.Errorf("fstab:\n%s", fstab)
		}
		m, ok := sim.StorageOf(h).MountAt("/var/www/html/centos/5/os/i386")
		if !ok || m.FSType != "iso9660" || !strings.HasPrefix(m.Options, "ro,") {
			t.Errorf("base not mounted read-only: %+v", m)
		}
	})
	before := world(t, h)
	if out, err := runRecipe(t, h, "local-mirror.star", "--iso-sha256", hex.EncodeToString(sum[:])); err != nil || strings.Contains(out, "mounted read-only") {
		t.Errorf("second run: %v\n%s", err, out)
	}
	if !bytes.Equal(before, world(t, h)) {
		t.Error("second run with the image changed the world")
	}
}
