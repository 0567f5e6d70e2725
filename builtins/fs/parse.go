package fs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ParseBlkid parses `blkid -p -o export DEV`: KEY=VALUE lines.
func ParseBlkid(out []byte) map[string]string {
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "="); ok {
			kv[k] = v
		}
	}
	return kv
}

// Superblock is what `dumpe2fs -h` says about an ext2/3/4 filesystem.
type Superblock struct {
	UUID       string
	State      string // clean, not clean, ...
	BlockCount int64
	BlockSize  int64
	FreeBlocks int64
	Features   []string
	MountOpts  []string // default mount options (user_xattr acl)
}

// ParseDumpe2fs parses the header printed by `dumpe2fs -h`: "Name:  value"
// lines (some aligned with a TAB).
func ParseDumpe2fs(out []byte) (Superblock, error) {
	var sb Superblock
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		var err error
		switch strings.TrimSpace(k) {
		case "Filesystem UUID":
			sb.UUID = v
		case "Filesystem state":
			sb.State = v
		case "Block count":
			sb.BlockCount, err = strconv.ParseInt(v, 10, 64)
		case "Block size":
			sb.BlockSize, err = strconv.ParseInt(v, 10, 64)
		case "Free blocks":
			sb.FreeBlocks, err = strconv.ParseInt(v, 10, 64)
		case "Filesystem features":
			sb.Features = strings.Fields(v)
		case "Default mount options":
			if v != "(none)" {
				sb.MountOpts = strings.Fields(v)
			}
		}
		if err != nil {
			return sb, fmt.Errorf("dumpe2fs: bad %q value %q", strings.TrimSpace(k), v)
		}
	}
	if sb.BlockCount <= 0 || sb.BlockSize <= 0 {
		return sb, fmt.Errorf("dumpe2fs: no block count or block size in output")
	}
	return sb, nil
}

// MountEntry is one row of findmnt.
type MountEntry struct {
	Source  string `json:"source"`
	Target  string `json:"target"`
	FSType  string `json:"fstype"`
	Options string `json:"options"`
}

// ParseFindmnt parses `findmnt -J -l -o SOURCE,TARGET,FSTYPE,OPTIONS`.
func ParseFindmnt(out []byte) ([]MountEntry, error) {
	if len(bytes.TrimSpace(out)) == 0 {
		return nil, nil // findmnt prints nothing (rc 1) when nothing matches
	}
	var doc struct {
		Filesystems []MountEntry `json:"filesystems"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, fmt.Errorf("findmnt: cannot parse output: %w", err)
	}
	return doc.Filesystems, nil
}

// Usage is one row of `df -B1 --output=source,fstype,size,used,avail,target`.
type Usage struct {
	Source, Type, Target string
	Size, Used, Avail    int64
}

// ParseDf parses df's output in the column order above: a header line,
// then one row per filesystem; the mount point may contain spaces.
func ParseDf(out []byte) ([]Usage, error) {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 1 || !strings.HasPrefix(lines[0], "Filesystem") {
		return nil, fmt.Errorf("df: unexpected output %q", firstLine(out))
	}
	var rows []Usage
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 6 {
			return nil, fmt.Errorf("df: short line %q", l)
		}
		var n [3]int64
		for i := range n {
			v, err := strconv.ParseInt(f[2+i], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("df: bad number %q in %q", f[2+i], l)
			}
			n[i] = v
		}
		// The target is everything after the fifth field, spaces kept.
		target := strings.TrimLeft(l[fieldEnd(l, 5):], " ")
		rows = append(rows, Usage{Source: f[0], Type: f[1], Size: n[0], Used: n[1], Avail: n[2], Target: target})
	}
	return rows, nil
}

// fieldEnd returns the offset just after the n-th whitespace-separated field.
func fieldEnd(s string, n int) int {
	i := 0
	for k := 0; k < n; k++ {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		for i < len(s) && s[i] != ' ' {
			i++
		}
	}
	return i
}

// CheckSummary is the last line of `e2fsck -f -y`:
// "/dev/loop1: 11/16384 files (0.0% non-contiguous), 9513/65536 blocks".
type CheckSummary struct {
	Files, MaxFiles, Blocks, MaxBlocks int64
}

// ParseE2fsck finds the summary line in e2fsck's stdout.
func ParseE2fsck(out []byte) (CheckSummary, bool) {
	var s CheckSummary
	for _, l := range strings.Split(string(out), "\n") {
		_, rest, ok := strings.Cut(l, ": ")
		if !ok || !strings.Contains(rest, " files (") || !strings.HasSuffix(rest, " blocks") {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 5 {
			continue
		}
		a, aok := ratio(f[0])
		b, bok := ratio(f[len(f)-2])
		if aok && bok {
			s.Files, s.MaxFiles, s.Blocks, s.MaxBlocks = a[0], a[1], b[0], b[1]
			return s, true
		}
	}
	return s, false
}

func ratio(s string) ([2]int64, bool) {
	x, y, ok := strings.Cut(s, "/")
	a, err1 := strconv.ParseInt(x, 10, 64)
	b, err2 := strconv.ParseInt(y, 10, 64)
	return [2]int64{a, b}, ok && err1 == nil && err2 == nil
}

func firstLine(b []byte) string {
	l, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return l
}
