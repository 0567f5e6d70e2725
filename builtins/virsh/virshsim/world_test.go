package virshsim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp/startest"
)

func virsh(t *testing.T, h *sim.Host, stdin string, args ...string) string {
	t.Helper()
	r, err := h.Run(context.Background(), exec.Cmd{Argv: append([]string{"virsh"}, args...), Stdin: []byte(stdin)})
	if err != nil || r.Code != 0 {
		t.Fatalf("virsh %v: %v %s", args, err, r.Stderr)
	}
	return string(r.Stdout)
}

const dom = `<domain type='kvm'><name>vm1</name><memory unit='GB'>1</memory><os><type>hvm</type></os>
<devices><interface type='network'><source network='n1'/></interface></devices></domain>`

// The hypervisor survives --sim-state: saved, loaded into a fresh host,
// the same domains, networks and states come back.
func TestWorldRoundTrip(t *testing.T) {
	h := startest.SimHost(t)
	virsh(t, h, `<network><name>n1</name><ip address='192.168.100.1' prefix='24'/></network>`, "net-define", "/dev/stdin")
	virsh(t, h, "", "net-start", "n1")
	virsh(t, h, dom, "define", "/dev/stdin")
	virsh(t, h, "", "start", "vm1")
	var w []byte
	var err error
	h.WithLock(func(h *sim.Host) { w, err = h.SaveWorld() })
	if err != nil {
		t.Fatal(err)
	}
	h2 := startest.SimHost(t)
	if err := h2.LoadWorld(w); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"dumpxml", "vm1"}, {"dominfo", "vm1"}, {"net-dumpxml", "n1"}, {"list", "--name"}} {
		if a, b := virsh(t, h, "", args...), virsh(t, h2, "", args...); a != b {
			t.Errorf("%v after load:\n%s\nwant\n%s", args, b, a)
		}
	}
	// net-start made the NAT network's bridge in the host's links.
	r, _ := h2.Run(context.Background(), exec.Cmd{Argv: []string{"ip", "-j", "link", "show", "virbr0"}})
	if r.Code != 0 {
		t.Errorf("virbr0 not in the loaded world: %s", r.Stderr)
	}
	bad := strings.Replace(string(w), `"state": "running"`, `"state": "exploded"`, 1)
	if bad == string(w) {
		t.Fatal("no running domain in the saved world")
	}
	if err := startest.SimHost(t).LoadWorld([]byte(bad)); err == nil || !strings.Contains(err.Error(), `unknown state "exploded"`) {
		t.Errorf("a domain in an unknown state loaded: %v", err)
	}
}
