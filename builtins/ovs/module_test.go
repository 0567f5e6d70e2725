package ovs

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/ovs/ovstest"
)

// moduleScenario is the seed's switch (ovsbr0 with VLAN-tagged internal
// ports) built, rebuilt (nothing changes), changed and taken down.
const moduleScenario = `
changed = []
changed.append(ovs.add_br("ovsbr0", datapath_type = "netdev", db = DB))
changed.append(ovs.add_br("ovsbr0", datapath_type = "netdev", db = DB))
changed.append(ovs.add_port("ovsbr0", "vlan100", tag = 100, type = "internal", db = DB))
changed.append(ovs.add_port("ovsbr0", "vlan100", tag = 100, type = "internal", db = DB))
changed.append(ovs.add_port("ovsbr0", "vlan100", db = DB))
changed.append(ovs.add_port("ovsbr0", "vlan200", type = "internal", db = DB))
changed.append(ovs.set_tag("vlan200", 200, db = DB))
changed.append(ovs.set_tag("vlan200", 200, db = DB))
changed.append(ovs.add_port("ovsbr0", "vlan200", tag = 201, db = DB))
changed.append(ovs.add_br("br1", datapath_type = "netdev", db = DB))
changed.append(ovs.add_port("br1", "p1", tag = 5, type = "internal", db = DB))
shown = ovs.show(db = DB)
bridges = ovs.list_br(db = DB)
ports = ovs.list_ports("ovsbr0", db = DB)
changed.append(ovs.set_tag("vlan200", None, db = DB))
changed.append(ovs.del_port("ovsbr0", "vlan200", db = DB))
changed.append(ovs.del_port("ovsbr0", "vlan200", db = DB))
changed.append(ovs.del_br("br1", confirm = True, db = DB))
changed.append(ovs.del_br("br1", confirm = True, db = DB))
after = ovs.show(db = DB)
`

// errorScenarios fail on both hosts with the same first line.
var errorScenarios = []string{
	`ovs.add_port("ovsbr0", "nodev", db = DB)`,
	`ovs.add_port("nobr", "p", db = DB)`,
	`ovs.del_br("ovsbr0", db = DB)`,
	`ovs.add_port("br2", "vlan100", db = DB)`,
	`ovs.add_br("vlan100", db = DB)`,
	`ovs.del_port("br2", "vlan100", db = DB)`,
	`ovs.set_tag("nope", 3, db = DB)`,
	`ovs.list_ports("nope", db = DB)`,
	`ovs.del_port("ovsbr0", "ovsbr0", db = DB)`,
	`ovs.add_port("ovsbr0", "br2", db = DB)`,
}

const errorSetup = `
ovs.add_br("ovsbr0", datapath_type = "netdev", db = DB)
ovs.add_br("br2", datapath_type = "netdev", db = DB)
ovs.add_port("ovsbr0", "vlan100", tag = 100, type = "internal", db = DB)
`

func withDB(src, db string) string {
	if db == "" {
		return "DB = None\n" + src
	}
	return "DB = " + starlark.String(db).String() + "\n" + src
}

// TestModuleRealAndSim runs the scenario on userspace OVS and on the
// simulator and compares what the module returned.
func TestModuleRealAndSim(t *testing.T) {
	o := startOVS(t)
	names := []string{"changed", "shown", "bridges", "ports", "after"}
	real := modtest.MustExec(t, &exec.Local{}, withDB(moduleScenario, o.DB), Module())
	fake := modtest.MustExec(t, simHost(t), withDB(moduleScenario, ""), Module())
	r, f := exectest.Normalized(t, real, nil, names...), exectest.Normalized(t, fake, nil, names...)
	if r != f {
		t.Errorf("real and simulated results differ:\nreal %s\nfake %s", r, f)
	}
	if want := "[true,false,true,false,false,true,true,false,true,true,true,true,true,false,true,false]"; !strings.Contains(strings.Join(strings.Fields(f), ""), `"changed":`+want) {
		t.Errorf("changed: got %s, want %s", f, want)
	}
	if !strings.Contains(f, `"tag": 100`) || !strings.Contains(f, `"type": "internal"`) {
		t.Errorf("shown lacks the tagged internal port: %s", f)
	}
	o.Must(t, "ovs-vsctl", "--db="+o.DB, "--if-exists", "del-br", "ovsbr0")
	errorsBoth(t, o)
}

func errorsBoth(t *testing.T, o *ovstest.OVS) {
	modtest.MustExec(t, &exec.Local{}, withDB(errorSetup, o.DB), Module())
	h := simHost(t)
	modtest.MustExec(t, h, withDB(errorSetup, ""), Module())
	for _, src := range append(errorScenarios, "MISSING") {
		rsrc, fsrc := withDB(src, o.DB), withDB(src, "")
		if src == "MISSING" { // no ovsdb-server at that socket, on either host
			rsrc = `ovs.list_br(db = "unix:/nonexistent/db.sock")`
			fsrc = rsrc
		}
		_, rerr := modtest.Exec(t, &exec.Local{}, rsrc, Module())
		_, ferr := modtest.Exec(t, h, fsrc, Module())
		if rerr == nil || ferr == nil {
			t.Errorf("%s: want errors, got real %v fake %v", src, rerr, ferr)
			continue
		}
		rl, fl := firstLine(rerr), firstLine(ferr)
		if rl != fl {
			t.Errorf("%s:\nreal %s\nfake %s", src, rl, fl)
		}
		t.Logf("%s: %s", src, fl)
	}
}

func firstLine(err error) string {
	msg := err.Error()
	if ee, ok := err.(*starlark.EvalError); ok {
		msg = ee.Msg
	}
	line, _, _ := strings.Cut(msg, "\n")
	return line
}
