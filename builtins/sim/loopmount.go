package sim

import (
	"fmt"
	"path"
	"strings"
)

// Loop mounts of image files (mount -o loop,ro FILE DIR, an fstab line
// with "loop,ro"): util-linux sets up the first free /dev/loopN on the
// file and mounts it; the kernel reads the filesystem from the file's
// bytes. Only ISO 9660 is modelled (a mirror's DVD image): its primary
// volume descriptor says "CD001" at byte 32769 (ECMA-119 §8.4).

const isoMagicAt = 16*2048 + 1

// isISO9660 reports whether data holds an ISO 9660 volume descriptor.
func isISO9660(data []byte) bool {
	return len(data) >= isoMagicAt+5 && string(data[isoMagicAt:isoMagicAt+5]) == "CD001"
}

// loopMount mounts the regular file src on dir through a new loop device.
func (h *Host) loopMount(src, dir, fstype string, opts []string) (string, bool) {
	st := StorageOf(h)
	data, _ := h.ReadFile(src)
	n := 0
	for {
		if _, used := st.Device(fmt.Sprintf("/dev/loop%d", n)); !used {
			break
		}
		n++
	}
	loop := fmt.Sprintf("/dev/loop%d", n)
	if !isISO9660(data) || (fstype != "" && fstype != "iso9660" && fstype != "auto") {
		return fmt.Sprintf("mount: %s: wrong fs type, bad option, bad superblock on %s, missing codepage or helper program, or other error.\n%s", dir, loop, dmesgHint), false
	}
	d := &BlockDev{Path: loop, Size: int64(len(data)), Backing: h.real(src), FS: &Filesystem{Type: "iso9660", BlockSize: 2048, Blocks: int64(len(data)) / 2048}}
	st.AddDevice(d)
	st.Mounts = append(st.Mounts, &Mount{Source: loop, Target: dir, FSType: "iso9660",
		Options: "ro,relatime,nojoliet,check=s,map=n,blocksize=2048,iocharset=utf8", Dev: d})
	warn := "mount: " + dir + ": WARNING: source write-protected, mounted read-only.\n"
	for _, o := range opts {
		if o == "ro" {
			warn = ""
		}
	}
	return warn, true
}

// isLoopOpt reports whether mount's options ask for a loop device.
func isLoopOpt(opts []string) bool {
	for _, o := range opts {
		if o == "loop" || strings.HasPrefix(o, "loop=") {
			return true
		}
	}
	return false
}

// backs reports whether d is a loop device on the file p (findmnt
// --source FILE finds a loop mount by its backing file, as libmount does).
func (h *Host) backs(d *BlockDev, p string) bool {
	return d != nil && d.Backing != "" && d.Backing == h.real(path.Clean(p))
}
