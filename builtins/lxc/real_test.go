package lxc_test

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/lxc/lxctest"
)

// TestScenarioRealVsSim runs the scenario on real LXC (busybox, no
// network) and on the simulated host under the same lxcpath: the parsed
// results must match.
func TestScenarioRealVsSim(t *testing.T) {
	lxctest.Require(t)
	ex := &exec.Local{}
	p := lxctest.Path(t, ex)
	real := scenario(t, ex, "--lxcpath", p)
	sim := scenario(t, nil, "--lxcpath", p)
	if real != sim {
		t.Errorf("real and simulated LXC differ:\nreal:\n%s\nsim:\n%s", real, sim)
	}
}

// TestScenarioBridgeRealVsSim is the scenario with a veth on a bridge in
// a network namespace the test makes (the simulated host gets the same
// bridge through its ip fake).
func TestScenarioBridgeRealVsSim(t *testing.T) {
	lxctest.Require(t)
	ns := lxctest.NewNetns(t, "vrunbr0")
	p := lxctest.Path(t, ns)
	real := scenario(t, ns, "--lxcpath", p, "--bridge", "vrunbr0")
	sim := scenarioOn(t, nil, [][]string{{"ip", "link", "add", "vrunbr0", "type", "bridge"}, {"ip", "link", "set", "vrunbr0", "up"}},
		"--lxcpath", p, "--bridge", "vrunbr0")
	if real != sim {
		t.Errorf("real and simulated LXC differ:\nreal:\n%s\nsim:\n%s", real, sim)
	}
}
