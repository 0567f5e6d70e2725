package collie

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// VDI is one row of `vdi list`.
type VDI struct {
	Name     string
	Snapshot bool // 's'
	Clone    bool // 'c'
	SnapID   int
	Size     int64
	Used     int64
	Shared   int64
	Created  int64  // unix seconds (the tables' local minutes are read in Local)
	VID      string // hex, as printed
	Copies   string // "3", or "4:2" for erasure coding; "" before collie 0.3
	Tag      string
	// BlockSizeShift is -1 when the output has no such column (before 1.0).
	BlockSizeShift int
}

// ParseVDIList parses `vdi list`: raw (`-r`) or the table, whose header
// tells which columns exist.
func ParseVDIList(out string) ([]VDI, error) {
	ls := lines(out)
	for i, l := range ls {
		if h := strings.TrimSpace(l); strings.HasPrefix(strings.ToLower(h), "name ") {
			return parseVDITable(h, ls[i+1:])
		}
	}
	vdis := []VDI{}
	for _, l := range ls {
		v, err := parseVDIRaw(l)
		if err != nil {
			return nil, err
		}
		vdis = append(vdis, v)
	}
	return vdis, nil
}

// parseVDIRaw reads "flag name snapid size used shared ctime vid copies tag
// [shift]": split on single spaces, keeping the empty field an empty tag
// leaves, and un-escape the name ('\' before spaces and backslashes).
func parseVDIRaw(line string) (VDI, error) {
	f := splitRaw(line)
	v := VDI{BlockSizeShift: -1}
	if len(f) != 10 && len(f) != 11 || len(f[0]) != 1 || !strings.Contains("=sc", f[0]) {
		return v, fmt.Errorf("vdi list: cannot parse raw line %q", line)
	}
	v.Snapshot, v.Clone, v.Name = f[0] == "s", f[0] == "c", f[1]
	var err error
	ints := []*int64{&v.Size, &v.Used, &v.Shared, &v.Created}
	for i, p := range ints {
		if *p, err = strconv.ParseInt(f[3+i], 10, 64); err != nil || *p < 0 {
			return v, fmt.Errorf("vdi list: bad number %q in %q", f[3+i], line)
		}
	}
	if v.SnapID, err = strconv.Atoi(f[2]); err != nil {
		return v, fmt.Errorf("vdi list: bad snapshot id in %q", line)
	}
	if !isHex(f[7]) {
		return v, fmt.Errorf("vdi list: bad vdi id %q in %q", f[7], line)
	}
	v.VID, v.Copies, v.Tag = f[7], f[8], f[9]
	if len(f) == 11 {
		if v.BlockSizeShift, err = strconv.Atoi(f[10]); err != nil {
			return v, fmt.Errorf("vdi list: bad block size shift in %q", line)
		}
	}
	return v, nil
}

// splitRaw splits on single spaces; a backslash escapes the next byte.
func splitRaw(line string) []string {
	var fields []string
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line):
			i++
			b.WriteByte(line[i])
		case c == ' ':
			fields = append(fields, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(fields, b.String())
}

// the fixed middle of a table row: snapid, size, used, shared, date, vid.
var vdiRow = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d+) +([\d.]+ [MGTPEZY]B) +([\d.]+ [MGTPEZY]B) +([\d.]+ [MGTPEZY]B) +(\d{4}-\d\d-\d\d \d\d:\d\d) +([0-9a-f]+)(.*)$`)
})
var spaceRun = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(` +`) })

func parseVDITable(header string, rows []string) ([]VDI, error) {
	cols := tableCols{copies: strings.Contains(header, "Copies"), shift: strings.Contains(header, "Block Size Shift")}
	vdis := []VDI{}
	for _, row := range rows {
		if isRule(row) {
			continue
		}
		v, err := cols.parse(row)
		if err != nil {
			return nil, err
		}
		vdis = append(vdis, v)
	}
	return vdis, nil
}

// tableCols says which optional columns the header announced.
type tableCols struct{ copies, shift bool }

func (cols tableCols) parse(row string) (VDI, error) {
	v := VDI{BlockSizeShift: -1}
	if len(row) < 3 || !strings.Contains(" sc", row[:1]) || row[1] != ' ' {
		return v, fmt.Errorf("vdi list: cannot parse line %q", row)
	}
	v.Snapshot, v.Clone = row[0] == 's', row[0] == 'c'
	// The name is "%-8s" and may hold spaces: find the first place where
	// the fixed columns match, on a copy with single spaces.
	rest := spaceRun().ReplaceAllString(strings.TrimSpace(row[2:]), " ")
	var m []string
	for i := 0; i < len(rest) && m == nil; i++ {
		if rest[i] == ' ' {
			m, v.Name = vdiRow().FindStringSubmatch(rest[i+1:]), rest[:i]
		}
	}
	if m == nil {
		return v, fmt.Errorf("vdi list: cannot parse line %q", row)
	}
	v.SnapID, _ = strconv.Atoi(m[1])
	for i, p := range []*int64{&v.Size, &v.Used, &v.Shared} {
		n, err := parseSize(m[2+i])
		if err != nil {
			return v, fmt.Errorf("vdi list: %v in %q", err, row)
		}
		*p = n
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", m[5], time.Local); err == nil {
		v.Created = t.Unix()
	}
	v.VID = m[6]
	tail := strings.Fields(m[7])
	if cols.copies && len(tail) > 0 {
		v.Copies, tail = tail[0], tail[1:]
	}
	if cols.shift && len(tail) > 0 {
		shift, err := strconv.Atoi(tail[len(tail)-1])
		if err != nil {
			return v, fmt.Errorf("vdi list: bad block size shift in %q", row)
		}
		v.BlockSizeShift, tail = shift, tail[:len(tail)-1]
	}
	v.Tag = strings.Join(tail, " ")
	return v, nil
}

func isHex(s string) bool {
	_, err := strconv.ParseUint(s, 16, 32)
	return err == nil
}
