package dogsim

import (
	"fmt"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// maxVDISize is 4 MiB objects × 1M of them: larger needs -y (hyper volume).
const maxVDISize = 4 << 40

func openFailed(name, tag, why string) string {
	return fmt.Sprintf("Failed to open VDI %s (snapshot id: 0 snapshot tag: %s): %s\n", name, tag, why)
}

func (cl *Cluster) vdiCommand(k call) exec.Result {
	sub, a := k.args[1], k.args[2:]
	name := ""
	if len(a) > 0 {
		name = a[0]
	}
	if name == "" {
		return sim.Fail(64, fmt.Sprintf("Usage: %s vdi %s [options] <vdiname>\n", k.prog, sub))
	}
	if !cl.Formatted {
		if sub == "create" {
			return sim.Fail(1, fmt.Sprintf("Failed to create VDI %s: Waiting for cluster to be formatted\n", name))
		}
		return sim.Fail(1, openFailed(name, k.tag, "Waiting for cluster to be formatted"))
	}
	switch sub {
	case "create":
		return cl.create(k, name, a[1:])
	case "delete":
		return cl.delete(k, name)
	case "snapshot":
		return cl.snapshot(k, name)
	case "clone":
		return cl.clone(k, a)
	}
	return cl.resize(name, a[1:])
}

func sizeArg(a []string, what string) (int64, exec.Result, bool) {
	if len(a) == 0 {
		return 0, sim.Fail(64, "Please specify the "+what+"\n"), false
	}
	n, ok := parseSimSize(a[0])
	if !ok {
		return 0, sim.Fail(64, fmt.Sprintf("Invalid size '%s'\nYou may use B, K, M, G, T or P suffixes for bytes, kilobytes, megabytes, gigabytes, terabytes and petabytes.\n", a[0])), false
	}
	return n, exec.Result{}, true
}

func (cl *Cluster) create(k call, name string, a []string) exec.Result {
	size, fail, ok := sizeArg(a, "VDI size")
	if !ok {
		return fail
	}
	if size > maxVDISize {
		return sim.Fail(64, "VDI size is larger than 4.0 TB bytes, please use '-y' to create a hyper volume with size up to 16 PB bytes or use '-z' to create larger object size volume\n")
	}
	if cl.find(name, "") != nil {
		return sim.Fail(1, fmt.Sprintf("Failed to create VDI %s: VDI exists already\n", name))
	}
	copies := k.copies
	if copies == "" {
		copies = cl.Copies
	}
	v := &VDI{Name: name, Size: size, VID: cl.vidFor(name), Created: cl.Now().Unix(), Copies: copies}
	if k.prealloc {
		v.Used = size
		cl.VDIs = append(cl.VDIs, v)
		if cl.usedPerNode() > cl.Nodes[0].StoreSize {
			cl.VDIs = cl.VDIs[:len(cl.VDIs)-1]
			return sim.Fail(1, fmt.Sprintf("Failed to create VDI %s: Server has no space for new objects\n", name))
		}
		return sim.OK("")
	}
	cl.VDIs = append(cl.VDIs, v)
	return sim.OK("")
}

func (cl *Cluster) delete(k call, name string) exec.Result {
	v := cl.find(name, k.tag)
	if v == nil {
		why := "No VDI found"
		if k.tag != "" && cl.find(name, "") != nil {
			why = "Failed to find requested tag"
		}
		if k.collie {
			return sim.Fail(1, fmt.Sprintf("Failed to open VDI %s\n", name))
		}
		// dog 1.0.1's do_vdi_delete reports the failure but exits 0.
		return exec.Result{Stderr: []byte(openFailed(name, k.tag, why))}
	}
	for i, x := range cl.VDIs {
		if x == v {
			cl.VDIs = append(cl.VDIs[:i], cl.VDIs[i+1:]...)
			break
		}
	}
	return sim.OK("")
}

func (cl *Cluster) snapshot(k call, name string) exec.Result {
	cur := cl.find(name, "")
	if cur == nil {
		return sim.Fail(1, openFailed(name, "", "No VDI found"))
	}
	if k.tag != "" && cl.find(name, k.tag) != nil {
		return sim.Fail(1, fmt.Sprintf("Failed to create snapshot for %s, maybe snapshot id (0) or tag (%s) is existed\n", name, k.tag))
	}
	next := 1
	for _, v := range cl.VDIs {
		if v.Name == name && v.SnapID >= next {
			next = v.SnapID + 1
		}
	}
	fresh := &VDI{Name: name, Size: cur.Size, Shared: cur.Used + cur.Shared, Parent: cur.VID,
		Created: cl.Now().Unix(), Copies: cur.Copies, Clone: cur.Clone}
	cur.SnapID, cur.Tag, cur.Clone = next, k.tag, false
	fresh.VID = cl.vidFor(name)
	cl.VDIs = append(cl.VDIs, fresh)
	return sim.OK("")
}

func (cl *Cluster) clone(k call, a []string) exec.Result {
	if k.tag == "" {
		return sim.Fail(64, "Only snapshot VDIs can be cloned\nPlease specify the '-s' option\n")
	}
	if len(a) < 2 {
		return sim.Fail(64, "Destination VDI name must be specified\n")
	}
	src, dst := a[0], a[1]
	snap := cl.find(src, k.tag)
	if snap == nil {
		why := "No VDI found"
		if cl.find(src, "") != nil {
			why = "Failed to find requested tag"
		}
		return sim.Fail(1, openFailed(src, k.tag, why))
	}
	if cl.find(dst, "") != nil {
		return sim.Fail(1, fmt.Sprintf("Failed to create VDI %s: VDI exists already\n", dst))
	}
	cl.VDIs = append(cl.VDIs, &VDI{Name: dst, Size: snap.Size, Shared: snap.Used + snap.Shared, Parent: snap.VID,
		VID: cl.vidFor(dst), Created: cl.Now().Unix(), Copies: snap.Copies, Clone: true})
	return sim.OK("")
}

func (cl *Cluster) resize(name string, a []string) exec.Result {
	size, fail, ok := sizeArg(a, "new size for the VDI")
	if !ok {
		return fail
	}
	v := cl.find(name, "")
	switch {
	case v == nil:
		return sim.Fail(1, openFailed(name, "", "No VDI found"))
	case size > maxVDISize:
		return sim.Fail(64, fmt.Sprintf("New VDI size is too large. This volume's max size is %d\n", int64(maxVDISize)))
	case size < v.Size:
		return sim.Fail(64, "Shrinking VDIs is not implemented\n")
	}
	v.Size = size
	return sim.OK("")
}

// vdiTree draws like dog's treeview.c: a child's connector sits under the
// '+' of its parent's "-+-", so its label lines up with its first sibling.
func (cl *Cluster) vdiTree() string {
	vdis := cl.sortedVDIs()
	d := drawing{children: map[*VDI][]*VDI{}}
	var roots []*VDI
	for _, v := range vdis {
		var parent *VDI
		for _, p := range vdis {
			if p.Name == v.Name && p.VID == v.Parent {
				parent = p
			}
		}
		if parent == nil {
			roots = append(roots, v)
		} else {
			d.children[parent] = append(d.children[parent], v)
		}
	}
	for _, r := range roots {
		d.b.WriteString(r.Name)
		d.width, d.more = []int{len(r.Name)}, []bool{false}
		d.dump(r, 1, true, true)
	}
	return d.b.String()
}

// drawing is treeview.c's state: per level, the label width and whether
// more siblings follow (to draw their "| " rails).
type drawing struct {
	b        strings.Builder
	children map[*VDI][]*VDI
	width    []int
	more     []bool
}

func treeLabel(v *VDI) string {
	if v.SnapID > 0 {
		return time.Unix(v.Created, 0).Format("[2006-01-02 15:04]")
	}
	return "(you are here)"
}

func (d *drawing) dump(v *VDI, level int, first, last bool) {
	if first {
		d.b.WriteString(map[bool]string{true: "---", false: "-+-"}[last])
	} else {
		for l := 0; l < level-1; l++ {
			d.b.WriteString(strings.Repeat(" ", d.width[l]+1) + map[bool]string{true: "| ", false: "  "}[d.more[l+1]])
		}
		d.b.WriteString(strings.Repeat(" ", d.width[level-1]+1) + map[bool]string{true: "`-", false: "|-"}[last])
	}
	d.b.WriteString(treeLabel(v))
	kids := d.children[v]
	if len(kids) == 0 {
		d.b.WriteString("\n")
		return
	}
	for len(d.width) <= level {
		d.width, d.more = append(d.width, 0), append(d.more, false)
	}
	d.more[level], d.width[level] = !last, len(treeLabel(v))
	for i, c := range kids {
		d.dump(c, level+1, i == 0, i == len(kids)-1)
	}
}
