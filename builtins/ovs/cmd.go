package ovs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Wait is how long ovs-vsctl waits for ovs-vswitchd to apply a change
// (--timeout): without it, a change made while ovs-vswitchd is down
// waits forever.
const Wait = 30

// vsctl runs ovs-vsctl against one database (db "" is its default,
// unix:$OVS_RUNDIR/db.sock).
type vsctl struct {
	e  *env.Env
	db string
}

// ovsVsctl fails on a non-zero exit, and also on the exit 0 after which
// ovs-vsctl reports that ovs-vswitchd could not set up an interface.
var ovsVsctl = tool.Tool{Name: "ovs-vsctl", Explain: explain, Failed: func(r exec.Result) bool {
	return r.Code != 0 || r.TimedOut || strings.Contains(string(r.Stderr), "Error detected while setting up")
}}

// explain keeps ovs-vsctl's own lines and says what a timeout means.
func explain(r exec.Result) string {
	text := string(r.Stderr)
	if strings.Contains(text, "(Alarm clock)") || r.Code == 128+14 {
		return fmt.Sprintf("ovs-vsctl timed out after %ds waiting for ovs-vswitchd to apply the change (is ovs-vswitchd running?); the database may already hold it: look with ovs.show()", Wait)
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "ovs-vsctl: ") && !strings.Contains(l, "default log directory") {
			lines = append(lines, strings.TrimPrefix(l, "ovs-vsctl: "))
		}
	}
	why := strings.Join(lines, "; ")
	switch {
	case strings.Contains(why, "database connection failed"):
		why += " (is ovsdb-server running? pass db = \"unix:/path/db.sock\" for another one)"
	case strings.Contains(why, "Error detected while setting up"):
		why += " (the port stays in the database: ovs.del_port removes it)"
	}
	return why
}

func (v vsctl) args(rest ...string) []string {
	out := []string{"--timeout=" + strconv.Itoa(Wait)}
	if v.db != "" {
		out = append(out, "--db="+v.db)
	}
	return append(out, rest...)
}

func (v vsctl) change(rest ...string) error {
	_, err := ovsVsctl.Change(v.e, v.args(rest...)...)
	return err
}

// StateArgs are the arguments (after the global options) that read the
// three tables ParseSwitch builds the switch from, in one transaction.
var StateArgs = []string{"--format=json",
	"--columns=name,ports,datapath_type", "list", "Bridge", "--",
	"--columns=_uuid,name,tag,trunks,interfaces", "list", "Port", "--",
	"--columns=_uuid,name,type,error", "list", "Interface"}

// read returns the switch as ovsdb holds it.
func (v vsctl) read() (Switch, error) {
	res, err := ovsVsctl.Read(v.e, v.args(StateArgs...)...)
	if err != nil {
		return Switch{}, err
	}
	return ParseSwitch(res.Stdout)
}
