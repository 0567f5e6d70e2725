package fs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
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
