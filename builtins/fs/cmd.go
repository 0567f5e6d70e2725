package fs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/interp/env"
	"github.com/vrun-dev/vrun/interp/exec"
)

// Info describes a block device and what blkid found on it. These Go
// functions are shared with the lvm module, which checks and resizes the
// filesystem on a volume before it shrinks the volume.
type Info struct {
	Device    string
	DevSize   int64  // the device's size in bytes
	Type      string // blkid's TYPE: a filesystem, swap, LVM2_member, crypto_LUKS...; "" when none
	PTType    string // a partition table (dos, gpt); "" when none
	Usage     string // blkid's USAGE: filesystem, raid, crypto, other
	UUID      string
	Size      int64 // the filesystem's own size (ext*: block count × block size); 0 when unknown
	BlockSize int64
	Free      int64
	// Sigs is everything blkid reported but the device's name: empty only
	// for a blank device.
	Sigs map[string]string
}

// InUse reports whether blkid found any signature at all: a filesystem, a
// partition table, an LVM PV, a RAID member, LUKS, swap or anything else.
// Such a device is not blank, whatever Type says.
func (i Info) InUse() bool { return len(i.Sigs) > 0 }

// What names what is on the device, for messages: "an ext4 filesystem",
// "a dos partition table", "an LVM physical volume", "nothing".
func (i Info) What() string {
	var parts []string
	if i.Type != "" {
		parts = append(parts, kindOf(i.Type, i.Usage))
	}
	if i.PTType != "" {
		parts = append(parts, article(i.PTType)+" partition table")
	}
	if len(parts) == 0 && len(i.Sigs) > 0 {
		keys := make([]string, 0, len(i.Sigs))
		for k, v := range i.Sigs {
			keys = append(keys, k+"="+v)
		}
		sort.Strings(keys)
		parts = append(parts, "a signature blkid reports as "+strings.Join(keys, " "))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " and ")
}

// Kind names a filesystem type blkid found, with its article: "an ext4
// filesystem", "a swap area".
func Kind(typ string) string { return kindOf(typ, "") }

func kindOf(typ, usage string) string {
	switch {
	case typ == "":
		return "no filesystem"
	case typ == "swap":
		return "a swap area"
	case typ == "LVM2_member":
		return "an LVM physical volume"
	case typ == "crypto_LUKS":
		return "a LUKS container"
	case strings.HasSuffix(typ, "_raid_member") || usage == "raid":
		return article(typ) + " RAID member"
	case usage == "" || usage == "filesystem":
		return article(typ) + " filesystem"
	}
	return article(typ) + " signature (" + usage + ")"
}

// article puts "a" or "an" before a word: "an ext4", "a dos".
func article(w string) string {
	if w != "" && strings.ContainsRune("aeioux", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

// IsExt reports whether t is a filesystem e2fsprogs handles.
func IsExt(t string) bool { return t == "ext2" || t == "ext3" || t == "ext4" }

// Probe reads what is on device: its size (blockdev), every signature
// (blkid -p) and, for ext2/3/4, the filesystem's own size (dumpe2fs). A
// probe that fails is an error, never "blank": callers decide from it
// whether cutting or formatting the device destroys data.
func Probe(e *env.Env, device string) (Info, error) {
	info := Info{Device: device}
	var err error
	if info.DevSize, err = deviceSize(e, device); err != nil {
		return info, err
	}
	res, err := e.Run(exec.Cmd{Argv: []string{"blkid", "-p", "-o", "export", "--", device}})
	if err != nil {
		return info, err
	}
	// blkid -p exits 2 both when it finds nothing and when it cannot read
	// the device; only the second says why on stderr. Any other failure
	// (8: ambivalent signatures, 4: usage) is just as unknown.
	switch {
	case res.Code == 2 && len(strings.TrimSpace(string(res.Stderr))) == 0:
		return info, nil
	case res.Code != 0:
		return info, fmt.Errorf("blkid cannot tell what is on %s, so vrun cannot tell whether it holds data\n%w", device, exec.Check(res))
	}
	kv := ParseBlkid(res.Stdout)
	delete(kv, "DEVNAME")
	if len(kv) == 0 {
		return info, fmt.Errorf("blkid exited 0 but reported nothing on %s (output %q): cannot tell whether it holds data", device, firstLine(res.Stdout))
	}
	info.Sigs = kv
	info.Type, info.PTType, info.Usage, info.UUID = kv["TYPE"], kv["PTTYPE"], kv["USAGE"], kv["UUID"]
	if !IsExt(info.Type) {
		return info, nil
	}
	sb, err := superblock(e, device)
	if err != nil {
		return info, err
	}
	info.BlockSize, info.Size, info.Free = sb.BlockSize, sb.BlockCount*sb.BlockSize, sb.FreeBlocks*sb.BlockSize
	return info, nil
}

// superblock reads an ext2/3/4 superblock with dumpe2fs -h.
func superblock(e *env.Env, device string) (Superblock, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"dumpe2fs", "-h", "--", device}})
	if err != nil {
		return Superblock{}, err
	}
	if err := exec.Check(res); err != nil {
		return Superblock{}, err
	}
	return ParseDumpe2fs(res.Stdout)
}

// Check runs `e2fsck -f -y device`. Exit codes 0 (clean) and 1 (errors
// corrected) are success; it reports whether anything was corrected.
func Check(e *env.Env, device string) (CheckSummary, bool, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"e2fsck", "-f", "-y", "--", device}, Mutate: true})
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
// goes in KiB, which every e2fsprogs understands. It then reads the
// filesystem's size back and fails unless it changed as asked: a resize2fs
// that exits 0 without shrinking must not let a caller cut the volume.
func Resize(e *env.Env, device string, size int64) (int64, error) {
	argv := []string{"resize2fs", "--", device}
	if size > 0 {
		if size%1024 != 0 {
			return 0, fmt.Errorf("size %d is not a whole number of KiB", size)
		}
		argv = append(argv, strconv.FormatInt(size/1024, 10)+"K")
	}
	before, err := superblock(e, device)
	if err != nil {
		return 0, err
	}
	want := size
	if size == 0 {
		if want, err = deviceSize(e, device); err != nil {
			return 0, err
		}
	}
	res, err := e.Run(exec.Cmd{Argv: argv, Mutate: true})
	if err != nil {
		return 0, err
	}
	if err := exec.Check(res); err != nil {
		return 0, err
	}
	after, err := superblock(e, device)
	if err != nil {
		return 0, fmt.Errorf("resize2fs exited 0 but the filesystem's size cannot be read back: %w", err)
	}
	got, old := after.BlockCount*after.BlockSize, before.BlockCount*before.BlockSize
	want = want / after.BlockSize * after.BlockSize
	switch {
	case got > want:
		return got, fmt.Errorf("resize2fs exited 0 but the filesystem on %s is %d bytes, above the %d asked: nothing else was changed", device, got, want)
	case got == old && old != want:
		return got, fmt.Errorf("resize2fs exited 0 but the filesystem on %s is still %d bytes, not the %d asked: nothing else was changed", device, got, want)
	}
	return got, nil
}

// deviceSize is blockdev --getsize64 (which takes no "--": callers check
// the device is no option with starutil.Operand).
func deviceSize(e *env.Env, device string) (int64, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"blockdev", "--getsize64", device}})
	if err != nil {
		return 0, err
	}
	if res.Code != 0 {
		return 0, fmt.Errorf("cannot open %s (does the device exist and is the volume active?)\n%w", device, exec.Check(res))
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(res.Stdout)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("blockdev: bad size %q", strings.TrimSpace(string(res.Stdout)))
	}
	return n, nil
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
	res, err := e.Run(exec.Cmd{Argv: []string{"df", "-B1", "--output=source,fstype,size,used,avail,target", "--", dir}})
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
	res, err := e.Run(exec.Cmd{Argv: []string{"cat", "--", path}})
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
	return append(argv, "--", device), nil
}
