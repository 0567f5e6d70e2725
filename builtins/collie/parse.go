// Package collie drives sheepdog's command-line client: `collie` (sheepdog
// ≤0.6) and `dog` (≥0.7), one module under both names.
//
// parse*.go are pure parsers of the client's output. Each accepts the raw
// mode (`-r`: single-space separated, sizes in bytes, names escaped) and the
// human tables of every generation: collie 0.2 (the seed's), collie 0.3–0.6
// (a leading master column) and dog.
package collie

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Node is one row of `node list`.
type Node struct {
	ID     int
	Host   string
	Port   int
	VNodes int
	Zone   int64 // -1 when the output has no zone column (collie 0.2)
	Master bool  // collie ≤0.6 marks the master with '*'
}

// ParseNodeList parses `node list` in raw or table form.
func ParseNodeList(out string) ([]Node, error) {
	var nodes []Node
	for _, line := range lines(out) {
		if strings.Contains(line, "Host:Port") || isRule(line) {
			continue
		}
		f := strings.Fields(line)
		n := Node{Zone: -1}
		if f[0] == "*" || f[0] == "-" {
			n.Master = f[0] == "*"
			f = f[1:]
		}
		if len(f) > 1 && f[1] == "-" { // collie 0.2: "* 0 - host:port vnodes"
			f = append(f[:1], f[2:]...)
		}
		if len(f) < 3 || len(f) > 4 {
			return nil, fmt.Errorf("node list: cannot parse line %q", line)
		}
		var err error
		if n.ID, err = strconv.Atoi(f[0]); err != nil {
			return nil, fmt.Errorf("node list: bad node id in %q", line)
		}
		if n.Host, n.Port, err = splitHostPort(f[1]); err != nil {
			return nil, fmt.Errorf("node list: %v in %q", err, line)
		}
		if n.VNodes, err = strconv.Atoi(f[2]); err != nil {
			return nil, fmt.Errorf("node list: bad vnode count in %q", line)
		}
		if len(f) == 4 {
			if n.Zone, err = strconv.ParseInt(f[3], 10, 64); err != nil {
				return nil, fmt.Errorf("node list: bad zone in %q", line)
			}
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// NodeUsage is one row (or the total) of `node info`.
type NodeUsage struct {
	ID                int // -1 for the total
	Size, Used, Avail int64
	Use               int // percent
}

// NodeInfo is the whole `node info` output.
type NodeInfo struct {
	Nodes   []NodeUsage
	Total   NodeUsage
	VDISize int64 // total virtual size of the current VDIs
}

// ParseNodeInfo parses `node info`: raw, dog/collie 0.6 tables (with Avail)
// and collie ≤0.5 tables (without), including the seed's one-line total.
func ParseNodeInfo(out string) (NodeInfo, error) {
	info := NodeInfo{Total: NodeUsage{ID: -1}}
	seenTotal := false
	for _, line := range lines(out) {
		f := sizeTokens(line)
		switch {
		case f[0] == "Id":
			continue
		case f[0] == "Total" && len(f) > 1 && strings.EqualFold(f[1], "virtual"):
			n, err := parseSize(f[len(f)-1])
			if err != nil {
				return info, fmt.Errorf("node info: %v in %q", err, line)
			}
			info.VDISize = n
			continue
		}
		u, rest, err := parseUsage(f)
		if err != nil {
			return info, fmt.Errorf("node info: %v in %q", err, line)
		}
		if f[0] != "Total" {
			info.Nodes = append(info.Nodes, u)
			continue
		}
		u.ID, info.Total, seenTotal = -1, u, true
		// raw "Total ... 56% <vdi size>", collie 0.2 "0%, total virtual VDI Size 0.0 MB"
		if len(rest) > 0 {
			if info.VDISize, err = parseSize(rest[len(rest)-1]); err != nil {
				return info, fmt.Errorf("node info: %v in %q", err, line)
			}
		}
	}
	if !seenTotal && len(info.Nodes) > 0 {
		return info, fmt.Errorf("node info: no Total line")
	}
	return info, nil
}

// parseUsage reads "id size used [avail] pct% rest..." from tokens.
func parseUsage(f []string) (NodeUsage, []string, error) {
	u := NodeUsage{ID: -1}
	if f[0] != "Total" {
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return u, nil, fmt.Errorf("bad node id %q", f[0])
		}
		u.ID = id
	}
	var sizes []int64
	i := 1
	for ; i < len(f) && !strings.HasSuffix(strings.TrimSuffix(f[i], ","), "%"); i++ {
		n, err := parseSize(f[i])
		if err != nil {
			return u, nil, err
		}
		sizes = append(sizes, n)
	}
	if i == len(f) || len(sizes) < 2 || len(sizes) > 3 {
		return u, nil, fmt.Errorf("want id, size, used, [avail,] use%%")
	}
	pct, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(f[i], ","), "%"))
	if err != nil {
		return u, nil, fmt.Errorf("bad percentage %q", f[i])
	}
	u.Size, u.Used, u.Use = sizes[0], sizes[1], pct
	u.Avail = u.Size - u.Used
	if len(sizes) == 3 {
		u.Avail = sizes[2]
	}
	return u, f[i+1:], nil
}

var sizeUnits = map[string]int{"MB": 0, "GB": 1, "TB": 2, "PB": 3, "EB": 4, "ZB": 5, "YB": 6}

// sizeTokens splits a line on whitespace, joining "178 MB" into one token.
func sizeTokens(line string) []string {
	f := strings.Fields(line)
	out := make([]string, 0, len(f))
	for i := 0; i < len(f); i++ {
		if i+1 < len(f) && isNumber(f[i]) {
			if _, ok := sizeUnits[strings.TrimSuffix(f[i+1], ",")]; ok {
				out = append(out, f[i]+" "+f[i+1])
				i++
				continue
			}
		}
		out = append(out, f[i])
	}
	return out
}

// parseSize reads bytes ("1073741824") or a human size ("9.3 GB"). The
// client's "MB/GB" are MiB/GiB: it divides by 1024².
func parseSize(s string) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ",")
	num, unit, human := strings.Cut(s, " ")
	if !human {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad size %q", s)
		}
		return n, nil
	}
	exp, ok := sizeUnits[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("bad size %q", s)
	}
	v := f * float64(int64(1)<<20) * math.Pow(1024, float64(exp))
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q out of range", s)
	}
	return int64(math.Round(v)), nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func splitHostPort(s string) (string, int, error) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, fmt.Errorf("bad address %q", s)
	}
	port, err := strconv.Atoi(s[i+1:])
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("bad port in %q", s)
	}
	return strings.Trim(s[:i], "[]"), port, nil
}

// lines returns the non-blank lines of out.
func lines(out string) []string {
	var ls []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, "\r") // raw mode: a trailing space is an empty field
		if strings.TrimSpace(l) != "" {
			ls = append(ls, l)
		}
	}
	return ls
}

func isRule(line string) bool { return strings.Trim(line, "- ") == "" }
