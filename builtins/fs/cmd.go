package fs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Check runs `e2fsck -f -y device`. Exit codes 0 (clean) and 1 (errors
// corrected) are success; it reports whether anything was corrected.
func Check(e *env.Env, device string) (CheckSummary, bool, error) {
	e2fsck := tool.Tool{Name: "e2fsck",
		Failed: func(r exec.Result) bool { return r.Code > 1 || r.TimedOut },
		// e2fsck explains on stdout; stderr holds only its banner.
		Explain: func(r exec.Result) string {
			if tail := exec.Tail(r.Stdout, 4); tail != "" {
				return "e2fsck failed:\n" + tail
			}
			return ""
		}}
	res, err := e2fsck.Change(e, "-f", "-y", "--", device)
	if err != nil {
		return CheckSummary{}, false, err
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
	if _, err := (tool.Tool{Name: argv[0]}).Change(e, argv[1:]...); err != nil {
		return 0, err
	}
	after, err := superblock(e, device)
	if err != nil {
		return 0, fmt.Errorf("resize2fs exited 0 but the filesystem's size cannot be read back: %w", err)
	}
	got, old := after.BlockCount*after.BlockSize, before.BlockCount*before.BlockSize
	want = want / after.BlockSize * after.BlockSize
	switch {
	case got == old && old != want:
		return got, fmt.Errorf("resize2fs exited 0 but the filesystem on %s is still %d bytes, not the %d asked: nothing else was changed", device, got, want)
	case got > want:
		return got, fmt.Errorf("resize2fs exited 0 but the filesystem on %s is %d bytes, above the %d asked: nothing else was changed", device, got, want)
	}
	return got, nil
}

// deviceSize is blockdev --getsize64 (which takes no "--": callers check
// the device is no option with starutil.Operand).
func deviceSize(e *env.Env, device string) (int64, error) {
	blockdev := tool.Tool{Name: "blockdev", Explain: func(exec.Result) string {
		return "cannot open " + device + " (does the device exist and is the volume active?)"
	}}
	res, err := blockdev.Read(e, "--getsize64", device)
	if err != nil {
		return 0, err
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
	res, err := (tool.Tool{Name: "df"}).Read(e, "-B1", "--output=source,fstype,size,used,avail,target", "--", dir)
	if err != nil {
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
	// mke2fs truncates a longer label with only a warning, xfs refuses it.
	if max := map[bool]int{true: 16, false: 12}[IsExt(typ)]; len(label) > max {
		return nil, fmt.Errorf("label: got %q (%d bytes), want at most %d bytes for %s", label, len(label), max, typ)
	}
	if label != "" {
		argv = append(argv, "-L", label)
	}
	return append(argv, "--", device), nil
}
