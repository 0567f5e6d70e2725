package lxc

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// States are LXC's container states (src/lxc/state.c).
var States = []string{"STOPPED", "STARTING", "RUNNING", "STOPPING", "ABORTING", "FREEZING", "FROZEN", "THAWED"}

// IsState reports whether s is one of States.
func IsState(s string) bool {
	for _, x := range States {
		if x == s {
			return true
		}
	}
	return false
}

// Info is one container as lxc-info prints it.
type Info struct {
	Name   string
	State  string
	PID    int // 0 when not running
	IPs    []string
	CPU    int64 // nanoseconds (-H), or -1 when not shown
	BlkIO  int64 // bytes, -1 when not shown
	Memory int64 // bytes, -1 when not shown
	KMem   int64 // bytes, -1 when not shown
	Links  []NetLink
}

// NetLink is a host-side interface of the container with its counters.
type NetLink struct {
	Name          string
	TX, RX, Total int64 // bytes
}

// ParseInfo reads lxc-info's record ("%-15s %s" lines, `IP:` repeated,
// the net counters indented under their `Link:`), humanized or not (-H):
// LXC 3 to 5 print the same keys.
func ParseInfo(out []byte) (Info, error) {
	in := Info{CPU: -1, BlkIO: -1, Memory: -1, KMem: -1}
	for _, raw := range strings.Split(string(out), "\n") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		key, val, ok := strings.Cut(raw, ":")
		if !ok {
			return in, fmt.Errorf("lxc-info: unexpected line %q", raw)
		}
		indented := strings.HasPrefix(key, " ")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		var err error
		switch {
		case indented:
			if len(in.Links) == 0 {
				return in, fmt.Errorf("lxc-info: %q before any Link:", raw)
			}
			l := &in.Links[len(in.Links)-1]
			var n int64
			if n, err = parseBytes(val); err == nil {
				switch key {
				case "TX bytes":
					l.TX = n
				case "RX bytes":
					l.RX = n
				case "Total bytes":
					l.Total = n
				}
			}
		case key == "Name":
			in.Name = val
		case key == "State":
			if !IsState(val) {
				return in, fmt.Errorf("lxc-info: unknown state %q", val)
			}
			in.State = val
		case key == "PID":
			in.PID, err = strconv.Atoi(val)
			if err == nil && in.PID <= 0 {
				err = fmt.Errorf("not a process id")
			}
		case key == "IP":
			in.IPs = append(in.IPs, val)
		case key == "CPU use":
			in.CPU, err = parseCPU(val)
		case key == "BlkIO use":
			in.BlkIO, err = parseBytes(val)
		case key == "Memory use":
			in.Memory, err = parseBytes(val)
		case key == "KMem use":
			in.KMem, err = parseBytes(val)
		case key == "Link":
			in.Links = append(in.Links, NetLink{Name: val})
		}
		if err != nil {
			return in, fmt.Errorf("lxc-info: %s: %q: %v", key, val, err)
		}
	}
	if in.Name == "" || in.State == "" {
		return in, fmt.Errorf("lxc-info: no Name or State in %q", truncate(out))
	}
	return in, nil
}

// units are lxc-info's humanized suffixes (size_humanize: 1024-based).
var units = map[string]float64{"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}

// parseBytes reads "1187840" (-H) or "1.13 MiB"; humanized values are
// rounded, so they come back approximate.
func parseBytes(s string) (int64, error) {
	num, unit, _ := strings.Cut(s, " ")
	mult := 1.0
	if unit != "" {
		m, ok := units[unit]
		if !ok {
			return 0, fmt.Errorf("unknown unit %q", unit)
		}
		mult = m
	}
	if unit == "" || unit == "bytes" {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("not a byte count")
		}
		return n, nil
	}
	return scaled(num, mult)
}

// parseCPU reads nanoseconds (-H) or "0.01 seconds".
func parseCPU(s string) (int64, error) {
	if num, ok := strings.CutSuffix(s, " seconds"); ok {
		return scaled(num, 1e9)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a CPU time")
	}
	return n, nil
}

func scaled(num string, mult float64) (int64, error) {
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f >= 0) || f*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("not a number")
	}
	return int64(math.Round(f * mult)), nil
}

// Entry is one row of lxc-ls -f: the columns asked for with -F, by
// upper-case name; "-" (LXC's empty value) is "".
type Entry map[string]string

// List splits a multi-valued cell ("10.0.3.2, 10.0.3.3").
func (e Entry) List(col string) []string {
	v := e[col]
	if v == "" {
		return nil
	}
	out := strings.Split(v, ", ")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// ParseLs reads lxc-ls -f's table by the header's column offsets: a cell
// may hold spaces (IPs joined with ", "), so splitting on blanks would
// shift the columns. LXC 1.x/2.x (NAME STATE AUTOSTART GROUPS IPV4 IPV6),
// 3.0+ (adds UNPRIVILEGED) and -F tables read the same.
func ParseLs(out []byte) ([]Entry, error) {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
		return nil, nil // no containers: lxc-ls prints nothing at all
	}
	header := lines[0]
	type col struct {
		name       string
		start, end int
	}
	var cols []col
	for i := 0; i < len(header); {
		if header[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(header) && header[j] != ' ' {
			j++
		}
		cols = append(cols, col{name: header[i:j], start: i})
		i = j
	}
	for i := range cols {
		cols[i].end = -1
		if i+1 < len(cols) {
			cols[i].end = cols[i+1].start
		}
		if !knownColumn(cols[i].name) {
			return nil, fmt.Errorf("lxc-ls: unknown column %q in header %q", cols[i].name, header)
		}
	}
	if len(cols) == 0 || cols[0].name != "NAME" {
		return nil, fmt.Errorf("lxc-ls: header %q does not start with NAME", header)
	}
	var rows []Entry
	for _, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		e := Entry{}
		for _, c := range cols {
			if c.start > len(line) {
				return nil, fmt.Errorf("lxc-ls: row %q is shorter than the header", line)
			}
			end := c.end
			if end < 0 || end > len(line) {
				end = len(line)
			}
			if c.start > 0 && line[c.start-1] != ' ' {
				return nil, fmt.Errorf("lxc-ls: row %q does not line up with the header", line)
			}
			v := strings.TrimSpace(line[c.start:end])
			if v == "-" {
				v = ""
			}
			e[c.name] = v
		}
		if e["NAME"] == "" || (e["STATE"] != "" && !IsState(e["STATE"])) {
			return nil, fmt.Errorf("lxc-ls: row %q has no name or an unknown state", line)
		}
		rows = append(rows, e)
	}
	return rows, nil
}

func knownColumn(c string) bool {
	switch c {
	case "NAME", "STATE", "PID", "RAM", "SWAP", "AUTOSTART", "GROUPS", "INTERFACE", "IPV4", "IPV6", "UNPRIVILEGED":
		return true
	}
	return false
}

// parseMB reads lxc-ls's RAM and SWAP cells ("%.2fMB", in MiB).
func parseMB(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	num, ok := strings.CutSuffix(s, "MB")
	if !ok {
		return 0, fmt.Errorf("lxc-ls: RAM %q, want e.g. 0.88MB", s)
	}
	return scaled(num, 1<<20)
}

// Snapshot is one line of lxc-snapshot -L.
type Snapshot struct {
	Name, Dir, Time string
}

var snapLine = regexp.MustCompile(`^(\S+) \((.*)\) (\d{4}:\d\d:\d\d \d\d:\d\d:\d\d)$`)

// ParseSnapshots reads lxc-snapshot -L: "snap0 (DIR) YYYY:MM:DD hh:mm:ss"
// per snapshot, or "No snapshots".
func ParseSnapshots(out []byte) ([]Snapshot, error) {
	text := strings.TrimSpace(string(out))
	if text == "" || text == "No snapshots" {
		return nil, nil
	}
	var snaps []Snapshot
	for _, line := range strings.Split(text, "\n") {
		m := snapLine.FindStringSubmatch(strings.TrimRight(line, " "))
		if m == nil {
			return nil, fmt.Errorf("lxc-snapshot: unexpected line %q", line)
		}
		snaps = append(snaps, Snapshot{Name: m[1], Dir: m[2], Time: m[3]})
	}
	return snaps, nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
