package fssim

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// e2fsprogs' banner, printed on stderr by e2fsck, resize2fs and dumpe2fs.
const e2Version = "1.47.0 (5-Feb-2023)"

// IsExt reports whether t is a filesystem e2fsprogs handles (fs.IsExt,
// repeated here so the fakes do not import the module they stand in for).
func IsExt(t string) bool { return t == "ext2" || t == "ext3" || t == "ext4" }

// Install installs the fakes of mkfs, e2fsck, resize2fs, dumpe2fs, blkid
// and blockdev. They work on the devices of sim.StorageOf(h), which the lvm
// fake (or a test) creates; mount, umount, findmnt and df are the host's
// (builtins/sim), shared by every module.
func Install(h *sim.Host) {
	slot.Declare(h)
	for _, t := range []string{"ext2", "ext3", "ext4"} {
		h.Register("mkfs."+t, simMkfs(t))
	}
	h.Register("e2fsck", simE2fsck)
	h.Register("resize2fs", simResize2fs)
	h.Register("dumpe2fs", simDumpe2fs)
	h.Register("blkid", simBlkid)
	h.Register("blockdev", simBlockdev)
}

// fsState is the fs fakes' own state in the host's world (the filesystems
// themselves live on the devices of sim.StorageOf(h)).
type fsState struct {
	UUIDSeq int `json:"uuid_seq"` // the last filesystem UUID handed out
}

// UnmarshalJSON reads a saved state; null or a negative sequence would
// hand out UUIDs already in use, so it is refused.
func (s *fsState) UnmarshalJSON(data []byte) error {
	type plain fsState
	var p *plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	if p == nil || p.UUIDSeq < 0 {
		return fmt.Errorf("got %s, want {\"uuid_seq\": N} with N >= 0", data)
	}
	*s = fsState(*p)
	return nil
}

var slot = sim.Slot[*fsState]{Key: "fs", New: func() *fsState { return &fsState{} }}

// NewFilesystem describes a freshly made filesystem filling size bytes, as
// mke2fs would lay it out: 1 KiB blocks below 512 MiB ("small"), else 4 KiB.
func NewFilesystem(h *sim.Host, typ string, size int64) *sim.Filesystem {
	bs := int64(4096)
	if size < 512<<20 {
		bs = 1024
	}
	blocks := size / bs
	// A fresh filesystem holds 14 KiB of data: root, lost+found, quota-free.
	return &sim.Filesystem{Type: typ, UUID: NewUUID(h), BlockSize: bs, Blocks: blocks, Used: 14 << 10, Journal: sim.JournalBlocks(blocks), Checked: true}
}

// NewUUID returns the next filesystem UUID of the host: deterministic, so
// simulated runs print the same output every time.
func NewUUID(h *sim.Host) string {
	st := slot.Get(h)
	st.UUIDSeq++
	s := sha1.Sum([]byte("vrun-sim-fs-" + strconv.Itoa(st.UUIDSeq)))
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

// The options of each e2fsprogs tool that take a value (from their
// getopt strings), so the fakes read argv as the tools do.
var (
	mke2fsValued   = []string{"-b", "-d", "-e", "-g", "-i", "-l", "-m", "-o", "-r", "-s", "-t", "-C", "-E", "-G", "-I", "-J", "-L", "-M", "-N", "-O", "-R", "-T", "-U", "-z"}
	e2fsckValued   = []string{"-C", "-B", "-E", "-b", "-I", "-j", "-P", "-l", "-L", "-N", "-z"}
	resizeValued   = []string{"-d", "-S", "-z"}
	dumpe2fsValued = []string{"-o"}
)

// device is a fake's one device operand, or a usage failure.
func device(c exec.Cmd, valued []string, usage string) (string, []string, *exec.Result) {
	_, pos := sim.Getopt(c.Argv[1:], valued...)
	if len(pos) == 0 {
		r := sim.Fail(1, usage)
		return "", nil, &r
	}
	return pos[0], pos, nil
}

func simMkfs(typ string) sim.Tool {
	return func(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
		prog := "mke2fs"
		dev, _, bad := device(c, mke2fsValued, "Usage: mkfs."+typ+" [-c|-l filename] [-b block-size] ... device [blocks-count]\n")
		if bad != nil {
			return *bad
		}
		d, ok := sim.StorageOf(h).Device(dev)
		if !ok {
			return sim.Fail(1, fmt.Sprintf("mke2fs %s\nThe file %s does not exist and no size was specified.\n", e2Version, dev))
		}
		if m, ok := sim.StorageOf(h).MountOf(d); ok {
			return sim.Fail(1, fmt.Sprintf("%s: %s contains a %s file system\n\tmounted on %s\n%s: will not make a filesystem here!\n", dev, dev, m.FSType, m.Target, prog))
		}
		d.FS, d.PTType = NewFilesystem(h, typ, d.Size), "" // mke2fs zaps the partition table too
		return sim.OK("")
	}
}

// fsProblem is what e2fsprogs say before touching a device: missing, not
// ext*, or larger than the device it is on (an LV cut below it).
func fsProblem(h *sim.Host, prog, dev string) (*sim.BlockDev, *exec.Result) {
	d, ok := sim.StorageOf(h).Device(dev)
	if !ok {
		r := sim.Fail(8, fmt.Sprintf("%s %s\n%s: No such file or directory while trying to open %s\n", prog, e2Version, prog, dev))
		r.Stdout = []byte("Possibly non-existent device?\n")
		return nil, &r
	}
	if d.FS == nil || !IsExt(d.FS.Type) {
		r := sim.Fail(8, fmt.Sprintf("%s %s\n%s: Bad magic number in super-block while trying to open %s\n", prog, e2Version, prog, dev))
		r.Stdout = []byte("Couldn't find valid filesystem superblock.\n")
		return nil, &r
	}
	return d, nil
}

func simE2fsck(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	dev, _, usage := device(c, e2fsckValued, "Usage: e2fsck [-panyrcdfktvDFV] [-b superblock] [-B blocksize] ... device\n")
	if usage != nil {
		usage.Code = 16
		return *usage
	}
	d, bad := fsProblem(h, "e2fsck", dev)
	if bad != nil {
		return *bad
	}
	if _, ok := sim.StorageOf(h).MountOf(d); ok {
		r := sim.Fail(8, fmt.Sprintf("e2fsck %s\ne2fsck: Cannot continue, aborting.\n\n\n", e2Version))
		r.Stdout = []byte(dev + " is mounted.\n")
		return r
	}
	fs := d.FS
	if phys := d.Size / fs.BlockSize; fs.Blocks > phys {
		r := sim.Fail(8, fmt.Sprintf("e2fsck %s\n", e2Version))
		r.Stdout = []byte(fmt.Sprintf("The filesystem size (according to the superblock) is %d blocks\n"+
			"The physical size of the device is %d blocks\n"+
			"Either the superblock or the partition table is likely to be corrupt!\nAbort? yes\n\n", fs.Blocks, phys))
		return r
	}
	fs.Checked = true
	out := "Pass 1: Checking inodes, blocks, and sizes\nPass 2: Checking directory structure\n" +
		"Pass 3: Checking directory connectivity\nPass 4: Checking reference counts\n" +
		"Pass 5: Checking group summary information\n" +
		fmt.Sprintf("%s: 11/%d files (0.0%% non-contiguous), %d/%d blocks\n", dev, fs.Inodes(), fs.UsedBlocks(), fs.Blocks)
	return exec.Result{Stdout: []byte(out), Stderr: []byte("e2fsck " + e2Version + "\n")}
}

// parseE2Size reads resize2fs's size argument: blocks, or a number with
// s (512-byte sectors), K, M, G or T.
func parseE2Size(arg string, bs int64) (int64, bool) {
	if arg == "" {
		return 0, false
	}
	mult := map[byte]int64{'s': 512, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}
	if m, ok := mult[arg[len(arg)-1]]; ok {
		n, err := strconv.ParseInt(arg[:len(arg)-1], 10, 64)
		return n * m / bs, err == nil && n >= 0
	}
	n, err := strconv.ParseInt(arg, 10, 64)
	return n, err == nil && n >= 0
}

func simResize2fs(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	_, args := sim.Getopt(c.Argv[1:], resizeValued...)
	if len(args) == 0 || len(args) > 2 {
		return sim.Fail(1, "Usage: resize2fs [-d debug_flags] [-f] [-F] [-M] [-P] [-p] device [-b|-s|new_size] [-S RAID-stride] [-z undo_file]\n\n")
	}
	dev := args[0]
	d, bad := fsProblem(h, "resize2fs", dev)
	if bad != nil {
		bad.Code = 1
		return *bad
	}
	fs := d.FS
	banner := "resize2fs " + e2Version + "\n"
	phys := d.Size / fs.BlockSize
	want := phys
	if len(args) == 2 {
		n, ok := parseE2Size(args[1], fs.BlockSize)
		if !ok {
			return sim.Fail(1, banner+fmt.Sprintf("resize2fs: Invalid new size: %s\n\n", args[1]))
		}
		want = n
	}
	unit := fmt.Sprintf("(%dk)", fs.BlockSize/1024)
	if want > phys {
		return sim.Fail(1, banner+fmt.Sprintf("The containing partition (or device) is only %d %s blocks.\nYou requested a new size of %d blocks.\n\n", phys, unit, want))
	}
	if want == fs.Blocks {
		return sim.Fail(0, banner+fmt.Sprintf("The filesystem is already %d %s blocks long.  Nothing to do!\n\n", fs.Blocks, unit))
	}
	m, mounted := sim.StorageOf(h).MountOf(d)
	if mounted && want < fs.Blocks {
		r := sim.Fail(1, banner+"resize2fs: On-line shrinking not supported\n")
		r.Stdout = []byte(fmt.Sprintf("Filesystem at %s is mounted on %s; on-line resizing required\n", dev, m.Target))
		return r
	}
	if !mounted && !fs.Checked {
		return sim.Fail(1, banner+fmt.Sprintf("Please run 'e2fsck -f %s' first.\n\n", dev))
	}
	// resize2fs keeps room for metadata beyond the data: the model's minimum.
	if min := fs.UsedBlocks() + fs.UsedBlocks()/50; want < min {
		return sim.Fail(1, banner+fmt.Sprintf("resize2fs: New size smaller than minimum (%d)\n\n", min))
	}
	var out strings.Builder
	if mounted {
		fmt.Fprintf(&out, "Filesystem at %s is mounted on %s; on-line resizing required\nold_desc_blocks = 1, new_desc_blocks = 1\n", dev, m.Target)
	} else {
		fmt.Fprintf(&out, "Resizing the filesystem on %s to %d %s blocks.\n", dev, want, unit)
	}
	fmt.Fprintf(&out, "The filesystem on %s is now %d %s blocks long.\n\n", dev, want, unit)
	fs.Blocks = want
	return exec.Result{Stdout: []byte(out.String()), Stderr: []byte(banner)}
}

func simDumpe2fs(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	dev, _, usage := device(c, dumpe2fsValued, "Usage: dumpe2fs [-bfghimxV] [-o superblock=<num>] [-o blocksize=<num>] device\n")
	if usage != nil {
		return *usage
	}
	d, bad := fsProblem(h, "dumpe2fs", dev)
	if bad != nil {
		bad.Code = 1
		return *bad
	}
	fs := d.FS
	var b strings.Builder
	line := func(k string, v any) { fmt.Fprintf(&b, "%-26s%v\n", k+":", v) }
	line("Filesystem volume name", "<none>")
	line("Filesystem UUID", fs.UUID)
	line("Filesystem magic number", "0xEF53")
	line("Filesystem revision #", "1 (dynamic)")
	line("Filesystem features", "has_journal ext_attr resize_inode dir_index filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize metadata_csum")
	line("Default mount options", "user_xattr acl")
	line("Filesystem state", "clean")
	line("Inode count", fs.Inodes())
	line("Block count", fs.Blocks)
	line("Reserved block count", fs.Blocks/20)
	line("Overhead clusters", fs.Overhead())
	line("Free blocks", fs.Blocks-fs.UsedBlocks())
	line("Free inodes", fs.Inodes()-11)
	line("First block", map[bool]int{true: 1, false: 0}[fs.BlockSize == 1024])
	line("Block size", fs.BlockSize)
	b.WriteString("\n")
	return exec.Result{Stdout: []byte(b.String()), Stderr: []byte("dumpe2fs " + e2Version + "\n")}
}
