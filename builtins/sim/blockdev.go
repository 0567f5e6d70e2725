package sim

import (
	"path"
	"sort"
	"strings"
)

// Storage is the simulated host's block layer, shared by the fakes of LVM
// (which creates and resizes devices) and of the filesystem tools (which
// format, check, resize and mount what is on them). Get it with StorageOf.
type Storage struct {
	devices map[string]*BlockDev // by path; aliases share one *BlockDev
	Mounts  []*Mount             // in mount order, like /proc/mounts
}

// BlockDev is a block device. Its size may drop below the filesystem on it
// (an lvreduce without resize2fs): the fakes then report the corruption the
// real tools would.
type BlockDev struct {
	Path string // canonical path (/dev/mapper/VG-LV for an LV, as the kernel names it)
	Size int64
	FS   *Filesystem // nil: no filesystem (nor swap, PV, LUKS...)
	// PTType is a partition table on the device ("dos", "gpt"), as a VM's
	// disk holds; blank means none. Blank with FS nil: blkid finds nothing.
	PTType string
	// Backing is a loop device's file (losetup's BACK-FILE); "" otherwise.
	Backing string
	// Serial is the disk's serial number (lsblk's SERIAL), as a hypervisor
	// gives a VM's disk; "" for devices that have none (LVs, loops).
	Serial string
}

// Filesystem is what mkfs left on a device.
type Filesystem struct {
	Type      string // ext4, ext3, ext2, swap; or LVM2_member, crypto_LUKS... (blkid's TYPE)
	UUID      string
	BlockSize int64
	Blocks    int64 // the filesystem's own size, in blocks
	Used      int64 // bytes of data: resize2fs cannot shrink below this
	Journal   int64 // journal blocks, fixed by mkfs
	// Checked is true after mkfs or e2fsck -f and false once mounted:
	// resize2fs insists on a fresh check before an offline resize.
	Checked bool
}

// Bytes is the filesystem's size in bytes.
func (f *Filesystem) Bytes() int64 { return f.Blocks * f.BlockSize }

// Mount is one mounted filesystem.
type Mount struct {
	Source  string // the device path as given to mount
	Target  string
	FSType  string
	Options string // as the kernel shows them: "rw,relatime"
	Dev     *BlockDev
	// Busy: a process holds files open on it, so umount fails with
	// "target is busy" (as it always does for / and for a mount with
	// another below it).
	Busy bool
}

// StorageOf returns the host's storage state; the host must be locked.
func StorageOf(h *Host) *Storage { return h.storage }

// ResetStorage empties the block layer (to seed a new world).
func ResetStorage(h *Host) *Storage {
	s := StorageOf(h)
	s.devices, s.Mounts = map[string]*BlockDev{}, nil
	return s
}

// AddDevice registers d under its path and any aliases (/dev/VG/LV).
func (s *Storage) AddDevice(d *BlockDev, aliases ...string) {
	s.devices[path.Clean(d.Path)] = d
	for _, a := range aliases {
		s.devices[path.Clean(a)] = d
	}
}

// Device finds a device by any of its paths.
func (s *Storage) Device(p string) (*BlockDev, bool) {
	d, ok := s.devices[path.Clean(p)]
	return d, ok
}

// RemoveDevice forgets a device and all its aliases.
func (s *Storage) RemoveDevice(d *BlockDev) {
	for p, x := range s.devices {
		if x == d {
			delete(s.devices, p)
		}
	}
}

// Paths lists every device path, sorted.
func (s *Storage) Paths() []string {
	out := make([]string, 0, len(s.devices))
	for p := range s.devices {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// MountAt returns the mount whose target is dir.
func (s *Storage) MountAt(dir string) (*Mount, bool) {
	dir = path.Clean(dir)
	for _, m := range s.Mounts {
		if m.Target == dir {
			return m, true
		}
	}
	return nil, false
}

// MountOf returns where d is mounted.
func (s *Storage) MountOf(d *BlockDev) (*Mount, bool) {
	for _, m := range s.Mounts {
		if m.Dev == d {
			return m, true
		}
	}
	return nil, false
}

// Containing returns the mount holding path p (the longest target prefix),
// as df resolves a directory to its filesystem.
func (s *Storage) Containing(p string) (*Mount, bool) {
	p = path.Clean(p)
	var best *Mount
	for _, m := range s.Mounts {
		if m.Target == "/" || p == m.Target || strings.HasPrefix(p, m.Target+"/") {
			if best == nil || len(m.Target) > len(best.Target) {
				best = m
			}
		}
	}
	return best, best != nil
}

// Unmount removes the mount m.
func (s *Storage) Unmount(m *Mount) {
	for i, x := range s.Mounts {
		if x == m {
			s.Mounts = append(s.Mounts[:i], s.Mounts[i+1:]...)
			return
		}
	}
}
