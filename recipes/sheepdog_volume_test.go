package recipes_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmtest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

const (
	sheepdogRecipe = "sheepdog-volume.star"
	sheepdogLib    = "lib/sheepdog.star" // the steps both seed 000 recipes run
)

// sheepdogHost is a simulated host with every fake, in the default world
// (seed 000's VolGroup) unless seed replaces it.
func sheepdogHost(t testing.TB, seed func(h *sim.Host)) *sim.Host {
	h := startest.SimHost(t)
	if seed != nil {
		h.WithLock(seed)
	}
	return h
}

// sheepdogRun runs the recipe once on h and returns its stdout and the
// commands it ran.
func sheepdogRun(t *testing.T, h *sim.Host, args ...string) (string, []string) {
	t.Helper()
	var before int
	h.WithLock(func(h *sim.Host) { before = len(h.Log) })
	var out, errOut bytes.Buffer
	in := interp.MustNew(interp.Options{
		Ctx: context.Background(), Stdout: &out, Stderr: &errOut, SimHost: h,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
	})
	if _, err := in.RunRecipe(sheepdogRecipe, args); err != nil {
		t.Fatalf("recipe failed: %s\nstdout:\n%s\nstderr:\n%s", interp.Render(err), out.String(), errOut.String())
	}
	var ran []string
	h.WithLock(func(h *sim.Host) {
		for _, c := range h.Log[before:] {
			if c.Mutate {
				ran = append(ran, strings.Join(c.Argv, " "))
			}
		}
	})
	return out.String(), ran
}

func sheepdogFile(h *sim.Host, p string) string {
	var s string
	h.WithLock(func(h *sim.Host) {
		b, _ := h.ReadFile(p)
		s = string(b)
	})
	return s
}

func TestSheepdogVolumeTwice(t *testing.T) {
	h := sheepdogHost(t, nil)
	out, ran := sheepdogRun(t, h)
	t.Logf("first run:\n%s", out)
	for _, want := range []string{
		"changed: shrank VolGroup/lv_root and its filesystem from 15.57 GiB to 6.00 GiB",
		"changed: created VolGroup/lv_data from the free extents (9.57 GiB)",
		"changed: made ext4 on /dev/VolGroup/lv_data",
		"changed: fstab: /dev/mapper/VolGroup-lv_data /data ext4 defaults,user_xattr 1 2",
		"changed: mounted /dev/mapper/VolGroup-lv_data on /data",
		"changed: corosync binds to 172.16.3.0",
		"changed: sheep stores its objects in /data",
		"changed: formatted the sheepdog cluster (copies = 1)",
		"changed: created VDI papeete of 1G",
		"-cdrom /home/kei/isos/vyatta-livecd_VC6.5R1_amd64.iso",
		"sheepdog:papeete",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("first run output lacks %q", want)
		}
	}
	// The seed's order: check and shrink the filesystem before the volume.
	order := strings.Join(ran, "\n")
	umount := strings.Index(order, "umount -- /mnt/sysimage\n")
	fsck := strings.Index(order, "e2fsck -f -y -- /dev/VolGroup/lv_root")
	resize := strings.Index(order, "resize2fs -- /dev/VolGroup/lv_root 6291456K")
	reduce := strings.Index(order, "lvreduce -y -L 6442450944b -- VolGroup/lv_root")
	if umount < 0 || fsck < umount || resize < fsck || reduce < resize {
		t.Errorf("want umount, e2fsck, resize2fs, lvreduce in that order; ran:\n%s", order)
	}
	// The rescue system's mounts are back, /boot below the root.
	if got := strings.Join(simMounts(h), " "); got != "/mnt/sysimage /mnt/sysimage/boot /data" {
		t.Errorf("mounted after the run: %s", got)
	}
	if fstab := sheepdogFile(h, "/etc/fstab"); strings.Count(fstab, " /data ") != 1 {
		t.Errorf("fstab should have one /data line:\n%s", fstab)
	}
	if conf := sheepdogFile(h, "/etc/corosync/corosync.conf"); !strings.Contains(conf, "bindnetaddr: 172.16.3.0\n") {
		t.Errorf("corosync.conf:\n%s", conf)
	}
	if init := sheepdogFile(h, "/etc/init.d/sheepdog"); !strings.Contains(init, "$prog -p 7000 /data > /dev/null 2>&1") {
		t.Errorf("sheepdog init script:\n%s", init)
	}

	out, ran = sheepdogRun(t, h)
	t.Logf("second run:\n%s", out)
	if len(ran) > 0 {
		t.Errorf("the second run changed the host:\n%s", strings.Join(ran, "\n"))
	}
	if strings.Contains(out, "changed:") || !strings.Contains(out, "nothing to change: everything was already in place") {
		t.Errorf("the second run should say it changed nothing:\n%s", out)
	}
}

// A custom world and parameters: another VG, an unmounted root, a bigger
// VDI; the lvm package exports SeedWorld for this.
func TestSheepdogVolumeCustomWorld(t *testing.T) {
	h := sheepdogHost(t, func(h *sim.Host) {
		lvmsim.SeedWorld(h, lvmsim.World{
			Disks: []lvmsim.Disk{{Path: "/dev/vdb", Size: 40<<30 + 1<<20}},
			VGs: []lvmsim.WorldVG{{Name: "vg0", PVs: []string{"/dev/vdb"}, LVs: []lvmsim.WorldLV{
				{Name: "root", Size: 40 << 30, FS: "ext4", Used: 3 << 30},
			}}},
			Files: map[string]string{"/etc/fstab": "", "/etc/corosync/corosync.conf": "totem {\n\tinterface {\n\t\tbindnetaddr: 10.0.0.0\n\t}\n}\n"},
		})
	})
	out, _ := sheepdogRun(t, h, "--vg", "vg0", "--root-lv", "root", "--root-size", "10G", "--data-lv", "store",
		"--mount", "/var/lib/sheepdog", "--network", "192.168.10.0", "--vdi", "alpine", "--vdi-size", "4G", "--copies", "1")
	for _, want := range []string{
		"changed: shrank vg0/root and its filesystem from 40.00 GiB to 10.00 GiB",
		"changed: created vg0/store from the free extents (30.00 GiB)",
		"changed: corosync binds to 192.168.10.0",
		"note:    no /etc/init.d/sheepdog here",
		"changed: created VDI alpine of 4G",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestSheepdogShrinkKeepsDataReal is the data-safety test on real tools: the
// recipes' own shrink step (shrink_root in lib/sheepdog.star, which both
// seed 000 recipes load: unmount, e2fsck, resize2fs, lvreduce, mount again) runs on real LVM (metadata-only mode on a loop
// device; the LV's bytes are reached through a loop device at its extents)
// and real e2fsprogs, and a file written before survives it, checksum
// compared, also after the volume is re-read at its new size.
func TestSheepdogShrinkKeepsDataReal(t *testing.T) {
	exectest.RequireTools(t, "mkfs.ext4", "e2fsck", "resize2fs", "mount", "umount", "findmnt", "blkid", "blockdev", "dumpe2fs")
	r := lvmtest.New(t, 256<<20)
	var out bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &out, Exec: r.Exec})
	th := in.Thread(sheepdogLib)
	recipe, err := in.ExecFile(th, sheepdogLib, nil)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	mnt := t.TempDir()
	dev := "/dev/" + r.VG + "/root"
	run := func(src string) {
		t.Helper()
		pre := starlark.StringDict{"shrink_root": recipe["shrink_root"]}
		for k, v := range in.Predeclared {
			pre[k] = v
		}
		head := fmt.Sprintf("DEV = %q\nVG = %q\nLV = %q\nMNT = %q\n", r.Loop, r.VG, dev, mnt)
		if _, err := starlark.ExecFileOptions(interp.FileOptions(), th, "driver.star", head+src, pre); err != nil {
			t.Fatalf("%s\noutput:\n%s", interp.Render(err), out.String())
		}
	}
	run(`lvm.vgcreate(VG, DEV)
lvm.lvcreate(VG, "root", size = "120M")`)
	deactivate := r.Activate(t, "root")
	run(`fs.mkfs(LV)
fs.mount(LV, MNT)`)
	payload := make([]byte, 20<<20)
	if _, err := rand.Read(payload); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(mnt, "payload")
	if err := os.WriteFile(file, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(payload)

	run(`
def did(msg):
    print("changed: " + msg)

def ok(msg):
    print("ok: " + msg)

shrink_root(host("local"), [lv for lv in lvm.lvs(VG) if lv.name == "root"][0], size("60M"), did, ok)
lv = lvm.lvs(VG)[0]
if lv.size != size("60M"):
    fail("root is %d bytes after the shrink" % lv.size)
if not fs.mounts(target = MNT):
    fail("the recipe did not mount the filesystem back")
fs.umount(MNT)
`)
	t.Logf("recipe output:\n%s", out.String())
	if want := "changed: shrank " + r.VG + "/root and its filesystem from 120.00 MiB to 60.00 MiB"; !strings.Contains(out.String(), want) {
		t.Errorf("the recipe's output lacks %q", want)
	}
	deactivate()
	r.Activate(t, "root") // the volume at its new size only
	lvmtest.Must(t, &exec.Local{}, "e2fsck", "-f", "-n", dev)
	run(`fs.mount(LV, MNT)`)
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	run(`fs.umount(MNT)`)
	if sha256.Sum256(got) != want {
		t.Errorf("the payload changed across the recipe's shrink")
	}
}

func TestSheepdogVolumeNoRoom(t *testing.T) {
	h := sheepdogHost(t, nil)
	var out bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &out, SimHost: h})
	_, err := in.RunRecipe(sheepdogRecipe, []string{"--root-size", "20G"})
	if err == nil || !strings.Contains(err.Error(), "volume group VolGroup has no free extents for lv_data: shrink the root LV further (--root-size)") {
		t.Errorf("got %v, want the no-free-extents failure", err)
	}
}

// Bad parameters stop the recipe before its first change: no command that
// mutates the host runs (before, --copies 0 shrank the root LV and only
// failed at collie.cluster.format).
func TestSheepdogVolumeValidatesFirst(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--copies", "0"}, "--copies: got 0, want 1 to 31"},
		{[]string{"--copies", "32"}, "--copies: got 32, want 1 to 31"},
		{[]string{"--root-size", "ten"}, `--root-size: size: for parameter text_or_int: invalid size "ten"`},
		{[]string{"--vdi-size", "0"}, `--vdi-size: got 0, want a size above 0`},
		{[]string{"--vdi-size", "1X"}, `--vdi-size: size: for parameter text_or_int: invalid size "1X"`},
		{[]string{"--vg", ""}, `--vg: got "", want a name`},
		{[]string{"--data-lv", ""}, `--data-lv: got "", want a name`},
		{[]string{"--vdi", "-a"}, `--vdi: got "-a", want a name`},
		{[]string{"--mount", "data"}, `--mount: got "data", want an absolute directory`},
	} {
		t.Run(strings.Join(c.args, "="), func(t *testing.T) {
			h := sheepdogHost(t, nil)
			var out bytes.Buffer
			in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &out, SimHost: h})
			_, err := in.RunRecipe(sheepdogRecipe, c.args)
			if err == nil || !strings.Contains(interp.Render(err), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
			h.WithLock(func(h *sim.Host) {
				for _, cmd := range h.Log {
					if cmd.Mutate {
						t.Errorf("ran %q before failing", strings.Join(cmd.Argv, " "))
					}
				}
			})
		})
	}
}

// BenchmarkSheepdogVolumeSim measures one rehearsal of the recipe on a
// fresh simulated host, and how many commands it runs.
func BenchmarkSheepdogVolumeSim(b *testing.B) {
	cmds := 0
	for i := 0; i < b.N; i++ {
		h := sheepdogHost(b, nil)
		in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard, SimHost: h})
		if _, err := in.RunRecipe(sheepdogRecipe, nil); err != nil {
			b.Fatal(interp.Render(err))
		}
		h.WithLock(func(h *sim.Host) { cmds += len(h.Log) })
	}
	b.ReportMetric(float64(cmds)/float64(b.N), "cmds/run")
}
