package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// The mount commands belong to the host, not to one module: the block
// layer they read is the host's (Storage), and lvm, fs and the coming
// libvirt/LXC fakes all mount. Messages and exit codes are util-linux
// 2.38's and GNU df's.

const dmesgHint = "       dmesg(1) may have more information after failed mount system call.\n"

func registerMountTools(h *Host) {
	h.Register("mount", simMount)
	h.Register("umount", simUmount)
	h.Register("findmnt", simFindmnt)
	h.Register("df", simDf)
}

// isExt reports whether t is a filesystem e2fsprogs makes: the only ones
// the simulated kernel mounts.
func isExt(t string) bool { return t == "ext2" || t == "ext3" || t == "ext4" }

func simMount(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	flags, pos := Getopt(c.Argv[1:], "-o", "--options", "-t", "--types")
	var opts []string
	if o, ok := flags["-o"]; ok {
		opts = strings.Split(o, ",")
	}
	if len(pos) != 2 {
		return Fail(1, "mount: the simulated host supports only mount [-o OPTIONS] [-t TYPE] DEVICE DIR\n")
	}
	dev, dir := pos[0], path.Clean(pos[1])
	st := StorageOf(h)
	if _, isFile := h.ReadFile(dev); isFile && isLoopOpt(opts) {
		for _, m := range st.Mounts {
			if h.backs(m.Dev, dev) && m.Target == dir {
				return Fail(32, fmt.Sprintf("mount: %s: %s already mounted on %s.\n%s", dir, m.Source, dir, dmesgHint))
			}
		}
		if !h.IsDir(dir) {
			return Fail(32, fmt.Sprintf("mount: %s: mount point does not exist.\n%s", dir, dmesgHint))
		}
		msg, ok := h.loopMount(dev, dir, flags["-t"], opts)
		if !ok {
			return Fail(32, msg)
		}
		return exec.Result{Stderr: []byte(msg)}
	}
	d, ok := st.Device(dev)
	if !ok {
		return Fail(32, fmt.Sprintf("mount: %s: special device %s does not exist.\n%s", dir, dev, dmesgHint))
	}
	if m, ok := st.MountOf(d); ok {
		return Fail(32, fmt.Sprintf("mount: %s: %s already mounted on %s.\n%s", dir, dev, m.Target, dmesgHint))
	}
	if d.FS == nil || !isExt(d.FS.Type) || d.FS.Bytes() > d.Size {
		return Fail(32, fmt.Sprintf("mount: %s: wrong fs type, bad option, bad superblock on %s, missing codepage or helper program, or other error.\n%s", dir, dev, dmesgHint))
	}
	shown := "rw,relatime"
	for _, o := range opts {
		if o == "ro" {
			shown = "ro,relatime"
		}
	}
	d.FS.Checked = false
	st.Mounts = append(st.Mounts, &Mount{Source: dev, Target: dir, FSType: d.FS.Type, Options: shown, Dev: d})
	return OK("")
}

func simUmount(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	_, pos := Getopt(c.Argv[1:], "-t", "-O", "-N")
	if len(pos) != 1 {
		return Fail(1, "umount: the simulated host supports only umount DIR|DEVICE\n")
	}
	st := StorageOf(h)
	arg := pos[0]
	m, ok := st.MountAt(arg)
	if !ok {
		if d, found := st.Device(arg); found {
			m, ok = st.MountOf(d)
		}
	}
	for _, o := range st.Mounts {
		if !ok && h.backs(o.Dev, arg) {
			m, ok = o, true
		}
	}
	if !ok {
		return Fail(32, fmt.Sprintf("umount: %s: not mounted.\n", arg))
	}
	if busy(st, m) {
		return Fail(32, fmt.Sprintf("umount: %s: target is busy.\n", m.Target))
	}
	st.Unmount(m)
	if m.Dev != nil && m.Dev.Backing != "" {
		st.RemoveDevice(m.Dev) // util-linux sets loop devices up with autoclear
	}
	return OK("")
}

// busy reports whether the kernel would refuse to unmount m: the running
// system's root always is (its programs run from it), and so is any mount
// with another mounted below it (/ with /boot, /mnt/sysimage with its /dev)
// or that a process uses (Busy).
func busy(st *Storage, m *Mount) bool {
	if m.Target == "/" || m.Busy {
		return true
	}
	for _, o := range st.Mounts {
		if o != m && strings.HasPrefix(o.Target, m.Target+"/") {
			return true
		}
	}
	return false
}

// simFindmnt answers `findmnt -J -l [-b] -o COLS [--mountpoint DIR]
// [--source DEV]` in util-linux's JSON layout; exit 1 and no output when
// nothing matches.
func simFindmnt(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	cols := []string{"TARGET", "SOURCE", "FSTYPE", "OPTIONS"}
	var target, source string
	for i := 1; i < len(c.Argv); i++ {
		a := c.Argv[i]
		if i+1 < len(c.Argv) {
			switch a {
			case "-o", "--output":
				cols, i = strings.Split(c.Argv[i+1], ","), i+1
				continue
			case "--mountpoint", "-M":
				target, i = path.Clean(c.Argv[i+1]), i+1
				continue
			case "--source", "-S":
				source, i = c.Argv[i+1], i+1
				continue
			}
		}
	}
	st := StorageOf(h)
	var rows []string
	for _, m := range st.Mounts {
		if target != "" && m.Target != target {
			continue
		}
		if source != "" {
			if d, ok := st.Device(source); (!ok || d != m.Dev) && !h.backs(m.Dev, source) {
				continue
			}
		}
		var fields []string
		for _, col := range cols {
			v := map[string]string{"SOURCE": m.Source, "TARGET": m.Target, "FSTYPE": m.FSType, "OPTIONS": m.Options}[strings.ToUpper(col)]
			q, _ := json.Marshal(v)
			fields = append(fields, fmt.Sprintf("         %q: %s", strings.ToLower(col), q))
		}
		rows = append(rows, "      {\n"+strings.Join(fields, ",\n")+"\n      }")
	}
	if len(rows) == 0 {
		return Fail(1, "")
	}
	return OK("{\n   \"filesystems\": [\n" + strings.Join(rows, ",") + "\n   ]\n}\n")
}

// pathExists reports whether an absolute path names something on the
// simulated host: a directory, a file, a mount point or a device.
func pathExists(h *Host, p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	st := StorageOf(h)
	_, isFile := h.ReadFile(p)
	_, isMount := st.MountAt(p)
	_, isDev := st.Device(p)
	return path.Clean(p) == "/" || isFile || isMount || isDev || h.IsDir(p)
}

// simDf answers `df -B1 --output=source,fstype,size,used,avail,target DIR`
// with GNU df's column widths (source at least 14, numbers right-aligned).
func simDf(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	_, pos := Getopt(c.Argv[1:], "-B", "--block-size", "-t", "--type", "-x", "--exclude-type")
	if len(pos) != 1 {
		return Fail(1, "df: the simulated host supports only df [OPTIONS] DIR\n")
	}
	dir := pos[0]
	m, ok := StorageOf(h).Containing(dir)
	if !ok || !pathExists(h, dir) {
		return Fail(1, fmt.Sprintf("df: %s: No such file or directory\n", dir))
	}
	fs := m.Dev.FS
	size := (fs.Blocks - fs.Overhead()) * fs.BlockSize
	avail := fs.AvailBlocks() * fs.BlockSize
	row := []string{m.Source, m.FSType, strconv.FormatInt(size, 10), strconv.FormatInt((fs.Used+fs.BlockSize-1)/fs.BlockSize*fs.BlockSize, 10), strconv.FormatInt(avail, 10), m.Target}
	head := []string{"Filesystem", "Type", "1B-blocks", "Used", "Avail", "Mounted on"}
	minw := []int{14, 4, 5, 5, 5, 0}
	var lines [2]strings.Builder
	for i := range head {
		w := max(minw[i], len(head[i]), len(row[i]))
		for j, v := range [2]string{head[i], row[i]} {
			if i > 0 {
				lines[j].WriteByte(' ')
			}
			switch {
			case i == len(head)-1:
				lines[j].WriteString(v)
			case i >= 2 && i <= 4:
				fmt.Fprintf(&lines[j], "%*s", w, v)
			default:
				fmt.Fprintf(&lines[j], "%-*s", w, v)
			}
		}
	}
	return OK(lines[0].String() + "\n" + lines[1].String() + "\n")
}
