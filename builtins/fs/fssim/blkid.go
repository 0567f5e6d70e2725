package fssim

import (
	"context"
	"crypto/sha1"
	"fmt"
	"strconv"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

func simBlockdev(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	if len(c.Argv) != 3 || c.Argv[1] != "--getsize64" {
		return sim.Fail(1, "blockdev: the simulated host supports only blockdev --getsize64 DEVICE\n")
	}
	d, ok := sim.StorageOf(h).Device(c.Argv[2])
	if !ok {
		return sim.Fail(1, fmt.Sprintf("blockdev: cannot open %s: No such file or directory\n", c.Argv[2]))
	}
	return sim.OK(strconv.FormatInt(d.Size, 10) + "\n")
}

// simBlkid answers `blkid -p -o export DEV`: every signature on the
// device (a partition table, a filesystem, swap, a PV...), or exit 2 and
// no output when nothing is found, as for a missing device.
func simBlkid(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	_, pos := sim.Getopt(c.Argv[1:], "-c", "-f", "-L", "-n", "-o", "-O", "-s", "-S", "-t", "-u", "-U", "-w")
	if len(pos) == 0 {
		return sim.Fail(4, "") // blkid -p without a device: usage error
	}
	dev := pos[len(pos)-1]
	d, ok := sim.StorageOf(h).Device(dev)
	if !ok || d.FS == nil && d.PTType == "" {
		return sim.Fail(2, "")
	}
	out := "DEVNAME=" + dev + "\n"
	if d.PTType != "" {
		out += fmt.Sprintf("PTUUID=%s\nPTTYPE=%s\n", ptUUID(dev), d.PTType)
	}
	if fs := d.FS; fs != nil {
		switch fs.Type {
		case "swap":
			out += fmt.Sprintf("UUID=%s\nVERSION=1\nTYPE=swap\nUSAGE=other\n", fs.UUID)
		case "LVM2_member", "linux_raid_member":
			out += fmt.Sprintf("UUID=%s\nVERSION=LVM2 001\nTYPE=%s\nUSAGE=raid\n", fs.UUID, fs.Type)
		case "crypto_LUKS":
			out += fmt.Sprintf("UUID=%s\nVERSION=2\nTYPE=crypto_LUKS\nUSAGE=crypto\n", fs.UUID)
		default:
			out += fmt.Sprintf("UUID=%s\nVERSION=1.0\nBLOCK_SIZE=%d\nTYPE=%s\nUSAGE=filesystem\n", fs.UUID, fs.BlockSize, fs.Type)
		}
	}
	return sim.OK(out)
}

// ptUUID is a dos disk identifier, deterministic per device path.
func ptUUID(dev string) string {
	s := sha1.Sum([]byte("vrun-sim-pt-" + dev))
	return fmt.Sprintf("%x", s[:4])
}
