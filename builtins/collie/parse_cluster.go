package collie

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ClusterInfo is `cluster info`.
type ClusterInfo struct {
	Status string  // "running, auto-recovery enabled", "Waiting for cluster to be formatted", ...
	Epochs []Epoch // newest first, as printed
}

// Running reports whether the cluster serves I/O.
func (c ClusterInfo) Running() bool { return strings.HasPrefix(c.Status, "running") }

// Formatted reports whether `cluster format` has run.
func (c ClusterInfo) Formatted() bool {
	return !strings.Contains(c.Status, "Waiting for cluster to be formatted")
}

// Epoch is one line of the epoch history.
type Epoch struct {
	Time  int64 // unix seconds (tables' local times are read in Local)
	Epoch int
	Nodes []Node // Host, Port and, from dog on, VNodes
}

var epochLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|\d+) +(\d+) \[(.*)\]$`)
})

// ParseClusterInfo parses `cluster info` (raw, dog, collie 0.6 and the
// seed's collie 0.2 "running / Ctime Epoch Nodes" layout).
func ParseClusterInfo(out string) (ClusterInfo, error) {
	var c ClusterInfo
	for _, line := range lines(out) {
		l := strings.TrimSpace(line)
		switch {
		case c.Status == "":
			c.Status = strings.TrimPrefix(l, "Cluster status: ")
		case strings.HasPrefix(l, "Cluster "), strings.HasPrefix(l, "Epoch Time"),
			strings.HasPrefix(l, "Ctime"), strings.HasPrefix(l, "Creation time"):
			continue // verbose lines, headers, "Cluster created at ..."
		default:
			e, err := parseEpoch(l)
			if err != nil {
				return c, err
			}
			c.Epochs = append(c.Epochs, e)
		}
	}
	if c.Status == "" {
		return c, fmt.Errorf("cluster info: empty output")
	}
	return c, nil
}

func parseEpoch(l string) (Epoch, error) {
	var e Epoch
	m := epochLine().FindStringSubmatch(l)
	if m == nil {
		return e, fmt.Errorf("cluster info: cannot parse line %q", l)
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", m[1], time.Local); err == nil {
		e.Time = t.Unix()
	} else if e.Time, err = strconv.ParseInt(m[1], 10, 64); err != nil {
		return e, fmt.Errorf("cluster info: bad time in %q", l)
	}
	e.Epoch, _ = strconv.Atoi(m[2])
	if strings.TrimSpace(m[3]) == "" {
		return e, nil
	}
	for _, a := range strings.Split(m[3], ", ") {
		a, _, _ = strings.Cut(a, "(") // disk mode: "ip:port:vnodes(disks)"
		n := Node{ID: len(e.Nodes), Zone: -1}
		host, port, err := splitHostPort(a)
		if err != nil {
			return e, fmt.Errorf("cluster info: %v in %q", err, l)
		}
		if h, p, err := splitHostPort(host); err == nil && strings.Count(a, ":") == 2 {
			n.VNodes, host, port = port, h, p // dog: host:port:vnodes
		}
		n.Host, n.Port = host, port
		e.Nodes = append(e.Nodes, n)
	}
	return e, nil
}

// TreeNode is one VDI state in `vdi tree`: a snapshot ("[2013-06-15
// 12:34]") or the current state ("(you are here)").
type TreeNode struct {
	Label    string
	Current  bool
	Children []*TreeNode
}

// Tree is the tree of one VDI name.
type Tree struct {
	Name  string
	Nodes []*TreeNode
}

// ParseVDITree parses `vdi tree`. It has no raw mode: the drawing puts a
// child's label in the column of its first sibling, so each label's start
// column tells its parent.
func ParseVDITree(out string) ([]Tree, error) {
	var trees []Tree
	type open struct {
		col  int
		node *TreeNode
	}
	var stack []open
	for _, line := range lines(out) {
		labels, name := treeLabels(strings.TrimRight(line, " \t"))
		if name != "" {
			trees = append(trees, Tree{Name: name})
			stack = stack[:0]
		} else if len(trees) == 0 || len(labels) == 0 || !strings.ContainsAny(line, "`|") {
			return nil, fmt.Errorf("vdi tree: cannot parse line %q", line)
		}
		t := &trees[len(trees)-1]
		for _, lb := range labels {
			for len(stack) > 0 && stack[len(stack)-1].col >= lb.col {
				stack = stack[:len(stack)-1]
			}
			n := &TreeNode{Label: lb.text, Current: strings.EqualFold(lb.text, "(you are here)")}
			if len(stack) == 0 {
				t.Nodes = append(t.Nodes, n)
			} else {
				p := stack[len(stack)-1].node
				p.Children = append(p.Children, n)
			}
			stack = append(stack, open{lb.col, n})
		}
	}
	return trees, nil
}

type label struct {
	col  int
	text string
}

// treeLabels cuts a drawing line into labels with their start columns; a
// line that starts with a name (not a connector) returns that name.
func treeLabels(line string) ([]label, string) {
	var out []label
	name := ""
	i := 0
	if line[0] != ' ' && line[0] != '|' && line[0] != '`' {
		j := strings.Index(line, "---")
		if k := strings.Index(line, "-+-"); k >= 0 && (j < 0 || k < j) {
			j = k
		}
		if j < 0 {
			return nil, line
		}
		name, i = line[:j], j
	}
	for i < len(line) {
		switch {
		case strings.HasPrefix(line[i:], "---"), strings.HasPrefix(line[i:], "-+-"):
			i += 3
		case strings.HasPrefix(line[i:], "`-"), strings.HasPrefix(line[i:], "|-"):
			i += 2
		case line[i] == ' ' || line[i] == '|':
			i++
			continue
		default:
			return out, name // text where a connector should be
		}
		end := len(line)
		for _, sep := range []string{"---", "-+-"} {
			if k := strings.Index(line[i:], sep); k >= 0 && i+k < end {
				end = i + k
			}
		}
		if end > i {
			out = append(out, label{i, line[i:end]})
		}
		i = end
	}
	return out, name
}
