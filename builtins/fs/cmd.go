package fs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/interp/env"
	"github.com/vrun-dev/vrun/interp/exec"
)

// Info describes a block device and the filesystem found on it. These Go
// functions are shared with the lvm module, which checks and resizes the
// filesystem on a volume before it shrinks the volume.
type Info struct {
	Device    string
	DevSize   int64  // the device's size in bytes
	Type      string // "" when blkid finds no filesystem
	UUID      string
	Size      int64 // the filesystem's own size (ext*: block count × block size); 0 when unknown
	BlockSize int64
	Free      int64
}

// Kind names what blkid found, with its article: "an ext4 filesystem",
// "a swap area".
func Kind(typ string) string {
	switch {
	case typ == "":
		return "no filesystem"
	case typ == "swap":
		return "a swap area"
	case strings.ContainsRune("aeiox", rune(typ[0])): // "an ext4", "an xfs"
		return "an " + typ + " filesystem"
	}
	return "a " + typ + " filesystem"
}

// IsExt reports whether t is a filesystem e2fsprogs handles.
func IsExt(t string) bool { return t == "ext2" || t == "ext3" || t == "ext4" }

// Probe reads what is on device: its size (blockdev), the filesystem type
// (blkid) and, for ext2/3/4, the filesystem's own size (dumpe2fs).
func Probe(e *env.Env, device string) (Info, error) {
	info := Info{Device: device}
	res, err := e.Run(exec.Cmd{Argv: []string{"blockdev", "--getsize64", device}})
	if err != nil {
		return info, err
	}
	if res.Code != 0 {
		return info, fmt.Errorf("cannot open %s (does the device exist and is the volume active?)\n%w", device, exec.Check(res))
	}
	if info.DevSize, err = strconv.ParseInt(strings.TrimSpace(string(res.Stdout)), 10, 64); err != nil {
		return info, fmt.Errorf("blockdev: bad size %q", strings.TrimSpace(string(res.Stdout)))
	}
	res, err = e.Run(exec.Cmd{Argv: []string{"blkid", "-p", "-o", "export", device}})
	if err != nil {
		return info, err
	}
	switch res.Code {
	case 0:
	case 2: // nothing found: a blank device
		return info, nil
	default:
		return info, exec.Check(res)
	}
	kv := ParseBlkid(res.Stdout)
	info.Type, info.UUID = kv["TYPE"], kv["UUID"]
	if !IsExt(info.Type) {
		return info, nil
	}
	res, err = e.Run(exec.Cmd{Argv: []string{"dumpe2fs", "-h", device}})
	if err != nil {
		return info, err
	}
	if err := exec.Check(res); err != nil {
		return info, err
	}
	sb, err := ParseDumpe2fs(res.Stdout)
	if err != nil {
		return info, err
	}
	info.BlockSize, info.Size, info.Free = sb.BlockSize, sb.BlockCount*sb.BlockSize, sb.FreeBlocks*sb.BlockSize
	return info, nil
}

// Check runs `e2fsck -f -y device`. Exit codes 0 (clean) and 1 (errors
// corrected) are success; it reports whether anything was corrected.
func Check(e *env.Env, device string) (CheckSummary, bool, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"e2fsck", "-f", "-y", device}, Mutate: true})
	if err != nil {
		return CheckSummary{}, false, err
	}
	if res.Code > 1 {
		// e2fsck explains on stdout; stderr holds only its banner.
		if tail := exec.Tail(res.Stdout, 4); tail != "" {
			return CheckSummary{}, false, fmt.Errorf("e2fsck failed:\n%s\n%w", tail, exec.Check(res))
		}
		return CheckSummary{}, false, exec.Check(res)
	}
	sum, _ := ParseE2fsck(res.Stdout)
	return sum, res.Code == 1, nil
}

// Resize runs `resize2fs device [size]`; size 0 fills the device. The size
// goes in KiB, which every e2fsprogs understands.
func Resize(e *env.Env, device string, size int64) error {
	argv := []string{"resize2fs", device}
	if size > 0 {
		if size%1024 != 0 {
			return fmt.Errorf("size %d is not a whole number of KiB", size)
		}
		argv = append(argv, strconv.FormatInt(size/1024, 10)+"K")
	}
	res, err := e.Run(exec.Cmd{Argv: argv, Mutate: true})
	if err != nil {
		return err
	}
	return exec.Check(res)
}

// Mounts lists mounted filesystems, all of them or those matching one
// --mountpoint or --source filter (findmnt resolves device symlinks).
func Mounts(e *env.Env, filter ...string) ([]MountEntry, error) {
	argv := append([]string{"findmnt", "-J", "-l", "-b", "-o", "SOURCE,TARGET,FSTYPE,OPTIONS"}, filter...)
	res, err := e.Run(exec.Cmd{Argv: argv})
	if err != nil {
		return nil, err
	}
	if res.Code == 1 && len(res.Stdout) == 0 {
		return nil, nil // nothing matched
	}
	if err := exec.Check(res); err != nil {
		return nil, err
	}
	return ParseFindmnt(res.Stdout)
}

// UsageOf runs df on dir.
func UsageOf(e *env.Env, dir string) (Usage, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"df", "-B1", "--output=source,fstype,size,used,avail,target", dir}})
	if err != nil {
		return Usage{}, err
	}
	if err := exec.Check(res); err != nil {
		return Usage{}, err
	}
	rows, err := ParseDf(res.Stdout)
	if err != nil {
		return Usage{}, err
	}
	if len(rows) != 1 {
		return Usage{}, fmt.Errorf("df: got %d rows, want 1", len(rows))
	}
	return rows[0], nil
}

// EnsureFstabFile applies EnsureFstab to the file at path on the target,
// writing it only when it changes; a missing file counts as empty.
func EnsureFstabFile(e *env.Env, path string, want FstabEntry) (string, bool, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"cat", path}})
	if err != nil {
		return "", false, err
	}
	if res.Code != 0 && !strings.Contains(string(res.Stderr), "No such file") {
		return "", false, exec.Check(res)
	}
	content, line, changed := EnsureFstab(string(res.Stdout), want)
	if !changed {
		return line, false, nil
	}
	res, err = e.Run(exec.Cmd{Argv: []string{"dd", "status=none", "of=" + path}, Stdin: []byte(content), Mutate: true})
	if err == nil {
		err = exec.Check(res)
	}
	return line, err == nil, err
}

// mkfsArgv builds the mkfs command for a filesystem type.
func mkfsArgv(typ, device, label string) ([]string, error) {
	var argv []string
	switch {
	case IsExt(typ):
		argv = []string{"mkfs." + typ, "-q", "-F"}
	case typ == "xfs":
		argv = []string{"mkfs.xfs", "-q", "-f"}
	default:
		return nil, fmt.Errorf("unsupported filesystem type %q (want ext2, ext3, ext4 or xfs)", typ)
	}
	if label != "" {
		argv = append(argv, "-L", label)
	}
	return append(argv, device), nil
}
