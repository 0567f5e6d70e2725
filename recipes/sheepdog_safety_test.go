package recipes_test

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/lvm"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// simMounts lists the simulated host's mount points, in mount order.
func simMounts(h *sim.Host) []string {
	var out []string
	h.WithLock(func(h *sim.Host) {
		for _, m := range sim.StorageOf(h).Mounts {
			out = append(out, m.Target)
		}
	})
	return out
}

// sheepdogFail runs the recipe on h, wants it to fail, and returns the
// rendered error and the commands that changed the host.
func sheepdogFail(t *testing.T, h *sim.Host, args ...string) (string, []string) {
	t.Helper()
	var out bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &out, SimHost: h})
	_, err := in.RunRecipe(sheepdogRecipe, args)
	if err == nil {
		t.Fatalf("the recipe succeeded, want a failure; output:\n%s", out.String())
	}
	var ran []string
	h.WithLock(func(h *sim.Host) {
		for _, c := range h.Log {
			if c.Mutate {
				ran = append(ran, strings.Join(c.Argv, " "))
			}
		}
	})
	return interp.Render(err), ran
}

// lvSize is an LV's size in bytes as the simulated lvs reports it, "" when missing.
func lvSize(t *testing.T, h *sim.Host, vg, name string) string {
	t.Helper()
	argv := []string{"lvs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o", strings.Join(lvm.LVFields, ","), "--", vg}
	res, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil || res.Code != 0 {
		t.Fatalf("lvs: %v %s", err, res.Stderr)
	}
	lvs, err := lvm.ParseLVs(res.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lvs {
		if l.Name == name {
			return strconv.FormatInt(l.Size, 10)
		}
	}
	return ""
}

// A refused shrink leaves every filesystem mounted as it was (issue 8,
// item 9): before, a failing lvreduce left the root unmounted.
func TestSheepdogRefusedShrinkRemounts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		world func(h *sim.Host)
		want  []string
	}{
		// seed 000's rescue system: /boot is unmounted first, then the root.
		{"rescue", nil, []string{"/mnt/sysimage", "/mnt/sysimage/boot"}},
		{"mounted elsewhere", func(h *sim.Host) {
			w := lvmsim.DefaultWorld()
			w.Disks[0].Mount = ""
			w.VGs[0].LVs[0].Mount = "/mnt/root"
			lvmsim.SeedWorld(h, w)
		}, []string{"/mnt/root"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := sheepdogHost(t, tc.world)
			before := lvSize(t, h, "VolGroup", "lv_root")
			msg, ran := sheepdogFail(t, h, "--root-size", "1G") // below what the 1.2 GiB of data need
			if !strings.Contains(msg, "resize2fs: New size smaller than minimum") {
				t.Errorf("got %s\nwant resize2fs's refusal", msg)
			}
			if got := simMounts(h); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("mounted after the refused shrink: %q, want %q; ran:\n%s", got, tc.want, strings.Join(ran, "\n"))
			}
			if after := lvSize(t, h, "VolGroup", "lv_root"); after != before {
				t.Errorf("lv_root is %s bytes after the refused shrink, was %s", after, before)
			}
		})
	}
}

// On a host booted normally the root is mounted on /, which no umount
// can take away (the simulated host says "target is busy" as the real one
// does): the recipe changes nothing and says how to shrink from a rescue
// system, with the commands (issue 9). Before, the simulator unmounted /
// and a failed shrink left only /boot mounted.
func TestSheepdogRootOnSlashSaysRescue(t *testing.T) {
	booted := func(h *sim.Host) {
		w := lvmsim.DefaultWorld()
		w.Disks[0].Mount = "/boot"
		w.VGs[0].LVs[0].Mount = "/"
		lvmsim.SeedWorld(h, w)
	}
	for _, size := range []string{"6G", "1G"} {
		h := sheepdogHost(t, booted)
		msg, ran := sheepdogFail(t, h, "--root-size", size)
		for _, want := range []string{
			"cannot shrink VolGroup/lv_root here: it is the running system's root filesystem (mounted on /), which cannot be unmounted",
			"Nothing was changed", "Boot a rescue system",
			"e2fsck -f -y /dev/VolGroup/lv_root",
			"resize2fs /dev/VolGroup/lv_root " + map[string]string{"6G": "6291456K", "1G": "1048576K"}[size],
			"lvreduce -L " + map[string]string{"6G": "6442450944b", "1G": "1073741824b"}[size] + " VolGroup/lv_root",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("--root-size %s: the error lacks %q:\n%s", size, want, msg)
			}
		}
		if len(ran) > 0 {
			t.Errorf("--root-size %s: ran %q, want nothing changed", size, ran)
		}
		if got := strings.Join(simMounts(h), " "); got != "/ /boot" {
			t.Errorf("--root-size %s: mounted %q, want / and /boot", size, got)
		}
	}
}

// A busy mount below the root's: the recipe's umount fails with the real
// message, it mounts back what it had unmounted and says how to proceed.
func TestSheepdogBusyMountSaysRescue(t *testing.T) {
	h := sheepdogHost(t, func(h *sim.Host) {
		w := lvmsim.DefaultWorld()
		w.VGs[0].LVs[1] = lvmsim.WorldLV{Name: "lv_var", Size: 1008 << 22, FS: "ext4", Mount: "/mnt/sysimage/var"}
		lvmsim.SeedWorld(h, w)
		m, _ := sim.StorageOf(h).MountAt("/mnt/sysimage/var")
		m.Busy = true // a shell's working directory, say
	})
	before := simMounts(h)
	sort.Strings(before)
	msg, _ := sheepdogFail(t, h)
	for _, want := range []string{"/mnt/sysimage/var cannot be unmounted", "umount: /mnt/sysimage/var: target is busy.", "Nothing was changed", "Boot a rescue system", "resize2fs /dev/VolGroup/lv_root 6291456K"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
	got := simMounts(h)
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(before, " ") {
		t.Errorf("mounted after the failure: %q, want %q as before", got, before)
	}
}

// A VM disk holds a partition table and nothing blkid calls a filesystem:
// the recipe must not shrink it (before, it reported "shrank … and its
// filesystem" and gave the extents to lv_data).
func TestSheepdogRefusesPartitionedLV(t *testing.T) {
	h := sheepdogHost(t, func(h *sim.Host) {
		lvmsim.SeedWorld(h, lvmsim.World{
			Disks: []lvmsim.Disk{{Path: "/dev/vdb", Size: 200<<20 + 1<<20}},
			VGs: []lvmsim.WorldVG{{Name: "vg0", PVs: []string{"/dev/vdb"}, LVs: []lvmsim.WorldLV{
				{Name: "vmdisk", Size: 100 << 20, PT: "dos"},
			}}},
			Files: map[string]string{"/etc/fstab": ""},
		})
	})
	msg, ran := sheepdogFail(t, h, "--vg", "vg0", "--root-lv", "vmdisk", "--root-size", "40M")
	if !strings.Contains(msg, "vg0/vmdisk holds a dos partition table, which vrun cannot shrink") {
		t.Errorf("got %s\nwant a refusal naming the partition table", msg)
	}
	if len(ran) > 0 {
		t.Errorf("ran %q, want nothing changed", ran)
	}
	if got := lvSize(t, h, "vg0", "vmdisk"); got != "104857600" {
		t.Errorf("vmdisk is %s bytes, want 104857600", got)
	}
}
