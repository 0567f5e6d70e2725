package dogsim_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/collie"
	"github.com/vrun-dev/vrun/builtins/collie/dogsim"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

const ring = `totem {
	interface {
		bindnetaddr: %s
		mcastaddr: 226.94.1.1
		mcastport: 5405
	}
}
`

// fleetHost is a simulated host of f with address addr on eth0 and
// corosync bound to bind, its sheep on port 7000.
func fleetHost(t *testing.T, f *sim.Fleet, addr, bind string) *sim.Host {
	h := sim.New()
	dogsim.Install(h)
	if f != nil {
		h.JoinFleet(f)
	}
	h.WithLock(func(h *sim.Host) {
		eth, _ := sim.NetworkOf(h).Link("eth0")
		eth.Addrs = append(eth.Addrs, sim.Addr{Prefix: netip.MustParsePrefix(addr)})
		h.MakeDir("/etc/corosync")
		h.MakeDir("/etc/init.d")
		h.WriteFile("/etc/corosync/corosync.conf", []byte(strings.Replace(ring, "%s", bind, 1)), 0o644)
		h.WriteFile("/etc/init.d/sheepdog", []byte("#!/bin/sh\n\t$prog -p 7000 /data > /dev/null 2>&1\n"), 0o755)
	})
	return h
}

func run(t *testing.T, h *sim.Host, argv ...string) exec.Result {
	t.Helper()
	res, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func nodes(t *testing.T, h *sim.Host) []string {
	t.Helper()
	res := run(t, h, "collie", "node", "list")
	nl, err := collie.ParseNodeList(string(res.Stdout))
	if err != nil || res.Code != 0 {
		t.Fatalf("node list: rc %d %v %s", res.Code, err, res.Stderr)
	}
	var out []string
	for _, n := range nl {
		out = append(out, fmt.Sprintf("%s:%d", n.Host, n.Port))
	}
	return out
}

// TestFleetSheepJoinsSharedCluster: hosts of one fleet whose sheep start on
// the same corosync ring meet in one cluster; format on one is seen on the
// other; a host whose corosync cannot bind fails to start; a stopped sheep
// leaves; a host outside a fleet keeps its own one-node cluster.
func TestFleetSheepJoinsSharedCluster(t *testing.T) {
	f := sim.NewFleet()
	a := fleetHost(t, f, "172.16.3.11/24", "172.16.3.0")
	b := fleetHost(t, f, "172.16.3.12/24", "172.16.3.0")
	off := fleetHost(t, f, "10.9.9.9/24", "172.16.3.0")
	alone := fleetHost(t, nil, "172.16.3.14/24", "172.16.3.0")

	if got := nodes(t, a); len(got) != 1 || got[0] != "127.0.0.1:7000" {
		t.Fatalf("before its sheep starts, a host has its own cluster: %v", got)
	}
	for _, h := range []*sim.Host{a, b, alone} {
		if res := run(t, h, "systemctl", "restart", "corosync", "sheepdog"); res.Code != 0 {
			t.Fatalf("start: rc %d %s", res.Code, res.Stderr)
		}
	}
	if res := run(t, off, "systemctl", "start", "sheepdog"); res.Code != 1 || !strings.Contains(string(res.Stderr), "Job for sheepdog.service failed") {
		t.Errorf("a sheep whose corosync cannot bind started: rc %d %s", res.Code, res.Stderr)
	}
	want := "172.16.3.11:7000 172.16.3.12:7000"
	for _, h := range []*sim.Host{a, b} {
		if got := strings.Join(nodes(t, h), " "); got != want {
			t.Errorf("node list: got %s, want %s", got, want)
		}
	}
	if got := nodes(t, alone); len(got) != 1 || got[0] != "127.0.0.1:7000" {
		t.Errorf("outside a fleet the host keeps its own cluster: %v", got)
	}
	if res := run(t, a, "collie", "cluster", "format", "-c", "2"); res.Code != 0 {
		t.Fatalf("format: %s", res.Stderr)
	}
	if res := run(t, b, "collie", "cluster", "info"); !strings.Contains(string(res.Stdout), "running") {
		t.Errorf("b does not see the format of a: %s", res.Stdout)
	}
	if res := run(t, b, "collie", "vdi", "create", "v", "1G"); res.Code != 0 {
		t.Fatal(string(res.Stderr))
	}
	if res := run(t, a, "collie", "vdi", "list", "-r"); !strings.Contains(string(res.Stdout), " v ") {
		t.Errorf("a does not see b's VDI: %s", res.Stdout)
	}
	run(t, b, "systemctl", "stop", "sheepdog")
	if got := strings.Join(nodes(t, a), " "); got != "172.16.3.11:7000" {
		t.Errorf("after b's sheep stopped: %s", got)
	}
	var epochs int
	a.WithLock(func(h *sim.Host) { dogsim.Use(h, func(cl *dogsim.Cluster) { epochs = len(cl.Epochs) }) })
	if epochs != 2 {
		t.Errorf("want the format's epoch and b's leaving: %d epochs", epochs)
	}
}

// TestFleetSaveLoad: the fleet's clusters round-trip through JSON; a kind
// no module shares is refused.
func TestFleetSaveLoad(t *testing.T) {
	f := sim.NewFleet()
	a := fleetHost(t, f, "172.16.3.11/24", "172.16.3.0")
	run(t, a, "systemctl", "start", "sheepdog")
	run(t, a, "collie", "cluster", "format", "-c", "1")
	data, err := f.Save()
	if err != nil {
		t.Fatal(err)
	}
	g := sim.NewFleet()
	g.Learn(a)
	if err := g.Load(data); err != nil {
		t.Fatal(err)
	}
	again, _ := g.Save()
	if string(again) != string(data) {
		t.Errorf("round trip:\n%s\n%s", data, again)
	}
	if err := g.Load([]byte(`{"nosuch": {"x": {}}}`)); err == nil || !strings.Contains(err.Error(), `"nosuch"`) {
		t.Errorf("unknown kind: %v", err)
	}
	if err := g.Load([]byte(`{"sheepdog": {"": {}}}`)); err == nil {
		t.Error("a cluster without identity was loaded")
	}
	if err := g.Load([]byte(`[]`)); err == nil {
		t.Error("a non-object fleet was loaded")
	}
}

// TestFleetSheepRefusesBadConfig: what corosync or sheep would not start
// with is refused by systemctl start, and the sheep joins nothing.
func TestFleetSheepRefusesBadConfig(t *testing.T) {
	for name, edit := range map[string]func(h *sim.Host){
		"port out of range": func(h *sim.Host) {
			h.WriteFile("/etc/init.d/sheepdog", []byte("\t$prog -p 99999999 /data\n"), 0o755)
		},
		"option-shaped bindnetaddr": func(h *sim.Host) {
			h.WriteFile("/etc/corosync/corosync.conf", []byte(strings.Replace(ring, "%s", "-x", 1)), 0o644)
		},
		"IPv6 bindnetaddr": func(h *sim.Host) {
			h.WriteFile("/etc/corosync/corosync.conf", []byte(strings.Replace(ring, "%s", "fe80::1", 1)), 0o644)
		},
		"no corosync.conf": func(h *sim.Host) { h.RemoveFile("/etc/corosync/corosync.conf") },
		"NUL in bindnetaddr": func(h *sim.Host) {
			h.WriteFile("/etc/corosync/corosync.conf", []byte(strings.Replace(ring, "%s", "172.16.3.0\x00", 1)), 0o644)
		},
	} {
		f := sim.NewFleet()
		h := fleetHost(t, f, "172.16.3.11/24", "172.16.3.0")
		h.WithLock(edit)
		if res := run(t, h, "systemctl", "start", "sheepdog"); res.Code != 1 {
			t.Errorf("%s: sheep started: rc %d", name, res.Code)
		}
		if got := nodes(t, h); len(got) != 1 || got[0] != "127.0.0.1:7000" || !f.Empty() {
			t.Errorf("%s: the sheep joined a cluster: %v", name, got)
		}
	}
}
