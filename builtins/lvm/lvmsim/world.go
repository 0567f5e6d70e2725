package lvmsim

import (
	"sort"
	"strings"

	"github.com/vrun-dev/vrun/builtins/fs/fssim"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// World is a starting state for the simulated host's storage: disks, volume
// groups with their volumes and filesystems, mounts, and files such as
// /etc/fstab. Tests seed their own with SeedWorld; `vrun --sim` starts from
// DefaultWorld.
type World struct {
	Disks []Disk // plain block devices: partitions, PVs, loop devices
	VGs   []WorldVG
	Files map[string]string
}

// Disk is a block device, with a filesystem when FS is set.
type Disk struct {
	Path  string
	Size  int64
	FS    string // "", "ext4", "swap", "LVM2_member", ...
	PT    string // a partition table: "", "dos", "gpt"
	Used  int64  // bytes in use on the filesystem
	Mount string // mount point, "" when not mounted
}

// WorldVG is a volume group on PVs (paths of Disks), 4 MiB extents.
type WorldVG struct {
	Name string
	PVs  []string
	LVs  []WorldLV
}

// WorldLV is a logical volume; Size is rounded up to whole extents.
type WorldLV struct {
	Name  string
	Size  int64
	FS    string
	PT    string // a partition table, as on a VM's disk: "", "dos", "gpt"
	Used  int64
	Mount string
}

const gib = 1 << 30

// DefaultWorld is seed 000's CentOS 6 host before the work, booted from
// the rescue DVD as the seed does to shrink its root: VolGroup on a 19.51
// GiB /dev/sda2 holding a 15.57 GiB lv_root (ext4, 1.2 GiB used) and a
// 3.94 GiB lv_swap, no free extents; the rescue system has mounted the
// installed one on /mnt/sysimage, with /dev/sda1 on /mnt/sysimage/boot;
// the stock fstab, corosync example and sheepdog init script. (A root
// filesystem mounted on / cannot be unmounted, so the host booted
// normally could not shrink it: a test seeds that world itself.)
func DefaultWorld() World {
	return World{
		Disks: []Disk{
			{Path: "/dev/sda1", Size: 500 << 20, FS: "ext4", Used: 38 << 20, Mount: "/mnt/sysimage/boot"},
			{Path: "/dev/sda2", Size: 4994*extentSize + peStart},
		},
		VGs: []WorldVG{{Name: "VolGroup", PVs: []string{"/dev/sda2"}, LVs: []WorldLV{
			{Name: "lv_root", Size: 3986 * extentSize, FS: "ext4", Used: 1288491008, Mount: "/mnt/sysimage"},
			{Name: "lv_swap", Size: 1008 * extentSize, FS: "swap"},
		}}},
		Files: map[string]string{
			"/etc/fstab":                          defaultFstab,
			"/etc/corosync/corosync.conf.example": corosyncExample,
			"/etc/init.d/sheepdog":                sheepdogInit,
		},
	}
}

// SeedWorld replaces the host's storage, LVM state and the default world's
// files with w; the host must be locked (inside WithLock or a startest
// Setup).
func SeedWorld(h *sim.Host, w World) {
	st := sim.ResetStorage(h)
	s := stateOf(h)
	s.pvs, s.vgs = map[string]*simPV{}, map[string]*simVG{}
	for _, d := range w.Disks {
		dev := &sim.BlockDev{Path: d.Path, Size: d.Size, PTType: d.PT}
		st.AddDevice(dev)
		seedFS(h, dev, d.Path, d.FS, d.Used, d.Mount)
	}
	for _, wv := range w.VGs {
		v := &simVG{name: wv.Name, uuid: s.newUUID(), pvs: wv.PVs}
		for _, p := range wv.PVs {
			s.pvs[p] = &simPV{dev: p, vg: wv.Name, uuid: s.newUUID()}
		}
		for _, wl := range wv.LVs {
			n, _ := extentsFor(wl.Size)
			dm, p := lvDevPaths(wv.Name, wl.Name)
			l := &simLV{name: wl.Name, uuid: s.newUUID(), extents: n}
			dev := &sim.BlockDev{Path: dm, Size: n * extentSize, PTType: wl.PT}
			st.AddDevice(dev, p)
			seedFS(h, dev, dm, wl.FS, wl.Used, wl.Mount)
			v.lvs = append(v.lvs, l)
		}
		s.vgs[wv.Name] = v
	}
	// As in /proc/mounts, a filesystem comes after the one it is mounted in.
	depth := func(p string) int {
		if p == "/" {
			return 0
		}
		return strings.Count(p, "/")
	}
	sort.SliceStable(st.Mounts, func(i, j int) bool { return depth(st.Mounts[i].Target) < depth(st.Mounts[j].Target) })
	// Files of the default world go too: a seeded world is the whole world.
	for p := range DefaultWorld().Files {
		h.RemoveFile(p)
	}
	for p, content := range w.Files {
		h.WriteFile(p, []byte(content), 0)
	}
}

func seedFS(h *sim.Host, dev *sim.BlockDev, source, typ string, used int64, mount string) {
	if typ == "" {
		return
	}
	dev.FS = fssim.NewFilesystem(h, typ, dev.Size)
	if !fssim.IsExt(typ) {
		dev.FS.Used = 0
		return
	}
	if used > 0 {
		dev.FS.Used = used
	}
	if mount != "" {
		dev.FS.Checked = false
		st := sim.StorageOf(h)
		st.Mounts = append(st.Mounts, &sim.Mount{Source: source, Target: mount, FSType: typ, Options: "rw,relatime", Dev: dev})
	}
}

const defaultFstab = `
#
# /etc/fstab
# Created by anaconda on Tue May  7 10:12:31 2013
#
# Accessible filesystems, by reference, are maintained under '/dev/disk'
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info
#
/dev/mapper/VolGroup-lv_root /                       ext4    defaults        1 1
/dev/sda1               /boot                   ext4    defaults        1 2
/dev/mapper/VolGroup-lv_swap swap                    swap    defaults        0 0
tmpfs                   /dev/shm                tmpfs   defaults        0 0
devpts                  /dev/pts                devpts  gid=5,mode=620  0 0
sysfs                   /sys                    sysfs   defaults        0 0
proc                    /proc                   proc    defaults        0 0
`

const corosyncExample = `# Please read the corosync.conf.5 manual page
compatibility: whitetank

totem {
	version: 2
	secauth: off
	threads: 0
	interface {
		ringnumber: 0
		bindnetaddr: 192.168.1.1
		mcastaddr: 226.94.1.1
		mcastport: 5405
		ttl: 1
	}
}

logging {
	fileline: off
	to_stderr: no
	to_logfile: yes
	to_syslog: yes
	logfile: /var/log/cluster/corosync.log
	debug: off
	timestamp: on
}
`

const sheepdogInit = `#!/bin/sh
#
# sheepdog	Sheepdog QEMU/KVM Block Storage
#
# chkconfig: - 79 21
prog="sheep"

start() {
	[ -x $exec ] || exit 5
	echo -n $"Starting Sheepdog QEMU/KVM Block Storage ($prog): "
	$prog -p 7000 /var/lib/sheepdog > /dev/null 2>&1
	retval=$?
	echo
	return $retval
}
`
