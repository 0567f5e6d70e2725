package dogsim_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/collie"
	"github.com/vrun-dev/vrun/builtins/collie/dogsim"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The fakes' tables and raw output must parse to the same values, for
// both generations: that is what keeps the fakes honest to the formats.
func TestSimTablesMatchRaw(t *testing.T) {
	h := sim.New()
	dogsim.Install(h)
	h.WithLock(func(h *sim.Host) {
		cl := dogsim.ClusterOf(h)
		// whole minutes: the tables print no seconds
		cl.Now = func() time.Time { return time.Date(2013, 5, 7, 18, 30, 0, 0, time.Local) }
		cl.Nodes = append(cl.Nodes, dogsim.Node{Host: "172.16.3.141", Port: 7000, VNodes: 64, Zone: 1, StoreSize: 20 << 30})
	})
	do := func(argv ...string) string {
		t.Helper()
		res, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
		if err != nil || res.Code != 0 {
			t.Fatalf("%v: %v rc %d %s", argv, err, res.Code, res.Stderr)
		}
		return string(res.Stdout)
	}
	do("dog", "cluster", "format", "--copies=2")
	do("dog", "vdi", "create", "my disk", "1G")
	do("dog", "vdi", "create", "-P", "papeete", "64M")
	do("dog", "vdi", "snapshot", "-s", "snap1", "papeete")
	do("dog", "vdi", "clone", "-s", "snap1", "papeete", "papeete-2")
	for _, bin := range []string{"dog", "collie"} {
		nl, err1 := collie.ParseNodeList(do(bin, "node", "list"))
		nlr, err2 := collie.ParseNodeList(do(bin, "node", "list", "-r"))
		if err1 != nil || err2 != nil || !reflect.DeepEqual(nl, nlr) || len(nl) != 2 {
			t.Errorf("%s node list: %+v %v vs raw %+v %v", bin, nl, err1, nlr, err2)
		}
		ci, err1 := collie.ParseClusterInfo(do(bin, "cluster", "info"))
		cir, err2 := collie.ParseClusterInfo(do(bin, "cluster", "info", "-r"))
		if err1 != nil || err2 != nil || !reflect.DeepEqual(ci, cir) || !ci.Running() {
			t.Errorf("%s cluster info: %+v %v vs raw %+v %v", bin, ci, err1, cir, err2)
		}
		vl, err1 := collie.ParseVDIList(do(bin, "vdi", "list"))
		vlr, err2 := collie.ParseVDIList(do(bin, "vdi", "list", "-r"))
		if err1 != nil || err2 != nil || len(vl) != 4 || len(vlr) != 4 {
			t.Fatalf("%s vdi list: %+v %v vs raw %+v %v", bin, vl, err1, vlr, err2)
		}
		for i := range vl {
			// human sizes round: "64 MB" is exact here, so only names with
			// spaces (not escaped in tables) may differ; ours is one token pair.
			if vl[i] != vlr[i] {
				t.Errorf("%s vdi list row %d: table %+v, raw %+v", bin, i, vl[i], vlr[i])
			}
		}
		ni, err1 := collie.ParseNodeInfo(do(bin, "node", "info"))
		nir, err2 := collie.ParseNodeInfo(do(bin, "node", "info", "-r"))
		// The table rounds to 2-3 digits ("1.1 GB"); raw is exact.
		if err1 != nil || err2 != nil || len(ni.Nodes) != 2 || nir.VDISize != 1<<30+2*(64<<20) ||
			!near(ni.VDISize, nir.VDISize) || !near(ni.Total.Size, nir.Total.Size) || ni.Nodes[0].Used != nir.Nodes[0].Used {
			t.Errorf("%s node info: %+v %v vs raw %+v %v", bin, ni, err1, nir, err2)
		}
	}
	trees, err := collie.ParseVDITree(do("dog", "vdi", "tree"))
	if err != nil || len(trees) != 3 {
		t.Errorf("vdi tree: %+v %v", trees, err)
	}
}

func near(a, b int64) bool { return a > b*95/100 && a < b*105/100 }
