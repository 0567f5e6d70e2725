package dogsim

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The printers below follow sheepdog's printf formats: dog 1.0.1 (dog/*.c)
// and, for the collie fake, collie 0.6.0 (collie/*.c).

// human is strnumber(): MiB-based with "MB".."YB" labels, %.1f below 10.
func human(n int64, raw bool) string {
	if raw {
		return fmt.Sprint(n)
	}
	units := []string{"MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
	size, i := float64(n)/(1<<20), 0
	for i < len(units)-1 && size >= 1024 {
		i++
		size /= 1024
	}
	if size >= 10 {
		return fmt.Sprintf("%.0f %s", size, units[i])
	}
	return fmt.Sprintf("%.1f %s", size, units[i])
}

func addr(n Node) string { return fmt.Sprintf("%s:%d", n.Host, n.Port) }

func (cl *Cluster) nodeList(k call) string {
	var b strings.Builder
	switch {
	case k.collie && !k.raw:
		b.WriteString("M   Id   Host:Port         V-Nodes       Zone\n")
	case !k.raw:
		b.WriteString("  Id   Host:Port         V-Nodes       Zone\n")
	}
	for i, n := range cl.Nodes {
		m := map[bool]string{true: "* ", false: "- "}[i == 0] // the master is the oldest node
		switch {
		case k.collie && k.raw:
			fmt.Fprintf(&b, "%s%d %s %d %d\n", m, i, addr(n), n.VNodes, n.Zone)
		case k.collie:
			fmt.Fprintf(&b, "%s%4d   %-20s\t%2d%11d\n", m, i, addr(n), n.VNodes, n.Zone)
		case k.raw:
			fmt.Fprintf(&b, "%d %s %d %d\n", i, addr(n), n.VNodes, n.Zone)
		default:
			fmt.Fprintf(&b, "%4d   %-20s\t%2d%11d\n", i, addr(n), n.VNodes, n.Zone)
		}
	}
	return b.String()
}

// usedPerNode spreads the VDIs' data and its copies over the nodes.
func (cl *Cluster) usedPerNode() int64 {
	var used int64
	for _, v := range cl.VDIs {
		used += v.Used
	}
	d, p, _ := strings.Cut(cl.Copies, ":")
	var data, parity int64
	fmt.Sscan(d, &data)
	fmt.Sscan(p, &parity)
	if data < 1 {
		data = 1
	}
	total := used * data
	if parity > 0 {
		total = used * (data + parity) / data
	}
	return total / int64(len(cl.Nodes))
}

func (cl *Cluster) nodeInfo(k call) exec.Result {
	var b strings.Builder
	if !k.raw {
		b.WriteString("Id\tSize\tUsed\tAvail\tUse%\n")
	}
	if !cl.Formatted {
		return exec.Result{Code: 2, Stdout: []byte(b.String()), Stderr: []byte(
			strings.Repeat("Response's result: Waiting for cluster to be formatted\n", len(cl.Nodes)) +
				"Cannot get information from any nodes\n")}
	}
	var size, used, vdiTotal int64
	per := cl.usedPerNode()
	for i, n := range cl.Nodes {
		u := min(per, n.StoreSize)
		f := "%2d\t%s\t%s\t%s\t%3d%%\n"
		if k.raw {
			f = "%d %s %s %s %d%%\n"
		}
		fmt.Fprintf(&b, f, i, human(n.StoreSize, k.raw), human(u, k.raw), human(n.StoreSize-u, k.raw), pct(u, n.StoreSize))
		size, used = size+n.StoreSize, used+u
	}
	for _, v := range cl.VDIs {
		if v.SnapID == 0 {
			vdiTotal += v.Size
		}
	}
	f := "Total\t%s\t%s\t%s\t%3d%%\n\nTotal virtual image size\t%s\n"
	if k.raw {
		f = "Total %s %s %s %d%% %s\n"
	}
	fmt.Fprintf(&b, f, human(size, k.raw), human(used, k.raw), human(size-used, k.raw), pct(used, size), human(vdiTotal, k.raw))
	return sim.OK(b.String())
}

func pct(used, size int64) int {
	if size == 0 {
		return 0
	}
	return int(float64(used) / float64(size) * 100)
}

func (cl *Cluster) clusterInfo(k call) string {
	var b strings.Builder
	if !k.raw {
		b.WriteString("Cluster status: ")
	}
	if cl.Formatted {
		b.WriteString("running, auto-recovery enabled\n")
	} else {
		b.WriteString("Waiting for cluster to be formatted\n")
	}
	if !k.collie {
		b.WriteString("\n")
	}
	if !k.raw && len(cl.Epochs) > 0 {
		created := time.Unix(cl.Epochs[len(cl.Epochs)-1].Time, 0).Format("Mon Jan _2 15:04:05 2006")
		if k.collie {
			fmt.Fprintf(&b, "\nCluster created at %s\n\nEpoch Time           Version\n", created)
		} else {
			fmt.Fprintf(&b, "Cluster created at %s\n\nEpoch Time           Version [Host:Port:V-Nodes,,,]\n", created)
		}
	}
	for i, e := range cl.Epochs {
		t := fmt.Sprint(e.Time)
		f := "%s %d ["
		if !k.raw {
			t, f = time.Unix(e.Time, 0).Format("2006-01-02 15:04:05"), "%s %6d ["
		}
		fmt.Fprintf(&b, f, t, len(cl.Epochs)-i)
		for j, n := range e.Nodes {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(addr(n))
			if !k.collie {
				fmt.Fprintf(&b, ":%d", n.VNodes)
			}
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func (cl *Cluster) sortedVDIs() []*VDI {
	vdis := append([]*VDI(nil), cl.VDIs...)
	sort.SliceStable(vdis, func(i, j int) bool { return vdis[i].VID < vdis[j].VID })
	return vdis
}

func (cl *Cluster) vdiList(k call) string {
	var b strings.Builder
	if !k.raw {
		b.WriteString("  Name        Id    Size    Used  Shared    Creation time   VDI id  Copies  Tag")
		b.WriteString(map[bool]string{true: "\n", false: "   Block Size Shift\n"}[k.collie])
	}
	for _, v := range cl.sortedVDIs() {
		if len(k.args) > 2 && v.Name != k.args[2] {
			continue
		}
		flag := map[bool]byte{true: 's', false: ' '}[v.SnapID > 0]
		if v.Clone && v.SnapID == 0 {
			flag = 'c'
		}
		if k.raw {
			if flag == ' ' {
				flag = '='
			}
			fmt.Fprintf(&b, "%c %s %d %d %d %d %d %x %s %s", flag, escape(v.Name), v.SnapID, v.Size, v.Used, v.Shared, v.Created, v.VID, v.Copies, v.Tag)
			if !k.collie {
				b.WriteString(" 22")
			}
			b.WriteString("\n")
			continue
		}
		date := time.Unix(v.Created, 0).Format("2006-01-02 15:04")
		if k.collie {
			fmt.Fprintf(&b, "%c %-8s %5d %7s %7s %7s %s  %7x %5s %13s\n", flag, v.Name, v.SnapID,
				human(v.Size, false), human(v.Used, false), human(v.Shared, false), date, v.VID, v.Copies, v.Tag)
			continue
		}
		fmt.Fprintf(&b, "%c %-8s %5d %7s %7s %7s %s  %7x %6s %13s %3d\n", flag, v.Name, v.SnapID,
			human(v.Size, false), human(v.Used, false), human(v.Shared, false), date, v.VID, v.Copies, v.Tag, 22)
	}
	return b.String()
}

// escape is raw mode's name quoting: '\' before whitespace and '\'.
func escape(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r == ' ' || r == '\t' || r == '\n' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
