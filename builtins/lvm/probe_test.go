package lvm

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmtest"
)

// backend is one host to run a storage scenario on: real LVM on a loop
// device (the LV's bytes reached through lvmtest.Activate) or the
// simulator, both with an LV "disk" of 40 MiB in VG.
type backend struct {
	name string
	ex   exec.Executor
	src  string // DEV, VG and LV (the LV's device path) for Starlark
}

// backends sets up "disk" on both hosts; prepare makes on the real LV what
// sim has in its world (a partition table, a filesystem).
func backends(t *testing.T, sim lvmsim.WorldLV, prepare func(dev string)) []backend {
	t.Helper()
	r := lvmtest.New(t, 64<<20)
	src := fmt.Sprintf("DEV = %q\nVG = %q\nLV = %q\n", r.Loop, r.VG, "/dev/"+r.VG+"/disk")
	mustRun(t, r.Exec, src+`
lvm.vgcreate(VG, DEV)
lvm.lvcreate(VG, "disk", size = "40M")
`)
	r.Activate(t, "disk")
	prepare("/dev/" + r.VG + "/disk")
	sim.Name, sim.Size = "disk", 40<<20
	h := simHost(lvmsim.World{Disks: []lvmsim.Disk{{Path: r.Loop, Size: 64 << 20}}, VGs: []lvmsim.WorldVG{{Name: r.VG, PVs: []string{r.Loop}, LVs: []lvmsim.WorldLV{sim}}}})
	return []backend{{"real", r.Exec, src}, {"sim", h, src}}
}

// errorOf runs src and returns its error's message ("" when it succeeded).
func errorOf(t *testing.T, ex exec.Executor, src string) string {
	t.Helper()
	if _, err := runStar(t, ex, src); err != nil {
		return err.Error()
	}
	return ""
}

func diskSize(t *testing.T, b backend) string {
	t.Helper()
	return mustRun(t, b.ex, b.src+`n = lvm.lvs(VG)[0].size`)["n"].String()
}

// An LV holding a partition table (a VM's disk) is not blank although blkid
// reports no TYPE: lvreduce and mkfs refuse it, naming what they found,
// and fs.info says what is there. Before, fs.info said type = None and
// both cut or wiped it. Real sfdisk and blkid; the simulator agrees.
func TestPartitionTableIsInUse(t *testing.T) {
	exectest.RequireTools(t, "sfdisk", "blkid", "blockdev")
	bs := backends(t, lvmsim.WorldLV{PT: "dos"}, func(dev string) {
		res, err := (&exec.Local{}).Run(context.Background(), exec.Cmd{
			Argv: []string{"sfdisk", "-q", "--no-reread", "--no-tell-kernel", dev}, Stdin: []byte("label: dos\n,16M,83\n")})
		if err == nil {
			err = exec.Check(res)
		}
		if err != nil {
			t.Fatal(err)
		}
	})
	calls := []struct{ call, want string }{
		{`lvm.lvreduce(VG + "/disk", "20M")`, "lvm.lvreduce: " + "%VG%/disk holds a dos partition table, which vrun cannot shrink (only ext2/3/4 filesystems): cutting the volume destroys it; pass resizefs = False and confirm = True (or --yes) to cut it anyway"},
		{`lvm.lvreduce(VG + "/disk", "20M", resizefs = False)`, "lvm.lvreduce: %VG%/disk holds a dos partition table: cutting it to 20971520 bytes (0.02 GiB) may destroy data; pass confirm = True (or --yes) to cut anyway"},
		{`fs.mkfs(LV)`, "fs.mkfs: %LV% already holds a dos partition table: making a filesystem destroys it; pass confirm = True (or run with --yes)"},
	}
	for _, b := range bs {
		vg := strings.Split(b.src, "\"")[3]
		for _, c := range calls {
			want := strings.NewReplacer("%VG%", vg, "%LV%", "/dev/"+vg+"/disk").Replace(c.want)
			if got := errorOf(t, b.ex, b.src+c.call); got != want {
				t.Errorf("%s: %s:\ngot  %s\nwant %s", b.name, c.call, got, want)
			}
		}
		g := mustRun(t, b.ex, b.src+`i = fs.info(LV)`)
		for _, want := range []string{`pttype = "dos"`, `type = None`, `what = "a dos partition table"`, `size = 0`} {
			if !strings.Contains(g["i"].String(), want) {
				t.Errorf("%s: fs.info = %s, want %s", b.name, g["i"], want)
			}
		}
		if got := diskSize(t, b); got != "41943040" {
			t.Errorf("%s: the LV is %s bytes after the refusals, want 41943040", b.name, got)
		}
	}
	// What was refused is still there on the real LV.
	out := lvmtest.Must(t, &exec.Local{}, "blkid", "-p", "-o", "export", "/dev/"+strings.Split(bs[0].src, "\"")[3]+"/disk")
	if !strings.Contains(string(out), "PTTYPE=dos") {
		t.Errorf("the partition table is gone: %s", out)
	}
}

// faulty runs commands on ex except those fault answers for.
type faulty struct {
	ex    exec.Executor
	fault func(c exec.Cmd) (exec.Result, bool)
}

func (f faulty) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	if r, ok := f.fault(c); ok {
		r.Argv = c.Argv
		return r, nil
	}
	return f.ex.Run(ctx, c)
}

// A failing probe is not a blank device, and a resize2fs that exits 0
// without shrinking must be caught before the LV is cut: on a 40 MiB ext4
// LV, blkid fails as the real one does on a device it cannot open (exit 2
// and a message), or resize2fs does nothing; lvreduce must stop with a
// clear error and leave the LV and its filesystem whole. Real LVM and
// e2fsprogs (only the faulty command is replaced), and the simulator.
func TestFailedProbeOrResizeStopsShrink(t *testing.T) {
	exectest.RequireTools(t, "mkfs.ext4", "e2fsck", "resize2fs", "dumpe2fs", "blkid", "blockdev")
	bs := backends(t, lvmsim.WorldLV{FS: "ext4"}, func(dev string) {
		lvmtest.Must(t, &exec.Local{}, "mkfs.ext4", "-q", "-F", dev)
	})
	blkidFails := func(c exec.Cmd) (exec.Result, bool) {
		if c.Argv[0] != "blkid" {
			return exec.Result{}, false
		}
		return exec.Result{Code: 2, Stderr: []byte("blkid: error: " + c.Argv[len(c.Argv)-1] + ": Permission denied\n")}, true
	}
	resizeNoop := func(c exec.Cmd) (exec.Result, bool) {
		if c.Argv[0] != "resize2fs" {
			return exec.Result{}, false
		}
		return exec.Result{Stdout: []byte("The filesystem is already 40960 (1k) blocks long.  Nothing to do!\n")}, true
	}
	for _, b := range bs {
		for _, c := range []struct {
			fault func(exec.Cmd) (exec.Result, bool)
			call  string
			want  []string
		}{
			{blkidFails, `lvm.lvreduce(VG + "/disk", "20M")`, []string{"cannot tell what is on", "nothing was changed", "Permission denied"}},
			{blkidFails, `lvm.lvreduce(VG + "/disk", "20M", resizefs = False)`, []string{"blkid cannot tell what is on", "so shrinking it may destroy data"}},
			{blkidFails, `fs.mkfs(LV)`, []string{"fs.mkfs: blkid cannot tell what is on", "exited with rc 2"}},
			{blkidFails, `fs.info(LV)`, []string{"fs.info: blkid cannot tell what is on"}},
			{resizeNoop, `lvm.lvreduce(VG + "/disk", "20M")`, []string{"resize2fs exited 0 but the filesystem on", "is still 41943040 bytes, not the 20971520 asked: nothing else was changed"}},
			{resizeNoop, `fs.resize(LV, "20M")`, []string{"fs.resize: resize2fs exited 0 but the filesystem"}},
		} {
			got := errorOf(t, faulty{b.ex, c.fault}, b.src+c.call)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: %s: got %q, want it to contain %q", b.name, c.call, got, w)
				}
			}
			if got := diskSize(t, b); got != "41943040" {
				t.Fatalf("%s: %s cut the LV to %s bytes", b.name, c.call, got)
			}
		}
		g := mustRun(t, b.ex, b.src+`i = fs.info(LV)`)
		if !strings.Contains(g["i"].String(), `size = 41943040, type = "ext4"`) {
			t.Errorf("%s: the filesystem after the refusals: %s", b.name, g["i"])
		}
	}
	lvmtest.Must(t, &exec.Local{}, "e2fsck", "-f", "-n", "/dev/"+strings.Split(bs[0].src, "\"")[3]+"/disk")
}
