package cssim

import (
	"strings"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The simulated host is the workstation VM: each volume attached to it is
// a block device /dev/sdX (X = 'a' + device id) of the volume's size, as
// KVM shows a CloudStack volume, with the volume's id as its serial. The
// cloud's world is the truth; syncDisks brings the host's block layer up
// to date with it before every command, so lsblk, blkid and blockdev see
// a disk appear on attach and go on detach.

// diskPath is the device a volume at device id id shows as.
func diskPath(id int) string { return "/dev/sd" + string(rune('a'+id)) }

// serial is the serial KVM gives a volume's disk: its id without dashes,
// cut to the 20 characters a virtio serial holds.
func serial(volumeID string) string {
	s := strings.ReplaceAll(volumeID, "-", "")
	if len(s) > 20 {
		s = s[:20]
	}
	return s
}

// syncDisks makes the host's /dev/sdX devices those of the volumes
// attached to the workstation. A device already there for the same volume
// is kept (what was written on it stays) and follows the volume's size; a
// device a test put there without a serial is left alone.
func syncDisks(h *sim.Host) {
	st := sim.StorageOf(h)
	want := map[string]csim.Disk{}
	for _, d := range Server(h).Disks(csim.Workstation) {
		if d.DeviceID >= 0 && d.DeviceID < 26 {
			want[diskPath(d.DeviceID)] = d
		}
	}
	for _, p := range st.Paths() {
		dev, ok := st.Device(p)
		if !ok || dev.Path != p || dev.Serial == "" || !strings.HasPrefix(p, "/dev/sd") {
			continue
		}
		if d, ok := want[p]; !ok || serial(d.VolumeID) != dev.Serial {
			if m, mounted := st.MountOf(dev); mounted {
				st.Unmount(m) // the disk went away under the mount
			}
			st.RemoveDevice(dev)
		}
	}
	for p, d := range want {
		if dev, ok := st.Device(p); ok {
			if dev.Serial == serial(d.VolumeID) {
				dev.Size = d.Size
			}
			continue
		}
		dev := &sim.BlockDev{Path: p, Size: d.Size, Serial: serial(d.VolumeID)}
		switch {
		case d.DeviceID == 0:
			dev.PTType = "dos" // the root disk, made from a template
		case d.Written:
			dev.PTType = "gpt" // a CoreOS image
		}
		st.AddDevice(dev)
	}
}
