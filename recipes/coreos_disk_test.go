package recipes_test

import (
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// argvs lists the commands the host ran, joined, in order.
func argvs(h *sim.Host) []string {
	var out []string
	h.WithLock(func(h *sim.Host) {
		for _, c := range h.Log {
			out = append(out, strings.Join(c.Argv, " "))
		}
	})
	return out
}

func index(cmds []string, prefix string) int {
	for i, c := range cmds {
		if strings.HasPrefix(c, prefix) {
			return i
		}
	}
	return -1
}

// Before coreos-install writes /dev/sdd, the recipe reads it (size and
// signatures) on the simulated workstation, where the attached volume is
// a blank 40 GB disk.
func TestCoreOSTemplateChecksDisk(t *testing.T) {
	_, err, out, h := runCoreOS(t, nil)
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	cmds := argvs(h)
	size, probe, install := index(cmds, "blockdev --getsize64 /dev/sdd"), index(cmds, "blkid -p -o export -- /dev/sdd"), index(cmds, "coreos-install -d /dev/sdd")
	if size < 0 || probe < 0 || install < 0 || size > install || probe > install {
		t.Errorf("want blockdev and blkid on /dev/sdd before coreos-install, got:\n%s", strings.Join(cmds, "\n"))
	}
	if !strings.Contains(out, "check disk /dev/sdd") {
		t.Errorf("the step is not shown:\n%s", out)
	}
}

// A device that is not the new volume (another size, a partition table,
// missing) stops the recipe before coreos-install writes anything. The
// device is put there before the run, as another disk the kernel named
// sdd; the simulator leaves a device without a volume's serial alone.
func TestCoreOSTemplateRefusesWrongDisk(t *testing.T) {
	const gb = 1 << 30
	for _, tc := range []struct {
		name  string
		dev   *sim.BlockDev
		args  []string
		wants []string
	}{
		{"wrong size", &sim.BlockDev{Path: "/dev/sdd", Size: 10 * gb}, nil,
			[]string{"step 'check disk /dev/sdd' failed", "/dev/sdd is 10737418240 bytes, not the 40 GB (42949672960 bytes) of volume", "at device id 3"}},
		{"partitioned", &sim.BlockDev{Path: "/dev/sdd", Size: 40 * gb, PTType: "dos"}, nil,
			[]string{"/dev/sdd holds a dos partition table: it is not the new, empty volume", "nothing was written"}},
		{"filesystem", &sim.BlockDev{Path: "/dev/sdd", Size: 40 * gb, FS: &sim.Filesystem{Type: "ext4", UUID: "u", BlockSize: 4096, Blocks: 40 * gb / 4096}}, nil,
			[]string{"/dev/sdd holds an ext4 filesystem"}},
		{"missing", nil, []string{"--device_prefix", "/dev/vd"},
			[]string{"step 'check disk /dev/vdd' failed", "no device /dev/vdd: volume ", "is attached at device id 3 but does not show there"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup := func(h *sim.Host) {
				if tc.dev != nil {
					sim.StorageOf(h).AddDevice(tc.dev)
				}
			}
			_, err, out, h := runCoreOSOn(t, setup, nil, tc.args...)
			if err == nil {
				t.Fatalf("the recipe wrote to a disk it should have refused:\n%s", out)
			}
			msg := interp.Render(err)
			for _, w := range tc.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if i := index(argvs(h), "coreos-install"); i >= 0 {
				t.Errorf("coreos-install ran:\n%s", strings.Join(argvs(h), "\n"))
			}
		})
	}
}
