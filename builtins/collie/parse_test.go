package collie

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func sample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func local(t testing.TB, s string) int64 {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += ":05"
	}
	tm, err := time.ParseInLocation(layout, s, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Unix()
}

const MiB, GiB = 1 << 20, 1 << 30

func TestParseNodeList(t *testing.T) {
	dog := []Node{
		{ID: 0, Host: "127.0.0.1", Port: 7000, VNodes: 128, Zone: 0},
		{ID: 1, Host: "127.0.0.1", Port: 7001, VNodes: 128, Zone: 1},
		{ID: 2, Host: "10.0.0.12", Port: 7000, VNodes: 64, Zone: 4294967295},
	}
	collie := []Node{
		{ID: 0, Host: "172.16.3.140", Port: 7000, VNodes: 64, Zone: 0, Master: true},
		{ID: 1, Host: "172.16.3.141", Port: 7000, VNodes: 64, Zone: 1},
	}
	for file, want := range map[string][]Node{
		"dog.txt": dog, "dog-raw.txt": dog, "collie06.txt": collie, "collie06-raw.txt": collie,
		"collie02-seed.txt": {{ID: 0, Host: "172.16.3.140", Port: 7000, VNodes: 64, Zone: -1, Master: true}},
	} {
		got, err := ParseNodeList(sample(t, "node_list/"+file))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", file, got, err, want)
		}
	}
}

func TestParseNodeInfo(t *testing.T) {
	old := NodeInfo{
		Nodes:   []NodeUsage{{ID: 0, Size: 9985589248, Used: GiB, Avail: 9985589248 - GiB, Use: 10}},
		Total:   NodeUsage{ID: -1, Size: 9985589248, Used: GiB, Avail: 9985589248 - GiB, Use: 10},
		VDISize: 4 * GiB,
	}
	// Human sizes are rounded: "9.3 GB" is 9.3 GiB.
	h93 := int64(math.Round(9.3 * float64(GiB)))
	seed := NodeInfo{
		Nodes: []NodeUsage{{ID: 0, Size: h93, Used: 0, Avail: h93}},
		Total: NodeUsage{ID: -1, Size: h93, Avail: h93},
	}
	for file, want := range map[string]NodeInfo{
		"dog.txt": {
			Nodes: []NodeUsage{{0, 178 * MiB, 80 * MiB, 98 * MiB, 44}, {1, 88 * MiB, 48 * MiB, 40 * MiB, 54}},
			Total: NodeUsage{-1, 266 * MiB, 128 * MiB, 138 * MiB, 48}, VDISize: 100 * MiB,
		},
		"dog-raw.txt": {
			Nodes: []NodeUsage{{0, 10000000000, 4194304, 9995805696, 0}, {1, 20000000000, 8388608, 19991611392, 0}},
			Total: NodeUsage{-1, 30000000000, 12582912, 29987417088, 0}, VDISize: GiB,
		},
		"collie05-raw.txt":  old,
		"collie02-seed.txt": seed,
		"collie02-tabs.txt": seed,
		"dog-failed.txt":    {Total: NodeUsage{ID: -1}},
	} {
		got, err := ParseNodeInfo(sample(t, "node_info/"+file))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", file, got, err, want)
		}
	}
	got, err := ParseNodeInfo(sample(t, "node_info/collie05.txt"))
	if err != nil || got.Total.Size != int64(math.Round(9.3*float64(GiB))) || got.Total.Used != GiB || got.VDISize != 4*GiB || got.Nodes[0].Use != 10 {
		t.Errorf("collie05.txt: got %+v, %v", got, err)
	}
}

func TestParseVDIList(t *testing.T) {
	raw := []VDI{
		{Name: "test_cloned", Clone: true, Size: 16 * MiB, Used: 8 * MiB, Shared: 8 * MiB, Created: 1371299640, VID: "34f19d", Copies: "2", BlockSizeShift: 22},
		{Name: "test", Snapshot: true, SnapID: 1, Size: 16 * MiB, Used: 16 * MiB, Created: 1371299400, VID: "7c2b25", Copies: "2", Tag: "snap1", BlockSizeShift: 22},
		{Name: "test", Size: 16 * MiB, Shared: 16 * MiB, Created: 1371299460, VID: "7c2b26", Copies: "2", BlockSizeShift: 22},
		{Name: `my disk\2`, Size: GiB, Used: 4 * MiB, Created: 1371299520, VID: "7c2b30", Copies: "4:2", BlockSizeShift: 22},
	}
	table := []VDI{
		{Name: "test_cloned", Clone: true, Size: 16 * MiB, Used: 8 * MiB, Shared: 8 * MiB, Created: local(t, "2013-06-15 12:34"), VID: "34f19d", Copies: "2", BlockSizeShift: 22},
		{Name: "test", Snapshot: true, SnapID: 1, Size: 16 * MiB, Used: 16 * MiB, Created: local(t, "2013-06-15 12:30"), VID: "7c2b25", Copies: "2", Tag: "snap1", BlockSizeShift: 22},
		{Name: "test", Size: 16 * MiB, Shared: 16 * MiB, Created: local(t, "2013-06-15 12:31"), VID: "7c2b26", Copies: "2", BlockSizeShift: 22},
		{Name: "ec", Size: 4 * GiB, Used: 20 * MiB, Created: local(t, "2013-06-15 12:32"), VID: "fd2c30", Copies: "4:2", BlockSizeShift: 22},
	}
	for file, want := range map[string][]VDI{
		"dog-raw.txt":   raw,
		"dog.txt":       table,
		"dog-empty.txt": {},
		"dog09-raw.txt": {
			{Name: "papeete", Size: GiB, Created: 1367919030, VID: "4f6c3e", Copies: "1", BlockSizeShift: -1},
			{Name: "papeete", Snapshot: true, SnapID: 1, Size: GiB, Used: 4 * MiB, Created: 1367919000, VID: "4f6c3d", Copies: "1", Tag: "before-install", BlockSizeShift: -1},
		},
		"collie06.txt": {
			{Name: "papeete", Snapshot: true, SnapID: 1, Size: GiB, Used: 4 * MiB, Created: local(t, "2013-05-07 18:40"), VID: "4f6c3d", Copies: "1", Tag: "before-install", BlockSizeShift: -1},
			{Name: "papeete", Size: GiB, Shared: 4 * MiB, Created: local(t, "2013-05-07 18:45"), VID: "4f6c3e", Copies: "1", BlockSizeShift: -1},
		},
		"collie02.txt": {
			{Name: "papeete", Size: GiB, Created: local(t, "2013-05-07 18:35"), VID: "4f6c3e", BlockSizeShift: -1},
		},
	} {
		got, err := ParseVDIList(sample(t, "vdi_list/"+file))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", file, got, err, want)
		}
	}
}

func TestParseClusterInfo(t *testing.T) {
	n := func(id int, host string, port, vnodes int) Node {
		return Node{ID: id, Host: host, Port: port, VNodes: vnodes, Zone: -1}
	}
	two := []Epoch{
		{Time: local(t, "2013-06-15 12:05:00"), Epoch: 2, Nodes: []Node{n(0, "127.0.0.1", 7000, 128), n(1, "127.0.0.1", 7001, 128)}},
		{Time: local(t, "2013-06-15 12:00:00"), Epoch: 1, Nodes: []Node{n(0, "127.0.0.1", 7000, 128)}},
	}
	rawTwo := []Epoch{{Time: 1371297900, Epoch: 2, Nodes: two[0].Nodes}, {Time: 1371297600, Epoch: 1, Nodes: two[1].Nodes}}
	seed := []Epoch{{Time: local(t, "2013-05-07 18:30:30"), Epoch: 1, Nodes: []Node{n(0, "172.16.3.140", 7000, 0)}}}
	for file, want := range map[string]ClusterInfo{
		"dog.txt":                 {"running, auto-recovery enabled", two},
		"dog-raw.txt":             {"running, auto-recovery enabled", rawTwo},
		"dog-unformatted-raw.txt": {"Waiting for cluster to be formatted", nil},
		"collie06.txt":            {"running, auto-recovery enabled", seed},
		"collie02-seed.txt":       {"running", seed},
	} {
		got, err := ParseClusterInfo(sample(t, "cluster_info/"+file))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", file, got, err, want)
		}
	}
	c, err := ParseClusterInfo(sample(t, "cluster_info/dog-verbose.txt"))
	if err != nil || !c.Running() || len(c.Epochs) != 1 || len(c.Epochs[0].Nodes) != 3 || c.Epochs[0].Nodes[0].VNodes != 200 {
		t.Errorf("dog-verbose.txt: got %+v, %v", c, err)
	}
	c, err = ParseClusterInfo(sample(t, "cluster_info/dog-waiting.txt"))
	if err != nil || c.Running() || !c.Formatted() {
		t.Errorf("dog-waiting.txt: got %+v, %v", c, err)
	}
	c, _ = ParseClusterInfo(sample(t, "cluster_info/dog-unformatted-raw.txt"))
	if c.Formatted() || c.Running() {
		t.Errorf("unformatted cluster reads as formatted or running: %+v", c)
	}
}

func TestParseVDITree(t *testing.T) {
	leaf := func(l string) *TreeNode { return &TreeNode{Label: l, Current: l == "(you are here)"} }
	chain := func(ls ...string) *TreeNode {
		root := leaf(ls[0])
		for n, i := root, 1; i < len(ls); i++ {
			c := leaf(ls[i])
			n.Children, n = []*TreeNode{c}, c
		}
		return root
	}
	b := leaf("[2013-06-15 12:30]")
	b.Children = []*TreeNode{leaf("[2013-06-15 12:31]"), chain("[2013-06-15 12:33]", "(you are here)")}
	for file, want := range map[string][]Tree{
		"linear.txt": {{Name: "test", Nodes: []*TreeNode{chain("[2013-06-15 12:30]", "[2013-06-15 12:31]", "[2013-06-15 12:32]", "(you are here)")}}},
		"branched.txt": {
			{Name: "test", Nodes: []*TreeNode{chain("[2013-06-15 12:30]", "(you are here)")}},
			{Name: "test2", Nodes: []*TreeNode{b}},
		},
	} {
		got, err := ParseVDITree(sample(t, "vdi_tree/"+file))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v", file, got, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for name, err := range map[string]error{
		"node list":    func() error { _, err := ParseNodeList("0 nohost 1 2\n"); return err }(),
		"node info":    func() error { _, err := ParseNodeInfo("0 12 x 5%\n"); return err }(),
		"vdi list":     func() error { _, err := ParseVDIList("= a 0 1 2\n"); return err }(),
		"vdi table":    func() error { _, err := ParseVDIList("  Name  Id\n  what is this\n"); return err }(),
		"cluster info": func() error { _, err := ParseClusterInfo("running\n\ngarbage\n"); return err }(),
		"vdi tree":     func() error { _, err := ParseVDITree("   stray\n"); return err }(),
	} {
		if err == nil {
			t.Errorf("%s: bad input parsed without error", name)
		}
	}
}
