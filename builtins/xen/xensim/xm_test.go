package xensim

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins/xen"
)

// The fake's xm list --long reads back through the module's parser, names
// and paths that sxp.show must quote included.
func TestXmListLongRoundTrip(t *testing.T) {
	s := &State{NextID: 1, Toolstack: "xm"}
	odd := "it's \"a\" (vm)\t#1\\"
	for _, d := range []*Dom{
		{Name: "dc5", Type: "pv", MemoryMiB: 256, VCPUs: 2, Disks: []Disk{{Path: "/var/lib/xen/images/dc5.img", Vdev: "xvda", Format: "raw"}}, Bridges: []string{"xenbr1000"}},
		{Name: odd, Type: "hvm", MemoryMiB: 1024, VCPUs: 1, Disks: []Disk{{Path: "/img/a b.qcow", Vdev: "hda", Format: "qcow"}, {Path: "/dev/vg0/lv", Vdev: "hdb", Format: "raw"}}},
	} {
		s.add(nil, d)
	}
	got, err := xen.ParseXmListLong([]byte(xmListLong(s)))
	if err != nil {
		t.Fatalf("%v\n%s", err, xmListLong(s))
	}
	if len(got) != 2 {
		t.Fatalf("got %d guests: %+v", len(got), got)
	}
	for i, d := range s.Domains {
		g := got[i]
		if g.Name != d.Name || g.ID != d.ID || g.UUID != d.UUID || g.MemoryKiB != int64(d.MemoryMiB)*1024 || g.VCPUs != d.VCPUs || g.Type != d.Type || g.State != "-b----" {
			t.Errorf("guest %d: %+v, want %+v", i, g, d)
		}
		for j, k := range d.Disks {
			if j >= len(g.Disks) || g.Disks[j] != (xen.Disk{Path: k.Path, Vdev: k.Vdev, Format: k.Format}) {
				t.Errorf("guest %d disks: %+v, want %+v", i, g.Disks, d.Disks)
			}
		}
		if len(g.Bridges) != len(d.Bridges) || (len(d.Bridges) > 0 && g.Bridges[0] != d.Bridges[0]) {
			t.Errorf("guest %d bridges: %v, want %v", i, g.Bridges, d.Bridges)
		}
	}
}
