package ovs

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/ovs/ovssim"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// TestDaemonsDown: with ovsdb-server down every call fails saying so;
// with ovs-vswitchd down a change times out (the fake answers at once
// with the exit ovs-vsctl's --timeout alarm gives) and the error says
// the database may hold it.
func TestDaemonsDown(t *testing.T) {
	h := simHost(t)
	h.WithLock(func(h *sim.Host) { ovssim.Of(h).DBDown = true })
	_, err := modtest.Exec(t, h, `ovs.list_br()`, Module())
	if err == nil || !strings.Contains(err.Error(), "database connection failed (No such file or directory) (is ovsdb-server running?") {
		t.Errorf("ovsdb down: %v", err)
	}
	h.WithLock(func(h *sim.Host) { ovssim.Of(h).DBDown, ovssim.Of(h).VswitchdDown = false, true })
	_, err = modtest.Exec(t, h, `ovs.add_br("ovsbr0")`, Module())
	if err == nil || !strings.Contains(err.Error(), "timed out after 30s waiting for ovs-vswitchd") || !strings.Contains(err.Error(), "the database may already hold it") {
		t.Errorf("vswitchd down: %v", err)
	}
	g := modtest.MustExec(t, h, `b = ovs.list_br()`, Module())
	if g["b"].String() != `["ovsbr0"]` {
		t.Errorf("the database holds the bridge: got %s", g["b"])
	}
	if r, _ := h.Run(context.Background(), exec.Cmd{Argv: []string{"ip", "link", "show", "ovsbr0"}}); r.Code == 0 {
		t.Errorf("no ovs-vswitchd, no link: %s", r.Stdout)
	}
}

// TestWorldRoundTrip: the switch survives --sim-state, and a saved
// switch that ovsdb could not hold is refused.
func TestWorldRoundTrip(t *testing.T) {
	h := simHost(t)
	modtest.MustExec(t, h, `ovs.add_br("ovsbr0")
ovs.add_port("ovsbr0", "vlan100", tag = 100, type = "internal")`, Module())
	var data []byte
	h.WithLock(func(h *sim.Host) {
		var err error
		if data, err = h.SaveWorld(); err != nil {
			t.Fatal(err)
		}
	})
	h2 := simHost(t)
	h2.WithLock(func(h *sim.Host) {
		if err := h.LoadWorld(data); err != nil {
			t.Fatal(err)
		}
	})
	g := modtest.MustExec(t, h2, `s = ovs.show()
again = ovs.add_port("ovsbr0", "vlan100", tag = 100, type = "internal")`, Module())
	if !strings.Contains(g["s"].String(), `"tag": 100`) || g["again"].String() != "False" {
		t.Errorf("after load: %s %s", g["s"], g["again"])
	}
	bad := strings.Replace(string(data), `"tag": 100`, `"tag": 5000`, 1)
	h2.WithLock(func(h *sim.Host) {
		if err := h.LoadWorld([]byte(bad)); err == nil || !strings.Contains(err.Error(), "tag 5000 out of 0..4095") {
			t.Errorf("bad tag: %v", err)
		}
	})
	mods := strings.Index(string(data), `"modules"`)
	dup := string(data[:mods]) + strings.Replace(string(data[mods:]), `"name": "vlan100"`, `"name": "ovsbr0"`, 1)
	h2.WithLock(func(h *sim.Host) {
		if err := h.LoadWorld([]byte(dup)); err == nil || !strings.Contains(err.Error(), "ovs: bridge ovsbr0: a port without a name, or one named twice") {
			t.Errorf("duplicate port: %v", err)
		}
	})
}

// FuzzVsctlSim feeds arbitrary command lines to the fake: it answers,
// never panics, and leaves a state that saves.
func FuzzVsctlSim(f *testing.F) {
	for _, s := range vsctlScenario {
		f.Add(s)
	}
	f.Add("--format=json --columns=name,nope list port")
	f.Fuzz(func(t *testing.T, line string) {
		h := simHost(t)
		for _, prep := range []string{"add-br ovsbr0", "add-port ovsbr0 eth0", line, line} {
			_, _ = h.Run(context.Background(), exec.Cmd{Argv: append([]string{"ovs-vsctl"}, strings.Split(prep, " ")...)})
		}
		h.WithLock(func(h *sim.Host) {
			if _, err := h.SaveWorld(); err != nil {
				t.Fatal(err)
			}
		})
	})
}
